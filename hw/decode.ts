/**
 * Instruction decoder for RV32IMA + Zicsr + Zifencei + privileged instructions.
 *
 * An instruction is decoded once into two 32-bit words kept in a per-page
 * cache (see `hw/cpu.ts`):
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

/** Decoded operation numbers. 0 is reserved for "not decoded". */
export const OP = {
  ILLEGAL: 1,
  LUI: 2,
  AUIPC: 3,
  JAL: 4,
  JALR: 5,
  BEQ: 6,
  BNE: 7,
  BLT: 8,
  BGE: 9,
  BLTU: 10,
  BGEU: 11,
  LB: 12,
  LH: 13,
  LW: 14,
  LBU: 15,
  LHU: 16,
  SB: 17,
  SH: 18,
  SW: 19,
  ADDI: 20,
  SLTI: 21,
  SLTIU: 22,
  XORI: 23,
  ORI: 24,
  ANDI: 25,
  SLLI: 26,
  SRLI: 27,
  SRAI: 28,
  ADD: 29,
  SUB: 30,
  SLL: 31,
  SLT: 32,
  SLTU: 33,
  XOR: 34,
  SRL: 35,
  SRA: 36,
  OR: 37,
  AND: 38,
  MUL: 39,
  MULH: 40,
  MULHSU: 41,
  MULHU: 42,
  DIV: 43,
  DIVU: 44,
  REM: 45,
  REMU: 46,
  FENCE: 47,
  FENCE_I: 48,
  LR: 49,
  SC: 50,
  AMOSWAP: 51,
  AMOADD: 52,
  AMOXOR: 53,
  AMOAND: 54,
  AMOOR: 55,
  AMOMIN: 56,
  AMOMAX: 57,
  AMOMINU: 58,
  AMOMAXU: 59,
  CSRRW: 60,
  CSRRS: 61,
  CSRRC: 62,
  CSRRWI: 63,
  CSRRSI: 64,
  CSRRCI: 65,
  ECALL: 66,
  EBREAK: 67,
  MRET: 68,
  SRET: 69,
  WFI: 70,
  SFENCE_VMA: 71,
} as const;

/** Number of operation codes (array size for per-op tables). */
export const OP_COUNT = 72;

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
} as const;

/** Returns the cost class of decoded operation `op`. */
export function costClassOf(op: number): number {
  if (op >= OP.LB && op <= OP.LHU) return COST_CLASS.LOAD;
  if (op >= OP.SB && op <= OP.SW) return COST_CLASS.STORE;
  if (op >= OP.BEQ && op <= OP.BGEU) return COST_CLASS.BRANCH;
  if (op === OP.JAL || op === OP.JALR) return COST_CLASS.JUMP;
  if (op >= OP.MUL && op <= OP.MULHU) return COST_CLASS.MUL;
  if (op >= OP.DIV && op <= OP.REMU) return COST_CLASS.DIV;
  if (op >= OP.LR && op <= OP.AMOMAXU) return COST_CLASS.AMO;
  if (op >= OP.CSRRW && op <= OP.CSRRCI) return COST_CLASS.CSR;
  if (op === OP.FENCE || op === OP.FENCE_I || op === OP.SFENCE_VMA) return COST_CLASS.FENCE;
  if (op >= OP.ECALL || op === OP.ILLEGAL) return COST_CLASS.SYSTEM;
  return COST_CLASS.ALU;
}

const BRANCH_OPS: readonly number[] = [OP.BEQ, OP.BNE, 0, 0, OP.BLT, OP.BGE, OP.BLTU, OP.BGEU];
const LOAD_OPS: readonly number[] = [OP.LB, OP.LH, OP.LW, 0, OP.LBU, OP.LHU, 0, 0];
const STORE_OPS: readonly number[] = [OP.SB, OP.SH, OP.SW, 0, 0, 0, 0, 0];
const ALU_OPS: readonly number[] = [OP.ADD, OP.SLL, OP.SLT, OP.SLTU, OP.XOR, OP.SRL, OP.OR, OP.AND];
const MULDIV_OPS: readonly number[] = [
  OP.MUL,
  OP.MULH,
  OP.MULHSU,
  OP.MULHU,
  OP.DIV,
  OP.DIVU,
  OP.REM,
  OP.REMU,
];
const CSR_OPS: readonly number[] = [
  0,
  OP.CSRRW,
  OP.CSRRS,
  OP.CSRRC,
  0,
  OP.CSRRWI,
  OP.CSRRSI,
  OP.CSRRCI,
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
  let op: number = OP.ILLEGAL;
  let imm = 0;
  let useRd = rd;
  let useRs1 = rs1;
  let useRs2 = rs2;
  switch (opcode) {
    case 0x37: // LUI
      op = OP.LUI;
      imm = inst & 0xfffff000;
      break;
    case 0x17: // AUIPC
      op = OP.AUIPC;
      imm = inst & 0xfffff000;
      break;
    case 0x6f: // JAL
      op = OP.JAL;
      imm = ((inst >> 31) << 20) | (((inst >> 12) & 0xff) << 12) | (((inst >> 20) & 1) << 11) |
        (((inst >> 21) & 0x3ff) << 1);
      break;
    case 0x67: // JALR
      if (f3 === 0) {
        op = OP.JALR;
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
          op = OP.ADDI;
          break;
        case 2:
          op = OP.SLTI;
          break;
        case 3:
          op = OP.SLTIU;
          break;
        case 4:
          op = OP.XORI;
          break;
        case 6:
          op = OP.ORI;
          break;
        case 7:
          op = OP.ANDI;
          break;
        case 1:
          if (f7 === 0) op = OP.SLLI;
          imm = rs2;
          break;
        case 5:
          if (f7 === 0) op = OP.SRLI;
          else if (f7 === 0x20) op = OP.SRAI;
          imm = rs2;
          break;
      }
      break;
    case 0x33: // OP
      if (f7 === 0) {
        op = ALU_OPS[f3];
      } else if (f7 === 0x20) {
        if (f3 === 0) op = OP.SUB;
        else if (f3 === 5) op = OP.SRA;
      } else if (f7 === 1) {
        op = MULDIV_OPS[f3];
      }
      break;
    case 0x0f: // MISC-MEM
      // FENCE ignores its fm/pred/succ fields and registers, as the spec allows.
      if (f3 === 0) op = OP.FENCE;
      else if (f3 === 1) op = OP.FENCE_I;
      useRd = 0;
      break;
    case 0x2f: // AMO
      if (f3 === 2) {
        const f5 = inst >>> 27;
        switch (f5) {
          case 0x02:
            if (rs2 === 0) op = OP.LR;
            break;
          case 0x03:
            op = OP.SC;
            break;
          case 0x01:
            op = OP.AMOSWAP;
            break;
          case 0x00:
            op = OP.AMOADD;
            break;
          case 0x04:
            op = OP.AMOXOR;
            break;
          case 0x0c:
            op = OP.AMOAND;
            break;
          case 0x08:
            op = OP.AMOOR;
            break;
          case 0x10:
            op = OP.AMOMIN;
            break;
          case 0x14:
            op = OP.AMOMAX;
            break;
          case 0x18:
            op = OP.AMOMINU;
            break;
          case 0x1c:
            op = OP.AMOMAXU;
            break;
        }
      }
      break;
    case 0x73: // SYSTEM
      if (f3 === 0) {
        if (inst === 0x00000073) op = OP.ECALL;
        else if (inst === 0x00100073) op = OP.EBREAK;
        else if (inst === 0x30200073) op = OP.MRET;
        else if (inst === 0x10200073) op = OP.SRET;
        else if (inst === 0x10500073) op = OP.WFI;
        else if (f7 === 0x09 && rd === 0) op = OP.SFENCE_VMA;
        useRd = 0;
      } else if (CSR_OPS[f3] !== 0) {
        op = CSR_OPS[f3];
        imm = (inst >>> 20) & 0xfff;
        useRs2 = 0;
      }
      break;
  }
  if (op === OP.ILLEGAL) {
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
