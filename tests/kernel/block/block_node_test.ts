import assert from "node:assert/strict";
import { boot } from "../../../system/boot.ts";
import { buildMbr } from "../../../kernel/block/mod.ts";
import { ramDisk } from "../fixtures/ram_disk.ts";

const te = new TextEncoder();

/** A 4 MiB image with one Linux partition at sector 2048 holding `text`. */
function image(text: string): Uint8Array {
  const img = new Uint8Array(4 * 1024 * 1024);
  img.set(buildMbr([{ type: 0x83, start: 2048, sectors: 4096 }]));
  img.set(te.encode(text), 2048 * 512);
  return img;
}

async function runWithDisk(cmd: string, img: Uint8Array) {
  const rd = ramDisk({ image: img });
  const sys = await boot({ cmd, maxCycles: 4e9 }, { kind: "buffer" });
  await sys.kernel.modules.loadDescriptor(rd.module);
  const r = await sys.run();
  sys.machine.close();
  return { r, rd, sys, out: r.output.replaceAll("\r\n", "\n") };
}

Deno.test("block nodes: hda and its MBR partition appear with IDE numbers and read as files", async () => {
  const { r, out, rd } = await runWithDisk(
    "ls -l /dev/hda /dev/hda1; head -c 25 /dev/hda1",
    image("hello from the partition\n"),
  );
  assert.equal(r.status, 0, out);
  assert.match(out, /^brw-rw---- .* 3, +0 .* \/dev\/hda$/m);
  assert.match(out, /^brw-rw---- .* 3, +1 .* \/dev\/hda1$/m);
  assert.match(out, /hello from the partition\n/);
  assert.deepEqual(rd.seen[0], { op: "read", sector: 0, count: 1 }, "the partition table first");
});

Deno.test("block nodes: a write inside a sector is a read-modify-write", async () => {
  const img = image("hello from the partition\n");
  const { r, out } = await runWithDisk(
    "printf XYZ | dd of=/dev/hda1 bs=1 seek=6 2>/dev/null; head -c 25 /dev/hda1",
    img,
  );
  assert.equal(r.status, 0, out);
  assert.match(out, /hello XYZm the partition\n/);
});
