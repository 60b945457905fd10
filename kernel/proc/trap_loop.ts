/**
 * The trap loop: the kernel's main loop. It picks a thread, switches to it
 * (register file, satp), arms the quantum timer (Sstc `stimecmp`), runs the
 * CPU until it stops, and dispatches on why it stopped: an `ecall`, a page
 * fault or another exception, a timer or external interrupt, or the
 * instruction budget. When nothing is runnable it idles: it advances the
 * clock to the next device or timer event, or waits for host console input;
 * when nothing can ever happen again it reports a deadlock.
 *
 * The loop is layer 0: what a system call, a fault or an interrupt *means*
 * is decided by the {@link TrapHooks} the kernel installs.
 *
 * @module
 */

import { CAUSE, CAUSE_INTERRUPT, CSR, IRQ_CAUSE } from "../../hw/csr.ts";
import { asDouble } from "../../lib/double_field.ts";
import { StopReason as Stop } from "../../hw/cpu.ts";
import { MIP } from "../../hw/irq.ts";
import type { SimClock } from "../../hw/clock.ts";
import type { KernelCosts } from "./costs.ts";
import { FpContexts } from "./fp_context.ts";
import { QuantumTimer } from "./quantum_timer.ts";
import { type ProcSpace, TaskState, type Thread } from "./process.ts";
import type { ProcessTable } from "./process_table.ts";
import { EnqueueReason } from "./scheduler.ts";
import type { TraceRecorder } from "./trace.ts";
import {
  type CpuPort,
  exceptionName,
  type TrapHooks,
  type TrapLoopOptions,
  type TrapLoopStats,
} from "./trap_types.ts";

export {
  type CpuPort,
  exceptionName,
  type TrapHooks,
  type TrapLoopOptions,
  type TrapLoopStats,
} from "./trap_types.ts";

/** Why {@link TrapLoop}'s slice loop returned to `run`. */
const LoopExit = { HALT: 0, HOST: 1, IDLE: 2, WAIT: 3 } as const;

/** The kernel's main loop. */
export class TrapLoop {
  /** Counters. */
  readonly stats: TrapLoopStats = {
    syscalls: 0,
    contextSwitches: 0,
    threadSwitches: 0,
    preemptions: 0,
    interrupts: 0,
    idleCycles: 0,
    exceptions: 0,
  };
  /** Default quantum in cycles. */
  quantum: number;
  /** True once {@link halt} was called. */
  halted = false;
  /** Status given to {@link halt}. */
  haltStatus = 0;
  /**
   * Pending clock events that cannot wake a thread (a watchdog): when only
   * these remain and every thread is blocked, the system is deadlocked.
   */
  daemonEvents = 0;
  /** The Chrome trace recorder, or null (the monitor may attach one while running). */
  trace: TraceRecorder | null;
  /**
   * Whether a system call that ends the running thread's turn (it yields,
   * blocks or exits) may switch to the next thread inside `cpu.run` (see
   * `#switchInRun`); off, the CPU returns to the loop for every switch. The
   * simulation is the same either way: the tests compare the two.
   */
  switchInRun = true;
  /** Context switches done inside `cpu.run` (of `stats.contextSwitches`). */
  switchesInRun = 0;
  /** Per-thread floating-point state (lazy save with sstatus.FS). */
  readonly fp: FpContexts;
  readonly #cpu: CpuPort;
  readonly #clock: SimClock;
  readonly #table: ProcessTable;
  readonly #hooks: TrapHooks;
  readonly #costs: KernelCosts;
  // The trap and system call costs together: what every system call charges on entry.
  readonly #syscallCost: number;
  readonly #budget: number;
  readonly #hostYield: (() => Promise<void>) | undefined;
  readonly #hostWork: { readonly busy: boolean; settle(): Promise<void> } | undefined;
  #lastThread: Thread | null = null;
  // The thread whose slice the CPU is running (inside cpu.run; an in-run
  // switch replaces it; null once its slice was accounted).
  #onCpu: Thread | null = null;
  #sliceStart: number = asDouble(0);
  // The address space loaded in the MMU (null: none, or forgotten).
  #space: ProcSpace | null = null;
  // The quantum timer (stimecmp).
  readonly #timer: QuantumTimer;
  // Kernel cycles charged while the CPU was inside run() (the in-run system
  // call fast path), so they are not counted again as user time.
  #chargedInRun: number = asDouble(0);
  // Host-yield pacing of run(): traps since the last check, and when (host
  // ms, simulated cycles) the loop last looked.
  #spins = 0;
  #lastYield: number = asDouble(0);
  #lastYieldCycles: number = asDouble(0);
  // Cycle count when the current cpu.run began (-1 outside run).
  #runStart: number = asDouble(-1);
  #paused: Promise<void> | null = null;
  // Set once a daemon timer got its tick while the machine was idle; cleared when a thread runs.
  #daemonTicked = false;
  readonly #daemonTimers: () => number;
  #unpause: (() => void) | null = null;

  /** Creates the loop. */
  constructor(options: TrapLoopOptions) {
    this.#cpu = options.cpu;
    this.#clock = options.clock;
    this.#table = options.table;
    this.#hooks = options.hooks;
    this.quantum = options.quantum;
    this.#costs = options.costs;
    this.#syscallCost = options.costs.trap + options.costs.syscall;
    this.#budget = options.budget ?? 1_000_000;
    this.#hostYield = options.hostYield;
    this.#hostWork = options.hostWork;
    this.#daemonTimers = options.daemonTimers ?? (() => 0);
    this.trace = options.trace ?? null;
    this.fp = new FpContexts(options.cpu);
    this.#timer = new QuantumTimer(options.cpu, options.clock);
    if ("ecallHook" in this.#cpu) this.#cpu.ecallHook = this.#fastEcall;
    this.#table.requestResched = () => this.#resched();
    this.#table.useClock(this.#clock);
  }

  /** User + system cycles of `t`, counting the user time of a run in progress. */
  cpuCycles(t: Thread): number {
    let c = t.userCycles + t.systemCycles;
    if (this.#runStart >= 0 && t === this.#table.current) {
      c += this.#clock.now - this.#runStart - this.#chargedInRun;
    }
    return c;
  }

  /** Ends the running thread's slice now: the timer fires at once and the loop preempts it. */
  #resched(): void {
    const cur = this.#table.current;
    if (cur === null) return;
    cur.sliceLeft = 0;
    this.#timer.arm(1);
  }

  /**
   * A system call handled without leaving `cpu.run`: the same work as the
   * trap path, then, if the thread may simply go on (still running, same
   * address space, slice left, no signal to deliver, no tracing), the SRET
   * right here. Anything else hands control back to the loop. The states and
   * outcomes on this path are written as literals (named in comments): a
   * module constant costs a context load and a hole check in V8's optimized
   * code, an object constant such as `TaskState.RUNNING` a map check and a
   * field load besides. An arrow function in a field, so that the CPU's
   * hook is the handler itself: a hook that called a method took a frame
   * of its own (28 host instructions per call) where V8 did not inline it,
   * as translated code's calls of the hook (`jitHostEcall`) never do.
   */
  readonly #fastEcall = (): number => {
    const t = this.#table.current;
    if (t === null || this.halted || this.trace !== null) return 0; // Ecall.DECLINED
    const clock = this.#clock;
    const before = clock.now;
    this.#syscallTrap(t);
    this.#chargedInRun += clock.now - before;
    if (this.halted || t.state !== 1 /* TaskState.RUNNING */ || this.#table.current !== t) {
      return this.switchInRun ? this.#switchInRun() : 2 /* Ecall.SERVICED */;
    }
    if (t.sliceLeft <= 0) return 2; // Ecall.SERVICED
    if (((t.sigPendingLo & ~t.sigBlockedLo) | (t.sigPendingHi & ~t.sigBlockedHi)) !== 0) {
      return 2; // Ecall.SERVICED
    }
    const sp = t.process.space;
    if (sp === null || sp !== this.#space) return 2; // Ecall.SERVICED
    const cpu = this.#cpu;
    if (cpu.x !== t.regs) cpu.x.set(t.regs);
    cpu.sepc = t.pc;
    cpu.sret();
    return 1; // Ecall.RESUMED
  };

  /**
   * Pauses the loop at its next step (the monitor's `stop`): nothing runs
   * and simulated time stands still until {@link resume}.
   */
  pause(): void {
    if (this.#paused === null) this.#paused = new Promise((r) => this.#unpause = r);
  }

  /** Ends a {@link pause}. */
  resume(): void {
    const r = this.#unpause;
    this.#paused = null;
    this.#unpause = null;
    r?.();
  }

  /** True while paused. */
  get paused(): boolean {
    return this.#paused !== null;
  }

  /** Stops the loop after the current trap; `run` then resolves. */
  halt(status: number): void {
    if (this.halted) return;
    this.halted = true;
    this.haltStatus = status;
  }

  /** Advances simulated time for kernel work, charging it to the current thread. */
  charge(cycles: number): void {
    const clock = this.#clock;
    const target = clock.now + cycles;
    if (target < clock.nextEventAt) clock.now = target;
    else clock.advanceTo(target);
    const t = this.#table.current;
    if (t !== null) {
      // Kernel work done for a thread counts against its slice too.
      t.systemCycles += cycles;
      t.sliceLeft -= cycles;
    }
  }

  /** Forgets the loaded address space (after the current one was destroyed or replaced). */
  invalidateSpace(): void {
    this.#space = null;
  }

  /**
   * Runs until {@link halt} or a deadlock. The slices run in `#slices`,
   * a plain (not async) method, so that V8 optimizes it as a whole and its
   * cycle arithmetic stays unboxed; this async shell only awaits the host:
   * a turn of its event loop now and then, host work a call waits for, a
   * pause, or idle time.
   */
  async run(): Promise<void> {
    this.#lastYield = performance.now();
    this.#lastYieldCycles = this.#clock.now;
    this.#spins = 0;
    for (;;) {
      const why = this.#slices();
      if (why === LoopExit.HOST) {
        await this.#hostYield!();
        this.#lastYield = performance.now();
      } else if (why === LoopExit.WAIT) {
        // Simulated time stands still while the host does work a call waits for, or while paused.
        if (this.#hostWork !== undefined && this.#hostWork.busy) await this.#hostWork.settle();
        if (this.#paused !== null) await this.#paused;
      } else if (why !== LoopExit.IDLE || !(await this.#idle())) {
        break;
      }
    }
    // The thread on the CPU when the machine stopped: its last slice ends here.
    const last = this.#table.current;
    if (this.trace !== null && last !== null) this.#traceSlice(last);
  }

  /**
   * Schedules and runs slices until the loop must wait for the host: host
   * I/O is due (terminal input such as ^C only arrives while the loop
   * awaits: host time is checked every few thousand traps, or every couple
   * of million simulated cycles, since a guest spinning through timer
   * interrupts makes few traps), host work or a pause, nothing is runnable,
   * or the run is over.
   */
  #slices(): number {
    const table = this.#table;
    const clock = this.#clock;
    const yields = this.#hostYield !== undefined;
    while (!this.halted) {
      if (yields && (++this.#spins >= 2048 || clock.now - this.#lastYieldCycles > 2_000_000)) {
        this.#spins = 0;
        this.#lastYieldCycles = clock.now;
        if (performance.now() - this.#lastYield > 20) return LoopExit.HOST;
      }
      if ((this.#hostWork !== undefined && this.#hostWork.busy) || this.#paused !== null) {
        return LoopExit.WAIT;
      }
      let t = table.current;
      try {
        if (t === null || t.state !== TaskState.RUNNING) {
          if (t !== null) {
            if (t.state === TaskState.BLOCKED) t.voluntarySwitches++;
            if (this.trace !== null) this.#traceSlice(t);
            table.current = null;
          }
          t = this.#schedule();
          if (t === null) return LoopExit.IDLE;
        }
        if (!this.#runSlice(t)) return LoopExit.HALT;
      } catch (e) {
        // Thrown inside cpu.run: by a call of the thread on the CPU, which
        // an in-run switch may have made another than the one it started with.
        const on = this.#onCpu;
        this.#onCpu = null;
        this.#hooks.hostError(on ?? t, e);
      }
    }
    return LoopExit.HALT;
  }

  /** Delivers pending signals, switches to `t` and runs it; false when the CPU halted. */
  #runSlice(t: Thread): boolean {
    const cpu = this.#cpu;
    if (((t.sigPendingLo & ~t.sigBlockedLo) | (t.sigPendingHi & ~t.sigBlockedHi)) !== 0) {
      this.fp.sync(t); // signal frames carry the FP state
      this.#hooks.deliverSignals(t);
      if (t.state !== TaskState.RUNNING || this.halted) return true;
    }
    const sp = t.process.space;
    if (sp === null) {
      // A process without memory cannot run user code: a kernel bug, not a guest's.
      throw new Error(`thread ${t.tid} has no address space`);
    }
    this.#enter(t, sp);
    const r = cpu.run(this.#budget);
    // The thread on the CPU now: `t`, or the last one an in-run switch
    // entered (null: that switch accounted the slice and left the rest to the loop).
    const on = this.#onCpu;
    this.#onCpu = null;
    if (on === null) return true;
    this.#account(on);
    if (r === Stop.HOST_TRAP) {
      this.#trap(on);
    } else if (r !== Stop.SERVICED) {
      // (SERVICED: the fast path already saved the thread and handled its call.)
      if (cpu.x !== on.regs) on.regs.set(cpu.x);
      on.pc = cpu.pc >>> 0;
      if (r === Stop.HALT) return false;
      if (on.sliceLeft <= 0) this.#preempt(on);
      this.#spins = 2048;
    }
    return true;
  }

  /** Switches the CPU to `t` (address space `sp`, registers, FP state), SRET to its pc, and starts its slice. */
  #enter(t: Thread, sp: ProcSpace): void {
    const cpu = this.#cpu;
    if (sp !== this.#space) {
      if (cpu.setSv32Space !== undefined) cpu.setSv32Space(sp.asid, sp.rootPpn);
      else cpu.writeCsr(CSR.satp, sp.satp);
      this.#space = sp;
    }
    if (cpu.x !== t.regs) {
      if (cpu.bindRegisters !== undefined) cpu.bindRegisters(t.regFile, t.regs);
      else cpu.x.set(t.regs);
    }
    this.fp.switchTo(t);
    cpu.sepc = t.pc;
    cpu.sret();
    this.#onCpu = t;
    this.#chargedInRun = 0;
    this.#runStart = this.#clock.now;
  }

  /** Ends the slice of `t` begun by `#enter`: its user cycles since then. */
  #account(t: Thread): void {
    const used = this.#clock.now - this.#runStart - this.#chargedInRun;
    this.#runStart = -1;
    t.userCycles += used;
    t.sliceLeft -= used;
    const policy = this.#table.policy;
    if (policy.charge !== undefined) policy.charge(t, used);
  }

  /**
   * The in-run context switch: the system call just handled ended the
   * running thread's turn (it yields, blocks or exits). Where the loop
   * would go straight on to the next thread (no halt, pause, host work or
   * host check due, a thread ready), this does here what `#runSlice` and
   * `#slices` would do after `cpu.run` returned, in the same order: the
   * outgoing slice's accounting, `#schedule`, and `#enter` of the next
   * thread; the CPU then resumes it in the same `run` (it sees its register
   * file change, and starts a fresh instruction budget). The next thread
   * must be another one with an address space and no signal to deliver;
   * otherwise (after the accounting and scheduling) the loop takes over.
   */
  #switchInRun(): number {
    const table = this.#table;
    const clock = this.#clock;
    const out = this.#onCpu;
    if (
      out === null || this.halted || this.trace !== null || this.#paused !== null ||
      this.#cpu.bindRegisters === undefined || table.policy.readyCount === 0 ||
      (this.#hostWork !== undefined && this.#hostWork.busy)
    ) return 2; // Ecall.SERVICED
    const cur = table.current;
    if (cur !== null && cur.state === 1 /* TaskState.RUNNING */) return 2; // Ecall.SERVICED
    // #slices' host check, one step early (it counts this switch as a slice).
    if (
      this.#hostYield !== undefined &&
      (this.#spins + 1 >= 2048 || clock.now - this.#lastYieldCycles > 2_000_000)
    ) return 2; // Ecall.SERVICED
    this.#spins++;
    this.#account(out);
    this.#onCpu = null;
    if (cur !== null) {
      if (cur.state === 2 /* TaskState.BLOCKED */) cur.voluntarySwitches++;
      table.current = null;
    }
    const t = this.#schedule();
    if (t === null || t === out) return 2; // Ecall.SERVICED
    if (((t.sigPendingLo & ~t.sigBlockedLo) | (t.sigPendingHi & ~t.sigBlockedHi)) !== 0) {
      return 2; // Ecall.SERVICED
    }
    const sp = t.process.space;
    if (sp === null) return 2; // Ecall.SERVICED
    this.#enter(t, sp);
    this.switchesInRun++;
    return 1; // Ecall.RESUMED
  }

  /** A U-mode `ecall` of `t` (the CPU took the trap): the personality's system call. */
  #syscallTrap(t: Thread): void {
    const cpu = this.#cpu;
    const epc = cpu.sepc;
    if (cpu.x !== t.regs) t.regs.set(cpu.x);
    // Clock events the charge fires see the pc of the ecall, as with any trap.
    t.pc = epc;
    this.stats.syscalls++;
    this.charge(this.#syscallCost);
    t.pc = (epc + 4) >>> 0;
    this.#hooks.syscall(t);
    // rt_sigreturn replaced the FP state: load it now (the fast path resumes at once).
    if (t.fp !== null && t.fp.reload) this.fp.switchTo(t);
  }

  #trap(t: Thread): void {
    const cpu = this.#cpu;
    const cause = cpu.scause;
    if (cause === CAUSE.USER_ECALL) {
      this.#syscallTrap(t);
      return;
    }
    if (cpu.x !== t.regs) t.regs.set(cpu.x);
    t.pc = cpu.sepc;
    this.charge(this.#costs.trap);
    if (cause >= CAUSE_INTERRUPT) {
      this.stats.interrupts++;
      const irq = cause - CAUSE_INTERRUPT;
      if (irq === IRQ_CAUSE.STI) {
        if (t.sliceLeft <= 0) this.#preempt(t);
        else this.#timer.arm(t.sliceLeft);
      } else if (irq === IRQ_CAUSE.SEI) {
        this.trace?.instant("external interrupt", "irq", 0, 0, this.#clock.now);
        this.charge(this.#costs.interrupt);
        this.#hooks.externalInterrupt();
      }
      return;
    }
    this.stats.exceptions++;
    const tval = cpu.stval;
    this.trace?.instant(exceptionName(cause), "fault", t.process.pid, t.tid, this.#clock.now, {
      pc: t.pc,
      tval,
    });
    if (
      cause === CAUSE.FETCH_PAGE_FAULT || cause === CAUSE.LOAD_PAGE_FAULT ||
      cause === CAUSE.STORE_PAGE_FAULT
    ) {
      this.#hooks.pageFault(t, cause, tval);
    } else {
      this.#hooks.exception(t, cause, tval);
    }
  }

  #traceSlice(t: Thread): void {
    const p = t.process;
    this.trace!.nameProcess(p.pid, p.comm);
    this.trace!.complete(p.comm || "run", "sched", p.pid, t.tid, this.#sliceStart, this.#clock.now);
  }

  #preempt(t: Thread): void {
    if (t.state !== TaskState.RUNNING) return;
    this.#hooks.sliceExpired?.(t);
    if (t.state !== TaskState.RUNNING) return;
    if (this.trace !== null) this.#traceSlice(t);
    this.stats.preemptions++;
    t.involuntarySwitches++;
    this.#table.current = null;
    this.#table.makeReady(t, EnqueueReason.PREEMPT);
  }

  #schedule(): Thread | null {
    const table = this.#table;
    const t = table.policy.pickNext(this.#clock.now);
    if (t === null) return null;
    table.dispatched(t);
    this.#daemonTicked = false;
    t.state = 1; // TaskState.RUNNING
    table.current = t;
    this.#sliceStart = this.#clock.now;
    if (t.sliceLeft <= 0) t.sliceLeft = table.policy.quantum(t, this.quantum);
    const last = this.#lastThread;
    if (t !== last) {
      this.stats.contextSwitches++;
      if (last !== null && last.process === t.process) {
        this.stats.threadSwitches++;
        this.charge(this.#costs.threadSwitch);
      } else {
        this.charge(this.#costs.contextSwitch);
      }
      this.#lastThread = t;
    }
    this.#timer.arm(t.sliceLeft);
    return t;
  }

  /** Skips idle time to the next clock event, paced to host time in interactive runs. */
  async #advanceIdle(): Promise<void> {
    const clock = this.#clock;
    const before = clock.now;
    const gap = clock.peekNextEventTime() - before;
    const pace = gap > 0 && this.#hooks.paceIdle !== undefined ? this.#hooks.paceIdle(gap) : null;
    if (pace !== null) {
      const passed = await pace;
      if (passed < gap) {
        // Woken early by host input: let simulated time follow host time, short of the event.
        clock.advanceTo(before + Math.max(0, passed));
        this.stats.idleCycles += clock.now - before;
        return;
      }
    }
    clock.advanceToNextEvent();
    this.stats.idleCycles += clock.now - before;
  }

  /** Nothing runnable: interrupts, then clock events, then host input, else deadlock. */
  async #idle(): Promise<boolean> {
    const cpu = this.#cpu;
    const clock = this.#clock;
    this.#timer.disarm();
    if ((cpu.readCsr(CSR.sip) & MIP.SEIP) !== 0) {
      this.trace?.instant("external interrupt (idle)", "irq", 0, 0, clock.now);
      this.stats.interrupts++;
      this.charge(this.#costs.interrupt);
      this.#hooks.externalInterrupt();
      return true;
    }
    // Daemon timers (a polling driver's tick) do not keep an idle machine
    // busy: they get one tick after the last thread stopped, then run at host
    // pace if the run is paced, else only after host input arrives.
    const daemons = this.#daemonTimers();
    const busy = clock.pendingCount > this.daemonEvents + daemons;
    const paced = this.#hooks.paceIdle !== undefined;
    if (busy || (daemons > 0 && (!this.#daemonTicked || paced))) {
      if (!busy) this.#daemonTicked = true;
      await this.#advanceIdle();
      return true;
    }
    const wait = this.#hooks.waitForHost();
    if (wait !== null) {
      const before = clock.now;
      const passed = await wait;
      if (passed > 0) {
        clock.advanceTo(before + passed);
        this.stats.idleCycles += clock.now - before;
      }
      if (daemons > 0) await this.#advanceIdle();
      return true;
    }
    return this.#hooks.deadlock(this.#table.blockedThreads());
  }
}
