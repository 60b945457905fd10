/**
 * What the two real-time policies (`edf.ts`, `rm.ts`) share: the
 * utilisation of the SCHED_DEADLINE threads and the admission test built on
 * it. A task's utilisation is runtime / period; a new or changed task is
 * admitted only if the total stays within the policy's bound, otherwise
 * sched_setattr fails with EBUSY, as Linux's does.
 *
 * @module
 */

import { K, SCHED, type SchedInfo, type Thread } from "../../kernel/api.ts";

/**
 * Deadline tasks and their total utilisation if `t` took the attributes
 * `next` (every other thread keeps its own).
 *
 * @param t The thread whose attributes change.
 * @param next Its attributes after the change.
 * @param all Every live thread.
 * @returns The number of deadline tasks and their total utilisation.
 */
export function deadlineLoad(
  t: Thread,
  next: SchedInfo,
  all: Iterable<Thread>,
): { tasks: number; utilisation: number } {
  let tasks = 0, utilisation = 0;
  for (const th of all) {
    const s = th === t ? next : th.sched;
    if (s.policy !== SCHED.DEADLINE || s.dlPeriod <= 0) continue;
    tasks++;
    utilisation += s.dlRuntime / s.dlPeriod;
  }
  if (next.policy === SCHED.DEADLINE && next.dlPeriod > 0 && !inSet(t, all)) {
    tasks++;
    utilisation += next.dlRuntime / next.dlPeriod;
  }
  return { tasks, utilisation };
}

function inSet(t: Thread, all: Iterable<Thread>): boolean {
  for (const th of all) if (th === t) return true;
  return false;
}

/**
 * Admission against a utilisation bound that depends on the task count.
 *
 * @param t The thread whose attributes change.
 * @param next Its attributes after the change.
 * @param all Every live thread.
 * @param bound The largest total utilisation allowed for `n` tasks.
 * @returns 0 to admit, `K.BUSY` otherwise.
 */
export function admitWithin(
  t: Thread,
  next: SchedInfo,
  all: Iterable<Thread>,
  bound: (n: number) => number,
): number {
  if (next.policy !== SCHED.DEADLINE) return 0;
  const { tasks, utilisation } = deadlineLoad(t, next, all);
  return utilisation <= bound(tasks) + 1e-12 ? 0 : K.BUSY;
}
