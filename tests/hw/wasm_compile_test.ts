/**
 * The translator's WebAssembly back end on its own: the encoder's LEB128
 * numbers, the compiler's JavaScript meaning of each construct (every case
 * runs as JavaScript and as WebAssembly on the same inputs and must give the
 * same result and register file), what it declines, and the register memory.
 */

import assert from "node:assert/strict";
import { WasmCode } from "../../hw/wasm_encoder.ts";
import { compilePageFn, type HartLayout, WasmCompileError } from "../../hw/wasm_compile.ts";
import { div, divu, mulh, mulhsu, mulhu, rem, remu } from "../../hw/alu.ts";
import { RegisterMemory } from "../../hw/register_memory.ts";

Deno.test("wasm encoder: unsigned and signed LEB128", () => {
  const u = (v: number) => [...new WasmCode().u32(v).bytes()];
  const s = (v: number) => [...new WasmCode().s32(v).bytes()];
  assert.deepEqual(u(0), [0]);
  assert.deepEqual(u(127), [0x7f]);
  assert.deepEqual(u(128), [0x80, 1]);
  assert.deepEqual(u(0xffffffff), [0xff, 0xff, 0xff, 0xff, 0x0f]);
  assert.deepEqual(s(-1), [0x7f]);
  assert.deepEqual(s(63), [0x3f]);
  assert.deepEqual(s(64), [0xc0, 0]);
  assert.deepEqual(s(-64), [0x40]);
  assert.deepEqual(s(-65), [0xbf, 0x7f]);
  assert.deepEqual(s(-0x80000000), [0x80, 0x80, 0x80, 0x80, 0x78]);
});

const PAGE = 65536;
const LAYOUT: HartLayout = {
  io: 256,
  slots: 1024 + 2 * 36864 + 16,
  held: 1024 + 2 * 36864 + 32,
  fw: 512,
  tags: 1024,
  deltas: 1024 + 36864,
  codeMark: 1024 + 2 * 36864,
  ramPages: 1,
  hartPages: 2,
  regPages: 1,
};

const PARAMS = "r, io, pc, n, lim, vb, ldBase, stBase, asid, ah, fb";

/**
 * Runs `body` (a page function's body over `r`, `io` and its int32
 * parameters) as JavaScript and as WebAssembly from the same starting
 * registers and `io`; asserts both return the same and leave the same
 * registers and `io`.
 */
function agree(body: string, args: number[], regs: number[] = [], io: number[] = []): number {
  const text = `function page(${PARAMS}) {\n${body}\n}`;
  const start = (r: Int32Array, o: Float64Array) => {
    r.fill(0);
    o.fill(0);
    regs.forEach((v, i) => (r[i] = v));
    io.forEach((v, i) => (o[i] = v));
  };
  // JavaScript.
  const jsR = new Int32Array(33), jsIo = new Float64Array(12);
  start(jsR, jsIo);
  const js = new Function(
    "mulh, mulhsu, mulhu, div, divu, rem, remu",
    `"use strict"; return ${text};`,
  )(mulh, mulhsu, mulhu, div, divu, rem, remu);
  const want = js(jsR, jsIo, ...args);
  // WebAssembly.
  const mem = (pages: number) => new WebAssembly.Memory({ initial: pages, maximum: pages });
  const ram = mem(1), hart = mem(2), regMem = mem(1);
  const wr = new Int32Array(regMem.buffer, 136, 33);
  const wio = new Float64Array(hart.buffer, LAYOUT.io, 12);
  start(wr, wio);
  const none = () => 0;
  const inst = new WebAssembly.Instance(new WebAssembly.Module(compilePageFn(text, [], LAYOUT)), {
    env: {
      ram,
      hart,
      regs: regMem,
      fns: new WebAssembly.Table({ element: "anyfunc", initial: 1 }),
      codeStore: none,
      ecall: none,
      fsOn: none,
      fsDirty: none,
      fpExec: none,
      lrSet: none,
      scTry: none,
      regsBase: () => 136,
    },
  });
  const got = (inst.exports.page as (...a: number[]) => number)(136, ...args);
  assert.equal(got, want, `result of: ${body}`);
  assert.deepEqual([...wr], [...jsR], `registers after: ${body}`);
  assert.deepEqual([...wio], [...jsIo], `io after: ${body}`);
  return got;
}

const ARGS = [0, 5, 100, -4096, 0, 0, 0, 0, 0];

Deno.test("wasm back end: int32 arithmetic, shifts and unsigned compares as JavaScript", () => {
  const cases = [
    "let a = r[1], b = r[2]; r[3] = (a + b) | 0; r[4] = (a - b) | 0; r[5] = a ^ b; return a & b;",
    "let a = r[1]; r[3] = a << 31; r[4] = a >> 3; r[5] = (a >>> 7) | 0; return a | 1;",
    "let a = r[1], b = r[2]; return (a >>> 0) < (b >>> 0) ? 1 : 0;",
    "let a = r[1], b = r[2]; return a < b ? 1 : 0;",
    "let a = r[1]; return (a >>> 0) >= 4294967295 ? 7 : 9;",
    "let v = 0; v = r[1] >>> 12; r[6] = (v << 9) | 3; return (v ^ 5) & 1023;",
    "return Math.imul(r[1], r[2]);",
    "r[3] = ~r[1]; r[4] = -r[2]; return !r[1] ? 1 : 2;",
  ];
  const inputs = [[0, -1, 2], [0, 0x7fffffff, 1], [0, -0x80000000, -1], [0, 123456789, -987]];
  for (const body of cases) for (const regs of inputs) agree(body, ARGS, regs);
});

Deno.test("wasm back end: the M extension's helpers as hw/alu.ts defines them", () => {
  const body = "r[3] = mulh(r[1], r[2]); r[4] = mulhsu(r[1], r[2]); r[5] = mulhu(r[1], r[2]);" +
    " r[6] = div(r[1], r[2]); r[7] = divu(r[1], r[2]); r[8] = rem(r[1], r[2]);" +
    " r[9] = remu(r[1], r[2]); return 0;";
  for (
    const regs of [[0, 7, 0], [0, -0x80000000, -1], [0, -7, 2], [0, 0x7fffffff, 0x7fffffff], [
      0,
      -1,
      -1,
    ]]
  ) agree(body, ARGS, regs);
});

Deno.test("wasm back end: doubles in io, ToInt32 of them, Math.max and Math.min", () => {
  const body = "let c0 = io[1], dc = 3; io[2] = c0 + dc;" +
    " let room = Math.max(0, Math.min(io[3] - c0, 1000)) | 0;" +
    " r[1] = (io[0] - vb) | 0; r[2] = io[9] | 0; io[4] = room; return room;";
  for (
    const io of [
      [4096, 10, 0, 500],
      [2 ** 32 - 4, 2 ** 40, 0, 2 ** 40 + 5],
      [-8, 1e6, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, -3],
    ]
  ) agree(body, ARGS, [], io);
});

Deno.test("wasm back end: a labelled loop around a switch, fall-through, sparse cases", () => {
  const body = `let bi = r[1], k = 0, s = 0;
loop: for (;;) {
  switch (bi) {
    case 0: s = (s + 1) | 0; k++;
    case 1: s = (s + 10) | 0; if (k < 3) { bi = 0; continue loop; } break loop;
    case 2: switch (s) { case -5: s = 1; break; case 1000: s = 2; break; default: s = 3; }
      bi = 1; continue loop;
  }
  break;
}
r[2] = s; r[3] = k; return s;`;
  for (const regs of [[0, 0], [0, 1], [0, 2], [0, 7]]) agree(body, ARGS, regs);
});

Deno.test("wasm back end: && and || in conditions and as values, ?: of each type", () => {
  const body = `let a = r[1], b = r[2], t = 0;
if (a === 1 || (b > 2 && a !== 0)) { t = 1; } else if (!(a < b)) { t = 2; } else { t = 3; }
r[3] = t; r[4] = (a === 0 || b === 0) ? 5 : 6; r[5] = (a !== 0 && b !== 0) ? 7 : 8;
return t;`;
  for (const regs of [[0, 1, 0], [0, 5, 3], [0, 0, 0], [0, -2, 7], [0, 0, 9]]) {
    agree(body, ARGS, regs);
  }
});

Deno.test("wasm back end: constructs outside the subset are declined", () => {
  const declined = [
    "return r[1] * r[2];",
    "return r.length;",
    "let s = 'x'; return 0;",
    "let i = 0; while (i < 3) i++; return i;",
    "return unknown(1);",
    "let a = r[1]; let b = 0; b = (a >>> 0) + 1; return b;",
    "let u = 0; u = r[1] >>> 3; let v = r[2]; return u < v ? 1 : 0;",
  ];
  for (const body of declined) {
    assert.throws(
      () => compilePageFn(`function page(${PARAMS}) { ${body} }`, [], LAYOUT),
      WasmCompileError,
      body,
    );
  }
  assert.throws(() => compilePageFn("function page( {", [], LAYOUT), WasmCompileError);
  assert.throws(() => compilePageFn("function f(a) { return 0; }", [], LAYOUT), WasmCompileError);
});

Deno.test("register memory: zeroed files in place, null when full", () => {
  const pool = new RegisterMemory(PAGE);
  const a = pool.take()!;
  a.file[5] = 9;
  const b = pool.take()!;
  assert.equal(a.file.length, 33);
  assert.equal(a.view.length, 32);
  assert.equal(a.view.byteOffset, a.file.byteOffset);
  assert.equal(pool.offsetOf(a.file), a.file.byteOffset);
  assert.notEqual(pool.offsetOf(b.file), pool.offsetOf(a.file));
  assert.equal(pool.offsetOf(new Int32Array(33)), -1);
  assert.ok(b.file.every((v) => v === 0));
  let n = 2;
  while (pool.take() !== null) n++;
  assert.equal(n, Math.floor(PAGE / 136));
});
