import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import {
  OpenFlags,
  PagedBytes,
  RamFs,
  type RamInode,
  S_IFDIR,
  S_IFREG,
  Vfs,
  Whence,
} from "../../../kernel/fs/mod.ts";

Deno.test("ramfs: sparse files allocate only written pages", () => {
  const vfs = new Vfs({ root: new RamFs() });
  const r = vfs.open(null, "/sparse", OpenFlags.READ | OpenFlags.WRITE | OpenFlags.CREATE);
  assert.ok(typeof r !== "number");
  const f = r.file;
  assert.equal(vfs.lseek(f, 200 * 1024 * 1024, Whence.SET), 200 * 1024 * 1024);
  assert.equal(vfs.write(f, new Uint8Array([1, 2, 3])), 3);
  const st = vfs.fstat(f);
  assert.ok(typeof st !== "number");
  assert.equal(st.size, 200 * 1024 * 1024 + 3);
  assert.equal(st.blocks, 8); // one 4 KiB page
  const buf = new Uint8Array(8).fill(7);
  assert.equal(vfs.pread(f, buf, 1000), 8);
  assert.deepEqual([...buf], [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(vfs.pread(f, buf, 200 * 1024 * 1024 - 2), 5);
  assert.deepEqual([...buf.subarray(0, 5)], [0, 0, 1, 2, 3]);
  // beyond the maximum size
  assert.equal(vfs.pwrite(f, new Uint8Array(1), 256 * 1024 * 1024), K.FBIG);
});

Deno.test("ramfs: writes across page boundaries and truncate-then-extend reads zeros", () => {
  const p = new PagedBytes();
  const src = Uint8Array.from({ length: 10000 }, (_, i) => (i % 251) + 1);
  p.write(src, 4000);
  const out = new Uint8Array(10000);
  p.read(out, 4000, 10000);
  assert.deepEqual(out, src);
  assert.equal(p.pageCount, 4); // bytes 4000..13999 touch pages 0..3
  p.discardFrom(8192);
  assert.equal(p.pageCount, 2);
  p.discardFrom(5000);
  const after = new Uint8Array(3);
  p.read(after, 4999, 3);
  assert.deepEqual([...after], [src[999], 0, 0]);
});

Deno.test("ramfs: times come from the injected clock; nlink and modes", () => {
  let now = 5n;
  const fs = new RamFs({ now: () => now, dev: 42 });
  const vfs = new Vfs({ root: fs });
  now = 100n;
  assert.equal(vfs.mkdir(null, "/d", 0o700), K.OK);
  const d = vfs.stat(null, "/d");
  assert.ok(typeof d !== "number");
  assert.equal(d.mode, S_IFDIR | 0o700);
  assert.equal(d.mtimeNs, 100n);
  assert.equal(d.dev, 42);
  now = 200n;
  const r = vfs.open(null, "/d/f", OpenFlags.WRITE | OpenFlags.CREATE, 0o7640);
  assert.ok(typeof r !== "number");
  vfs.write(r.file, new Uint8Array(3));
  const f = vfs.stat(null, "/d/f");
  assert.ok(typeof f !== "number");
  assert.equal(f.mode, S_IFREG | 0o7640);
  assert.equal(f.ctimeNs, 200n);
  const d2 = vfs.stat(null, "/d");
  assert.ok(typeof d2 !== "number");
  assert.equal(d2.mtimeNs, 200n); // creating an entry changes the directory
  assert.equal(d2.nlink, 2);
  assert.equal(vfs.setAttr(null, "/d/f", { atimeNs: 1n, mtimeNs: 2n }), K.OK);
  const f2 = vfs.stat(null, "/d/f");
  assert.ok(typeof f2 !== "number");
  assert.equal(f2.mtimeNs, 2n);
  assert.equal(f2.atimeNs, 1n);
  // a removed directory that is still someone's cwd takes no new entries
  const cwd = vfs.chdir(null, "/d");
  assert.ok(typeof cwd !== "number");
  vfs.unlink(null, "/d/f");
  assert.equal(vfs.rmdir(null, "/d"), K.OK);
  assert.equal(vfs.open(cwd, "x", OpenFlags.WRITE | OpenFlags.CREATE), K.NOENT);
});

Deno.test("ramfs: deferred bytes count from the start, load once at first use, keep no copy", () => {
  const account = { used: 0, limit: Infinity };
  const p = new PagedBytes(account);
  const src = Uint8Array.from({ length: 9000 }, (_, i) => (i % 253) + 1);
  let loads = 0;
  p.defer(src.length, () => {
    loads++;
    return src;
  });
  assert.equal(p.pageCount, 3);
  assert.equal(account.used, 3);
  assert.equal(loads, 0);
  assert.ok(p.resident());
  assert.ok(p.resident());
  assert.equal(loads, 1);
  assert.equal(p.pageCount, 3);
  assert.equal(account.used, 3);
  const out = new Uint8Array(9000);
  p.read(out, 0, 9000);
  assert.deepEqual(out, src);
  // Whole pages are views of the loaded bytes; the partial last one is a page of its own.
  p.write(new Uint8Array([0xee]), 10);
  assert.equal(src[10], 0xee);
  p.write(new Uint8Array([1, 2, 3]), 9000);
  const tail = new Uint8Array(4);
  p.read(tail, 8999, 4);
  assert.deepEqual([...tail], [src[8999], 1, 2, 3]);
  assert.equal(account.used, 3);
});

Deno.test("ramfs: deferred bytes dropped unread at truncate to 0; a failing loader gives EIO", () => {
  const fs = new RamFs();
  const vfs = new Vfs({ root: fs });
  const make = (name: string, load: () => Uint8Array | null) => {
    const r = vfs.open(null, name, OpenFlags.WRITE | OpenFlags.CREATE, 0o755);
    assert.ok(typeof r !== "number");
    (r.file.inode as RamInode).deferData(5000, load);
    vfs.close(r.file);
  };
  let calls = 0;
  make("/gone", () => {
    calls++;
    return null;
  });
  make("/dropped", () => {
    throw new Error("must not be read");
  });
  assert.equal(fs.pages.used, 4);
  const st = vfs.stat(null, "/gone");
  assert.ok(typeof st !== "number");
  assert.equal(st.size, 5000);
  assert.equal(st.blocks, 16);
  assert.equal(vfs.readWholeFile("/gone"), K.IO);
  assert.equal(vfs.truncate(null, "/gone", 100), K.IO);
  const w = vfs.open(null, "/gone", OpenFlags.WRITE);
  assert.ok(typeof w !== "number");
  assert.equal(vfs.write(w.file, new Uint8Array(1)), K.IO);
  vfs.close(w.file);
  assert.equal(calls, 3);
  assert.equal(vfs.truncate(null, "/dropped", 0), K.OK);
  assert.equal(fs.pages.used, 2);
  assert.equal(vfs.unlink(null, "/gone"), K.OK);
  assert.equal(fs.pages.used, 0);
  assert.equal(calls, 3);
});
