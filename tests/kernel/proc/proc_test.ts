import assert from "node:assert/strict";
import {
  EnqueueReason,
  FifoPolicy,
  PID_MAX,
  ProcessTable,
  TaskState,
  type Thread,
} from "../../../kernel/proc/mod.ts";
import { WaitQueue } from "../../../kernel/ipc/wait_queue.ts";
import { RoundRobinPolicy } from "../../../plugins/schedulers/round_robin.ts";

function table() {
  const cancelled: number[] = [];
  const t = new ProcessTable(new FifoPolicy(), (n) => new WaitQueue(n), {
    cancel: (id) => void cancelled.push(id),
  });
  return { t, cancelled };
}

Deno.test("process table: pids, tree, groups inherited", () => {
  const { t } = table();
  const init = t.create(null)!;
  assert.equal(init.pid, 1);
  assert.equal(t.init, init);
  assert.equal(init.mainThread.tid, 1);
  const a = t.create(init)!;
  const b = t.create(a)!;
  assert.deepEqual([a.pid, b.pid], [2, 3]);
  assert.equal(b.ppid, 2);
  assert.equal(b.pgid, init.pgid);
  assert.equal(b.sid, init.sid);
  assert.deepEqual(t.list().map((p) => p.pid), [1, 2, 3]);
});

Deno.test("process table: orphans are reparented to init, zombies reaped", () => {
  const { t } = table();
  const init = t.create(null)!;
  const a = t.create(init)!;
  const b = t.create(a)!;
  const c = t.create(a)!;
  t.zombify(c);
  let woken = 0;
  t.childEvents(init).add({ wake: () => woken++ } as never);
  t.zombify(a);
  assert.equal(a.state, TaskState.ZOMBIE);
  assert.equal(b.parent, init);
  assert.equal(c.parent, init);
  assert.ok(init.children.includes(b) && init.children.includes(c));
  assert.equal(woken, 1, "init told about the inherited zombie");
  t.reap(c);
  assert.equal(t.get(c.pid), undefined);
  assert.ok(!init.children.includes(c));
  assert.throws(() => t.reap(b), /live process/);
});

Deno.test("process table: pid allocation wraps and skips live pids and groups", () => {
  const { t } = table();
  const init = t.create(null)!;
  const a = t.create(init)!; // 2
  a.pgid = 3; // a group id in use must not be handed out as a pid
  const b = t.create(init)!;
  assert.equal(b.pid, 4);
});

Deno.test("park, wake and interrupt move threads between states", () => {
  const { t, cancelled } = table();
  const init = t.create(null)!;
  const th = init.mainThread;
  t.makeReady(th, EnqueueReason.NEW);
  assert.equal(t.policy.readyCount, 1);
  const q = new WaitQueue("test");
  q.add(th);
  t.park(th, q);
  assert.equal(th.state, TaskState.BLOCKED);
  assert.equal(t.policy.readyCount, 0, "parking a ready thread removes it from the queue");
  q.wakeAll();
  assert.equal(th.state, TaskState.READY);
  assert.equal(th.interrupted, false);
  assert.equal(t.policy.pickNext(0), th);
  q.add(th);
  t.park(th, q);
  th.timerEvent = 42;
  t.interrupt(th);
  assert.equal(th.state, TaskState.READY);
  assert.equal(th.interrupted, true);
  assert.equal(q.length, 0, "interrupted thread leaves its queue");
  assert.deepEqual(cancelled, [42], "its timer is cancelled");
});

Deno.test("stop and resume (job control)", () => {
  const { t } = table();
  const init = t.create(null)!;
  const p = t.create(init)!;
  t.makeReady(p.mainThread, EnqueueReason.NEW);
  t.stop(p);
  assert.equal(p.state, TaskState.STOPPED);
  assert.equal(p.mainThread.state, TaskState.STOPPED);
  assert.equal(t.policy.readyCount, 0);
  assert.ok(t.resume(p));
  assert.equal(p.mainThread.state, TaskState.READY);
  assert.equal(t.policy.readyCount, 1);
  assert.ok(!t.resume(p));
});

Deno.test("round robin: FIFO order, removal, quantum, migration keeps order", () => {
  const { t } = table();
  const init = t.create(null)!;
  const ps = [init, t.create(init)!, t.create(init)!, t.create(init)!];
  for (const p of ps) t.makeReady(p.mainThread, EnqueueReason.NEW);
  const rr = new RoundRobinPolicy();
  t.setPolicy(rr);
  assert.equal(rr.readyCount, 4);
  rr.remove(ps[1].mainThread);
  assert.equal(rr.readyCount, 3);
  const order: number[] = [];
  for (let i = 0; i < 6; i++) {
    const th = rr.pickNext(0)!;
    order.push(th.tid);
    rr.enqueue(th, EnqueueReason.PREEMPT);
  }
  assert.deepEqual(order, [1, 3, 4, 1, 3, 4]);
  assert.equal(rr.quantum(ps[0].mainThread, 12345), 12345);
  assert.equal(new RoundRobinPolicy(500).quantum(ps[0].mainThread, 12345), 500);
  rr.enqueue(ps[0].mainThread, EnqueueReason.WAKE);
  assert.equal(rr.readyCount, 3, "double enqueue is ignored");
  assert.deepEqual(rr.drain().map((x) => x.tid), [1, 3, 4]);
  assert.equal(rr.pickNext(0), null);
});

Deno.test("round robin: many enqueue/pick cycles stay O(1) and correct", () => {
  const { t } = table();
  const init = t.create(null)!;
  const rr = new RoundRobinPolicy();
  const a = init.mainThread, b = t.create(init)!.mainThread;
  rr.enqueue(a, 0);
  rr.enqueue(b, 0);
  for (let i = 0; i < 10_000; i++) {
    const th = rr.pickNext(0)!;
    assert.equal(th, i % 2 === 0 ? a : b);
    rr.enqueue(th, 0);
  }
  assert.equal(rr.readyCount, 2);
});

Deno.test("wait queue: wakeAll wakes each waiter once; a waiter that parks again while woken stays parked", () => {
  const q = new WaitQueue("test");
  const log: string[] = [];
  // One waiter (the fast path) and several, each re-parking from its wake.
  for (const count of [1, 3]) {
    log.length = 0;
    const ws = Array.from({ length: count }, (_, i) => ({
      wake() {
        log.push(`w${i}`);
        q.add(this);
      },
    }));
    for (const w of ws) q.add(w);
    q.add(ws[0]); // already there: no second entry
    assert.equal(q.length, count);
    q.wakeAll();
    assert.deepEqual(log, ws.map((_, i) => `w${i}`), "each woken once, in order");
    assert.equal(q.length, count, "re-parked during the wake-up");
    for (const w of ws) q.remove(w);
    assert.equal(q.length, 0);
  }
  q.wakeAll(); // empty: nothing happens
  q.wakeOne();
  assert.equal(q.length, 0);
});

Deno.test("FifoPolicy: first in, first out across wrap-around, growth and removals", () => {
  const policy = new FifoPolicy();
  const mk = (id: number) => ({ id, schedData: null }) as unknown as Thread & { id: number };
  const expected: number[] = [];
  const got: number[] = [];
  let next = 0;
  // Interleave enqueues and picks so the ring wraps, then grow it past 16 with
  // a removed thread in the middle.
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 10; i++) {
      const t = mk(next++);
      policy.enqueue(t, EnqueueReason.NEW);
      policy.enqueue(t, EnqueueReason.NEW); // a second enqueue is ignored
      if (t.id % 7 === 3) policy.remove(t);
      else expected.push(t.id);
    }
    for (let i = 0; i < 6; i++) {
      const t = policy.pickNext(0) as (Thread & { id: number }) | null;
      if (t !== null) got.push(t.id);
    }
  }
  for (let i = 0; i < 40; i++) policy.enqueue(mk(next++), EnqueueReason.NEW);
  for (let i = 50; i < 90; i++) expected.push(i);
  assert.equal(policy.readyCount, expected.length - got.length);
  for (let t = policy.pickNext(0); t !== null; t = policy.pickNext(0)) {
    got.push((t as Thread & { id: number }).id);
  }
  assert.deepEqual(got, expected);
  assert.equal(policy.readyCount, 0);
});

Deno.test("process handles: the object outlives reaping and its pid is not reused until released", () => {
  const { t } = table();
  const init = t.create(null)!;
  const child = t.create(init)!;
  t.retain(child);
  const exited = t.exitEvent(child)!;
  let woken = 0;
  exited.add({ wake: () => void woken++ } as unknown as Thread);
  child.exitCode = 7;
  t.zombify(child);
  assert.equal(woken, 1, "waiters on the handle see the exit");
  assert.equal(t.exitEvent(child), null, "an exited process has nothing left to wait for");
  t.reap(child);
  assert.equal(child.reaped, true);
  assert.equal(child.exitCode, 7, "exit status still readable through the handle");
  assert.equal(t.get(child.pid), undefined);
  // Go round the whole pid space: the held pid is skipped.
  const seen = new Set<number>();
  for (let i = 0; i < PID_MAX - 2; i++) {
    const p = t.create(init);
    if (p === null) break;
    seen.add(p.pid);
    t.zombify(p);
    t.reap(p);
  }
  assert.equal(seen.has(child.pid), false, "pid not reused while a handle holds it");
  t.release(child);
  let reused = false;
  for (let i = 0; i < PID_MAX && !reused; i++) {
    const p = t.create(init)!;
    reused = p.pid === child.pid;
    t.zombify(p);
    t.reap(p);
  }
  assert.ok(reused, "pid free again after the last handle went");
  assert.throws(() => t.release(child));
});
