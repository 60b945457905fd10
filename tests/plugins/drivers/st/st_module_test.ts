import assert from "node:assert/strict";
import { boot } from "../../../../system/boot.ts";
import { makeStModule } from "../../../../plugins/drivers/st/mod.ts";
import type { StDriver } from "../../../../plugins/drivers/st/driver.ts";
import { runGuarded } from "../../../guest_guard.ts";

Deno.test("st module: replaced while the machine runs, the successor keeps its settings", async () => {
  const sys = await boot({ init: "/bin/true" }, { kind: "buffer" });
  try {
    const first = sys.kernel.modules.get("st");
    assert.ok(first !== undefined);
    assert.deepEqual(first.resources.irqs, [20]);
    assert.deepEqual(first.resources.dma, [3]);
    const free = sys.kernel.stats().freeFrames;
    let next: StDriver | null = null;
    // Give the running driver settings through a fresh instance's hook first.
    await sys.kernel.modules.replace("st", makeStModule({ onStart: (d) => next = d }));
    const a = next as StDriver | null;
    assert.ok(a !== null);
    a.blockSize = 512;
    a.compression = true;
    await sys.kernel.modules.replace("st", makeStModule({ onStart: (d) => next = d }));
    const b = next as StDriver | null;
    assert.ok(b !== null && b !== a);
    assert.equal(b.blockSize, 512);
    assert.equal(b.compression, true);
    // No DMA buffer is held while the device is closed, across replacements too.
    assert.equal(sys.kernel.stats().freeFrames, free);
    await sys.kernel.modules.unload("st");
    assert.equal(sys.kernel.stats().freeFrames, free);
    const r = await sys.run();
    assert.equal(r.status, 0);
  } finally {
    sys.machine.close();
  }
});

Deno.test("st module: the DMA buffer is taken at open and given back at the last close", async () => {
  const r = await runGuarded({ cmd: "echo x > /dev/st0; cat /dev/st0", maxCycles: 1e9 });
  assert.equal(r.output.replaceAll("\r\n", "\n"), "x\n");
  assert.equal(r.stats.freeFrames, r.stats.totalFrames);
});

Deno.test("st module: a replacement during close's work hands the queued rewind over", async () => {
  const sys = await boot({ init: "/bin/true" }, { kind: "buffer" });
  try {
    let first: StDriver | null = null;
    await sys.kernel.modules.replace("st", makeStModule({ onStart: (d) => first = d }));
    const a = first as StDriver | null;
    assert.ok(a !== null);
    // As if /dev/st0 were closed after writing: a filemark runs, the rewind waits.
    a.dirty = true;
    a.close(true);
    assert.ok(a.busy);
    let second: StDriver | null = null;
    await sys.kernel.modules.replace("st", makeStModule({ onStart: (d) => second = d }));
    const b = second as StDriver | null;
    assert.ok(b !== null && b.busy, "the rewind is queued on the successor");
    const drive = sys.machine.storage.tape!.drive;
    const r = await sys.run();
    assert.equal(r.status, 0);
    assert.deepEqual(drive.objects.map((o) => o.kind), ["mark"]);
    assert.equal(drive.atBot, true);
  } finally {
    sys.machine.close();
  }
});
