import assert from "node:assert/strict";
import { DMA_PERIPHERAL } from "../../../../hw/dma_regs.ts";
import { DiskController } from "../../../../hw/disk_controller.ts";
import { DiskDrive } from "../../../../hw/disk_drive.ts";
import { MemoryDiskImage } from "../../../../hw/disk_image.ts";
import { IRQ, MEMORY_MAP } from "../../../../hw/memory_map.ts";
import { buildMbr } from "../../../../kernel/block/mod.ts";
import type { ModuleDescriptor } from "../../../../kernel/api.ts";
import type { AtaDisk } from "../../../../plugins/drivers/ata_common/disk.ts";
import { makeAtaDmaModule } from "../../../../plugins/drivers/ata_dma/mod.ts";
import { makeAtaIrqModule } from "../../../../plugins/drivers/ata_irq/mod.ts";
import { makeAtaPollModule } from "../../../../plugins/drivers/ata_poll/mod.ts";
import type { AtaModuleOptions } from "../../../../plugins/drivers/ata_common/module.ts";
import { boot } from "../../../../system/boot.ts";

const te = new TextEncoder();
const MAKERS: Record<string, (o: AtaModuleOptions) => ModuleDescriptor> = {
  poll: makeAtaPollModule,
  irq: makeAtaIrqModule,
  dma: makeAtaDmaModule,
};

/** Boots, wires a disk controller over `image` as unit 0, loads the driver, runs `cmd`. */
async function runWithDisk(kind: string, cmd: string, image: MemoryDiskImage) {
  const sys = await boot({ cmd, maxCycles: 8e9 }, { kind: "buffer" });
  const m = sys.machine;
  const c = new DiskController("disk0", m.clock, new DiskDrive(m.clock, image.sectors), image, {
    serial: "MOD-TEST",
  });
  c.connectDma(DMA_PERIPHERAL.DISK0, m.storage.dma.attach(DMA_PERIPHERAL.DISK0, c));
  c.setIrq(m.plic.irqLine(IRQ.DISK_BASE_IRQ));
  m.bus.map(MEMORY_MAP.DISK_BASE, MEMORY_MAP.DISK_SIZE, c);
  let disks: readonly AtaDisk[] = [];
  await sys.kernel.modules.loadDescriptor(MAKERS[kind]({ onStart: (d) => disks = d }));
  const info = sys.kernel.modules.get(`ata_${kind}`);
  const r = await sys.run();
  m.close();
  return { r, out: r.output.replaceAll("\r\n", "\n"), disks, info, log: sys.kernel.logLines };
}

for (const kind of ["poll", "irq", "dma"]) {
  Deno.test(`ata_${kind} module: /dev/hda reads and writes through the block layer`, async () => {
    const image = new MemoryDiskImage(2 << 20);
    image.bytes.set(buildMbr([{ type: 0x83, start: 2048, sectors: 2048 }]));
    image.bytes.set(te.encode("hello from the partition\n"), 2048 * 512);
    // The partition table's read completes after the shell has started: wait for hda1.
    const { r, out, disks, info, log } = await runWithDisk(
      kind,
      "sleep 1; ls -l /dev/hda1; head -c 25 /dev/hda1; printf XYZ | dd of=/dev/hda bs=1 seek=5000 2>/dev/null; sleep 6",
      image,
    );
    assert.equal(r.status, 0, out);
    assert.match(out, /^brw-rw---- .* 3, +1 .* \/dev\/hda1$/m);
    assert.match(out, /hello from the partition\n/);
    // The periodic write-back wrote the sector through the driver.
    assert.equal(new TextDecoder().decode(image.bytes.subarray(5000, 5003)), "XYZ");
    assert.equal(disks.length, 1);
    assert.equal(disks[0].serial, "MOD-TEST");
    assert.ok(disks[0].stats.sectorsRead > 0 && disks[0].stats.sectorsWritten > 0);
    assert.deepEqual(info?.resources.irqs, [IRQ.DISK_BASE_IRQ]);
    assert.deepEqual(info?.resources.dma, kind === "dma" ? [0] : []);
    assert.ok(log.some((l) => l.includes(`ata_${kind}: hda: STRATA SIMULATED DISK, 4096 sectors`)));
    if (kind === "irq") assert.ok(disks[0].stats.interrupts >= disks[0].stats.sectorsRead);
    if (kind === "poll") assert.equal(disks[0].stats.interrupts, 0);
  });
}

Deno.test("ata modules: a unit without a controller is refused at load, not probed", async () => {
  const sys = await boot({ init: "/bin/true" }, { kind: "buffer" });
  try {
    await assert.rejects(() => sys.kernel.modules.loadDescriptor(makeAtaDmaModule()), /MMIO/);
    assert.throws(() => makeAtaPollModule({ units: [4] }), /bad disk unit/);
  } finally {
    sys.machine.close();
  }
});
