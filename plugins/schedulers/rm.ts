/**
 * Rate-monotonic scheduling, for periodic SCHED_DEADLINE tasks: fixed
 * priorities by period, the shortest period first, preemptive. Admission
 * control uses Liu and Layland's sufficient bound: n tasks are admitted
 * while their utilisation is at most n(2^(1/n) - 1) (1.0 for one task,
 * about 0.828 for two, tending to ln 2). Then SCHED_FIFO/RR by priority,
 * then ordinary threads in round robin.
 *
 * @module
 */

import { admitDeadline, SCHED, type SchedInfo, type Thread } from "../../kernel/api.ts";
import { policyModule } from "./policy_module.ts";
import { ReadySetPolicy, rtPreempts, rtRank } from "./ready_set.ts";

/**
 * Liu and Layland's utilisation bound for `n` tasks.
 *
 * @param n Number of periodic tasks.
 * @returns n(2^(1/n) - 1), or 1 for n <= 1.
 * @example
 * ```ts
 * liuLaylandBound(2); // 0.828...
 * ```
 */
export function liuLaylandBound(n: number): number {
  return n <= 1 ? 1 : n * (Math.pow(2, 1 / n) - 1);
}

/** Rate monotonic. */
export class RmPolicy extends ReadySetPolicy {
  /** Policy name. */
  override readonly name: string = "rm";

  /** Shortest period among deadline tasks; then by class; then arrival. */
  override pickNext(_now: number): Thread | null {
    return this.ready.take((a, b) =>
      a.sched.policy === SCHED.DEADLINE ? b.sched.dlPeriodCycles - a.sched.dlPeriodCycles : 0
    );
  }

  /** A better class, or a shorter period, preempts. */
  override preempts(ready: Thread, running: Thread): boolean {
    if (rtRank(ready) !== rtRank(running)) return rtPreempts(ready, running);
    return ready.sched.policy === SCHED.DEADLINE &&
      ready.sched.dlPeriodCycles < running.sched.dlPeriodCycles;
  }

  /** Liu and Layland's bound. */
  admit(t: Thread, next: SchedInfo, all: Iterable<Thread>): number {
    return admitDeadline(t, next, all, liuLaylandBound);
  }
}

/** The module: installs {@link RmPolicy}. */
export const module = policyModule(
  "rm",
  "rate monotonic for periodic SCHED_DEADLINE tasks; Liu-Layland admission",
  () => new RmPolicy(),
);
