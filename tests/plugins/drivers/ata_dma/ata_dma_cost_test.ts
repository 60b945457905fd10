import assert from "node:assert/strict";
import { MemoryDiskImage } from "../../../../hw/disk_image.ts";
import { K, type KStatus } from "../../../../kernel/api.ts";
import { pattern } from "../ata_common/ata_cases.ts";
import { makeRig } from "../ata_common/ata_rig.ts";

Deno.test("ata_dma: one interrupt per command, and little CPU per byte", () => {
  const rig = makeRig("dma");
  const d = rig.disks[0];
  const data = pattern(300 * 512, 6);
  const w = rig.request("write", 2000, 300, data);
  const r = rig.request("read", 2000, 300);
  const t0 = rig.clock.now;
  assert.deepEqual(rig.run([w.req, r.req]), [K.OK, K.OK]);
  assert.deepEqual(r.req.data, data);
  assert.equal(d.stats.interrupts, 4, "256 + 44 sectors each way");
  const elapsed = rig.clock.now - t0;
  // Copies to and from the bounce buffer: 600 sectors x 8 x 16 cycles, plus registers and interrupts.
  assert.ok(rig.cpu.cycles >= 600 * 8 * 16);
  assert.ok(rig.cpu.cycles < 600 * 8 * 16 + 4 * 1000);
  assert.ok(rig.cpu.cycles < elapsed / 50);
});

Deno.test("ata_dma: two disks share the channel, each command waiting for it", () => {
  const images = [new MemoryDiskImage(1 << 20), new MemoryDiskImage(1 << 20)];
  const rig = makeRig("dma", { images });
  const a = pattern(16 * 512, 7), b = pattern(16 * 512, 8);
  const got: KStatus[] = [];
  const w0 = rig.request("write", 10, 16, a);
  const w1 = rig.request("write", 20, 16, b);
  rig.disks[0].submit({ ...w0.req, complete: (s) => got.push(s) });
  rig.disks[1].submit({ ...w1.req, complete: (s) => got.push(s) });
  for (let i = 0; got.length < 2 && i < 10_000; i++) {
    const n = rig.irqs.indexOf(true);
    if (n >= 0) rig.disks[n].handleInterrupt();
    else rig.clock.advanceToNextEvent();
  }
  assert.deepEqual(got, [K.OK, K.OK]);
  assert.deepEqual(images[0].bytes.subarray(10 * 512, 26 * 512), a);
  assert.deepEqual(images[1].bytes.subarray(20 * 512, 36 * 512), b);
  // Disk 1's command started only after disk 0's interrupt.
  assert.equal(rig.controllers[1].stats.commands, 2, "IDENTIFY, then the write");
});
