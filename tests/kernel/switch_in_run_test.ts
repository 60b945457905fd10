// The in-run context switch (TrapLoop.switchInRun: a system call that ends
// the running thread's turn switches to the next one inside cpu.run) must be
// invisible: the same output, cycles, instructions, kernel counters and
// scheduling (every pick and every slice's accounting, in order) with and
// without it, under both CPU engines; and the same Chrome trace.
import assert from "node:assert/strict";
import { boot } from "../../system/boot.ts";
import type { BootOptions } from "../../system/boot_options.ts";
import type { Thread } from "../../kernel/proc/process.ts";
import { assertFinished, guarded } from "../guest_guard.ts";

/** One run; `log` gets every pick and every accounted slice of the policy, with the clock. */
async function runOnce(options: BootOptions & { maxCycles: number }, inRun: boolean) {
  const sys = await boot(guarded(options), { kind: "buffer", input: "" });
  const log: number[] = [];
  const loop = sys.kernel.loop;
  loop.switchInRun = inRun;
  const clock = sys.machine.clock;
  const policy = sys.kernel.table.policy;
  const pick = policy.pickNext.bind(policy);
  policy.pickNext = (now: number): Thread | null => {
    const t = pick(now);
    if (t !== null) {
      log.push(clock.now, t.tid, t.userCycles, t.systemCycles, t.sliceLeft);
      log.push(t.voluntarySwitches, t.involuntarySwitches);
    }
    return t;
  };
  const charge = policy.charge?.bind(policy);
  policy.charge = (t: Thread, cycles: number): void => {
    log.push(clock.now, -t.tid, cycles);
    charge?.(t, cycles);
  };
  try {
    const r = assertFinished(await sys.run(), `${options.cmd} (in-run switch ${inRun})`);
    const jitCalls = sys.machine.cpu.translator?.ecalls ?? 0;
    return { r, log, fp: [loop.fp.saves, loop.fp.loads], inRun: loop.switchesInRun, jitCalls };
  } finally {
    sys.machine.close();
  }
}

const CASES = [
  "bench_yield 3000",
  "bench_pipe 300",
  "bench_thread_switch 500",
  "test_signal && test_threads && test_preempt",
];

for (const cpu of ["interp", "jit"] as const) {
  for (const cmd of CASES) {
    Deno.test(`in-run switch (${cpu}): '${cmd}' runs identically with and without it`, async () => {
      // A low threshold, so that the translator's page functions make the calls.
      const options = { cmd, cpu, maxCycles: 400_000_000, quantum: "1ms", hotThreshold: 64 };
      const on = await runOnce(options, true);
      const off = await runOnce(options, false);
      assert.equal(on.r.status, 0, on.r.output);
      assert.equal(on.r.output, off.r.output);
      assert.equal(on.r.cycles, off.r.cycles);
      assert.equal(on.r.instret, off.r.instret);
      assert.deepEqual(on.r.stats, off.r.stats);
      assert.deepEqual(on.fp, off.fp);
      assert.ok(on.log.length > 0);
      assert.equal(off.inRun, 0);
      if (cpu === "jit") assert.ok(on.jitCalls > 1000, `${on.jitCalls} calls from page functions`);
      // Most switches of these programs happen in a system call.
      assert.ok(on.inRun > on.r.stats.contextSwitches / 2, `${on.inRun} in run`);
      assert.deepEqual(on.log, off.log);
    });
  }
}

Deno.test("in-run switch: a Chrome trace is the same with and without it (the loop switches when tracing)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "strata_switch_" });
  try {
    const traces = [];
    for (const inRun of [true, false]) {
      const chromeTrace = `${dir}/${inRun}.json`;
      const options = {
        cmd: "bench_yield 300; bench_pipe 50",
        maxCycles: 100_000_000,
        chromeTrace,
      };
      const on = await runOnce(options, inRun);
      assert.equal(on.r.status, 0, on.r.output);
      // Recording slices needs the loop's own switch: none happens in the hook.
      assert.equal(on.inRun, 0);
      traces.push(await Deno.readTextFile(chromeTrace));
    }
    assert.ok(traces[0].includes("bench_yield"));
    assert.equal(traces[0], traces[1]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
