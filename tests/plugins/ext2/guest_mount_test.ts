/**
 * ext2 from the guest: mount a partition of a disk (a RAM-disk driver under
 * the block layer and buffer cache), use it from the shell and the new
 * utilities, unmount, then host e2fsck and debugfs check the image.
 */
import assert from "node:assert/strict";
import { boot } from "../../../system/boot.ts";
import { buildMbr } from "../../../kernel/block/mod.ts";
import { ramDisk } from "../../kernel/fixtures/ram_disk.ts";
import { debugfs, fsck, haveE2fsprogs, makeImage } from "./host_tools.ts";

const PART_START = 2048;

/** A disk with one Linux partition holding an ext2 file system of `kib` KiB (or zeros). */
function disk(kib: number, format = true): Uint8Array {
  const img = new Uint8Array(PART_START * 512 + kib * 1024);
  img.set(buildMbr([{ type: 0x83, start: PART_START, sectors: kib * 2 }]));
  if (format) img.set(makeImage(kib, 1024), PART_START * 512);
  return img;
}

function partition(img: Uint8Array): Uint8Array {
  return img.slice(PART_START * 512);
}

async function run(cmd: string, img: Uint8Array, readOnly = false) {
  const rd = ramDisk({ image: img, readOnly });
  const sys = await boot({ cmd, maxCycles: 8e9 }, { kind: "buffer" });
  await sys.kernel.modules.loadDescriptor(rd.module);
  const r = await sys.run();
  sys.machine.close();
  return { status: r.status, out: r.output.replaceAll("\r\n", "\n") };
}

Deno.test({
  name: "ext2 guest: mount, write, list, df, du, umount; e2fsck clean and debugfs reads it",
  ignore: !haveE2fsprogs(),
  async fn() {
    const img = disk(4096);
    const { status, out } = await run(
      "mkdir /mnt && mount -t ext2 /dev/hda1 /mnt && mount && " +
        "echo hello disk > /mnt/hello && mkdir /mnt/dir && seq 1 20000 > /mnt/dir/numbers && " +
        "ln -s hello /mnt/link && cat /mnt/link && ls /mnt && df /mnt && du -s /mnt/dir && " +
        "cat /proc/mounts && sync && umount /mnt && echo unmounted",
      img,
    );
    assert.equal(status, 0, out);
    assert.match(out, /^\/dev\/hda1 on \/mnt type ext2 \(rw\)$/m);
    assert.match(out, /^\/dev\/hda1 \/mnt ext2 rw 0 0$/m);
    assert.match(out, /^hello disk$/m);
    assert.match(out, /^\/dev\/hda1 +\d+ +\d+ +\d+ +\d+% \/mnt$/m);
    assert.match(out, /^\d+\t\/mnt\/dir$/m);
    assert.match(out, /unmounted/);
    const part = partition(img);
    const r = fsck(part, ["-fn"]);
    assert.equal(r.code, 0, r.out);
    assert.equal(new TextDecoder().decode(debugfs(part, "cat /hello")), "hello disk\n");
    const numbers = new TextDecoder().decode(debugfs(part, "cat /dir/numbers"));
    assert.equal(numbers.split("\n").length, 20001);
  },
});

Deno.test({
  name: "ext2 guest: EBUSY, ENODEV, ENOTBLK, EINVAL and a read-only disk",
  ignore: !haveE2fsprogs(),
  async fn() {
    const img = disk(2048);
    const { status, out } = await run(
      "mkdir /mnt; mount -t nosuchfs /dev/hda1 /mnt; mount /dev/null /mnt; mount /dev/hda /mnt; " +
        "mount /dev/hda1 /mnt && cd /mnt && umount /mnt; cd / && umount /mnt && echo done",
      img,
    );
    assert.equal(status, 0, out);
    assert.match(out, /mount: \/mnt: No such device/);
    assert.match(out, /mount: \/mnt: Block device required/);
    assert.match(out, /mount: \/mnt: Invalid argument/);
    assert.match(out, /umount: \/mnt: (Device or resource busy|Resource busy)/);
    assert.match(out, /done/);
    const ro = await run(
      "mkdir /mnt; mount /dev/hda1 /mnt; mount -o ro /dev/hda1 /mnt && cat /proc/mounts && " +
        "touch /mnt/x; umount /mnt",
      disk(2048),
      true,
    );
    assert.match(ro.out, /mount: \/mnt: Read-only file system/);
    assert.match(ro.out, /^\/dev\/hda1 \/mnt ext2 ro 0 0$/m);
    assert.match(ro.out, /touch: .*Read-only file system/);
  },
});

Deno.test({
  name: "ext2 guest: mkfs.ext2 output passes host e2fsck and mounts",
  ignore: !haveE2fsprogs(),
  async fn() {
    const img = disk(3000, false);
    const { status, out } = await run(
      "mkfs.ext2 /dev/hda1 && sync && mkdir /mnt && mount /dev/hda1 /mnt && ls /mnt && " +
        "echo formatted > /mnt/f && umount /mnt",
      img,
    );
    assert.equal(status, 0, out);
    assert.match(out, /ext2, 3000 blocks of 1024 bytes/);
    assert.match(out, /lost\+found/);
    const part = partition(img).subarray(0, 3000 * 1024);
    const r = fsck(part, ["-fn"]);
    assert.equal(r.code, 0, r.out);
    assert.equal(new TextDecoder().decode(debugfs(part, "cat /f")), "formatted\n");
    const img4 = disk(3000, false);
    const four = await run("mkfs.ext2 -q -b 4096 -L big /dev/hda1 && sync", img4);
    assert.equal(four.status, 0, four.out);
    const r4 = fsck(partition(img4).subarray(0, 750 * 4096), ["-fn"]);
    assert.equal(r4.code, 0, r4.out);
  },
});
