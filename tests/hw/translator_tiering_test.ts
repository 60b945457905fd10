/**
 * The translator's tiering: a page function covers only code that has run,
 * a path that runs later gets the page translated again (keeping the heads
 * of entries reached only from outside), and neither instructions the
 * translator leaves to the interpreter (a CSR access) nor execution going
 * on inside a translated segment make it translate the page over and over. Every case also checks that the result
 * is the interpreter's (registers, instret, cycles).
 */

import assert from "node:assert/strict";
import { asm, machine, type TestMachine } from "./cpu_test_asm.ts";

/** Runs `m` in slices until it has executed `total` instructions. */
function runFor(m: TestMachine, total: number): void {
  while (m.cpu.instret < total) m.cpu.run(Math.min(500, total - m.cpu.instret));
}

/** The same program on both engines, run to `total` instructions. */
function both(program: number[], total: number, hot = 64): [TestMachine, TestMachine] {
  const interp = machine(program, { engine: "interp" });
  const jit = machine(program, { engine: "jit", hotThreshold: hot });
  runFor(interp, total);
  runFor(jit, total);
  assert.deepStrictEqual([...jit.cpu.x], [...interp.cpu.x]);
  assert.equal(jit.cpu.pc, interp.cpu.pc);
  assert.equal(jit.cpu.instret, interp.cpu.instret);
  assert.equal(jit.clock.now, interp.clock.now);
  return [interp, jit];
}

// x1 counts to x2; the addi at 20 runs only once x1 has reached x4.
const PHASES = [
  asm.addi(1, 0, 0),
  asm.addi(2, 0, 1200),
  asm.addi(4, 0, 600),
  asm.addi(1, 1, 1), // 12: loop
  asm.blt(1, 4, 8), // 16: skip the cold path while x1 < x4
  asm.addi(5, 5, 1), // 20: the cold path
  asm.bne(1, 2, -12), // 24
  asm.jal(0, 0), // 28: done
];

Deno.test("a translation covers only code that has run; a later path is translated again", () => {
  const [, early] = both(PHASES, 3 + 3 * 400);
  const tr = early.cpu.translator!;
  assert.ok(tr.translations >= 1);
  assert.equal(tr.coverage(0)![12 >> 1], 1, "the loop is translated");
  assert.equal(tr.coverage(0)![20 >> 1], 0, "the cold path is not");
  assert.equal(early.cpu.x[5], 0);

  const [, late] = both(PHASES, 3 + 3 * 599 + 4 * 601 + 50);
  const tl = late.cpu.translator!;
  assert.equal(late.cpu.x[5], 601);
  assert.ok(tl.translations >= 2, `translated ${tl.translations} times`);
  assert.equal(tl.coverage(0)![20 >> 1], 1, "the path that ran later is translated");
});

Deno.test("an instruction left to the interpreter does not retranslate the page", () => {
  const program = [
    asm.addi(1, 0, 0),
    asm.addi(2, 0, 2000),
    asm.addi(1, 1, 1), // 8: loop
    asm.csrrs(6, 0xb02, 0), // 12: minstret, left to the interpreter
    asm.r("add", 7, 7, 6),
    asm.bne(1, 2, -12), // 20
    asm.jal(0, 0), // 24
  ];
  // With 63, the first translation starts at the loop head (instruction 63
  // is the addi at 8), so the csrrs at 12 is no head of it: the interpreter
  // stands there every time the page gets hot again.
  const [, jit] = both(program, 2 + 4 * 2000, 63);
  assert.equal(jit.cpu.translator!.translations, 1);
});

/** Runs `m` in slices of `slice` instructions (each run may stop inside a block) until `total`. */
function runSliced(m: TestMachine, total: number, slice: number): void {
  while (m.cpu.instret < total) m.cpu.run(Math.min(slice, total - m.cpu.instret));
}

Deno.test("going on inside a translated segment (after a run's budget) does not retranslate the page", () => {
  // A loop of one segment; runs of 7 instructions stop at every one of its pcs.
  const program = [
    asm.addi(1, 0, 0),
    asm.lui(2, 8),
    asm.addi(1, 1, 1), // 8: loop
    asm.r("add", 5, 5, 1),
    asm.r("xor", 6, 6, 5),
    asm.bne(1, 2, -12), // 20
    asm.jal(0, 0), // 24
  ];
  const total = 2 + 4 * 30_000;
  const interp = machine(program, { engine: "interp" });
  const jit = machine(program, { engine: "jit", hotThreshold: 64 });
  runSliced(interp, total, 7);
  runSliced(jit, total, 7);
  assert.deepStrictEqual([...jit.cpu.x], [...interp.cpu.x]);
  assert.equal(jit.clock.now, interp.clock.now);
  assert.equal(jit.cpu.translator!.translations, 1);
});

Deno.test("entries reached only through a pointer stay heads when the page is translated again", () => {
  // The loop calls A and B through registers, and neither follows code
  // that ran: each comes in as the entry of a translation of its own, and
  // a translation for B keeps A's head (without it the two took turns up
  // to the last retranslation, which left B to the interpreter).
  const program = [
    asm.addi(1, 0, 0),
    asm.lui(2, 8),
    asm.auipc(10, 0), // 8: x10 = 8
    asm.addi(11, 10, 52), // x11 = B (60)
    asm.addi(10, 10, 40), // x10 = A (48)
    asm.jalr(3, 10, 0), // 20: loop: call A (link in x3)
    asm.jalr(3, 11, 0), // 24: call B
    asm.addi(1, 1, 1),
    asm.bne(1, 2, -12), // 32: to the loop
    asm.jal(0, 0), // 36
    asm.addi(0, 0, 0), // 40: never runs
    asm.addi(0, 0, 0),
    asm.addi(5, 5, 1), // 48: A
    asm.jalr(0, 3, 0),
    asm.addi(0, 0, 0), // 56: never runs
    asm.addi(6, 6, 3), // 60: B
    asm.jalr(0, 3, 0),
  ];
  const [, jit] = both(program, 5 + 8 * 3_000);
  const tr = jit.cpu.translator!;
  assert.equal(jit.cpu.x[5], 3_000);
  // The first translation, one for A's entry and one for B's, or fewer (A
  // and B, a few instructions before a return, are heads the inner loop
  // does not enter); taking turns made up to nine.
  assert.ok(tr.translations <= 3, `${tr.translations} translations`);
  assert.equal(tr.coverage(0)![48 >> 1], 1, "A is translated");
  assert.equal(tr.coverage(0)![60 >> 1], 1, "B is translated");
});
