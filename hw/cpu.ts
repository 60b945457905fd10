/**
 * The RV32IMA + Zicsr + Zifencei hart with M, S and U modes, Sv32 or
 * base/limit translation, Sstc, and a per-physical-page decoded-instruction
 * cache.
 *
 * Design of the hot path (`run`):
 * - registers live in an `Int32Array` of 33 entries; decoded instructions
 *   name register 32 instead of x0 as destination, so x0 stays zero without
 *   a test;
 * - each RAM page that is executed gets an `Int32Array` of 1024 decoded
 *   slots (two words each, see `hw/decode.ts`), filled lazily; stores into
 *   such a page clear just the slot they hit, `Ram.onWrite` and
 *   {@link Cpu.invalidateCode} clear ranges, FENCE.I clears all;
 * - fetch looks up the TLB only when the pc leaves the current page; loads
 *   and stores hit the MMU's typed-array TLB inline; anything else (misses,
 *   devices, CSRs, system instructions, atomics, faults) leaves the inner
 *   loop and runs in `#exec` with all state in fields;
 * - cycles accumulate in a local and are handed to the clock only when they
 *   cross `clock.nextEventAt`, at a slow instruction, or on exit; interrupts
 *   are checked only at those points, since only they can change `mip`.
 *
 * @module
 */

import type { AccessWidth, Bus } from "./bus.ts";
import type { EventId, SimClock } from "./clock.ts";
import type { InterruptSink } from "./irq.ts";
import type { Ram } from "./ram.ts";
import { ACCESS, Mmu, TLB_BITS, TLB_MASK } from "./mmu.ts";
import { COST_CLASS, costClassOf, decodeHalf, decodeInto, OP_COUNT } from "./decode.ts";
import { div, divu, mulh, mulhsu, mulhu, rem, remu } from "./alu.ts";
import { DataAccess } from "./data_access.ts";
import { Fpu } from "./fpu.ts";
import { Pmp } from "./pmp.ts";
import { compressFpMemory } from "./rvc.ts";
import { MCONTROL, Triggers } from "./trigger.ts";
import { HOT_THRESHOLD, Translator } from "./translator.ts";
import {
  CAUSE,
  CAUSE_INTERRUPT,
  CSR,
  MENVCFGH,
  MISA_VALUE,
  MSTATUS,
  MSTATUS_MPP_SHIFT,
} from "./csr.ts";

// The decoded op numbers again, as literal module constants: V8 turns
// `switch` over literal-initialised local consts into a jump table, but not
// over imported bindings (measured: 2x on the hot loop). Generated from
// `OP` of ./decode.ts by tools/gen_cpu.ts (see ./cpu_ops.ts).
// <generated:op-constants>
const OP_ILLEGAL = 1;
const OP_LUI = 2;
const OP_AUIPC = 3;
const OP_JAL = 4;
const OP_JALR = 5;
const OP_BEQ = 6;
const OP_BNE = 7;
const OP_BLT = 8;
const OP_BGE = 9;
const OP_BLTU = 10;
const OP_BGEU = 11;
const OP_LB = 12;
const OP_LH = 13;
const OP_LW = 14;
const OP_LBU = 15;
const OP_LHU = 16;
const OP_SB = 17;
const OP_SH = 18;
const OP_SW = 19;
const OP_ADDI = 20;
const OP_SLTI = 21;
const OP_SLTIU = 22;
const OP_XORI = 23;
const OP_ORI = 24;
const OP_ANDI = 25;
const OP_SLLI = 26;
const OP_SRLI = 27;
const OP_SRAI = 28;
const OP_ADD = 29;
const OP_SUB = 30;
const OP_SLL = 31;
const OP_SLT = 32;
const OP_SLTU = 33;
const OP_XOR = 34;
const OP_SRL = 35;
const OP_SRA = 36;
const OP_OR = 37;
const OP_AND = 38;
const OP_MUL = 39;
const OP_MULH = 40;
const OP_MULHSU = 41;
const OP_MULHU = 42;
const OP_DIV = 43;
const OP_DIVU = 44;
const OP_REM = 45;
const OP_REMU = 46;
const OP_FENCE = 47;
const OP_FENCE_I = 48;
const OP_LR = 49;
const OP_SC = 50;
const OP_AMOSWAP = 51;
const OP_AMOADD = 52;
const OP_AMOXOR = 53;
const OP_AMOAND = 54;
const OP_AMOOR = 55;
const OP_AMOMIN = 56;
const OP_AMOMAX = 57;
const OP_AMOMINU = 58;
const OP_AMOMAXU = 59;
const OP_CSRRW = 60;
const OP_CSRRS = 61;
const OP_CSRRC = 62;
const OP_CSRRWI = 63;
const OP_CSRRSI = 64;
const OP_CSRRCI = 65;
const OP_ECALL = 66;
const OP_EBREAK = 67;
const OP_MRET = 68;
const OP_SRET = 69;
const OP_WFI = 70;
const OP_SFENCE_VMA = 71;
const OP_FLW = 72;
const OP_FLD = 73;
const OP_FSW = 74;
const OP_FSD = 75;
const OP_FP = 76;
const OP_FMA = 77;
const OP_FDIV = 78;
const OP_CROSS = 79;
// </generated:op-constants>

// CSR numbers as literal constants for the same reason (checked against CSR).
const CSR_FFLAGS = 0x001;
const CSR_FRM = 0x002;
const CSR_FCSR = 0x003;
const CSR_CYCLE = 0xc00;
const CSR_TIME = 0xc01;
const CSR_INSTRET = 0xc02;
const CSR_CYCLEH = 0xc80;
const CSR_TIMEH = 0xc81;
const CSR_INSTRETH = 0xc82;
const CSR_SSTATUS = 0x100;
const CSR_SIE = 0x104;
const CSR_STVEC = 0x105;
const CSR_SCOUNTEREN = 0x106;
const CSR_SENVCFG = 0x10a;
const CSR_SSCRATCH = 0x140;
const CSR_SEPC = 0x141;
const CSR_SCAUSE = 0x142;
const CSR_STVAL = 0x143;
const CSR_SIP = 0x144;
const CSR_STIMECMP = 0x14d;
const CSR_STIMECMPH = 0x15d;
const CSR_SATP = 0x180;
const CSR_SBASE = 0x5c0;
const CSR_SLIMIT = 0x5c1;
const CSR_MVENDORID = 0xf11;
const CSR_MARCHID = 0xf12;
const CSR_MIMPID = 0xf13;
const CSR_MHARTID = 0xf14;
const CSR_MCONFIGPTR = 0xf15;
const CSR_MSTATUS = 0x300;
const CSR_MISA = 0x301;
const CSR_MEDELEG = 0x302;
const CSR_MIDELEG = 0x303;
const CSR_MIE = 0x304;
const CSR_MTVEC = 0x305;
const CSR_MCOUNTEREN = 0x306;
const CSR_MENVCFG = 0x30a;
const CSR_MSTATUSH = 0x310;
const CSR_MENVCFGH = 0x31a;
const CSR_MCOUNTINHIBIT = 0x320;
const CSR_MSCRATCH = 0x340;
const CSR_MEPC = 0x341;
const CSR_MCAUSE = 0x342;
const CSR_MTVAL = 0x343;
const CSR_MIP = 0x344;
const CSR_MCYCLE = 0xb00;
const CSR_MINSTRET = 0xb02;
const CSR_MCYCLEH = 0xb80;
const CSR_MINSTRETH = 0xb82;
const LOCAL_CSRS: Record<string, number> = {
  fflags: CSR_FFLAGS,
  frm: CSR_FRM,
  fcsr: CSR_FCSR,
  cycle: CSR_CYCLE,
  time: CSR_TIME,
  instret: CSR_INSTRET,
  cycleh: CSR_CYCLEH,
  timeh: CSR_TIMEH,
  instreth: CSR_INSTRETH,
  sstatus: CSR_SSTATUS,
  sie: CSR_SIE,
  stvec: CSR_STVEC,
  scounteren: CSR_SCOUNTEREN,
  senvcfg: CSR_SENVCFG,
  sscratch: CSR_SSCRATCH,
  sepc: CSR_SEPC,
  scause: CSR_SCAUSE,
  stval: CSR_STVAL,
  sip: CSR_SIP,
  stimecmp: CSR_STIMECMP,
  stimecmph: CSR_STIMECMPH,
  satp: CSR_SATP,
  sbase: CSR_SBASE,
  slimit: CSR_SLIMIT,
  mvendorid: CSR_MVENDORID,
  marchid: CSR_MARCHID,
  mimpid: CSR_MIMPID,
  mhartid: CSR_MHARTID,
  mconfigptr: CSR_MCONFIGPTR,
  mstatus: CSR_MSTATUS,
  misa: CSR_MISA,
  medeleg: CSR_MEDELEG,
  mideleg: CSR_MIDELEG,
  mie: CSR_MIE,
  mtvec: CSR_MTVEC,
  mcounteren: CSR_MCOUNTEREN,
  menvcfg: CSR_MENVCFG,
  mstatush: CSR_MSTATUSH,
  menvcfgh: CSR_MENVCFGH,
  mcountinhibit: CSR_MCOUNTINHIBIT,
  mscratch: CSR_MSCRATCH,
  mepc: CSR_MEPC,
  mcause: CSR_MCAUSE,
  mtval: CSR_MTVAL,
  mip: CSR_MIP,
  mcycle: CSR_MCYCLE,
  minstret: CSR_MINSTRET,
  mcycleh: CSR_MCYCLEH,
  minstreth: CSR_MINSTRETH,
};
for (const [name, value] of Object.entries(LOCAL_CSRS)) {
  if ((CSR as Record<string, number>)[name] !== value) {
    throw new Error(`hw/cpu.ts CSR ${name} = ${value} disagrees with hw/csr.ts`);
  }
}

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
}

/** Raised for an invalid {@link CpuConfig}. */
export class CpuConfigError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "CpuConfigError";
  }
}

const M_MODE = 3;
const S_MODE = 1;
const U_MODE = 0;
const TWO_32 = 0x1_0000_0000;
const PAGE_OPS_LEN = 4096; // 2048 halfword slots x 2 words
const EMPTY_OPS = new Int32Array(PAGE_OPS_LEN);
const EMPTY_HEAT = new Int32Array(0);
const NO_PAGE = 1; // never equal to a page-aligned address
const SLOW_FETCH = -1; // `slow` marker: pc left the cached page and the TLB missed

const MSTATUS_WRITABLE = MSTATUS.SIE | MSTATUS.MIE | MSTATUS.SPIE | MSTATUS.MPIE | MSTATUS.SPP |
  MSTATUS.MPP | MSTATUS.MPRV | MSTATUS.SUM | MSTATUS.MXR | MSTATUS.TVM | MSTATUS.TW | MSTATUS.TSR |
  MSTATUS.FS;
const SSTATUS_MASK = MSTATUS.SIE | MSTATUS.SPIE | MSTATUS.SPP | MSTATUS.SUM | MSTATUS.MXR |
  MSTATUS.FS | MSTATUS.SD;
const FS_DIRTY = MSTATUS.FS | MSTATUS.SD;
const MEDELEG_MASK = 0xb3ff; // exceptions 0-9, 12, 13, 15 (not ecall from M)
const S_INTERRUPTS = 0x222; // SSIP | STIP | SEIP
const MIE_MASK = 0xaaa;
const STIP = 1 << 5;
const CSR_FUNCT3: readonly number[] = [1, 2, 3, 5, 6, 7]; // CSRRW..CSRRCI
const SSIP = 1 << 1;

/** Picks the highest-priority interrupt in `bits` (MEI, MSI, MTI, SEI, SSI, STI). */
function pickInterrupt(bits: number): number {
  if (bits & (1 << 11)) return 11;
  if (bits & (1 << 3)) return 3;
  if (bits & (1 << 7)) return 7;
  if (bits & (1 << 9)) return 9;
  if (bits & (1 << 1)) return 1;
  return 5;
}

/**
 * One RISC-V hart. See the module documentation for the execution model and
 * `docs/cpu.md` for the architectural details.
 */
export class Cpu implements InterruptSink {
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
  readonly fpu: Fpu = new Fpu();
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
  mstatus = 0;
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
  scause = 0;
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
  menvcfgh: number = MENVCFGH.ADUE;
  /** `senvcfg`. */
  senvcfg = 0;

  readonly #bus: Bus;
  readonly #clock: SimClock;
  readonly #ram: Ram;
  #regs: Int32Array;
  readonly #i8: Int8Array;
  readonly #u8: Uint8Array;
  readonly #i16: Int16Array;
  readonly #u16: Uint16Array;
  readonly #i32: Int32Array;
  readonly #opCost: Uint8Array;
  // Decoded pages by RAM page index, and a byte per page saying one exists.
  readonly #codePages: (Int32Array | null)[];
  readonly #codeMark: Uint8Array;
  // Fetch page prepared by #fetchMiss for the next trip into the inner loop.
  #fVa = NO_PAGE;
  #fOps: Int32Array = EMPTY_OPS;
  #fHalf = 0;
  // Length (2 or 4) of the instruction #exec is running.
  #ilen = 4;
  // The fetch page is not uniformly allowed by the PMP: check every fetch.
  #fetchStep = false;
  // Decoded slot for an instruction that crosses a page boundary.
  readonly #crossOps = new Int32Array(2);
  // Results of a page function: next pc, cycle count, TLB hits.
  readonly #jitIo = new Float64Array(3);

  #mipHw = 0; // driven by devices through setInterruptPending
  #mipSw = 0; // written by software (SSIP, STIP when Sstc is off, SEIP)
  #mipSstc = 0; // STIP from the Sstc comparator
  #mip = 0; // effective mip, kept in sync by #updateMip
  #stimecmpLo = 0xffff_ffff;
  #stimecmpHi = 0xffff_ffff;
  #stimerEvent: EventId = 0;
  readonly #stimerFire = (): void => {
    this.#stimerEvent = 0;
    this.#updateStimer();
  };
  // mcycle = (#cyHi:#cyLo) + (clock.now - #cyMark) and minstret =
  // (#irHi:#irLo) + (instret - #irMark), both modulo 2^64: exact 64-bit
  // counters whatever the guest writes, while `instret` stays the plain
  // count of retired instructions.
  #cyHi = 0;
  #cyLo = 0;
  #cyMark = 0;
  #irHi = 0;
  #irLo = 0;
  #irMark = 0;
  readonly #trapCost: number;
  #reservation = -1;
  #halt = false;
  // 1 while a guest CSR instruction runs: instret already counts it then.
  #instretBias = 0;
  // Loads and stores outside the fast loop (misaligned, devices, faults).
  readonly #data: DataAccess;

  /** Creates a hart on `bus`, timed by `clock`. */
  constructor(bus: Bus, clock: SimClock, config: CpuConfig = {}) {
    this.#bus = bus;
    this.#clock = clock;
    const ram = bus.ram;
    this.#ram = ram;
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
    this.#trapCost = costs.trap;
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
    this.#opCost = new Uint8Array(OP_COUNT);
    for (let op = 1; op < OP_COUNT; op++) this.#opCost[op] = byClass[costClassOf(op)];
    this.#opCost[OP_CROSS] = 0; // charged for the instruction it turns out to be
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
    this.mmu = new Mmu(ram, kind, costs.walk);
    this.mmu.pmp = this.pmp;
    this.#regs = new Int32Array(33);
    this.x = this.#regs.subarray(0, 32);
    const buf = ram.u8.buffer;
    this.#u8 = ram.u8;
    this.#i8 = new Int8Array(buf, ram.u8.byteOffset, ram.size);
    this.#u16 = ram.u16;
    this.#i16 = new Int16Array(buf, ram.u8.byteOffset, ram.size >> 1);
    this.#i32 = ram.i32;
    const pages = ram.size >>> 12;
    this.#codePages = new Array<Int32Array | null>(pages).fill(null);
    this.#codeMark = new Uint8Array(pages);
    this.#data = new DataAccess(
      bus,
      this.mmu,
      this.triggers,
      misalignedHw,
      this.#codeMark,
      (off) => this.#codeWritten(off),
    );
    const engine = config.engine ?? "interp";
    if (engine !== "interp" && engine !== "jit") {
      throw new CpuConfigError(`unknown engine ${String(engine)}`);
    }
    const hot = config.hotThreshold ?? HOT_THRESHOLD;
    if (!Number.isInteger(hot) || hot < 1) {
      throw new CpuConfigError(`hot threshold must be a positive integer, got ${hot}`);
    }
    this.translator = engine === "jit"
      ? new Translator(
        {
          u8: this.#u8,
          i8: this.#i8,
          u16: this.#u16,
          i16: this.#i16,
          i32: this.#i32,
          tags: this.mmu.tags,
          deltas: this.mmu.deltas,
          codeMark: this.#codeMark,
          opCost: this.#opCost,
          takenCost: costs.branchTaken,
          codeStore: (off) => this.#codeWritten(off),
        },
        pages,
        hot,
      )
      : null;
    const previous = ram.onWrite;
    ram.onWrite = previous === null
      ? (off, len) => this.#invalidateOffsets(off, len)
      : (off, len) => {
        previous(off, len);
        this.#invalidateOffsets(off, len);
      };
  }

  /** The clock this hart runs on. */
  get clock(): SimClock {
    return this.#clock;
  }

  /** Effective `mip` (device, software and Sstc bits). */
  get mip(): number {
    return this.#mip;
  }

  /** Sets (level true) or clears device-driven `mip` bits. */
  setInterruptPending(mask: number, level: boolean): void {
    this.#mipHw = level ? this.#mipHw | mask : this.#mipHw & ~mask;
    this.#updateMip();
  }

  /** Makes `run` return {@link StopReason}.HALT at the next instruction boundary. */
  requestHalt(): void {
    this.#halt = true;
  }

  /**
   * Makes `file` (33 slots) the hart's register file and `view` (its first 32
   * slots) the new {@link x}, without copying: a host kernel binds each
   * thread's saved registers, so a context switch is a pointer swap and a
   * trap needs no copy. Call only between `run` calls.
   */
  bindRegisters(file: Int32Array, view: Int32Array): void {
    if (
      file.length < 33 || view.length !== 32 || view.buffer !== file.buffer ||
      view.byteOffset !== file.byteOffset
    ) {
      throw new CpuConfigError("a register file needs 33 slots and a 32-slot view of its start");
    }
    this.#regs = file;
    this.x = view;
  }

  /** SRET performed by the host kernel: priv = SPP, SIE = SPIE, SPIE = 1, SPP = U, pc = sepc. */
  sret(): void {
    let s = this.mstatus;
    const spp = (s & MSTATUS.SPP) !== 0 ? S_MODE : U_MODE;
    s = (s & MSTATUS.SPIE) !== 0 ? s | MSTATUS.SIE : s & ~MSTATUS.SIE;
    s = (s | MSTATUS.SPIE) & ~MSTATUS.SPP & ~MSTATUS.MPRV;
    this.mstatus = s >>> 0;
    this.priv = spp;
    this.pc = this.sepc;
    this.#reservation = -1;
  }

  /** Drops decoded instructions of the physical range `[paddr, paddr + length)`. */
  invalidateCode(paddr: number, length: number): void {
    this.#invalidateOffsets((paddr >>> 0) - this.#ram.base, length);
  }

  #invalidateOffsets(off: number, length: number): void {
    const size = this.#ram.size;
    let start = off < 0 ? 0 : off;
    const end = Math.min(off + length, size);
    const mark = this.#codeMark;
    while (start < end) {
      const page = start >>> 12;
      const pageEnd = Math.min((page + 1) * 4096, end);
      if (mark[page] !== 0) {
        this.translator?.rangeWritten(page, start & 0xfff, pageEnd - (page << 12));
        const ops = this.#codePages[page]!;
        // Slots are per halfword; a 32-bit instruction starting 2 bytes
        // before the range overlaps it too.
        ops.fill(0, Math.max(0, (start & 0xffe) - 2), ((pageEnd - 1) & 0xffe) + 2);
      }
      start = pageEnd;
    }
  }

  #invalidateAllCode(): void {
    const mark = this.#codeMark;
    for (let p = 0; p < mark.length; p++) if (mark[p] !== 0) this.#codePages[p]!.fill(0);
    this.translator?.dropAll();
  }

  /** Slot invalidation for a guest store into a page that holds decoded code. */
  #codeWritten(off: number): number {
    const ops = this.#codePages[off >>> 12]!;
    const s = off & 0xffe;
    ops[s] = 0;
    if (s >= 2) ops[s - 2] = 0;
    if (s < 0xffe) ops[s + 2] = 0;
    return this.translator !== null ? this.translator.stored(off) : 0;
  }

  /**
   * Executes at most `maxInstructions` instructions (traps count as steps)
   * and returns why it stopped ({@link StopReason}).
   */
  run(maxInstructions: number): number {
    const clock = this.#clock;
    const mmu = this.mmu;
    const r = this.#regs;
    const i32 = this.#i32, u8 = this.#u8, i8 = this.#i8, u16 = this.#u16, i16 = this.#i16;
    const tags = mmu.tags, deltas = mmu.deltas;
    const codeMark = this.#codeMark;
    const opCost = this.#opCost;
    const takenCost = this.costs.branchTaken;
    const limit = maxInstructions;
    const jit = this.translator;
    const jitFns = jit !== null ? jit.fns : [];
    const jitEntries = jit !== null ? jit.entries : [];
    const heat = jit !== null ? jit.heat : EMPTY_HEAT;
    const jio = this.#jitIo;
    let n = 0;
    r[0] = 0;
    this.#fVa = NO_PAGE;
    for (;;) {
      if (this.#halt) {
        this.#halt = false;
        return StopReason.HALT;
      }
      if (n >= limit) return StopReason.BUDGET;
      if ((this.#mip & this.mie) !== 0) {
        const code = this.#pendingInterrupt();
        if (code >= 0) {
          n++;
          if (this.#trap(code, true, 0)) return StopReason.HOST_TRAP;
          continue;
        }
      }
      // Armed debug triggers: one instruction per trip, execute match first.
      const armed = this.triggers.armed;
      if (armed && this.triggers.fires(MCONTROL.EXECUTE, this.pc, this.priv)) {
        n++;
        if (this.#exception(CAUSE.BREAKPOINT, this.pc, false)) return StopReason.HOST_TRAP;
        continue;
      }
      // Armed triggers, or a fetch page the PMP does not allow as a whole:
      // one instruction per trip, so each fetch is checked.
      const stepLimit = armed || this.#fetchStep ? n + 1 : limit;
      // Enter the fast loop with everything it needs in locals.
      const priv = this.priv;
      const st = this.mstatus;
      // The CSR fields are public: keep the MMU in step even if the host
      // assigned them directly instead of through writeCsr.
      mmu.setSumMxr((st & MSTATUS.SUM) !== 0, (st & MSTATUS.MXR) !== 0);
      mmu.adue = (this.menvcfgh & MENVCFGH.ADUE) !== 0;
      const dataPriv = priv === M_MODE && (st & MSTATUS.MPRV) !== 0
        ? (st >>> MSTATUS_MPP_SHIFT) & 3
        : priv;
      const fBase = (mmu.regimeFor(priv) * 3 + ACCESS.FETCH) << TLB_BITS;
      const dataRegime = mmu.regimeFor(dataPriv) * 3;
      const ldBase = (dataRegime + ACCESS.LOAD) << TLB_BITS;
      const stBase = (dataRegime + ACCESS.STORE) << TLB_BITS;
      const asid = mmu.asid;
      const ah = mmu.asidHash;
      let pc = this.pc | 0;
      let cyc = clock.now;
      let nextAt = clock.nextEventAt;
      // FP arithmetic runs in the loop while FS is not Off.
      const fpu = (st & MSTATUS.FS) !== 0 ? this.fpu : null;
      const fw = fpu !== null ? fpu.words : null;
      // U-mode ecalls go straight to the host's fast path (see ecallHook).
      const ecallHook = this.ecallHook;
      const fastEcall = ecallHook !== null && priv === U_MODE && this.hostSupervisor &&
        (this.medeleg & (1 << CAUSE.USER_ECALL)) !== 0;
      let fVa = this.#fVa;
      let ops = this.#fOps;
      let fHalf = this.#fHalf;
      let retired = 0;
      let hits = 0;
      let slow = 0;
      let slowImm = 0;
      fast: for (;;) {
        if ((pc & -4096) !== fVa) {
          const vpn = pc >>> 12;
          const ti = fBase + ((vpn ^ ah) & TLB_MASK);
          if ((pc & 1) === 0 && tags[ti] === ((vpn << 9) | asid)) {
            const off = ((pc & -4096) + deltas[ti]) | 0;
            const page = this.#codePages[off >>> 12];
            if (page !== null) {
              ops = page;
              fVa = pc & -4096;
              fHalf = off >> 1;
              hits++;
            } else {
              slow = SLOW_FETCH;
              break;
            }
          } else {
            slow = SLOW_FETCH;
            break;
          }
        }
        if (jit !== null) {
          // Translated page: run it; cold page: count towards translation.
          const jp = fHalf >> 11;
          const f = jitFns[jp];
          if (f !== null && jitEntries[jp]![pc & 4095] !== 0) {
            const done = f(
              r,
              jio,
              pc & 4095,
              cyc,
              n,
              nextAt,
              stepLimit,
              fVa,
              ldBase,
              stBase,
              asid,
              ah,
            );
            if (done !== 0) {
              n += done;
              retired += done;
              pc = jio[0];
              cyc = jio[1];
              hits += jio[2];
              continue;
            }
          } else if (f === null && ++heat[jp] >= jit.threshold) {
            jit.translate(jp, ops, pc & 4095);
          }
        }
        const i = pc & 0xffe;
        let w = ops[i];
        if (w === 0) {
          decodeHalf(u16, fHalf + (i >> 1), i === 0xffe, ops, i, opCost);
          w = ops[i];
        }
        const imm = ops[i + 1];
        cyc += w >>> 24;
        n++;
        retired++;
        switch (w & 0x7f) {
          case OP_ECALL: {
            if (!fastEcall) {
              slow = w;
              slowImm = imm;
              break;
            }
            // Architectural trap entry (the ecall does not retire; medeleg
            // sends it to S), then the host handles the call in place.
            this.instret += retired - 1;
            retired = 0;
            mmu.hits += hits;
            hits = 0;
            if (cyc >= clock.nextEventAt) clock.advanceTo(cyc);
            else clock.now = cyc;
            this.pc = pc >>> 0;
            this.#trap(CAUSE.USER_ECALL, false, 0);
            const flushes = mmu.flushes;
            const outcome = ecallHook!();
            if (outcome !== EcallOutcome.RESUMED) {
              return outcome === EcallOutcome.SERVICED ? StopReason.SERVICED : StopReason.HOST_TRAP;
            }
            // Back in U-mode in the same address space. If the host flushed
            // translations (it changed mappings), look the fetch page up again.
            pc = this.pc | 0;
            cyc = clock.now;
            nextAt = clock.nextEventAt;
            if (mmu.flushes !== flushes) fVa = NO_PAGE;
            if ((this.#mip & this.mie) !== 0 || this.#halt || cyc >= nextAt || n >= stepLimit) {
              break fast;
            }
            continue;
          }
          case OP_FENCE:
            break;
          case OP_FLD:
          case OP_FLW: {
            if (fw !== null) {
              const va = (r[(w >> 14) & 31] + imm) | 0;
              const vpn = va >>> 12;
              const ti = ldBase + ((vpn ^ ah) & TLB_MASK);
              const dbl = (w & 0x7f) === OP_FLD;
              if ((va & (dbl ? 7 : 3)) === 0 && tags[ti] === ((vpn << 9) | asid)) {
                const o = ((va + deltas[ti]) | 0) >> 2;
                const k = ((w >> 19) & 31) << 1;
                fw[k] = i32[o];
                fw[k + 1] = dbl ? i32[o + 1] : -1;
                this.mstatus = (this.mstatus | FS_DIRTY) >>> 0;
                hits++;
                break;
              }
            }
            slow = w;
            slowImm = imm;
            break;
          }
          case OP_FSD:
          case OP_FSW: {
            if (fw !== null) {
              const va = (r[(w >> 14) & 31] + imm) | 0;
              const vpn = va >>> 12;
              const ti = stBase + ((vpn ^ ah) & TLB_MASK);
              const dbl = (w & 0x7f) === OP_FSD;
              if ((va & (dbl ? 7 : 3)) === 0 && tags[ti] === ((vpn << 9) | asid)) {
                const off = (va + deltas[ti]) | 0;
                const k = ((w >> 19) & 31) << 1;
                i32[off >> 2] = fw[k];
                if (dbl) i32[(off >> 2) + 1] = fw[k + 1];
                if (codeMark[off >>> 12] !== 0) {
                  this.#codeWritten(off);
                  if (dbl) this.#codeWritten(off + 4);
                }
                hits++;
                break;
              }
            }
            slow = w;
            slowImm = imm;
            break;
          }
          case OP_FP:
          case OP_FMA:
          case OP_FDIV:
            if (fpu !== null) {
              const res = fpu.exec(imm, r);
              if (res > 0) this.mstatus = (this.mstatus | FS_DIRTY) >>> 0;
              if (res >= 0) break;
            }
            slow = w;
            slowImm = imm;
            break;
          // <generated:fast-cases>
          case OP_ADDI:
            r[(w >> 8) & 63] = (r[(w >> 14) & 31] + imm) | 0;
            break;
          case OP_ADD:
            r[(w >> 8) & 63] = (r[(w >> 14) & 31] + r[(w >> 19) & 31]) | 0;
            break;
          case OP_LUI:
            r[(w >> 8) & 63] = imm;
            break;
          case OP_AUIPC:
            r[(w >> 8) & 63] = (pc + imm) | 0;
            break;
          case OP_SUB:
            r[(w >> 8) & 63] = (r[(w >> 14) & 31] - r[(w >> 19) & 31]) | 0;
            break;
          case OP_SLTI:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] < imm ? 1 : 0;
            break;
          case OP_SLTIU:
            r[(w >> 8) & 63] = (r[(w >> 14) & 31] >>> 0) < (imm >>> 0) ? 1 : 0;
            break;
          case OP_XORI:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] ^ imm;
            break;
          case OP_ORI:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] | imm;
            break;
          case OP_ANDI:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] & imm;
            break;
          case OP_SLLI:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] << imm;
            break;
          case OP_SRLI:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] >>> imm;
            break;
          case OP_SRAI:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] >> imm;
            break;
          case OP_SLL:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] << r[(w >> 19) & 31];
            break;
          case OP_SLT:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] < r[(w >> 19) & 31] ? 1 : 0;
            break;
          case OP_SLTU:
            r[(w >> 8) & 63] = (r[(w >> 14) & 31] >>> 0) < (r[(w >> 19) & 31] >>> 0) ? 1 : 0;
            break;
          case OP_XOR:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] ^ r[(w >> 19) & 31];
            break;
          case OP_SRL:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] >>> r[(w >> 19) & 31];
            break;
          case OP_SRA:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] >> r[(w >> 19) & 31];
            break;
          case OP_OR:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] | r[(w >> 19) & 31];
            break;
          case OP_AND:
            r[(w >> 8) & 63] = r[(w >> 14) & 31] & r[(w >> 19) & 31];
            break;
          case OP_MUL:
            r[(w >> 8) & 63] = Math.imul(r[(w >> 14) & 31], r[(w >> 19) & 31]);
            break;
          case OP_MULH:
            r[(w >> 8) & 63] = mulh(r[(w >> 14) & 31], r[(w >> 19) & 31]);
            break;
          case OP_MULHSU:
            r[(w >> 8) & 63] = mulhsu(r[(w >> 14) & 31], r[(w >> 19) & 31]);
            break;
          case OP_MULHU:
            r[(w >> 8) & 63] = mulhu(r[(w >> 14) & 31], r[(w >> 19) & 31]);
            break;
          case OP_DIV:
            r[(w >> 8) & 63] = div(r[(w >> 14) & 31], r[(w >> 19) & 31]);
            break;
          case OP_DIVU:
            r[(w >> 8) & 63] = divu(r[(w >> 14) & 31], r[(w >> 19) & 31]);
            break;
          case OP_REM:
            r[(w >> 8) & 63] = rem(r[(w >> 14) & 31], r[(w >> 19) & 31]);
            break;
          case OP_REMU:
            r[(w >> 8) & 63] = remu(r[(w >> 14) & 31], r[(w >> 19) & 31]);
            break;
          // Jumps and taken branches set pc and go straight to the next
          // instruction (no length arithmetic). Targets are always 2-byte
          // aligned (C is on), so there is no misaligned-target check.
          case OP_JAL: {
            const t = (pc + imm) | 0;
            r[(w >> 8) & 63] = (w & 0x80) === 0 ? pc + 4 : pc + 2;
            pc = t;
            if (cyc >= nextAt || n >= stepLimit) break fast;
            continue;
          }
          case OP_JALR: {
            const t = (r[(w >> 14) & 31] + imm) & -2;
            r[(w >> 8) & 63] = (w & 0x80) === 0 ? pc + 4 : pc + 2;
            pc = t;
            if (cyc >= nextAt || n >= stepLimit) break fast;
            continue;
          }
          case OP_BEQ:
            if (r[(w >> 14) & 31] === r[(w >> 19) & 31]) {
              pc = (pc + imm) | 0;
              cyc += takenCost;
              if (cyc >= nextAt || n >= stepLimit) break fast;
              continue;
            }
            break;
          case OP_BNE:
            if (r[(w >> 14) & 31] !== r[(w >> 19) & 31]) {
              pc = (pc + imm) | 0;
              cyc += takenCost;
              if (cyc >= nextAt || n >= stepLimit) break fast;
              continue;
            }
            break;
          case OP_BLT:
            if (r[(w >> 14) & 31] < r[(w >> 19) & 31]) {
              pc = (pc + imm) | 0;
              cyc += takenCost;
              if (cyc >= nextAt || n >= stepLimit) break fast;
              continue;
            }
            break;
          case OP_BGE:
            if (r[(w >> 14) & 31] >= r[(w >> 19) & 31]) {
              pc = (pc + imm) | 0;
              cyc += takenCost;
              if (cyc >= nextAt || n >= stepLimit) break fast;
              continue;
            }
            break;
          case OP_BLTU:
            if ((r[(w >> 14) & 31] >>> 0) < (r[(w >> 19) & 31] >>> 0)) {
              pc = (pc + imm) | 0;
              cyc += takenCost;
              if (cyc >= nextAt || n >= stepLimit) break fast;
              continue;
            }
            break;
          case OP_BGEU:
            if ((r[(w >> 14) & 31] >>> 0) >= (r[(w >> 19) & 31] >>> 0)) {
              pc = (pc + imm) | 0;
              cyc += takenCost;
              if (cyc >= nextAt || n >= stepLimit) break fast;
              continue;
            }
            break;
          case OP_LW: {
            const va = (r[(w >> 14) & 31] + imm) | 0;
            const vpn = va >>> 12;
            const ti = ldBase + ((vpn ^ ah) & TLB_MASK);
            if ((va & 3) === 0 && tags[ti] === ((vpn << 9) | asid)) {
              r[(w >> 8) & 63] = i32[((va + deltas[ti]) | 0) >> 2];
              hits++;
              break;
            }
            slow = w;
            slowImm = imm;
            break;
          }
          case OP_LBU: {
            const va = (r[(w >> 14) & 31] + imm) | 0;
            const vpn = va >>> 12;
            const ti = ldBase + ((vpn ^ ah) & TLB_MASK);
            if (tags[ti] === ((vpn << 9) | asid)) {
              r[(w >> 8) & 63] = u8[(va + deltas[ti]) | 0];
              hits++;
              break;
            }
            slow = w;
            slowImm = imm;
            break;
          }
          case OP_LB: {
            const va = (r[(w >> 14) & 31] + imm) | 0;
            const vpn = va >>> 12;
            const ti = ldBase + ((vpn ^ ah) & TLB_MASK);
            if (tags[ti] === ((vpn << 9) | asid)) {
              r[(w >> 8) & 63] = i8[(va + deltas[ti]) | 0];
              hits++;
              break;
            }
            slow = w;
            slowImm = imm;
            break;
          }
          case OP_LHU: {
            const va = (r[(w >> 14) & 31] + imm) | 0;
            const vpn = va >>> 12;
            const ti = ldBase + ((vpn ^ ah) & TLB_MASK);
            if ((va & 1) === 0 && tags[ti] === ((vpn << 9) | asid)) {
              r[(w >> 8) & 63] = u16[((va + deltas[ti]) | 0) >> 1];
              hits++;
              break;
            }
            slow = w;
            slowImm = imm;
            break;
          }
          case OP_LH: {
            const va = (r[(w >> 14) & 31] + imm) | 0;
            const vpn = va >>> 12;
            const ti = ldBase + ((vpn ^ ah) & TLB_MASK);
            if ((va & 1) === 0 && tags[ti] === ((vpn << 9) | asid)) {
              r[(w >> 8) & 63] = i16[((va + deltas[ti]) | 0) >> 1];
              hits++;
              break;
            }
            slow = w;
            slowImm = imm;
            break;
          }
          case OP_SW: {
            const va = (r[(w >> 14) & 31] + imm) | 0;
            const vpn = va >>> 12;
            const ti = stBase + ((vpn ^ ah) & TLB_MASK);
            if ((va & 3) === 0 && tags[ti] === ((vpn << 9) | asid)) {
              const off = (va + deltas[ti]) | 0;
              i32[off >> 2] = r[(w >> 19) & 31];
              if (codeMark[off >>> 12] !== 0) this.#codeWritten(off);
              hits++;
              break;
            }
            slow = w;
            slowImm = imm;
            break;
          }
          case OP_SB: {
            const va = (r[(w >> 14) & 31] + imm) | 0;
            const vpn = va >>> 12;
            const ti = stBase + ((vpn ^ ah) & TLB_MASK);
            if (tags[ti] === ((vpn << 9) | asid)) {
              const off = (va + deltas[ti]) | 0;
              u8[off] = r[(w >> 19) & 31];
              if (codeMark[off >>> 12] !== 0) this.#codeWritten(off);
              hits++;
              break;
            }
            slow = w;
            slowImm = imm;
            break;
          }
          case OP_SH: {
            const va = (r[(w >> 14) & 31] + imm) | 0;
            const vpn = va >>> 12;
            const ti = stBase + ((vpn ^ ah) & TLB_MASK);
            if ((va & 1) === 0 && tags[ti] === ((vpn << 9) | asid)) {
              const off = (va + deltas[ti]) | 0;
              u16[off >> 1] = r[(w >> 19) & 31];
              if (codeMark[off >>> 12] !== 0) this.#codeWritten(off);
              hits++;
              break;
            }
            slow = w;
            slowImm = imm;
            break;
          }
          // </generated:fast-cases>
          default:
            slow = w;
            slowImm = imm;
            break;
        }
        if (slow !== 0) break;
        // Compressed instructions (bit 7) advance by 2: a well-predicted
        // branch is cheaper here than computing the length from w.
        if ((w & 0x80) === 0) pc = (pc + 4) | 0;
        else pc = (pc + 2) | 0;
        if (cyc >= nextAt || n >= stepLimit) break;
      }
      // Back to field state.
      this.pc = pc >>> 0;
      this.instret += retired;
      mmu.hits += hits;
      this.#fVa = fVa;
      if (this.#fetchStep) {
        this.#fetchStep = false;
        this.#fVa = NO_PAGE;
      }
      this.#fOps = ops;
      this.#fHalf = fHalf;
      // Fire events only when one is due; otherwise just move time.
      if (cyc >= clock.nextEventAt) clock.advanceTo(cyc);
      else clock.now = cyc;
      if (slow === 0) continue;
      if (slow === SLOW_FETCH) {
        const trapped = this.#fetchMiss();
        if (trapped !== 0) {
          n++;
          if (trapped === 2) {
            this.#chargeWalks();
            return StopReason.HOST_TRAP;
          }
        }
      } else {
        this.#fVa = NO_PAGE;
        this.#instretBias = 1;
        const stop = this.#exec(slow, slowImm);
        this.#instretBias = 0;
        if (stop >= 0) {
          this.#chargeWalks();
          if (
            stop === StopReason.HOST_TRAP && this.ecallHook !== null &&
            this.scause === CAUSE.USER_ECALL
          ) {
            const outcome = this.ecallHook();
            if (outcome === EcallOutcome.RESUMED) continue;
            if (outcome === EcallOutcome.SERVICED) return StopReason.SERVICED;
          }
          return stop;
        }
      }
      this.#chargeWalks();
    }
  }

  /** Moves the clock `cycles` forward, firing events only if one comes due. */
  #advance(cycles: number): void {
    const clock = this.#clock;
    const t = clock.now + cycles;
    if (t >= clock.nextEventAt) clock.advanceTo(t);
    else clock.now = t;
  }

  #chargeWalks(): void {
    const c = this.mmu.walkCycles;
    if (c !== 0) {
      this.mmu.walkCycles = 0;
      this.#advance(c);
    }
  }

  /**
   * The pc left the cached page and the TLB had no usable entry: translate,
   * set up the decoded page, or take the fetch exception. Returns 0 when the
   * page is ready, 1 after a trap, 2 after a trap to S under hostSupervisor.
   */
  #fetchMiss(): number {
    const pc = this.pc;
    let cause = -1;
    let off = 0;
    if ((pc & 1) !== 0) {
      cause = CAUSE.MISALIGNED_FETCH;
    } else {
      const pa = this.mmu.translate(pc, ACCESS.FETCH, this.priv);
      if (pa < 0) {
        cause = ~pa;
      } else {
        off = pa - this.#ram.base;
        if (off < 0 || off + 2 > this.#ram.size) cause = CAUSE.FETCH_ACCESS;
      }
    }
    if (cause >= 0) return this.#exception(cause, pc, false) ? 2 : 1;
    const pmp = this.pmp;
    if (pmp.active && !pmp.check((off & ~0xfff) + this.#ram.base, 4096, ACCESS.FETCH, this.priv)) {
      this.#fetchStep = true;
    }
    const page = off >>> 12;
    let ops = this.#codePages[page];
    if (ops === null) {
      ops = new Int32Array(PAGE_OPS_LEN);
      this.#codePages[page] = ops;
      this.#codeMark[page] = 1;
    }
    this.#fVa = pc & -4096;
    this.#fOps = ops;
    this.#fHalf = (off & ~0xfff) >> 1;
    return 0;
  }

  /** Highest-priority pending and enabled interrupt, or -1. */
  #pendingInterrupt(): number {
    const pend = this.#mip & this.mie;
    if (pend === 0) return -1;
    const priv = this.priv;
    const st = this.mstatus;
    const mBits = priv < M_MODE || (st & MSTATUS.MIE) !== 0 ? pend & ~this.mideleg : 0;
    if (mBits !== 0) return pickInterrupt(mBits);
    const sBits = priv < S_MODE || (priv === S_MODE && (st & MSTATUS.SIE) !== 0)
      ? pend & this.mideleg
      : 0;
    if (sBits !== 0) return pickInterrupt(sBits);
    return -1;
  }

  /** Raises a synchronous exception for the current instruction (which does not retire). */
  #exception(cause: number, tval: number, retiredCounted = true): boolean {
    if (retiredCounted) this.instret--;
    return this.#trap(cause, false, tval);
  }

  /**
   * Architectural trap entry with epc = this.pc. Returns true when the trap
   * went to S-mode and the host kernel is the supervisor.
   */
  #trap(code: number, interrupt: boolean, tval: number): boolean {
    this.#reservation = -1;
    this.#fVa = NO_PAGE;
    const priv = this.priv;
    const deleg = priv !== M_MODE &&
      (((interrupt ? this.mideleg : this.medeleg) >>> code) & 1) !== 0;
    const cause = interrupt ? (code | CAUSE_INTERRUPT) >>> 0 : code;
    let s = this.mstatus;
    if (deleg) {
      this.scause = cause;
      this.sepc = this.pc;
      this.stval = tval >>> 0;
      s = priv === S_MODE ? s | MSTATUS.SPP : s & ~MSTATUS.SPP;
      s = (s & MSTATUS.SIE) !== 0 ? s | MSTATUS.SPIE : s & ~MSTATUS.SPIE;
      s &= ~MSTATUS.SIE;
      this.priv = S_MODE;
      const vec = this.stvec;
      this.pc = ((vec & ~3) + (interrupt && (vec & 1) !== 0 ? 4 * code : 0)) >>> 0;
    } else {
      this.mcause = cause;
      this.mepc = this.pc;
      this.mtval = tval >>> 0;
      s = (s & ~MSTATUS.MPP) | (priv << MSTATUS_MPP_SHIFT);
      s = (s & MSTATUS.MIE) !== 0 ? s | MSTATUS.MPIE : s & ~MSTATUS.MPIE;
      s &= ~MSTATUS.MIE;
      this.priv = M_MODE;
      const vec = this.mtvec;
      this.pc = ((vec & ~3) + (interrupt && (vec & 1) !== 0 ? 4 * code : 0)) >>> 0;
    }
    this.mstatus = s >>> 0;
    this.#advance(this.#trapCost);
    if (this.trapObserver !== null) this.trapObserver(cause, this.priv);
    return deleg && this.hostSupervisor;
  }

  /** Effective privilege of loads and stores (MPRV). */
  #dataPriv(): number {
    const st = this.mstatus;
    return this.priv === M_MODE && (st & MSTATUS.MPRV) !== 0
      ? (st >>> MSTATUS_MPP_SHIFT) & 3
      : this.priv;
  }

  /**
   * Executes one instruction that the fast loop did not finish. The clock
   * is in sync and the instruction is already counted in `instret`.
   * Returns a {@link StopReason} to stop `run`, or -1 to go on.
   */
  #exec(w: number, imm: number): number {
    const r = this.#regs;
    const op = w & 0x7f;
    const rd = (w >> 8) & 63;
    const rs1 = (w >> 14) & 31;
    const rs2 = (w >> 19) & 31;
    const pc = this.pc;
    const len = 4 - ((w >> 6) & 2);
    this.#ilen = len;
    switch (op) {
      // <generated:slow-cases>
      case OP_ADDI:
        r[rd] = (r[rs1] + imm) | 0;
        break;
      case OP_ADD:
        r[rd] = (r[rs1] + r[rs2]) | 0;
        break;
      case OP_LUI:
        r[rd] = imm;
        break;
      case OP_AUIPC:
        r[rd] = (pc + imm) | 0;
        break;
      case OP_SUB:
        r[rd] = (r[rs1] - r[rs2]) | 0;
        break;
      case OP_SLTI:
        r[rd] = r[rs1] < imm ? 1 : 0;
        break;
      case OP_SLTIU:
        r[rd] = (r[rs1] >>> 0) < (imm >>> 0) ? 1 : 0;
        break;
      case OP_XORI:
        r[rd] = r[rs1] ^ imm;
        break;
      case OP_ORI:
        r[rd] = r[rs1] | imm;
        break;
      case OP_ANDI:
        r[rd] = r[rs1] & imm;
        break;
      case OP_SLLI:
        r[rd] = r[rs1] << imm;
        break;
      case OP_SRLI:
        r[rd] = r[rs1] >>> imm;
        break;
      case OP_SRAI:
        r[rd] = r[rs1] >> imm;
        break;
      case OP_SLL:
        r[rd] = r[rs1] << r[rs2];
        break;
      case OP_SLT:
        r[rd] = r[rs1] < r[rs2] ? 1 : 0;
        break;
      case OP_SLTU:
        r[rd] = (r[rs1] >>> 0) < (r[rs2] >>> 0) ? 1 : 0;
        break;
      case OP_XOR:
        r[rd] = r[rs1] ^ r[rs2];
        break;
      case OP_SRL:
        r[rd] = r[rs1] >>> r[rs2];
        break;
      case OP_SRA:
        r[rd] = r[rs1] >> r[rs2];
        break;
      case OP_OR:
        r[rd] = r[rs1] | r[rs2];
        break;
      case OP_AND:
        r[rd] = r[rs1] & r[rs2];
        break;
      case OP_MUL:
        r[rd] = Math.imul(r[rs1], r[rs2]);
        break;
      case OP_MULH:
        r[rd] = mulh(r[rs1], r[rs2]);
        break;
      case OP_MULHSU:
        r[rd] = mulhsu(r[rs1], r[rs2]);
        break;
      case OP_MULHU:
        r[rd] = mulhu(r[rs1], r[rs2]);
        break;
      case OP_DIV:
        r[rd] = div(r[rs1], r[rs2]);
        break;
      case OP_DIVU:
        r[rd] = divu(r[rs1], r[rs2]);
        break;
      case OP_REM:
        r[rd] = rem(r[rs1], r[rs2]);
        break;
      case OP_REMU:
        r[rd] = remu(r[rs1], r[rs2]);
        break;
      case OP_JAL: {
        const t = (pc + imm) | 0;
        r[rd] = pc + len;
        this.pc = t >>> 0;
        return -1;
      }
      case OP_JALR: {
        const t = (r[rs1] + imm) & -2;
        r[rd] = pc + len;
        this.pc = t >>> 0;
        return -1;
      }
      case OP_BEQ:
        return this.#branch(r[rs1] === r[rs2], imm, len);
      case OP_BNE:
        return this.#branch(r[rs1] !== r[rs2], imm, len);
      case OP_BLT:
        return this.#branch(r[rs1] < r[rs2], imm, len);
      case OP_BGE:
        return this.#branch(r[rs1] >= r[rs2], imm, len);
      case OP_BLTU:
        return this.#branch((r[rs1] >>> 0) < (r[rs2] >>> 0), imm, len);
      case OP_BGEU:
        return this.#branch((r[rs1] >>> 0) >= (r[rs2] >>> 0), imm, len);
      // </generated:slow-cases>
      case OP_CROSS:
        return this.#crossPage();
      case OP_LB:
      case OP_LH:
      case OP_LW:
      case OP_LBU:
      case OP_LHU:
        return this.#load(op, rd, (r[rs1] + imm) | 0);
      case OP_SB:
      case OP_SH:
      case OP_SW:
        return this.#store(op, (r[rs1] + imm) | 0, r[rs2]);
      case OP_LR:
      case OP_SC:
      case OP_AMOSWAP:
      case OP_AMOADD:
      case OP_AMOXOR:
      case OP_AMOAND:
      case OP_AMOOR:
      case OP_AMOMIN:
      case OP_AMOMAX:
      case OP_AMOMINU:
      case OP_AMOMAXU:
        return this.#amo(op, rd, r[rs1], r[rs2]);
      case OP_FENCE:
        break;
      case OP_FENCE_I:
        this.#invalidateAllCode();
        break;
      case OP_CSRRW:
      case OP_CSRRS:
      case OP_CSRRC:
      case OP_CSRRWI:
      case OP_CSRRSI:
      case OP_CSRRCI:
        return this.#csrInstruction(op, rd, rs1, imm, w);
      case OP_ECALL: {
        const cause = this.priv === U_MODE
          ? CAUSE.USER_ECALL
          : this.priv === S_MODE
          ? CAUSE.SUPERVISOR_ECALL
          : CAUSE.MACHINE_ECALL;
        return this.#stopIf(this.#exception(cause, 0));
      }
      case OP_EBREAK:
        return this.#stopIf(this.#exception(CAUSE.BREAKPOINT, pc));
      case OP_MRET: {
        if (this.priv !== M_MODE) return this.#illegal(0x30200073);
        let s = this.mstatus;
        const mpp = (s >>> MSTATUS_MPP_SHIFT) & 3;
        s = (s & MSTATUS.MPIE) !== 0 ? s | MSTATUS.MIE : s & ~MSTATUS.MIE;
        s = (s | MSTATUS.MPIE) & ~MSTATUS.MPP;
        if (mpp !== M_MODE) s &= ~MSTATUS.MPRV;
        this.mstatus = s >>> 0;
        this.priv = mpp;
        this.pc = this.mepc;
        this.#reservation = -1;
        return -1;
      }
      case OP_SRET:
        if (
          this.priv === U_MODE || (this.priv === S_MODE && (this.mstatus & MSTATUS.TSR) !== 0)
        ) {
          return this.#illegal(0x10200073);
        }
        this.sret();
        return -1;
      case OP_WFI:
        return this.#wfi();
      case OP_FLW:
      case OP_FLD:
      case OP_FSW:
      case OP_FSD:
        return this.#fpMemory(w, rs1, rs2, imm);
      case OP_FP:
      case OP_FMA:
      case OP_FDIV: {
        if ((this.mstatus & MSTATUS.FS) === 0) return this.#illegal(imm);
        const res = this.fpu.exec(imm, r);
        if (res < 0) return this.#illegal(imm);
        if (res > 0) this.mstatus = (this.mstatus | FS_DIRTY) >>> 0;
        break;
      }
      case OP_SFENCE_VMA:
        if (
          this.priv === U_MODE || (this.priv === S_MODE && (this.mstatus & MSTATUS.TVM) !== 0)
        ) {
          return this.#illegal(0x12000073 | (rs1 << 15) | (rs2 << 20));
        }
        this.mmu.flush(rs1 === 0 ? undefined : r[rs1], rs2 === 0 ? undefined : r[rs2]);
        break;
      case OP_ILLEGAL:
        // OP_ILLEGAL keeps the raw instruction bits in imm.
        return this.#illegal(imm);
      default:
        return this.#illegal(0);
    }
    this.pc = (pc + len) >>> 0;
    return -1;
  }

  /** A conditional branch of the slow path: taken to pc + imm, else to pc + len. */
  #branch(taken: boolean, imm: number, len: number): number {
    const pc = this.pc;
    if (!taken) {
      this.pc = (pc + len) >>> 0;
      return -1;
    }
    this.pc = (pc + imm) >>> 0;
    this.#advance(this.costs.branchTaken);
    return -1;
  }

  /**
   * A 32-bit instruction in the last halfword of a page: fetch its upper
   * half from the next page (a fault there has tval = that page's address,
   * epc = the instruction), decode it and run it.
   */
  #crossPage(): number {
    const pc = this.pc;
    const ram = this.#ram;
    const pa1 = this.mmu.translate(pc, ACCESS.FETCH, this.priv);
    const hiVa = (pc + 2) >>> 0;
    const pa2 = this.mmu.translate(hiVa, ACCESS.FETCH, this.priv);
    if (pa1 < 0) return this.#stopIf(this.#exception(~pa1, pc));
    if (pa2 < 0) return this.#stopIf(this.#exception(~pa2, hiVa));
    const off1 = pa1 - ram.base, off2 = pa2 - ram.base;
    if (off2 < 0 || off2 + 2 > ram.size) {
      return this.#stopIf(this.#exception(CAUSE.FETCH_ACCESS, hiVa));
    }
    const inst = this.#u16[off1 >> 1] | (this.#u16[off2 >> 1] << 16);
    const ops = this.#crossOps;
    decodeInto(inst, ops, 0, this.#opCost);
    const w = ops[0];
    this.#advance(w >>> 24);
    return this.#exec(w, ops[1]);
  }

  #stopIf(hostTrap: boolean): number {
    return hostTrap ? StopReason.HOST_TRAP : -1;
  }

  #illegal(bits: number): number {
    return this.#stopIf(this.#exception(CAUSE.ILLEGAL_INSTRUCTION, bits));
  }

  /** Translates a data address; returns the physical address or ~cause. */
  #translateData(va: number, access: number): number {
    return this.mmu.translate(va, access, this.#dataPriv());
  }

  #load(op: number, rd: number, va: number): number {
    const width: AccessWidth = op === OP_LW ? 4 : op === OP_LH || op === OP_LHU ? 2 : 1;
    let v = this.#data.read(va, width, width, this.#dataPriv());
    if (this.#data.fault >= 0) return this.#faultTrap();
    if (op === OP_LB) v = (v << 24) >> 24;
    else if (op === OP_LH) v = (v << 16) >> 16;
    this.#regs[rd] = v;
    this.pc = (this.pc + this.#ilen) >>> 0;
    return -1;
  }

  #store(op: number, va: number, value: number): number {
    const width = op === OP_SW ? 4 : op === OP_SH ? 2 : 1;
    this.#data.write(va, width, value, 0, this.#dataPriv());
    if (this.#data.fault >= 0) return this.#faultTrap();
    this.pc = (this.pc + this.#ilen) >>> 0;
    return -1;
  }

  /** Raises the exception of the last faulting data access. */
  #faultTrap(): number {
    return this.#stopIf(this.#exception(this.#data.fault, this.#data.faultVa));
  }

  /** FLW, FLD (frd in the rs2 field), FSW, FSD. */
  #fpMemory(w: number, rs1: number, freg: number, imm: number): number {
    const op = w & 0x7f;
    const isLoad = op === OP_FLW || op === OP_FLD;
    const dbl = op === OP_FLD || op === OP_FSD;
    if ((this.mstatus & MSTATUS.FS) === 0) {
      if ((w & 0x80) !== 0) return this.#illegal(compressFpMemory(isLoad, dbl, rs1, freg, imm));
      const f3 = dbl ? 3 : 2;
      return this.#illegal(
        isLoad
          ? (imm << 20) | (rs1 << 15) | (f3 << 12) | (freg << 7) | 0x07
          : ((imm >> 5) << 25) | (freg << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) |
            0x27,
      );
    }
    const va = (this.#regs[rs1] + imm) | 0;
    const words = this.fpu.words;
    if (isLoad) {
      const lo = this.#data.read(va, 4, dbl ? 8 : 4, this.#dataPriv());
      if (this.#data.fault >= 0) return this.#faultTrap();
      const hi = dbl ? this.#data.read((va + 4) | 0, 4, 8, this.#dataPriv()) : -1;
      if (this.#data.fault >= 0) return this.#faultTrap();
      words[2 * freg] = lo;
      words[2 * freg + 1] = hi;
      this.mstatus = (this.mstatus | FS_DIRTY) >>> 0;
    } else {
      this.#data.write(va, dbl ? 8 : 4, words[2 * freg], words[2 * freg + 1], this.#dataPriv());
      if (this.#data.fault >= 0) return this.#faultTrap();
    }
    this.pc = (this.pc + this.#ilen) >>> 0;
    return -1;
  }

  #amo(op: number, rd: number, va: number, src: number): number {
    const isLr = op === OP_LR;
    if (this.triggers.armed) {
      const kind = isLr
        ? MCONTROL.LOAD
        : op === OP_SC
        ? MCONTROL.STORE
        : MCONTROL.LOAD | MCONTROL.STORE;
      if (this.triggers.fires(kind, va, this.#dataPriv())) {
        return this.#stopIf(this.#exception(CAUSE.BREAKPOINT, va));
      }
    }
    if ((va & 3) !== 0) {
      return this.#stopIf(
        this.#exception(isLr ? CAUSE.MISALIGNED_LOAD : CAUSE.MISALIGNED_STORE, va),
      );
    }
    const pa = this.#translateData(va, isLr ? ACCESS.LOAD : ACCESS.STORE);
    if (pa < 0) return this.#stopIf(this.#exception(~pa, va));
    const ram = this.#ram;
    const off = pa - ram.base;
    // Atomics are supported on RAM only; devices give an access fault.
    if (off < 0 || off + 4 > ram.size) {
      return this.#stopIf(
        this.#exception(isLr ? CAUSE.LOAD_ACCESS : CAUSE.STORE_ACCESS, va),
      );
    }
    const i32 = this.#i32;
    const idx = off >> 2;
    const old = i32[idx];
    let nv: number;
    switch (op) {
      case OP_LR:
        this.#reservation = pa;
        this.#regs[rd] = old;
        this.pc = (this.pc + this.#ilen) >>> 0;
        return -1;
      case OP_SC: {
        const ok = this.#reservation === pa;
        this.#reservation = -1;
        if (ok) {
          i32[idx] = src;
          if (this.#codeMark[off >>> 12] !== 0) this.#codeWritten(off);
        }
        this.#regs[rd] = ok ? 0 : 1;
        this.pc = (this.pc + this.#ilen) >>> 0;
        return -1;
      }
      case OP_AMOSWAP:
        nv = src;
        break;
      case OP_AMOADD:
        nv = (old + src) | 0;
        break;
      case OP_AMOXOR:
        nv = old ^ src;
        break;
      case OP_AMOAND:
        nv = old & src;
        break;
      case OP_AMOOR:
        nv = old | src;
        break;
      case OP_AMOMIN:
        nv = old < src ? old : src;
        break;
      case OP_AMOMAX:
        nv = old > src ? old : src;
        break;
      case OP_AMOMINU:
        nv = (old >>> 0) < (src >>> 0) ? old : src;
        break;
      default: // AMOMAXU
        nv = (old >>> 0) > (src >>> 0) ? old : src;
        break;
    }
    i32[idx] = nv;
    if (this.#codeMark[off >>> 12] !== 0) this.#codeWritten(off);
    this.#regs[rd] = old;
    this.pc = (this.pc + this.#ilen) >>> 0;
    return -1;
  }

  #wfi(): number {
    const priv = this.priv;
    if (priv === U_MODE || (priv !== M_MODE && (this.mstatus & MSTATUS.TW) !== 0)) {
      return this.#illegal(0x10500073);
    }
    if ((this.#mip & this.mie) !== 0) {
      this.pc = (this.pc + this.#ilen) >>> 0;
      return -1;
    }
    // Sleep until the next event; stay on the wfi (not retired) unless it woke us.
    if (!this.#clock.advanceToNextEvent()) {
      this.pc = (this.pc + this.#ilen) >>> 0;
      return StopReason.WFI;
    }
    if ((this.#mip & this.mie) !== 0) this.pc = (this.pc + this.#ilen) >>> 0;
    else this.instret--;
    return -1;
  }

  #csrInstruction(op: number, rd: number, rs1: number, csr: number, w: number): number {
    const immForm = op >= OP_CSRRWI;
    const src = immForm ? rs1 : this.#regs[rs1];
    const isWrite = op === OP_CSRRW || op === OP_CSRRWI;
    const writes = isWrite || rs1 !== 0;
    const priv = this.priv;
    const bits = this.#csrBits(w, rs1, rd, csr);
    if (((csr >>> 8) & 3) > priv) return this.#illegal(bits);
    if (writes && csr >>> 10 === 3) return this.#illegal(bits);
    if (!this.#csrAccessible(csr, priv)) return this.#illegal(bits);
    const old = this.#csrRead(csr);
    if (Number.isNaN(old)) return this.#illegal(bits);
    if (writes) {
      const nv = isWrite ? src : op === OP_CSRRS || op === OP_CSRRSI ? old | src : old & ~src;
      this.#csrWrite(csr, nv >>> 0);
    }
    this.#regs[rd] = old;
    this.pc = (this.pc + this.#ilen) >>> 0;
    return -1;
  }

  /** Re-encodes a CSR instruction (for tval of an illegal-instruction trap). */
  #csrBits(w: number, rs1: number, rd: number, csr: number): number {
    const f3 = CSR_FUNCT3[(w & 0x7f) - OP_CSRRW];
    return (csr << 20) | (rs1 << 15) | (f3 << 12) | ((rd === 32 ? 0 : rd) << 7) | 0x73;
  }

  /** Counter-enable, TVM and Sstc access rules for guest CSR instructions. */
  #csrAccessible(csr: number, priv: number): boolean {
    if ((csr >= 0xc00 && csr <= 0xc1f) || (csr >= 0xc80 && csr <= 0xc9f)) {
      const bit = 1 << (csr & 31);
      if (priv < M_MODE && (this.mcounteren & bit) === 0) return false;
      if (priv === U_MODE && (this.scounteren & bit) === 0) return false;
      return true;
    }
    if (csr === CSR.satp) return !(priv === S_MODE && (this.mstatus & MSTATUS.TVM) !== 0);
    if (csr <= CSR_FCSR) return (this.mstatus & MSTATUS.FS) !== 0;
    if (csr === CSR.stimecmp || csr === CSR.stimecmph) {
      if (priv === M_MODE) return true;
      return (this.mcounteren & 2) !== 0 && (this.menvcfgh & MENVCFGH.STCE) !== 0;
    }
    return true;
  }

  /** Host access: reads a CSR without privilege checks (unsigned; 0 if not implemented). */
  readCsr(addr: number): number {
    const v = this.#csrRead(addr);
    return Number.isNaN(v) ? 0 : v;
  }

  /** Host access: writes a CSR without privilege checks, with its usual side effects. */
  writeCsr(addr: number, value: number): void {
    this.#csrWrite(addr, value >>> 0);
  }

  /** True when `addr` names a CSR this CPU implements. */
  hasCsr(addr: number): boolean {
    return !Number.isNaN(this.#csrRead(addr));
  }

  /** Half (`high`) of the 64-bit value (hi:lo) + delta, delta a nonnegative safe integer. */
  #counterHalf(hi: number, lo: number, delta: number, high: boolean): number {
    const sumLo = lo + (delta % TWO_32);
    const carry = sumLo >= TWO_32 ? 1 : 0;
    if (!high) return (sumLo - carry * TWO_32) >>> 0;
    return (hi + Math.floor(delta / TWO_32) + carry) % TWO_32 >>> 0;
  }

  #cycleHalf(high: boolean): number {
    return this.#counterHalf(this.#cyHi, this.#cyLo, this.#clock.now - this.#cyMark, high);
  }

  #instretHalf(high: boolean): number {
    const delta = this.instret - this.#instretBias - this.#irMark;
    return this.#counterHalf(this.#irHi, this.#irLo, delta, high);
  }

  /** Reads a CSR; NaN when it does not exist. */
  #csrRead(csr: number): number {
    switch (csr) {
      case CSR_FFLAGS:
        return this.fpu.fflags;
      case CSR_FRM:
        return this.fpu.frm;
      case CSR_FCSR:
        return this.fpu.fcsr;
      case CSR_CYCLE:
      case CSR_MCYCLE:
        return this.#cycleHalf(false);
      case CSR_CYCLEH:
      case CSR_MCYCLEH:
        return this.#cycleHalf(true);
      case CSR_TIME:
        return this.#clock.mtime % TWO_32 >>> 0;
      case CSR_TIMEH:
        return Math.floor(this.#clock.mtime / TWO_32) >>> 0;
      case CSR_INSTRET:
      case CSR_MINSTRET:
        return this.#instretHalf(false);
      case CSR_INSTRETH:
      case CSR_MINSTRETH:
        return this.#instretHalf(true);
      case CSR_SSTATUS:
        return (this.mstatus & SSTATUS_MASK) >>> 0;
      case CSR_SIE:
        return (this.mie & this.mideleg) >>> 0;
      case CSR_STVEC:
        return this.stvec;
      case CSR_SCOUNTEREN:
        return this.scounteren;
      case CSR_SENVCFG:
        return this.senvcfg;
      case CSR_SSCRATCH:
        return this.sscratch;
      case CSR_SEPC:
        return this.sepc;
      case CSR_SCAUSE:
        return this.scause;
      case CSR_STVAL:
        return this.stval;
      case CSR_SIP:
        return (this.#mip & this.mideleg) >>> 0;
      case CSR_STIMECMP:
        return this.#stimecmpLo;
      case CSR_STIMECMPH:
        return this.#stimecmpHi;
      case CSR_SATP:
        return this.mmu.satp >>> 0;
      case CSR_SBASE:
        return this.mmu.kind === "baselimit" ? this.mmu.base >>> 0 : NaN;
      case CSR_SLIMIT:
        return this.mmu.kind === "baselimit" ? this.mmu.limit >>> 0 : NaN;
      case CSR_MVENDORID:
      case CSR_MARCHID:
      case CSR_MIMPID:
      case CSR_MCONFIGPTR:
        return 0;
      case CSR_MHARTID:
        return this.hartId >>> 0;
      case CSR_MSTATUS:
        return this.mstatus >>> 0;
      case CSR_MISA:
        return MISA_VALUE;
      case CSR_MEDELEG:
        return this.medeleg;
      case CSR_MIDELEG:
        return this.mideleg;
      case CSR_MIE:
        return this.mie;
      case CSR_MTVEC:
        return this.mtvec;
      case CSR_MCOUNTEREN:
        return this.mcounteren;
      case CSR_MENVCFG:
        return this.menvcfg;
      case CSR_MENVCFGH:
        return this.menvcfgh >>> 0;
      case CSR_MSTATUSH:
      case CSR_MCOUNTINHIBIT:
        return 0;
      case CSR_MSCRATCH:
        return this.mscratch;
      case CSR_MEPC:
        return this.mepc;
      case CSR_MCAUSE:
        return this.mcause;
      case CSR_MTVAL:
        return this.mtval;
      case CSR_MIP:
        return this.#mip >>> 0;
    }
    if (csr >= 0x3a0 && csr <= 0x3a3) return this.pmp.readCfg(csr - 0x3a0);
    if (csr >= 0x3b0 && csr <= 0x3bf) return this.pmp.readAddr(csr - 0x3b0);
    if (csr >= 0x7a0 && csr <= 0x7a4) return this.triggers.read(csr);
    // Hardwired-zero counters and event selectors.
    if (
      (csr >= 0xc03 && csr <= 0xc1f) || (csr >= 0xc83 && csr <= 0xc9f) ||
      (csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0xb83 && csr <= 0xb9f) ||
      (csr >= 0x323 && csr <= 0x33f)
    ) {
      return 0;
    }
    return NaN;
  }

  #csrWrite(csr: number, v: number): void {
    switch (csr) {
      case CSR_FFLAGS:
      case CSR_FRM:
      case CSR_FCSR:
        if (csr === CSR_FFLAGS) this.fpu.fflags = v & 31;
        else if (csr === CSR_FRM) this.fpu.frm = v & 7;
        else this.fpu.fcsr = v;
        this.mstatus = (this.mstatus | FS_DIRTY) >>> 0;
        return;
      case CSR_MCYCLE:
      case CSR_MCYCLEH: {
        // The written half replaces that half of the current value (which
        // already includes the writing instruction's cycles).
        const lo = this.#cycleHalf(false), hi = this.#cycleHalf(true);
        this.#cyHi = csr === CSR_MCYCLEH ? v : hi;
        this.#cyLo = csr === CSR_MCYCLE ? v : lo;
        this.#cyMark = this.#clock.now;
        return;
      }
      case CSR_MINSTRET:
      case CSR_MINSTRETH: {
        // The write takes effect after the writing instruction retired (its
        // increment, with any carry, is in the current value) and replaces
        // one half; the next instruction sees exactly the written value.
        const bias = this.#instretBias;
        this.#instretBias = 0;
        const lo = this.#instretHalf(false), hi = this.#instretHalf(true);
        this.#instretBias = bias;
        this.#irHi = csr === CSR_MINSTRETH ? v : hi;
        this.#irLo = csr === CSR_MINSTRET ? v : lo;
        this.#irMark = this.instret;
        return;
      }
      case CSR_SSTATUS:
        this.#setMstatus((this.mstatus & ~SSTATUS_MASK) | (v & SSTATUS_MASK));
        return;
      case CSR_MSTATUS:
        this.#setMstatus(v);
        return;
      case CSR_SIE:
        this.mie = ((this.mie & ~this.mideleg) | (v & this.mideleg & MIE_MASK)) >>> 0;
        return;
      case CSR_MIE:
        this.mie = v & MIE_MASK;
        return;
      case CSR_STVEC:
        this.stvec = (v & ~2) >>> 0;
        return;
      case CSR_MTVEC:
        this.mtvec = (v & ~2) >>> 0;
        return;
      case CSR_SCOUNTEREN:
        this.scounteren = v;
        return;
      case CSR_MCOUNTEREN:
        this.mcounteren = v;
        return;
      case CSR_SENVCFG:
        this.senvcfg = v & 1;
        return;
      case CSR_MENVCFG:
        this.menvcfg = v & 1;
        return;
      case CSR_MENVCFGH:
        this.menvcfgh = (v & (MENVCFGH.STCE | MENVCFGH.ADUE)) >>> 0;
        this.mmu.adue = (this.menvcfgh & MENVCFGH.ADUE) !== 0;
        this.#updateStimer();
        return;
      case CSR_SSCRATCH:
        this.sscratch = v;
        return;
      case CSR_MSCRATCH:
        this.mscratch = v;
        return;
      case CSR_SEPC:
        this.sepc = (v & ~1) >>> 0;
        return;
      case CSR_MEPC:
        this.mepc = (v & ~1) >>> 0;
        return;
      case CSR_SCAUSE:
        this.scause = v;
        return;
      case CSR_MCAUSE:
        this.mcause = v;
        return;
      case CSR_STVAL:
        this.stval = v;
        return;
      case CSR_MTVAL:
        this.mtval = v;
        return;
      case CSR_SIP:
        // Only SSIP is writable through sip, and only when delegated.
        if ((this.mideleg & SSIP) !== 0) this.#mipSw = (this.#mipSw & ~SSIP) | (v & SSIP);
        this.#updateMip();
        return;
      case CSR_MIP:
        this.#mipSw = v & S_INTERRUPTS;
        this.#updateMip();
        return;
      case CSR_MEDELEG:
        this.medeleg = v & MEDELEG_MASK;
        return;
      case CSR_MIDELEG:
        this.mideleg = v & S_INTERRUPTS;
        return;
      case CSR_STIMECMP:
        this.#stimecmpLo = v;
        this.#updateStimer();
        return;
      case CSR_STIMECMPH:
        this.#stimecmpHi = v;
        this.#updateStimer();
        return;
      case CSR_SATP:
        // Sv32 supports MODE 0 (bare) and 1; base/limit machines have no paging.
        if (this.mmu.kind === "sv32") this.mmu.setSatp(v);
        return;
      case CSR_SBASE:
        if (this.mmu.kind === "baselimit") this.mmu.setBaseLimit(v, this.mmu.limit);
        return;
      case CSR_SLIMIT:
        if (this.mmu.kind === "baselimit") this.mmu.setBaseLimit(this.mmu.base, v & ~0xfff);
        return;
    }
    if (csr >= 0x3a0 && csr <= 0x3bf) {
      if (csr <= 0x3a3) this.pmp.writeCfg(csr - 0x3a0, v);
      else if (csr >= 0x3b0) this.pmp.writeAddr(csr - 0x3b0, v);
      this.mmu.flush(); // cached translations carry PMP decisions
      return;
    }
    if (csr >= 0x7a0 && csr <= 0x7a4) {
      this.triggers.write(csr, v);
      // While armed, every access takes the slow path where triggers are checked.
      this.mmu.noFill = this.triggers.armed;
      this.mmu.flush();
      this.#fVa = NO_PAGE;
      return;
    }
    // Everything else is read-only or hardwired to zero: writes are ignored.
  }

  #setMstatus(v: number): void {
    let s = (this.mstatus & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
    s = (s & MSTATUS.FS) === MSTATUS.FS ? s | MSTATUS.SD : s & ~MSTATUS.SD;
    // MPP is WARL: the reserved value 2 keeps the old field.
    if (((s >>> MSTATUS_MPP_SHIFT) & 3) === 2) {
      s = (s & ~MSTATUS.MPP) | (this.mstatus & MSTATUS.MPP);
    }
    this.mstatus = s >>> 0;
    this.mmu.setSumMxr((s & MSTATUS.SUM) !== 0, (s & MSTATUS.MXR) !== 0);
  }

  #updateMip(): void {
    let sw = this.#mipSw;
    if ((this.menvcfgh & MENVCFGH.STCE) !== 0) sw &= ~STIP;
    this.#mip = (this.#mipHw | sw | this.#mipSstc) >>> 0;
  }

  /** Sstc: STIP = (time >= stimecmp); schedules the clock event where it rises. */
  #updateStimer(): void {
    const clock = this.#clock;
    if (this.#stimerEvent !== 0) {
      clock.cancel(this.#stimerEvent);
      this.#stimerEvent = 0;
    }
    if ((this.menvcfgh & MENVCFGH.STCE) === 0) {
      this.#mipSstc = 0;
    } else {
      const cmp = this.#stimecmpHi * TWO_32 + this.#stimecmpLo;
      if (clock.mtime >= cmp) {
        this.#mipSstc = STIP;
      } else {
        this.#mipSstc = 0;
        if (cmp <= Number.MAX_SAFE_INTEGER) {
          const at = clock.cycleForMtime(cmp);
          if (Number.isSafeInteger(at)) this.#stimerEvent = clock.scheduleAt(at, this.#stimerFire);
        }
      }
    }
    this.#updateMip();
  }
}
