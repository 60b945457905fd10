import assert from "node:assert/strict";
import { K } from "../../../../kernel/api.ts";
import { pattern } from "../ata_common/ata_cases.ts";
import { makeRig } from "../ata_common/ata_rig.ts";

Deno.test("ata_poll: every cycle of a request is CPU time burnt polling or moving words", () => {
  const rig = makeRig("poll");
  const d = rig.disks[0];
  const w = rig.request("write", 1000, 64, pattern(64 * 512, 9));
  const r = rig.request("read", 3000, 64);
  const t0 = rig.clock.now;
  const c0 = d.stats.cpuCycles, p0 = d.stats.pollCycles;
  assert.deepEqual(rig.run([w.req, r.req]), [K.OK, K.OK]);
  const elapsed = rig.clock.now - t0;
  assert.equal(rig.cpu.cycles, elapsed, "the CPU did nothing else");
  assert.equal(d.stats.cpuCycles - c0, elapsed);
  assert.equal(d.stats.interrupts, 0);
  // The data port: 256 words of 120 ns (12 cycles) per sector.
  const pio = 128 * 256 * 12;
  const polled = d.stats.pollCycles - p0;
  assert.ok(polled > elapsed - pio - 1000, "the rest is polling");
  assert.ok(polled > pio, "seek and rotation dominate");
});
