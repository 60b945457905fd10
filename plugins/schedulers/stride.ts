/**
 * Stride scheduling (Waldspurger): the deterministic sibling of lottery
 * scheduling. Each thread has tickets (the CFS weight of its nice value, as
 * in `lottery.ts`) and a stride inversely proportional to them; the ready
 * thread with the lowest pass runs, and its pass advances by its stride
 * scaled by the cycles it used. A thread that joins (new or woken) starts
 * at the lowest pass in the set, so sleeping earns no credit. Real-time
 * classes run first.
 *
 * @module
 */

import {
  EnqueueReason,
  niceToWeight,
  type SchedulerPolicy,
  type Thread,
} from "../../kernel/api.ts";
import { policyModule } from "./policy_module.ts";
import { ReadySet, rtPreempts, rtQuantum } from "./ready_set.ts";

/** Stride numerator: a nice-0 thread's pass advances by STRIDE1/1024 per cycle-quantum. */
export const STRIDE1 = 1 << 20;

/** Stride scheduling. */
export class StridePolicy implements SchedulerPolicy {
  /** Policy name. */
  readonly name: string = "stride";
  readonly #ready = new ReadySet();
  #quantum = 1;
  /** The pass of the most recently picked thread (the global pass). */
  #globalPass = 0;

  /** Ready threads. */
  get readyCount(): number {
    return this.#ready.size;
  }

  /** A thread that was not just preempted joins at the global pass. */
  enqueue(t: Thread, reason: number): void {
    const s = t.sched;
    if (reason === EnqueueReason.NEW || reason === EnqueueReason.MIGRATE) s.pass = this.#globalPass;
    else if (reason === EnqueueReason.WAKE) s.pass = Math.max(s.pass, this.#globalPass);
    this.#ready.add(t);
  }

  /** Removes a thread that is no longer ready. */
  remove(t: Thread): void {
    this.#ready.remove(t);
  }

  /** Lowest pass first. */
  pickNext(_now: number): Thread | null {
    const t = this.#ready.take((a, b) => b.sched.pass - a.sched.pass);
    if (t !== null) this.#globalPass = t.sched.pass;
    return t;
  }

  /** The boot quantum (FIFO threads: until they block). */
  quantum(t: Thread, defaultQuantum: number): number {
    this.#quantum = defaultQuantum;
    return rtQuantum(t, defaultQuantum);
  }

  /** Advances the pass by the stride, in proportion to the cycles used. */
  charge(t: Thread, cycles: number): void {
    t.sched.pass += (STRIDE1 / niceToWeight(t.priority)) * (cycles / this.#quantum);
  }

  /** Only a better real-time class preempts. */
  preempts(ready: Thread, running: Thread): boolean {
    return rtPreempts(ready, running);
  }

  /** Everything ready, oldest first. */
  drain(): Thread[] {
    return this.#ready.drain();
  }
}

/** The module: installs {@link StridePolicy}. */
export const module = policyModule(
  "stride",
  "stride scheduling; tickets = CFS weight of the nice value",
  () => new StridePolicy(),
);
