/**
 * The trap loop against a scripted fake CPU: dispatch on stop reasons,
 * timer preemption through stimecmp, blocking and waking, idle clock
 * advance and the deadlock report, without the real CPU or a personality.
 */
import assert from "node:assert/strict";
import { SimClock } from "../../../hw/clock.ts";
import { CSR } from "../../../hw/csr.ts";
import { StopReason as Stop } from "../../../hw/cpu.ts";
import { WaitQueue } from "../../../kernel/ipc/wait_queue.ts";
import {
  type CpuPort,
  DEFAULT_KERNEL_COSTS,
  EnqueueReason,
  FifoPolicy,
  ProcessTable,
  type ProcSpace,
  TaskState,
  type Thread,
  type TrapHooks,
  TrapLoop,
} from "../../../kernel/proc/mod.ts";

const ECALL = 8;
const STI = 0x8000_0005;

/**
 * A CPU whose "program" is: spin for `spin` cycles per instruction budget,
 * then ecall with a7 taken from the thread's registers. The timer follows
 * Sstc: when mtime reaches stimecmp, the next run returns an STI trap.
 */
class FakeCpu implements CpuPort {
  readonly x = new Int32Array(32);
  pc = 0;
  priv = 3;
  instret = 0;
  sepc = 0;
  scause = 0;
  stval = 0;
  mstatus = 0;
  cmpLo = 0xffff_ffff;
  cmpHi = 0xffff_ffff;
  get stimecmp(): number {
    return this.cmpHi * 2 ** 32 + this.cmpLo;
  }
  csrWrites = 0;
  // Cycles of user work before the next ecall, per pc (thread), set by tests.
  work = new Map<number, number>();
  constructor(readonly clock: SimClock) {}
  readCsr(addr: number): number {
    return addr === CSR.sip ? 0 : 0;
  }
  writeCsr(addr: number, value: number): void {
    this.csrWrites++;
    if (addr === CSR.stimecmp) this.cmpLo = value >>> 0;
    if (addr === CSR.stimecmph) this.cmpHi = value >>> 0;
  }
  sret(): void {
    this.priv = 0;
    this.pc = this.sepc;
  }
  run(_n: number): number {
    const c = this.clock;
    let left = this.work.get(this.pc) ?? 0;
    // Run until the work is done or the timer fires.
    const timerAt = c.cycleForMtime(this.stimecmp);
    if (c.now >= timerAt) return this.#trap(STI);
    if (left > 0 && c.now + left > timerAt) {
      const ran = timerAt - c.now;
      this.work.set(this.pc, left - ran);
      this.instret += ran;
      c.advanceTo(timerAt);
      return this.#trap(STI);
    }
    this.instret += left;
    c.advanceTo(c.now + left);
    left = 0;
    this.work.set(this.pc, 0);
    return this.#trap(ECALL);
  }
  #trap(cause: number): number {
    this.scause = cause;
    this.sepc = this.pc;
    this.priv = 1;
    return Stop.HOST_TRAP;
  }
}

const space: ProcSpace = { satp: 0x8000_0001, asid: 0, rootPpn: 1, destroy: () => {} };

function setup(quantum = 1000) {
  const clock = new SimClock(1_000_000, 1);
  const cpu = new FakeCpu(clock);
  const table = new ProcessTable(new FifoPolicy(), (n) => new WaitQueue(n), {
    cancel: (id) => clock.cancel(id),
  });
  const log: string[] = [];
  const forever = new WaitQueue("forever");
  let deadlocked: Thread[] | null = null;
  const ref: { loop: TrapLoop | null } = { loop: null };
  const hooks: TrapHooks = {
    syscall(t) {
      const nr = t.regs[17];
      log.push(`${t.tid}:${nr}@${clock.now}`);
      if (nr === 1) {
        // Block forever.
        forever.add(t);
        table.park(t, forever);
        t.pc = t.restartPc;
      } else if (nr === 2) {
        table.zombify(t.process);
        if (table.liveCount === 0) ref.loop!.halt(0);
      } else if (nr === 3) {
        // Sleep 5000 cycles on a clock event.
        const q = new WaitQueue("sleep");
        q.add(t);
        table.park(t, q);
        t.timerEvent = clock.schedule(5000, () => q.wakeAll());
        t.regs[17] = 2;
      }
    },
    pageFault: () => assert.fail("no page faults"),
    exception: () => assert.fail("no exceptions"),
    externalInterrupt: () => {},
    deliverSignals: () => {},
    hostError: (_t, e) => {
      throw e;
    },
    waitForHost: () => null,
    deadlock: (blocked) => {
      deadlocked = blocked;
      return false;
    },
  };
  const loop = new TrapLoop({ cpu, clock, table, hooks, quantum, costs: DEFAULT_KERNEL_COSTS });
  ref.loop = loop;
  const spawn = (pc: number, work: number, nr: number) => {
    const p = table.create(table.init)!;
    p.space = space;
    p.comm = `p${p.pid}`;
    const t = p.mainThread;
    t.pc = pc;
    t.regs[17] = nr;
    cpu.work.set(pc, work);
    table.makeReady(t, EnqueueReason.NEW);
    return t;
  };
  return { clock, cpu, table, loop, log, spawn, deadlocked: () => deadlocked };
}

Deno.test("trap loop: quantum expiry preempts and alternates two CPU-bound threads", async () => {
  const { loop, log, spawn } = setup(1000);
  spawn(0x100, 3500, 2);
  spawn(0x200, 3500, 2);
  await loop.run();
  assert.equal(loop.halted, true);
  assert.ok(loop.stats.preemptions >= 6, `preemptions ${loop.stats.preemptions}`);
  assert.ok(loop.stats.contextSwitches >= 7);
  assert.ok(
    loop.stats.interrupts <= loop.stats.preemptions + 2,
    `timer interrupts ${loop.stats.interrupts} for ${loop.stats.preemptions} preemptions`,
  );
  // Both finish, the first one first (it started first and slices alternate).
  assert.equal(log.length, 2);
  assert.match(log[0], /^1:2@/);
  assert.match(log[1], /^2:2@/);
});

Deno.test("trap loop: a sleeping thread lets the clock advance while idle, then runs", async () => {
  const { loop, log, spawn, clock } = setup();
  spawn(0x100, 100, 3);
  await loop.run();
  assert.equal(log.length, 2);
  assert.ok(clock.now >= 5000);
  assert.ok(loop.stats.idleCycles >= 4000, `idle ${loop.stats.idleCycles}`);
});

Deno.test("trap loop: every thread blocked and nothing pending is a deadlock", async () => {
  const { loop, spawn, deadlocked, table } = setup();
  const a = spawn(0x100, 10, 1);
  const b = spawn(0x200, 10, 1);
  await loop.run();
  const d = deadlocked();
  assert.ok(d !== null);
  assert.deepEqual(d!.map((t) => t.tid).sort(), [a.tid, b.tid].sort());
  assert.ok(d!.every((t) => t.state === TaskState.BLOCKED && t.parkedOn?.name === "forever"));
  assert.equal(table.current, null);
});

Deno.test("trap loop: runs are deterministic (same cycles and trap sequence)", async () => {
  const run = async () => {
    const s = setup(700);
    s.spawn(0x100, 2500, 2);
    s.spawn(0x200, 1800, 3);
    s.spawn(0x300, 900, 2);
    await s.loop.run();
    return { log: s.log, now: s.clock.now, stats: { ...s.loop.stats } };
  };
  assert.deepEqual(await run(), await run());
});

Deno.test("trap loop: the watchdog alone does not keep a blocked system alive", async () => {
  const { loop, spawn, deadlocked, clock } = setup();
  spawn(0x100, 10, 1);
  loop.daemonEvents++;
  clock.schedule(1_000_000_000, () => {});
  await loop.run();
  assert.ok(deadlocked() !== null);
  assert.ok(clock.now < 1_000_000, "did not advance to the watchdog");
});
