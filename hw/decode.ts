/**
 * Instruction decoder for RV32IMAFD + Zicsr + Zifencei + privileged instructions.
 *
 * An instruction is decoded once into two 32-bit words kept in a per-page
 * cache (see `hw/cpu_fast.ts`):
 *
 * - word 0: `op | rd << 8 | rs1 << 14 | rs2 << 19 | cost << 24`, where `op`
 *   is one of {@link OP} (never 0: 0 marks a slot not decoded yet), `rd` is
 *   the destination register with x0 redirected to the scratch register 32
 *   (so writes to x0 vanish without a test), and `cost` the cycle cost;
 * - word 1: the sign-extended immediate (for CSR instructions the CSR number,
 *   for illegal instructions the raw instruction bits, used as `tval`).
 *
 * @module
 */

import { expandCompressed } from "./rvc.ts";

// Operation numbers are plain module constants, not object properties: V8
// folds `case OP_ADD:` into a jump table, but not `case OP.ADD:`.
/** Decoded op ILLEGAL. */
export const OP_ILLEGAL = 1;
/** Decoded op LUI. */
export const OP_LUI = 2;
/** Decoded op AUIPC. */
export const OP_AUIPC = 3;
/** Decoded op JAL. */
export const OP_JAL = 4;
/** Decoded op JALR. */
export const OP_JALR = 5;
/** Decoded op BEQ. */
export const OP_BEQ = 6;
/** Decoded op BNE. */
export const OP_BNE = 7;
/** Decoded op BLT. */
export const OP_BLT = 8;
/** Decoded op BGE. */
export const OP_BGE = 9;
/** Decoded op BLTU. */
export const OP_BLTU = 10;
/** Decoded op BGEU. */
export const OP_BGEU = 11;
/** Decoded op LB. */
export const OP_LB = 12;
/** Decoded op LH. */
export const OP_LH = 13;
/** Decoded op LW. */
export const OP_LW = 14;
/** Decoded op LBU. */
export const OP_LBU = 15;
/** Decoded op LHU. */
export const OP_LHU = 16;
/** Decoded op SB. */
export const OP_SB = 17;
/** Decoded op SH. */
export const OP_SH = 18;
/** Decoded op SW. */
export const OP_SW = 19;
/** Decoded op ADDI. */
export const OP_ADDI = 20;
/** Decoded op SLTI. */
export const OP_SLTI = 21;
/** Decoded op SLTIU. */
export const OP_SLTIU = 22;
/** Decoded op XORI. */
export const OP_XORI = 23;
/** Decoded op ORI. */
export const OP_ORI = 24;
/** Decoded op ANDI. */
export const OP_ANDI = 25;
/** Decoded op SLLI. */
export const OP_SLLI = 26;
/** Decoded op SRLI. */
export const OP_SRLI = 27;
/** Decoded op SRAI. */
export const OP_SRAI = 28;
/** Decoded op ADD. */
export const OP_ADD = 29;
/** Decoded op SUB. */
export const OP_SUB = 30;
/** Decoded op SLL. */
export const OP_SLL = 31;
/** Decoded op SLT. */
export const OP_SLT = 32;
/** Decoded op SLTU. */
export const OP_SLTU = 33;
/** Decoded op XOR. */
export const OP_XOR = 34;
/** Decoded op SRL. */
export const OP_SRL = 35;
/** Decoded op SRA. */
export const OP_SRA = 36;
/** Decoded op OR. */
export const OP_OR = 37;
/** Decoded op AND. */
export const OP_AND = 38;
/** Decoded op MUL. */
export const OP_MUL = 39;
/** Decoded op MULH. */
export const OP_MULH = 40;
/** Decoded op MULHSU. */
export const OP_MULHSU = 41;
/** Decoded op MULHU. */
export const OP_MULHU = 42;
/** Decoded op DIV. */
export const OP_DIV = 43;
/** Decoded op DIVU. */
export const OP_DIVU = 44;
/** Decoded op REM. */
export const OP_REM = 45;
/** Decoded op REMU. */
export const OP_REMU = 46;
/** Decoded op FENCE. */
export const OP_FENCE = 47;
/** Decoded op FENCE_I. */
export const OP_FENCE_I = 48;
/** Decoded op LR. */
export const OP_LR = 49;
/** Decoded op SC. */
export const OP_SC = 50;
/** Decoded op AMOSWAP. */
export const OP_AMOSWAP = 51;
/** Decoded op AMOADD. */
export const OP_AMOADD = 52;
/** Decoded op AMOXOR. */
export const OP_AMOXOR = 53;
/** Decoded op AMOAND. */
export const OP_AMOAND = 54;
/** Decoded op AMOOR. */
export const OP_AMOOR = 55;
/** Decoded op AMOMIN. */
export const OP_AMOMIN = 56;
/** Decoded op AMOMAX. */
export const OP_AMOMAX = 57;
/** Decoded op AMOMINU. */
export const OP_AMOMINU = 58;
/** Decoded op AMOMAXU. */
export const OP_AMOMAXU = 59;
/** Decoded op CSRRW. */
export const OP_CSRRW = 60;
/** Decoded op CSRRS. */
export const OP_CSRRS = 61;
/** Decoded op CSRRC. */
export const OP_CSRRC = 62;
/** Decoded op CSRRWI. */
export const OP_CSRRWI = 63;
/** Decoded op CSRRSI. */
export const OP_CSRRSI = 64;
/** Decoded op CSRRCI. */
export const OP_CSRRCI = 65;
/** Decoded op ECALL. */
export const OP_ECALL = 66;
/** Decoded op EBREAK. */
export const OP_EBREAK = 67;
/** Decoded op MRET. */
export const OP_MRET = 68;
/** Decoded op SRET. */
export const OP_SRET = 69;
/** Decoded op WFI. */
export const OP_WFI = 70;
/** Decoded op SFENCE_VMA. */
export const OP_SFENCE_VMA = 71;

/** Decoded op FLW (rs2 field = destination FP register). */
export const OP_FLW = 72;
/** Decoded op FLD (rs2 field = destination FP register). */
export const OP_FLD = 73;
/** Decoded op FSW (rs2 field = source FP register). */
export const OP_FSW = 74;
/** Decoded op FSD (rs2 field = source FP register). */
export const OP_FSD = 75;
/** Decoded op: any other OP-FP instruction (immediate word = raw bits, see hw/fpu.ts). */
export const OP_FP = 76;
/** Decoded op: FMADD, FMSUB, FNMSUB, FNMADD (immediate word = raw bits). */
export const OP_FMA = 77;
/** Decoded op: FDIV and FSQRT (immediate word = raw bits). */
export const OP_FDIV = 78;

/**
 * Decoded op: a 32-bit instruction in the last halfword of a page, whose
 * upper half lies in the next page (fetched and decoded on every execution).
 */
export const OP_CROSS = 79;

/** Bit of word 0 marking an instruction decoded from a 16-bit (C) encoding. */
export const COMPRESSED_BIT = 0x80;

/** Decoded operation numbers by name (0 is reserved for "not decoded"). */
export const OP = {
  ILLEGAL: OP_ILLEGAL,
  LUI: OP_LUI,
  AUIPC: OP_AUIPC,
  JAL: OP_JAL,
  JALR: OP_JALR,
  BEQ: OP_BEQ,
  BNE: OP_BNE,
  BLT: OP_BLT,
  BGE: OP_BGE,
  BLTU: OP_BLTU,
  BGEU: OP_BGEU,
  LB: OP_LB,
  LH: OP_LH,
  LW: OP_LW,
  LBU: OP_LBU,
  LHU: OP_LHU,
  SB: OP_SB,
  SH: OP_SH,
  SW: OP_SW,
  ADDI: OP_ADDI,
  SLTI: OP_SLTI,
  SLTIU: OP_SLTIU,
  XORI: OP_XORI,
  ORI: OP_ORI,
  ANDI: OP_ANDI,
  SLLI: OP_SLLI,
  SRLI: OP_SRLI,
  SRAI: OP_SRAI,
  ADD: OP_ADD,
  SUB: OP_SUB,
  SLL: OP_SLL,
  SLT: OP_SLT,
  SLTU: OP_SLTU,
  XOR: OP_XOR,
  SRL: OP_SRL,
  SRA: OP_SRA,
  OR: OP_OR,
  AND: OP_AND,
  MUL: OP_MUL,
  MULH: OP_MULH,
  MULHSU: OP_MULHSU,
  MULHU: OP_MULHU,
  DIV: OP_DIV,
  DIVU: OP_DIVU,
  REM: OP_REM,
  REMU: OP_REMU,
  FENCE: OP_FENCE,
  FENCE_I: OP_FENCE_I,
  LR: OP_LR,
  SC: OP_SC,
  AMOSWAP: OP_AMOSWAP,
  AMOADD: OP_AMOADD,
  AMOXOR: OP_AMOXOR,
  AMOAND: OP_AMOAND,
  AMOOR: OP_AMOOR,
  AMOMIN: OP_AMOMIN,
  AMOMAX: OP_AMOMAX,
  AMOMINU: OP_AMOMINU,
  AMOMAXU: OP_AMOMAXU,
  CSRRW: OP_CSRRW,
  CSRRS: OP_CSRRS,
  CSRRC: OP_CSRRC,
  CSRRWI: OP_CSRRWI,
  CSRRSI: OP_CSRRSI,
  CSRRCI: OP_CSRRCI,
  ECALL: OP_ECALL,
  EBREAK: OP_EBREAK,
  MRET: OP_MRET,
  SRET: OP_SRET,
  WFI: OP_WFI,
  SFENCE_VMA: OP_SFENCE_VMA,
  FLW: OP_FLW,
  FLD: OP_FLD,
  FSW: OP_FSW,
  FSD: OP_FSD,
  FP: OP_FP,
  FMA: OP_FMA,
  FDIV: OP_FDIV,
  CROSS: OP_CROSS,
} as const;

/** Number of operation codes (array size for per-op tables). */
export const OP_COUNT = 80;

/** Cost class of each operation, indexes into a cost table built by the CPU. */
export const COST_CLASS = {
  ALU: 0,
  LOAD: 1,
  STORE: 2,
  BRANCH: 3,
  JUMP: 4,
  MUL: 5,
  DIV: 6,
  CSR: 7,
  AMO: 8,
  SYSTEM: 9,
  FENCE: 10,
  FP: 11,
  FDIV: 12,
} as const;

/** Returns the cost class of decoded operation `op`. */
export function costClassOf(op: number): number {
  if (op === OP_FLW || op === OP_FLD) return COST_CLASS.LOAD;
  if (op === OP_FSW || op === OP_FSD) return COST_CLASS.STORE;
  if (op === OP_FP || op === OP_FMA) return COST_CLASS.FP;
  if (op === OP_FDIV) return COST_CLASS.FDIV;
  if (op >= OP_LB && op <= OP_LHU) return COST_CLASS.LOAD;
  if (op >= OP_SB && op <= OP_SW) return COST_CLASS.STORE;
  if (op >= OP_BEQ && op <= OP_BGEU) return COST_CLASS.BRANCH;
  if (op === OP_JAL || op === OP_JALR) return COST_CLASS.JUMP;
  if (op >= OP_MUL && op <= OP_MULHU) return COST_CLASS.MUL;
  if (op >= OP_DIV && op <= OP_REMU) return COST_CLASS.DIV;
  if (op >= OP_LR && op <= OP_AMOMAXU) return COST_CLASS.AMO;
  if (op >= OP_CSRRW && op <= OP_CSRRCI) return COST_CLASS.CSR;
  if (op === OP_FENCE || op === OP_FENCE_I || op === OP_SFENCE_VMA) return COST_CLASS.FENCE;
  if (op >= OP_ECALL || op === OP_ILLEGAL) return COST_CLASS.SYSTEM;
  return COST_CLASS.ALU;
}

const BRANCH_OPS: readonly number[] = [OP_BEQ, OP_BNE, 0, 0, OP_BLT, OP_BGE, OP_BLTU, OP_BGEU];
const LOAD_OPS: readonly number[] = [OP_LB, OP_LH, OP_LW, 0, OP_LBU, OP_LHU, 0, 0];
const STORE_OPS: readonly number[] = [OP_SB, OP_SH, OP_SW, 0, 0, 0, 0, 0];
const ALU_OPS: readonly number[] = [OP_ADD, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_OR, OP_AND];
const MULDIV_OPS: readonly number[] = [
  OP_MUL,
  OP_MULH,
  OP_MULHSU,
  OP_MULHU,
  OP_DIV,
  OP_DIVU,
  OP_REM,
  OP_REMU,
];
const CSR_OPS: readonly number[] = [
  0,
  OP_CSRRW,
  OP_CSRRS,
  OP_CSRRC,
  0,
  OP_CSRRWI,
  OP_CSRRSI,
  OP_CSRRCI,
];

/**
 * Decodes instruction `inst` into `out[i]` (word 0) and `out[i + 1]`
 * (immediate), using `costs[op]` (0..255) as the cycle cost of each op.
 */
export function decodeInto(inst: number, out: Int32Array, i: number, costs: Uint8Array): void {
  inst |= 0;
  const opcode = inst & 0x7f;
  const rd = (inst >> 7) & 31;
  const f3 = (inst >> 12) & 7;
  const rs1 = (inst >> 15) & 31;
  const rs2 = (inst >> 20) & 31;
  const f7 = inst >>> 25;
  let op: number = OP_ILLEGAL;
  let imm = 0;
  let useRd = rd;
  let useRs1 = rs1;
  let useRs2 = rs2;
  switch (opcode) {
    case 0x37: // LUI
      op = OP_LUI;
      imm = inst & 0xfffff000;
      break;
    case 0x17: // AUIPC
      op = OP_AUIPC;
      imm = inst & 0xfffff000;
      break;
    case 0x6f: // JAL
      op = OP_JAL;
      imm = ((inst >> 31) << 20) | (((inst >> 12) & 0xff) << 12) | (((inst >> 20) & 1) << 11) |
        (((inst >> 21) & 0x3ff) << 1);
      break;
    case 0x67: // JALR
      if (f3 === 0) {
        op = OP_JALR;
        imm = inst >> 20;
      }
      break;
    case 0x63: { // branches
      const bop = BRANCH_OPS[f3];
      if (bop !== 0) {
        op = bop;
        imm = ((inst >> 31) << 12) | (((inst >> 7) & 1) << 11) | (((inst >> 25) & 0x3f) << 5) |
          (((inst >> 8) & 0xf) << 1);
        useRd = 0;
      }
      break;
    }
    case 0x03: { // loads
      const lop = LOAD_OPS[f3];
      if (lop !== 0) {
        op = lop;
        imm = inst >> 20;
      }
      break;
    }
    case 0x23: { // stores
      const sop = STORE_OPS[f3];
      if (sop !== 0) {
        op = sop;
        imm = ((inst >> 25) << 5) | ((inst >> 7) & 31);
        useRd = 0;
      }
      break;
    }
    case 0x13: // OP-IMM
      imm = inst >> 20;
      switch (f3) {
        case 0:
          op = OP_ADDI;
          break;
        case 2:
          op = OP_SLTI;
          break;
        case 3:
          op = OP_SLTIU;
          break;
        case 4:
          op = OP_XORI;
          break;
        case 6:
          op = OP_ORI;
          break;
        case 7:
          op = OP_ANDI;
          break;
        case 1:
          if (f7 === 0) op = OP_SLLI;
          imm = rs2;
          break;
        case 5:
          if (f7 === 0) op = OP_SRLI;
          else if (f7 === 0x20) op = OP_SRAI;
          imm = rs2;
          break;
      }
      break;
    case 0x33: // OP
      if (f7 === 0) {
        op = ALU_OPS[f3];
      } else if (f7 === 0x20) {
        if (f3 === 0) op = OP_SUB;
        else if (f3 === 5) op = OP_SRA;
      } else if (f7 === 1) {
        op = MULDIV_OPS[f3];
      }
      break;
    case 0x0f: // MISC-MEM
      // FENCE ignores its fm/pred/succ fields and registers, as the spec allows.
      if (f3 === 0) op = OP_FENCE;
      else if (f3 === 1) op = OP_FENCE_I;
      useRd = 0;
      break;
    case 0x2f: // AMO
      if (f3 === 2) {
        const f5 = inst >>> 27;
        switch (f5) {
          case 0x02:
            if (rs2 === 0) op = OP_LR;
            break;
          case 0x03:
            op = OP_SC;
            break;
          case 0x01:
            op = OP_AMOSWAP;
            break;
          case 0x00:
            op = OP_AMOADD;
            break;
          case 0x04:
            op = OP_AMOXOR;
            break;
          case 0x0c:
            op = OP_AMOAND;
            break;
          case 0x08:
            op = OP_AMOOR;
            break;
          case 0x10:
            op = OP_AMOMIN;
            break;
          case 0x14:
            op = OP_AMOMAX;
            break;
          case 0x18:
            op = OP_AMOMINU;
            break;
          case 0x1c:
            op = OP_AMOMAXU;
            break;
        }
      }
      break;
    case 0x07: // LOAD-FP
      if (f3 === 2 || f3 === 3) {
        op = f3 === 2 ? OP_FLW : OP_FLD;
        imm = inst >> 20;
        useRs2 = rd;
        useRd = 0;
      }
      break;
    case 0x27: // STORE-FP
      if (f3 === 2 || f3 === 3) {
        op = f3 === 2 ? OP_FSW : OP_FSD;
        imm = ((inst >> 25) << 5) | ((inst >> 7) & 31);
        useRd = 0;
      }
      break;
    case 0x53: // OP-FP: validated by the FPU
      op = f7 === 0x0c || f7 === 0x0d || f7 === 0x2c || f7 === 0x2d ? OP_FDIV : OP_FP;
      imm = inst;
      break;
    case 0x43: // FMADD
    case 0x47: // FMSUB
    case 0x4b: // FNMSUB
    case 0x4f: // FNMADD
      op = OP_FMA;
      imm = inst;
      break;
    case 0x73: // SYSTEM
      if (f3 === 0) {
        if (inst === 0x00000073) op = OP_ECALL;
        else if (inst === 0x00100073) op = OP_EBREAK;
        else if (inst === 0x30200073) op = OP_MRET;
        else if (inst === 0x10200073) op = OP_SRET;
        else if (inst === 0x10500073) op = OP_WFI;
        else if (f7 === 0x09 && rd === 0) op = OP_SFENCE_VMA;
        useRd = 0;
      } else if (CSR_OPS[f3] !== 0) {
        op = CSR_OPS[f3];
        imm = (inst >>> 20) & 0xfff;
        useRs2 = 0;
      }
      break;
  }
  if (op === OP_ILLEGAL) {
    imm = inst;
    useRd = 0;
    useRs1 = 0;
    useRs2 = 0;
  }
  // Writes to x0 go to scratch register 32. Keep the architectural rd for
  // CSR instructions too: "rd == x0" changes CSRRW's read side effects, and
  // x0 -> 32 preserves that information (32 != any real register).
  if (useRd === 0) useRd = 32;
  out[i] = op | (useRd << 8) | (useRs1 << 14) | (useRs2 << 19) | (costs[op] << 24);
  out[i + 1] = imm;
}

/**
 * Decodes the instruction whose first halfword is `u16[h]` into slot words
 * `out[i]`, `out[i + 1]`. A 16-bit instruction is expanded (hw/rvc.ts) and
 * marked with {@link COMPRESSED_BIT}; a reserved one is ILLEGAL with its 16
 * bits as tval. A 32-bit instruction that starts in the page's last
 * halfword (`lastInPage`) becomes {@link OP_CROSS}.
 */
export function decodeHalf(
  u16: Uint16Array,
  h: number,
  lastInPage: boolean,
  out: Int32Array,
  i: number,
  costs: Uint8Array,
): void {
  const lo = u16[h];
  if ((lo & 3) === 3) {
    if (lastInPage) {
      out[i] = OP_CROSS | (32 << 8) | (costs[OP_CROSS] << 24);
      out[i + 1] = 0;
    } else {
      decodeInto(lo | (u16[h + 1] << 16), out, i, costs);
    }
    return;
  }
  const inst = expandCompressed(lo);
  decodeInto(inst === 0 ? 0 : inst, out, i, costs);
  if ((out[i] & 0xff) === OP_ILLEGAL) out[i + 1] = lo;
  out[i] |= COMPRESSED_BIT;
}
