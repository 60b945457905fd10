/**
 * TLB refills inside the inner loop (`hw/tlb_refill.ts`), under the
 * interpreter and under the translator (whose page functions leave on a
 * miss): a loop in S-mode under Sv32 walks 64 data pages
 * (half of them without the D bit, so stores update their PTEs) and
 * flushes the TLB after every pass, while clock events fire at scattered
 * cycles (some inside a walk's or a segment's cycles). The interpreter and
 * the translator must agree at every event and at the end: pc,
 * instructions, cycles, TLB misses and hits, registers and RAM (the page
 * tables' A and D bits included).
 */

import assert from "node:assert/strict";
import { PTE } from "../../hw/mmu.ts";
import { asm, BASE, load, machine, type TestMachine } from "./cpu_test_asm.ts";

const SATP = 0x180, MTVEC = 0x305;
const { V, R, W, X, A, D } = PTE;
const ROOT = 0x10000, L0 = 0x11000, DATA = 0x40000, PAGES = 64, PASSES = 120;
const DATA_VA = 0x0040_0000;

function pte(paddr: number, flags: number): number {
  return ((Math.floor(paddr / 4096) << 10) | flags) >>> 0;
}

// x10 data base, x11 pages, x12 passes left; x6 a running sum.
const PROGRAM = [
  asm.lui(10, DATA_VA >>> 12), // 0
  asm.addi(11, 0, PAGES), // 4
  asm.addi(12, 0, PASSES), // 8
  asm.addi(13, 10, 0), // 12: pass
  asm.addi(14, 11, 0), // 16
  asm.lw(5, 13, 0), // 20: page
  asm.r("add", 6, 6, 5), // 24
  asm.sw(6, 13, 4), // 28
  asm.lui(7, 1), // 32
  asm.r("add", 13, 13, 7), // 36
  asm.addi(14, 14, -1), // 40
  asm.bne(14, 0, -24), // 44: to page
  asm.sfenceVma(0, 0), // 48
  asm.addi(12, 12, -1), // 52
  asm.bne(12, 0, -44), // 56: to pass
  asm.jal(0, 0), // 60: spins
];
const END = BASE + 60;

function paged(engine: "interp" | "jit"): TestMachine {
  const m = machine(PROGRAM, { engine, hotThreshold: 16 });
  const i32 = m.ram.i32;
  i32[(ROOT >> 2) + 0x200] = pte(BASE, V | R | W | X | A | D); // code: a superpage
  i32[(ROOT >> 2) + (DATA_VA >>> 22)] = pte(BASE + L0, V);
  for (let p = 0; p < PAGES; p++) {
    // Even pages lack D: the first store of each pass sets it again... once.
    i32[(L0 >> 2) + p] = pte(BASE + DATA + p * 4096, V | R | W | A | (p & 1 ? D : 0));
    i32[(DATA + p * 4096) >> 2] = p * 7 + 1;
  }
  m.cpu.writeCsr(SATP, (0x8000_0000 | (1 << 22) | ((BASE + ROOT) >>> 12)) >>> 0);
  m.cpu.writeCsr(MTVEC, BASE + 0x800);
  load(m.ram, 0x800, [asm.jal(0, 0)]);
  m.cpu.priv = 1; // S
  return m;
}

/** A small deterministic PRNG (xorshift32). */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

function runWith(engine: "interp" | "jit", seed: number) {
  const m = paged(engine);
  const seen: string[] = [];
  const next = rng(seed);
  for (let i = 0; i < 400; i++) {
    m.clock.schedule(1 + (next() % 300_000), () => {
      const { pc, instret } = m.cpu;
      seen.push(`${m.clock.now} ${pc} ${instret} ${m.cpu.mmu.misses}`);
    });
  }
  for (let i = 0; i < 200 && m.cpu.pc !== END; i++) m.cpu.run(5_000);
  return { m, seen };
}

for (const seed of [1, 0x9e37_79b9, 12_345]) {
  Deno.test(`TLB refills in the loop agree between engines, seed ${seed}`, () => {
    const a = runWith("interp", seed);
    const b = runWith("jit", seed);
    assert.equal(a.m.cpu.pc, END, "the interpreter finished the loop");
    assert.ok(b.m.cpu.translator!.translations > 0, "the loop was translated");
    assert.ok(a.m.cpu.loopRefills > PAGES * (PASSES - 2), "the interpreter refilled in the loop");
    assert.ok(b.m.cpu.loopRefills > PAGES, "so did the translator's inner loop");
    assert.deepStrictEqual(b.seen, a.seen);
    assert.equal(a.seen.length, 400);
    assert.deepStrictEqual([...b.m.cpu.x], [...a.m.cpu.x]);
    assert.equal(b.m.cpu.pc, a.m.cpu.pc);
    assert.equal(b.m.cpu.instret, a.m.cpu.instret);
    assert.equal(b.m.clock.now, a.m.clock.now);
    assert.equal(b.m.cpu.mmu.misses, a.m.cpu.mmu.misses);
    assert.equal(b.m.cpu.mmu.hits, a.m.cpu.mmu.hits);
    assert.deepStrictEqual(b.m.ram.u8, a.m.ram.u8);
    // Every pass missed on every page (the flush), and the stores set D.
    assert.ok(a.m.cpu.mmu.misses >= PAGES * PASSES * 2);
    assert.equal(a.m.ram.i32[L0 >> 2] & D, D);
  });
}

Deno.test("an event due within a missing load's cycles comes before the load, as on the slow path", () => {
  // The load's own cycles reach the event: the loop leaves, the event (a
  // DMA-like write of the word) fires, then the slow path loads.
  const m = paged("interp");
  load(m.ram, 0, [asm.lw(5, 10, 0), asm.jal(0, 0)]);
  m.cpu.x[10] = DATA_VA;
  m.cpu.pc = BASE;
  m.clock.schedule(1, () => {
    m.ram.i32[DATA >> 2] = 0x5eed;
  });
  m.cpu.run(2);
  assert.equal(m.cpu.x[5], 0x5eed);
});
