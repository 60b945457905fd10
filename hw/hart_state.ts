/**
 * The plain state of one hart (as TinyEMU's `RISCVCPUState`): registers,
 * pc, privilege, CSR values, the decoded-code cache, the fetch page the fast
 * loop resumes on, the views of RAM and the MMU's TLB, and the resolved
 * cycle costs. Every field is public so that the interpreter
 * (`hw/cpu_run.ts`, `hw/cpu_fast.ts`, `hw/cpu_exec.ts`), the slow path
 * (`hw/cpu_slow.ts`), the CSR file (`hw/csr_file.ts`) and the
 * translator's generated code reach it
 * directly; `Cpu` (`hw/cpu.ts`) is the hart's public class on top of it.
 *
 * Also here: the configuration types and the constants every part shares.
 *
 * @module
 */

import { asDouble } from "../lib/double_field.ts";
import type { Bus } from "./bus.ts";
import type { EventId, SimClock } from "./clock.ts";
import type { Ram } from "./ram.ts";
import { Mmu } from "./mmu.ts";
import { COST_CLASS, costClassOf, OP, OP_COUNT } from "./decode.ts";
import { DataAccess } from "./data_access.ts";
import { Fpu } from "./fpu.ts";
import { HartMemory } from "./hart_memory.ts";
import { REGISTER_MEMORY } from "./register_memory.ts";
import { Pmp } from "./pmp.ts";
import { Triggers } from "./trigger.ts";
import { HOT_THRESHOLD, JIT_CACHE_SIZE, JIT_WARMUP, Translator } from "./translator.ts";
import { MENVCFGH, MSTATUS } from "./csr.ts";
import { codeWritten, invalidateOffsets } from "./cpu_slow.ts";
import { jitEcall } from "./jit_ecall.ts";
import { updateStimer } from "./csr_file.ts";

/** Privilege levels. */
export const PRIV = { U: 0, S: 1, M: 3 } as const;

/** Why {@link Cpu.run} returned. */
export const StopReason = { BUDGET: 0, HOST_TRAP: 1, WFI: 2, HALT: 3, SERVICED: 4 } as const;

/** What an {@link Cpu.ecallHook} did with an environment call from U-mode. */
export const EcallOutcome = {
  /** Not handled: `run` returns HOST_TRAP as usual. */
  DECLINED: 0,
  /** Handled and the host performed the SRET: keep running. */
  RESUMED: 1,
  /** Handled, but the host wants control (block, switch, signal): `run` returns SERVICED. */
  SERVICED: 2,
} as const;

/** Cycle cost of each instruction class and event. */
export interface CycleCosts {
  /** Integer register/immediate arithmetic, LUI, AUIPC, FENCE-free ALU ops. */
  alu: number;
  /** Loads (LB..LHU). */
  load: number;
  /** Stores (SB, SH, SW). */
  store: number;
  /** Conditional branch, not taken. */
  branch: number;
  /** Extra cycles when a branch is taken. */
  branchTaken: number;
  /** JAL, JALR. */
  jump: number;
  /** MUL, MULH, MULHSU, MULHU. */
  mul: number;
  /** DIV, DIVU, REM, REMU. */
  div: number;
  /** CSR instructions. */
  csr: number;
  /** LR, SC and AMOs. */
  amo: number;
  /** ECALL, EBREAK, MRET, SRET, WFI, illegal instructions. */
  system: number;
  /** FENCE, FENCE.I, SFENCE.VMA. */
  fence: number;
  /** Floating-point arithmetic, conversions, moves and compares (not division). */
  fp: number;
  /** FDIV, FSQRT. */
  fpDiv: number;
  /** Extra cycles of trap entry (exception or interrupt). */
  trap: number;
  /** Cycles per page-table level read during a walk. */
  walk: number;
}

/** The default cycle-cost table. */
export const DEFAULT_CYCLE_COSTS: Readonly<CycleCosts> = Object.freeze({
  alu: 1,
  load: 2,
  store: 2,
  branch: 1,
  branchTaken: 2,
  jump: 2,
  mul: 3,
  div: 33,
  csr: 2,
  amo: 4,
  system: 2,
  fence: 1,
  fp: 3,
  fpDiv: 20,
  trap: 8,
  walk: 10,
});

/** CPU construction options. */
export interface CpuConfig {
  /** Translation hardware; default "sv32". */
  mmu?: "sv32" | "baselimit";
  /** Overrides of {@link DEFAULT_CYCLE_COSTS}. */
  cycleCosts?: Partial<CycleCosts>;
  /** `mhartid`, default 0. */
  hartId?: number;
  /** Reset pc, default 0x8000_0000. */
  resetPc?: number;
  /**
   * Misaligned loads and stores of RAM: "hardware" (default) performs them,
   * as QEMU and Spike do; "trap" raises the address-misaligned exceptions.
   * Misaligned AMOs and LR/SC always trap.
   */
  misaligned?: "hardware" | "trap";
  /**
   * Execution engine: "interp" (default) interprets decoded instructions;
   * "jit" also translates hot pages into JavaScript functions
   * (`hw/translator.ts`). Both give the same architectural results and cycle
   * counts.
   */
  engine?: "interp" | "jit";
  /**
   * With the "jit" engine: interpreted instructions of a page before it is
   * translated (default {@link HOT_THRESHOLD}).
   */
  hotThreshold?: number;
  /**
   * With the "jit" engine: instructions the hart retires before it
   * translates its first page (default {@link JIT_WARMUP} with the default
   * threshold, 0 when `hotThreshold` is given: the caller has chosen when
   * pages translate).
   */
  jitWarmup?: number;
  /**
   * With the "jit" engine: characters of JavaScript source the hart's page
   * functions may hold before the translator empties its cache (default
   * {@link JIT_CACHE_SIZE}, 16 MiB; QEMU's `tb-size`).
   */
  jitCacheSize?: number;
  /** With the "jit" engine: what page functions are compiled to ({@link JitBackend}). */
  jitBackend?: JitBackend;
}

/**
 * What the translator compiles page functions to: "auto" (the default)
 * compiles a unit's source to WebAssembly (`hw/wasm_compile.ts`), and
 * translates one again as a JavaScript function once it has made many
 * system calls (`SYSCALL_LOOP`: V8 inlines the host's system-call entry
 * into a JavaScript page function); "wasm" keeps every unit it compiled
 * WebAssembly; "js" makes JavaScript functions only. A unit outside what
 * the WebAssembly back end compiles is JavaScript under either of the
 * first two.
 */
export type JitBackend = "auto" | "wasm" | "js";

/** Raised for an invalid {@link CpuConfig}. */
export class CpuConfigError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "CpuConfigError";
  }
}

/** Machine mode. */
export const M_MODE = 3;
/** Supervisor mode. */
export const S_MODE = 1;
/** User mode. */
export const U_MODE = 0;
/** 2^32. */
export const TWO_32 = 0x1_0000_0000;
/** Words of a decoded page: 2048 halfword slots x 2 words. */
export const PAGE_OPS_LEN = 4096;
/** The decoded page the fast loop starts with (never executed). */
export const EMPTY_OPS = new Int32Array(PAGE_OPS_LEN);
/** The heat counters of a hart without a translator. */
export const EMPTY_HEAT = new Int32Array(0);
/** A fetch-page address that never equals a page-aligned one. */
export const NO_PAGE = 1;
/** `mstatus` bits set when an instruction changes FP state. */
export const FS_DIRTY = MSTATUS.FS | MSTATUS.SD;

/**
 * The state of one hart, shared by the interpreter, the slow path, the CSR
 * file and the translator. See the module documentation.
 */
export class HartState {
  /**
   * x0..x31 (x[0] is always 0 when observed): a view of the first 32 of the
   * 33 slots of the register file in use (slot 32 takes writes to x0). See
   * {@link bindRegisters}.
   */
  x: Int32Array;
  /** Program counter, unsigned. */
  pc: number;
  /** Current privilege: {@link PRIV}.U, S or M. */
  priv: number = M_MODE;
  /** The MMU (Sv32 or base/limit) with its TLB and counters. */
  readonly mmu: Mmu;
  /** Instructions retired. */
  instret = 0;
  /** Loads and stores whose TLB miss the inner loop refilled without leaving (statistics; `hw/tlb_refill.ts`). */
  loopRefills = 0;
  /**
   * When true, a trap whose target privilege is S performs the architectural
   * trap entry and then `run` returns {@link StopReason}.HOST_TRAP at once.
   */
  hostSupervisor = false;
  /**
   * Host fast path for system calls: with {@link hostSupervisor}, after the
   * architectural trap entry of an `ecall` from U-mode, `run` calls this hook
   * instead of returning. The host handles the call in place (reading and
   * writing {@link x}, `sepc`) and answers with an {@link EcallOutcome}; on
   * RESUMED it has already performed {@link sret} and execution goes on
   * inside the same `run`, which saves the exit and re-entry of a round
   * trip. The architectural effects are those of the slow path.
   */
  ecallHook: (() => number) | null = null;
  /**
   * Called after the architectural entry of every trap (for tests and
   * tracing): the cause (with the interrupt bit) and the new privilege.
   */
  trapObserver: ((cause: number, priv: number) => void) | null = null;
  /** The F/D register file and `fcsr`. */
  readonly fpu: Fpu;
  /** Physical memory protection (16 entries, G = 0). */
  readonly pmp: Pmp = new Pmp();
  /** Debug trigger module (tselect/tdata1/tdata2). */
  readonly triggers: Triggers = new Triggers();
  /** The resolved cycle-cost table. */
  readonly costs: Readonly<CycleCosts>;
  /** `mhartid`. */
  readonly hartId: number;
  /** The translation cache (null when the engine is "interp"). */
  readonly translator: Translator | null;

  // --- CSR state (unsigned numbers unless noted) ---
  /** `mstatus` (RV32 low half). */
  mstatus: number = asDouble(0);
  /** `medeleg`. */
  medeleg = 0;
  /** `mideleg`. */
  mideleg = 0;
  /** `mie`. */
  mie = 0;
  /** `mtvec`. */
  mtvec = 0;
  /** `stvec`. */
  stvec = 0;
  /** `mscratch`. */
  mscratch = 0;
  /** `sscratch`. */
  sscratch = 0;
  /** `mepc`. */
  mepc = 0;
  /** `sepc`. */
  sepc = 0;
  /** `mcause`. */
  mcause = 0;
  /** `scause`. */
  scause: number = asDouble(0);
  /** `mtval`. */
  mtval = 0;
  /** `stval`. */
  stval = 0;
  /** `mcounteren`. */
  mcounteren = 0;
  /** `scounteren`. */
  scounteren = 0;
  /** `menvcfg` (low half). */
  menvcfg = 0;
  /** `menvcfgh` (STCE bit 31, ADUE bit 29; ADUE resets to 1). */
  menvcfgh: number = asDouble(MENVCFGH.ADUE);
  /** `senvcfg`. */
  senvcfg = 0;

  // --- Host-side state: the parts of the hart the fast loop and the slow
  // path share. Read them freely; the host changes them through `Cpu`.
  /** The bus for device and misaligned accesses. */
  readonly bus: Bus;
  /** The clock this hart runs on. */
  readonly clock: SimClock;
  /** The RAM behind the bus. */
  readonly ram: Ram;
  /** The register file in use (33 slots: x0..x31, then the x0 write sink). */
  regs: Int32Array;
  /** RAM as signed bytes. */
  readonly i8: Int8Array;
  /** RAM as unsigned bytes. */
  readonly u8: Uint8Array;
  /** RAM as signed halfwords. */
  readonly i16: Int16Array;
  /** RAM as unsigned halfwords. */
  readonly u16: Uint16Array;
  /** RAM as words. */
  readonly i32: Int32Array;
  /** Cycle cost of each decoded op. */
  readonly opCost: Uint8Array;
  /** Decoded pages by RAM page index (null: never executed). */
  readonly codePages: (Int32Array | null)[];
  /** A byte per RAM page: 1 when it has a decoded page. */
  readonly codeMark: Uint8Array;
  /** Virtual address of the fetch page the fast loop resumes on (or NO_PAGE). */
  fVa: number = asDouble(NO_PAGE);
  /** Decoded slots of that page. */
  fOps: Int32Array = EMPTY_OPS;
  /** Halfword index in RAM of that page's start. */
  fHalf = 0;
  /** Length (2 or 4) of the instruction the slow path is running. */
  ilen = 4;
  /** The fetch page is not uniformly allowed by the PMP: check every fetch. */
  fetchStep = false;
  /** Decoded slot of an instruction that crosses a page boundary. */
  readonly crossOps: Int32Array = new Int32Array(2);
  /**
   * Results of a page function: next pc, cycle count, TLB hits, next event
   * time and a leave flag (these two from an ecall, `hw/jit_ecall.ts`), the
   * virtual base and RAM page of the page it stopped on (on the way in: of
   * the page it starts on), and a flag set when it left through a direct
   * jump to another page (`hw/translator.ts`); then, for a thread switch
   * a page function goes on from (`hw/jit_ecall.ts`), the switch count,
   * the new ASID tag and hash, and a flag set when it did; last, TLB hits
   * of WebAssembly page functions that went on into others (chaining, see
   * `hw/wasm_codegen.ts`), not yet added.
   */
  readonly jitIo: Float64Array;
  /** The run count up to which `instret` is synced, while a page function runs. */
  jitBase = 0;
  /** The RAM page the inner loop last credited heat to (see `SLOW_HOT`, `hw/cpu_fast.ts`). */
  hotPage = 0;
  /** `mip` bits driven by devices through setInterruptPending. */
  mipHw = 0;
  /** `mip` bits written by software (SSIP, STIP when Sstc is off, SEIP). */
  mipSw = 0;
  /** STIP from the Sstc comparator. */
  mipSstc = 0;
  /** Effective `mip` (device, software and Sstc bits), kept by updateMip. */
  mip = 0;
  /** `stimecmp`. */
  stimecmpLo = 0xffff_ffff;
  /** `stimecmph`. */
  stimecmpHi = 0xffff_ffff;
  /** The clock event of the Sstc comparator (0: none). */
  stimerEvent: EventId = 0;
  /** Fires the Sstc comparator. */
  readonly stimerFire = (): void => {
    this.stimerEvent = 0;
    updateStimer(this);
  };
  // mcycle = (cyHi:cyLo) + (clock.now - cyMark) and minstret =
  // (irHi:irLo) + (instret - irMark), both modulo 2^64: exact 64-bit
  // counters whatever the guest writes, while `instret` stays the plain
  // count of retired instructions.
  /** High half of the `mcycle` base. */
  cyHi = 0;
  /** Low half of the `mcycle` base. */
  cyLo = 0;
  /** `clock.now` when `mcycle` was written. */
  cyMark = 0;
  /** High half of the `minstret` base. */
  irHi = 0;
  /** Low half of the `minstret` base. */
  irLo = 0;
  /** `instret` when `minstret` was written. */
  irMark = 0;
  /** Cycles of a trap entry. */
  readonly trapCost: number;
  /** The LR reservation (a physical address), or -1. */
  reservation: number = asDouble(-1);
  /** Set by requestHalt: `run` returns HALT at the next boundary. */
  halt = false;
  /** 1 while a guest CSR instruction runs: instret already counts it then. */
  instretBias = 0;
  /** Instructions counted by the current `run` call, as the inner loop left it. */
  runCount = 0;
  /** Immediate of the instruction the inner loop left to the slow path. */
  slowImm = 0;
  /** The stop reason `run` returns when the inner loop stopped for the host. */
  runStop = 0;
  /** Loads and stores outside the fast loop (misaligned, devices, faults). */
  readonly data: DataAccess;

  /** Creates a hart on `bus`, timed by `clock`. */
  constructor(bus: Bus, clock: SimClock, config: CpuConfig = {}) {
    this.bus = bus;
    this.clock = clock;
    const ram = bus.ram;
    this.ram = ram;
    const costs: CycleCosts = { ...DEFAULT_CYCLE_COSTS, ...(config.cycleCosts ?? {}) };
    for (const [k, v] of Object.entries(costs)) {
      const small = k !== "trap" && k !== "walk";
      if (!Number.isInteger(v) || v < 0 || (small && v > 255)) {
        throw new CpuConfigError(
          `cycle cost ${k} must be an integer in 0..${small ? 255 : "2^53"}, got ${v}`,
        );
      }
    }
    this.costs = Object.freeze(costs);
    this.trapCost = costs.trap;
    const byClass: number[] = [];
    byClass[COST_CLASS.ALU] = costs.alu;
    byClass[COST_CLASS.LOAD] = costs.load;
    byClass[COST_CLASS.STORE] = costs.store;
    byClass[COST_CLASS.BRANCH] = costs.branch;
    byClass[COST_CLASS.JUMP] = costs.jump;
    byClass[COST_CLASS.MUL] = costs.mul;
    byClass[COST_CLASS.DIV] = costs.div;
    byClass[COST_CLASS.CSR] = costs.csr;
    byClass[COST_CLASS.AMO] = costs.amo;
    byClass[COST_CLASS.SYSTEM] = costs.system;
    byClass[COST_CLASS.FENCE] = costs.fence;
    byClass[COST_CLASS.FP] = costs.fp;
    byClass[COST_CLASS.FDIV] = costs.fpDiv;
    this.opCost = new Uint8Array(OP_COUNT);
    for (let op = 1; op < OP_COUNT; op++) this.opCost[op] = byClass[costClassOf(op)];
    this.opCost[OP.CROSS] = 0; // charged for the instruction it turns out to be
    const kind = config.mmu ?? "sv32";
    if (kind !== "sv32" && kind !== "baselimit") {
      throw new CpuConfigError(`unknown mmu kind ${String(kind)}`);
    }
    const misaligned = config.misaligned ?? "hardware";
    if (misaligned !== "hardware" && misaligned !== "trap") {
      throw new CpuConfigError(`unknown misaligned mode ${String(misaligned)}`);
    }
    const misalignedHw = misaligned === "hardware";
    this.hartId = config.hartId ?? 0;
    this.pc = (config.resetPc ?? 0x8000_0000) >>> 0;
    const engine = config.engine ?? "interp";
    if (engine !== "interp" && engine !== "jit") {
      throw new CpuConfigError(`unknown engine ${String(engine)}`);
    }
    const backend = config.jitBackend ?? "auto";
    if (backend !== "auto" && backend !== "wasm" && backend !== "js") {
      throw new CpuConfigError(`unknown JIT back end ${String(backend)}`);
    }
    const pages = ram.size >>> 12;
    // The state WebAssembly page functions share with the hart (null: JavaScript only).
    const hm = engine === "jit" && backend !== "js" && ram.memory !== null
      ? HartMemory.create(pages, ram.memory.buffer.byteLength >>> 16)
      : null;
    this.jitIo = hm !== null ? hm.io : new Float64Array(13);
    this.fpu = hm !== null ? new Fpu(hm.fpRegs) : new Fpu();
    this.mmu = new Mmu(ram, kind, costs.walk, hm ?? undefined);
    this.mmu.pmp = this.pmp;
    // With WebAssembly page functions, a file they reach in place.
    const file = hm !== null ? REGISTER_MEMORY.take() : null;
    this.regs = file !== null ? file.file : new Int32Array(33);
    this.x = file !== null ? file.view : this.regs.subarray(0, 32);
    const buf = ram.u8.buffer;
    this.u8 = ram.u8;
    this.i8 = new Int8Array(buf, ram.u8.byteOffset, ram.size);
    this.u16 = ram.u16;
    this.i16 = new Int16Array(buf, ram.u8.byteOffset, ram.size >> 1);
    this.i32 = ram.i32;
    this.codePages = new Array<Int32Array | null>(pages).fill(null);
    this.codeMark = hm !== null ? hm.codeMark : new Uint8Array(pages);
    this.data = new DataAccess(
      bus,
      this.mmu,
      this.triggers,
      misalignedHw,
      this.codeMark,
      (off) => codeWritten(this, off),
    );
    const hot = config.hotThreshold ?? HOT_THRESHOLD;
    if (!Number.isInteger(hot) || hot < 1) {
      throw new CpuConfigError(`hot threshold must be a positive integer, got ${hot}`);
    }
    const warmup = config.jitWarmup ?? (config.hotThreshold === undefined ? JIT_WARMUP : 0);
    if (!Number.isSafeInteger(warmup) || warmup < 0) {
      throw new CpuConfigError(`JIT warm-up must be a non-negative integer, got ${warmup}`);
    }
    const cacheSize = config.jitCacheSize ?? JIT_CACHE_SIZE;
    if (!Number.isSafeInteger(cacheSize) || cacheSize < 1) {
      throw new CpuConfigError(`JIT cache size must be a positive integer, got ${cacheSize}`);
    }
    this.translator = engine === "jit"
      ? new Translator(
        {
          u8: this.u8,
          i8: this.i8,
          u16: this.u16,
          i16: this.i16,
          i32: this.i32,
          tags: this.mmu.tags,
          deltas: this.mmu.deltas,
          codeMark: this.codeMark,
          opCost: this.opCost,
          takenCost: costs.branchTaken,
          codeStore: (off) => codeWritten(this, off),
          ecall: (pc, n, hits, lim) => jitEcall(this, pc, n, hits, lim),
          regs: () => this.regs,
          fw: this.fpu.words,
          fsOn: () => (this.mstatus & MSTATUS.FS) !== 0 ? 1 : 0,
          fsDirty: () => {
            this.mstatus = (this.mstatus | FS_DIRTY) >>> 0;
          },
          fpExec: (inst, x) => {
            if ((this.mstatus & MSTATUS.FS) === 0) return -1;
            const k = this.fpu.exec(inst, x);
            if (k > 0) this.mstatus = (this.mstatus | FS_DIRTY) >>> 0;
            return k;
          },
          lrSet: (off) => {
            this.reservation = off + ram.base;
          },
          scTry: (off) => {
            const ok = this.reservation === off + ram.base;
            this.reservation = -1;
            return ok ? 1 : 0;
          },
        },
        pages,
        hot,
        warmup,
        cacheSize,
        hm !== null ? { ram: ram.memory!, hart: hm, keep: backend === "wasm" } : null,
      )
      : null;
    const previous = ram.onWrite;
    ram.onWrite = previous === null
      ? (off, len) => invalidateOffsets(this, off, len)
      : (off, len) => {
        previous(off, len);
        invalidateOffsets(this, off, len);
      };
  }
}
