/**
 * The same code at other RAM pages has the same page-function source: a
 * unit names its RAM pages (`P0`, `P1`, ...; `UnitSource.phys`) instead of
 * writing them as literals, so that a program run again, whose code an
 * exec copies into other RAM pages, reuses the JavaScript factory or
 * WebAssembly module V8 compiled for the first run. Two copies of one
 * loop, at RAM pages 2 and 3, called in turn: the second copy's
 * translation compiles nothing, and both run as interpreted.
 */

import assert from "node:assert/strict";
import { asm, load, machine } from "./cpu_test_asm.ts";
import { factoriesMade } from "../../hw/page_fn.ts";
import { modulesMade } from "../../hw/page_fn_wasm.ts";

const CALLER = [
  asm.auipc(6, 2), // 0: x6 = copy A (RAM page 2)
  asm.jalr(5, 6, 0), // 4: call it
  asm.auipc(6, 3), // 8
  asm.addi(6, 6, -8), // 12: x6 = copy B (RAM page 3)
  asm.jalr(5, 6, 0), // 16: call it
  asm.jal(0, 0), // 20: spins
];
const COPY = [
  asm.addi(1, 0, 0),
  asm.addi(2, 0, 2000),
  asm.addi(1, 1, 1), // 8: loop
  asm.addi(3, 3, 2),
  asm.bne(1, 2, -8),
  asm.jalr(0, 5, 0), // 20: return
];
const STEPS = 6 + 2 * (3 + 3 * 2000 + 1);

for (const jitBackend of ["js", "wasm"] as const) {
  Deno.test(`the same code at another RAM page reuses its compiled source (${jitBackend})`, () => {
    const made = jitBackend === "js" ? factoriesMade : modulesMade;
    const run = (engine: "interp" | "jit") => {
      const m = machine(CALLER, { engine, jitBackend, hotThreshold: 64 });
      load(m.ram, 0x2000, COPY);
      load(m.ram, 0x3000, COPY);
      return m;
    };
    const interp = run("interp"), jit = run("jit");
    interp.cpu.run(STEPS);
    // Copy A: until the caller is back from it (x5 is the return address).
    const tr = jit.cpu.translator!;
    jit.cpu.run(2 + 3 + 3 * 2000 + 1);
    assert.notEqual(tr.pageFn(2), null, "copy A is translated");
    const before = made();
    jit.cpu.run(STEPS - jit.cpu.instret);
    assert.notEqual(tr.pageFn(3), null, "copy B is translated");
    assert.notEqual(tr.pageFn(3), tr.pageFn(2), "each page has a function of its own");
    assert.equal(made(), before, "copy B's translation compiled nothing new");
    assert.deepStrictEqual([...jit.cpu.x], [...interp.cpu.x]);
    assert.equal(jit.cpu.pc, interp.cpu.pc);
    assert.equal(jit.cpu.instret, interp.cpu.instret);
    assert.equal(jit.clock.now, interp.clock.now);
    assert.equal(jit.cpu.x[3], 2 * 2 * 2000);
  });
}
