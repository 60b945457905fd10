/**
 * Translations linked across pages (`hw/translator.ts`, "Linking"): a U-mode
 * loop on one page calls stubs on another page (`auipc; jalr`, an `ecall`
 * inside, a branch, `ret`), under Sv32. Both engines run it with random
 * `run` budgets and must see every system call at the same pc, instruction
 * count and cycle, and end with the same registers, clock, TLB hit count and
 * RAM, while the host remaps the stub page to other code, rewrites the stub
 * code, and the guest stores into the stub page (data, then code).
 */

import assert from "node:assert/strict";
import { asm, BASE, load, machine, type TestMachine } from "./cpu_test_asm.ts";
import { assertSameEnd, harnessRecords, runEcallHarness } from "./ecall_harness.ts";

const A0 = 10, A1 = 11, A7 = 17, RA = 1;
const LOOPS = 2000;
const ROOT = 0x10000, L2 = 0x11000; // page tables (RAM offsets)
const MAIN = 0x20000, STUB = 0x21000, STUB2 = 0x22000, DATA = 0x23000; // RAM offsets
const VA = 0x0040_0000; // main at VA, the stub page at VA + 0x1000, data at VA + 0x2000
const PTE_CODE = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x40 | 0x80; // V R W X U A D

/** The loop: calls the stub at +0 and the one at +0x100 of the next page, stores, counts. */
const PROGRAM = [
  asm.addi(5, 0, 0), // 0
  asm.addi(6, 0, LOOPS), // 4
  asm.lui(8, (VA + 0x2000) >>> 12), // 8: data
  asm.lui(12, (VA + 0x1000) >>> 12), // 12: x12 = stub page
  asm.addi(12, 12, 0x7f0), // 16: x12 = a data word of the stub page
  asm.auipc(RA, 1), // 20: loop
  asm.jalr(RA, RA, -20), // 24: call VA + 0x1000
  asm.r("add", 7, 7, A0), // 28
  asm.auipc(RA, 1), // 32
  asm.jalr(RA, RA, 0x100 - 32), // 36: call VA + 0x1100
  asm.r("add", 7, 7, A0), // 40
  asm.sw(7, 8, 0), // 44
  asm.sw(9, 12, 0), // 48: into the stub page (data; later its code)
  asm.addi(5, 5, 1), // 52
  asm.bne(5, 6, -36), // 56: to 20
  asm.jal(0, 0), // 60
];

/** A stub: a7 = i + 1, ecall, a0 += `k`, return. */
function stub(k: number): number[] {
  return [asm.addi(A7, 5, 1), asm.ecall(), asm.addi(A0, A0, k), asm.jalr(0, RA, 0)];
}

/** The second stub (at +0x100): a0 = i, plus 2 when i is a multiple of 4. */
const STUB_B = [
  asm.addi(A0, 5, 0),
  asm.andi(A1, 5, 3),
  asm.bne(A1, 0, 8),
  asm.addi(A0, A0, 2),
  asm.jalr(0, RA, 0),
];

/** What the guest later stores over the stub's `addi a0` (another increment). */
const CODE_WORD = asm.addi(A0, A0, 3);

/** Maps `vpn0` of the 4 MiB region at VA to RAM offset `off`. */
function map(m: TestMachine, vpn0: number, off: number): void {
  const pte = ((((BASE + off) >>> 12) << 10) | PTE_CODE) >>> 0;
  m.ram.i32[(L2 >> 2) + vpn0] = pte | 0;
}

/**
 * Runs PROGRAM in U-mode under `engine`; the host varies the mapping and
 * code by call number. `chained` counts the calls at which WebAssembly page
 * functions would chain into the main page's linked translation for the
 * stub page.
 */
function runWith(
  engine: "interp" | "jit",
  jitBackend: "auto" | "wasm" = "auto",
): { m: TestMachine; seen: number[][]; chained: number } {
  const m = machine([], { engine, jitBackend, hotThreshold: 40 });
  let chained = 0;
  const { cpu, ram } = m;
  load(ram, MAIN, PROGRAM);
  load(ram, STUB, stub(1));
  load(ram, STUB + 0x100, STUB_B);
  load(ram, STUB2, stub(7));
  load(ram, STUB2 + 0x100, STUB_B);
  ram.i32[(ROOT >> 2) + 1] = ((((BASE + L2) >>> 12) << 10) | 1) | 0;
  map(m, 0, MAIN);
  map(m, 1, STUB);
  map(m, 2, DATA);
  cpu.writeCsr(0x180, ((1 << 31) | (5 << 22) | ((BASE + ROOT) >>> 12)) >>> 0);
  const seen = runEcallHarness(m, {
    start: VA,
    end: VA + 60,
    seed: 4242,
    span: 600,
    guard: 200_000,
    record: () => [cpu.sepc, cpu.instret, m.clock.now, cpu.x[A7], cpu.x[7], cpu.mmu.hits],
    vary: (calls) => {
      const tr = cpu.translator;
      const held = tr?.wasm?.heldBy(STUB >>> 12) ?? 0;
      if (held !== 0 && held === tr!.slot[MAIN >>> 12]) chained++;
      if (calls === 500) {
        map(m, 1, STUB2); // the stub page now holds other code
        cpu.mmu.flush();
      }
      if (calls === 800) load(ram, STUB2 + 8, [asm.addi(A0, A0, 5)]); // rewrites the stub
      if (calls === 1000) {
        map(m, 1, STUB);
        cpu.mmu.flush();
      }
      if (calls === 1200) {
        cpu.x[12] = VA + 0x1008; // the guest's store now hits the stub's code
        cpu.x[9] = CODE_WORD; // (another instruction)
      }
      if (calls === 1400) cpu.x[12] = VA + 0x17f0;
    },
  });
  return { m, seen, chained };
}

for (const backend of ["auto", "wasm"] as const) {
  Deno.test(`calls into another page's stubs: linked translations (${backend}) agree with the interpreter`, () => {
    linkedStubs(backend);
  });
}

function linkedStubs(backend: "auto" | "wasm"): void {
  const a = runWith("interp");
  const b = runWith("jit", backend);
  assert.equal(a.seen.length, harnessRecords(LOOPS));
  assert.equal(a.m.cpu.pc, VA + 60);
  for (let i = 0; i < a.seen.length; i++) {
    assert.deepStrictEqual(b.seen[i], a.seen[i], `call ${i + 1}`);
  }
  assertSameEnd(b.m, a.m);
  const tr = b.m.cpu.translator!;
  assert.ok(tr.linkedTranslations > 0, "no translation was linked to the stub page");
  assert.ok(tr.ecalls > LOOPS / 2, `${tr.ecalls} calls answered from page functions`);
  // WebAssembly functions that reach the stub page chain into the linked translation holding it.
  if (backend === "wasm") {
    assert.ok(b.chained > 0, "the stub page's blocks were never held for chaining");
  }
}
