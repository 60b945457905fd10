/**
 * A path that first runs after its page was translated: the page function
 * leaves exactly where the path starts (`hw/translator_emit.ts`), the path
 * runs interpreted, and the page is translated again with it later
 * (`hw/translator.ts`), with every system call seen the same way as under
 * the interpreter.
 */

import assert from "node:assert/strict";
import { asm, BASE, load, machine, type TestMachine } from "./cpu_test_asm.ts";
import { PTE, STUB_CODE } from "./stub_call_program.ts";
import { assertSameEnd, harnessRecords, runEcallHarness } from "./ecall_harness.ts";

const ROOT = 0x10000, L2 = 0x11000; // page tables (RAM offsets)
const MAIN = 0x20000, STUB = 0x21000, DATA = 0x23000; // RAM offsets
const VA = 0x0040_0000;
const LOOPS = 1200;
const A7 = 17;
/** Where the cold path starts (page offset), and where the loop ends. */
const COLD = 52, END = VA + 44;

// A loop that calls the stub on the next page; from iteration LOOPS / 2 on
// it also takes the branch at 32 to a block (at 52) that never ran before.
const PROGRAM: number[] = [
  asm.addi(5, 0, 0), // 0
  asm.addi(6, 0, LOOPS), // 4
  asm.lui(8, (VA + 0x2000) >>> 12), // 8: data
  asm.addi(9, 0, LOOPS / 2), // 12
  asm.auipc(1, 1), // 16: loop
  asm.jalr(1, 1, -16), // 20: call VA + 0x1000
  asm.r("add", 7, 7, 10), // 24
  asm.sw(7, 8, 0), // 28
  asm.bge(5, 9, 20), // 32: to the cold path at 52 once x5 >= LOOPS / 2
  asm.addi(5, 5, 1), // 36
  asm.bne(5, 6, -24), // 40: to 16
  asm.jal(0, 0), // 44: the end
  asm.addi(0, 0, 0), // 48
  asm.lw(11, 8, 0), // 52: the cold path
  asm.r("add", 12, 12, 11), // 56
  asm.jal(0, -24), // 60: back to 36
];

/** Runs the loop under `engine`; the machine, each call's record, and the cold path's coverage at call 500. */
function runWith(engine: "interp" | "jit"): { m: TestMachine; seen: number[][]; early: number } {
  const m = machine([], { engine, hotThreshold: 40 });
  const { cpu, ram, clock } = m;
  load(ram, MAIN, PROGRAM);
  load(ram, STUB, STUB_CODE);
  ram.i32[(ROOT >> 2) + 1] = ((((BASE + L2) >>> 12) << 10) | 1) | 0;
  for (const [vpn0, off] of [[0, MAIN], [1, STUB], [2, DATA]]) {
    ram.i32[(L2 >> 2) + vpn0] = (((((BASE + off) >>> 12) << 10) | PTE) >>> 0) | 0;
  }
  cpu.writeCsr(0x180, ((1 << 31) | (5 << 22) | ((BASE + ROOT) >>> 12)) >>> 0);
  let early = -1;
  const seen = runEcallHarness(m, {
    start: VA,
    end: END,
    seed: 4242,
    span: 300,
    guard: 200_000,
    record: () => [cpu.sepc, cpu.instret, clock.now, cpu.x[A7], cpu.x[7], cpu.x[12], cpu.mmu.hits],
    vary: (calls) => {
      if (calls === 500) early = cpu.translator?.coverage(MAIN >> 12)?.[COLD >> 1] ?? -1;
    },
  });
  return { m, seen, early };
}

Deno.test("a path that first runs after its page was translated: exact exits, then translated too", () => {
  const a = runWith("interp");
  const b = runWith("jit");
  assert.equal(a.m.cpu.pc, END);
  assert.equal(a.seen.length, harnessRecords(LOOPS));
  for (let i = 0; i < a.seen.length; i++) assert.deepStrictEqual(b.seen[i], a.seen[i], `call ${i}`);
  assert.equal(b.seen.length, a.seen.length);
  assertSameEnd(b.m, a.m);
  assert.ok(a.m.cpu.x[12] !== 0, "the cold path ran");
  const tr = b.m.cpu.translator!;
  assert.equal(b.early, 0, "translated before the cold path ran, without it");
  assert.equal(tr.coverage(MAIN >> 12)![COLD >> 1], 1, "the cold path is translated later");
  assert.ok(tr.ecalls > LOOPS / 2, `${tr.ecalls} calls answered from page functions`);
});
