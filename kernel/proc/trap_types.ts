/**
 * The trap loop's contracts: the CPU it drives ({@link CpuPort}), what a
 * trap means ({@link TrapHooks}, implemented by the kernel), its counters
 * and options, and the names of exceptions for traces.
 *
 * @module
 */

import type { SimClock } from "../../hw/clock.ts";
import type { KernelCosts } from "./costs.ts";
import type { FpuPort } from "./fp_context.ts";
import type { Thread } from "./process.ts";
import type { ProcessTable } from "./process_table.ts";
import type { TraceRecorder } from "./trace.ts";

/** The CPU as the trap loop drives it (a subset of `hw/cpu.ts` Cpu). */
export interface CpuPort {
  /** Integer registers. */
  readonly x: Int32Array;
  /** Program counter. */
  pc: number;
  /** Privilege level (0 U, 1 S, 3 M). */
  priv: number;
  /** Instructions retired. */
  instret: number;
  /** `sepc` (the CPU keeps it as a plain field; reading it is cheaper than readCsr). */
  sepc: number;
  /** `scause`. */
  scause: number;
  /** `stval`. */
  stval: number;
  /** `mstatus` as a plain field (the lazy FP switch reads its FS bits). */
  readonly mstatus: number;
  /** Host CSR read. */
  readCsr(addr: number): number;
  /** Host CSR write. */
  writeCsr(addr: number, value: number): void;
  /** Runs at most `n` instructions; returns a {@link Stop} value. */
  run(n: number): number;
  /** SRET performed by the host. */
  sret(): void;
  /** The F/D unit, when the hart has one (its state is switched lazily, see fp_context.ts). */
  readonly fpu?: FpuPort;
  /**
   * Optional: select the Sv32 space of `asid` with root page `rootPpn`, as a
   * `satp` write with MODE 1 does, from two small integers (the `satp` value
   * itself would be boxed as a heap number on every switch).
   */
  setSv32Space?(asid: number, rootPpn: number): void;
  /** Optional: make a thread's register file the CPU's own (no copies). */
  bindRegisters?(file: Int32Array, view: Int32Array): void;
  /**
   * Optional fast path: called inside `run` after the trap entry of a U-mode
   * `ecall`; answers DECLINED (0), RESUMED (1, the host did the SRET) or
   * SERVICED (2, `run` then returns {@link Stop.SERVICED}). RESUMED after
   * binding another register file (a switch to another thread) makes the
   * CPU start the rest of `run` afresh for it (fetch page, instruction budget).
   */
  ecallHook?: (() => number) | null;
}

/** What the kernel does with each kind of trap. */
export interface TrapHooks {
  /** An `ecall` from U-mode; `t.pc` already points past it, registers are in `t.regs`. */
  syscall(t: Thread): void;
  /** A page fault (cause 12, 13 or 15) at `addr`. */
  pageFault(t: Thread, cause: number, addr: number): void;
  /** Any other synchronous exception (illegal instruction, misaligned access, breakpoint...). */
  exception(t: Thread, cause: number, tval: number): void;
  /** An external interrupt is pending (SEIP): claim and dispatch through the PLIC. */
  externalInterrupt(): void;
  /** `t` has deliverable signals pending and is about to return to user mode. */
  deliverSignals(t: Thread): void;
  /** Optional: `t` used up its time slice (CPU-time limits are checked here). */
  sliceExpired?(t: Thread): void;
  /** A host exception escaped while handling a trap of `t` (null when idle). */
  hostError(t: Thread | null, error: unknown): void;
  /**
   * Nothing is runnable and no clock event is pending: a promise that
   * resolves when host input may have arrived, or null if none can come. It
   * resolves to the simulated cycles to move the clock by: 0 for a
   * deterministic run, the host time that passed for an interactive one (so
   * the guest's clock keeps real time at an idle prompt).
   */
  waitForHost(): Promise<number> | null;
  /**
   * Optional pacing for interactive runs: the loop is about to skip `cycles`
   * of idle simulated time. A promise makes it wait that long in host time
   * (resolving early when host input arrives) and resolves to the cycles of
   * host time that actually passed; null skips at once (deterministic runs).
   */
  paceIdle?(cycles: number): Promise<number> | null;
  /**
   * All threads are blocked and nothing can wake them. Returns true if the
   * kernel found a way out (e.g. it turned the end of host input into an
   * end-of-file on the console) and the loop should go on, false to stop.
   */
  deadlock(blocked: Thread[]): boolean;
}

/** Counters kept by the loop. */
export interface TrapLoopStats {
  /** System calls dispatched. */
  syscalls: number;
  /** Context switches. */
  contextSwitches: number;
  /** Of {@link contextSwitches}: between threads of one process (no address-space change). */
  threadSwitches: number;
  /** Quantum expirations that moved the thread to the back of the queue. */
  preemptions: number;
  /** Interrupts taken (timer and external). */
  interrupts: number;
  /** Cycles the CPU spent idle. */
  idleCycles: number;
  /** Exceptions other than ecall (page faults included). */
  exceptions: number;
}

/** Options of the loop. */
export interface TrapLoopOptions {
  /** The CPU (must run with `hostSupervisor = true`). */
  cpu: CpuPort;
  /** The machine clock. */
  clock: SimClock;
  /** The process table (owner of the scheduling policy). */
  table: ProcessTable;
  /** Trap meanings. */
  hooks: TrapHooks;
  /** Default quantum in cycles. */
  quantum: number;
  /** Kernel cost table. */
  costs: KernelCosts;
  /** Instructions per `cpu.run` call (an upper bound between host checks). */
  budget?: number;
  /** Called every few milliseconds of host time so that host I/O can run (terminal console). */
  hostYield?: () => Promise<void>;
  /** Pending daemon timers (see `Timekeeping.daemonTimers`). */
  daemonTimers?: () => number;
  /** Host work system calls wait for (module loads): awaited before anything else runs. */
  hostWork?: { readonly busy: boolean; settle(): Promise<void> };
  /** Records run slices, interrupts and faults in Chrome trace format when set. */
  trace?: TraceRecorder | null;
}

/** Exception names as the privileged spec gives them, for the trace ("page fault (store)"). */
const EXCEPTION_NAMES: readonly string[] = [
  "instruction address misaligned",
  "instruction access fault",
  "illegal instruction",
  "breakpoint",
  "load address misaligned",
  "load access fault",
  "store address misaligned",
  "store access fault",
  "ecall from U-mode",
  "ecall from S-mode",
  "exception 10",
  "ecall from M-mode",
  "page fault (fetch)",
  "page fault (load)",
  "exception 14",
  "page fault (store)",
];

/** The name of exception `cause` ("page fault (store)"; "exception N" for others). */
export function exceptionName(cause: number): string {
  return EXCEPTION_NAMES[cause] ?? `exception ${cause}`;
}
