import assert from "node:assert/strict";
import {
  EnqueueReason,
  FifoPolicy,
  ProcessTable,
  SCHED,
  type SchedulerPolicy,
  type Thread,
} from "../../../kernel/proc/mod.ts";
import { SchedInfo } from "../../../kernel/proc/sched_info.ts";
import { WaitQueue } from "../../../kernel/ipc/wait_queue.ts";
import { PriorityPolicy } from "../../../plugins/schedulers/priority.ts";
import { MLFQ_LEVELS, MlfqPolicy } from "../../../plugins/schedulers/mlfq.ts";
import { LotteryPolicy } from "../../../plugins/schedulers/lottery.ts";
import { StridePolicy } from "../../../plugins/schedulers/stride.ts";
import { EdfPolicy } from "../../../plugins/schedulers/edf.ts";
import { liuLaylandBound, RmPolicy } from "../../../plugins/schedulers/rm.ts";

const Q = 1000;

/** `n` threads, each the main thread of its own process. */
function threads(n: number): Thread[] {
  const table = new ProcessTable(new FifoPolicy(), (q) => new WaitQueue(q), { cancel: () => {} });
  const init = table.create(null)!;
  const out = [init.mainThread];
  for (let i = 1; i < n; i++) out.push(table.create(init)!.mainThread);
  return out;
}

function deadline(t: Thread, runtimeNs: number, periodNs: number): void {
  const s = t.sched;
  s.policy = SCHED.DEADLINE;
  s.dlRuntime = runtimeNs;
  s.dlDeadline = s.dlPeriod = periodNs;
  s.dlRuntimeCycles = runtimeNs / 10;
  s.dlDeadlineCycles = s.dlPeriodCycles = periodNs / 10;
}

function order(p: SchedulerPolicy, now = 0): number[] {
  const out: number[] = [];
  for (let t = p.pickNext(now); t !== null; t = p.pickNext(now)) out.push(t.tid);
  return out;
}

Deno.test("priority: lower nice first, FIFO among equals, real-time classes before all", () => {
  const [a, b, c, d] = threads(4);
  a.priority = 5;
  b.priority = -3;
  c.priority = 5;
  d.sched.policy = SCHED.FIFO;
  d.sched.rtPriority = 10;
  d.priority = 19;
  const p = new PriorityPolicy();
  for (const t of [a, b, c, d]) p.enqueue(t, EnqueueReason.NEW);
  assert.deepEqual(order(p), [d.tid, b.tid, a.tid, c.tid]);
  assert.equal(p.preempts(b, a), true);
  assert.equal(p.preempts(a, b), false);
  assert.equal(p.preempts(d, b), true);
});

Deno.test("priority: aging lets a long-waiting low-priority thread run", () => {
  const [lo, hi] = threads(2);
  lo.priority = 10;
  hi.priority = 0;
  const p = new PriorityPolicy();
  p.quantum(lo, Q); // the aging interval follows the boot quantum (2 quanta a step)
  lo.sched.readyAt = 0;
  p.enqueue(lo, EnqueueReason.NEW);
  hi.sched.readyAt = 30 * Q;
  p.enqueue(hi, EnqueueReason.WAKE);
  // After 30 quanta, lo has aged 15 steps: 10 - 15 = -5 beats hi's 0.
  assert.equal(p.pickNext(30 * Q)?.tid, lo.tid);
});

Deno.test("mlfq: a thread that uses its allotment moves down; boost brings it back", () => {
  const [cpu, io] = threads(2);
  const p = new MlfqPolicy();
  p.enqueue(cpu, EnqueueReason.NEW);
  p.enqueue(io, EnqueueReason.NEW);
  assert.equal(p.quantum(cpu, Q), Q);
  p.charge(cpu, 2 * Q); // used the top level's allotment
  assert.equal(cpu.sched.level, 1);
  assert.equal(p.quantum(cpu, Q), 2 * Q);
  for (let i = 0; i < 10; i++) p.charge(cpu, 4 * Q);
  assert.equal(cpu.sched.level, MLFQ_LEVELS - 1);
  // io is still at the top: it runs first.
  assert.equal(p.pickNext(1)?.tid, io.tid);
  assert.equal(p.pickNext(1)?.tid, cpu.tid);
  p.enqueue(cpu, EnqueueReason.PREEMPT);
  // Past the boost period every thread is back at the top level.
  p.pickNext(1_000_000 * Q);
  p.enqueue(cpu, EnqueueReason.PREEMPT);
  assert.equal(cpu.sched.level, 0);
});

Deno.test("lottery: CPU shares follow the tickets (nice weights), deterministically", () => {
  const [a, b] = threads(2);
  b.priority = 5; // 335 tickets against 1024
  const wins = (seedRuns: number) => {
    const p = new LotteryPolicy();
    let wa = 0;
    for (let i = 0; i < seedRuns; i++) {
      p.enqueue(a, EnqueueReason.PREEMPT);
      p.enqueue(b, EnqueueReason.PREEMPT);
      const w = p.pickNext(0)!;
      if (w === a) wa++;
      p.remove(a);
      p.remove(b);
    }
    return wa;
  };
  const wa = wins(4000);
  assert.equal(wins(4000), wa, "same draws on every run");
  const share = wa / 4000, expected = 1024 / (1024 + 335);
  assert.ok(Math.abs(share - expected) < 0.03, `share ${share} vs ${expected}`);
});

Deno.test("stride: exact proportional shares", () => {
  const [a, b] = threads(2);
  b.priority = 5;
  const p = new StridePolicy();
  p.quantum(a, Q);
  p.enqueue(a, EnqueueReason.NEW);
  p.enqueue(b, EnqueueReason.NEW);
  const runs = new Map([[a, 0], [b, 0]]);
  for (let i = 0; i < 1359; i++) {
    const t = p.pickNext(0)!;
    runs.set(t, runs.get(t)! + 1);
    p.charge(t, Q);
    p.enqueue(t, EnqueueReason.PREEMPT);
  }
  assert.ok(Math.abs(runs.get(a)! - 1024) <= 2, `a ran ${runs.get(a)}`);
  assert.ok(Math.abs(runs.get(b)! - 335) <= 2, `b ran ${runs.get(b)}`);
});

Deno.test("edf: earliest absolute deadline first; admission at utilisation 1", () => {
  const [a, b, c, other] = threads(4);
  deadline(a, 3e6, 10e6);
  deadline(b, 5e6, 20e6);
  a.sched.absDeadline = 900;
  b.sched.absDeadline = 500;
  const p = new EdfPolicy();
  for (const t of [other, a, b]) p.enqueue(t, EnqueueReason.WAKE);
  assert.deepEqual(order(p), [b.tid, a.tid, other.tid]);
  assert.equal(p.preempts(b, a), true);
  assert.equal(p.preempts(a, b), false);
  const all = [a, b, c, other];
  const next = new SchedInfo();
  next.policy = SCHED.DEADLINE;
  next.dlRuntime = 4e6;
  next.dlPeriod = next.dlDeadline = 10e6; // 0.3 + 0.25 + 0.4 = 0.95
  assert.equal(p.admit(c, next, all), 0);
  next.dlRuntime = 5e6; // 1.05
  assert.equal(p.admit(c, next, all), -16);
});

Deno.test("rm: shortest period first; Liu and Layland admission", () => {
  const [a, b, c] = threads(3);
  deadline(a, 3e6, 10e6);
  deadline(b, 5e6, 20e6);
  const p = new RmPolicy();
  p.enqueue(b, EnqueueReason.WAKE);
  p.enqueue(a, EnqueueReason.WAKE);
  assert.deepEqual(order(p), [a.tid, b.tid]);
  assert.ok(Math.abs(liuLaylandBound(2) - 0.8284) < 1e-4);
  assert.ok(Math.abs(liuLaylandBound(3) - 0.7798) < 1e-4);
  const next = new SchedInfo();
  next.policy = SCHED.DEADLINE;
  next.dlRuntime = 2e6;
  next.dlPeriod = next.dlDeadline = 10e6; // 0.3 + 0.25 + 0.2 = 0.75 <= 0.7798
  assert.equal(p.admit(c, next, [a, b, c]), 0);
  next.dlRuntime = 3e6; // 0.85
  assert.equal(p.admit(c, next, [a, b, c]), -16);
});

Deno.test("policies hand their ready threads over in arrival order", () => {
  const ts = threads(4);
  for (const P of [PriorityPolicy, MlfqPolicy, LotteryPolicy, StridePolicy, EdfPolicy, RmPolicy]) {
    const p = new P();
    for (const t of ts) p.enqueue(t, EnqueueReason.NEW);
    p.remove(ts[1]);
    assert.equal(p.readyCount, 3);
    assert.deepEqual(p.drain().map((t) => t.tid), [ts[0].tid, ts[2].tid, ts[3].tid], p.name);
    assert.equal(p.readyCount, 0);
  }
});
