/**
 * The translator's tiering: a page function covers only code that has run,
 * a path that runs later gets the page translated again, and instructions
 * the translator leaves to the interpreter (a CSR access) do not make it
 * translate the page over and over. Every case also checks that the result
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
