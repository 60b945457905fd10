/**
 * A page function's cycle budget (`ROOM` of `hw/translator_emit.ts`): it
 * counts its cycles as a small integer on top of the count it was entered
 * with, against the room left before the next clock event, capped at
 * 2^30 - 1. Whatever the clock's count (past 2^32 it is no small integer)
 * and however near or far the next event, a translated loop must stop for
 * each event at the same cycle, pc and instruction as the interpreter.
 */

import assert from "node:assert/strict";
import { asm, machine } from "./cpu_test_asm.ts";

// A counting loop with a load-free body and a taken back-edge, then a spin.
const LOOP = [
  asm.addi(1, 0, 0),
  asm.lui(2, 0x30), // 0x30000 iterations
  asm.addi(1, 1, 1), // 8: loop
  asm.addi(3, 3, 5), // 12
  asm.r("xor", 4, 4, 3), // 16
  asm.bne(1, 2, -12), // 20
  asm.jal(0, 0), // 24: spins
];

interface Seen {
  at: number[];
  pc: number[];
  instret: number[];
}

/** Runs LOOP from clock count `start` with events `delays` after it; where each fired, and the end. */
function runWith(engine: "interp" | "jit", start: number, delays: number[]) {
  const m = machine(LOOP, { engine, hotThreshold: 16 });
  m.clock.now = start;
  const seen: Seen = { at: [], pc: [], instret: [] };
  for (const d of delays) {
    m.clock.schedule(d, () => {
      seen.at.push(m.clock.now - start);
      seen.pc.push(m.cpu.pc);
      seen.instret.push(m.cpu.instret);
    });
  }
  for (let i = 0; i < 40 && m.cpu.pc !== 0x8000_0018; i++) m.cpu.run(50_000);
  return { m, seen };
}

for (
  const [name, start] of [
    ["from cycle 0", 0],
    ["past 2^32 cycles", 2 ** 32 + 12_345],
    ["past 2^50 cycles", 2 ** 50 + 7],
  ] as const
) {
  Deno.test(`a translated loop stops for near and far events as the interpreter does, ${name}`, () => {
    // Near events (some inside one block's cycles), and one past the
    // 2^30 cap that never comes during the run.
    const delays = [3, 4, 97, 1_000, 1_001, 65_537, 300_000, 2 ** 33];
    const a = runWith("interp", start, delays);
    const b = runWith("jit", start, delays);
    assert.ok(b.m.cpu.translator!.translations > 0, "the loop was translated");
    assert.deepStrictEqual(b.seen, a.seen);
    assert.equal(a.seen.at.length, delays.length - 1);
    assert.deepStrictEqual([...b.m.cpu.x], [...a.m.cpu.x]);
    assert.equal(b.m.cpu.pc, a.m.cpu.pc);
    assert.equal(b.m.cpu.instret, a.m.cpu.instret);
    assert.equal(b.m.clock.now, a.m.clock.now);
    assert.equal(a.m.cpu.x[1], 0x30000);
  });
}
