/**
 * Where the inner loop enters page functions, and which pages are not
 * translated: a head whose block reaches an instruction left to the
 * interpreter within a few instructions is not an entry (the call would
 * cost more than it runs), and a page whose function would be too large for
 * V8's optimizing compiler stays interpreted. Either way the results are
 * the interpreter's.
 */

import assert from "node:assert/strict";
import { asm, BASE, iType, machine, rType, sType } from "./cpu_test_asm.ts";
import { MIN_ENTRY_RUN } from "../../hw/translator_scan.ts";
import { ENTRY, HEAD_ONLY } from "../../hw/translator.ts";

/** `csrrs rd, mscratch, x0`: an instruction the translator leaves to the interpreter. */
const readScratch = (rd: number) => iType(0x340, 0, 2, rd, 0x73);

function bothEngines(program: number[], steps: number, mstatus = -1) {
  const run = (engine: "interp" | "jit") => {
    const m = machine(program, { engine, hotThreshold: 64 });
    if (mstatus >= 0) m.cpu.writeCsr(0x300, mstatus);
    m.cpu.writeCsr(0x305, BASE + 4 * (program.length - 1)); // mtvec: the program's last word
    m.cpu.run(steps);
    return m;
  };
  const interp = run("interp"), jit = run("jit");
  assert.deepStrictEqual([...jit.cpu.x], [...interp.cpu.x]);
  assert.deepStrictEqual([...jit.cpu.fpu.words], [...interp.cpu.fpu.words]);
  assert.equal(jit.cpu.pc, interp.cpu.pc);
  assert.equal(jit.cpu.readCsr(0x300), interp.cpu.readCsr(0x300), "mstatus (FS)");
  assert.equal(jit.cpu.readCsr(0x342), interp.cpu.readCsr(0x342), "mcause");
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
  assert.equal(entries[8], HEAD_ONLY, "the loop's head runs one instruction before the CSR");
  assert.equal(entries[16], HEAD_ONLY);
  assert.equal(entries[24], ENTRY, "the block reaches the branch");
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

// A loop of F and D instructions: loads and stores, arithmetic, and the
// conversions and compares that read or write an integer register.
const FP_LOOP = [
  asm.addi(1, 0, 0), // 0
  asm.addi(2, 0, 200), // 4
  asm.auipc(10, 1), // 8: data on the next page
  asm.addi(1, 1, 1), // 12: loop
  rType(0x69, 0, 1, 0, 3, 0x53), // 16: fcvt.d.w f3, x1
  iType(0, 10, 3, 1, 0x07), // 20: fld f1, 0(x10)
  rType(0x01, 3, 1, 0, 1, 0x53), // 24: fadd.d f1, f1, f3
  sType(0, 1, 10, 3, 0x27), // 28: fsd f1, 0(x10)
  rType(0x61, 0, 1, 1, 5, 0x53), // 32: fcvt.w.d x5, f1, rtz
  rType(0x51, 1, 1, 2, 6, 0x53), // 36: feq.d x6, f1, f1
  asm.bne(1, 2, -28), // 40: to 12
  asm.jal(0, 0), // 44: spins
];

Deno.test("page functions run F and D instructions, with the integer registers they read and write", () => {
  const jit = bothEngines(FP_LOOP, 3 + 8 * 200 + 10, 0x2000 /* FS Initial */);
  assert.equal(jit.cpu.x[5], 20100, "the sum 1 + ... + 200");
  assert.equal(jit.cpu.x[6], 1);
  const tr = jit.cpu.translator!;
  assert.notEqual(tr.pageFn(0), null);
  assert.equal(
    tr.entries[tr.slot[0]]![12],
    1,
    "the loop's head is an entry: its FP code is translated",
  );
});

Deno.test("with FS Off, an FP instruction in a page function traps as interpreted", () => {
  // Translated with FS on; then FS goes Off (as the kernel does to a thread
  // whose FP state is not loaded) and the next FP instruction must trap.
  const run = (engine: "interp" | "jit") => {
    const m = machine(FP_LOOP, { engine, hotThreshold: 64 });
    m.cpu.writeCsr(0x305, BASE + 44); // mtvec: the spin
    m.cpu.writeCsr(0x300, 0x2000);
    m.cpu.run(3 + 8 * 100); // to the loop's head
    m.cpu.writeCsr(0x300, 0);
    m.cpu.run(50);
    return m;
  };
  const interp = run("interp"), jit = run("jit");
  assert.notEqual(jit.cpu.translator!.pageFn(0), null, "the loop was translated");
  assert.deepStrictEqual([...jit.cpu.x], [...interp.cpu.x]);
  assert.deepStrictEqual([...jit.cpu.fpu.words], [...interp.cpu.fpu.words]);
  assert.equal(jit.clock.now, interp.clock.now);
  for (const csr of [0x300, 0x341, 0x342]) {
    assert.equal(jit.cpu.readCsr(csr), interp.cpu.readCsr(csr));
  }
  assert.equal(jit.cpu.readCsr(0x342), 2, "illegal instruction");
  assert.equal(jit.cpu.readCsr(0x341), BASE + 16, "at the first FP instruction");
  assert.equal(jit.cpu.x[1], 101);
});

Deno.test("page functions run LR, SC and the AMOs, with the reservation and TLB hits as interpreted", () => {
  const run = (engine: "interp" | "jit") => {
    const m = machine([
      asm.addi(1, 0, 0), // 0
      asm.addi(2, 0, 300), // 4
      asm.auipc(10, 1), // 8: x10 = a word on the next page
      asm.addi(11, 0, 3), // 12
      asm.amo(0x00, 3, 10, 11), // 16: loop: amoadd x3, x11, (x10)
      asm.amo(0x02, 4, 10, 0), // 20: lr x4, (x10)
      asm.addi(4, 4, 1), // 24
      asm.amo(0x03, 5, 10, 4), // 28: sc x5, x4, (x10): succeeds
      asm.amo(0x03, 6, 10, 4), // 32: sc x6, x4, (x10): fails, no reservation
      asm.amo(0x1c, 7, 10, 11), // 36: amomaxu x7, x11, (x10)
      asm.addi(1, 1, 1), // 40
      asm.bne(1, 2, -28), // 44: to 16
      asm.jal(0, 0), // 48
    ], { engine, hotThreshold: 64 });
    m.cpu.run(4 + 8 * 300 + 10);
    return m;
  };
  const interp = run("interp"), jit = run("jit");
  assert.deepStrictEqual([...jit.cpu.x], [...interp.cpu.x]);
  assert.equal(jit.clock.now, interp.clock.now);
  assert.equal(jit.cpu.mmu.hits, interp.cpu.mmu.hits, "TLB hits");
  assert.equal(jit.cpu.x[5], 0, "the SC after the LR succeeds");
  assert.equal(jit.cpu.x[6], 1, "the second SC fails");
  assert.equal(jit.ram.i32[(4096 + 8) >> 2], 300 * 4);
  const tr = jit.cpu.translator!;
  assert.equal(
    tr.entries[tr.slot[0]]![16],
    ENTRY,
    "the loop's head is an entry: its atomics are translated",
  );
});
