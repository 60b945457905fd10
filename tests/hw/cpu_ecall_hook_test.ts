import assert from "node:assert/strict";
import { CAUSE } from "../../hw/csr.ts";
import { CpuConfigError, EcallOutcome, PRIV, StopReason } from "../../hw/cpu.ts";
import { asm, BASE, machine } from "./cpu_test_asm.ts";

const A0 = 10;
// addi a0,a0,1; ecall; addi a0,a0,1; ecall; j .
const PROGRAM = [asm.addi(A0, A0, 1), asm.ecall(), asm.addi(A0, A0, 1), asm.ecall(), asm.jal(0, 0)];

function userMachine() {
  const m = machine(PROGRAM);
  m.cpu.hostSupervisor = true;
  m.cpu.writeCsr(0x302, 1 << CAUSE.USER_ECALL); // medeleg
  m.cpu.priv = PRIV.U;
  m.cpu.pc = BASE;
  return m;
}

Deno.test("ecallHook: RESUMED continues inside run with the slow path's cycles", () => {
  const fast = userMachine();
  const seen: number[] = [];
  fast.cpu.ecallHook = () => {
    assert.equal(fast.cpu.scause, CAUSE.USER_ECALL);
    assert.equal(fast.cpu.priv, PRIV.S);
    seen.push(fast.cpu.sepc);
    fast.cpu.x[A0] += 100;
    fast.cpu.sepc = (fast.cpu.sepc + 4) >>> 0;
    fast.cpu.sret();
    return EcallOutcome.RESUMED;
  };
  assert.equal(fast.cpu.run(8), StopReason.BUDGET);
  assert.deepEqual(seen, [BASE + 4, BASE + 12]);
  assert.equal(fast.cpu.x[A0], 202);

  // The same work done by the host after HOST_TRAP returns.
  const slow = userMachine();
  let steps = 8;
  for (;;) {
    const before = slow.cpu.instret;
    const r = slow.cpu.run(steps);
    steps -= slow.cpu.instret - before + (r === StopReason.HOST_TRAP ? 1 : 0);
    if (r !== StopReason.HOST_TRAP) break;
    slow.cpu.x[A0] += 100;
    slow.cpu.sepc = (slow.cpu.sepc + 4) >>> 0;
    slow.cpu.sret();
  }
  assert.equal(slow.cpu.x[A0], 202);
  assert.equal(slow.cpu.instret, fast.cpu.instret);
  assert.equal(slow.clock.now, fast.clock.now);
});

Deno.test("ecallHook: DECLINED and SERVICED hand control back", () => {
  const m = userMachine();
  m.cpu.ecallHook = () => EcallOutcome.DECLINED;
  assert.equal(m.cpu.run(100), StopReason.HOST_TRAP);
  assert.equal(m.cpu.sepc, BASE + 4);
  const n = userMachine();
  n.cpu.ecallHook = () => EcallOutcome.SERVICED;
  assert.equal(n.cpu.run(100), StopReason.SERVICED);
  assert.equal(n.cpu.x[A0], 1);
});

Deno.test("bindRegisters swaps register files without copying and checks their shape", () => {
  const m = userMachine();
  const file = new Int32Array(33);
  const view = file.subarray(0, 32);
  file[A0] = 41;
  m.cpu.bindRegisters(file, view);
  assert.equal(m.cpu.x, view);
  m.cpu.ecallHook = () => EcallOutcome.SERVICED;
  m.cpu.run(100);
  assert.equal(file[A0], 42);
  assert.throws(() => m.cpu.bindRegisters(new Int32Array(32), new Int32Array(32)), CpuConfigError);
  assert.throws(() => m.cpu.bindRegisters(file, file.subarray(1, 33)), CpuConfigError);
  // The right shapes over different memory: not a view of the file.
  const other = new Int32Array(33);
  other[0] = 5;
  assert.throws(() => m.cpu.bindRegisters(file, other.subarray(0, 32)), CpuConfigError);
  assert.equal(other[0], 5);
});

Deno.test("the hook's ecall trap entry leaves the same state as the general trap entry", () => {
  for (const sie of [0, 2]) {
    const snap = (m: ReturnType<typeof userMachine>) => [
      m.cpu.readCsr(0x300), // mstatus
      m.cpu.sepc,
      m.cpu.scause,
      m.cpu.stval,
      m.cpu.pc,
      m.cpu.priv,
      m.clock.now,
    ];
    const slow = userMachine();
    const fast = userMachine();
    for (const m of [slow, fast]) {
      m.cpu.writeCsr(0x105, BASE + 0x101); // stvec, vectored (synchronous traps use the base)
      m.cpu.writeCsr(0x100, sie | (1 << 13)); // sstatus: SIE, FS Initial
      m.cpu.stval = 0x55;
    }
    assert.equal(slow.cpu.run(100), StopReason.HOST_TRAP);
    let seen: number[] = [];
    fast.cpu.ecallHook = () => {
      seen = snap(fast);
      return EcallOutcome.DECLINED;
    };
    assert.equal(fast.cpu.run(100), StopReason.HOST_TRAP);
    assert.deepEqual(seen, snap(slow));
  }
});

Deno.test("setFs changes sstatus.FS and SD as an sstatus write of FS does", () => {
  for (let from = 0; from < 4; from++) {
    for (let to = 0; to < 4; to++) {
      const a = machine([asm.jal(0, 0)]);
      const b = machine([asm.jal(0, 0)]);
      for (const m of [a, b]) m.cpu.writeCsr(0x300, (from << 13) | (1 << 18) | (1 << 1));
      a.cpu.setFs(to);
      const st = b.cpu.readCsr(0x100);
      b.cpu.writeCsr(0x100, (st & ~(3 << 13)) | (to << 13));
      assert.equal(a.cpu.readCsr(0x300), b.cpu.readCsr(0x300), `FS ${from} -> ${to}`);
      assert.equal(a.cpu.mstatus, b.cpu.mstatus);
    }
  }
});

Deno.test("ecallHook: RESUMED after binding another register file starts the run afresh", () => {
  const m = userMachine();
  const a = new Int32Array(33);
  const b = new Int32Array(33);
  b[A0] = 10;
  m.cpu.bindRegisters(a, a.subarray(0, 32));
  let calls = 0;
  m.cpu.ecallHook = () => {
    calls++;
    if (calls === 1) {
      // A thread switch: the other file, from the program's start.
      m.cpu.bindRegisters(b, b.subarray(0, 32));
      m.cpu.sepc = BASE;
    } else {
      m.cpu.sepc = (m.cpu.sepc + 4) >>> 0;
    }
    m.cpu.sret();
    return EcallOutcome.RESUMED;
  };
  // Budget 6: addi, ecall (switch); then afresh: addi, ecall, addi, ecall, j, j.
  assert.equal(m.cpu.run(6), StopReason.BUDGET);
  assert.equal(calls, 3);
  assert.equal(a[A0], 1);
  assert.equal(b[A0], 12);
  // Retired: one addi before the switch, two after it, and the jump twice.
  assert.equal(m.cpu.instret, 5);
  assert.equal(m.cpu.pc, BASE + 16);
});
