import assert from "node:assert/strict";
import { PRIV, StopReason } from "../../hw/cpu.ts";
import { MIP } from "../../hw/irq.ts";
import { CSR, ISA_STRING, MENVCFGH as ENVCFGH_BITS } from "../../hw/csr.ts";
import { asm, BASE, load, machine } from "./cpu_test_asm.ts";

const MTVEC = 0x305, STVEC = 0x105, MSTATUS = 0x300, MIE = 0x304, MIDELEG = 0x303;
const MEDELEG = 0x302, SEPC = 0x141, MENVCFGH = 0x31a, STIMECMP = 0x14d, STIMECMPH = 0x15d;
const MSTATUS_MIE = 8, MSTATUS_SIE = 2;

/** A machine whose M handler is at +0x800 and S handler at +0xc00 (both spin). */
function trapMachine(program: number[]) {
  const m = machine(program);
  m.cpu.writeCsr(MTVEC, BASE + 0x800);
  m.cpu.writeCsr(STVEC, BASE + 0xc00);
  load(m.ram, 0x800, [asm.jal(0, 0)]);
  load(m.ram, 0xc00, [asm.jal(0, 0)]);
  return m;
}

Deno.test("ecall causes from U, S and M; mstatus stacking on mret", () => {
  for (const [priv, cause] of [[PRIV.U, 8], [PRIV.S, 9], [PRIV.M, 11]]) {
    const m = trapMachine([asm.ecall()]);
    m.cpu.priv = priv;
    m.cpu.writeCsr(MSTATUS, MSTATUS_MIE);
    m.cpu.run(1);
    assert.equal(m.cpu.mcause, cause);
    assert.equal(m.cpu.mepc, BASE);
    assert.equal(m.cpu.priv, PRIV.M);
    const st = m.cpu.readCsr(MSTATUS);
    assert.equal((st >> 11) & 3, priv, "MPP");
    assert.equal(st & MSTATUS_MIE, 0, "MIE cleared");
    assert.equal(st & 0x80, 0x80, "MPIE = old MIE");
  }
  // mret restores: priv = MPP, MIE = MPIE, MPIE = 1, MPP = U.
  const m = machine([asm.mret()]);
  m.cpu.writeCsr(MSTATUS, (1 << 11) | 0x80);
  m.cpu.writeCsr(0x341, BASE + 0x40);
  m.cpu.run(1);
  assert.equal(m.cpu.priv, PRIV.S);
  assert.equal(m.cpu.pc, BASE + 0x40);
  assert.equal(m.cpu.readCsr(MSTATUS), MSTATUS_MIE | 0x80);
});

Deno.test("hostSupervisor: delegated ecall returns HOST_TRAP; sret() resumes in U", () => {
  const m = trapMachine([asm.addi(10, 0, 7), asm.ecall(), asm.addi(11, 10, 1), asm.jal(0, 0)]);
  m.cpu.hostSupervisor = true;
  m.cpu.writeCsr(MEDELEG, 1 << 8);
  m.cpu.priv = PRIV.U;
  m.cpu.writeCsr(MSTATUS, MSTATUS_SIE);
  assert.equal(m.cpu.run(100), StopReason.HOST_TRAP);
  assert.equal(m.cpu.priv, PRIV.S);
  assert.equal(m.cpu.readCsr(0x142), 8);
  assert.equal(m.cpu.readCsr(SEPC), BASE + 4);
  assert.equal(m.cpu.pc, BASE + 0xc00);
  const st = m.cpu.readCsr(MSTATUS);
  assert.equal(st & 0x100, 0, "SPP = U");
  assert.equal(st & 0x20, 0x20, "SPIE = old SIE");
  assert.equal(st & MSTATUS_SIE, 0);
  assert.equal(m.cpu.instret, 1, "ecall does not retire");
  // The host kernel handles the call: result in a0, skip the ecall, sret.
  m.cpu.x[10] = 41;
  m.cpu.writeCsr(SEPC, m.cpu.readCsr(SEPC) + 4);
  m.cpu.sret();
  assert.equal(m.cpu.priv, PRIV.U);
  assert.equal(m.cpu.readCsr(MSTATUS) & MSTATUS_SIE, MSTATUS_SIE);
  m.cpu.run(1);
  assert.equal(m.cpu.x[11], 42);
});

Deno.test("CSR privilege and read-only violations are illegal with tval = bits", () => {
  const read = asm.csrrs(5, MSTATUS, 0);
  const m = trapMachine([read]);
  m.cpu.priv = PRIV.S;
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 2);
  assert.equal(m.cpu.mtval, read);
  const ro = asm.csrrw(5, 0xf14, 1); // write mhartid
  const m2 = trapMachine([ro, asm.csrrs(6, 0xf14, 0)]);
  m2.cpu.run(1);
  assert.equal(m2.cpu.mcause, 2);
  assert.equal(m2.cpu.mtval, ro);
  const m3 = trapMachine([asm.csrrs(6, 0xf14, 0), asm.csrrsi(7, 0xc00, 0)]);
  m3.cpu.run(2); // reading read-only CSRs is fine (csrrsi with zimm 0 does not write)
  assert.equal(m3.cpu.mcause, 0);
  assert.equal(m3.cpu.pc, BASE + 8);
  // U cannot read cycle unless both counteren bits allow it.
  const m4 = trapMachine([asm.csrrs(6, 0xc00, 0)]);
  m4.cpu.priv = PRIV.U;
  m4.cpu.writeCsr(0x306, 1);
  m4.cpu.run(1);
  assert.equal(m4.cpu.mcause, 2);
  const m5 = trapMachine([asm.csrrs(6, 0xc02, 0)]);
  m5.cpu.priv = PRIV.U;
  m5.cpu.writeCsr(0x306, 4);
  m5.cpu.writeCsr(0x106, 4);
  m5.cpu.instret = 1234;
  m5.cpu.run(1);
  assert.equal(m5.cpu.x[6], 1234, "instret read excludes the reading instruction");
});

Deno.test("interrupt priority: M-level before S-level, MEI > MSI > MTI > SEI > SSI > STI", () => {
  const order: number[] = [];
  const m = trapMachine([asm.jal(0, 0)]);
  m.cpu.writeCsr(MIE, 0xaaa);
  m.cpu.writeCsr(MIDELEG, 0x222);
  m.cpu.priv = PRIV.U;
  m.cpu.setInterruptPending(0xaaa, true);
  for (let i = 0; i < 6; i++) {
    m.cpu.priv = PRIV.U;
    m.cpu.pc = BASE;
    m.cpu.run(1);
    const cause = m.cpu.priv === PRIV.M ? m.cpu.mcause : m.cpu.readCsr(0x142);
    order.push(cause & 0xff);
    assert.equal(cause >>> 31, 1);
    m.cpu.setInterruptPending(1 << (cause & 0xff), false);
  }
  assert.deepEqual(order, [11, 3, 7, 9, 1, 5]);
});

Deno.test("interrupt masking by mstatus.MIE/SIE and privilege", () => {
  const m = trapMachine([asm.nop(), asm.nop(), asm.nop(), asm.nop()]);
  m.cpu.writeCsr(MIE, MIP.MTIP | MIP.STIP);
  m.cpu.setInterruptPending(MIP.MTIP, true);
  m.cpu.run(1); // M with MIE = 0: not taken
  assert.equal(m.cpu.pc, BASE + 4);
  m.cpu.writeCsr(MSTATUS, MSTATUS_MIE);
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 0x8000_0007);
  assert.equal(m.cpu.mepc, BASE + 4);
  // A delegated S interrupt is not taken in M, nor in S with SIE = 0, but is in U.
  const s = trapMachine([asm.nop(), asm.nop(), asm.nop()]);
  s.cpu.writeCsr(MIE, MIP.STIP);
  s.cpu.writeCsr(MIDELEG, MIP.STIP);
  s.cpu.writeCsr(MSTATUS, MSTATUS_MIE);
  s.cpu.setInterruptPending(MIP.STIP, true);
  s.cpu.run(1);
  assert.equal(s.cpu.pc, BASE + 4);
  s.cpu.priv = PRIV.S;
  s.cpu.run(1);
  assert.equal(s.cpu.pc, BASE + 8);
  s.cpu.priv = PRIV.U;
  s.cpu.hostSupervisor = true;
  assert.equal(s.cpu.run(1), StopReason.HOST_TRAP);
  assert.equal(s.cpu.readCsr(0x142), 0x8000_0005);
  assert.equal(s.cpu.readCsr(SEPC), BASE + 8);
  // Non-delegated interrupt pending while in S goes to M regardless of SIE.
  const t = trapMachine([asm.nop()]);
  t.cpu.writeCsr(MIE, MIP.MEIP);
  t.cpu.priv = PRIV.S;
  t.cpu.setInterruptPending(MIP.MEIP, true);
  t.cpu.run(1);
  assert.equal(t.cpu.priv, PRIV.M);
  assert.equal(t.cpu.mcause, 0x8000_000b);
});

Deno.test("vectored stvec: interrupts land at base + 4 * cause, exceptions at base", () => {
  const m = trapMachine([asm.nop(), asm.ecall()]);
  m.cpu.writeCsr(STVEC, BASE + 0x400 + 1);
  m.cpu.writeCsr(MIE, MIP.SSIP);
  m.cpu.writeCsr(MIDELEG, MIP.SSIP);
  m.cpu.writeCsr(MEDELEG, 1 << 8);
  m.cpu.priv = PRIV.U;
  m.cpu.writeCsr(0x344, MIP.SSIP); // software sets SSIP through mip
  m.cpu.run(1);
  assert.equal(m.cpu.pc, BASE + 0x404);
  m.cpu.writeCsr(0x344, 0);
  m.cpu.priv = PRIV.U;
  m.cpu.pc = BASE + 4;
  m.cpu.run(1);
  assert.equal(m.cpu.pc, BASE + 0x400);
});

Deno.test("Sstc: STIP rises at the exact cycle time reaches stimecmp", () => {
  const m = trapMachine([asm.jal(0, 0)]);
  m.cpu.writeCsr(MENVCFGH, 1 << 31);
  m.cpu.writeCsr(MIE, MIP.STIP);
  m.cpu.writeCsr(MSTATUS, MSTATUS_MIE);
  m.cpu.writeCsr(STIMECMP, 100); // mtime ticks every 10 cycles -> cycle 1000
  m.cpu.writeCsr(STIMECMPH, 0);
  assert.equal(m.cpu.mip & MIP.STIP, 0);
  let steps = 0;
  while (m.cpu.pc !== BASE + 0x800 && steps < 10_000) {
    m.cpu.run(1);
    steps++;
  }
  assert.equal(m.cpu.mcause, 0x8000_0005);
  // jal costs 2 cycles: 500 of them reach cycle 1000, where the event fires;
  // the interrupt is taken before the next instruction (+8 trap cycles).
  assert.equal(steps, 501);
  assert.equal(m.clock.now, 1000 + 8);
  assert.equal(m.cpu.mip & MIP.STIP, MIP.STIP);
  m.cpu.writeCsr(STIMECMPH, 0xffff_ffff);
  assert.equal(m.cpu.mip & MIP.STIP, 0);
  // With STCE clear, S-mode access to stimecmp is illegal.
  const s = trapMachine([asm.csrrs(5, STIMECMP, 0)]);
  s.cpu.priv = PRIV.S;
  s.cpu.writeCsr(0x306, 2);
  s.cpu.run(1);
  assert.equal(s.cpu.mcause, 2);
});

Deno.test("wfi: returns WFI when nothing is scheduled, sleeps to the next event otherwise", () => {
  const m = machine([asm.wfi(), asm.addi(1, 0, 1)]);
  assert.equal(m.cpu.run(10), StopReason.WFI);
  assert.equal(m.cpu.pc, BASE + 4);
  const t = trapMachine([asm.wfi(), asm.addi(1, 0, 1), asm.jal(0, 0)]);
  t.cpu.writeCsr(MENVCFGH, 1 << 31);
  t.cpu.writeCsr(MIE, MIP.STIP);
  t.cpu.writeCsr(STIMECMP, 500);
  t.cpu.writeCsr(STIMECMPH, 0);
  t.cpu.run(3); // MIE clear: wakes without trapping and continues
  assert.equal(t.cpu.x[1], 1);
  assert.equal(t.clock.now >= 5000, true);
  // TW: wfi in S is illegal.
  const w = trapMachine([asm.wfi()]);
  w.cpu.priv = PRIV.S;
  w.cpu.writeCsr(MSTATUS, 1 << 21);
  w.cpu.run(1);
  assert.equal(w.cpu.mcause, 2);
});

Deno.test("requestHalt stops run at the next boundary; budget counts steps", () => {
  const m = machine([asm.addi(1, 1, 1), asm.jal(0, -4)]);
  assert.equal(m.cpu.run(10), StopReason.BUDGET);
  assert.equal(m.cpu.x[1], 5);
  m.clock.schedule(7, () => m.cpu.requestHalt());
  assert.equal(m.cpu.run(1000), StopReason.HALT);
  assert.ok(m.cpu.instret < 20);
});

Deno.test("counters: cycle/time/instret and their high halves; mcycle writable", () => {
  const m = machine([asm.csrrs(1, 0xc00, 0), asm.csrrs(2, 0xc01, 0), asm.csrrs(3, 0xc02, 0)]);
  m.clock.advanceTo(0x1_2345_6789);
  m.cpu.run(3);
  assert.equal(m.cpu.x[1] >>> 0, (0x1_2345_6789 + 2) % 2 ** 32);
  assert.equal(m.cpu.readCsr(0xc80), 1);
  assert.equal(m.cpu.x[2] >>> 0, Math.floor((0x1_2345_6789 + 4) / 10));
  assert.equal(m.cpu.x[3], 2);
  m.cpu.writeCsr(0xb00, 5);
  m.cpu.writeCsr(0xb80, 0);
  assert.equal(m.cpu.readCsr(0xb00), 5);
  assert.equal(m.cpu.readCsr(0xc00), 5);
});

Deno.test("x0 is zero even if the host sets it; run entry is cheap and repeatable", () => {
  const m = machine([asm.addi(1, 0, 0)]);
  m.cpu.x.set(new Int32Array(32).fill(9));
  m.cpu.run(1);
  assert.equal(m.cpu.x[1], 0);
  assert.equal(m.cpu.x.length, 32);
});

Deno.test("a guest store to the CLINT raises MSIP, taken right after the store", async () => {
  const { createMachine } = await import("../../hw/machine.ts");
  const m = createMachine({ ramSize: 1 << 20, rtcEpochNs: 0n });
  const words = [
    asm.lui(5, 0x02000), // t0 = CLINT base
    asm.addi(6, 0, 1),
    asm.sw(6, 5, 0), // msip = 1
    asm.addi(7, 0, 1), // must not run before the interrupt
  ];
  load(m.ram, 0, words);
  m.cpu.pc = BASE;
  m.cpu.writeCsr(MTVEC, BASE + 0x800);
  load(m.ram, 0x800, [asm.jal(0, 0)]);
  m.cpu.writeCsr(MIE, MIP.MSIP);
  m.cpu.writeCsr(MSTATUS, MSTATUS_MIE);
  m.cpu.run(4);
  assert.equal(m.cpu.mcause, 0x8000_0003);
  assert.equal(m.cpu.mepc, BASE + 12);
  assert.equal(m.cpu.x[7], 0);
});

Deno.test("hostSupervisor: a U-mode fetch fault delegated to S returns HOST_TRAP", () => {
  const m = trapMachine([]);
  m.cpu.hostSupervisor = true;
  m.cpu.writeCsr(MEDELEG, 1 << 1);
  m.cpu.priv = PRIV.U;
  m.cpu.pc = 0x4000_0000; // a hole
  assert.equal(m.cpu.run(10), StopReason.HOST_TRAP);
  assert.equal(m.cpu.readCsr(0x142), 1);
  assert.equal(m.cpu.readCsr(0x143), 0x4000_0000);
  assert.equal(m.cpu.readCsr(SEPC), 0x4000_0000);
});

Deno.test("ISA_STRING names the misa extensions and the counters, Sstc and Svadu the CPU has", () => {
  const m = machine();
  const misa = m.cpu.readCsr(CSR.misa) >>> 0;
  assert.equal(misa >>> 30, 1, "MXL = 32");
  const letters = [...ISA_STRING.split("_")[0].slice(4)];
  const fromMisa = [..."abcdefghijklmnopqrstuvwxyz"].filter((c, i) =>
    (misa & (1 << i)) !== 0 && c !== "s" && c !== "u"
  );
  assert.deepEqual(letters.slice().sort(), fromMisa, `${ISA_STRING} vs misa ${misa.toString(16)}`);
  assert.ok(ISA_STRING.startsWith("rv32"));
  // The multi-letter extensions are there: counters readable, stimecmp and menvcfg.ADUE exist.
  for (const csr of [CSR.cycle, CSR.time, CSR.instret, CSR.stimecmp]) {
    assert.doesNotThrow(() => m.cpu.readCsr(csr));
  }
  m.cpu.writeCsr(CSR.menvcfgh, ENVCFGH_BITS.ADUE | ENVCFGH_BITS.STCE);
  assert.equal(
    m.cpu.readCsr(CSR.menvcfgh) & (ENVCFGH_BITS.ADUE | ENVCFGH_BITS.STCE),
    (ENVCFGH_BITS.ADUE | ENVCFGH_BITS.STCE) | 0,
  );
});
