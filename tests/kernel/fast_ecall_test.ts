// The in-run system-call fast path (Cpu.ecallHook) must be invisible: the
// same programs give the same output, status, cycles and instructions with
// and without it.
import assert from "node:assert/strict";
import { boot } from "../../system/boot.ts";
import { assertFinished, guarded } from "../guest_guard.ts";

async function runBoth(cmd: string, input = "") {
  const results = [];
  for (const fast of [true, false]) {
    // The commands need at most ~7 M cycles.
    const sys = await boot(guarded({ cmd, maxCycles: 300_000_000 }), { kind: "buffer", input });
    if (!fast) sys.machine.cpu.ecallHook = null;
    try {
      results.push(assertFinished(await sys.run(), `${cmd} (fast path ${fast})`));
    } finally {
      sys.machine.close();
    }
  }
  return results;
}

for (
  const cmd of [
    "echo hello | wc -c",
    "test_pipe && test_signal && test_fork_tree",
    "bench_yield 200; bench_pipe 200",
    "test_preempt",
  ]
) {
  Deno.test(`fast ecall path: '${cmd}' runs identically with and without it`, async () => {
    const [fast, slow] = await runBoth(cmd);
    assert.equal(fast.status, 0, fast.output);
    assert.equal(fast.output, slow.output);
    assert.equal(fast.status, slow.status);
    assert.equal(fast.cycles, slow.cycles);
    assert.equal(fast.instret, slow.instret);
    assert.equal(fast.stats.syscalls, slow.stats.syscalls);
  });
}
