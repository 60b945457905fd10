/**
 * The native kernel interface: everything a plugin (personality, driver,
 * scheduler, file system) may use. Plugins import this file only (plus `lib/`
 * and `hw/` register constants), never the kernel's layers. It holds
 * `KernelApi` and re-exports the personality contract
 * (`api_personality.ts`) and the module contract (`api_modules.ts`).
 *
 * ## The system-call contract
 *
 * A personality provides `syscalls`, an array indexed by call number. The
 * kernel's trap loop, on an `ecall` from U-mode, saves the registers into
 * `t.regs` (x0..x31), sets `t.pc` past the `ecall`, and calls
 * `personality.syscalls[t.regs[17]](t, api)`. Arguments are `t.regs[10..15]`
 * (a0-a5). The handler returns:
 *
 * - a value for a0 (anything in the int32 or uint32 range outside
 *   `[-4095, -1]`), written to a0 as is;
 * - a negative kernel status `K.*` (in `[-4095, -1]`): the kernel writes
 *   `personality.mapStatus(status)` to a0 (e.g. `-errno`);
 * - {@link BLOCK}, after parking the thread with {@link KernelApi.block} (or a
 *   helper that does, such as `sleep` or `wait`): the pc goes back onto the
 *   `ecall` and the call is restarted from the beginning when the thread is
 *   woken, unless the handler gave `block` a finish (`ParkedCall`) that the
 *   waker runs to complete the call there. If a signal wakes it instead, the call returns `K.INTR` (mapped to
 *   EINTR) unless the handler has SA_RESTART, in which case it restarts after
 *   the handler;
 * - {@link NO_RESULT} when the handler has set the registers and pc itself
 *   (exec, sigreturn, exit): the kernel touches neither a0 nor the pc.
 *
 * A handler must not consume anything before deciding to block, and any
 * state it needs across a restart goes in `t.restartState` (reset to -1 when
 * a call completes). A missing handler answers `K.NOSYS`. A host exception
 * thrown by a handler is caught: the process is killed with SIGSYS and the
 * machine goes on.
 *
 * @module
 */

import type { KStatus } from "./errors.ts";
import type { ParkedCall, Process, SigAction, Thread } from "./proc/process.ts";
import type { SchedulerPolicy } from "./proc/scheduler.ts";
import type { WaitQueue } from "./ipc/wait_queue.ts";

import type { GuestMemory, GuestSpan, OpenFile } from "./fs/types.ts";
import type { PathLoc, Vfs } from "./fs/vfs.ts";

export { K, KernelError, statusName } from "./errors.ts";
/** RISC-V exception cause codes (`scause`), for a personality's `onFault`. */
export { CAUSE } from "../hw/csr.ts";
export type { KStatus } from "./errors.ts";
export { NO_MEMORY, Process, STATE_LETTERS, TaskState, Thread } from "./proc/process.ts";
export type {
  ParkedCall,
  ParkingPlace,
  ProcFiles,
  ProcSpace,
  SigAction,
  ThreadWaker,
} from "./proc/process.ts";
export { EnqueueReason } from "./proc/scheduler.ts";
export type { SchedulerPolicy } from "./proc/scheduler.ts";
/** The kernel's FIFO ready queue, a base for scheduler plugins. */
export { FifoPolicy } from "./proc/fifo_policy.ts";
export { niceToWeight, SCHED, SCHED_FLAG_RESET_ON_FORK, SchedInfo } from "./proc/sched_info.ts";
export { admitDeadline } from "./proc/sched_admission.ts";
export { NR_OPEN, RLIM_NLIMITS, RLIMIT, Rlimits } from "./proc/rlimits.ts";
export { WaitQueue } from "./ipc/wait_queue.ts";
export { CLD, SEGV, SI, sigIsMember } from "./ipc/signals.ts";
export type { SignalInfo } from "./ipc/signals.ts";
export type { Waiter } from "./ipc/wait_queue.ts";
export {
  DefaultAction,
  defaultAction,
  isValidSignal,
  SA,
  SIG,
  SIG_DFL,
  SIG_IGN,
  SIGNAL_NAMES,
} from "./ipc/signal_numbers.ts";
export * from "./fs/types.ts";
export { Tty, TtyIoctl, VCC } from "./io/mod.ts";
export type { Termios, TtyOptions, TtyPort, TtyStats, WinSize } from "./io/mod.ts";
export type { CharDevice, CharDeviceRegistry } from "./io/char_device.ts";
export type { FsUsageReport, Mount, OpenResult, PathFrame, PathLoc, Vfs } from "./fs/vfs.ts";
export { makeStat, opsOf, ROOT_CRED, uniformTimes } from "./fs/node.ts";
export type { AttrChange, Cred, FileSystem, FileTimes, FsInode, FsUsage } from "./fs/node.ts";
/** Anonymous pipes (pipe2): a read end and a write end, one reference each. */
export { createPipe, peekPipe } from "./fs/pipefs.ts";
export type { ByteAccount, PipeOptions, PipePeek } from "./fs/pipefs.ts";
import type { ByteAccount } from "./fs/pipefs.ts";
export type { Elf32Image, ElfProgramHeader } from "../lib/elf.ts";
export type { DmaBuffer } from "./mm/dma_buffers.ts";
export { BlockClass, SECTOR_SIZE } from "./block/types.ts";
export type { BlockDevice, BlockDriver, BlockOp, BlockRequest } from "./block/types.ts";
import type { BlockDevice } from "./block/types.ts";

/** Version of this interface; a module whose `apiVersion` differs is refused. */
export const API_VERSION = 1;

export { BLOCK, NO_RESULT } from "./proc/call_result.ts";

export * from "./api_personality.ts";
export * from "./api_modules.ts";
import type { Personality, WaitRecord } from "./api_personality.ts";
import type { ModuleManager } from "./api_modules.ts";
import type { GuestModuleCalls } from "./modules/module_calls.ts";
export type { GuestModuleCalls } from "./modules/module_calls.ts";

/** uname-style system identification. */
export interface SystemInfo {
  /** Operating system name ("Strata"). */
  sysname: string;
  /** Host name of the machine. */
  nodename: string;
  /** Kernel release. */
  release: string;
  /** Kernel version text. */
  version: string;
  /** Machine ("riscv32"). */
  machine: string;
  /** RAM size in bytes. */
  totalRam: number;
  /** Free RAM in bytes. */
  freeRam: number;
  /** Number of processes. */
  processes: number;
  /** Seconds since boot (simulated). */
  uptimeSeconds: number;
}

/** Counters of the kernel (all deterministic). */
export interface KernelStats {
  /** Simulated cycles since boot. */
  cycles: number;
  /** Instructions retired by the CPU. */
  instret: number;
  /** System calls handled. */
  syscalls: number;
  /** Context switches (the CPU changed threads). */
  contextSwitches: number;
  /** Of those, switches between threads of one process (no address-space change). */
  threadSwitches: number;
  /** Preemptions by the quantum timer. */
  preemptions: number;
  /** Page faults handled (all kinds). */
  pageFaults: number;
  /** Demand-zero pages allocated. */
  zeroFills: number;
  /** Copy-on-write page copies. */
  cowCopies: number;
  /** Interrupts handled. */
  interrupts: number;
  /** Signals delivered to handlers. */
  signalsDelivered: number;
  /** Cycles spent idle (nothing runnable). */
  idleCycles: number;
  /** Free physical frames. */
  freeFrames: number;
  /** Total physical frames. */
  totalFrames: number;
}

/** Boot-time configuration visible to plugins. */
export interface KernelConfig {
  /** Default scheduling quantum in cycles. */
  readonly quantumCycles: number;
  /** CPU frequency in Hz. */
  readonly frequency: number;
  /** RAM size in bytes. */
  readonly ramSize: number;
  /** Seed of the guest's randomness (32 bits; the same seed, the same bytes). */
  readonly randomSeed: number;
}

/**
 * The kernel interface. Guest-memory operations check every address and
 * answer `K.FAULT` / null / false for a bad pointer, never throwing.
 */
export interface KernelApi {
  /** {@link API_VERSION}. */
  readonly version: number;
  /** Boot configuration. */
  readonly config: KernelConfig;

  // ---- threads and processes ----

  /** The thread on the CPU (or in its system call), null when idle. */
  readonly current: Thread | null;
  /** The process of that pid (zombies included), or null. */
  getProcess(pid: number): Process | null;
  /**
   * Sets resource `resource` of `target` to `soft`/`hard` (Infinity =
   * unlimited) on behalf of `caller`: K.INVAL for an unknown resource or
   * soft above hard, K.PERM when a caller other than root raises a hard
   * limit (or NOFILE passes {@link NR_OPEN}). Applies it at once (NOFILE
   * resizes the descriptor table).
   */
  setRlimit(
    caller: Process,
    target: Process,
    resource: number,
    soft: number,
    hard: number,
  ): KStatus;
  /** Every process, in pid order. */
  processes(): Process[];
  /** The personality a process runs under, or null before its first exec. */
  personalityOf(p: Process): Personality | null;
  /**
   * Forks the process of `t` with copy-on-write memory, duplicated
   * descriptors, the same signal actions and mask; the child's thread gets a
   * copy of `t.regs`/`t.pc` with a0 = 0 and is made runnable. Returns the
   * child or a negative status.
   */
  fork(t: Thread): Process | KStatus;
  /**
   * Replaces the program of `t.process` with the file at `path` (resolved
   * from the process's cwd): finds the personality by binary format, loads the
   * image, closes CLOEXEC descriptors, resets caught signals to SIG_DFL and
   * calls the personality's `setupProcess`. Returns {@link NO_RESULT} on
   * success, else a status (the old program is intact).
   */
  exec(t: Thread, path: string, argv: string[], envp: string[]): number;
  /**
   * Creates a child of `t.process` running the program at `path` directly,
   * without fork (NT's CreateProcess, posix_spawn): the child inherits the
   * cwd, the signal mask and the descriptors that are not close-on-exec, and
   * is made runnable. Returns the child, or a status when the program cannot
   * be started (nothing is left behind).
   */
  spawn(t: Thread, path: string, argv: string[], envp: string[]): Process | KStatus;
  /** Terminates the process of `t` (every thread) with exit code `code & 255`; returns {@link NO_RESULT}. */
  exit(t: Thread, code: number): number;
  /**
   * Creates a thread in the process of `t` (shared address space,
   * descriptors and signal actions): it starts at `pc` with registers
   * `regs` (x0..x31), the signal mask and priority of `t`, and is made
   * runnable. Personality-neutral: the Unix personality builds clone's
   * thread on it, a Win32 personality CreateThread. Returns the thread,
   * K.AGAIN when no tid is free, K.INVAL for a process without memory.
   */
  createThread(t: Thread, pc: number, regs: Int32Array): Thread | KStatus;
  /**
   * Ends thread `t` alone; when it is the last live thread of its process
   * the process ends with `code & 255`, as {@link KernelApi.exit}. Returns
   * {@link NO_RESULT}.
   */
  exitThread(t: Thread, code: number): number;
  /** The thread with that tid, or null (exited non-leader threads are gone). */
  getThread(tid: number): Thread | null;
  /**
   * Futex wait: if the u32 at `addr` in the space of `t` equals `expected`,
   * parks `t` until a {@link KernelApi.futexWake} on the same key whose
   * bitset meets `bitset`, or until monotonic `deadlineNs` (-1: none).
   * Returns BLOCK (parked; the restarted call answers again), 0 once woken,
   * K.AGAIN on a value mismatch, K.TIMEDOUT, K.FAULT or K.INVAL (unaligned,
   * bitset 0).
   */
  futexWait(t: Thread, addr: number, expected: number, bitset: number, deadlineNs: number): number;
  /** Wakes up to `n` waiters on the futex at `addr` whose bitset meets `bitset`; the number woken or a status. */
  futexWake(t: Thread, addr: number, n: number, bitset: number): number;
  /**
   * Wakes up to `n` waiters on `addr` and moves up to `n2` more to `addr2`;
   * with `expected` >= 0 the u32 at `addr` must equal it (else K.AGAIN).
   * Returns the number woken plus moved, or a status.
   */
  futexRequeue(
    t: Thread,
    addr: number,
    n: number,
    addr2: number,
    n2: number,
    expected: number,
  ): number;
  /**
   * Waits for a child of `t.process`: `pid` > 0 that child, -1 any, 0 any in
   * the caller's group, < -1 any in group -pid. `options` are {@link WAIT}
   * flags; when none of EXITED, STOPPED and CONTINUED is given, EXITED is
   * assumed (waitpid without WUNTRACED). Returns the record, 0 with
   * WNOHANG when nothing is ready, `K.CHILD`, or {@link BLOCK} (parked).
   */
  wait(t: Thread, pid: number, options: number): WaitRecord | number;
  /**
   * Sends `sig` (0 = existence check) to `pid` > 0, to the caller's group (0),
   * to every process but pid 1 and the caller (-1), or to group -pid. No
   * permission checks. K status.
   */
  kill(sender: Process | null, pid: number, sig: number): KStatus;
  /** Sends `sig` to thread `tid` of process `tgid` (-1 = any process). K status. */
  tgkill(sender: Process | null, tgid: number, tid: number, sig: number): KStatus;
  /** Sends `sig` to every process in group `pgid` (used by the tty). K status. */
  killGroup(pgid: number, sig: number): KStatus;
  /**
   * Sends a synchronous fault signal to thread `t` (from a personality's
   * `onFault`): an ignored or blocked signal is reset to its default action
   * and unblocked first, so the fault cannot recur forever.
   */
  forceSignal(t: Thread, sig: number, code: number, address: number): void;
  /**
   * Takes a reference to a process, as an NT process handle does: the object
   * and its exit status stay valid after it exits and after it is reaped, and
   * its pid is not reused until {@link KernelApi.releaseProcess}.
   */
  retainProcess(p: Process): void;
  /** Drops a reference taken with {@link KernelApi.retainProcess}. */
  releaseProcess(p: Process): void;
  /** The queue woken when `p` exits (to wait on a process handle); null once it has exited. */
  processExitQueue(p: Process): WaitQueue | null;
  /** setpgid(pid, pgid) with POSIX checks (0 = caller / own pid). K status. */
  setpgid(caller: Process, pid: number, pgid: number): KStatus;
  /** getpgid(pid) (0 = caller); pgid or status. */
  getpgid(caller: Process, pid: number): number;
  /** setsid(): new session and group led by the caller; the sid or K.PERM. */
  setsid(caller: Process): number;
  /** getsid(pid) (0 = caller); sid or status. */
  getsid(caller: Process, pid: number): number;

  // ---- blocking and time ----

  /**
   * Parks `t` on `queue` and returns {@link BLOCK}; the call restarts when
   * the queue is woken, unless `finish` (see `ParkedCall`) completes it
   * there first. A traced call (strace, the trace recorder) always restarts.
   */
  block(t: Thread, queue: WaitQueue, finish?: ParkedCall | null): number;
  /**
   * Parks `t` on several queues at once (poll-like); woken by the first. Returns {@link BLOCK}.
   * An optional absolute deadline (simulated ns) also wakes it.
   */
  blockMany(t: Thread, queues: WaitQueue[], deadlineNs?: number): number;
  /**
   * Sleeps until simulated monotonic time `deadlineNs`. Returns 0 once it has
   * passed, else parks and returns {@link BLOCK} (the restarted call returns 0).
   * Keep the deadline in `t.restartState` between restarts.
   */
  sleepUntil(t: Thread, deadlineNs: number): number;
  /** Gives up the CPU (the thread stays runnable); returns 0. */
  yield(t: Thread): number;
  /** Simulated monotonic time in ns since boot. */
  nowNs(): number;
  /** Wall-clock time in ns since the Unix epoch (RTC start + simulated time). */
  realtimeNs(): bigint;
  /** Simulated cycles since boot. */
  cycles(): number;
  /**
   * CPU cycles `t` has used (user + system), including the user time of the
   * run in progress when `t` is on the CPU (CLOCK_THREAD_CPUTIME_ID).
   */
  cpuCycles(t: Thread): number;

  // ---- memory of a process ----

  /** brk: sets the break to `addr` if possible (0 queries); returns the (new or current) break. */
  brk(p: Process, addr: number): number;
  /**
   * Maps anonymous private memory (demand-zero). `addr` is a hint unless
   * `fixed` (then it must be page aligned and replaces existing mappings).
   * `name` labels it in /proc/PID/maps (e.g. `[vdso]`; default: unnamed).
   * Returns the address (unsigned) or a negative status.
   */
  mmap(
    p: Process,
    addr: number,
    length: number,
    prot: number,
    fixed: boolean,
    name?: string,
  ): number;
  /** Unmaps `[addr, addr+length)`. K status. */
  munmap(p: Process, addr: number, length: number): KStatus;
  /** Changes protection of `[addr, addr+length)` (must be mapped). K status. */
  mprotect(p: Process, addr: number, length: number, prot: number): KStatus;
  /** Copies `length` guest bytes at `addr` into a new array; null on a bad address. */
  copyIn(p: Process, addr: number, length: number): Uint8Array | null;
  /** Copies `dst.length` guest bytes at `addr` into `dst` (no allocation); false on a bad address. */
  copyInto(p: Process, addr: number, dst: Uint8Array): boolean;
  /** Copies `data` to guest `addr` (breaking COW, filling demand-zero pages); false on a bad address. */
  copyOut(p: Process, addr: number, data: Uint8Array): boolean;
  /**
   * True if `[addr, addr+length)` is readable (or writable with `write`),
   * faulting pages in as an access would; no data moves. Use it before
   * consuming input (a pipe read into a bad buffer must leave the data).
   */
  checkAccess(p: Process, addr: number, length: number, write: boolean): boolean;
  /**
   * Checks `[addr, addr+length)` of `p` as {@link checkAccess} does and
   * resolves it for a direct copy by a file operation (`FileOps.readSpan`,
   * `writeSpan`): null on a bad address or past `GUEST_SPAN_MAX` bytes. The
   * span is reused: valid until the next span of the same process.
   */
  userSpan(p: Process, addr: number, length: number, write: boolean): GuestSpan | null;
  /** Reads a NUL-terminated UTF-8 string of at most `max` bytes; K.FAULT or K.NAMETOOLONG. */
  readString(p: Process, addr: number, max?: number): string | KStatus;
  /** Reads a NULL-terminated array of string pointers (argv style); K.FAULT or K.TOOBIG. */
  readStringArray(
    p: Process,
    addr: number,
    maxCount?: number,
    maxBytes?: number,
  ): string[] | KStatus;
  /** Reads a u32 at `addr` (unsigned, >= 0) or returns K.FAULT. */
  readU32(p: Process, addr: number): number;
  /** Writes a u32 at `addr`; false on a bad address. */
  writeU32(p: Process, addr: number, value: number): boolean;
  /** The process's guest-memory accessor (also its `memory` field), for file operations. */
  memoryOf(p: Process): GuestMemory;

  // ---- signals ----

  /** The live action of `sig` in `p` (do not modify; use setSigAction). */
  sigAction(p: Process, sig: number): SigAction;
  /** Sets the action of `sig`; K.INVAL for SIGKILL/SIGSTOP or a bad number. */
  setSigAction(p: Process, sig: number, action: SigAction): KStatus;
  /** Sets `t`'s blocked mask (SIGKILL and SIGSTOP are silently kept unblocked). */
  setSignalMask(t: Thread, lo: number, hi: number): void;
  /**
   * sigsuspend: installs a temporary mask and parks until a signal is
   * delivered; the old mask is restored by the delivery (saved in the frame).
   * Returns {@link BLOCK}; after the signal, the call returns K.INTR.
   */
  sigSuspend(t: Thread, lo: number, hi: number): number;
  /** Ends a sigreturn: installs the mask from the frame and returns {@link NO_RESULT}. */
  finishSigreturn(t: Thread, lo: number, hi: number): number;

  // ---- files ----

  /** The virtual file system. */
  readonly vfs: Vfs;
  /** The current directory of `p`. */
  cwd(p: Process): PathLoc;
  /** Changes the current directory of `p` to `path`. K status. */
  chdir(p: Process, path: string): KStatus;
  /** Sets the current directory to an already resolved location (fchdir). */
  setCwd(p: Process, loc: PathLoc): void;
  /** The description behind `fd`, or null. */
  fdGet(p: Process, fd: number): OpenFile | null;
  /** Installs `file` (taking over one reference) at the lowest free fd >= minFd; fd or K.MFILE. */
  fdInstall(p: Process, file: OpenFile, cloexec: boolean, minFd?: number): number;
  /** Closes `fd`. K status. */
  fdClose(p: Process, fd: number): KStatus;
  /** dup / F_DUPFD: a new fd >= minFd for the same description. fd or status. */
  fdDup(p: Process, fd: number, minFd: number, cloexec: boolean): number;
  /** dup3: makes `newFd` refer to `oldFd`'s description (closing newFd first). newFd or status. */
  fdDup3(p: Process, oldFd: number, newFd: number, cloexec: boolean): number;
  /** The close-on-exec flag of `fd` (1/0) or K.BADF. */
  fdGetCloexec(p: Process, fd: number): number;
  /** Sets the close-on-exec flag. K status. */
  fdSetCloexec(p: Process, fd: number, on: boolean): KStatus;
  /** Open descriptors of `p`, ascending. */
  fdList(p: Process): number[];
  /** Maximum number of descriptors per process. */
  readonly maxFds: number;
  /**
   * Kernel memory for pipe buffers (pass it to {@link createPipe} as
   * `account`): bytes held (`/proc/meminfo` Buffers) and the limit, a quarter
   * of RAM.
   */
  readonly pipeMemory: ByteAccount;

  /** Closes the descriptors of `p` marked close-on-exec (a personality's `onExec`). */
  fdCloseOnExec(p: Process): void;

  // ---- file systems ----

  /**
   * Mounts a file system of a registered `type` (see
   * {@link ModuleContext.registerFileSystem}) from `source` on the directory
   * `target`. The module that registered the type gains a reference while
   * it is mounted. K status (K.NODEV for an unknown type, K.BUSY if
   * something is mounted there).
   */
  mount(source: string, target: string, type: string, readOnly: boolean, data: string): KStatus;
  /** Unmounts the file system on `target`; K.BUSY while files on it are open. */
  umount(target: string): KStatus;
  /**
   * Parks the calling thread on `queue` until it is woken and returns
   * `K.RESTART`, which the caller passes up unchanged: the system call ends
   * with {@link BLOCK} and runs again from the beginning when the queue is
   * woken. This is how a file system waits for a block device: gather every
   * buffer first (each missing one starts a read and answers this), and
   * change nothing until all are present, so that a restart redoes nothing
   * twice (`docs/kernel.md`, "Blocking in file systems").
   */
  waitForIo(queue: WaitQueue): KStatus;

  // ---- block devices ----

  /**
   * Opens the block device node at `source` (`/dev/hda1`) for a file system
   * (for writing unless `write` is false): its blocks are read and written
   * through the buffer cache. K.NOENT, K.NOTBLK (not a block device node),
   * K.NXIO (no such disk or partition), K.ROFS (a read-only disk opened for
   * writing), K.BUSY (a second writer).
   */
  openBlockDevice(source: string, write: boolean): BlockDevice | KStatus;
  /**
   * One step of sync(2): writes every disk's dirty blocks (data before
   * metadata) and flushes each drive. K.OK when all is on the media;
   * K.RESTART (through {@link KernelApi.waitForIo}) while it waits: pass it up.
   */
  syncDisks(): KStatus;

  // ---- plugins ----

  /** The module loader. */
  readonly modules: ModuleManager;
  /** Module management on behalf of a guest thread (uid 0, trusted names only). */
  readonly moduleCalls: GuestModuleCalls;
  /** A registered personality by name. */
  getPersonality(name: string): Personality | null;
  /** The active scheduling policy. */
  readonly scheduler: SchedulerPolicy;

  // ---- system ----

  /** Halts the machine with `status` after the current call (reboot(POWER_OFF)). */
  poweroff(status: number): void;
  /** uname-style information and memory totals. */
  systemInfo(): SystemInfo;
  /** Deterministic counters. */
  stats(): KernelStats;
  /** Writes a line to the kernel log (trace / console in debug mode). */
  log(message: string): void;
  /**
   * The kernel ring buffer: the most recent log lines (`[seconds] message`,
   * oldest first; at most 10,000 are kept), for `dmesg`.
   */
  readonly logLines: readonly string[];
  /** Empties the kernel ring buffer. */
  clearLog(): void;
}
