/**
 * ext2 on the host: images made by mke2fs, a workload through the real VFS
 * on an in-memory block source, then e2fsck -fn must be clean and debugfs
 * must read back what was written.
 */
import assert from "node:assert/strict";
import { K, OpenFlags } from "../../../kernel/api.ts";
import { Vfs } from "../../../kernel/fs/vfs.ts";
import { Ext2Fs } from "../../../plugins/filesystems/ext2/ext2_fs.ts";
import { SB } from "../../../plugins/filesystems/ext2/superblock.ts";
import { debugfs, fsck, haveE2fsprogs, makeImage } from "./host_tools.ts";
import { MemorySource } from "./memory_source.ts";
import { checkSparse, get, pattern, put, runWorkload } from "./workload.ts";

const HOST = haveE2fsprogs();
const now = () => 1_700_000_000_000_000_000n;

function mount(src: MemorySource, readOnly = false): Ext2Fs {
  const fs = Ext2Fs.mount(src, { readOnly, now });
  assert.ok(fs instanceof Ext2Fs, `mount: ${fs}`);
  return fs;
}

for (const bs of [1024, 2048, 4096]) {
  Deno.test({
    name: `ext2 ${bs}-byte blocks: workload, then e2fsck -fn is clean and debugfs reads back`,
    ignore: !HOST,
    fn() {
      const image = makeImage(bs === 1024 ? 8192 : 16384, bs);
      const src = new MemorySource(image, { coldCache: bs === 2048 });
      const fs = mount(src);
      const vfs = new Vfs({ root: fs });
      // 1 KiB blocks: 70 MB is in the triple-indirect range; larger blocks reach double indirect.
      const far = bs === 1024 ? 70_000_000 : 5_000_000;
      const want = runWorkload(vfs, far);
      checkSparse(vfs, far);
      for (const [path, data] of want) assert.deepEqual(get(vfs, path), data, path);
      assert.equal(vfs.readlink(null, "/slow"), "/" + "x".repeat(200));
      assert.equal(vfs.readlink(null, "/fast"), "/d1/small");
      assert.equal(fs.unmount(), K.OK);
      const r = fsck(image, ["-fn"]);
      assert.equal(r.code, 0, r.out);
      for (
        const path of [
          "/d1/mid",
          "/d2/mid-link",
          "/victim",
          "/d1/big",
          "/log",
          "/many/file-with-a-longish-name-7",
        ]
      ) {
        assert.deepEqual(debugfs(image, `cat ${path}`), want.get(path), `debugfs cat ${path}`);
      }
      const st = new TextDecoder().decode(debugfs(image, "stat /log"));
      assert.match(st, /User:\s+1000\s+Group:\s+100/);
      assert.match(st, /Mode:\s+0600/);
      // The image mounts again and reads the same.
      const again = new Vfs({ root: mount(new MemorySource(image)) });
      for (const [path, data] of want) assert.deepEqual(get(again, path), data, path);
      if (bs === 2048) assert.ok(src.misses > 0, "the cold cache made operations restart");
    },
  });
}

Deno.test({
  name: "ext2: reads a tree mke2fs -d wrote, and counts mounts and the clean state",
  ignore: !HOST,
  fn() {
    const dir = Deno.makeTempDirSync();
    try {
      Deno.mkdirSync(`${dir}/etc/deep/er`, { recursive: true });
      Deno.writeFileSync(`${dir}/etc/deep/er/data`, pattern(3, 50_000));
      Deno.writeTextFileSync(`${dir}/hello`, "hello, disk\n");
      Deno.symlinkSync("etc/deep", `${dir}/link`);
      const image = makeImage(4096, 1024, ["-d", dir]);
      const fs = mount(new MemorySource(image));
      const vfs = new Vfs({ root: fs });
      assert.equal(new TextDecoder().decode(get(vfs, "/hello")), "hello, disk\n");
      assert.deepEqual(get(vfs, "/link/er/data"), pattern(3, 50_000));
      const d = vfs.open(null, "/etc", OpenFlags.READ | OpenFlags.DIRECTORY);
      assert.ok(typeof d !== "number");
      const names = (vfs.readdir(d.file) as { name: string }[]).map((e) => e.name).sort();
      assert.deepEqual(names, [".", "..", "deep"]);
      const sb = () => image.subarray(1024, 2048);
      const mounts = sb()[SB.MNT_COUNT];
      assert.equal(sb()[SB.STATE] & 1, 1, "clean before the mount");
      put(vfs, "/new", pattern(1, 10));
      fs.sync();
      assert.equal(sb()[SB.STATE] & 1, 0, "not clean while mounted read-write");
      assert.equal(fs.unmount(), K.OK);
      assert.equal(sb()[SB.STATE] & 1, 1, "clean after unmount");
      assert.equal(sb()[SB.MNT_COUNT], mounts + 1);
      assert.equal(fsck(image, ["-fn"]).code, 0);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "ext2: unknown incompat feature refused with EINVAL, unknown ro_compat mounts read-only",
  ignore: !HOST,
  fn() {
    const image = makeImage(2048, 1024);
    const lines: string[] = [];
    const bad = image.slice();
    bad[1024 + SB.FEATURE_INCOMPAT] |= 0x40; // extents
    assert.equal(
      Ext2Fs.mount(new MemorySource(bad), { readOnly: false, now, log: (l) => lines.push(l) }),
      K.INVAL,
    );
    assert.match(lines.join("\n"), /unsupported incompatible features 0x40/);
    const ro = image.slice();
    ro[1024 + SB.FEATURE_RO_COMPAT + 1] |= 0x04; // metadata_csum (0x400)
    const fs = Ext2Fs.mount(new MemorySource(ro), {
      readOnly: false,
      now,
      log: (l) => lines.push(l),
    });
    assert.ok(fs instanceof Ext2Fs);
    assert.equal(fs.readOnly, true);
    const vfs = new Vfs({ root: fs });
    assert.equal(vfs.mkdir(null, "/x"), K.ROFS);
    const notExt2 = new Uint8Array(1 << 20);
    assert.equal(Ext2Fs.mount(new MemorySource(notExt2), { readOnly: false, now }), K.INVAL);
  },
});

Deno.test({
  name: "ext2: errors as Linux gives them, a file unlinked while open lives until close, full disk",
  ignore: !HOST,
  fn() {
    const image = makeImage(1024, 1024);
    const fs = mount(new MemorySource(image));
    const vfs = new Vfs({ root: fs });
    assert.equal(vfs.mkdir(null, "/a"), K.OK);
    put(vfs, "/a/f", pattern(1, 10));
    assert.equal(vfs.rmdir(null, "/a"), K.NOTEMPTY);
    assert.equal(vfs.mkdir(null, "/a"), K.EXIST);
    assert.equal(vfs.unlink(null, "/a"), K.ISDIR);
    assert.equal(vfs.rename(null, "/a", null, "/a/f"), K.INVAL);
    const o = vfs.open(null, "/a/f", OpenFlags.READ);
    assert.ok(typeof o !== "number");
    const freeBefore = fs.statfs().blocksFree;
    assert.equal(vfs.unlink(null, "/a/f"), K.OK);
    const buf = new Uint8Array(10);
    assert.equal(vfs.read(o.file, buf), 10);
    assert.deepEqual(buf, pattern(1, 10));
    vfs.close(o.file);
    assert.equal(fs.statfs().blocksFree, freeBefore + 1);
    // Fill the disk: writes stop with what fitted, then ENOSPC.
    const w = vfs.open(null, "/fill", OpenFlags.WRITE | OpenFlags.CREATE);
    assert.ok(typeof w !== "number");
    let total = 0;
    for (;;) {
      const n = vfs.write(w.file, pattern(2, 65536));
      if (n < 0) {
        assert.equal(n, K.NOSPC);
        break;
      }
      total += n;
    }
    assert.ok(total > 500_000, `wrote ${total}`);
    vfs.close(w.file);
    assert.equal(fs.statfs().blocksFree, 0);
    assert.equal(vfs.unlink(null, "/fill"), K.OK);
    assert.equal(fs.unmount(), K.OK);
    const r = fsck(image, ["-fn"]);
    assert.equal(r.code, 0, r.out);
  },
});
