/**
 * Threads in the process table: tids share the pid space, a thread's exit
 * leaves the process running, the leader stays as a zombie thread, the
 * per-user thread limit, execve's takeover by the leader, and the futex
 * table's wake, bitset and requeue rules on a fake address space, and the
 * shared pending set of process-directed signals.
 */
import assert from "node:assert/strict";
import { SimClock } from "../../../hw/clock.ts";
import { K } from "../../../kernel/errors.ts";
import { FutexTable } from "../../../kernel/ipc/futex.ts";
import { SIG } from "../../../kernel/ipc/signal_numbers.ts";
import { SignalEngine } from "../../../kernel/ipc/signals.ts";
import { WaitQueue } from "../../../kernel/ipc/wait_queue.ts";
import { BLOCK } from "../../../kernel/proc/call_result.ts";
import { FifoPolicy } from "../../../kernel/proc/fifo_policy.ts";
import { type ProcSpace, TaskState } from "../../../kernel/proc/process.ts";
import { ProcessTable } from "../../../kernel/proc/process_table.ts";
import { EnqueueReason } from "../../../kernel/proc/scheduler.ts";

function setup() {
  const clock = new SimClock(1_000_000, 1);
  const table = new ProcessTable(new FifoPolicy(), (n) => new WaitQueue(n), {
    cancel: (id) => clock.cancel(id),
  });
  const p = table.create(null)!;
  table.makeReady(p.mainThread, EnqueueReason.NEW);
  return { clock, table, p };
}

Deno.test("threads: tids come from the pid space and are found by tid", () => {
  const { table, p } = setup();
  const t2 = table.addThread(p)!;
  const t3 = table.addThread(p)!;
  assert.deepEqual([p.pid, t2.tid, t3.tid], [1, 2, 3]);
  assert.equal(table.thread(3), t3);
  assert.equal(p.liveThreads, 3);
  const q = table.create(p)!;
  assert.equal(q.pid, 4, "a new process skips the tids in use");
});

Deno.test("threads: one thread's exit leaves the others; the leader stays a zombie thread", () => {
  const { table, p } = setup();
  const t2 = table.addThread(p)!;
  table.makeReady(t2, EnqueueReason.NEW);
  t2.userCycles = 500;
  table.retireThread(t2);
  assert.equal(table.thread(t2.tid), undefined);
  assert.equal(p.threads.length, 1);
  assert.equal(p.exitedUserCycles, 500, "its CPU time stays with the process");
  const t3 = table.addThread(p)!;
  table.retireThread(p.mainThread);
  assert.equal(p.mainThread.state, TaskState.ZOMBIE);
  assert.equal(p.threads.length, 2);
  assert.equal(p.liveThreads, 1);
  assert.notEqual(p.state, TaskState.ZOMBIE);
  assert.equal(table.thread(t3.tid), t3);
});

Deno.test("threads: a non-root user's threads stop at the limit; root is exempt", () => {
  const { table, p } = setup();
  table.maxUserThreads = 3;
  p.uid = 1000;
  assert.ok(table.addThread(p) !== null);
  assert.ok(table.addThread(p) !== null);
  assert.equal(table.addThread(p), null, "third thread of the user: refused");
  p.uid = 0;
  assert.ok(table.addThread(p) !== null);
});

Deno.test("threads: after exec by a thread the leader takes over and the others end", () => {
  const { table, p } = setup();
  const t2 = table.addThread(p)!;
  const t3 = table.addThread(p)!;
  t3.regs[5] = 77;
  t3.pc = 0x1234;
  const runner = table.execTakeover(t3);
  assert.equal(runner, p.mainThread);
  assert.equal(runner.regs[5], 77);
  assert.equal(runner.pc, 0x1234);
  assert.equal(runner.state, TaskState.READY);
  assert.equal(p.liveThreads, 1);
  assert.equal(table.thread(t2.tid), undefined);
  assert.equal(table.thread(t3.tid), undefined);
});

/** A fake address space: words in a Map, addresses below 0x1000 unmapped. */
function fakeSpace(words: Map<number, number>) {
  return {
    satp: 0,
    asid: 1,
    destroy() {},
    readU32: (a: number) => (a < 0x1000 ? K.FAULT : (words.get(a) ?? 0)),
  } as unknown as ProcSpace;
}

Deno.test("futex table: compare, wake by bitset, requeue, errors", () => {
  const { table, p, clock } = setup();
  const words = new Map<number, number>([[0x2000, 7]]);
  p.space = fakeSpace(words);
  const futex = new FutexTable({
    park: (t, place) => table.park(t, place),
    wake: (t) => table.wakeThread(t),
    armWake: () => {},
    nowNs: () => clock.now,
  });
  const a = p.mainThread, b = table.addThread(p)!, c = table.addThread(p)!;
  assert.equal(futex.wait(a, 0x2001, 7, -1, -1), K.INVAL, "unaligned");
  assert.equal(futex.wait(a, 0x10, 7, -1, -1), K.FAULT, "unmapped");
  assert.equal(futex.wait(a, 0x2000, 6, -1, -1), K.AGAIN, "value differs");
  assert.equal(futex.wait(a, 0x2000, 7, 0, -1), K.INVAL, "bitset 0");
  assert.equal(futex.wait(a, 0x2000, 7, 1, -1), BLOCK);
  assert.equal(futex.wait(b, 0x2000, 7, 2, -1), BLOCK);
  assert.equal(futex.wait(c, 0x2000, 7, -1, -1), BLOCK);
  assert.equal(futex.wake(a, 0x2000, 5, 2), 2, "bitset 2 wakes b and c");
  assert.equal(b.state, TaskState.READY);
  assert.equal(futex.wait(b, 0x2000, 7, -1, -1), 0, "the restarted wait answers 0");
  assert.equal(a.state, TaskState.BLOCKED);
  assert.equal(futex.requeue(b, 0x2000, 0, 0x3000, 1, 8), K.AGAIN, "CMP_REQUEUE mismatch");
  assert.equal(futex.requeue(b, 0x2000, 0, 0x3000, 1, 7), 1, "moved one");
  assert.equal(futex.wake(b, 0x2000, 1, -1), 0, "nobody left on the first word");
  assert.equal(futex.wake(b, 0x3000, 1, -1), 1, "a waits on the second now");
  assert.equal(a.state, TaskState.READY);
});

Deno.test("signals: a process-directed signal every thread blocks waits for the first to unblock it", () => {
  const { table, p } = setup();
  const terminated: number[] = [];
  const engine = new SignalEngine(table, {
    terminate: (_p, sig) => terminated.push(sig),
    deliverToHandler: () => true,
    interruptedResult: () => -4,
    charge: () => {},
    deliveryCost: 0,
  });
  const a = p.mainThread, b = table.addThread(p)!;
  table.makeReady(b, EnqueueReason.NEW);
  const usr1 = 1 << (SIG.USR1 - 1);
  engine.setMask(a, usr1, 0);
  engine.setMask(b, usr1, 0);
  assert.equal(engine.send(p, SIG.USR1, 7), K.OK);
  assert.equal(p.sigSharedLo, usr1, "held in the shared set");
  assert.equal(a.sigPendingLo | b.sigPendingLo, 0);
  engine.setMask(b, 0, 0);
  assert.equal(b.sigPendingLo, usr1, "the unblocking thread takes it");
  assert.equal(b.sigInfo[SIG.USR1 * 4], 7, "with its sender");
  assert.equal(p.sigSharedLo, 0);
  // A thread-directed signal stays on its thread even if a sibling does not block it.
  engine.setMask(a, 0, 0);
  engine.setMask(b, usr1, 0);
  engine.sendThread(b, SIG.USR1, 0);
  assert.equal(b.sigPendingLo & usr1, usr1);
  assert.equal(a.sigPendingLo & usr1, 0);
  assert.deepEqual(terminated, []);
});
