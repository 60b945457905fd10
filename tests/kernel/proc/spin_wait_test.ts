import assert from "node:assert/strict";
import { SimClock } from "../../../hw/clock.ts";
import { spinWait } from "../../../kernel/proc/spin_wait.ts";

function setup() {
  const clock = new SimClock(1000);
  let charged = 0;
  const charge = (c: number) => {
    charged += c;
    clock.advanceTo(clock.now + c);
  };
  return { clock, charge, charged: () => charged };
}

Deno.test("spinWait: charges whole poll periods up to the first poll after the event", () => {
  const s = setup();
  let ready = false;
  s.clock.schedule(95, () => ready = true);
  let tests = 0;
  const spent = spinWait(s.clock, s.charge, () => (tests++, ready), 10, 10_000);
  assert.equal(spent, 100, "polls at 0, 10, ..., 100: the one at 100 sees it");
  assert.equal(s.charged(), 100);
  assert.equal(s.clock.now, 100);
  assert.ok(tests <= 3, `the empty turns are not iterated (${tests} tests)`);
});

Deno.test("spinWait: a condition already true costs nothing", () => {
  const s = setup();
  assert.equal(spinWait(s.clock, s.charge, () => true, 10, 100), 0);
  assert.equal(s.clock.now, 0);
});

Deno.test("spinWait: gives up after maxCycles (rounded to whole polls), having charged them", () => {
  const s = setup();
  s.clock.schedule(30, () => {}); // an unrelated event on the way
  assert.equal(spinWait(s.clock, s.charge, () => false, 7, 100), -1);
  assert.equal(s.charged(), 105);
  assert.equal(s.clock.now, 105);
});

Deno.test("spinWait: events that do not satisfy the condition keep it polling", () => {
  const s = setup();
  let n = 0;
  for (const t of [5, 17, 40]) s.clock.schedule(t, () => n++);
  assert.equal(spinWait(s.clock, s.charge, () => n === 3, 4, 1000), 40);
});
