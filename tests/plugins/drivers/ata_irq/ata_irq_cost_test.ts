import assert from "node:assert/strict";
import { K } from "../../../../kernel/api.ts";
import { pattern } from "../ata_common/ata_cases.ts";
import { makeRig } from "../ata_common/ata_rig.ts";

Deno.test("ata_irq: one interrupt per sector, and the CPU is free while the disk seeks", () => {
  const rig = makeRig("irq");
  const d = rig.disks[0];
  const w = rig.request("write", 1000, 40, pattern(40 * 512, 5));
  const t0 = rig.clock.now;
  assert.deepEqual(rig.run([w.req]), [K.OK]);
  // PIO data-out: 39 interrupts asking for sectors 2-40, one at the end.
  assert.equal(d.stats.interrupts, 40);
  const r = rig.request("read", 3000, 24);
  assert.deepEqual(rig.run([r.req]), [K.OK]);
  assert.equal(d.stats.interrupts, 64, "PIO data-in: one per sector");
  assert.deepEqual(rig.irqs, [false]);
  const elapsed = rig.clock.now - t0;
  // Words still cost the CPU (64 sectors x 256 x 12 cycles), the waiting does not.
  assert.ok(rig.cpu.cycles >= 64 * 256 * 12);
  assert.ok(rig.cpu.cycles < elapsed / 4, `${rig.cpu.cycles} of ${elapsed}`);
});
