/**
 * The data behind /proc: the kernel's answers to procfs's questions
 * (`ProcInfoProvider` in `procfs.ts`), read from the process table, the
 * address spaces, the frame allocator, the interrupt service and the hart.
 * procfs formats; this file only gathers.
 *
 * @module
 */

import type { Cpu } from "../../hw/cpu.ts";
import type { SimClock } from "../../hw/clock.ts";
import { CSR, ISA_STRING } from "../../hw/csr.ts";
import type { InterruptCount } from "../io/interrupts.ts";
import { SIG_DFL, SIG_IGN } from "../ipc/signal_numbers.ts";
import { type AddressSpace, Prot } from "../mm/address_space.ts";
import { type FrameAllocator, PAGE_SIZE } from "../mm/frames.ts";
import { type Process, STATE_LETTERS, TaskState, type Thread } from "../proc/process.ts";
import { SCHED } from "../proc/sched_info.ts";
import { PID_MAX, type ProcessTable } from "../proc/process_table.ts";
import type { ProcessInfo, ProcInfoProvider } from "./procfs.ts";
import type { FdTable } from "./fd_table.ts";
import type { ModuleLine, SchedStatsInfo } from "./procfs_info.ts";

/** Clock ticks per second that /proc reports times in (Linux's USER_HZ). */
const HZ = 100;

/** What the provider reads. */
export interface ProcDataSources {
  /** Processes. */
  readonly table: ProcessTable;
  /** The machine's clock. */
  readonly clock: SimClock;
  /** The hart (for /proc/cpuinfo's ID registers). */
  readonly cpu: Cpu;
  /** Physical frames (free memory). */
  readonly frames: FrameAllocator;
  /** RAM size in bytes. */
  readonly ramSize: number;
  /** Descriptors per process. */
  readonly maxFds: number;
  /** Kernel release string. */
  readonly release: string;
  /** Cycles spent idle so far. */
  idleCycles(): number;
  /** Bytes of pipe buffers and the buffer cache (Buffers). */
  buffersBytes?(): number;
  /** Dirty buffer-cache bytes (Dirty). */
  dirtyBytes?(): number;
  /** `/proc/partitions` text. */
  partitions?(): string;
  /** `/proc/diskstats` text. */
  diskstats?(): string;
  /** Bytes of ramfs file data (Shmem). */
  shmemBytes?(): number;
  /** Interrupt counts. */
  interrupts(): InterruptCount[];
  /** User and system cycles of a process's own threads. */
  cycles(p: Process): { user: number; system: number };
  /** Loaded modules, if the kernel has a loader. */
  modules?(): ModuleLine[];
}

/**
 * Builds the /proc provider over `src`.
 *
 * @param src Where the data comes from.
 * @returns The provider that procfs reads.
 */
export function createProcProvider(src: ProcDataSources): ProcInfoProvider {
  return {
    pids: () => src.table.list().map((p) => p.pid),
    process: (pid) => processInfo(src, pid),
    thread: (pid, tid) => threadInfo(src, pid, tid),
    selfPid: () => src.table.current?.process.pid ?? 0,
    memory: () => ({
      totalBytes: src.ramSize,
      freeBytes: src.frames.free * PAGE_SIZE,
      buffersBytes: src.buffersBytes?.(),
      shmemBytes: src.shmemBytes?.(),
      dirtyBytes: src.dirtyBytes?.(),
    }),
    uptime: () => {
      const f = src.clock.frequency;
      return { seconds: src.clock.now / f, idleSeconds: src.idleCycles() / f };
    },
    interrupts: () => src.interrupts(),
    version: () => `Strata version ${src.release} (deno) #1`,
    ticksPerSecond: HZ,
    taskLimits: () => ({ pidMax: PID_MAX + 1, threadsMax: src.table.threadsMax }),
    modules: src.modules,
    partitions: src.partitions,
    diskstats: src.diskstats,
    cpus: () => [{
      hart: 0,
      isa: ISA_STRING,
      mmu: "sv32",
      mvendorid: src.cpu.readCsr(CSR.mvendorid),
      marchid: src.cpu.readCsr(CSR.marchid),
      mimpid: src.cpu.readCsr(CSR.mimpid),
    }],
  };
}

/** Signal-disposition bit sets of a process: ignored and caught. */
function dispositions(p: Process): { ignored: bigint; caught: bigint } {
  let caught = 0n, ignored = 0n;
  for (let s = 1; s <= 64; s++) {
    const h = p.sigActions[s].handler;
    if (h === SIG_IGN) ignored |= 1n << BigInt(s - 1);
    else if (h !== SIG_DFL) caught |= 1n << BigInt(s - 1);
  }
  return { ignored, caught };
}

function pair(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** The open descriptors of `p` with the paths they were opened by, and offsets and flags. */
function openFiles(p: Process): NonNullable<ProcessInfo["fds"]> {
  const table = p.files as FdTable | null;
  if (table === null) return [];
  return table.list().map((fd) => {
    const f = table.get(fd)!;
    const cloexec = table.getCloexec(fd) === 1;
    return { fd, path: f.path, pos: f.offset, flags: f.flags, cloexec, ino: f.inode?.ino ?? 0 };
  });
}

/** The priority field of /proc/PID/stat: 20 + nice, or -1 - rt priority for FIFO/RR. */
function statPriority(t: Thread): number {
  const s = t.sched;
  if (s.policy === SCHED.FIFO || s.policy === SCHED.RR) return -1 - s.rtPriority;
  return s.policy === SCHED.DEADLINE ? -101 : 20 + t.priority;
}

function schedInfo(src: ProcDataSources, t: Thread): SchedStatsInfo {
  const s = t.sched;
  const ns = (c: number) => Math.floor(c * 1e9 / src.clock.frequency);
  const rt = s.policy === SCHED.FIFO || s.policy === SCHED.RR;
  return {
    policy: s.policy,
    prio: s.policy === SCHED.DEADLINE ? -1 : rt ? 99 - s.rtPriority : 120 + t.priority,
    nice: t.priority,
    execNs: ns(t.userCycles + t.systemCycles),
    waitSumNs: ns(s.waitCycles),
    waitCount: s.dispatches,
    responseSumNs: ns(s.responseCycles),
    responseCount: s.responses,
    responseMaxNs: ns(s.maxResponse),
    voluntary: t.voluntarySwitches,
    involuntary: t.involuntarySwitches,
    dlRuntime: s.dlRuntime,
    dlDeadline: s.dlDeadline,
    dlPeriod: s.dlPeriod,
    jobs: s.jobs,
    deadlineMisses: s.deadlineMisses,
  };
}

function processInfo(src: ProcDataSources, pid: number): ProcessInfo | null {
  const p = src.table.get(pid);
  if (p === undefined) return null;
  const t = p.threads[0];
  const toTicks = (c: number) => Math.floor(c * HZ / src.clock.frequency);
  const { ignored, caught } = dispositions(p);
  const sp = p.space as AddressSpace | null;
  const state = p.state === TaskState.ZOMBIE
    ? "Z"
    : p.state === TaskState.STOPPED
    ? "T"
    : STATE_LETTERS[t?.state ?? 0];
  const cyc = src.cycles(p);
  return {
    pid: p.pid,
    ppid: p.ppid,
    pgid: p.pgid,
    sid: p.sid,
    comm: p.comm,
    state,
    personality: p.personalityName,
    minflt: p.pageFaults,
    utime: t === undefined ? 0 : toTicks(cyc.user),
    stime: t === undefined ? 0 : toTicks(cyc.system),
    cutime: toTicks(p.childUserCycles),
    cstime: toTicks(p.childSystemCycles),
    priority: t === undefined ? 20 : statPriority(t),
    nice: t?.priority ?? 0,
    numThreads: p.liveThreads,
    tgid: p.pid,
    tids: p.threads.filter((th) => th.state !== TaskState.ZOMBIE).map((th) => th.tid),
    sigShared: pair(p.sigSharedHi, p.sigSharedLo),
    startTime: toTicks(p.startCycle),
    vsize: sp?.vsize ?? 0,
    rss: sp?.resident ?? 0,
    uid: p.uid,
    gid: p.gid,
    sigPending: t === undefined ? 0n : pair(t.sigPendingHi, t.sigPendingLo),
    sigBlocked: t === undefined ? 0n : pair(t.sigBlockedHi, t.sigBlockedLo),
    sigIgnored: ignored,
    sigCaught: caught,
    exitCode: p.exitCode,
    cmdline: p.argv,
    cwd: p.cwd,
    exe: p.exe === "" ? undefined : p.exe,
    fds: openFiles(p),
    environ: p.envp,
    fdSize: src.maxFds,
    sched: t === undefined ? undefined : schedInfo(src, t),
    maps: sp === null ? [] : sp.regions.map((r) => ({
      start: r.start,
      end: r.end,
      read: (r.prot & Prot.READ) !== 0,
      write: (r.prot & Prot.WRITE) !== 0,
      exec: (r.prot & Prot.EXEC) !== 0,
      name: r.name,
    })),
  };
}

/** A thread's view: the process's data with the thread's id, state, times and signals. */
function threadInfo(src: ProcDataSources, pid: number, tid: number): ProcessInfo | null {
  const info = processInfo(src, pid);
  const p = src.table.get(pid);
  const t = src.table.thread(tid);
  if (info === null || p === undefined || t === undefined || t.process !== p) return null;
  if (t.state === TaskState.ZOMBIE && p.state !== TaskState.ZOMBIE) return null;
  const toTicks = (c: number) => Math.floor(c * HZ / src.clock.frequency);
  info.pid = tid;
  info.state = p.state === TaskState.ZOMBIE ? "Z" : STATE_LETTERS[t.state];
  info.utime = toTicks(t.userCycles);
  info.stime = toTicks(t.systemCycles);
  info.startTime = toTicks(t === p.threads[0] ? p.startCycle : t.startCycle);
  info.sigPending = pair(t.sigPendingHi, t.sigPendingLo);
  info.sigBlocked = pair(t.sigBlockedHi, t.sigBlockedLo);
  info.priority = statPriority(t);
  info.nice = t.priority;
  info.sched = schedInfo(src, t);
  return info;
}
