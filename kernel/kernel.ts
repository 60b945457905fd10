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
 * The facade's calls are inherited by layer: memory (`mm/memory_calls.ts`),
 * signals and groups (`ipc/signal_calls.ts`), descriptors (`fs/fd_calls.ts`),
 * processes, threads, blocking and time (`process_calls.ts`); this file adds
 * the storage, plugin and system calls and the run. The services are built
 * by `kernel_wiring.ts`; the settle, shutdown sync and drain after the halt
 * are in `kernel_run.ts`.
 *
 * @module
 */

import { asDouble } from "../lib/double_field.ts";
import type { ByteAccount } from "./fs/pipefs.ts";
import { defaultThreadsMax } from "./proc/rlimits.ts";
import type { Machine } from "../hw/machine.ts";
import {
  API_VERSION,
  type KernelApi,
  type KernelConfig,
  type KernelStats,
  type Personality,
  type SystemInfo,
} from "./api.ts";
import { K, type KStatus } from "./errors.ts";
import type { ExecService } from "./exec/exec_service.ts";
import type { ProcessLifecycle } from "./exec/lifecycle.ts";
import { DEFAULT_MAX_FDS } from "./fs/fd_table.ts";
import type { ProcInfoProvider } from "./fs/procfs.ts";
import type { Vfs } from "./fs/vfs.ts";
import { CharDeviceRegistry } from "./io/char_device.ts";
import type { BlockLayer } from "./block/block_layer.ts";
import type { BlockDevice } from "./block/types.ts";
import type { StorageCalls } from "./storage_calls.ts";
import { InterruptService } from "./io/interrupts.ts";
import { readRtcNs } from "./io/rtc.ts";
import type { FutexTable } from "./ipc/futex.ts";
import type { SignalEngine } from "./ipc/signals.ts";
import { SignalService } from "./ipc/signal_service.ts";
import { WaitQueue } from "./ipc/wait_queue.ts";
import type { AddressSpace, MmStats } from "./mm/address_space.ts";
import { FrameAllocator } from "./mm/frames.ts";
import type { ModuleLoader } from "./modules/loader.ts";
import type { GuestModuleCalls } from "./modules/module_calls.ts";
import { trustedDirs } from "./modules/module_names.ts";
import type { HostWork } from "./proc/host_work.ts";
import { DEFAULT_KERNEL_COSTS, type KernelCosts } from "./proc/costs.ts";
import { FifoPolicy } from "./proc/fifo_policy.ts";
import type { Process } from "./proc/process.ts";
import { ProcessTable } from "./proc/process_table.ts";
import type { SchedulerPolicy } from "./proc/scheduler.ts";
import { Timekeeping } from "./proc/timekeeping.ts";
import type { CpuPort, TrapLoop } from "./proc/trap_loop.ts";
import type { Registrations } from "./registrations.ts";
import type { TrapHandlers } from "./trap_handlers.ts";
import { kernelStats, systemInfo } from "./kernel_info.ts";
import {
  checkOptions,
  DEFAULT_RANDOM_SEED,
  KERNEL_WINDOWS,
  type KernelExit,
  type KernelOptions,
} from "./kernel_types.ts";
import { ProcessCalls } from "./process_calls.ts";
import {
  CLEAN_SHUTDOWN,
  drainDevices,
  type SettleDeps,
  settleIo,
  syncForShutdown,
} from "./kernel_run.ts";
import {
  initCpu,
  type KernelParts,
  newBlockLayer,
  newExecService,
  newFutexTable,
  newHostWork,
  newLifecycle,
  newLoader,
  newModuleCalls,
  newProcProvider,
  newRegistrations,
  newSignalEngine,
  newStorageCalls,
  newTrapHandlers,
  newTrapLoop,
  newVfs,
} from "./kernel_wiring.ts";

export {
  DEFAULT_RANDOM_SEED,
  type FsDeps,
  KERNEL_RELEASE,
  KernelConfigError,
  type KernelExit,
  type KernelOptions,
} from "./kernel_types.ts";
import type { HostInput } from "./fs/host_stream.ts";

/** The kernel over one machine. */
export class Kernel extends ProcessCalls implements KernelApi {
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
  /** Kernel memory charged for pipe buffers (at most a quarter of RAM). */
  readonly pipeMemory: ByteAccount;
  /** Memory counters. */
  readonly mmStats: MmStats = { pageFaults: 0, zeroFills: 0, cowCopies: 0 };
  /** Set when the run ended. */
  exitInfo: KernelExit | null = null;
  /** The /proc provider view of this kernel. */
  readonly procInfo: ProcInfoProvider;
  /** Simulated cycle count when the machine halted (before devices drained). */
  haltCycles: number = asDouble(0);

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
  readonly #settle: SettleDeps;
  // The queue a file system asked to wait on (waitForIo), taken by the trap handler.
  #ioWait: WaitQueue | null = null;
  // Mount, umount, block device opens and sync of disks.
  readonly #storage: StorageCalls;

  /** Builds the kernel over `options.machine` (the builders are in `kernel_wiring.ts`). */
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
    const w = this.#parts();
    this.frames = new FrameAllocator(m.ram);
    const fallbackPolicy = new FifoPolicy();
    this.table = new ProcessTable(fallbackPolicy, (n) => new WaitQueue(n), {
      cancel: (id) => m.clock.cancel(id),
      now: () => m.clock.now,
    });
    this.table.threadsMax = defaultThreadsMax(m.ram.size);
    this.pipeMemory = { used: 0, limit: Math.floor(m.ram.size / 4) };
    this.#irq = new InterruptService(m.bus, (l) => this.log(l));
    this.#settle = {
      clock: m.clock,
      cpu: this.#cpu,
      irq: this.#irq,
      takeIoWait: () => this.#takeIoWait(),
    };
    this.#time = new Timekeeping(m.clock, this.table, readRtcNs(m.bus), (l) => this.log(l));
    this.signals = newSignalEngine(w);
    this.#sig = new SignalService(this.table, this.signals);
    this.#futex = newFutexTable(w);
    this.charDevices = new CharDeviceRegistry();
    this.blockLayer = newBlockLayer(w, options);
    this.modules = newLoader(w);
    this.hostWork = newHostWork(w);
    const dirs = trustedDirs(options.modulePaths ?? []);
    this.moduleDirs = dirs;
    this.moduleCalls = newModuleCalls(w, dirs);
    this.#reg = newRegistrations(w, fallbackPolicy);
    // The host console's window size reaches the console driver (and its tty).
    this.machine.console.onResize = () => this.#reg.consoleResized();
    this.procInfo = newProcProvider(w);
    this.vfs = newVfs(w, options);
    this.#storage = newStorageCalls(w);
    this.#exec = newExecService(w);
    this.#life = newLifecycle(w, options);
    this.#traps = newTrapHandlers(w, options);
    this.loop = newTrapLoop(w, options, this.#cpu, quantum, this.#traps);
    this.#traps.attach(this.loop);
    this.modules.attach(this);
    this.modules.reserve({ mmio: KERNEL_WINDOWS });
    initCpu(m);
    this.#irq.init();
  }

  /** The builders' view of this kernel: its private services are read when a callback runs. */
  #parts(): KernelParts {
    return {
      kernel: this,
      costs: this.#costs,
      time: () => this.#time,
      irq: () => this.#irq,
      reg: () => this.#reg,
      exec: () => this.#exec,
      life: () => this.#life,
      halt: (s, r, d) => this.#halt(s, r, d),
      takeIoWait: () => this.#takeIoWait(),
    };
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

  /** Process creation, exit and wait (the calls of {@link ProcessCalls} use it). */
  protected lifecycle(): ProcessLifecycle {
    return this.#life;
  }

  /** Program loading (exec of {@link ProcessCalls} uses it). */
  protected execService(): ExecService {
    return this.#exec;
  }

  /** The futex table (the futex calls of {@link ProcessCalls} use it). */
  protected futexes(): FutexTable {
    return this.#futex;
  }

  /** Simulated time (the sleep and time calls of {@link ProcessCalls} use it). */
  protected timekeeping(): Timekeeping {
    return this.#time;
  }

  // ------------------------------------------------------------------ logging

  /** Empties the kernel log. */
  clearLog(): void {
    this.logLines.length = 0;
  }

  /** Writes a line to the kernel log (stamped with simulated seconds). */
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

  #takeIoWait(): WaitQueue | null {
    const q = this.#ioWait;
    this.#ioWait = null;
    return q;
  }

  // ------------------------------------------------------------------ storage

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

  /**
   * Runs the machine until init exits, poweroff, or a deadlock; then a
   * clean halt syncs the disks, and the devices drain (`kernel_run.ts`).
   */
  async run(): Promise<KernelExit> {
    await this.loop.run();
    if (this.exitInfo === null) {
      this.exitInfo = { status: this.loop.haltStatus, reason: "halt", detail: "" };
    }
    this.haltCycles = this.machine.clock.now;
    if (CLEAN_SHUTDOWN.has(this.exitInfo.reason)) {
      syncForShutdown(this.#settle, this.vfs, () => this.syncDisks(), (l) => this.log(l));
    }
    drainDevices(this.#settle);
    return this.exitInfo;
  }

  /**
   * Calls `step` until it stops answering K.RESTART or K.AGAIN, running
   * device events and interrupts in between (no process runs), for at most
   * `seconds` of simulated time. Returns its last status, or K.TIMEDOUT.
   * For kernel work outside any process that waits for a disk: the partition
   * scan and the root mount at boot, the sync at shutdown.
   */
  settleIo(step: () => KStatus, seconds = 30): KStatus {
    return settleIo(this.#settle, step, seconds);
  }
}
