import assert from "node:assert/strict";
import { formatGuestBenchTable, hostFigure } from "../../bench/guest_bench.ts";

Deno.test("bench tables: a per-operation host time that noise made zero or negative shows as noise", () => {
  assert.equal(hostFigure(812.4), "812");
  assert.equal(hostFigure(0), "noise");
  assert.equal(hostFigure(-35), "noise");
  const spec = { label: "getpid", program: "bench_getpid", n1: 100, n2: 200, opsPerN: 1 };
  const table = formatGuestBenchTable("t", [
    {
      spec,
      hostNsPerOp: -12,
      cyclesPerOp: 121,
      syscallsPerOp: 1,
      switchesPerOp: 0,
      qemuNsPerOp: 90,
    },
  ]);
  assert.doesNotMatch(table, /-12/);
  assert.match(table, /noise +121\.0/);
  assert.match(table, /^noise: the host time of the longer run/m);
});
