/**
 * The scheduler mechanism's side of the policy interface. The kernel decides
 * *when* to schedule (a thread blocks, exits, yields or uses up its quantum);
 * a {@link SchedulerPolicy} plugin decides *who* runs next and for how long.
 *
 * @module
 */

import type { Thread } from "./process.ts";
import type { SchedInfo } from "./sched_info.ts";

/** Why a thread is handed to {@link SchedulerPolicy.enqueue}. */
export const EnqueueReason = {
  /** A new thread (fork, the first process). */
  NEW: 0,
  /** Woken from a wait queue, a sleep or a stop. */
  WAKE: 1,
  /** Its quantum ran out. */
  PREEMPT: 2,
  /** It gave up the CPU voluntarily (sched_yield). */
  YIELD: 3,
  /** Moved over from another policy when policies are swapped. */
  MIGRATE: 4,
} as const;

/**
 * A scheduling policy. Calls come from the kernel's scheduler mechanism only;
 * a thread is in the policy's ready set from `enqueue` until `pickNext`
 * returns it or `remove` takes it out.
 */
export interface SchedulerPolicy {
  /** Policy name, e.g. "round_robin". */
  readonly name: string;
  /** Adds a runnable thread; `reason` is an {@link EnqueueReason}. */
  enqueue(t: Thread, reason: number): void;
  /** Takes `t` out of the ready set if it is there (it was killed or stopped while ready). */
  remove(t: Thread): void;
  /** Removes and returns the thread to run next, or null when none is ready. */
  pickNext(now: number): Thread | null;
  /** Length in cycles of the next slice of `t`; `defaultQuantum` is the boot configuration's. */
  quantum(t: Thread, defaultQuantum: number): number;
  /** Accounting after `t` ran for `cycles` (optional). */
  charge?(t: Thread, cycles: number): void;
  /** Number of ready threads. */
  readonly readyCount: number;
  /** Removes and returns every ready thread (used to hand them to a new policy). */
  drain(): Thread[];
  /**
   * True if `ready`, which just became ready, should take the CPU from
   * `running` now rather than at the end of its slice (optional: without it
   * nothing preempts before the slice ends).
   */
  preempts?(ready: Thread, running: Thread): boolean;
  /**
   * Admission control of a new scheduling class for `t` (optional): 0 to
   * accept, or a negative status (`K.BUSY` when a real-time class would
   * overload the CPU, `K.INVAL` for a class this policy cannot serve). Called
   * by sched_setattr/sched_setscheduler before the attributes change; `next`
   * holds the attributes asked for.
   */
  admit?(t: Thread, next: SchedInfo, all: Iterable<Thread>): number;
}
