/**
 * Chained segments in a page function (`hw/translator_emit.ts`, `Chain`):
 * a U-mode loop calls a stub on another page (`auipc; jalr`, `li a7`,
 * `ecall`, `addi`, `ret`) under Sv32, so one case holds the call, the
 * stub's first segment and its `ecall` behind a single budget check. At
 * every call the hook schedules a clock event 1 to 17 cycles ahead, so
 * events fall on every instruction of the chain, and the `run` budgets are
 * random: both engines must fire each event at the same instruction count
 * and cycle, see every call the same way, and end in the same state.
 */

import assert from "node:assert/strict";
import { BASE, load, machine, type TestMachine } from "./cpu_test_asm.ts";
import { A7, LOOPS, PROGRAM, PTE, STUB_CODE, VA } from "./stub_call_program.ts";
import { assertSameEnd, harnessRecords, runEcallHarness } from "./ecall_harness.ts";

const ROOT = 0x10000, L2 = 0x11000; // page tables (RAM offsets)
const MAIN = 0x20000, STUB = 0x21000, DATA = 0x23000; // RAM offsets

/** Maps page `vpn0` of the 4 MiB region at VA to RAM offset `off`. */
function map(m: TestMachine, vpn0: number, off: number): void {
  const pte = ((((BASE + off) >>> 12) << 10) | PTE) >>> 0;
  m.ram.i32[(L2 >> 2) + vpn0] = pte | 0;
}

/** Runs the loop under `engine`; returns the machine, the calls and the events seen. */
function runWith(
  engine: "interp" | "jit",
  jitBackend: "wasm" | "js" = "js",
): { m: TestMachine; seen: number[][]; events: number[][] } {
  const m = machine([], { engine, jitBackend, hotThreshold: 40 });
  const { cpu, ram, clock } = m;
  load(ram, MAIN, PROGRAM);
  load(ram, STUB, STUB_CODE);
  ram.i32[(ROOT >> 2) + 1] = ((((BASE + L2) >>> 12) << 10) | 1) | 0;
  map(m, 0, MAIN);
  map(m, 1, STUB);
  map(m, 2, DATA);
  cpu.writeCsr(0x180, ((1 << 31) | (5 << 22) | ((BASE + ROOT) >>> 12)) >>> 0);
  const events: number[][] = [];
  const seen = runEcallHarness(m, {
    start: VA,
    end: VA + 36,
    seed: 9001,
    span: 300,
    guard: 200_000,
    record: () => [cpu.sepc, cpu.instret, clock.now, cpu.x[A7], cpu.x[7], cpu.mmu.hits],
    vary: (calls) => {
      clock.schedule(1 + (calls % 17), () => events.push([calls, cpu.instret, clock.now]));
    },
  });
  return { m, seen, events };
}

for (const backend of ["js", "wasm"] as const) {
  Deno.test(`a chained budget check (${backend}): events on every instruction of a call, ecall and return agree with the interpreter`, () => {
    chainedBudget(backend);
  });
}

function chainedBudget(backend: "wasm" | "js"): void {
  const a = runWith("interp");
  const b = runWith("jit", backend);
  assert.equal(a.seen.length, harnessRecords(LOOPS));
  assert.equal(a.m.cpu.pc, VA + 36);
  for (let i = 0; i < a.seen.length; i++) assert.deepStrictEqual(b.seen[i], a.seen[i], `call ${i}`);
  assert.ok(a.events.length > LOOPS / 2, `${a.events.length} events`);
  for (let i = 0; i < a.events.length; i++) {
    assert.deepStrictEqual(b.events[i], a.events[i], `event ${i}`);
  }
  assert.equal(b.events.length, a.events.length);
  assertSameEnd(b.m, a.m);
  const tr = b.m.cpu.translator!;
  // JavaScript units link the stub's page (WebAssembly ones chain into it instead).
  if (backend === "js") assert.ok(tr.linkedTranslations > 0, "the stub page was not linked");
  else assert.ok(tr.wasm!.units > 0 && tr.wasm!.failed === 0, "nothing compiled to WebAssembly");
  assert.ok(tr.ecalls > LOOPS / 2, `${tr.ecalls} calls answered from page functions`);
}
