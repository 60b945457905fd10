/**
 * The process table's side of a parked call's finish (`ParkedCall`): a
 * finish that completes moves the pc past the ecall and resets the restart
 * state; one that does not leaves the restart; a signal, stop or exit drops
 * it; and a signal that arrives while the finish runs (a clock event its
 * cycle charge fires) leaves the completed result, not an EINTR.
 */
import assert from "node:assert/strict";
import { SimClock } from "../../../hw/clock.ts";
import { WaitQueue } from "../../../kernel/ipc/wait_queue.ts";
import { FifoPolicy } from "../../../kernel/proc/fifo_policy.ts";
import { type ParkedCall, TaskState, type Thread } from "../../../kernel/proc/process.ts";
import { ProcessTable } from "../../../kernel/proc/process_table.ts";
import { EnqueueReason } from "../../../kernel/proc/scheduler.ts";

const ECALL = 0x1000;

/** A thread parked on a fresh queue at an ecall, with `finish`. */
function parked(finish: ParkedCall) {
  const clock = new SimClock(1_000_000, 1);
  const table = new ProcessTable(new FifoPolicy(), (n) => new WaitQueue(n), {
    cancel: (id) => clock.cancel(id),
  });
  table.useClock(clock);
  const t = table.create(null)!.mainThread;
  table.makeReady(t, EnqueueReason.NEW);
  table.policy.pickNext(0);
  t.state = TaskState.RUNNING;
  const q = new WaitQueue("test");
  t.restartPc = ECALL;
  t.pc = ECALL;
  t.restartState = 7;
  t.partialResult = 3;
  q.add(t);
  table.park(t, q);
  t.parkedCall = finish;
  return { table, t, q };
}

/** A finish answering `done` (setting a0 to 42 when it completes) that counts its runs. */
function finishing(done: boolean, during?: (t: Thread) => void) {
  const f = {
    runs: 0,
    finish(t: Thread): boolean {
      f.runs++;
      during?.(t);
      if (done) t.regs[10] = 42;
      return done;
    },
  };
  return f;
}

Deno.test("parked call: a finish that completes moves the pc past the ecall and resets the restart state", () => {
  const f = finishing(true);
  const { table, t, q } = parked(f);
  q.wakeAll();
  assert.equal(f.runs, 1);
  assert.equal(t.state, TaskState.READY);
  assert.equal(t.pc, ECALL + 4);
  assert.equal(t.regs[10], 42);
  assert.deepEqual([t.restartState, t.partialResult, t.parkedCall], [-1, -1, null]);
  assert.equal(table.policy.pickNext(0), t);
});

Deno.test("parked call: a finish that does not complete leaves the restart from the ecall", () => {
  const f = finishing(false);
  const { t, q } = parked(f);
  q.wakeAll();
  assert.equal(f.runs, 1);
  assert.equal(t.state, TaskState.READY);
  assert.equal(t.pc, ECALL);
  assert.deepEqual([t.restartState, t.partialResult], [7, 3]);
});

Deno.test("parked call: a signal or a stop drops the finish; the call restarts", () => {
  for (const how of ["interrupt", "stop"] as const) {
    const f = finishing(true);
    const { table, t, q } = parked(f);
    if (how === "interrupt") table.interrupt(t);
    else table.stop(t.process);
    assert.equal(t.parkedCall, null);
    assert.equal(t.interrupted, true);
    q.wakeAll();
    assert.equal(f.runs, 0, how);
    assert.equal(t.pc, ECALL, how);
  }
});

Deno.test("parked call: a signal during a completing finish is delivered after the call, not as EINTR", () => {
  let table: ProcessTable | null = null;
  const f = finishing(true, (t) => table!.interrupt(t));
  const p = parked(f);
  table = p.table;
  p.q.wakeAll();
  const t = p.t;
  assert.equal(t.state, TaskState.READY);
  assert.equal(t.pc, ECALL + 4);
  assert.equal(t.regs[10], 42);
  assert.equal(t.interrupted, false, "the call completed: no EINTR at delivery");
  assert.equal(table.policy.pickNext(0), t);
  assert.equal(table.policy.pickNext(0), null, "queued once");
});
