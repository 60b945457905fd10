/**
 * The kernel: assembles the services over one machine and implements
 * {@link KernelApi} for plugins as a thin facade over them.
 *
 * Services, by layer (`docs/kernel.md` has the diagram):
 * - proc: process table, trap loop, {@link Timekeeping}, process groups;
 * - mm: frames, address spaces (memory calls go to the process's space);
 * - ipc: the signal engine and {@link SignalService};
 * - io: {@link InterruptService} (the PLIC), the RTC, character devices;
 * - fs: the VFS, descriptor tables, the /proc provider;
 * - exec: {@link ExecService} (program loading), {@link ProcessLifecycle};
 * - modules: the loader and the owner-tagged {@link Registrations};
 * - here: {@link TrapHandlers} (what traps become), given to the trap loop
 *   only, and this facade, given to plugins.
 *
 * @module
 */

import { CSR, MENVCFGH } from "../hw/csr.ts";
import { MIP } from "../hw/irq.ts";
import type { Machine } from "../hw/machine.ts";
import { MEMORY_MAP } from "../hw/memory_map.ts";
import {
  API_VERSION,
  type KernelApi,
  type KernelConfig,
  type KernelStats,
  type Personality,
  type SystemInfo,
  type WaitRecord,
} from "./api.ts";
import { K, type KStatus } from "./errors.ts";
import { ExecService } from "./exec/exec_service.ts";
import { ProcessLifecycle, systemCycles, userCycles } from "./exec/lifecycle.ts";
import { DEFAULT_MAX_FDS, type FdTable } from "./fs/fd_table.ts";
import type { ProcInfoProvider } from "./fs/procfs.ts";
import { createProcProvider } from "./fs/proc_provider.ts";
import { RamFs } from "./fs/ramfs.ts";
import type { FileOps, OpenFile } from "./fs/types.ts";
import { type PathLoc, Vfs } from "./fs/vfs.ts";
import { CharDeviceRegistry } from "./io/char_device.ts";
import { InterruptService } from "./io/interrupts.ts";
import { readRtcNs } from "./io/rtc.ts";
import { SignalEngine, type SignalInfo } from "./ipc/signals.ts";
import { SignalService } from "./ipc/signal_service.ts";
import { WaitQueue } from "./ipc/wait_queue.ts";
import type { AddressSpace, MmContext, MmStats } from "./mm/address_space.ts";
import { AsidAllocator } from "./mm/asid.ts";
import { FrameAllocator, PAGE_SIZE } from "./mm/frames.ts";
import { ModuleLoader } from "./modules/loader.ts";
import { BLOCK } from "./proc/call_result.ts";
import { DEFAULT_KERNEL_COSTS, type KernelCosts } from "./proc/costs.ts";
import { FifoPolicy } from "./proc/fifo_policy.ts";
import { getpgid, getsid, setpgid, setsid } from "./proc/groups.ts";
import type { ParkingPlace, Process, SigAction, Thread } from "./proc/process.ts";
import { ProcessTable } from "./proc/process_table.ts";
import { EnqueueReason, type SchedulerPolicy } from "./proc/scheduler.ts";
import { Timekeeping } from "./proc/timekeeping.ts";
import type { TraceRecorder } from "./proc/trace.ts";
import { type CpuPort, TrapLoop } from "./proc/trap_loop.ts";
import { TaskState } from "./proc/process.ts";
import { Registrations } from "./registrations.ts";
import { TrapHandlers } from "./trap_handlers.ts";
import { GuestMemoryCalls } from "./mm/memory_calls.ts";

/** Kernel release string. */
export const KERNEL_RELEASE = "0.1.0-strata";

/** Options of {@link Kernel}. */
export interface KernelOptions {
  /** The machine to run on (its CPU is switched to host-supervisor mode). */
  machine: Machine;
  /** Scheduling quantum in cycles (default 10 ms of simulated time). */
  quantumCycles?: number;
  /** Overrides of the kernel cost table. */
  costs?: Partial<KernelCosts>;
  /** Receives kernel log lines (default: kept in {@link Kernel.logLines} only). */
  log?: (line: string) => void;
  /** Receives one line per system call when set (strace-like). */
  trace?: (line: string) => void;
  /** Lets host I/O run every few ms of host time (needed with a terminal console). */
  hostYield?: () => Promise<void>;
  /**
   * Pace idle time to host time (interactive runs: `sleep 5` then takes five
   * seconds). Off by default, so that runs are as fast as the host allows.
   */
  realtimeIdle?: boolean;
  /** Host name reported by uname. */
  nodename?: string;
  /** Instructions per cpu.run call. */
  budget?: number;
  /** Records a Chrome trace (run slices, system calls, interrupts, faults) when set. */
  traceRecorder?: TraceRecorder;
  /**
   * Builds the file system tree (root, /dev over `charDevices`, /proc over
   * `proc`). Default: an empty ramfs root.
   */
  buildFs?: (deps: FsDeps) => Vfs;
}

/** What {@link KernelOptions.buildFs} gets to build the tree with. */
export interface FsDeps {
  /** The character device registry (for devfs and the VFS). */
  charDevices: CharDeviceRegistry;
  /** The /proc provider. */
  proc: ProcInfoProvider;
  /** Time source for file times (ns since the epoch). */
  now: () => bigint;
}

/** How a run ended. */
export interface KernelExit {
  /** Exit status: pid 1's exit code, 128 + signal if it was killed, poweroff's status. */
  status: number;
  /** Why: "init-exit", "poweroff", "deadlock" or "error". */
  reason: string;
  /** Human-readable details (the deadlock report). */
  detail: string;
}

/** Raised when the kernel is misconfigured by its host (not by a guest). */
export class KernelConfigError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "KernelConfigError";
  }
}

/** A place for a thread waiting on several queues at once (poll/select). */
class MultiPark implements ParkingPlace {
  readonly name: string;
  readonly queues: WaitQueue[];
  constructor(queues: WaitQueue[]) {
    this.queues = queues;
    this.name = queues.map((q) => q.name).join("|") || "poll";
  }
  remove(t: Thread): void {
    for (const q of this.queues) q.remove(t);
  }
}

/** The kernel over one machine. */
export class Kernel extends GuestMemoryCalls implements KernelApi {
  /** {@link API_VERSION}. */
  readonly version: number = API_VERSION;
  /** Boot configuration. */
  readonly config: KernelConfig;
  /** The machine. */
  readonly machine: Machine;
  /** Physical frames. */
  readonly frames: FrameAllocator;
  /** Processes and threads. */
  readonly table: ProcessTable;
  /** The main loop. */
  readonly loop: TrapLoop;
  /** Signal generation and delivery. */
  readonly signals: SignalEngine;
  /** The virtual file system. */
  readonly vfs: Vfs;
  /** Character devices (shown by devfs). */
  readonly charDevices: CharDeviceRegistry;
  /** The module loader. */
  readonly modules: ModuleLoader;
  /** Kernel log lines. */
  readonly logLines: string[] = [];
  /** Maximum descriptors per process. */
  readonly maxFds: number = DEFAULT_MAX_FDS;
  /** Memory counters. */
  readonly mmStats: MmStats = { pageFaults: 0, zeroFills: 0, cowCopies: 0 };
  /** Set when the run ended. */
  exitInfo: KernelExit | null = null;
  /** The /proc provider view of this kernel. */
  readonly procInfo: ProcInfoProvider;
  /** Simulated cycle count when the machine halted (before devices drained). */
  haltCycles = 0;

  readonly #cpu: CpuPort;
  readonly #costs: KernelCosts;
  readonly #log: ((line: string) => void) | undefined;
  readonly #nodename: string;
  readonly #time: Timekeeping;
  readonly #irq: InterruptService;
  readonly #sig: SignalService;
  readonly #reg: Registrations;
  readonly #exec: ExecService;
  readonly #life: ProcessLifecycle;
  readonly #traps: TrapHandlers;
  // The queue a file system asked to wait on (waitForIo), taken by the trap handler.
  #ioWait: WaitQueue | null = null;

  /** Builds the kernel over `options.machine`. */
  constructor(options: KernelOptions) {
    super();
    const m = options.machine;
    if (m.cpu.mmu.kind !== "sv32") {
      // Contiguous allocation for the base/limit unit is not written yet: refuse clearly.
      throw new KernelConfigError(
        `the kernel needs an Sv32 MMU; this machine has "${m.cpu.mmu.kind}"`,
      );
    }
    this.machine = m;
    this.#cpu = m.cpu;
    this.#costs = { ...DEFAULT_KERNEL_COSTS, ...options.costs };
    this.#log = options.log;
    this.#nodename = options.nodename ?? "strata";
    const quantum = options.quantumCycles ?? Math.round(m.clock.frequency / 100);
    if (!(quantum >= 100) || !Number.isFinite(quantum)) {
      throw new KernelConfigError(`quantum must be at least 100 cycles, got ${quantum}`);
    }
    this.config = Object.freeze({
      quantumCycles: quantum,
      frequency: m.clock.frequency,
      ramSize: m.ram.size,
    });
    this.frames = new FrameAllocator(m.ram);
    const fallbackPolicy = new FifoPolicy();
    this.table = new ProcessTable(fallbackPolicy, (n) => new WaitQueue(n), {
      cancel: (id) => m.clock.cancel(id),
    });
    this.#irq = new InterruptService(m.bus, (l) => this.log(l));
    this.#time = new Timekeeping(m.clock, this.table, readRtcNs(m.bus), (l) => this.log(l));
    this.signals = new SignalEngine(this.table, {
      terminate: (p, sig, core) => this.#life.terminate(p, 0, sig, core),
      deliverToHandler: (t, sig, act, info) => this.#deliverToHandler(t, sig, act, info),
      interruptedResult: (t) => {
        // The call ends here: its restart scratch must not leak into the next call.
        const partial = t.partialResult;
        t.restartState = -1;
        t.partialResult = -1;
        return partial >= 0 ? partial : this.#mapStatus(t.process, K.INTR);
      },
      charge: (c) => this.loop.charge(c),
      deliveryCost: this.#costs.signalDelivery,
    });
    this.#sig = new SignalService(this.table, this.signals);
    this.charDevices = new CharDeviceRegistry();
    this.modules = new ModuleLoader({
      bus: m.bus,
      setIrqHandler: (irq, h) => this.#irq.setHandler(irq, h),
      registrar: (owner) => this.#reg.registrar(owner),
      dropRegistrations: (name) => this.#reg.drop(name),
      holdRegistrations: (name) => this.#reg.hold(name),
      settleRegistrations: (from, to) => this.#reg.settle(from, to),
      log: (msg) => this.log(msg),
    });
    const moduleRef = (owner: string, take: boolean) =>
      take ? this.modules.ref(owner) : this.modules.unref(owner);
    this.#reg = new Registrations({
      charDevices: this.charDevices,
      table: this.table,
      fallbackPolicy,
      time: this.#time,
      moduleRef,
    });
    this.procInfo = this.#procProvider();
    const now = () => this.#time.realtimeNs();
    this.vfs = options.buildFs
      ? options.buildFs({ charDevices: this.charDevices, proc: this.procInfo, now })
      : new Vfs({ root: new RamFs({ now }), charDevices: this.charDevices });
    const mm = this.#mmContext();
    const kernelDeps = {
      costs: this.#costs,
      charge: (c: number) => this.loop.charge(c),
      invalidateSpace: () => this.loop.invalidateSpace(),
      moduleRef,
      log: (l: string) => this.log(l),
    };
    this.#exec = new ExecService({
      ...kernelDeps,
      vfs: this.vfs,
      personalities: this.#reg.personalities,
      mm,
    });
    this.#life = new ProcessLifecycle({
      ...kernelDeps,
      table: this.table,
      vfs: this.vfs,
      maxFds: this.maxFds,
      clock: m.clock,
      signals: this.signals,
      exec: this.#exec,
      personalities: this.#reg.personalities,
      block: (t, q) => this.block(t, q),
      halt: (s, r, d) => this.#halt(s, r, d),
    });
    this.#traps = new TrapHandlers({
      machine: m,
      api: this,
      costs: this.#costs,
      signals: this.signals,
      interrupts: this.#irq,
      eofHandlers: this.#reg.eofHandlers,
      trace: options.trace ?? null,
      realtimeIdle: options.realtimeIdle ?? false,
      get loop() {
        return loop;
      },
      terminate: (t, sig, core) => this.#life.terminate(t.process, 0, sig, core),
      halt: (s, r, d) => this.#halt(s, r, d),
      log: (l) => this.log(l),
      takeIoWait: () => this.#takeIoWait(),
    });
    const loop = new TrapLoop({
      cpu: this.#cpu,
      clock: m.clock,
      table: this.table,
      hooks: this.#traps,
      quantum,
      costs: this.#costs,
      budget: options.budget,
      hostYield: options.hostYield,
      trace: options.traceRecorder ?? null,
    });
    this.loop = loop;
    this.modules.attach(this);
    this.modules.reserve({
      mmio: [
        { base: MEMORY_MAP.PLIC_BASE, size: MEMORY_MAP.PLIC_SIZE },
        { base: MEMORY_MAP.CLINT_BASE, size: MEMORY_MAP.CLINT_SIZE },
        { base: MEMORY_MAP.RTC_BASE, size: MEMORY_MAP.RTC_SIZE },
      ],
    });
    this.#initCpu();
    this.#irq.init();
  }

  #mmContext(): MmContext {
    const cpu = this.machine.cpu;
    return {
      frames: this.frames,
      asids: new AsidAllocator(),
      flush: (va, asid) => cpu.mmu.flush(va, asid),
      charge: (c) => this.loop.charge(c),
      costs: this.#costs,
      stats: this.mmStats,
    };
  }

  #procProvider(): ProcInfoProvider {
    return createProcProvider({
      table: this.table,
      clock: this.machine.clock,
      cpu: this.machine.cpu,
      frames: this.frames,
      ramSize: this.machine.ram.size,
      maxFds: this.maxFds,
      release: KERNEL_RELEASE,
      idleCycles: () => this.loop.stats.idleCycles,
      interrupts: () => this.#irq.info(),
      cycles: (p) => ({ user: userCycles(p), system: systemCycles(p) }),
    });
  }

  #initCpu(): void {
    const cpu = this.#cpu;
    this.machine.cpu.hostSupervisor = true;
    // Every U-mode exception (not ecalls from S/M) and the S interrupts go to S: the host kernel.
    cpu.writeCsr(CSR.medeleg, 0xb1ff);
    cpu.writeCsr(CSR.mideleg, MIP.SSIP | MIP.STIP | MIP.SEIP);
    cpu.writeCsr(CSR.mie, MIP.STIP | MIP.SEIP);
    cpu.writeCsr(CSR.menvcfgh, MENVCFGH.STCE);
    cpu.writeCsr(CSR.mcounteren, 7);
    cpu.writeCsr(CSR.scounteren, 7);
    cpu.writeCsr(CSR.stimecmph, 0xffff_ffff);
    cpu.writeCsr(CSR.stimecmp, 0xffff_ffff);
    cpu.writeCsr(CSR.mstatus, 0);
  }

  /** The process's address space (the memory calls of {@link GuestMemoryCalls} use it). */
  protected spaceOf(p: Process): AddressSpace | null {
    return p.space as AddressSpace | null;
  }

  // ------------------------------------------------------------------ logging

  /** Writes a line to the kernel log. */
  log(message: string): void {
    const line = `[${
      (this.machine.clock.now / this.machine.clock.frequency).toFixed(6)
    }] ${message}`;
    this.logLines.push(line);
    if (this.logLines.length > 10_000) this.logLines.splice(0, 5_000);
    this.#log?.(line);
  }

  #halt(status: number, reason: string, detail: string): void {
    if (this.exitInfo === null) this.exitInfo = { status, reason, detail };
    this.loop.halt(status);
  }

  #deliverToHandler(t: Thread, sig: number, act: SigAction, info: SignalInfo): boolean {
    const pers = t.process.personality as Personality | null;
    if (pers === null) return false;
    try {
      return pers.deliverSignal(t, sig, act, info);
    } catch (e) {
      this.log(
        `deliverSignal threw for pid ${t.process.pid}: ${e instanceof Error ? e.message : e}`,
      );
      return false;
    }
  }

  #mapStatus(p: Process, status: number): number {
    const pers = p.personality as Personality | null;
    return pers === null ? status : pers.mapStatus(status);
  }

  #takeIoWait(): WaitQueue | null {
    const q = this.#ioWait;
    this.#ioWait = null;
    return q;
  }

  // ------------------------------------------------------- processes

  /** The thread on the CPU. */
  get current(): Thread | null {
    return this.table.current;
  }

  /** A process by pid. */
  getProcess(pid: number): Process | null {
    return this.table.get(pid) ?? null;
  }

  /** All processes by pid. */
  processes(): Process[] {
    return this.table.list();
  }

  /** The personality of `p`. */
  personalityOf(p: Process): Personality | null {
    return p.personality as Personality | null;
  }

  /** The first process (exec it with {@link startProcess}). */
  createInitProcess(): Process {
    return this.#life.createInitProcess();
  }

  /** Execs `path` in a process from {@link createInitProcess}; throws KernelError on failure. */
  startProcess(p: Process, path: string, argv: string[], envp: string[]): void {
    this.#life.startProcess(p, path, argv, envp);
  }

  /** fork with copy-on-write memory. */
  fork(t: Thread): Process | KStatus {
    return this.#life.fork(t);
  }

  /** A child running `path` without fork. */
  spawn(t: Thread, path: string, argv: string[], envp: string[]): Process | KStatus {
    return this.#life.spawn(t, path, argv, envp);
  }

  /** exec: replaces the program of `t.process`. */
  exec(t: Thread, path: string, argv: string[], envp: string[]): number {
    return this.#exec.exec(t, path, argv, envp);
  }

  /** exit: terminates the process of `t`. */
  exit(t: Thread, code: number): number {
    return this.#life.exit(t, code);
  }

  /** wait4/waitid for a child of `t.process`. */
  wait(t: Thread, pid: number, options: number): WaitRecord | number {
    return this.#life.wait(t, pid, options);
  }

  /** kill(2) semantics without permission checks. */
  kill(sender: Process | null, pid: number, sig: number): KStatus {
    return this.#sig.kill(sender, pid, sig);
  }

  /** Sends to one thread. */
  tgkill(sender: Process | null, tgid: number, tid: number, sig: number): KStatus {
    return this.#sig.tgkill(sender, tgid, tid, sig);
  }

  /** Signals a process group. */
  killGroup(pgid: number, sig: number): KStatus {
    return this.#sig.killGroup(pgid, sig);
  }

  /** A synchronous fault signal. */
  forceSignal(t: Thread, sig: number, code: number, address: number): void {
    this.#sig.forceSignal(t, sig, code, address);
  }

  /** Takes a handle-style reference to `p`. */
  retainProcess(p: Process): void {
    this.table.retain(p);
  }

  /** Drops a reference from {@link retainProcess}. */
  releaseProcess(p: Process): void {
    this.table.release(p);
  }

  /** The queue woken when `p` exits. */
  processExitQueue(p: Process): WaitQueue | null {
    return this.table.exitEvent(p) as WaitQueue | null;
  }

  /** setpgid with the POSIX checks. */
  setpgid(caller: Process, pid: number, pgid: number): KStatus {
    return setpgid(this.table, caller, pid, pgid);
  }

  /** getpgid. */
  getpgid(caller: Process, pid: number): number {
    return getpgid(this.table, caller, pid);
  }

  /** setsid. */
  setsid(caller: Process): number {
    return setsid(this.table, caller);
  }

  /** getsid. */
  getsid(caller: Process, pid: number): number {
    return getsid(this.table, caller, pid);
  }

  // ------------------------------------------------------------ blocking, time

  /** Parks `t` on `queue`. */
  block(t: Thread, queue: WaitQueue): number {
    queue.add(t);
    this.table.park(t, queue);
    return BLOCK;
  }

  /** Parks `t` on several queues, optionally until a deadline (ns). */
  blockMany(t: Thread, queues: WaitQueue[], deadlineNs?: number): number {
    const place = new MultiPark(queues);
    for (const q of queues) q.add(t);
    this.table.park(t, place);
    if (deadlineNs !== undefined) this.#time.armWake(t, deadlineNs);
    return BLOCK;
  }

  /** Sleeps until monotonic `deadlineNs`. */
  sleepUntil(t: Thread, deadlineNs: number): number {
    return this.#time.sleepUntil(t, deadlineNs);
  }

  /** sched_yield. */
  yield(t: Thread): number {
    if (t.state === TaskState.RUNNING) {
      t.sliceLeft = 0;
      this.table.makeReady(t, EnqueueReason.YIELD);
    }
    return 0;
  }

  /** Monotonic simulated ns. */
  nowNs(): number {
    return this.#time.nowNs();
  }

  /** Wall-clock ns (RTC at boot plus simulated time). */
  realtimeNs(): bigint {
    return this.#time.realtimeNs();
  }

  /** Simulated cycles. */
  cycles(): number {
    return this.machine.clock.now;
  }

  /** Parks the current thread on `queue` for I/O; the call restarts when it is woken. */
  waitForIo(queue: WaitQueue): KStatus {
    this.#ioWait = queue;
    return K.RESTART;
  }

  // ---------------------------------------------------------------- signals

  /** The action of `sig`. */
  sigAction(p: Process, sig: number): SigAction {
    return this.#sig.sigAction(p, sig);
  }

  /** Sets an action. */
  setSigAction(p: Process, sig: number, action: SigAction): KStatus {
    return this.#sig.setSigAction(p, sig, action);
  }

  /** Sets the blocked mask. */
  setSignalMask(t: Thread, lo: number, hi: number): void {
    this.#sig.setSignalMask(t, lo, hi);
  }

  /** sigsuspend. */
  sigSuspend(t: Thread, lo: number, hi: number): number {
    return this.#sig.sigSuspend(t, lo, hi);
  }

  /** Ends rt_sigreturn. */
  finishSigreturn(t: Thread, lo: number, hi: number): number {
    return this.#sig.finishSigreturn(t, lo, hi);
  }

  // ------------------------------------------------------------------ files

  /** Current directory of `p`. */
  cwd(p: Process): PathLoc {
    return (p.cwdLoc as PathLoc | null) ?? this.vfs.root();
  }

  /** chdir. */
  chdir(p: Process, path: string): KStatus {
    const r = this.vfs.chdir(this.cwd(p), path, p);
    if (typeof r === "number") return r;
    this.setCwd(p, r);
    return K.OK;
  }

  /** Sets the cwd to a resolved location. */
  setCwd(p: Process, loc: PathLoc): void {
    p.cwdLoc = loc;
    p.cwd = loc.path;
  }

  #fds(p: Process): FdTable | null {
    return p.files as FdTable | null;
  }

  /** fd -> description. */
  fdGet(p: Process, fd: number): OpenFile | null {
    return this.#fds(p)?.get(fd) ?? null;
  }

  /** Installs a description. */
  fdInstall(p: Process, file: OpenFile, cloexec: boolean, minFd = 0): number {
    const t = this.#fds(p);
    return t === null ? K.BADF : t.install(file, cloexec, minFd);
  }

  /** close. */
  fdClose(p: Process, fd: number): KStatus {
    const t = this.#fds(p);
    return t === null ? K.BADF : t.close(fd);
  }

  /** dup / F_DUPFD. */
  fdDup(p: Process, fd: number, minFd: number, cloexec: boolean): number {
    const t = this.#fds(p);
    return t === null ? K.BADF : t.dup(fd, minFd, cloexec);
  }

  /** dup3. */
  fdDup3(p: Process, oldFd: number, newFd: number, cloexec: boolean): number {
    const t = this.#fds(p);
    return t === null ? K.BADF : t.dup3(oldFd, newFd, cloexec);
  }

  /** FD_CLOEXEC query. */
  fdGetCloexec(p: Process, fd: number): number {
    const t = this.#fds(p);
    return t === null ? K.BADF : t.getCloexec(fd);
  }

  /** FD_CLOEXEC set. */
  fdSetCloexec(p: Process, fd: number, on: boolean): KStatus {
    const t = this.#fds(p);
    return t === null ? K.BADF : t.setCloexec(fd, on);
  }

  /** Open fds. */
  fdList(p: Process): number[] {
    return this.#fds(p)?.list() ?? [];
  }

  /** Closes the close-on-exec descriptors. */
  fdCloseOnExec(p: Process): void {
    this.#fds(p)?.closeOnExec();
  }

  /** Opens `path` for the kernel itself (console for init) and installs it. */
  openForProcess(p: Process, path: string, flags: number): number {
    const r = this.vfs.open(this.cwd(p), path, flags, 0o644, p);
    if (typeof r === "number") return r;
    return this.fdInstall(p, r.file, false);
  }

  /** Mounts a file system of a registered type. */
  mount(source: string, target: string, type: string, readOnly: boolean, data: string): KStatus {
    const t = this.#reg.fileSystems.find((f) => f.type === type);
    if (t === undefined) return K.NODEV;
    const fs = t.factory({ source, readOnly, data, now: () => this.#time.realtimeNs() });
    if (typeof fs === "number") return fs;
    const r = this.vfs.mount(target, fs);
    if (r !== K.OK) return r;
    const owner = this.#reg.fileSystems.ownerOf(t);
    if (owner !== null) {
      this.modules.ref(owner);
      this.#mountOwners.set(fs, owner);
    }
    return K.OK;
  }

  readonly #mountOwners = new Map<object, string>();

  /** Unmounts the file system on `target`. */
  umount(target: string): KStatus {
    const loc = this.vfs.lookup(null, target, true);
    if (typeof loc === "number") return loc;
    const fs = loc.mount.fs;
    const r = this.vfs.umount(target);
    if (r !== K.OK) return r;
    const owner = this.#mountOwners.get(fs);
    if (owner !== undefined) {
      this.#mountOwners.delete(fs);
      this.modules.unref(owner);
    }
    return K.OK;
  }

  // ---------------------------------------------------------------- devices and plugins

  /** Registers a character device owned by the kernel itself (modules use their context). */
  registerCharDevice(
    reg: { name: string; major: number; minor: number; mode?: number },
    ops: FileOps,
  ): KStatus {
    return this.#reg.registerCharDevice(reg, ops, null);
  }

  /** A personality by name. */
  getPersonality(name: string): Personality | null {
    return this.#reg.personalities.find((p) => p.name === name) ?? null;
  }

  /** The active policy. */
  get scheduler(): SchedulerPolicy {
    return this.table.policy;
  }

  // ----------------------------------------------------------------- system

  /** Halts the machine after the current call. */
  poweroff(status: number): void {
    this.#halt(status & 0xff, "poweroff", "poweroff requested");
  }

  /** uname-style information. */
  systemInfo(): SystemInfo {
    return {
      sysname: "Strata",
      nodename: this.#nodename,
      release: KERNEL_RELEASE,
      version: `#1 ${this.table.policy.name}`,
      machine: "riscv32",
      totalRam: this.machine.ram.size,
      freeRam: this.frames.free * PAGE_SIZE,
      processes: this.table.liveCount,
      uptimeSeconds: this.machine.clock.seconds,
    };
  }

  /** Counters. */
  stats(): KernelStats {
    const s = this.loop.stats;
    return {
      cycles: this.machine.clock.now,
      instret: this.machine.cpu.instret,
      syscalls: s.syscalls,
      contextSwitches: s.contextSwitches,
      preemptions: s.preemptions,
      pageFaults: this.mmStats.pageFaults,
      zeroFills: this.mmStats.zeroFills,
      cowCopies: this.mmStats.cowCopies,
      interrupts: s.interrupts,
      signalsDelivered: this.signals.delivered,
      idleCycles: s.idleCycles,
      freeFrames: this.frames.free,
      totalFrames: this.frames.total,
    };
  }

  /** Runs the machine until init exits, poweroff, or a deadlock. */
  async run(): Promise<KernelExit> {
    await this.loop.run();
    if (this.exitInfo === null) {
      this.exitInfo = { status: this.loop.haltStatus, reason: "halt", detail: "" };
    }
    this.haltCycles = this.machine.clock.now;
    this.#drainDevices();
    return this.exitInfo;
  }

  /**
   * After the halt no user code runs, but devices finish what they were
   * given (the console transmits its queued output), as a real machine's
   * shutdown flushes the console: device events and interrupts are processed
   * for at most 10 simulated seconds.
   */
  #drainDevices(): void {
    const clock = this.machine.clock;
    const cpu = this.#cpu;
    const limit = clock.now + 10 * clock.frequency;
    for (let i = 0; i < 10_000_000; i++) {
      if ((cpu.readCsr(CSR.sip) & MIP.SEIP) !== 0) this.#irq.dispatch();
      if (clock.nextEventAt > limit) break;
      clock.advanceToNextEvent();
    }
    if ((cpu.readCsr(CSR.sip) & MIP.SEIP) !== 0) this.#irq.dispatch();
  }
}
