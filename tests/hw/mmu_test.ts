import assert from "node:assert/strict";
import { PRIV, StopReason } from "../../hw/cpu.ts";
import { ACCESS, PTE } from "../../hw/mmu.ts";
import { asm, BASE, load, machine, type TestMachine } from "./cpu_test_asm.ts";

const SATP = 0x180, MSTATUS = 0x300, MTVEC = 0x305, SUM = 1 << 18, MXR = 1 << 19;
const { V, R, W, X, U, A, D } = PTE;
const ROOT = 0x10000, L0 = 0x11000; // RAM offsets of the page tables

function pte(paddr: number, flags: number): number {
  return ((Math.floor(paddr / 4096) << 10) | flags) >>> 0;
}

/** Sv32 machine: code identity-mapped by a superpage, a U data page at 0x0040_0000. */
function paged(program: number[], dataFlags = V | R | W | U | A | D): TestMachine {
  const m = machine(program);
  const i32 = m.ram.i32;
  i32[(ROOT >> 2) + 0x200] = pte(BASE, V | R | W | X | A | D); // 0x8000_0000 superpage
  i32[(ROOT >> 2) + 1] = pte(BASE + L0, V); // 0x0040_0000 -> L0
  i32[(L0 >> 2) + 0] = pte(BASE + 0x20000, dataFlags);
  i32[0x20000 >> 2] = 0x1234_5678;
  m.cpu.writeCsr(SATP, (0x8000_0000 | (1 << 22) | ((BASE + ROOT) >>> 12)) >>> 0);
  m.cpu.writeCsr(MTVEC, BASE + 0x800);
  load(m.ram, 0x800, [asm.jal(0, 0)]);
  m.cpu.priv = PRIV.S;
  return m;
}

Deno.test("Sv32 walk: superpage code, 4 KiB data page, SUM gate for S on U pages", () => {
  const m = paged([asm.lw(5, 10, 0), asm.lw(6, 10, 0)]);
  m.cpu.x[10] = 0x0040_0000;
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 13);
  assert.equal(m.cpu.mtval, 0x0040_0000);
  m.cpu.priv = PRIV.S;
  m.cpu.pc = BASE;
  m.cpu.writeCsr(MSTATUS, SUM);
  m.cpu.run(2);
  assert.equal(m.cpu.x[5], 0x1234_5678);
  assert.equal(m.cpu.x[6], 0x1234_5678);
  assert.ok(m.cpu.mmu.hits >= 1, "second load hits the TLB");
  assert.ok(m.cpu.mmu.misses >= 2);
});

Deno.test("permission faults: store to read-only, fetch from non-X, U access to S page", () => {
  const m = paged([asm.sw(0, 10, 0)], V | R | U | A | D);
  m.cpu.writeCsr(MSTATUS, SUM);
  m.cpu.x[10] = 0x0040_0010;
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 15);
  assert.equal(m.cpu.mtval, 0x0040_0010);
  // Fetch from the U data page (no X) in U-mode.
  const f = paged([]);
  f.cpu.priv = PRIV.U;
  f.cpu.pc = 0x0040_0000;
  f.cpu.run(1);
  assert.equal(f.cpu.mcause, 12);
  assert.equal(f.cpu.mtval, 0x0040_0000);
  // U load from the S-only superpage.
  const u = paged([asm.lw(5, 10, 0)]);
  const i32 = u.ram.i32;
  i32[(ROOT >> 2) + 0x200] = pte(BASE, V | R | W | X | U | A | D); // make code U so U can run
  i32[(ROOT >> 2) + 0x201] = pte(BASE + 0x40_0000, V | R | W | A | D); // S-only superpage
  u.cpu.priv = PRIV.U;
  u.cpu.x[10] = 0x8040_0000;
  u.cpu.run(1);
  assert.equal(u.cpu.mcause, 13);
});

Deno.test("MXR makes execute-only pages readable", () => {
  const m = paged([asm.lw(5, 10, 0), asm.lw(5, 10, 0)], V | X | U | A | D);
  m.cpu.writeCsr(MSTATUS, SUM);
  m.cpu.x[10] = 0x0040_0000;
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 13);
  m.cpu.priv = PRIV.S;
  m.cpu.pc = BASE;
  m.cpu.writeCsr(MSTATUS, SUM | MXR);
  m.cpu.run(1);
  assert.equal(m.cpu.x[5], 0x1234_5678);
});

Deno.test("hardware A/D update (Svadu default) and page faults when ADUE is off", () => {
  const m = paged([asm.lw(5, 10, 0), asm.sw(5, 10, 4)], V | R | W | U);
  m.cpu.writeCsr(MSTATUS, SUM);
  m.cpu.x[10] = 0x0040_0000;
  m.cpu.run(1);
  let p = m.ram.i32[L0 >> 2];
  assert.equal(p & (A | D), A);
  m.cpu.run(1);
  p = m.ram.i32[L0 >> 2];
  assert.equal(p & (A | D), A | D);
  const s = paged([asm.lw(5, 10, 0)], V | R | W | U);
  s.cpu.writeCsr(0x31a, 0); // menvcfgh.ADUE = 0: Svade behaviour
  s.cpu.writeCsr(MSTATUS, SUM);
  s.cpu.x[10] = 0x0040_0000;
  s.cpu.run(1);
  assert.equal(s.cpu.mcause, 13);
  assert.equal(s.ram.i32[L0 >> 2] & A, 0);
});

Deno.test("misaligned superpage and reserved W-without-R PTEs fault; non-RAM PTE is an access fault", () => {
  const m = paged([asm.lw(5, 10, 0)]);
  m.ram.i32[(ROOT >> 2) + 2] = pte(BASE + 0x1000, V | R | W | A | D); // ppn[0] != 0
  m.cpu.x[10] = 0x0080_0000;
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 13);
  const w = paged([asm.sw(5, 10, 0)], V | W | U | A | D);
  w.cpu.writeCsr(MSTATUS, SUM);
  w.cpu.x[10] = 0x0040_0000;
  w.cpu.run(1);
  assert.equal(w.cpu.mcause, 15);
  const n = paged([asm.lw(5, 10, 0)]);
  n.ram.i32[(ROOT >> 2) + 3] = pte(0x1000_0000, V); // next level in a device hole
  n.cpu.x[10] = 0x00c0_0000;
  n.cpu.run(1);
  assert.equal(n.cpu.mcause, 5);
});

/**
 * A second page-table root at 0x30000 (kernel megapage as the first; user
 * page 0x0040_0000 on RAM page 0x22000, which holds 99); returns its offset.
 */
function secondRoot(m: { ram: { i32: Int32Array } }): number {
  const root2 = 0x30000, l02 = 0x31000;
  const i32 = m.ram.i32;
  i32[(root2 >> 2) + 0x200] = pte(BASE, V | R | W | X | A | D);
  i32[(root2 >> 2) + 1] = pte(BASE + l02, V);
  i32[l02 >> 2] = pte(BASE + 0x22000, V | R | W | U | A | D);
  i32[0x22000 >> 2] = 99;
  return root2;
}

Deno.test("TLB: SFENCE.VMA by address, ASID-tagged entries survive satp switches", () => {
  const m = paged([asm.lw(5, 10, 0), asm.sfenceVma(10, 0), asm.lw(6, 10, 0)]);
  m.cpu.writeCsr(MSTATUS, SUM);
  m.cpu.x[10] = 0x0040_0000;
  m.cpu.run(1);
  // Remap behind the TLB's back: without a flush the old translation stays.
  m.ram.i32[L0 >> 2] = pte(BASE + 0x21000, V | R | W | U | A | D);
  m.ram.i32[0x21000 >> 2] = 77;
  const flushes = m.cpu.mmu.flushes;
  m.cpu.run(2);
  assert.equal(m.cpu.mmu.flushes, flushes + 1);
  assert.equal(m.cpu.x[6], 77);
  // A second address space with ASID 2 and its own root.
  const root2 = secondRoot(m);
  const satp1 = m.cpu.readCsr(SATP);
  const satp2 = (0x8000_0000 | (2 << 22) | ((BASE + root2) >>> 12)) >>> 0;
  load(m.ram, 0x100, [asm.lw(7, 10, 0)]);
  const run1 = (satp: number) => {
    m.cpu.writeCsr(SATP, satp);
    m.cpu.priv = PRIV.S;
    m.cpu.pc = BASE + 0x100;
    m.cpu.run(1);
    return m.cpu.x[7];
  };
  assert.equal(run1(satp2), 99);
  assert.equal(run1(satp1), 77);
  const misses = m.cpu.mmu.misses;
  assert.equal(run1(satp2), 99);
  assert.equal(m.cpu.mmu.misses, misses, "switching back to ASID 2 reuses its entries");
  // Flush by ASID drops only that ASID's entries.
  m.cpu.mmu.flush(undefined, 2);
  assert.equal(run1(satp1), 77);
  assert.equal(m.cpu.mmu.misses, misses);
  assert.equal(run1(satp2), 99);
  assert.ok(m.cpu.mmu.misses > misses);
});

Deno.test("setSv32Space selects a space as a satp write does, and a new root flushes its ASID", () => {
  const m = paged([asm.lw(5, 10, 0)]);
  m.cpu.writeCsr(MSTATUS, SUM);
  m.cpu.x[10] = 0x0040_0000;
  const rootPpn = (BASE + ROOT) >>> 12;
  m.cpu.writeCsr(SATP, 0);
  m.cpu.setSv32Space(3, rootPpn);
  assert.equal(m.cpu.readCsr(SATP), (0x8000_0000 | (3 << 22) | rootPpn) >>> 0);
  assert.equal(m.cpu.mmu.asid, 3);
  m.cpu.run(1);
  assert.equal(m.cpu.x[5], 0x1234_5678);
  // The same ASID with another root: its old entries must go.
  const root2 = secondRoot(m);
  const flushes = m.cpu.mmu.flushes;
  m.cpu.setSv32Space(3, (BASE + root2) >>> 12);
  assert.equal(m.cpu.mmu.flushes, flushes + 1);
  m.cpu.priv = PRIV.S;
  m.cpu.pc = BASE;
  m.cpu.run(1);
  assert.equal(m.cpu.x[5], 99);
  // Switching back and forth between roots of different ASIDs flushes nothing.
  m.cpu.setSv32Space(4, rootPpn);
  m.cpu.setSv32Space(3, (BASE + root2) >>> 12);
  m.cpu.setSv32Space(4, rootPpn);
  assert.equal(m.cpu.mmu.flushes, flushes + 1);
});

Deno.test("flush by ASID drops exactly that ASID's entries, logged or past the log", () => {
  for (const pages of [20, 600]) {
    const m = paged([asm.jal(0, 0)]);
    const mmu = m.cpu.mmu;
    const rootPpn = (BASE + ROOT) >>> 12;
    const fill = (asid: number) => {
      m.cpu.setSv32Space(asid, rootPpn);
      for (let k = 0; k < pages; k++) {
        assert.ok(mmu.translate(BASE + k * 4096, ACCESS.LOAD, PRIV.S) >= 0);
      }
    };
    const count = (asid: number) => mmu.tags.filter((t) => t !== -1 && (t & 0x1ff) === asid).length;
    fill(5);
    fill(6);
    const six = count(6);
    assert.ok(count(5) > 0 && six > 0);
    mmu.flush(undefined, 5);
    assert.equal(count(5), 0, `${pages} pages`);
    assert.equal(count(6), six, "other ASIDs keep their entries");
    // Refill after the flush, then flush again: the log starts over.
    fill(5);
    assert.ok(count(5) > 0);
    mmu.flush(undefined, 5);
    assert.equal(count(5), 0);
    mmu.flush();
    assert.equal(count(6), 0);
    fill(6);
    mmu.flush(undefined, 6);
    assert.equal(count(6), 0);
  }
});

Deno.test("MPRV: M-mode loads translate with MPP's privilege", () => {
  const m = paged([asm.lw(5, 10, 0)]);
  m.cpu.priv = PRIV.M;
  m.cpu.writeCsr(MSTATUS, (1 << 17) | (1 << 11) | SUM);
  m.cpu.x[10] = 0x0040_0000;
  m.cpu.run(1);
  assert.equal(m.cpu.x[5], 0x1234_5678);
});

Deno.test("base/limit unit: U addresses relocate by sbase, fault at slimit; S is bare", () => {
  const m = machine([], { mmu: "baselimit" });
  m.cpu.writeCsr(MTVEC, BASE + 0x800);
  load(m.ram, 0x800, [asm.jal(0, 0)]);
  const base = BASE + 0x40000;
  m.cpu.writeCsr(0x5c0, base);
  m.cpu.writeCsr(0x5c1, 0x3000);
  assert.equal(m.cpu.readCsr(0x5c0), base);
  assert.equal(m.cpu.readCsr(0x5c1), 0x3000);
  load(m.ram, 0x40000, [asm.lw(5, 0, 0x100), asm.sw(5, 0, 0x104), asm.lw(6, 10, 0)]);
  m.ram.i32[(0x40000 + 0x100) >> 2] = 4242;
  m.cpu.priv = PRIV.U;
  m.cpu.pc = 0;
  m.cpu.x[10] = 0x3000;
  m.cpu.run(3);
  assert.equal(m.cpu.x[5], 4242);
  assert.equal(m.ram.i32[(0x40000 + 0x104) >> 2], 4242);
  assert.equal(m.cpu.mcause, 5);
  assert.equal(m.cpu.mtval, 0x3000);
  assert.equal(m.cpu.mepc, 8);
  // Fetch beyond the limit.
  m.cpu.priv = PRIV.U;
  m.cpu.pc = 0x3000;
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 1);
  // sbase/slimit do not exist on an Sv32 CPU (illegal from S).
  const s = machine([asm.csrrs(5, 0x5c0, 0)]);
  s.cpu.writeCsr(MTVEC, BASE + 0x800);
  s.cpu.priv = PRIV.S;
  assert.equal(s.cpu.run(1), StopReason.BUDGET);
  assert.equal(s.cpu.mcause, 2);
});

Deno.test("page walks cost cycles per level; TLB hits cost nothing extra", () => {
  const m = paged([asm.lw(5, 10, 0), asm.lw(6, 10, 4)]);
  m.cpu.writeCsr(MSTATUS, SUM);
  m.cpu.x[10] = 0x0040_0000;
  m.cpu.run(1); // fetch walk: superpage (1 level); data walk: 2 levels
  const afterFirst = m.clock.now;
  assert.equal(afterFirst, 10 + 2 * 10 + 2);
  m.cpu.run(1);
  assert.equal(m.clock.now, afterFirst + 2);
  m.cpu.mmu.flush();
  assert.equal(m.cpu.mmu.tags.every((t) => t === -1), true);
});
