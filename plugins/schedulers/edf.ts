/**
 * Earliest deadline first, for SCHED_DEADLINE tasks: among ready deadline
 * tasks the one whose current job's absolute deadline is earliest runs, and
 * a released job with an earlier deadline preempts the running one.
 * Admission control: the deadline tasks' utilisation (sum of runtime /
 * period) may not exceed 1. Then SCHED_FIFO/RR by priority, then ordinary
 * threads in round robin. Budgets are not enforced (no CBS throttling): a
 * task that overruns its runtime keeps its deadline and may make others
 * miss theirs, which `/proc/PID/sched` counts.
 *
 * @module
 */

import { admitDeadline, SCHED, type SchedInfo, type Thread } from "../../kernel/api.ts";
import { policyModule } from "./policy_module.ts";
import { ReadySetPolicy, rtPreempts, rtRank } from "./ready_set.ts";

/** The key EDF orders by: the job's absolute deadline (open jobs only). */
function deadlineOf(t: Thread): number {
  const s = t.sched;
  return s.absDeadline >= 0 ? s.absDeadline : Number.MAX_SAFE_INTEGER;
}

/** Earliest deadline first. */
export class EdfPolicy extends ReadySetPolicy {
  /** Policy name. */
  override readonly name: string = "edf";

  /** Earliest deadline among deadline tasks; then by class; then arrival. */
  override pickNext(_now: number): Thread | null {
    return this.ready.take((a, b) =>
      a.sched.policy === SCHED.DEADLINE ? deadlineOf(b) - deadlineOf(a) : 0
    );
  }

  /** A better class, or an earlier deadline, preempts. */
  override preempts(ready: Thread, running: Thread): boolean {
    if (rtRank(ready) !== rtRank(running)) return rtPreempts(ready, running);
    return ready.sched.policy === SCHED.DEADLINE && deadlineOf(ready) < deadlineOf(running);
  }

  /** Utilisation at most 1. */
  admit(t: Thread, next: SchedInfo, all: Iterable<Thread>): number {
    return admitDeadline(t, next, all, () => 1);
  }
}

/** The module: installs {@link EdfPolicy}. */
export const module = policyModule(
  "edf",
  "earliest deadline first for SCHED_DEADLINE tasks; admission at utilisation 1",
  () => new EdfPolicy(),
);
