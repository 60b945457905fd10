/**
 * The task structures: {@link Process} (an address space, descriptors,
 * signal actions, a place in the process tree) and {@link Thread} (a register
 * file and a scheduling state). A process has one or more threads: the
 * address space, descriptors, signal actions and ids are per process; the
 * registers, signal mask, pending thread-directed signals, alternate stack
 * (in the personality's thread data) and CPU time are per thread.
 *
 * This is layer 0: fields that belong to higher layers (the address space,
 * the descriptor table) are typed by the small interfaces declared here,
 * which the higher layers' classes implement.
 *
 * @module
 */

import { registerView, takeRegisterFile } from "./register_files.ts";
import { asDouble } from "../../lib/double_field.ts";
import { TypedSlab } from "../../lib/typed_slab.ts";
import { SchedInfo } from "./sched_info.ts";
import type { GuestMemory } from "../fs/types.ts";
import { Rlimits } from "./rlimits.ts";

// The signal information arrays of threads and processes (made at every fork): views of shared buffers.
const SLAB = new TypedSlab();

/** Guest memory of a process that has no address space: every access faults. */
export const NO_MEMORY: GuestMemory = {
  copyIn: () => null,
  copyOut: () => false,
};

/** Scheduling state of a thread (and, through its threads, of a process). */
export const TaskState = {
  /** Runnable, waiting for the CPU. */
  READY: 0,
  /** On the CPU now. */
  RUNNING: 1,
  /** Parked on a wait queue or a timer. */
  BLOCKED: 2,
  /** Stopped by a job-control signal. */
  STOPPED: 3,
  /** Exited, not yet reaped by its parent (process) / finished (thread). */
  ZOMBIE: 4,
} as const;

/** One-letter state codes as `ps` and `/proc/PID/stat` show them, indexed by {@link TaskState}. */
export const STATE_LETTERS = ["R", "R", "S", "T", "Z"] as const;

/** What the process layer needs of an address space (implemented by `kernel/mm`). */
export interface ProcSpace {
  /** The `satp` value that selects this space (mode, ASID, root page number). */
  readonly satp: number;
  /** ASID of this space. */
  readonly asid: number;
  /** Physical page number of the root page table (the PPN field of {@link satp}). */
  readonly rootPpn: number;
  /** Releases every frame and the ASID; the space is unusable afterwards. */
  destroy(): void;
}

/** What the process layer needs of a descriptor table (implemented in `kernel/exec`). */
export interface ProcFiles {
  /** Closes every descriptor (at exit). */
  closeAll(): void;
}

/** Something a blocked thread is parked on (a `WaitQueue`); removal is needed when a signal wakes it. */
export interface ParkingPlace {
  /** Name for diagnostics (the deadlock report, /proc wchan). */
  readonly name: string;
  /** Unparks `waiter` without waking the others. */
  remove(waiter: Thread): void;
}

/**
 * A blocked system call that the waker may finish in the kernel, as Linux's
 * pipe_read finishes in the sleeper's own context instead of re-entering
 * the call: when the queue the thread sleeps on is woken, the process table
 * calls {@link finish} before making the thread runnable. A finish that
 * completes the call sets the thread's a0 and answers true: the thread then
 * resumes past its `ecall` (the kernel resets its restart state as for any
 * completed call). False leaves the call to restart from its `ecall`, as
 * every blocked call does without one. A signal, a stop or an exit that
 * takes the thread off its queue drops the finish: the call restarts.
 */
export interface ParkedCall {
  /** Tries to complete `t`'s blocked call now (it is still parked); true when done. */
  finish(t: Thread): boolean;
}

/**
 * A signal action, in kernel-native form (the Linux values, which the Unix
 * personality passes through and others translate to).
 */
export interface SigAction {
  /** Handler address, or SIG_DFL (0) / SIG_IGN (1). */
  handler: number;
  /** SA_* flags (kernel-native values, see `kernel/ipc/signals.ts`). */
  flags: number;
  /** Signals blocked while the handler runs, bits 0-31 = signals 1-32. */
  maskLo: number;
  /** Signals blocked while the handler runs, bits 0-31 = signals 33-64. */
  maskHi: number;
  /** Return trampoline address (SA_RESTORER), 0 if none. */
  restorer: number;
}

/** A guest thread: its saved registers and its scheduling state. */
export class Thread {
  /** Thread id (the main thread's tid equals its process's pid). */
  readonly tid: number;
  /** The owning process. */
  readonly process: Process;
  /**
   * The register file: x0..x31 plus a scratch slot that takes the CPU's
   * writes to x0. While the thread runs it is bound to the CPU (no copies on
   * switch or trap), so `regs` is always current when the kernel looks.
   */
  readonly regFile: Int32Array = takeRegisterFile();
  /** Integer registers x0..x31 (a view of {@link regFile}). */
  readonly regs: Int32Array = registerView(this.regFile);
  /** Saved pc (unsigned). During a system call it already points past the `ecall`. */
  pc = 0;
  /** {@link TaskState}. */
  state: number = TaskState.READY;

  /** Pending thread-directed signals 1-32 (bit n-1 = signal n). */
  sigPendingLo = 0;
  /** Pending signals 33-64. */
  sigPendingHi = 0;
  /** Blocked signals 1-32. */
  sigBlockedLo = 0;
  /** Blocked signals 33-64. */
  sigBlockedHi = 0;
  /** True while a sigsuspend-style temporary mask is in force; the saved mask is restored at delivery. */
  hasSavedMask = false;
  /** The mask to restore after sigsuspend (1-32). */
  savedBlockedLo = 0;
  /** The mask to restore after sigsuspend (33-64). */
  savedBlockedHi = 0;

  /**
   * Sender details of pending signals: 4 words per signal number (sender pid,
   * si_code, status, fault address), valid while the signal is pending.
   */
  readonly sigInfo: Int32Array = SLAB.int32(65 * 4);
  /** The blocked call must not be restarted after a handler (sigsuspend, pause). */
  noRestart = false;

  /** The wait queue (or timer) this thread is parked on, while BLOCKED. */
  parkedOn: ParkingPlace | null = null;
  /** The finish of the blocked call (see {@link ParkedCall}), while BLOCKED; null: it restarts. */
  parkedCall: ParkedCall | null = null;
  /** Pending clock event id of a sleep or timeout, -1 if none. */
  timerEvent: number = -1;
  /** Set when a signal, not the awaited event, woke the thread. */
  interrupted = false;
  /** Address of the `ecall` of a blocked system call (where a restart resumes). */
  restartPc = 0;
  /**
   * Scratch that survives the restart of a blocked system call (e.g. a sleep
   * deadline). Reset to -1 whenever a system call completes.
   */
  restartState: number = asDouble(-1);
  /**
   * Progress of a blocked call that has already done part of its work (bytes
   * a blocking pipe write has written): what the call returns if a signal
   * handler interrupts it, instead of EINTR, as POSIX asks. -1 when none.
   */
  partialResult: number = -1;

  /** Cycles remaining in the current quantum (the scheduler policy sets it). */
  sliceLeft: number = asDouble(0);
  /** Scheduling priority for policies that use one (0 = normal, lower = more urgent). */
  priority = 0;
  /** Private data of the scheduler policy. */
  schedData: unknown = null;
  /** Scheduling class, real-time parameters and accounting (see `sched_info.ts`). */
  readonly sched: SchedInfo = new SchedInfo();
  /** Private data of the personality. */
  pdata: unknown = null;
  /** Set by a futex wake: the parked futex wait returns 0 when it restarts. */
  futexWoken = false;
  /** Futex bitset of a parked futex wait (FUTEX_WAIT_BITSET); -1 for plain waits. */
  futexBitset: number = -1;
  /** Simulated cycle count at creation (per-thread /proc start time). */
  startCycle: number = asDouble(0);

  /** Cycles spent in user mode. */
  userCycles: number = asDouble(0);
  /** Cycles charged to kernel work for this thread. */
  systemCycles: number = asDouble(0);
  /** Voluntary context switches (the thread blocked). */
  voluntarySwitches = 0;
  /** Involuntary context switches (preempted). */
  involuntarySwitches = 0;
  /**
   * Saved floating-point state, null while the thread never used the FPU
   * (see kernel/proc/fp_context.ts; the live copy may be in the FPU).
   */
  fp: ThreadFpState | null = null;

  /** Creates a thread of `process`. */
  constructor(tid: number, process: Process) {
    this.tid = tid;
    this.process = process;
  }

  /** Called by a wait queue when woken: becomes runnable through the process table. */
  wake(): void {
    this.process.table.wakeThread(this);
  }
}

/** A thread's F/D registers and fcsr as the kernel saves them. */
export interface ThreadFpState {
  /** f0..f31 (raw 64-bit contents, read as doubles). */
  readonly regs: Float64Array;
  /** `fcsr` (frm << 5 | fflags). */
  fcsr: number;
  /** Set by whoever edited `regs`/`fcsr` (sigreturn): load them before the thread runs. */
  reload: boolean;
}

/** Minimal interface of the process table that threads call back into. */
export interface ThreadWaker {
  /** Makes a blocked thread runnable again. */
  wakeThread(t: Thread): void;
}

/** A process: an address space, descriptors, signal actions and its place in the tree. */
export class Process {
  /** Process id. */
  readonly pid: number;
  /** The table that owns it. */
  readonly table: ThreadWaker;
  /** Parent process (null only for pid 1). */
  parent: Process | null = null;
  /** Live and zombie children. */
  readonly children: Process[] = [];
  /** Process group id. */
  pgid: number;
  /** Session id. */
  sid: number;
  /** Real and effective user id. */
  uid = 0;
  /** Real and effective group id. */
  gid = 0;
  /** Supplementary group ids (setgroups; inherited by fork, kept by exec). */
  groups: number[] = [];
  /** Resource limits (inherited by fork, kept by exec). */
  rlimits: Rlimits = new Rlimits();
  /** File-creation mask. */
  umask = 0o022;
  /** {@link TaskState} of the process as a whole (ZOMBIE once it has exited). */
  state: number = TaskState.READY;
  /** Command name (basename of the program, at most 15 characters). */
  comm = "";
  /** Arguments of the last exec. */
  argv: string[] = [];
  /** Environment of the last exec. */
  envp: string[] = [];
  /** Current working directory (absolute, normalised), as text. */
  cwd = "/";
  /** Absolute path of the program of the last exec ("" before the first). */
  exe = "";
  /** The resolved current directory (a VFS `PathLoc`, opaque to this layer). */
  cwdLoc: unknown = null;
  /**
   * Threads (the first is the main thread, the thread group leader). An
   * exited thread leaves the list, except the leader, which stays as a
   * ZOMBIE thread while others run (its tid is the process id).
   */
  readonly threads: Thread[] = [];
  /** Live (not exited) threads. */
  liveThreads = 1;
  /**
   * Process-directed signals that every thread blocks (1-32): they go to the
   * first thread that unblocks them. Sender details are in {@link sharedInfo}.
   */
  sigSharedLo = 0;
  /** Process-directed signals 33-64 that every thread blocks. */
  sigSharedHi = 0;
  /** Sender details of {@link sigSharedLo}/{@link sigSharedHi} (as `Thread.sigInfo`). */
  readonly sharedInfo: Int32Array = SLAB.int32(65 * 4);
  /**
   * A vfork child that has neither exec'd nor exited: its parent waits on the
   * child's exit queue (`ProcessTable.exitEvent`), which exec also wakes.
   */
  vforkPending = false;
  /** User cycles of threads that have exited (kept for the process totals). */
  exitedUserCycles: number = asDouble(0);
  /** System cycles of threads that have exited. */
  exitedSystemCycles = 0;

  /** Address space (null before the first exec and after exit). */
  space: ProcSpace | null = null;
  /** Descriptor table. */
  files: ProcFiles | null = null;
  /** Guest memory accessor for file operations (checks every address; see `kernel/mm`). */
  memory: GuestMemory = NO_MEMORY;
  /** Name of the personality the process runs under ("" before its first exec). */
  personalityName = "";
  /** The personality object (opaque to this layer). */
  personality: unknown = null;
  /** Private data of the personality (e.g. a Win32 handle table). */
  pdata: unknown = null;

  /** Signal actions, index = signal number (1..64; 0 unused). */
  readonly sigActions: SigAction[] = [];

  /** Exit code (0-255) once exited normally. */
  exitCode = 0;
  /** Terminating signal, 0 if it exited normally. */
  termSignal = 0;
  /** True if the terminating signal's default action dumps core. */
  coreDumped = false;
  /** Signal that stopped it, while STOPPED. */
  stopSignal = 0;
  /** A stop not yet reported to a waiting parent. */
  stopReportPending = false;
  /** A continue not yet reported to a waiting parent. */
  continueReportPending = false;

  /** Simulated cycle count at creation. */
  startCycle: number = asDouble(0);
  /** User cycles of reaped children. */
  childUserCycles: number = asDouble(0);
  /** System cycles of reaped children. */
  childSystemCycles: number = asDouble(0);
  /** Page faults handled for this process. */
  pageFaults = 0;
  /**
   * References held by handles (NT's process handles; see
   * `ProcessTable.retain`): while non-zero the object and its exit status
   * stay valid and its pid is not reused, even after it is reaped.
   */
  handles = 0;
  /** True once the process was reaped (removed from the pid table). */
  reaped = false;

  /** Creates a process; pgid and sid default to its own pid. */
  constructor(pid: number, table: ThreadWaker) {
    this.pid = pid;
    this.table = table;
    this.pgid = pid;
    this.sid = pid;
    for (let i = 0; i <= 64; i++) {
      this.sigActions.push({ handler: 0, flags: 0, maskLo: 0, maskHi: 0, restorer: 0 });
    }
  }

  /** Parent pid (0 for pid 1). */
  get ppid(): number {
    return this.parent === null ? 0 : this.parent.pid;
  }

  /** The main thread (undefined only for a reaped zombie). */
  get mainThread(): Thread {
    return this.threads[0];
  }
}
