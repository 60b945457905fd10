/**
 * Per-thread scheduling attributes and accounting, shared by the kernel's
 * scheduler mechanism and the policy plugins.
 *
 * - Attributes: the Linux scheduling class (`SCHED_OTHER`, `SCHED_FIFO`,
 *   `SCHED_RR`, `SCHED_DEADLINE`...), the real-time priority, the deadline
 *   parameters (runtime, deadline, period, in ns) and lottery/stride tickets.
 *   The system calls set them; each policy decides what they mean to it.
 * - Accounting (in simulated cycles), kept by the mechanism whatever the
 *   policy: time spent ready and waiting, response time from a wake-up to
 *   the first run after it, and for deadline tasks the jobs and deadline
 *   misses. `/proc/PID/sched` shows them.
 * - Scratch fields a policy may use for itself (`level`, `pass`, `key`).
 *
 * @module
 */

import { asDouble } from "../../lib/double_field.ts";

/** Linux scheduling classes (`<linux/sched.h>`). */
export const SCHED = {
  OTHER: 0,
  FIFO: 1,
  RR: 2,
  BATCH: 3,
  IDLE: 5,
  DEADLINE: 6,
} as const;

/** CFS load weights for nice -20..19 (Linux's `sched_prio_to_weight`): nice 0 is 1024. */
const NICE_WEIGHT = [
  88761,
  71755,
  56483,
  46273,
  36291,
  29154,
  23254,
  18705,
  14949,
  11916,
  9548,
  7620,
  6100,
  4904,
  3906,
  3121,
  2501,
  1991,
  1586,
  1277,
  1024,
  820,
  655,
  526,
  423,
  335,
  272,
  215,
  172,
  137,
  110,
  87,
  70,
  56,
  45,
  36,
  29,
  23,
  18,
  15,
];

/**
 * The weight of a nice value (clamped to -20..19): the ticket count that the
 * lottery and stride policies use, 1024 at nice 0, about 1.25x per step.
 *
 * @param nice The nice value.
 * @returns The weight.
 * @example
 * ```ts
 * niceToWeight(0); // 1024
 * ```
 */
export function niceToWeight(nice: number): number {
  const n = Math.max(-20, Math.min(19, Math.trunc(nice)));
  return NICE_WEIGHT[n + 20];
}

/** Scheduling attributes, accounting and policy scratch of one thread. */
export class SchedInfo {
  /** Scheduling class ({@link SCHED}). */
  policy: number = SCHED.OTHER;
  /** Real-time priority 1..99 for FIFO/RR (0 otherwise). */
  rtPriority = 0;
  /** `SCHED_FLAG_*` bits given to sched_setattr (reset-on-fork is honoured). */
  flags = 0;
  /** SCHED_DEADLINE runtime in ns. */
  dlRuntime = 0;
  /** SCHED_DEADLINE relative deadline in ns. */
  dlDeadline = 0;
  /** SCHED_DEADLINE period in ns. */
  dlPeriod = 0;
  /** SCHED_DEADLINE runtime in cycles (what the policies budget). */
  dlRuntimeCycles = 0;
  /** SCHED_DEADLINE relative deadline in cycles. */
  dlDeadlineCycles = 0;
  /** SCHED_DEADLINE period in cycles. */
  dlPeriodCycles = 0;
  /** Absolute deadline of the current job, in cycles (-1 when no job is open). */
  absDeadline: number = -1;
  /** Cycle count when the current job was released. */
  releasedAt = 0;

  /** Cycle count when the thread last became ready (-1 while not ready). */
  readyAt: number = asDouble(-1);
  /** Cycle count of the wake-up (or creation) not yet followed by a run (-1 if none). */
  wokenAt: number = asDouble(-1);
  /** Total cycles spent ready, waiting for the CPU. */
  waitCycles: number = asDouble(0);
  /** Times the thread was dispatched. */
  dispatches = 0;
  /** Sum of response times (wake-up to first run), in cycles. */
  responseCycles: number = asDouble(0);
  /** Number of response times summed. */
  responses = 0;
  /** Longest response time seen, in cycles. */
  maxResponse: number = asDouble(0);
  /** Deadline jobs completed (the task blocked or yielded). */
  jobs = 0;
  /** Jobs that completed after their absolute deadline. */
  deadlineMisses = 0;

  /** Policy scratch: queue level (MLFQ), priority band... */
  level = 0;
  /** Policy scratch: stride pass value, virtual time... */
  pass = 0;
  /** Policy scratch: cycles used at the current level or in the current allotment. */
  used = 0;

  /** Takes the attributes of `from`: class, priority, flags, deadline parameters. */
  setAttributes(from: SchedInfo): void {
    this.policy = from.policy;
    this.rtPriority = from.rtPriority;
    this.flags = from.flags;
    this.dlRuntime = from.dlRuntime;
    this.dlDeadline = from.dlDeadline;
    this.dlPeriod = from.dlPeriod;
    this.dlRuntimeCycles = from.dlRuntimeCycles;
    this.dlDeadlineCycles = from.dlDeadlineCycles;
    this.dlPeriodCycles = from.dlPeriodCycles;
  }

  /**
   * The attributes (not the accounting) of `from`, as fork passes them on:
   * with SCHED_FLAG_RESET_ON_FORK the child is an ordinary thread and the
   * flag is cleared, as in Linux.
   */
  inherit(from: SchedInfo): void {
    this.setAttributes(from);
    if ((from.flags & SCHED_FLAG_RESET_ON_FORK) === 0) return;
    this.flags &= ~SCHED_FLAG_RESET_ON_FORK;
    if (from.policy !== SCHED.OTHER && from.policy !== SCHED.BATCH && from.policy !== SCHED.IDLE) {
      this.setAttributes(new SchedInfo());
    }
  }
}

/** `SCHED_FLAG_RESET_ON_FORK`: a child starts as SCHED_OTHER. */
export const SCHED_FLAG_RESET_ON_FORK = 0x01;
