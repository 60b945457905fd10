/**
 * Static-priority scheduling with aging. Each thread's priority is its nice
 * value (-20 most urgent .. 19, set with `nice`/`setpriority`); the ready
 * thread with the lowest effective priority runs, where waiting lowers the
 * effective value by one step per aging interval, so a low-priority thread
 * is never starved. Real-time threads (SCHED_FIFO/RR by rt priority,
 * SCHED_DEADLINE) run before all others. A woken thread whose effective
 * priority beats the running thread's nice value preempts it.
 *
 * @module
 */

import type { Thread } from "../../kernel/api.ts";
import { policyModule } from "./policy_module.ts";
import { ReadySetPolicy, rtPreempts, rtQuantum, rtRank } from "./ready_set.ts";

/** Aging: one priority step per this many quanta spent waiting. */
export const AGING_QUANTA = 2;

/** Static priority with aging. */
export class PriorityPolicy extends ReadySetPolicy {
  /** Policy name. */
  override readonly name: string = "priority";
  #now = 0;
  #agingCycles = 0;

  /** Lowest effective priority first. */
  override pickNext(now: number): Thread | null {
    this.#now = now;
    return this.ready.take((a, b) => this.#effective(b) - this.#effective(a));
  }

  /** The nice value less one step per aging interval waited. */
  #effective(t: Thread): number {
    const s = t.sched;
    if (this.#agingCycles <= 0 || s.readyAt < 0) return t.priority;
    return t.priority - Math.floor((this.#now - s.readyAt) / this.#agingCycles);
  }

  /** The boot quantum (FIFO threads: until they block). */
  override quantum(t: Thread, defaultQuantum: number): number {
    this.#agingCycles = defaultQuantum * AGING_QUANTA;
    return rtQuantum(t, defaultQuantum);
  }

  /** A better real-time class, or a more urgent nice value, preempts. */
  override preempts(ready: Thread, running: Thread): boolean {
    if (rtRank(ready) !== rtRank(running)) return rtPreempts(ready, running);
    return rtRank(ready) > 100 ? false : ready.priority < running.priority;
  }
}

/** The module: installs {@link PriorityPolicy}. */
export const module = policyModule(
  "priority",
  "static priority (nice) with aging; real-time classes first",
  () => new PriorityPolicy(),
);
