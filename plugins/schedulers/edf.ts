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

import { SCHED, type SchedInfo, type SchedulerPolicy, type Thread } from "../../kernel/api.ts";
import { admitWithin } from "./deadline.ts";
import { policyModule } from "./policy_module.ts";
import { ReadySet, rtPreempts, rtQuantum, rtRank } from "./ready_set.ts";

/** The key EDF orders by: the job's absolute deadline (open jobs only). */
function deadlineOf(t: Thread): number {
  const s = t.sched;
  return s.absDeadline >= 0 ? s.absDeadline : Number.MAX_SAFE_INTEGER;
}

/** Earliest deadline first. */
export class EdfPolicy implements SchedulerPolicy {
  /** Policy name. */
  readonly name: string = "edf";
  readonly #ready = new ReadySet();

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

  /** Earliest deadline among deadline tasks; then by class; then arrival. */
  pickNext(_now: number): Thread | null {
    return this.#ready.take((a, b) =>
      a.sched.policy === SCHED.DEADLINE ? deadlineOf(b) - deadlineOf(a) : 0
    );
  }

  /** The boot quantum (FIFO threads: until they block). */
  quantum(t: Thread, defaultQuantum: number): number {
    return rtQuantum(t, defaultQuantum);
  }

  /** A better class, or an earlier deadline, preempts. */
  preempts(ready: Thread, running: Thread): boolean {
    if (rtRank(ready) !== rtRank(running)) return rtPreempts(ready, running);
    return ready.sched.policy === SCHED.DEADLINE && deadlineOf(ready) < deadlineOf(running);
  }

  /** Utilisation at most 1. */
  admit(t: Thread, next: SchedInfo, all: Iterable<Thread>): number {
    return admitWithin(t, next, all, () => 1);
  }

  /** Everything ready, oldest first. */
  drain(): Thread[] {
    return this.#ready.drain();
  }
}

/** The module: installs {@link EdfPolicy}. */
export const module = policyModule(
  "edf",
  "earliest deadline first for SCHED_DEADLINE tasks; admission at utilisation 1",
  () => new EdfPolicy(),
);
