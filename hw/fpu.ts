/**
 * The F and D extensions: 32 floating-point registers of 64 bits, `fcsr`
 * (`frm`, `fflags`) and the OP-FP and fused multiply-add instructions.
 * Loads and stores (FLW, FLD, FSW, FSD) go through the CPU's memory path
 * (`hw/cpu_fast.ts`, `hw/cpu_exec.ts`) and use {@link Fpu.words}.
 *
 * Map of this file:
 * - register file: one 256-byte buffer seen as `Float64Array(32)`,
 *   `Int32Array(64)` and `Float32Array(64)`; a single is NaN-boxed (upper
 *   word all ones), an improperly boxed single reads as the canonical NaN;
 * - `exec`: decodes one OP-FP/FMA instruction (raw bits) and runs it;
 * - the arithmetic: a fast path on JavaScript doubles for round-to-nearest
 *   that proves exactness with error-free transformations (TwoSum, Dekker
 *   products, residuals) and rounds singles through round-to-odd, falling
 *   back to the exact BigInt code in `hw/softfloat.ts` for directed
 *   rounding, tiny results, overflow and double-precision FMA;
 * - comparisons, min/max, classify, sign injection, conversions.
 *
 * Results that are NaN are always the canonical NaN (RISC-V does not
 * propagate payloads); sign injection and moves copy bits.
 *
 * @module
 */

import {
  FLAG_DZ,
  FLAG_NV,
  FLAG_NX,
  FLAG_OF,
  MIN_NORMAL_D,
  MIN_NORMAL_S,
  raiseFlags,
  RM_RDN,
  RM_RMM,
  RM_RNE,
  RM_RTZ,
  RM_RUP,
  roundValue,
  sfAdd,
  sfDiv,
  sfFma,
  sfMul,
  sfSqrt,
  takeFlags,
  toOdd,
  zeroSum,
} from "./softfloat.ts";

const CANON_S = 0x7fc00000;
const CANON_D_HI = 0x7ff80000;
const SPLITTER = 134217729; // 2^27 + 1
const BIG = 2 ** 995;
const SMALL = 2 ** -960;

// Dekker product error: a * b = p + prodErr exactly (under the range checks).
let prodErr = 0;
function twoProd(a: number, b: number, p: number): void {
  let t = SPLITTER * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b), bl = b - bh;
  prodErr = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** Integer rounding of finite `v` under `rm`. */
function roundInt(v: number, rm: number): number {
  if (Math.abs(v) >= 4503599627370496) return v;
  const t = Math.trunc(v);
  const f = v - t;
  if (f === 0) return t;
  switch (rm) {
    case RM_RTZ:
      return t;
    case RM_RDN:
      return f < 0 ? t - 1 : t;
    case RM_RUP:
      return f > 0 ? t + 1 : t;
    case RM_RMM:
      return Math.abs(f) >= 0.5 ? t + Math.sign(f) : t;
    default: {
      const af = Math.abs(f);
      if (af > 0.5 || (af === 0.5 && t % 2 !== 0)) return t + Math.sign(f);
      return t;
    }
  }
}

/**
 * Rounds to binary32 the exact value `h + err` (h a double, `err` carrying
 * only the sign of the remainder; 0 when `h` is exact). `h` is finite.
 */
function toSingle(h: number, err: number, rm: number): number {
  if (h === 0) return h;
  let inexact = err !== 0;
  if (inexact) h = toOdd(h, err);
  if (rm === RM_RNE) {
    const s = Math.fround(h);
    if (s !== h) inexact = true;
    const as = Math.abs(s);
    if (as > MIN_NORMAL_S && as !== Infinity) {
      if (inexact) raiseFlags(FLAG_NX);
      return s;
    }
    if (as === Infinity) {
      raiseFlags(FLAG_OF | FLAG_NX);
      return s;
    }
    if (!inexact) return s;
  }
  return roundValue(h, true, rm);
}

/** Floating-point register file, fcsr and OP-FP/FMA execution. */
export class Fpu {
  /** The registers as doubles. */
  readonly f64: Float64Array;
  /** The registers as 32-bit words: f[i] is words[2i] (low) and words[2i + 1] (high). */
  readonly words: Int32Array;
  readonly #f32: Float32Array;
  /** Accrued exception flags (fcsr bits 4:0). */
  fflags = 0;
  /** Dynamic rounding mode (fcsr bits 7:5). */
  frm = 0;

  /**
   * Creates the register file, all zero, in `storage` (32 doubles, e.g. in
   * a hart's WebAssembly memory) or in a buffer of its own.
   */
  constructor(storage: Float64Array = new Float64Array(32)) {
    if (storage.length !== 32) throw new RangeError("FP register storage must hold 32 doubles");
    this.f64 = storage;
    this.words = new Int32Array(storage.buffer, storage.byteOffset, 64);
    this.#f32 = new Float32Array(storage.buffer, storage.byteOffset, 64);
  }

  /** `fcsr` = frm << 5 | fflags. */
  get fcsr(): number {
    return (this.frm << 5) | this.fflags;
  }

  /** Writes `fcsr` (bits above 7 are ignored). */
  set fcsr(v: number) {
    this.frm = (v >>> 5) & 7;
    this.fflags = v & 31;
  }

  /** Clears registers and fcsr. */
  reset(): void {
    this.f64.fill(0);
    this.fflags = 0;
    this.frm = 0;
  }

  // --- register access ---

  /** The single in f[k], or NaN when it is not properly NaN-boxed. */
  #s(k: number): number {
    return this.words[2 * k + 1] === -1 ? this.#f32[2 * k] : NaN;
  }

  /** The raw bits of the single in f[k] (canonical NaN when not boxed). */
  #sBits(k: number): number {
    return this.words[2 * k + 1] === -1 ? this.words[2 * k] : CANON_S;
  }

  #isSnan(k: number, single: boolean): boolean {
    const w = this.words;
    if (single) {
      const b = w[2 * k + 1] === -1 ? w[2 * k] : CANON_S;
      return (b & 0x7fc00000) === 0x7f800000 && (b & 0x3fffff) !== 0;
    }
    const hi = w[2 * k + 1];
    return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x7ffff) | w[2 * k]) !== 0;
  }

  /** Writes value `v` (NaN becomes the canonical NaN) to f[k]. */
  #put(k: number, v: number, single: boolean): void {
    const w = this.words;
    if (single) {
      if (v !== v) w[2 * k] = CANON_S;
      else this.#f32[2 * k] = v;
      w[2 * k + 1] = -1;
    } else if (v !== v) {
      w[2 * k] = 0;
      w[2 * k + 1] = CANON_D_HI;
    } else {
      this.f64[k] = v;
    }
  }

  /** Writes a NaN-boxed single from raw bits. */
  putSingleBits(k: number, bits: number): void {
    this.words[2 * k] = bits;
    this.words[2 * k + 1] = -1;
  }

  /**
   * Executes OP-FP (opcode 0x53) or FMADD/FMSUB/FNMSUB/FNMADD (0x43..0x4f)
   * instruction `inst`, reading and writing integer registers in `x` (33
   * slots, x0 included). Returns -1 when the encoding is illegal (nothing
   * changed), 1 when it wrote an FP register or raised flags (FS becomes
   * Dirty), 0 otherwise.
   */
  exec(inst: number, x: Int32Array): number {
    const opcode = inst & 0x7f;
    const fmt = (inst >>> 25) & 3;
    if (fmt > 1) return -1;
    const single = fmt === 0;
    const rd = (inst >>> 7) & 31;
    const rs1 = (inst >>> 15) & 31;
    const rs2 = (inst >>> 20) & 31;
    let rm = (inst >>> 12) & 7;
    const funct5 = inst >>> 27;
    const usesRm = opcode !== 0x53 || funct5 <= 3 || funct5 === 0x0b || funct5 === 0x08 ||
      funct5 === 0x18 || funct5 === 0x1a;
    if (usesRm) {
      if (rm === 7) rm = this.frm;
      if (rm > 4) return -1;
    }
    takeFlags();
    let wroteF = true;
    if (opcode !== 0x53) {
      const rs3 = inst >>> 27;
      let a = single ? this.#s(rs1) : this.f64[rs1];
      const b = single ? this.#s(rs2) : this.f64[rs2];
      let c = single ? this.#s(rs3) : this.f64[rs3];
      if (opcode === 0x4b || opcode === 0x4f) a = -a; // FNMSUB, FNMADD: -(a*b)
      if (opcode === 0x47 || opcode === 0x4f) c = -c; // FMSUB, FNMADD: -c
      const snan = this.#isSnan(rs1, single) || this.#isSnan(rs2, single) ||
        this.#isSnan(rs3, single);
      this.#put(rd, this.#fma(a, b, c, snan, single, rm), single);
    } else {
      const a = single ? this.#s(rs1) : this.f64[rs1];
      const b = single ? this.#s(rs2) : this.f64[rs2];
      switch (funct5) {
        case 0x00: // FADD
        case 0x01: { // FSUB
          const snan = this.#isSnan(rs1, single) || this.#isSnan(rs2, single);
          this.#put(rd, this.#add(a, funct5 === 1 ? -b : b, snan, single, rm), single);
          break;
        }
        case 0x02: // FMUL
          this.#put(rd, this.#mul(a, b, this.#snan2(rs1, rs2, single), single, rm), single);
          break;
        case 0x03: // FDIV
          this.#put(rd, this.#div(a, b, this.#snan2(rs1, rs2, single), single, rm), single);
          break;
        case 0x0b: // FSQRT
          if (rs2 !== 0) return -1;
          this.#put(rd, this.#sqrt(a, this.#isSnan(rs1, single), single, rm), single);
          break;
        case 0x04: // FSGNJ, FSGNJN, FSGNJX
          if (rm > 2) return -1;
          this.#sgnj(rd, rs1, rs2, rm, single);
          break;
        case 0x05: { // FMIN, FMAX
          if (rm > 1) return -1;
          this.#put(rd, this.#minMax(a, b, this.#snan2(rs1, rs2, single), rm === 1), single);
          break;
        }
        case 0x08: // FCVT.S.D, FCVT.D.S
          if (rs2 !== (single ? 1 : 0)) return -1;
          this.#put(rd, this.#convertFormat(rs1, single, rm), single);
          break;
        case 0x14: { // FLE, FLT, FEQ
          if (rm > 2) return -1;
          wroteF = false;
          if (rd !== 0) x[rd] = this.#compare(a, b, this.#snan2(rs1, rs2, single), rm);
          else this.#compare(a, b, this.#snan2(rs1, rs2, single), rm);
          break;
        }
        case 0x18: { // FCVT.W[U].fmt
          if (rs2 > 1) return -1;
          wroteF = false;
          const v = this.#toInt(a, rs2 === 1, rm);
          if (rd !== 0) x[rd] = v;
          break;
        }
        case 0x1a: { // FCVT.fmt.W[U]
          if (rs2 > 1) return -1;
          const v = rs2 === 1 ? x[rs1] >>> 0 : x[rs1];
          this.#put(rd, single ? toSingle(v, 0, rm) : v, single);
          break;
        }
        case 0x1c: // FMV.X.W, FCLASS
          if (rs2 !== 0) return -1;
          wroteF = false;
          if (rm === 0 && single) {
            if (rd !== 0) x[rd] = this.words[2 * rs1];
          } else if (rm === 1) {
            if (rd !== 0) x[rd] = this.#classify(rs1, single);
          } else {
            return -1;
          }
          break;
        case 0x1e: // FMV.W.X
          if (rs2 !== 0 || rm !== 0 || !single) return -1;
          this.putSingleBits(rd, x[rs1]);
          break;
        default:
          return -1;
      }
    }
    const f = takeFlags();
    this.fflags |= f;
    return wroteF || f !== 0 ? 1 : 0;
  }

  #snan2(rs1: number, rs2: number, single: boolean): boolean {
    return this.#isSnan(rs1, single) || this.#isSnan(rs2, single);
  }

  #nan(invalid: boolean): number {
    if (invalid) raiseFlags(FLAG_NV);
    return NaN;
  }

  #add(a: number, b: number, snan: boolean, single: boolean, rm: number): number {
    const r = a + b;
    if (r !== r) return this.#nan(snan || (a === a && b === b));
    if (a === Infinity || a === -Infinity || b === Infinity || b === -Infinity) return r;
    const t = r - a;
    const err = (a - (r - t)) + (b - t);
    if (single) {
      if (r === 0) return rm === RM_RNE ? r : zeroSum(a, b, rm);
      return toSingle(r, err, rm);
    }
    if (rm === RM_RNE && (r === 0 || (Math.abs(r) > MIN_NORMAL_D && Math.abs(r) !== Infinity))) {
      if (err !== 0) raiseFlags(FLAG_NX);
      return r;
    }
    return sfAdd(a, b, false, rm);
  }

  #mul(a: number, b: number, snan: boolean, single: boolean, rm: number): number {
    const r = a * b;
    if (r !== r) return this.#nan(snan || (a === a && b === b));
    if (a === Infinity || a === -Infinity || b === Infinity || b === -Infinity) return r;
    if (a === 0 || b === 0) return r;
    if (single) return toSingle(r, 0, rm); // a product of singles is exact in a double
    const ar = Math.abs(r);
    if (
      rm === RM_RNE && ar > SMALL && ar < BIG && Math.abs(a) < BIG && Math.abs(b) < BIG
    ) {
      twoProd(a, b, r);
      if (prodErr !== 0) raiseFlags(FLAG_NX);
      return r;
    }
    return sfMul(a, b, false, rm);
  }

  #div(a: number, b: number, snan: boolean, single: boolean, rm: number): number {
    if (a !== a || b !== b) return this.#nan(snan);
    const aInf = a === Infinity || a === -Infinity;
    const bInf = b === Infinity || b === -Infinity;
    if ((aInf && bInf) || (a === 0 && b === 0)) return this.#nan(true);
    if (aInf || bInf || a === 0) return a / b;
    if (b === 0) {
      raiseFlags(FLAG_DZ);
      return a / b;
    }
    const q = a / b;
    const aq = Math.abs(q), aa = Math.abs(a), ab = Math.abs(b);
    if (aa > SMALL && aa < BIG && ab < BIG && aq > SMALL && aq < BIG) {
      twoProd(q, b, q * b);
      const res = (a - q * b) - prodErr;
      const err = b > 0 ? res : -res;
      if (single) return toSingle(q, err, rm);
      if (rm === RM_RNE && aq > MIN_NORMAL_D) {
        if (err !== 0) raiseFlags(FLAG_NX);
        return q;
      }
    }
    return sfDiv(a, b, single, rm);
  }

  #sqrt(a: number, snan: boolean, single: boolean, rm: number): number {
    if (a !== a) return this.#nan(snan);
    if (a === 0 || a === Infinity) return a;
    if (a < 0) return this.#nan(true);
    const s = Math.sqrt(a);
    if (a > SMALL && a < BIG) {
      twoProd(s, s, s * s);
      const err = (a - s * s) - prodErr;
      if (single) return toSingle(s, err, rm);
      if (rm === RM_RNE) {
        if (err !== 0) raiseFlags(FLAG_NX);
        return s;
      }
    }
    return sfSqrt(a, single, rm);
  }

  #fma(a: number, b: number, c: number, snan: boolean, single: boolean, rm: number): number {
    const aInf = a === Infinity || a === -Infinity;
    const bInf = b === Infinity || b === -Infinity;
    // inf * 0 is invalid even when the addend is a quiet NaN.
    if ((aInf && b === 0) || (bInf && a === 0)) return this.#nan(true);
    if (a !== a || b !== b || c !== c) return this.#nan(snan);
    const p = a * b;
    const cInf = c === Infinity || c === -Infinity;
    if (aInf || bInf) {
      if (cInf && (p > 0) !== (c > 0)) return this.#nan(true);
      return p;
    }
    if (cInf) return c;
    if (single) {
      // The product of two singles is exact in a double; TwoSum adds c.
      const r = p + c;
      if (r === 0) {
        // Exact zero unless the product underflowed (it cannot for singles).
        return rm === RM_RNE ? r : zeroSum(p, c, rm);
      }
      const t = r - p;
      return toSingle(r, (p - (r - t)) + (c - t), rm);
    }
    if (rm === RM_RNE) {
      const r = this.#fmaFastD(a, b, c, p);
      if (r === r) return r;
    }
    return sfFma(a, b, c, false, rm);
  }

  /**
   * Double FMA in round-to-nearest without BigInt (Boldo and Melquiond):
   * a*b = p + e exactly (Dekker), p + c = s + t exactly (TwoSum), then
   * RN(s + RO(t + e)) is the correctly rounded a*b + c. Returns NaN when
   * the operands or the result are too close to the ends of the exponent
   * range for the error terms to be exact (the caller then takes the exact
   * path).
   */
  #fmaFastD(a: number, b: number, c: number, p: number): number {
    const ap = Math.abs(p);
    if (
      !(ap > SMALL && ap < BIG) || Math.abs(a) >= BIG || Math.abs(b) >= BIG ||
      Math.abs(c) >= BIG
    ) {
      return NaN;
    }
    twoProd(a, b, p);
    const e = prodErr;
    const s = p + c;
    let z = s - p;
    const t = (p - (s - z)) + (c - z);
    const u = t + e;
    z = u - t;
    const v = (t - (u - z)) + (e - z);
    const uo = u === 0 ? v : toOdd(u, v);
    const r = s + uo;
    const ar = Math.abs(r);
    if (!(ar > SMALL && ar < BIG)) return NaN;
    z = r - s;
    const w = (s - (r - z)) + (uo - z);
    if (v !== 0 || w !== 0) raiseFlags(FLAG_NX);
    return r;
  }

  #minMax(a: number, b: number, snan: boolean, max: boolean): number {
    if (snan) raiseFlags(FLAG_NV);
    if (a !== a) return b;
    if (b !== b) return a;
    if (a === b) {
      if (a !== 0) return a;
      const aNeg = 1 / a < 0, bNeg = 1 / b < 0;
      return max ? (aNeg && bNeg ? -0 : 0) : (aNeg || bNeg ? -0 : 0);
    }
    return max ? (a > b ? a : b) : (a < b ? a : b);
  }

  /** FLE (rm 0), FLT (1), FEQ (2). */
  #compare(a: number, b: number, snan: boolean, rm: number): number {
    if (a !== a || b !== b) {
      if (snan || rm !== 2) raiseFlags(FLAG_NV);
      return 0;
    }
    return (rm === 0 ? a <= b : rm === 1 ? a < b : a === b) ? 1 : 0;
  }

  #toInt(v: number, unsigned: boolean, rm: number): number {
    if (v !== v) {
      raiseFlags(FLAG_NV);
      return unsigned ? -1 : 0x7fffffff;
    }
    const r = roundInt(v, rm);
    if (unsigned ? r < 0 || r > 4294967295 : r < -2147483648 || r > 2147483647) {
      raiseFlags(FLAG_NV);
      if (unsigned) return v < 0 ? 0 : -1;
      return v < 0 ? -2147483648 : 0x7fffffff;
    }
    if (r !== v) raiseFlags(FLAG_NX);
    return r | 0;
  }

  #convertFormat(rs1: number, toS: boolean, rm: number): number {
    const v = toS ? this.f64[rs1] : this.#s(rs1);
    if (v !== v) return this.#nan(this.#isSnan(rs1, !toS));
    if (!toS || v === Infinity || v === -Infinity) return v;
    return toSingle(v, 0, rm);
  }

  #sgnj(rd: number, rs1: number, rs2: number, mode: number, single: boolean): void {
    const w = this.words;
    const sa = single ? this.#sBits(rs1) : w[2 * rs1 + 1];
    const sb = single ? this.#sBits(rs2) : w[2 * rs2 + 1];
    const sign = mode === 0 ? sb : mode === 1 ? ~sb : sa ^ sb;
    const hi = (sa & 0x7fffffff) | (sign & 0x80000000);
    if (single) {
      this.putSingleBits(rd, hi);
    } else {
      w[2 * rd] = w[2 * rs1];
      w[2 * rd + 1] = hi;
    }
  }

  #classify(k: number, single: boolean): number {
    const w = this.words;
    let neg: boolean, expAll: boolean, expZero: boolean, fracZero: boolean, quiet: boolean;
    if (single) {
      const b = this.#sBits(k);
      neg = b < 0;
      const e = (b >>> 23) & 0xff;
      expAll = e === 0xff;
      expZero = e === 0;
      fracZero = (b & 0x7fffff) === 0;
      quiet = (b & 0x400000) !== 0;
    } else {
      const hi = w[2 * k + 1], lo = w[2 * k];
      neg = hi < 0;
      const e = (hi >>> 20) & 0x7ff;
      expAll = e === 0x7ff;
      expZero = e === 0;
      fracZero = ((hi & 0xfffff) | lo) === 0;
      quiet = (hi & 0x80000) !== 0;
    }
    if (expAll) {
      if (fracZero) return neg ? 1 << 0 : 1 << 7;
      return quiet ? 1 << 9 : 1 << 8;
    }
    if (expZero) {
      if (fracZero) return neg ? 1 << 3 : 1 << 4;
      return neg ? 1 << 2 : 1 << 5;
    }
    return neg ? 1 << 1 : 1 << 6;
  }
}
