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

import { EnqueueReason, niceToWeight, type Thread } from "../../kernel/api.ts";
import { policyModule } from "./policy_module.ts";
import { ReadySetPolicy, rtQuantum } from "./ready_set.ts";

/** Stride numerator: a nice-0 thread's pass advances by STRIDE1/1024 per cycle-quantum. */
export const STRIDE1 = 1 << 20;

/** Stride scheduling. */
export class StridePolicy extends ReadySetPolicy {
  /** Policy name. */
  override readonly name: string = "stride";
  #quantum = 1;
  /** The pass of the most recently picked thread (the global pass). */
  #globalPass = 0;

  /** A thread that was not just preempted joins at the global pass. */
  override enqueue(t: Thread, reason: number): void {
    const s = t.sched;
    if (reason === EnqueueReason.NEW || reason === EnqueueReason.MIGRATE) s.pass = this.#globalPass;
    else if (reason === EnqueueReason.WAKE) s.pass = Math.max(s.pass, this.#globalPass);
    this.ready.add(t);
  }

  /** Lowest pass first. */
  override pickNext(_now: number): Thread | null {
    const t = this.ready.take((a, b) => b.sched.pass - a.sched.pass);
    if (t !== null) this.#globalPass = t.sched.pass;
    return t;
  }

  /** The boot quantum (FIFO threads: until they block). */
  override quantum(t: Thread, defaultQuantum: number): number {
    this.#quantum = defaultQuantum;
    return rtQuantum(t, defaultQuantum);
  }

  /** Advances the pass by the stride, in proportion to the cycles used. */
  charge(t: Thread, cycles: number): void {
    t.sched.pass += (STRIDE1 / niceToWeight(t.priority)) * (cycles / this.#quantum);
  }
}

/** The module: installs {@link StridePolicy}. */
export const module = policyModule(
  "stride",
  "stride scheduling; tickets = CFS weight of the nice value",
  () => new StridePolicy(),
);
