/**
 * The RV32GC hart with M, S and U modes, Sv32 or base/limit translation,
 * Sstc, a per-physical-page decoded-instruction cache and an optional
 * translator: the narrow public class {@link Cpu}.
 *
 * Map of the hart's files:
 * - `hw/hart_state.ts`: the plain state every part reads and writes
 *   (registers, CSR values, code cache, RAM and TLB views), the
 *   configuration and shared constants;
 * - `hw/cpu_run.ts`: the run loop (`run`: budget, halts, interrupts,
 *   triggers, the slow path after the inner loop);
 * - `hw/cpu_fast.ts`: the inner loop (`fastLoop`), generated cases from
 *   `hw/cpu_ops.ts`;
 * - `hw/cpu_exec.ts`: one instruction outside the hot loop (CSRs, system
 *   instructions, atomics, TLB misses, devices), generated cases too;
 * - `hw/cpu_slow.ts`: trap entry, interrupts, fetch misses, WFI and the
 *   code cache's invalidation;
 * - `hw/csr_file.ts`: every CSR's read and write;
 * - `hw/translator.ts`: hot pages to JavaScript functions.
 *
 * Design of the hot path (`run`):
 * - registers live in an `Int32Array` of 33 entries; decoded instructions
 *   name register 32 instead of x0 as destination, so x0 stays zero without
 *   a test;
 * - each RAM page that is executed gets an `Int32Array` of decoded slots
 *   (two words per halfword, see `hw/decode.ts`), filled lazily; stores into
 *   such a page clear just the slots they hit, `Ram.onWrite` and
 *   {@link Cpu.invalidateCode} clear ranges, FENCE.I clears all;
 * - fetch looks up the TLB only when the pc leaves the current page; loads
 *   and stores hit the MMU's typed-array TLB inline; anything else (misses,
 *   devices, CSRs, system instructions, atomics, faults) leaves the inner
 *   loop and runs in `exec` with all state in the hart state;
 * - cycles accumulate in a local and are handed to the clock only when they
 *   cross `clock.nextEventAt`, at a slow instruction, or on exit; interrupts
 *   are checked only at those points, since only they can change `mip`.
 *
 * @module
 */

import type { Bus } from "./bus.ts";
import type { SimClock } from "./clock.ts";
import type { InterruptSink } from "./irq.ts";
import { type CpuConfig, CpuConfigError, HartState } from "./hart_state.ts";
import { invalidateOffsets, sretState } from "./cpu_slow.ts";
import { csrRead, csrWrite, setFs, updateMip } from "./csr_file.ts";
import { run } from "./cpu_run.ts";

export {
  type CpuConfig,
  CpuConfigError,
  type CycleCosts,
  DEFAULT_CYCLE_COSTS,
  EcallOutcome,
  HartState,
  type JitBackend,
  PRIV,
  StopReason,
} from "./hart_state.ts";

/**
 * True when `view[0]` is `file[0]` (the same memory): a store through one
 * shows through the other. A context switch checks this on every bind; it
 * costs a few nanoseconds where reading the views' `buffer` costs about 12.
 */
function startsAt(view: Int32Array, file: Int32Array): boolean {
  const old = file[0];
  const v = view[0];
  file[0] = ~v;
  const same = view[0] !== v;
  file[0] = old;
  return same;
}

/**
 * One RISC-V hart. See the module documentation for the execution model and
 * `docs/cpu.md` for the architectural details. The architectural state is
 * in the fields it inherits from {@link HartState}: read them freely, write
 * CSRs through {@link writeCsr}.
 */
export class Cpu extends HartState implements InterruptSink {
  /** Creates a hart on `bus`, timed by `clock`. */
  constructor(bus: Bus, clock: SimClock, config: CpuConfig = {}) {
    super(bus, clock, config);
  }

  /** Sets (level true) or clears device-driven `mip` bits. */
  setInterruptPending(mask: number, level: boolean): void {
    this.mipHw = level ? this.mipHw | mask : this.mipHw & ~mask;
    updateMip(this);
  }

  /** Makes `run` return {@link StopReason}.HALT at the next instruction boundary. */
  requestHalt(): void {
    this.halt = true;
  }

  /**
   * Makes `file` (33 slots) the hart's register file and `view` (its first 32
   * slots) the new {@link x}, without copying: a host kernel binds each
   * thread's saved registers, so a context switch is a pointer swap and a
   * trap needs no copy. Call only between `run` calls.
   */
  bindRegisters(file: Int32Array, view: Int32Array): void {
    if (file.length < 33 || view.length !== 32 || !startsAt(view, file)) {
      throw new CpuConfigError("a register file needs 33 slots and a 32-slot view of its start");
    }
    this.regs = file;
    this.x = view;
  }

  /** SRET performed by the host kernel: priv = SPP, SIE = SPIE, SPIE = 1, SPP = U, pc = sepc. */
  sret(): void {
    sretState(this);
  }

  /** Drops decoded instructions of the physical range `[paddr, paddr + length)`. */
  invalidateCode(paddr: number, length: number): void {
    invalidateOffsets(this, (paddr >>> 0) - this.ram.base, length);
  }

  /**
   * Executes at most `maxInstructions` instructions (traps count as steps)
   * and returns why it stopped ({@link StopReason}).
   */
  run(maxInstructions: number): number {
    return run(this, maxInstructions);
  }

  /** Host access: reads a CSR without privilege checks (unsigned; 0 if not implemented). */
  readCsr(addr: number): number {
    const v = csrRead(this, addr);
    return Number.isNaN(v) ? 0 : v;
  }

  /** Host access: writes a CSR without privilege checks, with its usual side effects. */
  writeCsr(addr: number, value: number): void {
    csrWrite(this, addr, value >>> 0);
  }

  /**
   * Host access: selects the Sv32 address space of `asid` with root page
   * number `rootPpn`, as writing `satp` with MODE 1 does (ignored on a
   * base/limit machine, like that write). The two small integers keep the
   * kernel's context switch free of heap numbers (see `Mmu.setSv32`).
   */
  setSv32Space(asid: number, rootPpn: number): void {
    if (this.mmu.kind === "sv32") this.mmu.setSv32(asid, rootPpn);
  }

  /**
   * Host access: sets `sstatus.FS` (0 Off, 1 Initial, 2 Clean, 3 Dirty) and
   * SD, as an `sstatus` write that changes only FS does (the lazy FP switch
   * of a host kernel; `mstatus` with SD set would be boxed by V8 as a value
   * passed through `writeCsr`).
   */
  setFs(fs: number): void {
    setFs(this, fs);
  }

  /** True when `addr` names a CSR this CPU implements. */
  hasCsr(addr: number): boolean {
    return !Number.isNaN(csrRead(this, addr));
  }
}
