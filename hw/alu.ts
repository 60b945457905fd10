/**
 * Integer arithmetic of RV32IM: the M-extension helpers the CPU's fast loop
 * calls (`mulh*`, `div*`, `rem*`, with the spec's division-by-zero and
 * overflow results) and `aluResult`, the value of any register or immediate
 * ALU instruction, for the rare paths outside the fast loop.
 *
 * @module
 */

import {
  OP_ADD,
  OP_ADDI,
  OP_AND,
  OP_ANDI,
  OP_AUIPC,
  OP_DIV,
  OP_DIVU,
  OP_LUI,
  OP_MUL,
  OP_MULH,
  OP_MULHSU,
  OP_MULHU,
  OP_OR,
  OP_ORI,
  OP_REM,
  OP_REMU,
  OP_SLL,
  OP_SLLI,
  OP_SLT,
  OP_SLTI,
  OP_SLTIU,
  OP_SLTU,
  OP_SRA,
  OP_SRAI,
  OP_SRL,
  OP_SRLI,
  OP_SUB,
  OP_XOR,
  OP_XORI,
} from "./decode.ts";

/** mulhu of two 32-bit values (as unsigned), returned as int32. */
export function mulhu(a: number, b: number): number {
  a >>>= 0;
  b >>>= 0;
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const lh = al * bh, hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

/** mulh: high word of the signed product. */
export function mulh(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** mulhsu: high word of signed a times unsigned b. */
export function mulhsu(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
}

/** div: -1 for division by zero, INT_MIN for INT_MIN / -1. */
export function div(a: number, b: number): number {
  if (b === 0) return -1;
  if (a === -0x8000_0000 && b === -1) return a;
  return (a / b) | 0;
}

/** divu: all ones for division by zero. */
export function divu(a: number, b: number): number {
  if (b === 0) return -1;
  return ((a >>> 0) / (b >>> 0)) | 0;
}

/** rem: the dividend for division by zero, 0 for INT_MIN % -1. */
export function rem(a: number, b: number): number {
  if (b === 0) return a;
  if (b === -1) return 0;
  return (a % b) | 0;
}

/** remu: the dividend for division by zero. */
export function remu(a: number, b: number): number {
  if (b === 0) return a;
  return ((a >>> 0) % (b >>> 0)) | 0;
}

/**
 * Result of ALU operation `op` (a decoded op number) on `a` and `b` (the
 * second register, or the immediate for the I-forms), with `imm` and `pc`
 * for LUI and AUIPC; NaN when `op` is not an ALU operation.
 */
export function aluResult(op: number, a: number, b: number, imm: number, pc: number): number {
  switch (op) {
    case OP_LUI:
      return imm;
    case OP_AUIPC:
      return (pc + imm) | 0;
    case OP_ADDI:
    case OP_ADD:
      return (a + b) | 0;
    case OP_SUB:
      return (a - b) | 0;
    case OP_SLTI:
    case OP_SLT:
      return a < b ? 1 : 0;
    case OP_SLTIU:
    case OP_SLTU:
      return (a >>> 0) < (b >>> 0) ? 1 : 0;
    case OP_XORI:
    case OP_XOR:
      return a ^ b;
    case OP_ORI:
    case OP_OR:
      return a | b;
    case OP_ANDI:
    case OP_AND:
      return a & b;
    case OP_SLLI:
    case OP_SLL:
      return a << b;
    case OP_SRLI:
    case OP_SRL:
      return a >>> b;
    case OP_SRAI:
    case OP_SRA:
      return a >> b;
    case OP_MUL:
      return Math.imul(a, b);
    case OP_MULH:
      return mulh(a, b);
    case OP_MULHSU:
      return mulhsu(a, b);
    case OP_MULHU:
      return mulhu(a, b);
    case OP_DIV:
      return div(a, b);
    case OP_DIVU:
      return divu(a, b);
    case OP_REM:
      return rem(a, b);
    case OP_REMU:
      return remu(a, b);
  }
  return NaN;
}
