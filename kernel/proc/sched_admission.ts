/**
 * Admission control of SCHED_DEADLINE: a task's utilisation is runtime /
 * period, and a new or changed deadline task is admitted only while the
 * total stays within a bound that may depend on the number of tasks (1 for
 * EDF and for the kernel's default, Liu and Layland's for rate monotonic).
 * A refusal is EBUSY, as Linux's sched_setattr gives.
 *
 * @module
 */

import { K } from "../errors.ts";
import type { Thread } from "./process.ts";
import { SCHED, type SchedInfo } from "./sched_info.ts";

/**
 * 0 if `t` may take the attributes `next` given every other live thread's
 * (`all`, which includes `t` with its current attributes), `K.BUSY` when the
 * deadline tasks' utilisation would exceed `bound(tasks)`.
 *
 * @param t The thread whose attributes change.
 * @param next Its attributes after the change.
 * @param all Every live thread.
 * @param bound The largest total utilisation allowed for `n` deadline tasks.
 * @returns 0 to admit, or `K.BUSY`.
 * @example
 * ```ts
 * admitDeadline(t, next, threads, () => 1); // EDF's bound
 * ```
 */
export function admitDeadline(
  t: Thread,
  next: SchedInfo,
  all: Iterable<Thread>,
  bound: (n: number) => number,
): number {
  if (next.policy !== SCHED.DEADLINE) return 0;
  let tasks = 0, utilisation = 0;
  for (const th of all) {
    const s = th === t ? next : th.sched;
    if (s.policy !== SCHED.DEADLINE || s.dlPeriod <= 0) continue;
    tasks++;
    utilisation += s.dlRuntime / s.dlPeriod;
  }
  return utilisation <= bound(tasks) + 1e-12 ? 0 : K.BUSY;
}
