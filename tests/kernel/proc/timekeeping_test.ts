/** Simulated time stays exact: no timer or sleep is scheduled past 2^53 cycles. */
import assert from "node:assert/strict";
import { SimClock } from "../../../hw/clock.ts";
import { BLOCK } from "../../../kernel/proc/call_result.ts";
import { FifoPolicy, ProcessTable } from "../../../kernel/proc/mod.ts";
import { WaitQueue } from "../../../kernel/ipc/wait_queue.ts";
import { NEVER, TIME_HORIZON_CYCLES, Timekeeping } from "../../../kernel/proc/timekeeping.ts";

function setup() {
  const clock = new SimClock();
  const table = new ProcessTable(new FifoPolicy(), (n) => new WaitQueue(n), {
    cancel: (id) => clock.cancel(id),
  });
  const p = table.create(null)!;
  return { clock, table, t: p.mainThread, time: new Timekeeping(clock, table, 0n, () => {}) };
}

Deno.test("a sleep or timer past the 2^53-cycle horizon is never scheduled", () => {
  const { clock, t, time } = setup();
  const years = 1000 * 365 * 86400e9; // 1,000 years of ns: past 2^53 cycles from 1 MHz up
  assert.equal(time.startTimer(years, () => {}), NEVER);
  assert.equal(clock.pendingCount, 0);
  assert.equal(time.sleepUntil(t, years), BLOCK, "the sleeper sleeps on");
  assert.equal(t.timerEvent, NEVER);
  assert.equal(clock.pendingCount, 0);
  // Within the horizon, timers work as before.
  assert.ok(time.startTimer(1e9, () => {}) >= 0);
  assert.equal(clock.pendingCount, 1);
  assert.ok(TIME_HORIZON_CYCLES === 2 ** 53 - 1);
});
