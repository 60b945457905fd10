import assert from "node:assert/strict";
import { boot } from "../../../system/boot.ts";
import { buildMbr } from "../../../kernel/block/mod.ts";
import { K, OpenFlags } from "../../../kernel/api.ts";
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

Deno.test("clean shutdown writes the dirty blocks and flushes the disk", async () => {
  const img = image("hello from the partition\n");
  const { r, out, rd } = await runWithDisk(
    "printf XYZ | dd of=/dev/hda1 bs=1 seek=6 2>/dev/null",
    img,
  );
  assert.equal(r.status, 0, out);
  assert.equal(
    new TextDecoder().decode(img.subarray(2048 * 512, 2048 * 512 + 25)),
    "hello XYZm the partition\n",
  );
  const writes = rd.seen.filter((s) => s.op === "write");
  assert.deepEqual(writes, [{ op: "write", sector: 2048, count: 8 }]);
  assert.equal(rd.seen.at(-1)?.op, "flush", "the flush comes after the write");
});

Deno.test("/proc/partitions, /proc/diskstats and meminfo's Buffers/Dirty", async () => {
  const { r, out } = await runWithDisk(
    "cat /proc/partitions; head -c 4096 /dev/hda1 >/dev/null; cat /proc/diskstats; " +
      "grep -E '^(Buffers|Dirty):' /proc/meminfo",
    image("x"),
  );
  assert.equal(r.status, 0, out);
  const partitions = "major minor  #blocks  name\n\n" +
    "   3        0       4096 hda\n" +
    "   3        1       2048 hda1\n";
  assert.ok(out.startsWith(partitions), out);
  const lines = out.split("\n");
  const hda = lines.find((l) => l.includes(" hda "))!.split(/\s+/);
  const hda1 = lines.find((l) => l.includes(" hda1 "))!.split(/\s+/);
  assert.equal(
    lines.find((l) => l.includes(" hda ")),
    "   3       0 hda " + hda.slice(4).join(" "),
  );
  // reads: the partition table and one 4 KiB block (8 sectors), no writes; 20 fields
  assert.deepEqual(hda.slice(4, 7).concat(hda.slice(8, 13)), [
    "2",
    "0",
    "9",
    "0",
    "0",
    "0",
    "0",
    "0",
  ]);
  assert.equal(hda.length, 4 + 17);
  assert.deepEqual(hda1.slice(4, 7).concat(hda1.slice(8, 12)), ["1", "0", "8", "0", "0", "0", "0"]);
  assert.match(out, /^Buffers:\s+4 kB$/m);
  assert.match(out, /^Dirty:\s+0 kB$/m);
});

Deno.test("a background reader of the disk and a foreground command both finish", async () => {
  // The reader's first read waits for the disk; meanwhile the shell runs echo.
  const { r, out } = await runWithDisk(
    "head -c 5 /dev/hda1 & echo other; wait; echo",
    image("disk!"),
  );
  assert.equal(r.status, 0, out);
  assert.match(out, /other\n/);
  assert.match(out, /disk!/);
});

Deno.test("reads end at the device's end; SEEK_END counts from its size; a write past it is ENOSPC", async () => {
  const { r, out, sys } = await runWithDisk(
    "dd if=/dev/hda1 bs=1 skip=2097149 2>/dev/null | wc -c; " +
      "printf abc | dd of=/dev/hda1 bs=1 seek=2097152 2>&1 | head -1",
    image("x"),
  );
  assert.equal(r.status, 0, out);
  assert.match(out, /^3\n/m);
  assert.match(out, /No space left on device/);
  const opened = sys.kernel.vfs.open(null, "/dev/hda1", OpenFlags.READ);
  assert.ok(typeof opened !== "number");
  assert.equal(sys.kernel.vfs.lseek(opened.file, -10, 2), 2097152 - 10);
  assert.equal(opened.file.inode?.stat().size, 0, "stat size of a block device is 0, as Linux");
});

Deno.test("/sys/block: attributes, and queue/scheduler switches the elevator per disk", async () => {
  const { r, out, sys } = await runWithDisk(
    "ls -1 /sys/block/hda; cat /sys/block/hda/dev /sys/block/hda/size /sys/block/hda/hda1/start " +
      "/sys/block/hda/device/model /sys/block/hda/queue/scheduler; " +
      "echo fifo > /sys/block/hda/queue/scheduler; cat /sys/block/hda/queue/scheduler; " +
      "echo cfq > /sys/block/hda/queue/scheduler; echo nope > /sys/block/hda/size",
    image("x"),
  );
  assert.notEqual(r.status, 0, "the last write is refused");
  assert.match(out, /^dev\ndevice\nhda1\nqueue\nremovable\nro\nsize\nstat\n/);
  assert.match(out, /3:0\n8192\n2048\nSTRATA RAMDISK\n\[clook\] fifo\nclook \[fifo\]\n/);
  assert.match(out, /Invalid argument/);
  assert.match(out, /Permission denied/);
  assert.equal(sys.kernel.blockLayer.disks[0]?.queue.elevator, "fifo");
});

Deno.test("replacing the disk driver module keeps the disk, its partitions and queued requests", async () => {
  const img = image("after the swap");
  const a = ramDisk({ image: img }), b = ramDisk({ image: img });
  const sys = await boot({ cmd: "head -c 14 /dev/hda1", maxCycles: 4e9 }, { kind: "buffer" });
  const k = sys.kernel;
  await k.modules.loadDescriptor(a.module);
  assert.equal(k.settleIo(() => k.blockLayer.scanned ? K.OK : K.AGAIN), K.OK);
  const disk = k.blockLayer.disks[0];
  await k.modules.replace("ramdisk", b.module);
  assert.equal(k.blockLayer.disks[0], disk, "the same disk object");
  assert.equal(disk?.partitions.length, 2, "hda1 stayed");
  const r = await sys.run();
  sys.machine.close();
  assert.equal(r.output.replaceAll("\r\n", "\n"), "after the swap");
  assert.deepEqual(a.seen, [{ op: "read", sector: 0, count: 1 }]);
  assert.deepEqual(b.seen[0], { op: "read", sector: 2048, count: 8 });
  await k.modules.unload("ramdisk");
  assert.equal(k.blockLayer.disks[0], null, "unloading removes it");
});

Deno.test("a writer waits while half the cache is dirty or in flight; everything reaches the disk", async () => {
  const img = image("");
  img.fill(0xff, 2048 * 512, 2048 * 512 + 1024 * 1024);
  const rd = ramDisk({ image: img, latencyNs: 2_000_000 }); // a slow disk: 2 ms a request
  const sys = await boot({
    cmd: "dd if=/dev/zero of=/dev/hda1 bs=64k count=16 2>/dev/null",
    maxCycles: 2e10,
    blockCacheSize: 128 * 1024,
  }, { kind: "buffer" });
  await sys.kernel.modules.loadDescriptor(rd.module);
  const k = sys.kernel;
  assert.equal(k.settleIo(() => k.blockLayer.scanned ? K.OK : K.AGAIN), K.OK);
  const r = await sys.run();
  sys.machine.close();
  assert.equal(r.status, 0, r.output + r.log.join("\n"));
  const cache = sys.kernel.blockLayer.cache;
  // Half the cache dirty or in flight, plus one call's 64 KiB, plus the clean rest.
  assert.ok(cache.stats.peakBytes <= 128 * 1024 + 64 * 1024, `peak ${cache.stats.peakBytes}`);
  const part = img.subarray(2048 * 512, 2048 * 512 + 1024 * 1024);
  const written = part.filter((b) => b === 0).length;
  assert.equal(written, part.length, "all 1 MiB written");
});
