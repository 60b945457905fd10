/**
 * The personality's onThreadExit hook: run for a thread that exits alone,
 * and for every live thread of a process that ends, before its onExit.
 */
import assert from "node:assert/strict";
import { SimClock } from "../../../hw/clock.ts";
import type { Personality } from "../../../kernel/api.ts";
import { type LifecycleDeps, ProcessLifecycle } from "../../../kernel/exec/lifecycle.ts";
import { WaitQueue } from "../../../kernel/ipc/wait_queue.ts";
import { FifoPolicy } from "../../../kernel/proc/fifo_policy.ts";
import type { Thread } from "../../../kernel/proc/process.ts";
import { ProcessTable } from "../../../kernel/proc/process_table.ts";
import { EnqueueReason } from "../../../kernel/proc/scheduler.ts";

function setup(events: string[]) {
  const clock = new SimClock(1_000_000, 1);
  const table = new ProcessTable(new FifoPolicy(), (n) => new WaitQueue(n), {
    cancel: (id) => clock.cancel(id),
  });
  const init = table.create(null)!;
  const pers = {
    name: "test",
    onThreadExit: (t: Thread) => events.push(`thread ${t.tid}`),
    onExit: () => events.push("process"),
  } as unknown as Personality;
  const deps = {
    table,
    clock,
    personalities: { ownerOf: () => null },
    signals: { notifyParent: () => {}, setMask: () => {} },
    costs: { threadCreate: 0 },
    charge: () => {},
    invalidateSpace: () => {},
    moduleRef: () => {},
    log: (line: string) => events.push(`log ${line}`),
  } as unknown as LifecycleDeps;
  const life = new ProcessLifecycle(deps);
  const p = table.create(init)!;
  p.personality = pers;
  table.makeReady(p.mainThread, EnqueueReason.NEW);
  return { table, life, p };
}

Deno.test("onThreadExit: a lone thread's exit, then each live thread before onExit", () => {
  const events: string[] = [];
  const { table, life, p } = setup(events);
  const t2 = table.addThread(p)!;
  const t3 = table.addThread(p)!;
  life.exitThread(t2, 5);
  assert.deepEqual(events, [`thread ${t2.tid}`]);
  life.exitThread(t3, 0);
  events.length = 0;
  life.terminate(p, 1, 0, false);
  assert.deepEqual(events, [`thread ${p.pid}`, "process"], "t3 already ended: not run again");
});

Deno.test("onThreadExit: the last thread's exit runs it once, and a throw is logged", () => {
  const events: string[] = [];
  const { life, p } = setup(events);
  (p.personality as { onThreadExit: () => void }).onThreadExit = () => {
    throw new Error("boom");
  };
  life.exitThread(p.mainThread, 3);
  assert.deepEqual(events, ["log onThreadExit threw: Error: boom", "process"]);
  assert.equal(p.exitCode, 3);
});
