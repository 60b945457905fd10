import assert from "node:assert/strict";
import { join } from "node:path";
import { buildImage, parseImageArgs, PARTITION_START } from "../../tools/image.ts";
import { parseMbr } from "../../kernel/block/mbr.ts";
import { runGuest } from "../../system/boot.ts";

function e2fsck(target: string): { ok: boolean; text: string } {
  const out = new Deno.Command("e2fsck", {
    args: ["-fn", target],
    stdout: "piped",
    stderr: "piped",
  })
    .outputSync();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.success, text };
}

Deno.test("deno task image: an MBR, ext2 in partition 1 that e2fsck accepts, the guest reads it", async () => {
  const dir = Deno.makeTempDirSync();
  const out = join(dir, "s.img");
  buildImage({ out, sizeBytes: 8 << 20, whole: false });
  const bytes = Deno.readFileSync(out);
  assert.deepEqual(parseMbr(bytes.subarray(0, 512), bytes.length / 512), [
    { index: 1, type: 0x83, start: PARTITION_START, sectors: 16384 - 2048, bootable: true },
  ]);
  const fsck = e2fsck(`${out}?offset=${PARTITION_START * 512}`);
  assert.ok(fsck.ok, fsck.text);
  assert.match(fsck.text, /strata: \d+\/\d+ files/);
  // The ext2 magic 0xEF53 at byte 1080 of the partition, read through /dev/hda1.
  const r = await runGuest({
    disks: [{ path: out, readOnly: true }],
    cmd: "dd if=/dev/hda1 bs=1 skip=1080 count=2 2>/dev/null | hexdump -C | head -1",
  });
  assert.equal(r.status, 0, r.output);
  assert.ok(r.output.includes("00000000  53 ef"), r.output);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("image arguments", () => {
  assert.deepEqual(parseImageArgs([]), { out: "strata.img", sizeBytes: 64 << 20, whole: false });
  assert.deepEqual(parseImageArgs(["x.img", "--size", "1G", "--whole"]), {
    out: "x.img",
    sizeBytes: 1 << 30,
    whole: true,
  });
  assert.throws(() => parseImageArgs(["--size", "12"]), /64M/);
  assert.throws(() => parseImageArgs(["a", "b"]), /unknown argument/);
});
