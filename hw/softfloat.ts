/**
 * Exact IEEE 754 binary32/binary64 rounding in software, for the F and D
 * extensions (`hw/fpu.ts`).
 *
 * Map of this file:
 * - rounding modes and exception flag bits as `fcsr` encodes them;
 * - `decompose`: a finite double as an exact integer significand and
 *   exponent;
 * - `roundPack`: rounds an exact value `m * 2^e` (plus a sticky bit) to
 *   binary32 or binary64 under any rounding mode, with IEEE flags (underflow
 *   detected after rounding, as RISC-V requires);
 * - `sf*`: exact add, multiply, fused multiply-add, divide and square root
 *   on BigInt significands, the slow path the FPU falls back to whenever
 *   the fast JavaScript-number path cannot prove its result and flags;
 * - `toOdd`, `nextUp`-style helpers on double bit patterns.
 *
 * All values travel as JavaScript numbers: every binary32 value is a double
 * exactly, so the operands of both formats are exact doubles.
 *
 * @module
 */

/** Round to nearest, ties to even. */
export const RM_RNE = 0;
/** Round towards zero. */
export const RM_RTZ = 1;
/** Round down (towards -infinity). */
export const RM_RDN = 2;
/** Round up (towards +infinity). */
export const RM_RUP = 3;
/** Round to nearest, ties to max magnitude. */
export const RM_RMM = 4;

/** fflags: invalid operation. */
export const FLAG_NV = 16;
/** fflags: divide by zero. */
export const FLAG_DZ = 8;
/** fflags: overflow. */
export const FLAG_OF = 4;
/** fflags: underflow. */
export const FLAG_UF = 2;
/** fflags: inexact. */
export const FLAG_NX = 1;

/** Largest finite binary32 value. */
export const MAX_S = (2 - 2 ** -23) * 2 ** 127;
/** Smallest normal binary32 magnitude. */
export const MIN_NORMAL_S = 2 ** -126;
/** Smallest normal binary64 magnitude. */
export const MIN_NORMAL_D = 2 ** -1022;

const F64 = new Float64Array(1);
const W = new Int32Array(F64.buffer);

let flags = 0;

/** Returns the flags raised since the last call and clears them. */
export function takeFlags(): number {
  const f = flags;
  flags = 0;
  return f;
}

/** Raises exception flags (accumulated until {@link takeFlags}). */
export function raiseFlags(f: number): void {
  flags |= f;
}

// decompose() output: |d| = dm * 2^de, dm an integer below 2^53.
let dm = 0;
let de = 0;

/** Splits finite nonzero `d` into the module's (dm, de). */
function decompose(d: number): void {
  F64[0] = d;
  const hi = W[1], lo = W[0];
  const exp = (hi >>> 20) & 0x7ff;
  const mant = (hi & 0xfffff) * 4294967296 + (lo >>> 0);
  if (exp === 0) {
    dm = mant;
    de = -1074;
  } else {
    dm = mant + 4503599627370496;
    de = exp - 1075;
  }
}

function bitLength(m: bigint): number {
  return m === 0n ? 0 : m.toString(2).length;
}

let roundedInexact = false;

/** `m` rounded right by `s` bits under `rm` (sets roundedInexact). */
function roundShift(m: bigint, s: number, neg: boolean, rm: number): bigint {
  if (s <= 0) {
    roundedInexact = false;
    return m << BigInt(-s);
  }
  const sb = BigInt(s);
  const q = m >> sb;
  const rem = m - (q << sb);
  if (rem === 0n) {
    roundedInexact = false;
    return q;
  }
  roundedInexact = true;
  const half = 1n << (sb - 1n);
  let up: boolean;
  switch (rm) {
    case RM_RNE:
      up = rem > half || (rem === half && (q & 1n) === 1n);
      break;
    case RM_RTZ:
      up = false;
      break;
    case RM_RDN:
      up = neg;
      break;
    case RM_RUP:
      up = !neg;
      break;
    default:
      up = rem >= half;
      break;
  }
  return up ? q + 1n : q;
}

/** The result of an overflow under `rm`: infinity or the largest finite value. */
function overflowResult(neg: boolean, single: boolean, rm: number): number {
  const max = single ? MAX_S : Number.MAX_VALUE;
  let toInf: boolean;
  switch (rm) {
    case RM_RTZ:
      toInf = false;
      break;
    case RM_RDN:
      toInf = neg;
      break;
    case RM_RUP:
      toInf = !neg;
      break;
    default:
      toInf = true;
  }
  const v = toInf ? Infinity : max;
  return neg ? -v : v;
}

/**
 * Rounds the exact value `(-1)^neg * (m + sticky * epsilon) * 2^e` (m > 0)
 * to binary32 (`single`) or binary64 under `rm`, raising NX, UF and OF as
 * IEEE 754 and RISC-V (tininess after rounding) require.
 */
export function roundPack(
  neg: boolean,
  m: bigint,
  e: number,
  sticky: boolean,
  single: boolean,
  rm: number,
): number {
  if (sticky) {
    m = (m << 2n) | 1n;
    e -= 2;
  }
  const p = single ? 24 : 53;
  const emin = single ? -126 : -1022;
  const emax = single ? 127 : 1023;
  const len = bitLength(m);
  const top = e + len - 1;
  let shift = len - p;
  let tiny = false;
  if (top < emin) {
    // Tininess after rounding: round to p bits with an unbounded exponent.
    const q = roundShift(m, shift, neg, rm);
    tiny = top + (bitLength(q) > p ? 1 : 0) < emin;
    shift = emin - p + 1 - e;
  }
  let q = roundShift(m, shift, neg, rm);
  let qe = e + shift;
  const inexact = roundedInexact;
  if (bitLength(q) > p) {
    q >>= 1n;
    qe++;
  }
  if (inexact) flags |= tiny ? FLAG_NX | FLAG_UF : FLAG_NX;
  if (q === 0n) return neg ? -0 : 0;
  if (qe + bitLength(q) - 1 > emax) {
    flags |= FLAG_OF | FLAG_NX;
    return overflowResult(neg, single, rm);
  }
  const v = Number(q) * 2 ** qe;
  return neg ? -v : v;
}

/** Rounds the finite double `v` to binary32 or binary64 under `rm` (flags raised). */
export function roundValue(v: number, single: boolean, rm: number): number {
  if (v === 0) return v;
  decompose(v);
  return roundPack(v < 0, BigInt(dm), de, false, single, rm);
}

/** The signed zero that an exact zero sum `x + y` gives under `rm`. */
export function zeroSum(x: number, y: number, rm: number): number {
  if (x === 0 && y === 0 && (1 / x > 0) === (1 / y > 0)) return x;
  return rm === RM_RDN ? -0 : 0;
}

/** Exact `a + b` rounded (finite operands). */
export function sfAdd(a: number, b: number, single: boolean, rm: number): number {
  if (a === 0 || b === 0) {
    if (a === 0 && b === 0) return zeroSum(a, b, rm);
    return roundValue(a === 0 ? b : a, single, rm);
  }
  decompose(a);
  const ma = dm, ea = de;
  decompose(b);
  const mb = dm, eb = de;
  const e = Math.min(ea, eb);
  let x = BigInt(ma) << BigInt(ea - e);
  let y = BigInt(mb) << BigInt(eb - e);
  if (a < 0) x = -x;
  if (b < 0) y = -y;
  const s = x + y;
  if (s === 0n) return rm === RM_RDN ? -0 : 0;
  return roundPack(s < 0n, s < 0n ? -s : s, e, false, single, rm);
}

/** Exact `a * b` rounded (finite nonzero operands). */
export function sfMul(a: number, b: number, single: boolean, rm: number): number {
  decompose(a);
  const ma = dm, ea = de;
  decompose(b);
  return roundPack((a < 0) !== (b < 0), BigInt(ma) * BigInt(dm), ea + de, false, single, rm);
}

/** Exact `a * b + c` rounded once (finite operands). */
export function sfFma(a: number, b: number, c: number, single: boolean, rm: number): number {
  if (a === 0 || b === 0) {
    const p = (a < 0 || (a === 0 && 1 / a < 0)) !== (b < 0 || (b === 0 && 1 / b < 0)) ? -0 : 0;
    if (c === 0) return zeroSum(p, c, rm);
    return roundValue(c, single, rm);
  }
  decompose(a);
  const ma = dm, ea = de;
  decompose(b);
  let pm = BigInt(ma) * BigInt(dm);
  const pe = ea + de;
  if ((a < 0) !== (b < 0)) pm = -pm;
  if (c === 0) return roundPack(pm < 0n, pm < 0n ? -pm : pm, pe, false, single, rm);
  decompose(c);
  let cm = BigInt(dm);
  const ce = de;
  if (c < 0) cm = -cm;
  const e = Math.min(pe, ce);
  const s = (pm << BigInt(pe - e)) + (cm << BigInt(ce - e));
  if (s === 0n) return rm === RM_RDN ? -0 : 0;
  return roundPack(s < 0n, s < 0n ? -s : s, e, false, single, rm);
}

/** Exact `a / b` rounded (finite nonzero operands). */
export function sfDiv(a: number, b: number, single: boolean, rm: number): number {
  decompose(a);
  const ma = BigInt(dm), ea = de;
  decompose(b);
  const mb = BigInt(dm), eb = de;
  const p = single ? 24 : 53;
  let k = p + 3 + bitLength(mb) - bitLength(ma);
  if (k < 0) k = 0;
  const n = ma << BigInt(k);
  const q = n / mb;
  return roundPack((a < 0) !== (b < 0), q, ea - eb - k, q * mb !== n, single, rm);
}

function isqrt(n: bigint): bigint {
  let x = BigInt(Math.ceil(Math.sqrt(Number(n)) * (1 + 2 ** -40))) + 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Exact square root of finite `a > 0`, rounded. */
export function sfSqrt(a: number, single: boolean, rm: number): number {
  decompose(a);
  const m = BigInt(dm);
  const p = single ? 24 : 53;
  let k = 2 * (p + 3) - bitLength(m);
  if (k < 0) k = 0;
  if (((de - k) & 1) !== 0) k++;
  const n = m << BigInt(k);
  const s = isqrt(n);
  return roundPack(false, s, (de - k) / 2, s * s !== n, single, rm);
}

/**
 * Rounds nonzero finite `h` to odd at 53 bits, given the sign of the error
 * `err` = exact - h (0: exact). The result rounds to any precision up to
 * 51 bits exactly as the exact value would.
 */
export function toOdd(h: number, err: number): number {
  if (err === 0) return h;
  F64[0] = h;
  const lo = W[0];
  if ((lo & 1) !== 0) return h;
  if ((err > 0) === (h > 0)) {
    W[0] = lo + 1;
  } else if (lo === 0) {
    W[0] = -1;
    W[1] = W[1] - 1;
  } else {
    W[0] = lo - 1;
  }
  return F64[0];
}
