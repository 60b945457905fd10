/**
 * F and D extensions: hard cases checked against values worked out by hand
 * (or by exact rational arithmetic here), the FS state machine, NaN-boxing,
 * fcsr, and a random differential sample against qemu-riscv32 (the long
 * sweep is `deno task test:fpu-sweep`).
 */
import assert from "node:assert/strict";
import { Fpu } from "../../hw/fpu.ts";
import { asm, BASE, iType, machine, rType, sType } from "./cpu_test_asm.ts";
import { buildFpProbe, compare, haveTools, randomVectors, runQemu, runStrata } from "./fp_diff.ts";

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

function sbits(v: number): number {
  F32[0] = v;
  return U32[0] | 0;
}

function fp(f7: number, rs2: number, rs1: number, rm: number, rd: number): number {
  return rType(f7, rs2, rs1, rm, rd, 0x53);
}

function fma(op: number, fmt: number, rs3: number, rs2: number, rs1: number, rm: number, rd = 3) {
  return ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | op) >>>
    0;
}

/** Runs one instruction on a fresh FPU with single operands f0, f1, f2. */
function single(inst: number, a: number, b = 0, c = 0, frm = 0) {
  const f = new Fpu();
  f.frm = frm;
  f.putSingleBits(0, sbits(a));
  f.putSingleBits(1, sbits(b));
  f.putSingleBits(2, sbits(c));
  const x = new Int32Array(33);
  assert.equal(f.exec(inst, x) >= 0, true);
  F32[0] = 0;
  U32[0] = f.words[6];
  return { v: F32[0], bits: f.words[6] >>> 0, boxed: f.words[7] === -1, flags: f.fflags, x };
}

function double(inst: number, a: number, b = 0, c = 0, frm = 0) {
  const f = new Fpu();
  f.frm = frm;
  f.f64[0] = a;
  f.f64[1] = b;
  f.f64[2] = c;
  const x = new Int32Array(33);
  assert.equal(f.exec(inst, x) >= 0, true);
  return { v: f.f64[3], flags: f.fflags, x, hi: f.words[7] >>> 0, lo: f.words[6] >>> 0 };
}

const NV = 16, DZ = 8, OF = 4, UF = 2, NX = 1;

Deno.test("fma.s rounds once where fround(a*b+c) would round twice", () => {
  // a*b = 1 + 2^-24 + 2^-48 exactly... chosen so that the double sum lands on
  // a single-precision tie: a = 1 + 2^-23, b = 1 + 2^-24 is not a single, so
  // use a = b = 1 + 2^-12: a*b = 1 + 2^-11 + 2^-24, c = 2^-48 (tiny push).
  const a = 1 + 2 ** -12, c = 2 ** -60;
  const r = single(fma(0x43, 0, 2, 1, 0, 0), a, a, c);
  // Exact: 1 + 2^-11 + 2^-24 + 2^-60: above the tie, rounds up.
  assert.equal(r.v, 1 + 2 ** -11 + 2 ** -23);
  assert.equal(r.flags, NX);
  // The naive computation double-rounds to the even neighbour.
  assert.equal(Math.fround(a * a + c), 1 + 2 ** -11);
});

Deno.test("fma.d is fused: the product is not rounded", () => {
  const a = 1 + 2 ** -30;
  // a*a - (1 + 2^-29) = 2^-60 exactly; unfused it would be 0.
  const r = double(fma(0x47, 1, 2, 1, 0, 0), a, a, 1 + 2 ** -29);
  assert.equal(r.v, 2 ** -60);
  assert.equal(r.flags, 0);
  // Infinity * 0 + qNaN is invalid.
  assert.equal(double(fma(0x43, 1, 2, 1, 0, 0), Infinity, 0, NaN).flags, NV);
});

Deno.test("division and square root of singles round correctly in every mode", () => {
  // 1/3 in single: RNE 0x3eaaaaab, RTZ/RDN 0x3eaaaaaa.
  const want = [0x3eaaaaab, 0x3eaaaaaa, 0x3eaaaaaa, 0x3eaaaaab, 0x3eaaaaab];
  for (let rm = 0; rm < 5; rm++) {
    const r = single(fp(0x0c, 1, 0, rm, 3), 1, 3);
    assert.equal(r.bits, want[rm], `rm ${rm}`);
    assert.equal(r.flags, NX);
  }
  // sqrt(2) in single: 0x3fb504f3 (RNE, RUP), 0x3fb504f3? check RTZ below.
  assert.equal(single(fp(0x2c, 0, 0, 0, 3), 2).bits, 0x3fb504f3);
  assert.equal(single(fp(0x2c, 0, 0, 1, 3), 2).bits, 0x3fb504f3);
  assert.equal(single(fp(0x2c, 0, 0, 3, 3), 2).bits, 0x3fb504f4);
  // Exact results raise nothing.
  assert.equal(single(fp(0x2c, 0, 0, 0, 3), 2.25).flags, 0);
  assert.equal(single(fp(0x2c, 0, 0, 0, 3), -1).flags, NV);
  assert.equal(single(fp(0x0c, 1, 0, 0, 3), 1, 0).flags, DZ);
});

Deno.test("overflow and underflow follow the rounding mode; tininess after rounding", () => {
  const max = 3.4028234663852886e38;
  // max * 2: RNE -> inf, RTZ -> max, RDN -> max, RUP -> inf.
  const r = [0, 1, 2, 3].map((rm) => single(fp(0x08, 1, 0, rm, 3), max, 2));
  assert.deepEqual(r.map((x) => x.v), [Infinity, max, max, Infinity]);
  for (const x of r) assert.equal(x.flags, OF | NX);
  // A subnormal inexact result underflows.
  const t = single(fp(0x0c, 1, 0, 0, 3), 2 ** -140, 3);
  assert.equal(t.flags, UF | NX);
  // An exact subnormal result does not.
  assert.equal(single(fp(0x0c, 1, 0, 0, 3), 2 ** -140, 4).flags, 0);
  // Just below the smallest normal, rounding (unbounded) up to it: not tiny.
  const f = new Fpu();
  f.f64[0] = 2 ** -126 * (1 - 2 ** -26); // rounds to 2^-126 with 24 bits, unbounded
  const x = new Int32Array(33);
  f.exec(fp(0x20, 1, 0, 0, 3), x); // fcvt.s.d
  assert.equal(f.words[6], 0x00800000);
  assert.equal(f.fflags, NX, "not tiny after rounding");
  f.fflags = 0;
  // 24 significant bits just below 2^-126: tiny, and inexact as a subnormal.
  f.f64[0] = 2 ** -126 * (1 - 2 ** -24);
  f.exec(fp(0x20, 1, 0, 0, 3), x);
  assert.equal(f.fflags, UF | NX);
  assert.equal(f.words[6], 0x00800000);
});

Deno.test("conversions to integers saturate and flag invalid, not inexact", () => {
  const cvtW = (v: number, rm: number, u = 0) => double(fp(0x61, u, 0, rm, 7), v).x;
  const cases: [number, number, number, number, number][] = [
    // value, rm, unsigned, result, flags
    [2.5, 0, 0, 2, NX],
    [3.5, 0, 0, 4, NX],
    [-2.5, 4, 0, -3, NX],
    [-2.5, 2, 0, -3, NX],
    [-2.5, 3, 0, -2, NX],
    [2147483647.4, 1, 0, 2147483647, NX],
    [2147483648, 1, 0, 2147483647, NV],
    [-2147483649, 1, 0, -2147483648, NV],
    [NaN, 1, 0, 2147483647, NV],
    [-Infinity, 1, 0, -2147483648, NV],
    [-0.5, 1, 1, 0, NX],
    [-1, 1, 1, 0, NV],
    [4294967295.5, 1, 1, -1, NX],
    [4294967296, 1, 1, -1, NV],
    [NaN, 1, 1, -1, NV],
  ];
  for (const [v, rm, u, want, flags] of cases) {
    const f = new Fpu();
    f.f64[0] = v;
    const x = new Int32Array(33);
    f.exec(fp(0x61, u, 0, rm, 7), x);
    assert.equal(x[7], want, `${v} rm${rm} u${u}`);
    assert.equal(f.fflags, flags, `${v} rm${rm} u${u} flags`);
  }
  assert.equal(cvtW(1.5, 0)[7], 2);
  // int -> single rounds: 2^24 + 1 is not a single.
  const f = new Fpu();
  const x = new Int32Array(33);
  x[6] = 16777217;
  f.exec(fp(0x68, 0, 6, 1, 3), x);
  assert.equal(f.words[6], sbits(16777216));
  assert.equal(f.fflags, NX);
  f.exec(fp(0x68, 0, 6, 3, 3), x);
  assert.equal(f.words[6], sbits(16777218));
});

Deno.test("NaN boxing, canonical NaNs, fmin/fmax and compare rules", () => {
  const f = new Fpu();
  const x = new Int32Array(33);
  // f0 holds a double: as a single it is not boxed and reads as canonical NaN.
  f.f64[0] = 1.5;
  f.putSingleBits(1, sbits(2));
  f.exec(fp(0x00, 1, 0, 0, 3), x); // fadd.s f3, f0, f1
  assert.equal(f.words[6], 0x7fc00000);
  assert.equal(f.words[7], -1);
  assert.equal(f.fflags, 0, "an unboxed value is a quiet NaN");
  // fmin with one NaN returns the other; with a signalling NaN also flags NV.
  f.putSingleBits(0, 0x7f800001);
  f.exec(fp(0x14, 1, 0, 0, 3), x);
  assert.equal(f.words[6], sbits(2));
  assert.equal(f.fflags, NV);
  // fmin(-0, +0) = -0, fmax = +0.
  f.putSingleBits(0, 0x80000000);
  f.putSingleBits(1, 0);
  f.exec(fp(0x14, 1, 0, 0, 3), x);
  assert.equal(f.words[6] >>> 0, 0x80000000);
  f.exec(fp(0x14, 1, 0, 1, 3), x);
  assert.equal(f.words[6], 0);
  // feq on a quiet NaN is quiet, flt is signalling.
  f.fflags = 0;
  f.putSingleBits(0, 0x7fc00000);
  f.exec(fp(0x50, 1, 0, 2, 7), x);
  assert.equal(f.fflags, 0);
  f.exec(fp(0x50, 1, 0, 1, 7), x);
  assert.equal(f.fflags, NV);
  // fsgnj.d keeps the payload; fmv.x.w takes the low word even when unboxed.
  f.words[0] = 0x1234;
  f.words[1] = 0x7ff00001;
  f.f64[1] = -1;
  f.exec(fp(0x11, 1, 0, 0, 3), x);
  assert.equal(f.words[7] >>> 0, 0xfff00001);
  assert.equal(f.words[6], 0x1234);
  f.exec(fp(0x70, 0, 0, 0, 7), x);
  assert.equal(x[7], 0x1234);
  // fclass of each kind.
  const cls = (v: number) => double(fp(0x71, 0, 0, 1, 7), v).x[7];
  assert.deepEqual(
    [-Infinity, -1, -(2 ** -1074), -0, 0, 2 ** -1074, 1, Infinity, NaN].map(cls),
    [1, 2, 4, 8, 16, 32, 64, 128, 512],
  );
});

Deno.test("reserved rounding modes and formats are illegal", () => {
  const f = new Fpu();
  const x = new Int32Array(33);
  assert.equal(f.exec(fp(0x00, 1, 0, 5, 3), x), -1);
  f.frm = 5;
  assert.equal(f.exec(fp(0x00, 1, 0, 7, 3), x), -1, "dynamic with frm 5");
  assert.equal(f.exec(fp(0x10, 1, 0, 0, 3), x), 1, "fsgnj ignores frm");
  assert.equal(f.exec(fp(0x02 << 2 | 2, 1, 0, 0, 3), x), -1, "half precision");
});

function flw(rd: number, rs1: number, imm: number) {
  return iType(imm, rs1, 2, rd, 0x07);
}
function fld(rd: number, rs1: number, imm: number) {
  return iType(imm, rs1, 3, rd, 0x07);
}
function fsd(rs2: number, rs1: number, imm: number) {
  return sType(imm, rs2, rs1, 3, 0x27);
}

Deno.test("FS: Off makes FP instructions and fcsr illegal; writes make it Dirty", () => {
  const prog = [fld(1, 10, 0), fld(2, 10, 8), fp(0x01, 2, 1, 7, 3), fsd(3, 10, 16), flw(4, 10, 0)];
  const m = machine(prog);
  m.cpu.x[10] = BASE + 0x400;
  const dv = new DataView(m.ram.u8.buffer, m.ram.u8.byteOffset);
  dv.setFloat64(0x400, 1.25, true);
  dv.setFloat64(0x408, 2.5, true);
  m.cpu.writeCsr(0x305, BASE + 0x800);
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 2, "FS Off: illegal");
  assert.equal(m.cpu.mtval, fld(1, 10, 0));
  // Initial: runs, and becomes Dirty.
  m.cpu.pc = BASE;
  m.cpu.writeCsr(0x300, 1 << 13);
  m.cpu.run(5);
  assert.equal(dv.getFloat64(0x410, true), 3.75);
  assert.equal((m.cpu.readCsr(0x300) >>> 13) & 3, 3);
  assert.equal(m.cpu.readCsr(0x300) >>> 31, 1, "SD");
  assert.equal((m.cpu.readCsr(0x100) >>> 13) & 3, 3, "sstatus.FS");
  // flw of a word boxes it.
  assert.equal(m.cpu.fpu.words[9], -1);
  // Clean: fcsr write makes it Dirty again.
  m.cpu.writeCsr(0x300, 2 << 13);
  assert.equal(m.cpu.readCsr(0x300) >>> 31, 0);
  const m2 = machine([asm.csrrw(5, 0x003, 6), asm.csrrs(7, 0x001, 0), asm.csrrs(8, 0x002, 0)]);
  m2.cpu.writeCsr(0x300, 2 << 13);
  m2.cpu.x[6] = 0xff;
  m2.cpu.run(3);
  assert.equal(m2.cpu.x[7], 31);
  assert.equal(m2.cpu.x[8], 7);
  assert.equal((m2.cpu.readCsr(0x300) >>> 13) & 3, 3);
});

Deno.test("misa reports F, D and C", () => {
  const m = machine();
  const misa = m.cpu.readCsr(0x301);
  for (const bit of [2, 3, 5]) assert.equal((misa >>> bit) & 1, 1);
});

const TOOLS = haveTools();

Deno.test({
  name: "F/D differential sample against qemu-riscv32 (20000 random operations)",
  ignore: !TOOLS,
  async fn() {
    const probe = buildFpProbe();
    const records = randomVectors(20000, 20261206);
    const bad = compare(records, await runQemu(probe, records), runStrata(records));
    assert.deepEqual(bad, []);
  },
});
