/**
 * Privileged-spec details found by the official conformance suite: 64-bit
 * minstret/mcycle write semantics and carries, PMP (TOR, NA4, NAPOT, lock,
 * S/U checks, page-walk checks) and the debug trigger module.
 */
import assert from "node:assert/strict";
import { PRIV } from "../../hw/cpu.ts";
import { PTE } from "../../hw/mmu.ts";
import { asm, BASE, load, machine } from "./cpu_test_asm.ts";

const MINSTRET = 0xb02, MINSTRETH = 0xb82, MCYCLE = 0xb00, MCYCLEH = 0xb80;
const MTVEC = 0x305, MEPC = 0x341;

/** An M-mode trap handler at +0x800 that skips the faulting 4-byte instruction. */
function skipHandler(m: ReturnType<typeof machine>) {
  m.cpu.writeCsr(MTVEC, BASE + 0x800);
  load(m.ram, 0x800, [
    asm.csrrs(20, MEPC, 0),
    asm.addi(20, 20, 4),
    asm.csrrw(0, MEPC, 20),
    asm.mret(),
  ]);
}

Deno.test("minstret: a write suppresses the writer's increment; exact carry into minstreth", () => {
  const m = machine([
    asm.csrrw(0, MINSTRET, 5), // minstret = -1 (x5)
    asm.csrrs(6, MINSTRET, 0), // reads -1: the write suppressed its own increment
    asm.csrrs(7, MINSTRETH, 0), // the read above retired: carry -> 1
    asm.csrrs(8, MINSTRET, 0), // 1
  ]);
  m.cpu.writeCsr(MINSTRETH, 0);
  m.cpu.x[5] = -1;
  m.cpu.run(4);
  assert.equal(m.cpu.x[6], -1);
  assert.equal(m.cpu.x[7], 1);
  assert.equal(m.cpu.x[8], 1);
  // High values beyond 2^53 stay exact, and wrap at 2^64.
  const h = machine([asm.csrrw(0, MINSTRETH, 5), asm.csrrw(0, MINSTRET, 5), asm.addi(0, 0, 0)]);
  h.cpu.x[5] = -1;
  h.cpu.run(3);
  assert.equal(h.cpu.readCsr(MINSTRET), 0);
  assert.equal(h.cpu.readCsr(MINSTRETH), 0, "0xffffffff_ffffffff + 1 wraps");
  assert.equal(h.cpu.instret, 3, "instret itself counts retired instructions");
});

Deno.test("mcycle/mcycleh writes replace one half; carries are exact", () => {
  const m = machine([asm.addi(0, 0, 0), asm.addi(0, 0, 0), asm.addi(0, 0, 0)]);
  m.cpu.writeCsr(MCYCLEH, 0xffff_ffff);
  m.cpu.writeCsr(MCYCLE, 0xffff_fffe);
  m.cpu.run(3); // 3 cycles: wraps through 2^64
  assert.equal(m.cpu.readCsr(MCYCLE), 1);
  assert.equal(m.cpu.readCsr(MCYCLEH), 0);
  assert.equal(m.cpu.readCsr(0xc80), 0, "cycleh mirrors mcycleh");
});

const PMPCFG0 = 0x3a0, PMPADDR0 = 0x3b0;
const R = 1, W = 2, X = 4, TOR = 1 << 3, NA4 = 2 << 3, NAPOT = 3 << 3, L = 0x80;

Deno.test("PMP CSRs are WARL: 16 entries, G = 0, W without R reads as 0, locks", () => {
  const m = machine();
  for (let i = 0; i < 16; i++) {
    m.cpu.writeCsr(PMPADDR0 + i, 0xffff_ffff);
    assert.equal(m.cpu.readCsr(PMPADDR0 + i), 0xffff_ffff, "all 32 bits (G = 0)");
  }
  m.cpu.writeCsr(PMPCFG0, 0x7f_00_02_9f);
  assert.equal(m.cpu.readCsr(PMPCFG0), 0x1f_00_00_9f, "W without R cleared, bits 5-6 reserved");
  // Entry 0 is locked: its cfg and address ignore writes.
  m.cpu.writeCsr(PMPCFG0, 0);
  assert.equal(m.cpu.readCsr(PMPCFG0) & 0xff, 0x9f);
  m.cpu.writeCsr(PMPADDR0, 5);
  assert.equal(m.cpu.readCsr(PMPADDR0), 0xffff_ffff);
  // A locked TOR entry also locks the address below it.
  m.cpu.writeCsr(0x3a1, (L | TOR | R) << 8); // entry 5 TOR locked
  m.cpu.writeCsr(PMPADDR0 + 4, 7);
  assert.equal(m.cpu.readCsr(PMPADDR0 + 4), 0xffff_ffff);
});

Deno.test("PMP: S/U accesses checked (TOR, NA4, NAPOT), M only when locked, partial match fails", () => {
  const m = machine([asm.lw(5, 10, 0), asm.sw(5, 10, 0), asm.lw(6, 11, 0), asm.lw(7, 12, 0)]);
  skipHandler(m);
  // Entry 0: NAPOT 64 KiB at BASE, RX (code). Entry 1: NA4 at BASE+0x400, R only.
  // Entry 2-3: TOR [BASE+0x20000, BASE+0x21000) RW.
  m.cpu.writeCsr(PMPADDR0, ((BASE >>> 2) | 0x1fff) >>> 0);
  m.cpu.writeCsr(PMPADDR0 + 1, (BASE + 0x400) >>> 2);
  m.cpu.writeCsr(PMPADDR0 + 2, (BASE + 0x20000) >>> 2);
  m.cpu.writeCsr(PMPADDR0 + 3, (BASE + 0x21000) >>> 2);
  m.cpu.writeCsr(PMPCFG0, ((TOR | R | W) << 24) | (0 << 16) | ((NA4 | R) << 8) | (NAPOT | R | X));
  // Entry 1 comes after entry 0, which covers BASE+0x400 already: 0 wins (R, no W).
  m.cpu.x[10] = (BASE + 0x20004) | 0; // in the TOR region: RW
  m.cpu.x[11] = (BASE + 0x400) | 0;
  m.cpu.x[12] = (BASE + 0x3000) | 0; // in entry 0 (R)
  m.ram.i32[0x20004 >> 2] = 99;
  m.cpu.priv = PRIV.S;
  m.cpu.run(4);
  assert.equal(m.cpu.x[5], 99);
  assert.equal(m.cpu.x[6], m.ram.i32[0x400 >> 2]);
  assert.equal(m.cpu.priv, PRIV.S, "no trap so far");
  assert.equal(m.cpu.mcause, 0);
  // A store into entry 0 (no W) from S faults; M is unaffected (entry not locked).
  const s = machine([asm.sw(0, 10, 0)]);
  skipHandler(s);
  s.cpu.writeCsr(PMPADDR0, ((BASE >>> 2) | 0x1fff) >>> 0);
  s.cpu.writeCsr(PMPCFG0, NAPOT | R | X);
  s.cpu.x[10] = (BASE + 0x200) | 0;
  s.cpu.priv = PRIV.S;
  s.cpu.run(1);
  assert.equal(s.cpu.mcause, 7);
  assert.equal(s.cpu.mtval, BASE + 0x200);
  s.cpu.pc = BASE;
  s.cpu.run(1);
  assert.equal(s.cpu.readCsr(MEPC), BASE, "M-mode store succeeded (no new trap)");
  // U fetch outside every entry: no entry matches -> fetch access fault.
  s.cpu.priv = PRIV.U;
  s.cpu.pc = (BASE + 0x2_0000) >>> 0;
  s.cpu.run(1);
  assert.equal(s.cpu.mcause, 1);
  // Locked entry binds M too.
  const l = machine([asm.sw(0, 10, 0)]);
  skipHandler(l);
  l.cpu.writeCsr(PMPADDR0, (BASE + 0x200) >>> 2);
  l.cpu.writeCsr(PMPCFG0, L | NA4 | R);
  l.cpu.x[10] = (BASE + 0x200) | 0;
  l.cpu.run(1);
  assert.equal(l.cpu.mcause, 7);
  // A range that covers only part of the matching entry fails (here: the
  // page-sized check the TLB uses before caching a page).
  assert.equal(l.cpu.pmp.check(BASE + 0x200, 4, 1, PRIV.M), true);
  assert.equal(l.cpu.pmp.check(BASE + 0x1fe, 4, 1, PRIV.M), false);
  assert.equal(l.cpu.pmp.check(BASE, 4096, 1, PRIV.M), false);
});

Deno.test("PMP: fetches in a page only partly executable are checked one by one", () => {
  // Entry 0: NA4 X over the instruction at +0x104; entry 1: all memory RW (no X).
  const m = machine();
  load(m.ram, 0x100, [asm.addi(5, 0, 1), asm.addi(6, 0, 2), asm.addi(7, 0, 3)]);
  skipHandler(m);
  m.cpu.writeCsr(PMPADDR0, (BASE + 0x104) >>> 2);
  m.cpu.writeCsr(PMPADDR0 + 1, 0xffff_ffff);
  m.cpu.writeCsr(PMPCFG0, ((NAPOT | R | W) << 8) | NA4 | X);
  m.cpu.priv = PRIV.S;
  m.cpu.pc = BASE + 0x104;
  m.cpu.run(2); // one run: the fetch page stays cached unless the PMP forbids it
  assert.equal(m.cpu.x[6], 2, "the executable word ran");
  assert.equal(m.cpu.mcause, 1, "the next word is not executable");
  assert.equal(m.cpu.mtval, BASE + 0x108);
  assert.equal(m.cpu.x[7], 0);
});

Deno.test("PMP checks page-table walks as S-mode reads", () => {
  const m = machine([asm.lw(5, 10, 0)]);
  skipHandler(m);
  const ROOT = 0x10000;
  const { V, R: PR, W: PW, A, D } = PTE;
  m.ram.i32[(ROOT >> 2) + 0x200] = (((BASE >>> 12) << 10) | V | PR | PW | A | D) >>> 0;
  m.cpu.writeCsr(0x180, (0x8000_0000 | ((BASE + ROOT) >>> 12)) >>> 0);
  // Entry 0: NA4 over the root PTE, no permissions; entry 1: everything else RWX.
  m.cpu.writeCsr(PMPADDR0, (BASE + ROOT + 0x800) >>> 2);
  m.cpu.writeCsr(PMPADDR0 + 1, 0xffff_ffff);
  m.cpu.writeCsr(PMPCFG0, ((NAPOT | R | W | X) << 8) | NA4);
  m.cpu.priv = PRIV.M;
  m.cpu.writeCsr(0x300, 1 << 11 | 1 << 17); // MPRV with MPP = S: loads are translated
  m.cpu.x[10] = (BASE + 0x40) | 0;
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 5, "load access fault from the walk");
});

const TSELECT = 0x7a0, TDATA1 = 0x7a1, TDATA2 = 0x7a2, TINFO = 0x7a4;
const TYPE2 = 0x2000_0000, MM = 1 << 6, MS = 1 << 4, EXEC = 4, LOAD = 1, STORE = 2;

Deno.test("triggers: tselect/tdata1/tdata2 read back; execute, load and store matches trap", () => {
  const m = machine([
    asm.addi(5, 0, 1),
    asm.addi(6, 0, 2), // execute trigger here
    asm.lw(7, 10, 0), // load trigger on x10
    asm.sw(7, 11, 0), // store trigger on x11
    asm.addi(8, 0, 3),
  ]);
  skipHandler(m);
  assert.equal(m.cpu.readCsr(TINFO), 4);
  m.cpu.writeCsr(TSELECT, 5);
  assert.equal(m.cpu.readCsr(TSELECT), 0, "only 2 triggers");
  assert.equal(m.cpu.readCsr(TDATA1) >>> 28, 2);
  m.cpu.writeCsr(TDATA2, BASE + 4);
  m.cpu.writeCsr(TDATA1, TYPE2 | MM | EXEC);
  assert.equal(m.cpu.readCsr(TDATA1), (TYPE2 | MM | EXEC) >>> 0);
  m.cpu.writeCsr(TSELECT, 1);
  m.cpu.writeCsr(TDATA2, BASE + 0x400);
  m.cpu.writeCsr(TDATA1, TYPE2 | MM | MS | LOAD | STORE);
  m.cpu.x[10] = (BASE + 0x400) | 0;
  m.cpu.x[11] = (BASE + 0x400) | 0;
  const causes: number[] = [];
  const tvals: number[] = [];
  // One run: the first instruction executes, the breakpoint on the second traps.
  m.cpu.run(2);
  assert.equal(m.cpu.pc, BASE + 0x800);
  causes.push(m.cpu.mcause);
  tvals.push(m.cpu.mtval);
  m.cpu.run(4);
  for (let i = 0; i < 5 && causes.length < 3; i++) {
    m.cpu.run(1);
    if (m.cpu.pc === BASE + 0x800) {
      causes.push(m.cpu.mcause);
      tvals.push(m.cpu.mtval);
      m.cpu.run(4);
    }
  }
  assert.deepEqual(causes, [3, 3, 3]);
  assert.deepEqual(tvals, [BASE + 4, BASE + 0x400, BASE + 0x400]);
  assert.equal(m.cpu.x[6], 0, "the instruction at the breakpoint did not run");
  m.cpu.run(1);
  assert.equal(m.cpu.x[8], 3);
  // The hit bit is set; disarming restores the fast path.
  assert.ok((m.cpu.readCsr(TDATA1) & (1 << 20)) !== 0);
  m.cpu.writeCsr(TDATA1, 0);
  m.cpu.writeCsr(TSELECT, 0);
  m.cpu.writeCsr(TDATA1, 0);
  assert.equal(m.cpu.triggers.armed, false);
  assert.equal(m.cpu.mmu.noFill, false);
});
