/**
 * U-mode `ecall`s answered by the host's hook from inside translated code
 * (`hw/jit_ecall.ts`): the same program, hook and `run` budgets under both
 * engines must see every call at the same pc, instruction count and cycle,
 * and end in the same state, through the hook's outcomes (resumed, declined,
 * serviced), clock events it schedules, TLB flushes and code it rewrites.
 */

import assert from "node:assert/strict";
import { asm, BASE, load, machine, type TestMachine } from "./cpu_test_asm.ts";
import { harnessRecords, runEcallHarness } from "./ecall_harness.ts";

const A0 = 10, A7 = 17;
const LOOPS = 2000;
const PROGRAM = [
  asm.addi(5, 0, 0),
  asm.addi(6, 0, LOOPS),
  asm.nop(),
  asm.lui(8, 0x80010), // data page
  asm.addi(A7, 5, 1), // 16: loop
  asm.ecall(), // 20
  asm.addi(5, 5, 1), // 24
  asm.r("add", 7, 7, A0),
  asm.sw(7, 8, 0),
  asm.bne(5, 6, -20), // 36
  asm.jal(0, 0), // 40
];

/** What the hook saw at one call. */
type Seen = [pc: number, instret: number, now: number, a7: number, x7: number];

/** Runs PROGRAM in U-mode under `engine`, the hook varying its answer by call number. */
function runWith(engine: "interp" | "jit"): { m: TestMachine; seen: Seen[] } {
  const m = machine(PROGRAM, { engine, hotThreshold: 50 });
  const cpu = m.cpu;
  const seen = runEcallHarness<Seen>(m, {
    start: BASE,
    end: BASE + 40,
    seed: 12345,
    span: 400,
    guard: 100_000,
    record: () => [cpu.sepc, cpu.instret, m.clock.now, cpu.x[A7], cpu.x[7]],
    vary: (calls) => {
      if (calls % 53 === 0) cpu.mmu.flush(); // as a host changing mappings
      if (calls % 113 === 0) load(m.ram, 24, [asm.addi(5, 5, 1)]); // same code, drops it
    },
  });
  return { m, seen };
}

Deno.test("ecalls from translated code: same calls, cycles and state as the interpreter", () => {
  const a = runWith("interp");
  const b = runWith("jit");
  assert.equal(a.seen.length, harnessRecords(LOOPS));
  assert.deepStrictEqual(b.seen, a.seen);
  assert.deepStrictEqual([...b.m.cpu.x], [...a.m.cpu.x]);
  assert.equal(b.m.cpu.pc, a.m.cpu.pc);
  assert.equal(b.m.cpu.instret, a.m.cpu.instret);
  assert.equal(b.m.clock.now, a.m.clock.now);
  assert.equal(b.m.cpu.mmu.hits, a.m.cpu.mmu.hits);
  const tr = b.m.cpu.translator!;
  assert.ok(tr.ecalls > LOOPS / 2, `${tr.ecalls} calls answered from page functions`);
});
