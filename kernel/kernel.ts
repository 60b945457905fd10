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

import type { ByteAccount } from "./fs/pipefs.ts";
import { checkRlimitChange, defaultThreadsMax, NR_OPEN, RLIMIT } from "./proc/rlimits.ts";
import { CSR, MENVCFGH } from "../hw/csr.ts";
import { MIP } from "../hw/irq.ts";
import type { Machine } from "../hw/machine.ts";
import {
  API_VERSION,
  type KernelApi,
  type KernelConfig,
  type KernelStats,
  type Personality,
  type SystemInfo,
  type WaitRecord,
} from "./api.ts";
import { K, KernelError, type KStatus, statusName } from "./errors.ts";
import { ExecService } from "./exec/exec_service.ts";
import { ProcessLifecycle, systemCycles, userCycles } from "./exec/lifecycle.ts";
import { DEFAULT_MAX_FDS, FdTable } from "./fs/fd_table.ts";
import type { ProcInfoProvider } from "./fs/procfs.ts";
import { createProcProvider } from "./fs/proc_provider.ts";
import { RamFs } from "./fs/ramfs.ts";
import { Vfs } from "./fs/vfs.ts";
import { CharDeviceRegistry } from "./io/char_device.ts";
import { BlockLayer } from "./block/block_layer.ts";
import type { BlockDevice } from "./block/types.ts";
import { StorageCalls } from "./storage_calls.ts";
import { InterruptService } from "./io/interrupts.ts";
import { readRtcNs } from "./io/rtc.ts";
import { FutexTable } from "./ipc/futex.ts";
import { SignalEngine, type SignalInfo } from "./ipc/signals.ts";
import { SignalService } from "./ipc/signal_service.ts";
import { WaitQueue } from "./ipc/wait_queue.ts";
import type { AddressSpace, MmContext, MmStats } from "./mm/address_space.ts";
import { AsidAllocator } from "./mm/asid.ts";
import { FrameAllocator } from "./mm/frames.ts";
import { DmaBufferPool } from "./mm/dma_buffers.ts";
import { ModuleLoader } from "./modules/loader.ts";
import { type GuestModuleCalls, ModuleCalls } from "./modules/module_calls.ts";
import { moduleLines, trustedDirs } from "./modules/module_names.ts";
import { HostWork } from "./proc/host_work.ts";
import { BLOCK, NO_RESULT } from "./proc/call_result.ts";
import { DEFAULT_KERNEL_COSTS, type KernelCosts } from "./proc/costs.ts";
import { spinWait } from "./proc/spin_wait.ts";
import { FifoPolicy } from "./proc/fifo_policy.ts";
import type { ParkingPlace, Process, SigAction, Thread } from "./proc/process.ts";
import { ProcessTable } from "./proc/process_table.ts";
import { EnqueueReason, type SchedulerPolicy } from "./proc/scheduler.ts";
import { Timekeeping } from "./proc/timekeeping.ts";
import { type CpuPort, TrapLoop } from "./proc/trap_loop.ts";
import { TaskState } from "./proc/process.ts";
import { Registrations } from "./registrations.ts";
import { kernelStats, systemInfo } from "./kernel_info.ts";
import {
  checkOptions,
  DEFAULT_RANDOM_SEED,
  KERNEL_RELEASE,
  KERNEL_WINDOWS,
  type KernelExit,
  type KernelOptions,
} from "./kernel_types.ts";

export {
  DEFAULT_RANDOM_SEED,
  type FsDeps,
  KERNEL_RELEASE,
  KernelConfigError,
  type KernelExit,
  type KernelOptions,
} from "./kernel_types.ts";
import { TrapHandlers } from "./trap_handlers.ts";
import type { HostInput } from "./fs/host_stream.ts";
import { FileCalls } from "./fs/fd_calls.ts";

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
export class Kernel extends FileCalls implements KernelApi {
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
  /** Character devices and block device nodes (shown by devfs). */
  readonly charDevices: CharDeviceRegistry;
  /** Disks, partitions and the buffer cache. */
  readonly blockLayer: BlockLayer;
  /** The module loader. */
  readonly modules: ModuleLoader;
  /** Host work system calls wait for (module loads), with simulated time standing still. */
  readonly hostWork: HostWork<WaitQueue>;
  /** Module management for the guest (insmod, rmmod, modswap, modinfo). */
  readonly moduleCalls: GuestModuleCalls;
  /** The trusted module directories (plugins/, then --module-path), searched by name. */
  readonly moduleDirs: readonly URL[];
  /** Kernel log lines. */
  readonly logLines: string[] = [];
  /**
   * Host streams guests may be reading (`kernel/fs/host_stream.ts`): an idle
   * machine waits for them as for console input.
   */
  readonly hostInputs: HostInput[] = [];
  /** Maximum descriptors per process. */
  readonly maxFds: number = DEFAULT_MAX_FDS;
  readonly pipeMemory: ByteAccount;
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
  readonly #futex: FutexTable;
  readonly #reg: Registrations;
  readonly #exec: ExecService;
  readonly #life: ProcessLifecycle;
  readonly #traps: TrapHandlers;
  // The queue a file system asked to wait on (waitForIo), taken by the trap handler.
  #ioWait: WaitQueue | null = null;
  // A root file system built by mountRoot whose mount points are still being read.
  readonly #storage: StorageCalls;

  /** Builds the kernel over `options.machine`. */
  constructor(options: KernelOptions) {
    super();
    const m = options.machine;
    const quantum = checkOptions(options);
    this.machine = m;
    this.#cpu = m.cpu;
    this.#costs = { ...DEFAULT_KERNEL_COSTS, ...options.costs };
    this.#log = options.log;
    this.#nodename = options.nodename ?? "strata";
    this.config = Object.freeze({
      quantumCycles: quantum,
      frequency: m.clock.frequency,
      ramSize: m.ram.size,
      randomSeed: (options.randomSeed ?? DEFAULT_RANDOM_SEED) >>> 0,
    });
    this.frames = new FrameAllocator(m.ram);
    const fallbackPolicy = new FifoPolicy();
    this.table = new ProcessTable(fallbackPolicy, (n) => new WaitQueue(n), {
      cancel: (id) => m.clock.cancel(id),
      now: () => m.clock.now,
    });
    this.table.threadsMax = defaultThreadsMax(m.ram.size);
    this.pipeMemory = { used: 0, limit: Math.floor(m.ram.size / 4) };
    this.#irq = new InterruptService(m.bus, (l) => this.log(l));
    this.#time = new Timekeeping(m.clock, this.table, readRtcNs(m.bus), (l) => this.log(l));
    this.signals = this.#newSignalEngine();
    this.#sig = new SignalService(this.table, this.signals);
    this.#futex = new FutexTable({
      park: (t, place) => this.table.park(t, place),
      wake: (t) => this.table.wakeThread(t),
      armWake: (t, ns) => this.#time.armWake(t, ns),
      nowNs: () => this.#time.nowNs(),
    });
    this.charDevices = new CharDeviceRegistry();
    this.blockLayer = this.#newBlockLayer(options);
    this.modules = this.#newLoader();
    this.hostWork = new HostWork<WaitQueue>({
      newQueue: (name) => new WaitQueue(name),
      block: (t, q) => this.block(t, q),
      wakeAll: (q) => q.wakeAll(),
    });
    const dirs = trustedDirs(options.modulePaths ?? []);
    this.moduleDirs = dirs;
    this.moduleCalls = new ModuleCalls(
      this.modules,
      this.hostWork as HostWork<unknown>,
      () => dirs,
      (line) => this.log(line),
    );
    this.#reg = new Registrations({
      charDevices: this.charDevices,
      table: this.table,
      fallbackPolicy,
      time: this.#time,
      moduleRef: (owner, take) => this.#moduleRef(owner, take),
      dmaBuffers: new DmaBufferPool(this.frames),
      consoleSize: () => this.machine.console.size?.() ?? null,
      block: this.blockLayer,
    });
    // The host console's window size reaches the console driver (and its tty).
    this.machine.console.onResize = () => this.#reg.consoleResized();
    this.procInfo = this.#procProvider();
    const now = () => this.#time.realtimeNs();
    this.vfs = options.buildFs
      ? options.buildFs({
        charDevices: this.charDevices,
        proc: this.procInfo,
        block: this.blockLayer,
        now,
      })
      : new Vfs({ root: new RamFs({ now }), charDevices: this.charDevices });
    this.#storage = new StorageCalls({
      vfs: this.vfs,
      blocks: this.blockLayer,
      reg: this.#reg,
      realtimeNs: () => this.#time.realtimeNs(),
      processes: () => this.table.list(),
      waitForIo: (q) => this.waitForIo(q),
    });
    this.#exec = new ExecService({
      ...this.#serviceDeps(),
      vfs: this.vfs,
      personalities: this.#reg.personalities,
      mm: this.#mmContext(),
      resetFp: (t) => this.loop.fp.reset(t),
    });
    this.#life = this.#newLifecycle(options);
    this.#traps = this.#newTrapHandlers(options);
    this.loop = new TrapLoop({
      cpu: this.#cpu,
      clock: m.clock,
      table: this.table,
      hooks: this.#traps,
      quantum,
      costs: this.#costs,
      budget: options.budget,
      hostYield: options.hostYield,
      hostWork: this.hostWork,
      daemonTimers: () => this.#time.daemonTimers,
      trace: options.traceRecorder ?? null,
    });
    this.#traps.attach(this.loop);
    this.modules.attach(this);
    this.modules.reserve({ mmio: KERNEL_WINDOWS });
    this.#initCpu();
    this.#irq.init();
  }

  #moduleRef(owner: string, take: boolean): void {
    if (take) this.modules.ref(owner);
    else this.modules.unref(owner);
  }

  /** What every exec/lifecycle service needs: costs, charging, the space cache, refs, the log. */
  #serviceDeps() {
    return {
      costs: this.#costs,
      charge: (c: number) => this.loop.charge(c),
      invalidateSpace: () => this.loop.invalidateSpace(),
      moduleRef: (owner: string, take: boolean) => this.#moduleRef(owner, take),
      log: (l: string) => this.log(l),
    };
  }

  #newSignalEngine(): SignalEngine {
    return new SignalEngine(this.table, {
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
  }

  #newBlockLayer(options: KernelOptions): BlockLayer {
    return new BlockLayer({
      devices: this.charDevices,
      nowNs: () => this.#time.nowNs(),
      waitForIo: (q) => this.waitForIo(q),
      log: (l) => this.log(l),
      currentTid: () => this.table.current?.tid ?? 0,
      callEpoch: () => this.loop?.stats.syscalls ?? 0,
      threadParked: (tid) => (this.table.thread(tid)?.parkedOn ?? null) !== null,
      startTimer: (ns, cb) => this.#time.startTimer(ns, cb, null),
      moduleRef: (owner, take) => this.#moduleRef(owner, take),
    }, { cacheBytes: options.blockCacheBytes, elevator: options.blockElevator });
  }

  #newLoader(): ModuleLoader {
    return new ModuleLoader({
      bus: this.machine.bus,
      setIrqHandler: (irq, h) => this.#irq.setHandler(irq, h),
      registrar: (owner) => this.#reg.registrar(owner),
      dropRegistrations: (name) => this.#reg.drop(name),
      holdRegistrations: (name) => this.#reg.hold(name),
      settleRegistrations: (from, to) => this.#reg.settle(from, to),
      log: (msg) => this.log(msg),
      runHostWork: (work) => this.hostWork.background(work),
      spendCycles: (c) => this.loop.charge(c),
      spinWait: (cond, poll, max) =>
        spinWait(this.machine.clock, (c) => this.loop.charge(c), cond, poll, max),
    });
  }

  #newLifecycle(options: KernelOptions): ProcessLifecycle {
    return new ProcessLifecycle({
      ...this.#serviceDeps(),
      trace: options.trace ?? null,
      table: this.table,
      vfs: this.vfs,
      maxFds: this.maxFds,
      clock: this.machine.clock,
      signals: this.signals,
      exec: this.#exec,
      personalities: this.#reg.personalities,
      block: (t, q) => this.block(t, q),
      copyFp: (parent, child) => this.loop.fp.copy(parent, child),
      halt: (s, r, d) => this.#halt(s, r, d),
    });
  }

  #newTrapHandlers(options: KernelOptions): TrapHandlers {
    return new TrapHandlers({
      machine: this.machine,
      api: this,
      costs: this.#costs,
      signals: this.signals,
      interrupts: this.#irq,
      eofHandlers: this.#reg.eofHandlers,
      trace: options.trace ?? null,
      realtimeIdle: options.realtimeIdle ?? false,
      hostInputs: this.hostInputs,
      terminate: (t, sig, core) => this.#life.terminate(t.process, 0, sig, core),
      halt: (s, r, d) => this.#halt(s, r, d),
      log: (l) => this.log(l),
      takeIoWait: () => this.#takeIoWait(),
    });
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
      buffersBytes: () => this.pipeMemory.used + this.blockLayer.cache.bytes,
      dirtyBytes: () => this.blockLayer.cache.dirtyBytes,
      partitions: () => this.blockLayer.partitionsText(),
      diskstats: () => this.blockLayer.diskstatsText(),
      shmemBytes: () => ramfsBytes(this.vfs),
      interrupts: () => this.#irq.info(),
      cycles: (p) => ({ user: userCycles(p), system: systemCycles(p) }),
      modules: () => moduleLines(this.modules.list()),
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

  /** The signal service (the calls of {@link SignalCalls} use it). */
  protected signalService(): SignalService {
    return this.#sig;
  }

  /** The process table (the calls of {@link SignalCalls} use it). */
  protected processTable(): ProcessTable {
    return this.table;
  }

  /** The process's address space (the memory calls of {@link GuestMemoryCalls} use it). */
  protected spaceOf(p: Process): AddressSpace | null {
    return p.space as AddressSpace | null;
  }

  // ------------------------------------------------------------------ logging

  /** Writes a line to the kernel log. */
  clearLog(): void {
    this.logLines.length = 0;
  }

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

  setRlimit(
    caller: Process,
    target: Process,
    resource: number,
    soft: number,
    hard: number,
  ): KStatus {
    const ok = checkRlimitChange(target.rlimits, resource, soft, hard, caller.uid === 0);
    if (ok !== "ok") return ok === "inval" ? K.INVAL : K.PERM;
    target.rlimits.soft[resource] = soft;
    target.rlimits.hard[resource] = hard;
    if (resource === RLIMIT.NOFILE && target.files instanceof FdTable) {
      target.files.max = Math.min(soft, NR_OPEN);
    }
    return K.OK;
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

  /**
   * Execs `path` in a process from {@link createInitProcess}; throws
   * KernelError on failure. A program on a disk is read as the blocks
   * arrive: the exec is repeated (device events run in between) while it
   * answers K.RESTART.
   */
  startProcess(p: Process, path: string, argv: string[], envp: string[]): void {
    const r = this.settleIo(() => {
      try {
        this.#life.startProcess(p, path, argv, envp);
        return K.OK;
      } catch (e) {
        if (e instanceof KernelError && e.status === K.RESTART) return K.RESTART;
        throw e;
      }
    });
    if (r !== K.OK) throw new KernelError(r, `cannot start ${path}: ${statusName(r)}`);
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
    const r = this.#exec.exec(t, path, argv, envp);
    if (r !== NO_RESULT) return r;
    const p = t.process;
    if (p.threads.length > 1) this.table.execTakeover(t);
    if (p.vforkPending) {
      // The vfork parent waits until the child execs or exits.
      p.vforkPending = false;
      this.table.exitEvent(p)?.wakeAll();
    }
    return r;
  }

  /** exit: terminates the process of `t`. */
  exit(t: Thread, code: number): number {
    return this.#life.exit(t, code);
  }

  /** A new thread in the process of `t`. */
  createThread(t: Thread, pc: number, regs: Int32Array): Thread | KStatus {
    return this.#life.createThread(t, pc, regs);
  }

  /** Ends one thread (the last ends the process). */
  exitThread(t: Thread, code: number): number {
    return this.#life.exitThread(t, code);
  }

  /** Thread by tid. */
  getThread(tid: number): Thread | null {
    return this.table.thread(tid) ?? null;
  }

  /** Futex wait. */
  futexWait(t: Thread, addr: number, expected: number, bitset: number, deadlineNs: number): number {
    return this.#futex.wait(t, addr, expected, bitset, deadlineNs);
  }

  /** Futex wake. */
  futexWake(t: Thread, addr: number, n: number, bitset: number): number {
    return this.#futex.wake(t, addr, n, bitset);
  }

  /** Futex requeue. */
  futexRequeue(
    t: Thread,
    addr: number,
    n: number,
    addr2: number,
    n2: number,
    expected: number,
  ): number {
    return this.#futex.requeue(t, addr, n, addr2, n2, expected);
  }

  /** wait4/waitid for a child of `t.process`. */
  wait(t: Thread, pid: number, options: number): WaitRecord | number {
    return this.#life.wait(t, pid, options);
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

  /** CPU cycles of `t`, the run in progress included. */
  cpuCycles(t: Thread): number {
    return this.loop.cpuCycles(t);
  }

  /** Parks the current thread on `queue` for I/O; the call restarts when it is woken. */
  waitForIo(queue: WaitQueue): KStatus {
    this.#ioWait = queue;
    return K.RESTART;
  }

  /** Opens the block device node at `source` for a file system. */
  openBlockDevice(source: string, write: boolean): BlockDevice | KStatus {
    return this.#storage.openBlockDevice(source, write);
  }

  /** One step of sync(2) over every disk; K.RESTART (waiting) until all are written and flushed. */
  syncDisks(): KStatus {
    return this.#storage.syncDisks();
  }

  // ------------------------------------------------------------------ files

  /** Mounts a file system of a registered type. */
  mount(source: string, target: string, type: string, readOnly: boolean, data: string): KStatus {
    return this.#storage.mount(source, target, type, readOnly, data);
  }

  /**
   * Mounts a file system of type `type` from `source` as the root, keeping
   * devfs on /dev and procfs on /proc (the boot's root on disk; before any
   * process runs: K.BUSY after). K.RESTART while it waits for the disk:
   * call it again (see {@link Kernel.settleIo}).
   */
  mountRoot(source: string, type: string, readOnly: boolean, data = ""): KStatus {
    return this.#storage.mountRoot(source, type, readOnly, data);
  }

  /** Unmounts the file system on `target`; K.BUSY also while a process's directory is on it. */
  umount(target: string): KStatus {
    return this.#storage.umount(target);
  }

  // ---------------------------------------------------------------- devices and plugins

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
    return systemInfo(this, this.#nodename);
  }

  /** Counters. */
  stats(): KernelStats {
    return kernelStats(this);
  }

  /** Runs the machine until init exits, poweroff, or a deadlock. */
  async run(): Promise<KernelExit> {
    await this.loop.run();
    if (this.exitInfo === null) {
      this.exitInfo = { status: this.loop.haltStatus, reason: "halt", detail: "" };
    }
    this.haltCycles = this.machine.clock.now;
    if (CLEAN_SHUTDOWN.has(this.exitInfo.reason)) this.#syncForShutdown();
    this.#drainDevices();
    return this.exitInfo;
  }

  /**
   * A clean shutdown (init exited, poweroff) syncs: every mounted file
   * system, then every disk (dirty blocks written, drives flushed).
   */
  #syncForShutdown(): void {
    const r = this.settleIo(() => {
      const fs = this.vfs.syncAll();
      return fs === K.RESTART ? fs : this.syncDisks();
    }, 60);
    if (r === K.TIMEDOUT) this.log("shutdown: disks not synced in time");
  }

  /**
   * Calls `step` until it stops answering K.RESTART or K.AGAIN, running
   * device events and interrupts in between (no process runs), for at most
   * `seconds` of simulated time. Returns its last status, or K.TIMEDOUT.
   * For kernel work outside any process that waits for a disk: the partition
   * scan and the root mount at boot, the sync at shutdown.
   */
  settleIo(step: () => KStatus, seconds = 30): KStatus {
    const clock = this.machine.clock;
    const cpu = this.#cpu;
    const limit = clock.now + seconds * clock.frequency;
    for (let i = 0; i < 100_000_000; i++) {
      const r = step();
      this.#takeIoWait();
      if (r !== K.RESTART && r !== K.AGAIN) return r;
      if ((cpu.readCsr(CSR.sip) & MIP.SEIP) !== 0) {
        this.#irq.dispatch();
        continue;
      }
      if (clock.nextEventAt > limit) break;
      clock.advanceToNextEvent();
    }
    return K.TIMEDOUT;
  }

  /**
   * After the halt no user code runs, but devices finish what they were
   * given (the console transmits its queued output), as a real machine's
   * shutdown flushes the console: device events and interrupts are processed
   * for at most 10 simulated seconds.
   */
  #drainDevices(): void {
    this.settleIo(() => K.AGAIN, 10);
    if ((this.#cpu.readCsr(CSR.sip) & MIP.SEIP) !== 0) this.#irq.dispatch();
  }
}

/** Halt reasons after which the disks are synced (a cut by a limit or a deadlock is not clean). */
const CLEAN_SHUTDOWN: ReadonlySet<string> = new Set(["init-exit", "poweroff", "halt"]);

/** Bytes of file data held by the ramfs instances mounted in `vfs` (/proc/meminfo Shmem). */
function ramfsBytes(vfs: Vfs): number {
  let n = 0;
  for (const m of vfs.mounts()) if (m.fs instanceof RamFs) n += m.fs.usedBytes;
  return n;
}
