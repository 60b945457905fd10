import assert from "node:assert/strict";
import { FifoPolicy, ProcessTable } from "../../../kernel/proc/mod.ts";
import { FpContexts } from "../../../kernel/proc/fp_context.ts";
import { EF_RISCV_FLOAT_ABI, EF_RISCV_RVC, hartRunsElf } from "../../../kernel/exec/elf_loader.ts";
import { WaitQueue } from "../../../kernel/ipc/wait_queue.ts";
import { machine } from "../../hw/cpu_test_asm.ts";

const SSTATUS = 0x100;
const fs = (m: ReturnType<typeof machine>) => (m.cpu.readCsr(SSTATUS) >>> 13) & 3;

function threads(n: number) {
  const t = new ProcessTable(new FifoPolicy(), (q) => new WaitQueue(q), { cancel: () => {} });
  const init = t.create(null)!;
  const out = [init.mainThread];
  for (let i = 1; i < n; i++) out.push(t.create(init)!.mainThread);
  return { table: t, ts: out };
}

Deno.test("fp context: Initial for new threads, saves only when Dirty, restores on switch back", () => {
  const m = machine();
  const fp = new FpContexts(m.cpu);
  const { ts: [a, b] } = threads(2);
  fp.switchTo(a);
  assert.equal(fs(m), 1, "Initial");
  m.cpu.fpu.f64[8] = 1.5; // a computes...
  m.cpu.fpu.fcsr = 0x21;
  m.cpu.writeCsr(SSTATUS, m.cpu.readCsr(SSTATUS) | (3 << 13)); // ...which makes FS Dirty
  fp.switchTo(b);
  assert.equal(fp.saves, 1);
  assert.equal(m.cpu.fpu.f64[8], 0, "b starts from zero registers");
  assert.equal(m.cpu.fpu.fcsr, 0);
  assert.equal(fs(m), 1);
  fp.switchTo(a);
  assert.equal(m.cpu.fpu.f64[8], 1.5);
  assert.equal(m.cpu.fpu.fcsr, 0x21);
  assert.equal(fs(m), 2, "Clean after a restore");
  // Clean on the way out: no save.
  fp.switchTo(b);
  assert.equal(fp.saves, 1);
  // Switching to the owner again costs nothing.
  const loads = fp.loads;
  fp.switchTo(b);
  assert.equal(fp.loads, loads);
});

Deno.test("fp context: fork copies the live state, exec resets it, sigreturn writes it", () => {
  const m = machine();
  const fp = new FpContexts(m.cpu);
  const { ts: [a, child] } = threads(2);
  fp.switchTo(a);
  m.cpu.fpu.f64[9] = -2.25;
  m.cpu.writeCsr(SSTATUS, m.cpu.readCsr(SSTATUS) | (3 << 13));
  fp.copy(a, child);
  fp.switchTo(child);
  assert.equal(m.cpu.fpu.f64[9], -2.25);
  assert.equal(a.fp!.regs[9], -2.25, "a's saved state");
  fp.reset(child);
  assert.equal(m.cpu.fpu.f64[9], 0);
  assert.equal(fs(m), 1);
  // sigreturn: the kernel edits t.fp and asks for a reload, even for the owner.
  fp.switchTo(a);
  a.fp!.regs.fill(7);
  a.fp!.fcsr = 0xe0;
  a.fp!.reload = true;
  fp.switchTo(a);
  assert.equal(m.cpu.fpu.f64[31], 7);
  assert.equal(m.cpu.fpu.fcsr, 0xe0);
  assert.equal(a.fp!.reload, false);
  // sync copies the live registers out without changing FS.
  m.cpu.fpu.f64[0] = 4.5;
  m.cpu.writeCsr(SSTATUS, m.cpu.readCsr(SSTATUS) | (3 << 13));
  fp.sync(a);
  assert.equal(a.fp!.regs[0], 4.5);
  assert.equal(fs(m), 3);
});

Deno.test("exec refuses ELF images that need extensions the hart lacks", () => {
  const RV32IMA = 0x40141101;
  assert.equal(hartRunsElf(0), true);
  assert.equal(hartRunsElf(EF_RISCV_RVC | 4), true, "rv32gc on this hart");
  assert.equal(hartRunsElf(4, RV32IMA), false, "double ABI needs F and D");
  assert.equal(hartRunsElf(EF_RISCV_RVC, RV32IMA), false, "RVC needs C");
  assert.equal(hartRunsElf(EF_RISCV_FLOAT_ABI), false, "quad float");
  assert.equal(hartRunsElf(2), true, "single float ABI");
});
