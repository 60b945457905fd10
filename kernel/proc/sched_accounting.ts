/**
 * The scheduler mechanism's accounting, independent of the policy: when a
 * thread becomes ready, when it is dispatched, and when a deadline task's
 * job ends. Everything is in simulated cycles (see {@link SchedInfo}).
 *
 * - ready: remember when; a wake-up (or a new thread) opens a response
 *   measurement, and releases a new job of a SCHED_DEADLINE task whose last
 *   job is closed (absolute deadline = release + relative deadline);
 * - dispatch: the time since ready is waiting time; the first dispatch after
 *   a wake-up closes the response measurement;
 * - job end (the task blocks): a deadline task's job is complete; it missed
 *   its deadline if the absolute deadline has passed.
 *
 * Each reads the cycle count from a {@link CycleSource} (the machine's
 * clock) rather than taking it as an argument: past 2^30 cycles a count
 * passed to a call V8 does not inline is boxed as a heap number.
 *
 * @module
 */

import type { SchedInfo } from "./sched_info.ts";

/** Where the accounting reads the current cycle count (the clock's `now`). */
export interface CycleSource {
  /** Current simulated time in cycles. */
  readonly now: number;
}

/** `s` became ready now for `reason` (an `EnqueueReason` of `scheduler.ts`). */
export function noteReady(s: SchedInfo, reason: number, clock: CycleSource): void {
  const now = clock.now;
  s.readyAt = now;
  // EnqueueReason.NEW 0, .WAKE 1, SCHED.DEADLINE 6: literals, as a module
  // object's field costs a load, a hole check and a map check in optimized code.
  if (reason !== 0 && reason !== 1) return; // neither NEW nor WAKE
  if (s.wokenAt < 0) s.wokenAt = now;
  if (s.policy === 6 /* SCHED.DEADLINE */ && s.absDeadline < 0) {
    s.releasedAt = now;
    s.absDeadline = now + s.dlDeadlineCycles;
  }
}

/** `s` was put on the CPU now. */
export function noteDispatch(s: SchedInfo, clock: CycleSource): void {
  s.dispatches++;
  const now = clock.now;
  if (s.readyAt >= 0) {
    s.waitCycles += now - s.readyAt;
    s.readyAt = -1;
  }
  if (s.wokenAt >= 0) {
    const r = now - s.wokenAt;
    s.responseCycles += r;
    s.responses++;
    if (r > s.maxResponse) s.maxResponse = r;
    s.wokenAt = -1;
  }
}

/** `s` blocked now: the current job of a deadline task is done. */
export function noteJobEnd(s: SchedInfo, clock: CycleSource): void {
  if (s.absDeadline < 0) return;
  s.jobs++;
  if (clock.now > s.absDeadline) s.deadlineMisses++;
  s.absDeadline = -1;
}
