import assert from "node:assert/strict";
import { HotPathError, measureHotPath, median, runHotPath } from "../../bench/hot_paths.ts";
import { runGuest } from "../../system/boot.ts";

Deno.test("hot paths: per-operation figures are N differences with the documented cycles", async () => {
  const spec = { name: "getpid", program: "bench_getpid", n1: 100, n2: 1_100, opsPerN: 1 };
  const f = await measureHotPath(runGuest, spec, "interp");
  // Small Ns: the timer interrupts of a slice add a fraction of a cycle per call.
  assert.equal(Math.round(f.cycles), 121);
  assert.ok(Number.isFinite(f.ns) && Number.isFinite(f.bytes));
  const yields = { name: "yield", program: "bench_yield", n1: 100, n2: 600, opsPerN: 2 };
  assert.equal(Math.round((await measureHotPath(runGuest, yields, "interp")).cycles), 426);
});

Deno.test("hot paths: a program that does not print its ok line is an error", async () => {
  await assert.rejects(() => runHotPath(runGuest, "false", 1, "interp"), HotPathError);
});

Deno.test("hot paths: median of an odd and an even count", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 3);
});
