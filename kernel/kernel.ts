/**
 * The kernel: assembles the layers over one machine and implements
 * {@link KernelApi} for plugins, the trap hooks of the main loop (system
 * call dispatch, page faults, exceptions, interrupts), the signal engine's
 * hooks, the module loader's host side and the /proc provider.
 *
 * @module
 */

import { CSR, ISA_STRING, MENVCFGH } from "../hw/csr.ts";
import { parseElf32 } from "../lib/elf.ts";
import { MIP } from "../hw/irq.ts";
import type { Machine } from "../hw/machine.ts";
import { MEMORY_MAP, PLIC_CONTEXT, PLIC_SOURCES } from "../hw/memory_map.ts";
import { PLIC_REG } from "../hw/plic.ts";
import { RTC_REG } from "../hw/rtc.ts";
import {
  API_VERSION,
  BLOCK,
  type CharDeviceRegistration,
  type KernelApi,
  type KernelConfig,
  type KernelStats,
  type LoadedImage,
  NO_RESULT,
  type Personality,
  type SystemInfo,
  WAIT,
  WaitKind,
  type WaitRecord,
} from "./api.ts";
import { K, KernelError, type KStatus, statusName } from "./errors.ts";
import { DEFAULT_MAX_FDS, FdTable } from "./fs/fd_table.ts";
import { loadElf } from "./exec/elf_loader.ts";
import type { FileOps, GuestMemory, OpenFile } from "./fs/types.ts";
import { S_IFMT, S_IFREG } from "./fs/types.ts";
import { type PathLoc, Vfs } from "./fs/vfs.ts";
import { RamFs } from "./fs/ramfs.ts";
import type {
  CpuInfo,
  InterruptInfo,
  MemInfo,
  ProcessInfo,
  ProcInfoProvider,
} from "./fs/procfs.ts";
import { CharDeviceError, CharDeviceRegistry } from "./io/char_device.ts";
import { CLD, SEGV, SI, SignalEngine, type SignalInfo } from "./ipc/signals.ts";
import { isValidSignal, SA, SIG, SIG_DFL, SIG_IGN, SIGNAL_NAMES } from "./ipc/signal_numbers.ts";
import { WaitQueue } from "./ipc/wait_queue.ts";
import {
  Access,
  AddressSpace,
  FaultResult,
  type MmContext,
  type MmStats,
  Prot,
  USER_LAYOUT,
} from "./mm/address_space.ts";
import { AsidAllocator } from "./mm/asid.ts";
import { FrameAllocator, PAGE_SIZE } from "./mm/frames.ts";
import { ModuleLoader } from "./modules/loader.ts";
import { DEFAULT_KERNEL_COSTS, type KernelCosts } from "./proc/costs.ts";
import { FifoPolicy } from "./proc/fifo_policy.ts";
import {
  NO_MEMORY,
  type ParkingPlace,
  type Process,
  type SigAction,
  STATE_LETTERS,
  TaskState,
  type Thread,
} from "./proc/process.ts";
import { ProcessTable } from "./proc/process_table.ts";
import { EnqueueReason, type SchedulerPolicy } from "./proc/scheduler.ts";
import { type CpuPort, type TrapHooks, TrapLoop } from "./proc/trap_loop.ts";
import type { TraceRecorder } from "./proc/trace.ts";
import { CAUSE } from "../hw/csr.ts";

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

const SLEEP_PLACE: ParkingPlace = { name: "sleep", remove: () => {} };
const PAUSE_PLACE: ParkingPlace = { name: "pause", remove: () => {} };
const MAX_SCRIPT_DEPTH = 4;
const MAX_EOF_INJECTIONS = 16;
const td = new TextDecoder();

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

/** Raised when the kernel is misconfigured by its host (not by a guest). */
export class KernelConfigError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "KernelConfigError";
  }
}

interface Registered<T> {
  value: T;
  owner: string | null;
}

/** The kernel over one machine. */
export class Kernel implements KernelApi, TrapHooks {
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
  /** Signals. */
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

  readonly #cpu: CpuPort;
  readonly #costs: KernelCosts;
  readonly #mm: MmContext;
  readonly #personalities: Registered<Personality>[] = [];
  readonly #charDevOwners: { major: number; minor: number; owner: string | null }[] = [];
  #schedulerOwner: string | null = null;
  readonly #eofHandlers: Registered<() => void>[] = [];
  #eofInjections = 0;
  readonly #fallbackPolicy = new FifoPolicy();
  readonly #irqHandlers: ((() => void) | null)[] = new Array(PLIC_SOURCES).fill(null);
  readonly #irqCounts: number[] = new Array(PLIC_SOURCES).fill(0);
  #owner: string | null = null;
  readonly #log: ((line: string) => void) | undefined;
  readonly #trace: ((line: string) => void) | null;
  readonly #nodename: string;
  readonly #bootRealtimeNs: bigint;
  #hostErrors = 0;
  #nudges = 0;
  readonly #realtimeIdle: boolean;

  /** Builds the kernel over `options.machine`. */
  constructor(options: KernelOptions) {
    const m = options.machine;
    if (m.cpu.mmu.kind !== "sv32") {
      // Contiguous allocation for the base/limit unit is not written yet: refuse clearly.
      throw new KernelConfigError(
        `the kernel needs an Sv32 MMU; this machine has "${m.cpu.mmu.kind}"`,
      );
    }
    this.machine = m;
    this.#cpu = m.cpu as unknown as CpuPort;
    this.#costs = { ...DEFAULT_KERNEL_COSTS, ...options.costs };
    this.#log = options.log;
    this.#trace = options.trace ?? null;
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
    const cpu = m.cpu;
    this.#mm = {
      frames: this.frames,
      asids: new AsidAllocator(),
      flush: (va, asid) => cpu.mmu.flush(va, asid),
      charge: (c) => this.loop.charge(c),
      costs: this.#costs,
      stats: this.mmStats,
    };
    this.table = new ProcessTable(this.#fallbackPolicy, (n) => new WaitQueue(n), {
      cancel: (id) => m.clock.cancel(id),
    });
    this.loop = new TrapLoop({
      cpu: this.#cpu,
      clock: m.clock,
      table: this.table,
      hooks: this,
      quantum,
      costs: this.#costs,
      budget: options.budget,
      hostYield: options.hostYield,
      trace: options.traceRecorder ?? null,
    });
    this.signals = new SignalEngine(this.table, {
      terminate: (p, sig, core) => this.#terminate(p, 0, sig, core),
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
    this.#bootRealtimeNs = this.#readRtc();
    this.#realtimeIdle = options.realtimeIdle ?? false;
    this.charDevices = new CharDeviceRegistry();
    this.procInfo = {
      pids: () => this.pids(),
      process: (pid) => this.processInfo(pid),
      selfPid: () => this.selfPid(),
      memory: () => this.memory(),
      uptime: () => this.uptime(),
      interrupts: () => this.interrupts(),
      version: () => this.versionText(),
      ticksPerSecond: 100,
      cpus: () => this.cpus(),
    };
    const now = () => this.realtimeNs();
    this.vfs = options.buildFs
      ? options.buildFs({ charDevices: this.charDevices, proc: this.procInfo, now })
      : new Vfs({ root: new RamFs({ now }), charDevices: this.charDevices });
    this.modules = new ModuleLoader({
      bus: m.bus,
      setIrqHandler: (irq, h) => this.#setIrqHandler(irq, h),
      setOwner: (name) => void (this.#owner = name),
      dropRegistrations: (name) => this.#dropRegistrations(name),
      log: (msg) => this.log(msg),
    });
    this.modules.attach(this);
    this.#initCpu();
  }

  #initCpu(): void {
    const cpu = this.#cpu;
    (this.machine.cpu as { hostSupervisor: boolean }).hostSupervisor = true;
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
    const plic = MEMORY_MAP.PLIC_BASE;
    this.machine.bus.write(
      plic + PLIC_REG.THRESHOLD + PLIC_REG.CONTEXT_STRIDE * PLIC_CONTEXT.S,
      4,
      0,
    );
  }

  #readRtc(): bigint {
    const bus = this.machine.bus;
    const lo = bus.read(MEMORY_MAP.RTC_BASE + RTC_REG.TIME_LOW, 4);
    const hi = bus.read(MEMORY_MAP.RTC_BASE + RTC_REG.TIME_HIGH, 4);
    return (BigInt(hi) << 32n) | BigInt(lo);
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

  // --------------------------------------------------------------- trap hooks

  /** Dispatches a system call through the process's personality table. */
  syscall(t: Thread): void {
    const p = t.process;
    const pers = p.personality as Personality;
    const num = t.regs[17];
    t.restartPc = (t.pc - 4) >>> 0;
    t.interrupted = false;
    const h = pers.syscalls[num];
    const trace = this.#trace;
    const rec = this.loop.trace;
    let t0 = 0;
    if (trace !== null || rec !== null) {
      this.#traceArgs(t);
      t0 = this.machine.clock.now - this.#costs.trap - this.#costs.syscall;
    }
    let r: number;
    if (h === undefined) r = K.NOSYS;
    else {
      try {
        r = h(t, this);
      } catch (e) {
        this.#guestKilledByHostError(t, e, `system call ${pers.syscallNames[num] ?? num}`);
        return;
      }
    }
    if (trace !== null) this.#traceCall(t, pers, num, r);
    if (rec !== null) {
      rec.complete(
        pers.syscallNames[num] ?? `syscall_${num}`,
        "syscall",
        p.pid,
        t.tid,
        t0,
        this.machine.clock.now,
        { a0: this.#traceA[0], result: r === BLOCK ? "blocked" : r === NO_RESULT ? "-" : r },
      );
    }
    if (r === BLOCK) {
      t.pc = t.restartPc;
      return;
    }
    t.restartState = -1;
    t.partialResult = -1;
    t.noRestart = false;
    if (r === NO_RESULT) return;
    if (r < 0 && r >= -4095) r = pers.mapStatus(r);
    t.regs[10] = r;
  }

  readonly #traceA = new Int32Array(3);

  #traceArgs(t: Thread): void {
    this.#traceA[0] = t.regs[10];
    this.#traceA[1] = t.regs[11];
    this.#traceA[2] = t.regs[12];
  }

  #traceCall(t: Thread, pers: Personality, num: number, r: number): void {
    const name = pers.syscallNames[num] ?? `syscall_${num}`;
    const a = this.#traceA;
    const res = r === BLOCK
      ? "<blocked>"
      : r === NO_RESULT
      ? "<no result>"
      : r < 0 && r >= -4095
      ? `${r} ${statusName(r)}`
      : String(r);
    this.#trace!(
      `${t.process.pid} ${name}(0x${(a[0] >>> 0).toString(16)}, 0x${(a[1] >>> 0).toString(16)}, 0x${
        (a[2] >>> 0).toString(16)
      }) = ${res}`,
    );
  }

  /** Resolves a page fault or sends SIGSEGV (SIGKILL when RAM is exhausted). */
  pageFault(t: Thread, cause: number, addr: number): void {
    const p = t.process;
    const sp = p.space as AddressSpace | null;
    if (sp === null) return;
    const access = cause === CAUSE.FETCH_PAGE_FAULT
      ? Access.EXEC
      : cause === CAUSE.LOAD_PAGE_FAULT
      ? Access.READ
      : Access.WRITE;
    p.pageFaults++;
    const r = sp.handleFault(addr, access);
    if (r === FaultResult.OK) return;
    if (r === FaultResult.NOMEM) {
      this.log(`out of memory: killing pid ${p.pid} (${p.comm}) at 0x${addr.toString(16)}`);
      this.signals.send(p, SIG.KILL, 0, SI.KERNEL);
      return;
    }
    this.#forceSignal(t, SIG.SEGV, r === FaultResult.MAPERR ? SEGV.MAPERR : SEGV.ACCERR, addr);
  }

  /** Maps other exceptions to signals (SIGILL, SIGTRAP, SIGBUS, SIGSEGV). */
  exception(t: Thread, cause: number, tval: number): void {
    switch (cause) {
      case CAUSE.ILLEGAL_INSTRUCTION:
        this.#forceSignal(t, SIG.ILL, 1, t.pc);
        break;
      case CAUSE.BREAKPOINT:
        this.#forceSignal(t, SIG.TRAP, 1, t.pc);
        break;
      case CAUSE.MISALIGNED_FETCH:
      case CAUSE.MISALIGNED_LOAD:
      case CAUSE.MISALIGNED_STORE:
        this.#forceSignal(t, SIG.BUS, 1, tval);
        break;
      case CAUSE.FETCH_ACCESS:
      case CAUSE.LOAD_ACCESS:
      case CAUSE.STORE_ACCESS:
        this.#forceSignal(t, SIG.SEGV, SEGV.ACCERR, tval);
        break;
      default:
        this.#forceSignal(t, SIG.ILL, 0, t.pc);
    }
  }

  /** A synchronous fault signal: unblocked and un-ignored, so it cannot loop forever. */
  #forceSignal(t: Thread, sig: number, code: number, addr: number): void {
    const p = t.process;
    const act = p.sigActions[sig];
    const bit = 1 << (sig - 1);
    if (act.handler === SIG_IGN || (t.sigBlockedLo & bit) !== 0) {
      act.handler = SIG_DFL;
      t.sigBlockedLo &= ~bit;
    }
    // A fault inside a handler whose signal is blocked would recur: take the default.
    this.signals.sendThread(t, sig, 0, code, 0, addr);
  }

  /** Claims and dispatches pending PLIC interrupts (S context). */
  externalInterrupt(): void {
    const bus = this.machine.bus;
    const claim = MEMORY_MAP.PLIC_BASE + PLIC_REG.CLAIM + PLIC_REG.CONTEXT_STRIDE * PLIC_CONTEXT.S;
    this.#nudges = 0;
    for (let n = 0; n < 64; n++) {
      const src = bus.read(claim, 4);
      if (src === 0) return;
      this.#irqCounts[src]++;
      const h = this.#irqHandlers[src];
      try {
        if (h !== null) h();
        else this.log(`spurious interrupt from source ${src}`);
      } catch (e) {
        this.log(`interrupt handler for source ${src} threw: ${errorText(e)}`);
      } finally {
        bus.write(claim, 4, src);
      }
    }
  }

  /** Delivers pending signals before a return to user mode. */
  deliverSignals(t: Thread): void {
    this.signals.deliver(t);
  }

  /** A host exception escaped the trap handling. */
  hostError(t: Thread | null, error: unknown): void {
    if (t !== null && t.process.state !== TaskState.ZOMBIE) {
      this.#guestKilledByHostError(t, error, "trap handling");
      return;
    }
    this.log(`kernel error while idle: ${errorText(error)}`);
    if (++this.#hostErrors > 100) this.#halt(70, "error", "too many kernel errors");
  }

  #guestKilledByHostError(t: Thread, e: unknown, where: string): void {
    const p = t.process;
    this.log(`kernel error in ${where} of pid ${p.pid} (${p.comm}): ${errorText(e)}; killed`);
    if (++this.#hostErrors > 1000) {
      this.#halt(70, "error", "too many kernel errors");
      return;
    }
    this.#terminate(p, 0, SIG.SYS, true);
  }

  /** Interactive pacing of idle time (see {@link KernelOptions.realtimeIdle}). */
  paceIdle(cycles: number): Promise<number> | null {
    if (!this.#realtimeIdle) return null;
    const c = this.machine.console;
    const freq = this.machine.clock.frequency;
    const ms = (cycles / freq) * 1000;
    if (ms < 1 || c.hasInput()) return null;
    const start = performance.now();
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(Math.floor(((performance.now() - start) / 1000) * freq));
      };
      const timer = setTimeout(finish, Math.min(ms, 0x7fff_ffff));
      if (!c.inputClosed) c.waitForInput().then(finish);
    });
  }

  /** Idle with nothing pending: wait for console input if it can still come. */
  waitForHost(): Promise<void> | null {
    const c = this.machine.console;
    if (c.inputClosed) return null;
    if (c.hasInput()) {
      // Input is there but the UART has not taken it: nudge it through its
      // callback. If that never leads to an interrupt, nothing can change.
      if (++this.#nudges > 1000) return null;
      c.onInput?.();
      return new Promise((r) => setTimeout(r, 1));
    }
    return c.waitForInput();
  }

  /**
   * Every thread blocked and nothing can wake one. If the host console's
   * input has ended and a driver registered an end-of-input action (the
   * console turns it into ^D, as if the user typed it), that runs first, a
   * bounded number of times; otherwise report and halt.
   */
  deadlock(blocked: Thread[]): boolean {
    if (
      this.machine.console.inputClosed && this.#eofHandlers.length > 0 &&
      this.#eofInjections < MAX_EOF_INJECTIONS
    ) {
      this.#eofInjections++;
      for (const h of this.#eofHandlers) {
        try {
          h.value();
        } catch (e) {
          this.log(`end-of-input handler threw: ${errorText(e)}`);
        }
      }
      return true;
    }
    const lines = blocked.map((t) =>
      `  pid ${t.process.pid} (${t.process.comm}) blocked on ${t.parkedOn?.name ?? "?"}`
    );
    const detail = blocked.length === 0
      ? "no runnable process and nothing pending"
      : `all processes are blocked and nothing can wake them:\n${lines.join("\n")}`;
    this.log(`deadlock: ${detail}`);
    this.#halt(124, "deadlock", detail);
    return false;
  }

  /** Registers what to do when the host console's input has ended and everything waits. */
  onConsoleInputEnd(handler: () => void): void {
    this.#eofHandlers.push({ value: handler, owner: this.#owner });
  }

  #halt(status: number, reason: string, detail: string): void {
    if (this.exitInfo === null) this.exitInfo = { status, reason, detail };
    this.loop.halt(status);
  }

  // ---------------------------------------------------------------- signals

  #deliverToHandler(t: Thread, sig: number, act: SigAction, info: SignalInfo): boolean {
    const pers = t.process.personality as Personality | null;
    if (pers === null) return false;
    try {
      return pers.deliverSignal(t, sig, act, info);
    } catch (e) {
      this.log(`deliverSignal threw for pid ${t.process.pid}: ${errorText(e)}`);
      return false;
    }
  }

  #mapStatus(p: Process, status: number): number {
    const pers = p.personality as Personality | null;
    return pers === null ? status : pers.mapStatus(status);
  }

  // ------------------------------------------------------- process lifecycle

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

  #ownerOf(pers: Personality): string | null {
    return this.#personalities.find((r) => r.value === pers)?.owner ?? null;
  }

  /**
   * Creates the first process (pid 1 when none exists yet) with an empty
   * descriptor table and the root as cwd; exec it afterwards with
   * {@link startProcess}.
   */
  createInitProcess(): Process {
    const p = this.table.create(null);
    if (p === null) throw new KernelError(K.AGAIN, "no pid for the first process");
    p.files = new FdTable(this.vfs, this.maxFds);
    p.cwdLoc = this.vfs.root();
    p.cwd = "/";
    p.startCycle = this.machine.clock.now;
    return p;
  }

  /**
   * Execs `path` in a process created by {@link createInitProcess} and makes
   * it runnable. Throws KernelError when the program cannot be started.
   */
  startProcess(p: Process, path: string, argv: string[], envp: string[]): void {
    const t = p.mainThread;
    const r = this.exec(t, path, argv, envp);
    if (r !== NO_RESULT) {
      throw new KernelError(r, `cannot start ${path}: ${statusName(r)}`);
    }
    this.table.makeReady(t, EnqueueReason.NEW);
  }

  /** fork with copy-on-write memory. */
  fork(t: Thread): Process | KStatus {
    const p = t.process;
    const sp = p.space as AddressSpace | null;
    if (sp === null || p.files === null) return K.INVAL;
    const c = this.table.create(p);
    if (c === null) return K.AGAIN;
    const cs = sp.fork();
    if (cs === null) {
      this.table.zombify(c);
      this.table.reap(c);
      return K.NOMEM;
    }
    c.space = cs;
    c.memory = cs;
    c.files = (p.files as FdTable).fork();
    c.cwdLoc = p.cwdLoc;
    c.cwd = p.cwd;
    c.comm = p.comm;
    c.argv = p.argv;
    c.envp = p.envp;
    c.personality = p.personality;
    c.personalityName = p.personalityName;
    c.startCycle = this.machine.clock.now;
    for (let s = 1; s <= 64; s++) Object.assign(c.sigActions[s], p.sigActions[s]);
    const ct = c.mainThread;
    ct.regs.set(t.regs);
    ct.regs[10] = 0;
    ct.pc = t.pc;
    ct.sigBlockedLo = t.sigBlockedLo;
    ct.sigBlockedHi = t.sigBlockedHi;
    ct.priority = t.priority;
    const pers = p.personality as Personality | null;
    if (pers !== null) {
      const owner = this.#ownerOf(pers);
      if (owner !== null) this.modules.ref(owner);
      try {
        pers.onFork?.(p, c);
      } catch (e) {
        this.log(`onFork threw: ${errorText(e)}`);
      }
    }
    this.loop.charge(this.#costs.fork);
    this.table.makeReady(ct, EnqueueReason.NEW);
    return c;
  }

  /** Creates a child running `path` without fork (CreateProcess / posix_spawn). */
  spawn(t: Thread, path: string, argv: string[], envp: string[]): Process | KStatus {
    const p = t.process;
    if (p.files === null) return K.INVAL;
    const c = this.table.create(p);
    if (c === null) return K.AGAIN;
    c.files = (p.files as FdTable).fork();
    c.cwdLoc = p.cwdLoc;
    c.cwd = p.cwd;
    c.startCycle = this.machine.clock.now;
    for (let s = 1; s <= 64; s++) {
      // Ignored signals stay ignored across exec; caught ones reset (exec does that).
      Object.assign(c.sigActions[s], p.sigActions[s]);
    }
    const ct = c.mainThread;
    ct.sigBlockedLo = t.sigBlockedLo;
    ct.sigBlockedHi = t.sigBlockedHi;
    const r = this.exec(ct, path, argv, envp);
    if (r !== NO_RESULT) {
      (c.files as FdTable).closeAll();
      c.files = null;
      this.table.zombify(c);
      this.table.reap(c);
      return r;
    }
    this.loop.charge(this.#costs.fork);
    this.table.makeReady(ct, EnqueueReason.NEW);
    return c;
  }

  /** exec: replaces the program of `t.process`. */
  exec(t: Thread, path: string, argv: string[], envp: string[]): number {
    return this.#exec(t, path, argv, envp, 0);
  }

  #exec(t: Thread, path: string, argv: string[], envp: string[], depth: number): number {
    const p = t.process;
    const base = (p.cwdLoc as PathLoc | null) ?? this.vfs.root();
    const st = this.vfs.stat(base, path, p);
    if (typeof st === "number") return st;
    if ((st.mode & S_IFMT) !== S_IFREG) return K.ACCES;
    if ((st.mode & 0o111) === 0) return K.ACCES;
    const bytes = this.vfs.readWholeFile(path, base);
    if (typeof bytes === "number") return bytes;
    const loc = this.vfs.lookup(base, path, true, p);
    const absPath = typeof loc === "number" ? path : loc.path;
    if (bytes.length >= 2 && bytes[0] === 0x23 && bytes[1] === 0x21) {
      return this.#execScript(t, bytes, absPath, path, argv, envp, depth);
    }
    let pers: Personality | null = null;
    for (const r of this.#personalities) {
      let ok = false;
      try {
        ok = r.value.checkBinary(bytes);
      } catch {
        ok = false;
      }
      if (ok) {
        pers = r.value;
        break;
      }
    }
    if (pers === null) return K.NOEXEC;
    let space: AddressSpace;
    try {
      space = new AddressSpace(this.#mm);
    } catch {
      return K.NOMEM;
    }
    const image = this.#loadImage(pers, space, bytes, absPath);
    if (typeof image === "number") {
      space.destroy();
      return image;
    }
    // Point of no return for the address space, unless setupProcess fails.
    const oldSpace = p.space as AddressSpace | null;
    p.space = space;
    p.memory = space;
    const savedRegs = t.regs.slice();
    const savedPc = t.pc;
    t.regs.fill(0);
    let st2: number;
    try {
      st2 = pers.setupProcess(t, image, argv, envp);
    } catch (e) {
      this.log(`setupProcess threw: ${errorText(e)}`);
      st2 = K.FAULT;
    }
    if (st2 < 0) {
      p.space = oldSpace;
      p.memory = oldSpace ?? NO_MEMORY;
      t.regs.set(savedRegs);
      t.pc = savedPc;
      space.destroy();
      return st2;
    }
    oldSpace?.destroy();
    this.loop.invalidateSpace();
    (p.files as FdTable | null)?.closeOnExec();
    for (let s = 1; s <= 64; s++) {
      const a = p.sigActions[s];
      if (a.handler !== SIG_IGN) {
        a.handler = SIG_DFL;
        a.flags = 0;
        a.maskLo = a.maskHi = 0;
        a.restorer = 0;
      }
    }
    t.hasSavedMask = false;
    const oldPers = p.personality as Personality | null;
    if (oldPers !== pers) {
      if (oldPers !== null) {
        try {
          oldPers.onExecAway?.(p);
        } catch (e) {
          this.log(`onExecAway threw: ${errorText(e)}`);
        }
        const o = this.#ownerOf(oldPers);
        if (o !== null) this.modules.unref(o);
      }
      const n = this.#ownerOf(pers);
      if (n !== null) this.modules.ref(n);
      p.personality = pers;
      p.personalityName = pers.name;
    }
    const slash = absPath.lastIndexOf("/");
    p.comm = absPath.slice(slash + 1).slice(0, 15);
    p.argv = argv.slice();
    p.envp = envp.slice();
    this.loop.charge(this.#costs.exec);
    return NO_RESULT;
  }

  #execScript(
    t: Thread,
    bytes: Uint8Array,
    absPath: string,
    path: string,
    argv: string[],
    envp: string[],
    depth: number,
  ): number {
    if (depth >= MAX_SCRIPT_DEPTH) return K.LOOP;
    let end = bytes.indexOf(10);
    if (end < 0) end = Math.min(bytes.length, 256);
    const line = td.decode(bytes.subarray(2, Math.min(end, 256))).trim();
    if (line.length === 0) return K.NOEXEC;
    const sp = line.search(/\s/);
    const interp = sp < 0 ? line : line.slice(0, sp);
    const arg = sp < 0 ? "" : line.slice(sp).trim();
    const nargv = [interp, ...(arg ? [arg] : []), path, ...argv.slice(1)];
    void absPath;
    return this.#exec(t, interp, nargv, envp, depth + 1);
  }

  #loadImage(
    pers: Personality,
    space: AddressSpace,
    bytes: Uint8Array,
    path: string,
  ): LoadedImage | KStatus {
    if (pers.loadBinary !== undefined) {
      try {
        const r = pers.loadBinary(bytes, path, {
          map: (addr, length, prot, name) => space.mapRegion(addr, length, prot, name),
          write: (addr, data) => space.populate(addr, data) ? K.OK : K.FAULT,
        });
        if (typeof r !== "number") {
          if (space.findRegion(r.stackTop - 1) === undefined) {
            const st = space.mapRegion(r.stackTop - r.stackSize, r.stackSize, 3, "[stack]");
            if (st < 0) return st;
          }
          if (space.brkStart === 0) space.initBrk(r.brk);
        }
        return r;
      } catch (e) {
        this.log(`loadBinary threw: ${errorText(e)}`);
        return K.NOEXEC;
      }
    }
    let elf;
    try {
      elf = parseElf32(bytes);
    } catch {
      return K.NOEXEC;
    }
    const lay = loadElf(space, elf, path);
    if (typeof lay === "number") return lay;
    return {
      path,
      entry: lay.entry,
      phdrAddr: lay.phdrAddr,
      phent: elf.phentsize,
      phnum: elf.phnum,
      base: lay.base,
      brk: lay.brk,
      stackTop: USER_LAYOUT.STACK_TOP,
      stackSize: USER_LAYOUT.STACK_SIZE,
      elf,
      bytes,
    };
  }

  /** exit: terminates the process of `t`. */
  exit(t: Thread, code: number): number {
    this.#terminate(t.process, code & 0xff, 0, false);
    return NO_RESULT;
  }

  #terminate(p: Process, code: number, sig: number, core: boolean): void {
    if (p.state === TaskState.ZOMBIE) return;
    const pers = p.personality as Personality | null;
    if (pers !== null) {
      try {
        pers.onExit?.(p);
      } catch (e) {
        this.log(`onExit threw: ${errorText(e)}`);
      }
    }
    (p.files as FdTable | null)?.closeAll();
    p.files = null;
    const sp = p.space as AddressSpace | null;
    p.space = null;
    p.memory = NO_MEMORY;
    if (sp !== null) {
      sp.destroy();
      this.loop.invalidateSpace();
    }
    p.exitCode = code & 0xff;
    p.termSignal = sig;
    p.coreDumped = core;
    this.table.zombify(p);
    if (pers !== null) {
      const o = this.#ownerOf(pers);
      if (o !== null) this.modules.unref(o);
    }
    if (sig !== 0 && p !== this.table.init) {
      this.log(
        `pid ${p.pid} (${p.comm}) killed by SIG${SIGNAL_NAMES[sig]}${core ? " (core)" : ""}`,
      );
    }
    if (p === this.table.init) {
      this.#halt(sig !== 0 ? 128 + sig : code & 0xff, "init-exit", `init exited`);
      return;
    }
    const parent = p.parent;
    const cld = sig === 0 ? CLD.EXITED : core ? CLD.DUMPED : CLD.KILLED;
    if (parent === null) {
      this.table.reap(p);
      return;
    }
    const chld = parent.sigActions[SIG.CHLD];
    const autoReap = chld.handler === SIG_IGN || (chld.flags & SA.NOCLDWAIT) !== 0;
    this.signals.notifyParent(p, cld, sig === 0 ? code & 0xff : sig);
    if (autoReap) {
      parent.childUserCycles += this.#userCycles(p);
      parent.childSystemCycles += this.#systemCycles(p);
      this.table.reap(p);
    }
  }

  #userCycles(p: Process): number {
    let n = 0;
    for (const t of p.threads) n += t.userCycles;
    return n;
  }

  #systemCycles(p: Process): number {
    let n = 0;
    for (const t of p.threads) n += t.systemCycles;
    return n;
  }

  /** wait4/waitid for a child of `t.process`. */
  wait(t: Thread, pid: number, options: number): WaitRecord | number {
    const p = t.process;
    let opts = options;
    if ((opts & (WAIT.EXITED | WAIT.STOPPED | WAIT.CONTINUED)) === 0) opts |= WAIT.EXITED;
    let found = false;
    for (const c of p.children) {
      if (pid > 0 && c.pid !== pid) continue;
      if (pid === 0 && c.pgid !== p.pgid) continue;
      if (pid < -1 && c.pgid !== -pid) continue;
      found = true;
      if (c.state === TaskState.ZOMBIE) {
        if ((opts & WAIT.EXITED) === 0) continue;
        const rec: WaitRecord = {
          pid: c.pid,
          kind: c.termSignal !== 0 ? WaitKind.KILLED : WaitKind.EXITED,
          code: c.termSignal !== 0 ? 0 : c.exitCode,
          signal: c.termSignal,
          core: c.coreDumped,
          status: c.termSignal !== 0
            ? (c.termSignal | (c.coreDumped ? 0x80 : 0))
            : (c.exitCode & 0xff) << 8,
          userCycles: this.#userCycles(c) + c.childUserCycles,
          systemCycles: this.#systemCycles(c) + c.childSystemCycles,
        };
        if ((opts & WAIT.NOWAIT) === 0) {
          p.childUserCycles += rec.userCycles;
          p.childSystemCycles += rec.systemCycles;
          this.table.reap(c);
        }
        return rec;
      }
      if ((opts & WAIT.STOPPED) !== 0 && c.state === TaskState.STOPPED && c.stopReportPending) {
        if ((opts & WAIT.NOWAIT) === 0) c.stopReportPending = false;
        return {
          pid: c.pid,
          kind: WaitKind.STOPPED,
          code: 0,
          signal: c.stopSignal,
          core: false,
          status: (c.stopSignal << 8) | 0x7f,
          userCycles: 0,
          systemCycles: 0,
        };
      }
      if ((opts & WAIT.CONTINUED) !== 0 && c.continueReportPending) {
        if ((opts & WAIT.NOWAIT) === 0) c.continueReportPending = false;
        return {
          pid: c.pid,
          kind: WaitKind.CONTINUED,
          code: 0,
          signal: SIG.CONT,
          core: false,
          status: 0xffff,
          userCycles: 0,
          systemCycles: 0,
        };
      }
    }
    if (!found) return K.CHILD;
    if ((opts & WAIT.NOHANG) !== 0) return 0;
    return this.block(t, this.table.childEvents(p) as WaitQueue);
  }

  /** kill(2) semantics without permission checks. */
  kill(sender: Process | null, pid: number, sig: number): KStatus {
    if (sig !== 0 && !isValidSignal(sig)) return K.INVAL;
    const from = sender?.pid ?? 0;
    if (pid > 0) {
      const p = this.table.get(pid);
      if (p === undefined) return K.SRCH;
      return this.signals.send(p, sig, from);
    }
    if (pid === 0) {
      if (sender === null) return K.INVAL;
      return this.#killGroup(sender.pgid, sig, from);
    }
    if (pid === -1) {
      let n = 0;
      for (const p of this.table.list()) {
        if (p.pid === 1 || p === sender || p.state === TaskState.ZOMBIE) continue;
        this.signals.send(p, sig, from);
        n++;
      }
      return n > 0 ? K.OK : K.SRCH;
    }
    return this.#killGroup(-pid, sig, from);
  }

  /** Sends to one thread. */
  tgkill(sender: Process | null, tgid: number, tid: number, sig: number): KStatus {
    if (sig !== 0 && !isValidSignal(sig)) return K.INVAL;
    if (!(tid > 0)) return K.INVAL;
    const p = this.table.get(tid);
    if (p === undefined || (tgid !== -1 && p.pid !== tgid) || p.threads.length === 0) {
      return K.SRCH;
    }
    return this.signals.sendThread(p.mainThread, sig, sender?.pid ?? 0, SI.TKILL);
  }

  /** Signals a process group (the tty's job control uses it). */
  killGroup(pgid: number, sig: number): KStatus {
    return this.#killGroup(pgid, sig, 0);
  }

  #killGroup(pgid: number, sig: number, from: number): KStatus {
    if (!(pgid > 0)) return K.INVAL;
    let n = 0;
    for (const p of this.table.list()) {
      if (p.pgid !== pgid || p.state === TaskState.ZOMBIE) continue;
      this.signals.send(p, sig, from);
      n++;
    }
    return n > 0 ? K.OK : K.SRCH;
  }

  /** setpgid with the POSIX checks. */
  setpgid(caller: Process, pid: number, pgid: number): KStatus {
    if (pgid < 0) return K.INVAL;
    const target = pid === 0 ? caller : this.table.get(pid);
    if (target === undefined || target.state === TaskState.ZOMBIE) return K.SRCH;
    if (target !== caller && target.parent !== caller) return K.SRCH;
    if (target.sid !== caller.sid) return K.PERM;
    if (target.sid === target.pid) return K.PERM;
    const g = pgid === 0 ? target.pid : pgid;
    if (g !== target.pid) {
      let exists = false;
      for (const p of this.table.byPid.values()) {
        if (p.pgid === g && p.sid === caller.sid && p.state !== TaskState.ZOMBIE) {
          exists = true;
          break;
        }
      }
      if (!exists) return K.PERM;
    }
    target.pgid = g;
    return K.OK;
  }

  /** getpgid. */
  getpgid(caller: Process, pid: number): number {
    const p = pid === 0 ? caller : this.table.get(pid);
    return p === undefined ? K.SRCH : p.pgid;
  }

  /** setsid. */
  setsid(caller: Process): number {
    for (const p of this.table.byPid.values()) {
      if (p.pgid === caller.pid && p.state !== TaskState.ZOMBIE) return K.PERM;
    }
    caller.sid = caller.pid;
    caller.pgid = caller.pid;
    return caller.pid;
  }

  /** getsid. */
  getsid(caller: Process, pid: number): number {
    const p = pid === 0 ? caller : this.table.get(pid);
    return p === undefined ? K.SRCH : p.sid;
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
    if (deadlineNs !== undefined) this.#armWake(t, deadlineNs);
    return BLOCK;
  }

  #armWake(t: Thread, deadlineNs: number): void {
    const clock = this.machine.clock;
    const cyc = Math.max(clock.now, Math.ceil(deadlineNs * clock.frequency / 1e9));
    t.timerEvent = clock.scheduleAt(cyc, () => {
      t.timerEvent = -1;
      this.table.wakeThread(t);
    });
  }

  /** Sleeps until monotonic `deadlineNs`. */
  sleepUntil(t: Thread, deadlineNs: number): number {
    if (this.nowNs() >= deadlineNs) return 0;
    this.table.park(t, SLEEP_PLACE);
    this.#armWake(t, deadlineNs);
    return BLOCK;
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
    const c = this.machine.clock;
    return Math.floor(c.now * (1e9 / c.frequency));
  }

  /** Wall-clock ns (RTC at boot plus simulated time). */
  realtimeNs(): bigint {
    return this.#bootRealtimeNs + BigInt(this.nowNs());
  }

  /** Simulated cycles. */
  cycles(): number {
    return this.machine.clock.now;
  }

  /** One-shot kernel timer on the simulated clock. */
  startTimer(delayNs: number, callback: () => void): number {
    const clock = this.machine.clock;
    const cycles = Math.max(0, Math.ceil(delayNs * clock.frequency / 1e9));
    return clock.schedule(cycles, () => {
      try {
        callback();
      } catch (e) {
        this.log(`timer callback threw: ${errorText(e)}`);
      }
    });
  }

  /** Cancels a kernel timer. */
  cancelTimer(id: number): void {
    this.machine.clock.cancel(id);
  }

  // ----------------------------------------------------------------- memory

  #space(p: Process): AddressSpace | null {
    return p.space as AddressSpace | null;
  }

  /** brk. */
  brk(p: Process, addr: number): number {
    const sp = this.#space(p);
    return sp === null ? 0 : sp.setBrk(addr);
  }

  /** Anonymous mmap. */
  mmap(
    p: Process,
    addr: number,
    length: number,
    prot: number,
    fixed: boolean,
    name?: string,
  ): number {
    const sp = this.#space(p);
    if (sp === null) return K.NOMEM;
    return sp.mmapAnon(addr, length, prot & 7, fixed, name);
  }

  /** munmap. */
  munmap(p: Process, addr: number, length: number): KStatus {
    const sp = this.#space(p);
    if (sp === null) return K.INVAL;
    if (!(length > 0)) return K.INVAL;
    return sp.unmap(addr, length);
  }

  /** mprotect. */
  mprotect(p: Process, addr: number, length: number, prot: number): KStatus {
    const sp = this.#space(p);
    if (sp === null) return K.INVAL;
    return sp.protect(addr, length, prot & 7);
  }

  /** copyIn. */
  copyIn(p: Process, addr: number, length: number): Uint8Array | null {
    const sp = this.#space(p);
    return sp === null ? null : sp.copyIn(addr, length);
  }

  /** copyInto. */
  copyInto(p: Process, addr: number, dst: Uint8Array): boolean {
    const sp = this.#space(p);
    return sp !== null && sp.copyInto(addr, dst);
  }

  /** copyOut. */
  copyOut(p: Process, addr: number, data: Uint8Array): boolean {
    const sp = this.#space(p);
    return sp !== null && sp.copyOut(addr, data);
  }

  /** Checks that a user range is accessible. */
  checkAccess(p: Process, addr: number, length: number, write: boolean): boolean {
    const sp = this.#space(p);
    return sp !== null && sp.check(addr, length, write);
  }

  /** Reads a C string. */
  readString(p: Process, addr: number, max = 4096): string | KStatus {
    const sp = this.#space(p);
    if (sp === null) return K.FAULT;
    return sp.readCString(addr, max);
  }

  /** Reads an argv-style array. */
  readStringArray(
    p: Process,
    addr: number,
    maxCount = 4096,
    maxBytes = 256 * 1024,
  ): string[] | KStatus {
    const sp = this.#space(p);
    if (sp === null) return K.FAULT;
    const out: string[] = [];
    if (addr === 0) return out;
    let bytes = 0;
    for (let i = 0;; i++) {
      if (i >= maxCount) return K.TOOBIG;
      const ptr = sp.readU32(addr + 4 * i);
      if (ptr < 0) return K.FAULT;
      if (ptr === 0) break;
      const s = sp.readCString(ptr, maxBytes - bytes);
      if (typeof s === "number") return s === K.NAMETOOLONG ? K.TOOBIG : s;
      bytes += s.length + 1;
      if (bytes > maxBytes) return K.TOOBIG;
      out.push(s);
    }
    return out;
  }

  /** Reads a u32 or K.FAULT. */
  readU32(p: Process, addr: number): number {
    const sp = this.#space(p);
    return sp === null ? K.FAULT : sp.readU32(addr);
  }

  /** Writes a u32. */
  writeU32(p: Process, addr: number, value: number): boolean {
    const sp = this.#space(p);
    return sp !== null && sp.writeU32(addr, value);
  }

  /** The process's GuestMemory. */
  memoryOf(p: Process): GuestMemory {
    return p.memory;
  }

  // ---------------------------------------------------------------- signals

  /** The action of `sig`. */
  sigAction(p: Process, sig: number): SigAction {
    return p.sigActions[isValidSignal(sig) ? sig : 0];
  }

  /** Sets an action; discards pending instances when it becomes ignored. */
  setSigAction(p: Process, sig: number, action: SigAction): KStatus {
    if (!isValidSignal(sig) || sig === SIG.KILL || sig === SIG.STOP) return K.INVAL;
    const a = p.sigActions[sig];
    a.handler = action.handler >>> 0;
    a.flags = action.flags >>> 0;
    a.maskLo = action.maskLo & ~((1 << (SIG.KILL - 1)) | (1 << (SIG.STOP - 1)));
    a.maskHi = action.maskHi;
    a.restorer = action.restorer >>> 0;
    if (this.signals.isIgnored(p, sig)) {
      for (const t of p.threads) {
        if (sig <= 32) t.sigPendingLo &= ~(1 << (sig - 1));
        else t.sigPendingHi &= ~(1 << (sig - 33));
      }
    }
    return K.OK;
  }

  /** Sets the blocked mask. */
  setSignalMask(t: Thread, lo: number, hi: number): void {
    this.signals.setMask(t, lo, hi);
  }

  /** sigsuspend. */
  sigSuspend(t: Thread, lo: number, hi: number): number {
    if (!t.hasSavedMask) {
      t.savedBlockedLo = t.sigBlockedLo;
      t.savedBlockedHi = t.sigBlockedHi;
      t.hasSavedMask = true;
    }
    this.signals.setMask(t, lo, hi);
    t.noRestart = true;
    if (((t.sigPendingLo & ~t.sigBlockedLo) | (t.sigPendingHi & ~t.sigBlockedHi)) !== 0) {
      // Already deliverable: do not sleep, let delivery end the call with EINTR.
      t.interrupted = true;
      return BLOCK;
    }
    this.table.park(t, PAUSE_PLACE);
    return BLOCK;
  }

  /** Ends rt_sigreturn. */
  finishSigreturn(t: Thread, lo: number, hi: number): number {
    this.signals.setMask(t, lo, hi);
    return NO_RESULT;
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

  /** Opens `path` for the kernel itself (console for init) and installs it. */
  openForProcess(p: Process, path: string, flags: number): number {
    const r = this.vfs.open(this.cwd(p), path, flags, 0o644, p);
    if (typeof r === "number") return r;
    return this.fdInstall(p, r.file, false);
  }

  // ---------------------------------------------------------------- devices

  /** Registers a character device (devfs shows it under /dev). */
  registerCharDevice(reg: CharDeviceRegistration, ops: FileOps): KStatus {
    try {
      this.charDevices.register({
        name: reg.name,
        major: reg.major,
        minor: reg.minor,
        mode: reg.mode,
        fileOps: ops,
      });
    } catch (e) {
      if (e instanceof CharDeviceError) return K.EXIST;
      throw e;
    }
    this.#charDevOwners.push({ major: reg.major, minor: reg.minor, owner: this.#owner });
    return K.OK;
  }

  /** Removes a character device. */
  unregisterCharDevice(major: number, minor: number): KStatus {
    if (!this.charDevices.unregister(major, minor)) return K.NODEV;
    const i = this.#charDevOwners.findIndex((d) => d.major === major && d.minor === minor);
    if (i >= 0) this.#charDevOwners.splice(i, 1);
    return K.OK;
  }

  #setIrqHandler(irq: number, handler: (() => void) | null): void {
    if (!(irq > 0 && irq < PLIC_SOURCES)) return;
    this.#irqHandlers[irq] = handler;
    const bus = this.machine.bus;
    const plic = MEMORY_MAP.PLIC_BASE;
    bus.write(plic + PLIC_REG.PRIORITY + 4 * irq, 4, handler === null ? 0 : 1);
    const en = plic + PLIC_REG.ENABLE + PLIC_REG.ENABLE_STRIDE * PLIC_CONTEXT.S + 4 * (irq >>> 5);
    const bits = bus.read(en, 4);
    const b = 1 << (irq & 31);
    bus.write(en, 4, handler === null ? bits & ~b : bits | b);
  }

  // ---------------------------------------------------------------- plugins

  /** Registers a personality. */
  registerPersonality(p: Personality): KStatus {
    if (this.#personalities.some((r) => r.value.name === p.name)) return K.EXIST;
    this.#personalities.push({ value: p, owner: this.#owner });
    return K.OK;
  }

  /** Unregisters a personality (refused while processes run under it). */
  unregisterPersonality(name: string): KStatus {
    const i = this.#personalities.findIndex((r) => r.value.name === name);
    if (i < 0) return K.NOENT;
    const pers = this.#personalities[i].value;
    for (const p of this.table.byPid.values()) {
      if (p.personality === pers && p.state !== TaskState.ZOMBIE) return K.BUSY;
    }
    this.#personalities.splice(i, 1);
    return K.OK;
  }

  /** A personality by name. */
  getPersonality(name: string): Personality | null {
    return this.#personalities.find((r) => r.value.name === name)?.value ?? null;
  }

  /** Installs a scheduling policy. */
  setScheduler(policy: SchedulerPolicy): void {
    const prev = this.#schedulerOwner;
    this.table.setPolicy(policy);
    this.#schedulerOwner = this.#owner;
    if (prev !== null && prev !== this.#owner) this.modules.unref(prev);
    if (this.#owner !== null) this.modules.ref(this.#owner);
  }

  /** The active policy. */
  get scheduler(): SchedulerPolicy {
    return this.table.policy;
  }

  #dropRegistrations(owner: string): void {
    for (let i = this.#personalities.length - 1; i >= 0; i--) {
      if (this.#personalities[i].owner === owner) this.#personalities.splice(i, 1);
    }
    for (let i = this.#charDevOwners.length - 1; i >= 0; i--) {
      const d = this.#charDevOwners[i];
      if (d.owner === owner) {
        this.charDevices.unregister(d.major, d.minor);
        this.#charDevOwners.splice(i, 1);
      }
    }
    for (let i = this.#eofHandlers.length - 1; i >= 0; i--) {
      if (this.#eofHandlers[i].owner === owner) this.#eofHandlers.splice(i, 1);
    }
    if (this.#schedulerOwner === owner) {
      this.#schedulerOwner = null;
      this.table.setPolicy(this.#fallbackPolicy);
    }
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

  /** Simulated cycle count when the machine halted (before devices drained). */
  haltCycles = 0;

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
      if ((cpu.readCsr(CSR.sip) & MIP.SEIP) !== 0) this.externalInterrupt();
      if (clock.nextEventAt > limit) break;
      clock.advanceToNextEvent();
    }
    if ((cpu.readCsr(CSR.sip) & MIP.SEIP) !== 0) this.externalInterrupt();
  }

  // ------------------------------------------------------ /proc provider

  /** Live pids. */
  pids(): number[] {
    return this.table.list().map((p) => p.pid);
  }

  /** /proc/PID data. */
  processInfo(pid: number): ProcessInfo | null {
    const p = this.table.get(pid);
    if (p === undefined) return null;
    const t = p.threads[0];
    const hz = 100;
    const toTicks = (c: number) => Math.floor(c * hz / this.machine.clock.frequency);
    let caught = 0n, ignored = 0n;
    for (let s = 1; s <= 64; s++) {
      const h = p.sigActions[s].handler;
      if (h === SIG_IGN) ignored |= 1n << BigInt(s - 1);
      else if (h !== SIG_DFL) caught |= 1n << BigInt(s - 1);
    }
    const sp = p.space as AddressSpace | null;
    const state = p.state === TaskState.ZOMBIE
      ? "Z"
      : p.state === TaskState.STOPPED
      ? "T"
      : STATE_LETTERS[t?.state ?? 0];
    return {
      pid: p.pid,
      ppid: p.ppid,
      pgid: p.pgid,
      sid: p.sid,
      comm: p.comm,
      state,
      minflt: p.pageFaults,
      utime: t === undefined ? 0 : toTicks(this.#userCycles(p)),
      stime: t === undefined ? 0 : toTicks(this.#systemCycles(p)),
      cutime: toTicks(p.childUserCycles),
      cstime: toTicks(p.childSystemCycles),
      priority: 20,
      nice: 0,
      numThreads: p.threads.length,
      startTime: toTicks(p.startCycle),
      vsize: sp?.vsize ?? 0,
      rss: sp?.resident ?? 0,
      uid: p.uid,
      gid: p.gid,
      sigPending: t === undefined
        ? 0n
        : (BigInt(t.sigPendingHi >>> 0) << 32n) | BigInt(t.sigPendingLo >>> 0),
      sigBlocked: t === undefined
        ? 0n
        : (BigInt(t.sigBlockedHi >>> 0) << 32n) | BigInt(t.sigBlockedLo >>> 0),
      sigIgnored: ignored,
      sigCaught: caught,
      exitCode: p.exitCode,
      cmdline: p.argv,
      fdSize: this.maxFds,
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

  /** Pid of the caller. */
  selfPid(): number {
    return this.table.current?.process.pid ?? 0;
  }

  /** Memory totals. */
  memory(): MemInfo {
    return { totalBytes: this.machine.ram.size, freeBytes: this.frames.free * PAGE_SIZE };
  }

  /** Uptime. */
  uptime(): { seconds: number; idleSeconds: number } {
    const f = this.machine.clock.frequency;
    return { seconds: this.machine.clock.now / f, idleSeconds: this.loop.stats.idleCycles / f };
  }

  /** Interrupt counters. */
  interrupts(): InterruptInfo[] {
    const out: InterruptInfo[] = [];
    for (let i = 1; i < PLIC_SOURCES; i++) {
      if (this.#irqHandlers[i] !== null || this.#irqCounts[i] > 0) {
        out.push({ irq: i, count: this.#irqCounts[i], name: `PLIC ${i}` });
      }
    }
    return out;
  }

  /** The one hart, for /proc/cpuinfo. */
  cpus(): CpuInfo[] {
    const cpu = this.machine.cpu;
    return [{
      hart: 0,
      isa: ISA_STRING,
      mmu: "sv32",
      mvendorid: cpu.readCsr(CSR.mvendorid),
      marchid: cpu.readCsr(CSR.marchid),
      mimpid: cpu.readCsr(CSR.mimpid),
    }];
  }

  /** /proc/version. */
  versionText(): string {
    return `Strata version ${KERNEL_RELEASE} (deno) #1`;
  }
}

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
