/**
 * What procfs shows, as the process layer hands it over: the
 * {@link ProcInfoProvider} contract and the records it returns (one process,
 * its mappings, memory, CPUs, interrupt counts). The fs layer may not import
 * the process layer, so the kernel implements this interface.
 *
 * @module
 */

/** What /proc shows of one process. Times are in clock ticks ({@link ProcInfoProvider.ticksPerSecond}). */
export interface ProcessInfo {
  /** Process id (thread-group id). */
  pid: number;
  /** Parent process id (0 for init). */
  ppid: number;
  /** Process group. */
  pgid: number;
  /** Session. */
  sid: number;
  /** Command name (at most 15 characters are shown, as Linux's TASK_COMM_LEN). */
  comm: string;
  /** State letter: R, S, D, T, t, Z, X or I. */
  state: string;
  /** The syscall personality ("unix", "win32"; "" before the first exec). */
  personality?: string;
  /** Controlling terminal device number (0 = none). */
  ttyNr?: number;
  /** Foreground process group of the controlling terminal (-1 = none). */
  tpgid?: number;
  /** Kernel flags word. */
  flags?: number;
  /** Minor faults. */
  minflt?: number;
  /** Minor faults of waited-for children. */
  cminflt?: number;
  /** Major faults (pages read from swap or disk). */
  majflt?: number;
  /** Major faults of waited-for children. */
  cmajflt?: number;
  /** User-mode time. */
  utime?: number;
  /** Kernel-mode time. */
  stime?: number;
  /** Children's user time. */
  cutime?: number;
  /** Children's kernel time. */
  cstime?: number;
  /** Scheduling priority as Linux shows it (20 + nice for normal tasks). */
  priority?: number;
  /** Nice value. */
  nice?: number;
  /** Threads in the process (live ones). */
  numThreads?: number;
  /** Thread group id: the process's pid (differs from `pid` in a `/proc/PID/task/TID` entry). */
  tgid?: number;
  /** Tids of the process's live threads, in creation order. */
  tids?: number[];
  /** Process-directed signals pending for the whole process (ShdPnd). */
  sigShared?: bigint;
  /** Start time after boot, in ticks. */
  startTime?: number;
  /** Virtual memory size in bytes. */
  vsize?: number;
  /** Resident pages. */
  rss?: number;
  /** Real user id. */
  uid?: number;
  /** Real group id. */
  gid?: number;
  /** Pending signals (bit n-1 = signal n). */
  sigPending?: bigint;
  /** Blocked signals. */
  sigBlocked?: bigint;
  /** Ignored signals. */
  sigIgnored?: bigint;
  /** Caught signals. */
  sigCaught?: bigint;
  /** Exit status (zombies). */
  exitCode?: number;
  /** Arguments. */
  cmdline?: string[];
  /** Environment (`/proc/PID/environ`). */
  environ?: string[];
  /** Number of open descriptors slots (FDSize). */
  fdSize?: number;
  /** Page size in bytes used for rss (default 4096). */
  pageSize?: number;
  /** Working directory (the `cwd` link). */
  cwd?: string;
  /** Path of the running program (the `exe` link). */
  exe?: string;
  /** Open descriptors and the paths they were opened by (the `fd/N` links). */
  fds?: {
    fd: number;
    path: string;
    /** File offset (fdinfo `pos`). */
    pos?: number;
    /** Kernel-native open flags (`OpenFlags`). */
    flags?: number;
    /** Close-on-exec. */
    cloexec?: boolean;
    /** Inode number of the open file (fdinfo `ino`). */
    ino?: number;
  }[];
  /** Mapped regions, in address order (`/proc/PID/maps`). */
  maps?: MapInfo[];
  /** Scheduling class and accounting (`/proc/PID/sched`), times in ns. */
  sched?: SchedStatsInfo;
}

/** What `/proc/PID/sched` shows of a thread: class, parameters and accounting (ns). */
export interface SchedStatsInfo {
  /** Scheduling class (SCHED_*). */
  policy: number;
  /** Kernel priority as Linux shows it: 120 + nice, or 99 - rt priority, or -1 for deadline. */
  prio: number;
  /** Nice value. */
  nice: number;
  /** CPU time used (user + system). */
  execNs: number;
  /** Total time spent ready, waiting for the CPU. */
  waitSumNs: number;
  /** Times the thread was put on the CPU. */
  waitCount: number;
  /** Sum of response times (wake-up or creation to the next run). */
  responseSumNs: number;
  /** Response times summed. */
  responseCount: number;
  /** Longest response time. */
  responseMaxNs: number;
  /** Voluntary switches. */
  voluntary: number;
  /** Involuntary switches. */
  involuntary: number;
  /** SCHED_DEADLINE runtime, deadline and period (ns; 0 otherwise). */
  dlRuntime: number;
  /** Relative deadline. */
  dlDeadline: number;
  /** Period. */
  dlPeriod: number;
  /** Deadline jobs completed. */
  jobs: number;
  /** Jobs that finished after their deadline. */
  deadlineMisses: number;
}

/** One loaded module as `/proc/modules` lists it. */
export interface ModuleLine {
  /** Module name. */
  name: string;
  /** Size in bytes (of its source file). */
  size: number;
  /** References (users and dependants). */
  refs: number;
  /** Modules that depend on it. */
  usedBy: string[];
}

/** One mapped region of a process. */
export interface MapInfo {
  /** First address. */
  start: number;
  /** End address (exclusive). */
  end: number;
  /** Readable. */
  read: boolean;
  /** Writable. */
  write: boolean;
  /** Executable. */
  exec: boolean;
  /** Program path, `[heap]`, `[stack]`, or "" for an anonymous mapping. */
  name: string;
}

/** A hart for /proc/cpuinfo. */
export interface CpuInfo {
  /** Hart id. */
  hart: number;
  /** ISA string, e.g. `rv32ima_zicsr`. */
  isa: string;
  /** Translation mode, e.g. `sv32`. */
  mmu: string;
  /** mvendorid, marchid and mimpid. */
  mvendorid: number;
  /** Architecture id. */
  marchid: number;
  /** Implementation id. */
  mimpid: number;
}

/** Memory totals for /proc/meminfo, in bytes. */
export interface MemInfo {
  /** Usable RAM. */
  totalBytes: number;
  /** Free RAM. */
  freeBytes: number;
  /** Estimate available for new programs (default: free). */
  availableBytes?: number;
  /** Buffer cache. */
  buffersBytes?: number;
  /** Page cache. */
  cachedBytes?: number;
  /** Shared memory and tmpfs/ramfs file data. */
  shmemBytes?: number;
  /** Dirty buffer-cache bytes waiting to be written. */
  dirtyBytes?: number;
  /** Swap size. */
  swapTotalBytes?: number;
  /** Free swap. */
  swapFreeBytes?: number;
}

/** An interrupt line for /proc/interrupts. */
export interface InterruptInfo {
  /** Line number. */
  irq: number;
  /** Times taken. */
  count: number;
  /** Controller and device, e.g. `PLIC 10 uart`. */
  name: string;
}

/** The kernel-core side of /proc (implemented by the process layer). */
export interface ProcInfoProvider {
  /** Live process ids. */
  pids(): number[];
  /** Snapshot of a process, or null if it does not exist. */
  process(pid: number): ProcessInfo | null;
  /**
   * Snapshot of thread `tid` of process `pid` (`pid` is the tid, `tgid` the
   * process; per-thread state, times and signals), or null.
   */
  thread?(pid: number, tid: number): ProcessInfo | null;
  /** The pid of the process making the current system call (for /proc/self). */
  selfPid(): number;
  /** Memory totals. */
  memory(): MemInfo;
  /** Seconds since boot and seconds spent idle (simulated time). */
  uptime(): { seconds: number; idleSeconds: number };
  /** Interrupt counters. */
  interrupts(): InterruptInfo[];
  /** The text of /proc/version (without the newline). */
  version(): string;
  /** Clock ticks per second of the stat times (USER_HZ, 100 on Linux). */
  readonly ticksPerSecond?: number;
  /** The harts for /proc/cpuinfo (the file exists only with this). */
  cpus?(): CpuInfo[];
  /** System-wide task limits (`/proc/sys/kernel/pid_max` and `threads-max`), optional. */
  taskLimits?(): { pidMax: number; threadsMax: number };
  /** Loaded modules (`/proc/modules`). */
  modules?(): ModuleLine[];
  /** The text of `/proc/partitions` (the file exists only with this). */
  partitions?(): string;
  /** The text of `/proc/diskstats` (the file exists only with this). */
  diskstats?(): string;
}
