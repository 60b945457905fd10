/**
 * Differential testing of the F/D unit (`hw/fpu.ts`) against qemu-riscv32.
 *
 * - `FP_CASES`: every OP-FP and FMA instruction form of RV32FD with every
 *   static rounding mode and the dynamic one, encoded with fixed registers
 *   (f0, f1, f2 sources, f3 destination; x6 integer source, x7 integer
 *   destination);
 * - `buildFpProbe()`: assembles a Linux user program (clang,
 *   rv32imafdc/ilp32d) holding one stub per case; it reads 40-byte records
 *   from stdin (case, frm, f0, f1, f2, initial f3), runs the instruction
 *   and writes 16-byte answers (f3 bits, x7, fflags);
 * - `randomVectors()`: operands biased towards the hard cases (specials,
 *   subnormals, near-ties, cancellation, FMA products that nearly cancel
 *   the addend, integer-conversion boundaries, unboxed singles);
 * - `runQemu()` and `runStrata()` answer the same records; `compare()`
 *   lists disagreements.
 *
 * @module
 */

import { Fpu } from "../../hw/fpu.ts";

/** One instruction form under test. */
export interface FpCase {
  /** Assembler-like name with the rounding mode. */
  name: string;
  /** Encoded instruction. */
  inst: number;
}

const RMS = [0, 1, 2, 3, 4, 7];

function r(f7: number, rs2: number, rm: number, rd = 3, rs1 = 0): number {
  return ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | 0x53) >>> 0;
}

function buildCases(): FpCase[] {
  const out: FpCase[] = [];
  for (const fmt of [0, 1]) {
    const t = fmt === 0 ? "s" : "d";
    for (const rm of RMS) {
      out.push({ name: `fadd.${t} rm${rm}`, inst: r(0x00 | fmt, 1, rm) });
      out.push({ name: `fsub.${t} rm${rm}`, inst: r(0x04 | fmt, 1, rm) });
      out.push({ name: `fmul.${t} rm${rm}`, inst: r(0x08 | fmt, 1, rm) });
      out.push({ name: `fdiv.${t} rm${rm}`, inst: r(0x0c | fmt, 1, rm) });
      out.push({ name: `fsqrt.${t} rm${rm}`, inst: r(0x2c | fmt, 0, rm) });
      out.push({ name: `fcvt.w.${t} rm${rm}`, inst: r(0x60 | fmt, 0, rm, 7) });
      out.push({ name: `fcvt.wu.${t} rm${rm}`, inst: r(0x60 | fmt, 1, rm, 7) });
      out.push({ name: `fcvt.${t}.w rm${rm}`, inst: r(0x68 | fmt, 0, rm, 3, 6) });
      out.push({ name: `fcvt.${t}.wu rm${rm}`, inst: r(0x68 | fmt, 1, rm, 3, 6) });
      const fmaNames = ["fmadd", "fmsub", "fnmsub", "fnmadd"];
      [0x43, 0x47, 0x4b, 0x4f].forEach((opc, i) => {
        const inst = ((2 << 27) | (fmt << 25) | (1 << 20) | (0 << 15) | (rm << 12) | (3 << 7) |
          opc) >>> 0;
        out.push({ name: `${fmaNames[i]}.${t} rm${rm}`, inst });
      });
    }
    out.push({ name: `fcvt.${fmt === 0 ? "s.d" : "d.s"}`, inst: r(0x20 | fmt, fmt ^ 1, 7) });
    for (const rm of [0, 1, 2]) out.push({ name: `fsgnj.${t} ${rm}`, inst: r(0x10 | fmt, 1, rm) });
    for (const rm of [0, 1]) out.push({ name: `fminmax.${t} ${rm}`, inst: r(0x14 | fmt, 1, rm) });
    for (const rm of [0, 1, 2]) {
      out.push({ name: `fcmp.${t} ${rm}`, inst: r(0x50 | fmt, 1, rm, 7) });
    }
    out.push({ name: `fclass.${t}`, inst: r(0x70 | fmt, 0, 1, 7) });
  }
  out.push({ name: "fcvt.s.d rtz", inst: r(0x20, 1, 1) });
  out.push({ name: "fcvt.s.d rup", inst: r(0x20, 1, 3) });
  out.push({ name: "fcvt.s.d rdn", inst: r(0x20, 1, 2) });
  out.push({ name: "fcvt.s.d rmm", inst: r(0x20, 1, 4) });
  out.push({ name: "fmv.x.w", inst: r(0x70, 0, 0, 7) });
  out.push({ name: "fmv.w.x", inst: r(0x78, 0, 0, 3, 6) });
  return out;
}

/** Every instruction form under test. */
export const FP_CASES: readonly FpCase[] = buildCases();

/** Record size in bytes: case, frm, f0, f1, f2, initial f3. */
export const IN_SIZE = 40;
/** Answer size in bytes: f3 (64 bits), x7, fflags. */
export const OUT_SIZE = 16;

function probeSource(): string {
  const stubs = FP_CASES.map((c) => `  .word 0x${c.inst.toString(16)}\n  j done\n`).join("");
  return `  .option norvc
  .text
  .globl _start
_start:
  la s0, inbuf
  li s1, 0            # bytes read
read_more:
  li a0, 0
  add a1, s0, s1
  li a2, 65536
  li a7, 63
  ecall
  blez a0, read_done
  add s1, s1, a0
  j read_more
read_done:
  la s2, inbuf        # record pointer
  add s3, s0, s1      # end
  la s4, outbuf
next:
  bgeu s2, s3, finish
  lw t0, 4(s2)
  csrw frm, t0
  fld f0, 8(s2)
  fld f1, 16(s2)
  fld f2, 24(s2)
  fld f3, 32(s2)
  lw x6, 8(s2)
  li x7, 0
  csrw fflags, zero
  lw t0, 0(s2)
  slli t0, t0, 3
  la t3, stubs
  add t3, t3, t0
  jr t3
done:
  fsd f3, 0(s4)
  sw x7, 8(s4)
  csrr t0, fflags
  sw t0, 12(s4)
  addi s2, s2, ${IN_SIZE}
  addi s4, s4, ${OUT_SIZE}
  j next
finish:
  la a1, outbuf
  sub a2, s4, a1
  li a0, 1
  li a7, 64
  ecall
  li a0, 0
  li a7, 93
  ecall
stubs:
${stubs}
  .bss
  .align 4
inbuf: .space ${MAX_RECORDS * IN_SIZE + 65536}
outbuf: .space ${MAX_RECORDS * OUT_SIZE}
`;
}

/** Records per qemu run. */
export const MAX_RECORDS = 50000;

/** True when clang and qemu-riscv32 are usable. */
export function haveTools(): boolean {
  try {
    for (const [cmd, arg] of [["clang", "--version"], ["qemu-riscv32", "--version"]]) {
      if (
        !new Deno.Command(cmd, { args: [arg], stdout: "null", stderr: "null" }).outputSync().success
      ) {
        return false;
      }
    }
    return true;
  } catch {
    return false;
  }
}

/** Assembles the probe program into a temporary directory and returns its path. */
export function buildFpProbe(): string {
  const dir = Deno.makeTempDirSync({ prefix: "fpprobe" });
  Deno.writeTextFileSync(`${dir}/probe.S`, probeSource());
  const res = new Deno.Command("clang", {
    args: [
      "--target=riscv32-unknown-linux-gnu",
      "-march=rv32imafdc",
      "-mabi=ilp32d",
      "-nostdlib",
      "-static",
      "-fuse-ld=lld",
      "-mno-relax",
      "-o",
      `${dir}/probe`,
      `${dir}/probe.S`,
    ],
    stderr: "piped",
  }).outputSync();
  if (!res.success) throw new Error(new TextDecoder().decode(res.stderr));
  return `${dir}/probe`;
}

/** Runs records through qemu-riscv32 and returns the answers. */
export async function runQemu(probe: string, records: Uint8Array): Promise<Uint8Array> {
  const out = new Uint8Array((records.length / IN_SIZE) * OUT_SIZE);
  for (let start = 0; start < records.length; start += MAX_RECORDS * IN_SIZE) {
    const chunk = records.subarray(start, Math.min(records.length, start + MAX_RECORDS * IN_SIZE));
    const child = new Deno.Command("qemu-riscv32", {
      args: [probe],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    const outP = child.output();
    await w.write(chunk);
    await w.close();
    const res = await outP;
    if (!res.success || res.stdout.length !== (chunk.length / IN_SIZE) * OUT_SIZE) {
      throw new Error(`qemu probe failed (${res.code}, ${res.stdout.length} bytes)`);
    }
    out.set(res.stdout, (start / IN_SIZE) * OUT_SIZE);
  }
  return out;
}

/** Answers the records with the Strata FPU. */
export function runStrata(records: Uint8Array): Uint8Array {
  const n = records.length / IN_SIZE;
  const inW = new Int32Array(records.buffer, records.byteOffset, records.length / 4);
  const out = new Uint8Array(n * OUT_SIZE);
  const outW = new Int32Array(out.buffer);
  const fpu = new Fpu();
  const x = new Int32Array(33);
  const w = fpu.words;
  for (let i = 0; i < n; i++) {
    const b = i * (IN_SIZE / 4);
    fpu.frm = inW[b + 1];
    for (let k = 0; k < 8; k++) w[k] = inW[b + 2 + k];
    x[6] = inW[b + 2];
    x[7] = 0;
    fpu.fflags = 0;
    if (fpu.exec(FP_CASES[inW[b]].inst, x) < 0) throw new Error(`illegal ${FP_CASES[inW[b]].name}`);
    outW[i * 4] = w[6];
    outW[i * 4 + 1] = w[7];
    outW[i * 4 + 2] = x[7];
    outW[i * 4 + 3] = fpu.fflags;
  }
  return out;
}

// --- operand generation (deterministic xorshift) ---

/** A small deterministic PRNG. */
export class Rng {
  #s: number;
  /** Seeds the generator. */
  constructor(seed: number) {
    this.#s = seed | 1;
  }
  /** A random uint32. */
  u32(): number {
    let s = this.#s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.#s = s;
    return s >>> 0;
  }
  /** A random integer in [0, n). */
  below(n: number): number {
    return this.u32() % n;
  }
}

const F64 = new Float64Array(1);
const W = new Int32Array(F64.buffer);
const F32 = new Float32Array(1);
const W32 = new Int32Array(F32.buffer);

const S_SPECIAL = [
  0,
  0x80000000,
  0x7f800000,
  0xff800000,
  0x7fc00000,
  0x7f800001,
  0xffa00000,
  1,
  0x80000001,
  0x007fffff,
  0x807fffff,
  0x00800000,
  0x80800000,
  0x7f7fffff,
  0xff7fffff,
  0x3f800000,
  0xbf800000,
  0x3f800001,
  0x3f7fffff,
  0x4f000000,
  0xcf000000,
  0x4f800000,
  0x4effffff,
  0xcf000001,
  0x3f000000,
  0x3fc00000,
  0x40200000,
  0xbfc00000,
  0x4b800000,
  0x4b7fffff,
  0x00400000,
  0x00000003,
];
const D_SPECIAL_HI = [
  0,
  0x80000000,
  0x7ff00000,
  0xfff00000,
  0x7ff80000,
  0x7ff00000,
  0x3ff00000,
  0xbff00000,
  0x00100000,
  0x80100000,
  0x000fffff,
  0x7fefffff,
  0xffefffff,
  0x41e00000,
  0xc1e00000,
  0x41f00000,
  0x41dfffff,
  0x3fe00000,
  0x3ff80000,
  0x40040000,
  0xbff80000,
  0x36a00000,
  0x38100000,
  0x47e00000,
];

function singleBits(rng: Rng, near?: number): number {
  const k = rng.below(16);
  if (k === 0) return S_SPECIAL[rng.below(S_SPECIAL.length)] | 0;
  if (k === 1) return (rng.u32() & 0x807fffff) | 0; // subnormal or zero
  if (k === 2) return (rng.u32() & 0x80ffffff) | 0; // tiny
  if (k === 3 && near !== undefined) return (near + rng.below(5) - 2) ^ (rng.below(2) << 31);
  if (k === 4 && near !== undefined) {
    // Similar exponent, random significand (cancellation, close quotients).
    return (near & 0x7f800000) | (rng.u32() & 0x807fffff);
  }
  if (k === 5) return (((rng.below(64) + 95) << 23) | (rng.u32() & 0x807fffff)) | 0; // near 1
  if (k === 6) return ((0x3f800000 + rng.below(1 << 24)) ^ (rng.below(2) << 31)) | 0;
  if (k === 7) return (((rng.below(20) + 230) << 23) | (rng.u32() & 0x807fffff)) | 0; // big
  return rng.u32() | 0;
}

function doubleBits(rng: Rng, near?: [number, number]): [number, number] {
  const k = rng.below(16);
  const lo = rng.u32() | 0;
  if (k === 0) {
    const hi = D_SPECIAL_HI[rng.below(D_SPECIAL_HI.length)] | 0;
    const l = rng.below(3) === 0 ? lo : rng.below(2) === 0 ? 0 : rng.below(2) === 0 ? 1 : -1;
    return [l, hi];
  }
  if (k === 1) return [lo, (rng.u32() & 0x800fffff) | 0];
  if (k === 2) return [lo, (rng.u32() & 0x803fffff) | 0];
  if (k === 3 && near) return [(near[0] + rng.below(5) - 2) | 0, near[1] ^ (rng.below(2) << 31)];
  if (k === 4 && near) return [lo, ((near[1] & 0x7ff00000) | (rng.u32() & 0x800fffff)) | 0];
  if (k === 5) return [lo, (((rng.below(128) + 960) << 20) | (rng.u32() & 0x800fffff)) | 0];
  if (k === 6) return [lo & -(1 << rng.below(32)), (0x3ff00000 + rng.below(1 << 20)) | 0];
  if (k === 7) return [lo, (((rng.below(40) + 2000) << 20) | (rng.u32() & 0x800fffff)) | 0];
  if (k === 8) return [0, (((rng.below(64) + 1000) << 20) | (rng.u32() & 0x800fffff)) | 0];
  return [lo, rng.u32() | 0];
}

function intOperand(rng: Rng): number {
  const k = rng.below(6);
  if (k === 0) {
    return [0, 1, -1, 0x7fffffff, -0x80000000, 0x1000000, 0x1000001, 0xffffff][rng.below(8)];
  }
  if (k === 1) return (rng.u32() >>> rng.below(32)) | 0;
  if (k === 2) return ((1 << rng.below(31)) + rng.below(9) - 4) | 0;
  return rng.u32() | 0;
}

/** The source operand kind of a case: "s", "d" or "x" (integer). */
function sourceKind(name: string): string {
  const op = name.split(" ")[0];
  if (/^fcvt\.[sd]\.wu?$/.test(op) || op === "fmv.w.x") return "x";
  if (op === "fcvt.d.s" || op === "fmv.x.w") return "s";
  if (op === "fcvt.s.d") return "d";
  return op.endsWith(".d") ? "d" : "s";
}

/** `count` random records over all cases (or the cases whose name matches `filter`). */
export function randomVectors(count: number, seed: number, filter?: RegExp): Uint8Array {
  const rng = new Rng(seed);
  const cases = FP_CASES.map((c, i) => ({ c, i })).filter(({ c }) =>
    !filter || filter.test(c.name)
  );
  const buf = new Uint8Array(count * IN_SIZE);
  const w = new Int32Array(buf.buffer);
  for (let n = 0; n < count; n++) {
    const { c, i } = cases[rng.below(cases.length)];
    const b = n * (IN_SIZE / 4);
    w[b] = i;
    w[b + 1] = rng.below(5);
    const kind = sourceKind(c.name);
    const srcSingle = kind !== "d";
    const intSrc = kind === "x";
    if (srcSingle) {
      const a = singleBits(rng);
      const b2 = singleBits(rng, a);
      let cc = singleBits(rng, a);
      if (c.name.startsWith("fm") || c.name.startsWith("fnm")) {
        if (rng.below(3) === 0) {
          // An addend that nearly cancels the product.
          W32[0] = a;
          const fa = F32[0];
          W32[0] = b2;
          F32[0] = -(fa * F32[0]);
          cc = (W32[0] + rng.below(3) - 1) | 0;
        }
      }
      const vals = [a, b2, cc];
      for (let k = 0; k < 3; k++) {
        w[b + 2 + 2 * k] = vals[k];
        w[b + 3 + 2 * k] = rng.below(40) === 0 ? rng.u32() | 0 : -1; // rarely unboxed
      }
    } else {
      const a = doubleBits(rng);
      const b2 = doubleBits(rng, a);
      let cc = doubleBits(rng, a);
      if ((c.name.startsWith("fm") || c.name.startsWith("fnm")) && rng.below(3) === 0) {
        W[0] = a[0], W[1] = a[1];
        const fa = F64[0];
        W[0] = b2[0], W[1] = b2[1];
        F64[0] = -(fa * F64[0]);
        cc = [(W[0] + rng.below(3) - 1) | 0, W[1]];
      }
      if (/^fcvt\.wu?\.d/.test(c.name) && rng.below(2) === 0) {
        F64[0] = (rng.below(2) ? -1 : 1) * (rng.u32() / 2 ** rng.below(33)) +
          [0, 0.5, 0.25, -0.5][rng.below(4)];
        a[0] = W[0], a[1] = W[1];
      }
      const vals = [a, b2, cc];
      for (let k = 0; k < 3; k++) {
        w[b + 2 + 2 * k] = vals[k][0];
        w[b + 3 + 2 * k] = vals[k][1];
      }
    }
    if (/^fcvt\.wu?\.s/.test(c.name) && rng.below(2) === 0) {
      F32[0] = (rng.below(2) ? -1 : 1) * (rng.u32() / 2 ** rng.below(33)) +
        [0, 0.5, 0.25, -0.5][rng.below(4)];
      w[b + 2] = W32[0];
      w[b + 3] = -1;
    }
    if (intSrc) w[b + 2] = intOperand(rng);
    // Initial destination: a recognisable pattern.
    w[b + 8] = 0x12345678;
    w[b + 9] = 0x9abcdef0 | 0;
  }
  return buf;
}

/** Describes the first `max` records whose answers differ. */
export function compare(records: Uint8Array, a: Uint8Array, b: Uint8Array, max = 10): string[] {
  const inW = new Int32Array(records.buffer, records.byteOffset, records.length / 4);
  const aw = new Int32Array(a.buffer, a.byteOffset, a.length / 4);
  const bw = new Int32Array(b.buffer, b.byteOffset, b.length / 4);
  const bad: string[] = [];
  const hex = (v: number) => (v >>> 0).toString(16).padStart(8, "0");
  for (let i = 0; i < a.length / OUT_SIZE && bad.length < max; i++) {
    const o = i * 4;
    if (
      aw[o] !== bw[o] || aw[o + 1] !== bw[o + 1] || aw[o + 2] !== bw[o + 2] ||
      aw[o + 3] !== bw[o + 3]
    ) {
      const bIn = i * (IN_SIZE / 4);
      const ops = [0, 1, 2].map((k) => hex(inW[bIn + 3 + 2 * k]) + hex(inW[bIn + 2 + 2 * k]));
      bad.push(
        `${FP_CASES[inW[bIn]].name} frm=${inW[bIn + 1]} ops=${ops.join(",")}: qemu f=${
          hex(aw[o + 1])
        }${hex(aw[o])} x=${hex(aw[o + 2])} fl=${aw[o + 3]} strata f=${hex(bw[o + 1])}${
          hex(bw[o])
        } x=${hex(bw[o + 2])} fl=${bw[o + 3]}`,
      );
    }
  }
  return bad;
}
