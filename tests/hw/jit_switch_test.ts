/**
 * Thread switches at `ecall`s inside translated code (`hw/jit_ecall.ts`,
 * `JIT_ECALL_SWITCH`): two threads with their own register files and ASIDs
 * run the same loop (its page and the stub page it calls mapped to the same
 * RAM pages in both address spaces, each thread's data page its own), and
 * the host's hook switches threads at most calls, as a kernel's
 * `sched_yield` does. The page function goes on with the other thread when
 * it can; both engines, under random `run` budgets, must see every call at
 * the same pc, instruction count, cycle and TLB hit count, and end with the
 * same registers, clock and RAM, while the hook declines calls, leaves some
 * to `run`, schedules clock events, and maps one thread's stub page to
 * another RAM page holding the same code (so the switched-to thread's page
 * no longer matches the translation).
 */

import assert from "node:assert/strict";
import { CAUSE } from "../../hw/csr.ts";
import { EcallOutcome, PRIV, StopReason } from "../../hw/cpu.ts";
import { BASE, load, machine, type TestMachine } from "./cpu_test_asm.ts";
import { A0, A7, END, LOOPS, PROGRAM, PTE, STUB_CODE, VA } from "./stub_call_program.ts";

const ROOTS = [0x10000, 0x12000], L2S = [0x11000, 0x13000]; // page tables (RAM offsets)
const MAIN = 0x20000, STUB = 0x21000, STUB2 = 0x22000, DATAS = [0x23000, 0x24000];
const ASIDS = [5, 9];

/** Maps page `vpn0` of thread `t`'s 4 MiB region at VA to RAM offset `off`. */
function map(m: TestMachine, t: number, vpn0: number, off: number): void {
  const pte = ((((BASE + off) >>> 12) << 10) | PTE) >>> 0;
  m.ram.i32[(L2S[t] >> 2) + vpn0] = pte | 0;
}

/** One thread's saved state. */
interface Thread {
  readonly file: Int32Array;
  pc: number;
}

/** Runs both threads under `engine`; returns the machine and what the hook saw. */
function runWith(
  engine: "interp" | "jit",
): { m: TestMachine; seen: number[][]; files: Int32Array[] } {
  const m = machine([], { engine, hotThreshold: 40 });
  const { cpu, ram, clock } = m;
  load(ram, MAIN, PROGRAM);
  load(ram, STUB, STUB_CODE);
  load(ram, STUB2, STUB_CODE);
  for (let t = 0; t < 2; t++) {
    ram.i32[(ROOTS[t] >> 2) + 1] = ((((BASE + L2S[t]) >>> 12) << 10) | 1) | 0;
    map(m, t, 0, MAIN);
    map(m, t, 1, STUB);
    map(m, t, 2, DATAS[t]);
  }
  const threads: Thread[] = [0, 1].map(() => ({ file: new Int32Array(33), pc: VA }));
  let cur = 0;
  const bind = (t: number) => {
    cpu.bindRegisters(threads[t].file, threads[t].file.subarray(0, 32));
    cpu.mmu.setSv32(ASIDS[t], (BASE + ROOTS[t]) >>> 12);
  };
  cpu.hostSupervisor = true;
  cpu.writeCsr(0x302, 1 << CAUSE.USER_ECALL); // medeleg
  cpu.writeCsr(0x300, cpu.readCsr(0x300) | (1 << 13)); // FS Initial
  cpu.priv = PRIV.U;
  bind(0);
  cpu.pc = VA;
  const seen: number[][] = [];
  const record = () => [cur, cpu.sepc, cpu.instret, clock.now, cpu.x[A7], cpu.x[7], cpu.mmu.hits];
  let calls = 0;
  let pending = false;
  // The answer, then (most often) the other thread, as a yield that switches.
  const answer = () => {
    cpu.x[A0] = (cpu.x[A0] + cpu.x[A7] * 3) | 0;
    threads[cur].pc = (cpu.sepc + 4) >>> 0;
    if (calls % 5 !== 0 && threads[cur ^ 1].pc !== END) {
      cur ^= 1;
      bind(cur);
    }
    cpu.sepc = threads[cur].pc;
    cpu.sret();
  };
  cpu.ecallHook = () => {
    calls++;
    seen.push(record());
    if (calls % 71 === 0) return EcallOutcome.DECLINED;
    if (calls % 97 === 0) {
      pending = true;
      return EcallOutcome.SERVICED;
    }
    if (calls % 41 === 0) clock.schedule(3 + (calls % 7), () => seen.push(record()));
    if (calls === 900) map(m, 1, 1, STUB2); // thread 1's stub: same code, another RAM page
    if (calls === 1400) map(m, 1, 1, STUB);
    if (calls === 900 || calls === 1400) cpu.mmu.flush();
    answer();
    return EcallOutcome.RESUMED;
  };
  let seed = 777;
  for (let guard = 0; guard < 100_000; guard++) {
    if (cpu.pc === END) {
      threads[cur].pc = END;
      if (threads[cur ^ 1].pc === END) break;
      cur ^= 1; // this thread is done: run the other one
      bind(cur);
      cpu.pc = threads[cur].pc;
    }
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const stop = cpu.run(1 + (seed % 500));
    if (stop === StopReason.HOST_TRAP || pending) {
      pending = false;
      answer();
    }
  }
  return { m, seen, files: threads.map((t) => t.file) };
}

Deno.test("thread switches at ecalls: a page function going on in the other thread agrees with the interpreter", () => {
  const a = runWith("interp");
  const b = runWith("jit");
  assert.equal(a.m.cpu.pc, END);
  assert.ok(a.seen.length >= 2 * LOOPS, `${a.seen.length} records`);
  for (let i = 0; i < Math.max(a.seen.length, b.seen.length); i++) {
    assert.deepStrictEqual(b.seen[i], a.seen[i], `record ${i}`);
  }
  assert.deepStrictEqual([...b.files[0]], [...a.files[0]]);
  assert.deepStrictEqual([...b.files[1]], [...a.files[1]]);
  assert.equal(b.m.cpu.instret, a.m.cpu.instret);
  assert.equal(b.m.clock.now, a.m.clock.now);
  assert.equal(b.m.cpu.mmu.hits, a.m.cpu.mmu.hits);
  assert.equal(b.m.cpu.mmu.misses, a.m.cpu.mmu.misses);
  assert.deepStrictEqual(b.m.ram.u8, a.m.ram.u8);
  // Each thread's sum is in its own data page (the ASIDs were rebound).
  const sum = (t: number) => a.m.ram.i32[DATAS[t] >> 2];
  assert.notEqual(sum(0), 0);
  assert.notEqual(sum(1), 0);
  const switches = b.m.cpu.translator!.switches;
  assert.ok(switches > LOOPS, `${switches} switches at page functions' ecalls`);
});
