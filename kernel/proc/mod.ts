/**
 * Layer 0, processes: task structures, the process table, the scheduler
 * mechanism (policy interface and the fallback FIFO policy), the kernel cost
 * table and the trap loop.
 *
 * @module
 */

export {
  NO_MEMORY,
  type ParkedCall,
  type ParkingPlace,
  Process,
  type ProcFiles,
  type ProcSpace,
  type SigAction,
  STATE_LETTERS,
  TaskState,
  Thread,
  type ThreadWaker,
} from "./process.ts";
export {
  PID_MAX,
  ProcessTable,
  ProcessTableError,
  type TimerPort,
  type WakeList,
} from "./process_table.ts";
export { EnqueueReason, type SchedulerPolicy } from "./scheduler.ts";
export { FifoPolicy } from "./fifo_policy.ts";
export { niceToWeight, SCHED, SCHED_FLAG_RESET_ON_FORK, SchedInfo } from "./sched_info.ts";
export { admitDeadline } from "./sched_admission.ts";
export { DEFAULT_KERNEL_COSTS, type KernelCosts } from "./costs.ts";
export {
  type CpuPort,
  type TrapHooks,
  TrapLoop,
  type TrapLoopOptions,
  type TrapLoopStats,
} from "./trap_loop.ts";
export { type TraceEvent, TraceRecorder } from "./trace.ts";
