import assert from "node:assert/strict";
import { join } from "node:path";
import { BootError, runGuest } from "../../system/boot.ts";
import { buildMbr } from "../../kernel/block/mbr.ts";
import { moduleGraph } from "../module_graph.ts";

const te = new TextEncoder();

/** A 2 MiB image: one partition at sector 64 holding `text`. */
function makeImage(path: string, text: string): void {
  const img = new Uint8Array(2 * 1024 * 1024);
  img.set(buildMbr([{ type: 0x83, start: 64, sectors: 4032 }]));
  img.set(te.encode(text), 64 * 512);
  Deno.writeFileSync(path, img);
}

for (const driver of ["dma", "irq", "poll"] as const) {
  Deno.test(`--disk through ata_${driver}: partitions, reads, writes reach the host file at shutdown`, async () => {
    const dir = Deno.makeTempDirSync();
    const path = join(dir, "d.img");
    makeImage(path, "hello disk\n");
    const r = await runGuest({
      disks: [{ path }],
      ataDriver: driver,
      cmd:
        "cat /proc/partitions; head -c 11 /dev/hda1; printf HE | dd of=/dev/hda1 bs=1 2>/dev/null",
      maxCycles: 4e9,
    });
    const out = r.output.replaceAll("\r\n", "\n");
    assert.equal(r.status, 0, out + r.log.join("\n"));
    assert.ok(out.includes("   3        1       2016 hda1\n"), out);
    assert.match(out, /hello disk\n/);
    const after = Deno.readFileSync(path);
    assert.equal(new TextDecoder().decode(after.subarray(64 * 512, 64 * 512 + 11)), "HEllo disk\n");
    Deno.removeSync(dir, { recursive: true });
  });
}

Deno.test("--disk: a missing image is an error naming it; --disk-size creates it sparse", async () => {
  const dir = Deno.makeTempDirSync();
  const path = join(dir, "new.img");
  await assert.rejects(
    runGuest({ disks: [{ path }], cmd: "true" }),
    (e: Error) => e instanceof BootError && e.message.includes(path),
  );
  const r = await runGuest({ disks: [{ path }], diskSize: "1M", cmd: "cat /proc/partitions" });
  assert.equal(r.status, 0);
  assert.ok(r.output.replaceAll("\r\n", "\n").includes("   3        0       1024 hda\n"), r.output);
  assert.equal(Deno.statSync(path).size, 1024 * 1024);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("--disk PATH,ro: the node refuses writes with EROFS; two disks are hda and hdb", async () => {
  const dir = Deno.makeTempDirSync();
  const a = join(dir, "a.img"), b = join(dir, "b.img");
  makeImage(a, "A");
  makeImage(b, "B");
  const r = await runGuest({
    disks: [{ path: a }, { path: b, readOnly: true }],
    cmd: "ls /dev/hdb1 && head -c 1 /dev/hdb1 && echo && printf x > /dev/hdb1",
    maxCycles: 4e9,
  });
  const out = r.output.replaceAll("\r\n", "\n");
  assert.notEqual(r.status, 0);
  assert.match(out, /\/dev\/hdb1\nB\n/);
  assert.match(out, /Read-only file system/);
  Deno.removeSync(dir, { recursive: true });
});

const HAVE_EXT2 = (() => {
  try {
    return Deno.statSync(new URL("../../plugins/filesystems/ext2/mod.ts", import.meta.url)).isFile;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "--root /dev/hda1: init from the ext2 image of deno task image; writes reach it cleanly",
  ignore: !HAVE_EXT2, // the ext2 module is a plugin of its own
  async fn() {
    const { buildImage } = await import("../../tools/image.ts");
    const dir = Deno.makeTempDirSync();
    const path = join(dir, "root.img");
    buildImage({ out: path, sizeBytes: 8 << 20, whole: false });
    const r = await runGuest({
      disks: [{ path }],
      root: "/dev/hda1",
      cmd: "cat /proc/mounts; echo hello > /root/f; cat /root/f",
      maxCycles: 8e9,
    });
    const out = r.output.replaceAll("\r\n", "\n");
    assert.equal(r.status, 0, out + r.log.join("\n"));
    assert.match(out, /^\/dev\/hda1 \/ ext2 rw/m);
    assert.match(out, /^devtmpfs \/dev /m);
    assert.match(out, /^proc \/proc /m);
    assert.match(out, /^hello$/m);
    const fsck = new Deno.Command("e2fsck", {
      args: ["-fn", `${path}?offset=${2048 * 512}`],
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    assert.ok(fsck.success, new TextDecoder().decode(fsck.stdout));
    const cat = new Deno.Command("debugfs", {
      args: ["-R", "cat /root/f", `${path}?offset=${2048 * 512}`],
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    assert.equal(new TextDecoder().decode(cat.stdout), "hello\n");
    Deno.removeSync(dir, { recursive: true });
  },
});

Deno.test("C-LOOK serves scattered concurrent reads in less disk time than FIFO", async () => {
  const dir = Deno.makeTempDirSync();
  const path = join(dir, "e.img");
  const busy: Record<string, number> = {};
  const offsets = [7000, 1000, 4500, 250, 6000, 2000, 7500, 500, 3500, 5500, 1500, 6500];
  const readers = offsets.map((o) =>
    `dd if=/dev/hda1 of=/dev/null bs=4k skip=${o} count=4 2>/dev/null &`
  ).join(" ");
  for (const elevator of ["clook", "fifo"] as const) {
    const img = new Uint8Array(32 << 20);
    img.set(buildMbr([{ type: 0x83, start: 2048, sectors: 65536 - 2048 }]));
    Deno.writeFileSync(path, img);
    const r = await runGuest({
      disks: [{ path }],
      blockElevator: elevator,
      cmd: `${readers} wait; head -1 /proc/diskstats`,
      maxCycles: 1e11,
    });
    assert.equal(r.status, 0, r.output);
    const f = r.output.trim().split(/\s+/);
    assert.equal(f[5], String(1 + 12 * 4 * 8), "every block read once, sectors counted");
    busy[elevator] = Number(f[12]); // ms doing I/O
  }
  assert.ok(busy.clook < busy.fifo * 0.8, `C-LOOK ${busy.clook} ms, FIFO ${busy.fifo} ms`);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("the boot's module graph leaves out the ATA drivers: they are imported when a disk is attached", () => {
  const files = moduleGraph("system/boot.ts");
  assert.ok(files.some((f) => f.endsWith("/system/disks.ts")), "the graph names system/disks.ts");
  assert.deepEqual(files.filter((f) => f.includes("/plugins/drivers/ata_")), []);
});
