/**
 * A JavaScript page function runs at most `ENTRY_SPAN` instructions per
 * call (`hw/translator_policy.ts`): a loop that never leaves its page,
 * with no event due and a large budget, still returns to the inner loop
 * that often, and is entered again at the same pc, instruction and cycle
 * as the interpreter runs them. A WebAssembly page function runs to the
 * run's limit.
 */

import assert from "node:assert/strict";
import { ENTRY_SPAN } from "../../hw/translator_policy.ts";
import { asm, machine } from "./cpu_test_asm.ts";

// A counting loop of 2^20 iterations (four instructions each), then a spin.
const LOOP = [
  asm.addi(1, 0, 0),
  asm.lui(2, 0x100),
  asm.addi(1, 1, 1), // 8: loop
  asm.addi(3, 3, 5),
  asm.r("xor", 4, 4, 3),
  asm.bne(1, 2, -12),
  asm.jal(0, 0), // 24: spins
];

/**
 * Runs LOOP to its spin in one `run` call under the translator (back end
 * `jitBackend`) and the interpreter, asserts that they agree, and returns
 * the translator.
 */
function translated(jitBackend: "js" | "wasm") {
  const run = (engine: "interp" | "jit") => {
    const m = machine(LOOP, { engine, hotThreshold: 16, jitBackend });
    m.cpu.run(4 * 0x100000 + 2);
    return m;
  };
  const a = run("interp"), b = run("jit");
  assert.equal(a.cpu.pc, 0x8000_0018);
  assert.equal(b.cpu.pc, a.cpu.pc);
  assert.equal(b.cpu.instret, a.cpu.instret);
  assert.equal(b.clock.now, a.clock.now);
  assert.deepStrictEqual([...b.cpu.x], [...a.cpu.x]);
  const tr = b.cpu.translator!;
  assert.ok(tr.translations > 0, "the loop was translated");
  return tr;
}

Deno.test("a JavaScript page function returns to the inner loop at least every ENTRY_SPAN instructions", () => {
  const tr = translated("js");
  // Without the span, one call runs the whole loop (a handful of entries).
  const least = Math.floor(4 * 0x100000 / ENTRY_SPAN) - 1;
  assert.ok(tr.entered >= least, `${tr.entered} entries, at least ${least} expected`);
});

Deno.test("a WebAssembly page function runs a loop to the run's limit", () => {
  const tr = translated("wasm");
  assert.ok(tr.wasm!.units > 0, "the loop was compiled to WebAssembly");
  assert.ok(tr.entered < 8, `${tr.entered} entries`);
});
