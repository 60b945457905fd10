/**
 * An ext2 workload through the real VFS, shared by the e2fsprogs tests and
 * the power-cut harness: files of every map depth, sparse files, appends,
 * truncation both ways, links, symlinks, renames, a large directory,
 * attribute changes and removals. It returns what each surviving file must
 * contain.
 *
 * @module
 */

import assert from "node:assert/strict";
import { K, OpenFlags } from "../../../kernel/api.ts";
import type { Vfs } from "../../../kernel/fs/vfs.ts";

/** Deterministic bytes for file `seed`. */
export function pattern(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Writes `data` to `path` at `pos` (creating it); asserts success. */
export function put(vfs: Vfs, path: string, data: Uint8Array, pos = 0, flags = 0): void {
  const r = vfs.open(null, path, OpenFlags.WRITE | OpenFlags.CREATE | flags, 0o644);
  assert.ok(typeof r !== "number", `open ${path}: ${r}`);
  const n = flags & OpenFlags.APPEND ? vfs.write(r.file, data) : vfs.pwrite(r.file, data, pos);
  assert.equal(n, data.length, `write ${path}`);
  vfs.close(r.file);
}

/** The whole contents of `path`. */
export function get(vfs: Vfs, path: string): Uint8Array {
  const r = vfs.readWholeFile(path);
  assert.ok(typeof r !== "number", `read ${path}: ${r}`);
  return r;
}

/** Checks the sparse file: its size, the hole before the data, the data. */
export function checkSparse(vfs: Vfs, bigOffset: number): void {
  const r = vfs.open(null, "/sparse", OpenFlags.READ);
  assert.ok(typeof r !== "number");
  const st = vfs.fstat(r.file);
  assert.ok(typeof st !== "number");
  assert.equal(st.size, bigOffset + 5000);
  const buf = new Uint8Array(5100);
  assert.equal(vfs.pread(r.file, buf, bigOffset - 100), 5100);
  assert.deepEqual(buf.subarray(0, 100), new Uint8Array(100));
  assert.deepEqual(buf.subarray(100), pattern(7, 5000));
  assert.equal(vfs.pread(r.file, buf, 4096), 5100);
  assert.deepEqual(buf, new Uint8Array(5100));
  vfs.close(r.file);
}

/** Expected contents by path, after {@link runWorkload}. */
export type Expect = Map<string, Uint8Array>;

/** Runs the workload; `step` is called after every operation (for fsync points). */
export function runWorkload(vfs: Vfs, bigOffset: number, step: () => void = () => {}): Expect {
  const want: Expect = new Map();
  const ok = (r: number, what: string) => {
    assert.equal(r, K.OK, what);
    step();
  };
  ok(vfs.mkdir(null, "/d1"), "mkdir d1");
  ok(vfs.mkdir(null, "/d1/sub"), "mkdir sub");
  ok(vfs.mkdir(null, "/d2"), "mkdir d2");
  for (
    const [name, size] of [["small", 100], ["one", 1024], ["mid", 40_000], [
      "big",
      300_000,
    ]] as const
  ) {
    const data = pattern(size, size);
    put(vfs, `/d1/${name}`, data);
    want.set(`/d1/${name}`, data);
    step();
  }
  // Sparse: a hole, then data far out (double or triple indirect).
  const tail = pattern(7, 5000);
  put(vfs, "/sparse", tail, bigOffset);
  // Checked by checkSparse rather than as a whole (it can be 70 MB).
  step();
  // Append.
  const a1 = pattern(11, 3000);
  const a2 = pattern(12, 2500);
  put(vfs, "/log", a1);
  put(vfs, "/log", a2, 0, OpenFlags.APPEND);
  const log = new Uint8Array(5500);
  log.set(a1);
  log.set(a2, 3000);
  want.set("/log", log);
  step();
  // Truncate down then up.
  ok(vfs.truncate(null, "/d1/big", 70_000), "truncate down");
  ok(vfs.truncate(null, "/d1/big", 90_000), "truncate up");
  const big = new Uint8Array(90_000);
  big.set(pattern(300_000, 300_000).subarray(0, 70_000));
  want.set("/d1/big", big);
  // Links, symlinks.
  ok(vfs.link(null, "/d1/mid", null, "/d2/mid-link"), "link");
  want.set("/d2/mid-link", want.get("/d1/mid")!);
  ok(vfs.symlink("/d1/small", null, "/fast"), "fast symlink");
  ok(vfs.symlink("/" + "x".repeat(200), null, "/slow"), "slow symlink");
  // Renames: plain, over an existing file, a directory across parents.
  put(vfs, "/victim", pattern(99, 10));
  ok(vfs.rename(null, "/d1/one", null, "/victim"), "rename over");
  want.set("/victim", want.get("/d1/one")!);
  want.delete("/d1/one");
  ok(vfs.rename(null, "/d1/sub", null, "/d2/moved"), "rename dir");
  // A directory with many entries, then half of them removed.
  ok(vfs.mkdir(null, "/many"), "mkdir many");
  for (let i = 0; i < 300; i++) {
    const data = pattern(1000 + i, 20 + i);
    put(vfs, `/many/file-with-a-longish-name-${i}`, data);
    want.set(`/many/file-with-a-longish-name-${i}`, data);
  }
  step();
  for (let i = 0; i < 300; i += 2) {
    assert.equal(vfs.unlink(null, `/many/file-with-a-longish-name-${i}`), K.OK);
    want.delete(`/many/file-with-a-longish-name-${i}`);
  }
  step();
  // Attributes.
  ok(vfs.setAttr(null, "/log", { mode: 0o600, uid: 1000, gid: 100 }), "chmod/chown");
  ok(
    vfs.setAttr(null, "/log", {
      atimeNs: 1_600_000_000_000_000_000n,
      mtimeNs: 1_500_000_000_000_000_000n,
    }),
    "utimes",
  );
  // Removals.
  put(vfs, "/gone", pattern(5, 70_000));
  ok(vfs.unlink(null, "/gone"), "unlink");
  ok(vfs.mkdir(null, "/emptydir"), "mkdir");
  ok(vfs.rmdir(null, "/emptydir"), "rmdir");
  return want;
}
