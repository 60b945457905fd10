/**
 * Where the inner loop enters page functions, and which pages are not
 * translated: a head whose block reaches an instruction left to the
 * interpreter within a few instructions is not an entry (the call would
 * cost more than it runs), and a page whose function would be too large for
 * V8's optimizing compiler stays interpreted. Either way the results are
 * the interpreter's.
 */

import assert from "node:assert/strict";
import { asm, iType, machine } from "./cpu_test_asm.ts";
import { MIN_ENTRY_RUN } from "../../hw/translator_scan.ts";

/** `csrrs rd, mscratch, x0`: an instruction the translator leaves to the interpreter. */
const readScratch = (rd: number) => iType(0x340, 0, 2, rd, 0x73);

function bothEngines(program: number[], steps: number) {
  const run = (engine: "interp" | "jit") => {
    const m = machine(program, { engine, hotThreshold: 64 });
    m.cpu.run(steps);
    return m;
  };
  const interp = run("interp"), jit = run("jit");
  assert.deepStrictEqual([...jit.cpu.x], [...interp.cpu.x]);
  assert.equal(jit.cpu.pc, interp.cpu.pc);
  assert.equal(jit.clock.now, interp.clock.now);
  return jit;
}

Deno.test("a head that reaches an untranslated instruction within a few instructions is not an entry", () => {
  assert.ok(MIN_ENTRY_RUN > 1);
  const jit = bothEngines([
    asm.addi(1, 0, 0), // 0
    asm.addi(2, 0, 300), // 4
    asm.addi(1, 1, 1), // 8: loop; one instruction, then the CSR
    readScratch(5), // 12
    asm.addi(3, 3, 1), // 16: one instruction, then the CSR
    readScratch(6), // 20
    asm.addi(4, 4, 1), // 24: reaches the branch
    asm.bne(1, 2, -20), // 28: to 8
    asm.jal(0, 0), // 32: spins
  ], 2 + 6 * 300 + 10);
  assert.equal(jit.cpu.x[4], 300);
  const tr = jit.cpu.translator!;
  assert.notEqual(tr.pageFn(0), null, "the page is translated");
  const entries = tr.entries[tr.slot[0]]!;
  assert.equal(entries[8], 0, "the loop's head runs one instruction before the CSR");
  assert.equal(entries[16], 0);
  assert.equal(entries[24], 1, "the block reaches the branch");
});

Deno.test("a page whose function would be too large for V8 to optimize stays interpreted", () => {
  // A loop of 900 loads: a unit of far more source than MAX_UNIT_SOURCE.
  const loads = Array.from({ length: 900 }, () => asm.lw(5, 10, 0));
  const jit = bothEngines([
    asm.addi(1, 0, 0), // 0
    asm.addi(2, 0, 60), // 4
    asm.auipc(10, 1), // 8: x10 = this pc + 4096 (data on the next page)
    ...loads, // 12: loop
    asm.addi(1, 1, 1),
    asm.bne(1, 2, -(4 * 900 + 4)), // to 12
    asm.jal(0, 0),
  ], 3 + 902 * 60 + 10);
  assert.equal(jit.cpu.x[1], 60);
  const tr = jit.cpu.translator!;
  assert.ok(tr.tooLarge >= 1, "the translation was declined");
  assert.equal(tr.translations, 0);
  assert.equal(tr.pageFn(0), null);
});
