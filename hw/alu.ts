/**
 * Integer arithmetic of RV32IM: the M-extension helpers the CPU's fast loop
 * calls (`mulh*`, `div*`, `rem*`, with the spec's division-by-zero and
 * overflow results). The instructions' semantics are in `hw/cpu_ops.ts`.
 *
 * @module
 */

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
