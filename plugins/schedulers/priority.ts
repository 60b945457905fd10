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

import type { SchedulerPolicy, Thread } from "../../kernel/api.ts";
import { policyModule } from "./policy_module.ts";
import { ReadySet, rtPreempts, rtQuantum, rtRank } from "./ready_set.ts";

/** Aging: one priority step per this many quanta spent waiting. */
export const AGING_QUANTA = 2;

/** Static priority with aging. */
export class PriorityPolicy implements SchedulerPolicy {
  /** Policy name. */
  readonly name: string = "priority";
  readonly #ready = new ReadySet();
  #now = 0;
  #agingCycles = 0;

  /** Ready threads. */
  get readyCount(): number {
    return this.#ready.size;
  }

  /** Adds a ready thread. */
  enqueue(t: Thread, _reason: number): void {
    this.#ready.add(t);
  }

  /** Removes a thread that is no longer ready. */
  remove(t: Thread): void {
    this.#ready.remove(t);
  }

  /** Lowest effective priority first. */
  pickNext(now: number): Thread | null {
    this.#now = now;
    return this.#ready.take((a, b) => this.#effective(b) - this.#effective(a));
  }

  /** The nice value less one step per aging interval waited. */
  #effective(t: Thread): number {
    const s = t.sched;
    if (this.#agingCycles <= 0 || s.readyAt < 0) return t.priority;
    return t.priority - Math.floor((this.#now - s.readyAt) / this.#agingCycles);
  }

  /** The boot quantum (FIFO threads: until they block). */
  quantum(t: Thread, defaultQuantum: number): number {
    this.#agingCycles = defaultQuantum * AGING_QUANTA;
    return rtQuantum(t, defaultQuantum);
  }

  /** A better real-time class, or a more urgent nice value, preempts. */
  preempts(ready: Thread, running: Thread): boolean {
    if (rtRank(ready) !== rtRank(running)) return rtPreempts(ready, running);
    return rtRank(ready) > 100 ? false : ready.priority < running.priority;
  }

  /** Everything ready, oldest first. */
  drain(): Thread[] {
    return this.#ready.drain();
  }
}

/** The module: installs {@link PriorityPolicy}. */
export const module = policyModule(
  "priority",
  "static priority (nice) with aging; real-time classes first",
  () => new PriorityPolicy(),
);
