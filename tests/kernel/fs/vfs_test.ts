import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import {
  type OpenFile,
  OpenFlags,
  OpenOutcome,
  PathLoc,
  RamFs,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  Vfs,
  Whence,
} from "../../../kernel/fs/mod.ts";

const te = new TextEncoder();
const td = new TextDecoder();

function fresh(): Vfs {
  let t = 0n;
  return new Vfs({ root: new RamFs({ now: () => (t += 1000n) }) });
}

function open(vfs: Vfs, path: string, flags: number, base: PathLoc | null = null): OpenFile {
  const r = vfs.open(base, path, flags);
  if (typeof r === "number") throw new Error(`open ${path}: ${r}`);
  return r.file;
}

function writeFile(vfs: Vfs, path: string, text: string): void {
  const f = open(vfs, path, OpenFlags.WRITE | OpenFlags.CREATE | OpenFlags.TRUNC);
  assert.equal(vfs.write(f, te.encode(text)), text.length);
  vfs.close(f);
}

function readAll(vfs: Vfs, f: OpenFile): string {
  const buf = new Uint8Array(1 << 16);
  let s = "";
  for (;;) {
    const n = vfs.read(f, buf);
    assert.ok(n >= 0, `read status ${n}`);
    if (n === 0) return s;
    s += td.decode(buf.subarray(0, n));
  }
}

Deno.test("vfs: mkdir, create, lookup, canonical path", () => {
  const vfs = fresh();
  assert.equal(vfs.mkdir(null, "/a", 0o755), K.OK);
  assert.equal(vfs.mkdir(null, "/a/b/", 0o755), K.OK);
  assert.equal(vfs.mkdir(null, "/a/b", 0o755), K.EXIST);
  writeFile(vfs, "/a/b/f", "hello");
  const loc = vfs.lookup(null, "/a/./b/../b//f");
  assert.ok(loc instanceof PathLoc);
  assert.equal(loc.path, "/a/b/f");
  const cwd = vfs.chdir(null, "/a/b");
  assert.ok(cwd instanceof PathLoc);
  assert.equal(vfs.getcwd(cwd), "/a/b");
  const rel = vfs.lookup(cwd, "../b/f");
  assert.ok(rel instanceof PathLoc);
  assert.equal(rel.path, "/a/b/f");
});

Deno.test("vfs: .. at root stays at root; empty path is NOENT", () => {
  const vfs = fresh();
  vfs.mkdir(null, "/x");
  const loc = vfs.lookup(null, "/../../x/../..");
  assert.ok(loc instanceof PathLoc);
  assert.equal(loc.path, "/");
  assert.equal(vfs.lookup(null, ""), K.NOENT);
});

Deno.test("vfs: trailing slashes and ENOTDIR in the middle", () => {
  const vfs = fresh();
  writeFile(vfs, "/file", "x");
  assert.equal(vfs.lookup(null, "/file/"), K.NOTDIR);
  assert.equal(vfs.lookup(null, "/file/x"), K.NOTDIR);
  assert.equal(vfs.stat(null, "/file/."), K.NOTDIR);
  assert.equal(vfs.open(null, "/file/", OpenFlags.READ), K.NOTDIR);
  assert.equal(vfs.open(null, "/newfile/", OpenFlags.WRITE | OpenFlags.CREATE), K.ISDIR);
  assert.equal(vfs.unlink(null, "/file/"), K.NOTDIR);
  vfs.mkdir(null, "/d");
  assert.ok(vfs.lookup(null, "/d/") instanceof PathLoc);
  assert.equal(vfs.rmdir(null, "/d/"), K.OK);
});

Deno.test("vfs: ENAMETOOLONG for a long component and a long path", () => {
  const vfs = fresh();
  assert.equal(vfs.mkdir(null, "/" + "n".repeat(256)), K.NAMETOOLONG);
  assert.equal(vfs.mkdir(null, "/" + "n".repeat(255)), K.OK);
  assert.equal(vfs.lookup(null, "/a".repeat(2100)), K.NAMETOOLONG);
  assert.equal(vfs.open(null, "/" + "q".repeat(300), OpenFlags.READ), K.NAMETOOLONG);
});

Deno.test("vfs: symlinks, relative and absolute, and loops", () => {
  const vfs = fresh();
  vfs.mkdir(null, "/usr");
  vfs.mkdir(null, "/usr/bin");
  writeFile(vfs, "/usr/bin/sh", "#!");
  assert.equal(vfs.symlink("usr/bin", null, "/bin"), K.OK);
  assert.equal(vfs.symlink("/usr/bin/sh", null, "/usr/sh"), K.OK);
  assert.equal(vfs.symlink("../bin/sh", null, "/usr/bin/rel"), K.OK);
  const a = vfs.lookup(null, "/bin/sh");
  assert.ok(a instanceof PathLoc);
  assert.equal(a.path, "/usr/bin/sh");
  const b = vfs.lookup(null, "/usr/bin/rel");
  assert.ok(b instanceof PathLoc);
  assert.equal(b.path, "/usr/bin/sh");
  assert.equal(vfs.readlink(null, "/bin"), "usr/bin");
  assert.equal(vfs.readlink(null, "/usr/bin/sh"), K.INVAL);
  const l = vfs.lstat(null, "/bin");
  assert.ok(typeof l !== "number");
  assert.equal(l.mode & S_IFMT, S_IFLNK);
  // loops
  vfs.symlink("/loop2", null, "/loop1");
  vfs.symlink("/loop1", null, "/loop2");
  assert.equal(vfs.lookup(null, "/loop1"), K.LOOP);
  assert.equal(vfs.open(null, "/loop1/x", OpenFlags.READ), K.LOOP);
  vfs.symlink("self", null, "/self");
  assert.equal(vfs.stat(null, "/self"), K.LOOP);
  // NOFOLLOW on a link gives LOOP; O_PATH|NOFOLLOW opens the link itself
  assert.equal(vfs.open(null, "/usr/sh", OpenFlags.READ | OpenFlags.NOFOLLOW), K.LOOP);
  const p = vfs.open(null, "/usr/sh", OpenFlags.PATH | OpenFlags.NOFOLLOW);
  assert.ok(typeof p !== "number");
  // dangling link
  vfs.symlink("/nowhere", null, "/dangling");
  assert.equal(vfs.stat(null, "/dangling"), K.NOENT);
  // 40 chained links are fine, 41 are not
  for (let i = 0; i < 41; i++) vfs.symlink(i === 0 ? "/usr/bin/sh" : `/c${i - 1}`, null, `/c${i}`);
  assert.ok(vfs.lookup(null, "/c39") instanceof PathLoc);
  assert.equal(vfs.lookup(null, "/c40"), K.LOOP);
});

Deno.test("vfs: open flags and outcomes", () => {
  const vfs = fresh();
  const c = vfs.open(null, "/f", OpenFlags.WRITE | OpenFlags.CREATE);
  assert.ok(typeof c !== "number");
  assert.equal(c.outcome, OpenOutcome.CREATED);
  vfs.write(c.file, te.encode("abc"));
  vfs.close(c.file);
  assert.equal(vfs.open(null, "/f", OpenFlags.WRITE | OpenFlags.CREATE | OpenFlags.EXCL), K.EXIST);
  const o = vfs.open(null, "/f", OpenFlags.READ | OpenFlags.CREATE);
  assert.ok(typeof o !== "number");
  assert.equal(o.outcome, OpenOutcome.OPENED);
  const t = vfs.open(null, "/f", OpenFlags.WRITE | OpenFlags.TRUNC);
  assert.ok(typeof t !== "number");
  assert.equal(t.outcome, OpenOutcome.TRUNCATED);
  const st = vfs.fstat(t.file);
  assert.ok(typeof st !== "number");
  assert.equal(st.size, 0);
  assert.equal(vfs.open(null, "/missing", OpenFlags.READ), K.NOENT);
  assert.equal(vfs.open(null, "/missing/x", OpenFlags.READ | OpenFlags.CREATE), K.NOENT);
  vfs.mkdir(null, "/dir");
  assert.equal(vfs.open(null, "/dir", OpenFlags.WRITE), K.ISDIR);
  assert.equal(vfs.open(null, "/f", OpenFlags.READ | OpenFlags.DIRECTORY), K.NOTDIR);
  const d = vfs.open(null, "/dir", OpenFlags.READ | OpenFlags.DIRECTORY);
  assert.ok(typeof d !== "number");
  assert.equal(vfs.read(d.file, new Uint8Array(4)), K.ISDIR);
  // read-only descriptor refuses writes and vice versa
  assert.equal(vfs.write(o.file, te.encode("x")), K.BADF);
  assert.equal(vfs.read(t.file, new Uint8Array(1)), K.BADF);
  // create through a symlink in the parent
  vfs.symlink("/dir", null, "/dl");
  const viaLink = vfs.open(null, "/dl/new", OpenFlags.WRITE | OpenFlags.CREATE);
  assert.ok(typeof viaLink !== "number");
  assert.equal(viaLink.file.path, "/dir/new");
});

Deno.test("vfs: append, lseek, pread/pwrite, sparse growth", () => {
  const vfs = fresh();
  writeFile(vfs, "/f", "hello");
  const a = open(vfs, "/f", OpenFlags.WRITE | OpenFlags.APPEND);
  vfs.lseek(a, 0, Whence.SET);
  vfs.write(a, te.encode(" world"));
  vfs.close(a);
  const r = open(vfs, "/f", OpenFlags.READ | OpenFlags.WRITE);
  assert.equal(readAll(vfs, r), "hello world");
  assert.equal(vfs.lseek(r, -5, Whence.END), 6);
  assert.equal(vfs.lseek(r, 2, Whence.CUR), 8);
  assert.equal(vfs.lseek(r, -100, Whence.CUR), K.INVAL);
  assert.equal(vfs.lseek(r, 0, 7), K.INVAL);
  assert.equal(vfs.lseek(r, 8, Whence.SET), 8);
  const buf = new Uint8Array(5);
  assert.equal(vfs.pread(r, buf, 0), 5);
  assert.equal(td.decode(buf), "hello");
  assert.equal(r.offset, 8);
  // sparse: write at 100 leaves zeros
  assert.equal(vfs.lseek(r, 100, Whence.SET), 100);
  assert.equal(vfs.write(r, te.encode("Z")), 1);
  const st = vfs.fstat(r);
  assert.ok(typeof st !== "number");
  assert.equal(st.size, 101);
  const mid = new Uint8Array(3);
  assert.equal(vfs.pread(r, mid, 50), 3);
  assert.deepEqual([...mid], [0, 0, 0]);
  assert.equal(vfs.pwrite(r, te.encode("J"), 0), 1);
  assert.equal(vfs.pread(r, buf, 0), 5);
  assert.equal(td.decode(buf), "Jello");
  assert.equal(vfs.ftruncate(r, 3), K.OK);
  vfs.lseek(r, 0, Whence.SET);
  assert.equal(readAll(vfs, r), "Jel");
  assert.equal(vfs.truncate(null, "/f", 5), K.OK);
  vfs.lseek(r, 0, Whence.SET);
  assert.equal(readAll(vfs, r), "Jel\0\0");
});

Deno.test("vfs: readdir lists . and .. and entries; offset cursor", () => {
  const vfs = fresh();
  vfs.mkdir(null, "/d");
  writeFile(vfs, "/d/a", "1");
  vfs.mkdir(null, "/d/sub");
  vfs.symlink("a", null, "/d/l");
  const d = open(vfs, "/d", OpenFlags.READ | OpenFlags.DIRECTORY);
  const all = vfs.readdir(d);
  assert.ok(Array.isArray(all));
  assert.deepEqual(all.map((e) => e.name), [".", "..", "a", "sub", "l"]);
  assert.deepEqual(all.map((e) => e.type), [S_IFDIR, S_IFDIR, S_IFREG, S_IFDIR, S_IFLNK]);
  d.offset += 3;
  const rest = vfs.readdir(d);
  assert.ok(Array.isArray(rest));
  assert.deepEqual(rest.map((e) => e.name), ["sub", "l"]);
  d.offset += 2;
  assert.deepEqual(vfs.readdir(d), []);
  assert.equal(vfs.lseek(d, 0, Whence.SET), 0);
  const f = open(vfs, "/d/a", OpenFlags.READ);
  assert.equal(vfs.readdir(f), K.NOTDIR);
});

Deno.test("vfs: unlink while open keeps data until close", () => {
  const vfs = fresh();
  writeFile(vfs, "/tmpfile", "still here");
  const f = open(vfs, "/tmpfile", OpenFlags.READ);
  assert.equal(vfs.unlink(null, "/tmpfile"), K.OK);
  assert.equal(vfs.stat(null, "/tmpfile"), K.NOENT);
  const st = vfs.fstat(f);
  assert.ok(typeof st !== "number");
  assert.equal(st.nlink, 0);
  assert.equal(readAll(vfs, f), "still here");
  assert.equal(vfs.close(f), K.OK);
  assert.equal(vfs.close(f), K.BADF);
});

Deno.test("vfs: rmdir, unlink and rename rules", () => {
  const vfs = fresh();
  vfs.mkdir(null, "/d");
  writeFile(vfs, "/d/f", "x");
  assert.equal(vfs.rmdir(null, "/d"), K.NOTEMPTY);
  assert.equal(vfs.unlink(null, "/d"), K.ISDIR);
  assert.equal(vfs.rmdir(null, "/d/f"), K.NOTDIR);
  assert.equal(vfs.rmdir(null, "/"), K.BUSY);
  assert.equal(vfs.rmdir(null, "/d/."), K.INVAL);
  assert.equal(vfs.rename(null, "/d/f", null, "/g"), K.OK);
  assert.equal(vfs.stat(null, "/d/f"), K.NOENT);
  assert.ok(typeof vfs.stat(null, "/g") !== "number");
  vfs.mkdir(null, "/d/e");
  assert.equal(vfs.rename(null, "/d", null, "/d/e/x"), K.INVAL);
  assert.equal(vfs.rename(null, "/g", null, "/d"), K.ISDIR);
  assert.equal(vfs.rename(null, "/d/e", null, "/g"), K.NOTDIR);
  assert.equal(vfs.rename(null, "/d/e", null, "/e2"), K.OK);
  const root = vfs.stat(null, "/");
  assert.ok(typeof root !== "number");
  assert.equal(root.nlink, 4); // ".", "..", d, e2 → 2 + 2 subdirectories
  assert.equal(vfs.rmdir(null, "/d"), K.OK);
  assert.equal(vfs.rmdir(null, "/e2"), K.OK);
  // hard link
  assert.equal(vfs.link(null, "/g", null, "/h"), K.OK);
  const h = vfs.stat(null, "/h");
  assert.ok(typeof h !== "number");
  assert.equal(h.nlink, 2);
});

Deno.test("vfs: permissions for a non-root caller (owner and other bits)", () => {
  const vfs = fresh();
  const alice = { uid: 1000, gid: 1000 };
  vfs.mkdir(null, "/home", 0o755);
  assert.equal(vfs.mkdir(null, "/home/alice", 0o700, alice), K.ACCES);
  vfs.mkdir(null, "/home/alice", 0o700);
  vfs.setAttr(null, "/home/alice", { uid: 1000, gid: 1000 });
  const r = vfs.open(null, "/home/alice/notes", OpenFlags.WRITE | OpenFlags.CREATE, 0o600, alice);
  assert.ok(typeof r !== "number");
  const bob = { uid: 1001, gid: 1001 };
  assert.equal(vfs.open(null, "/home/alice/notes", OpenFlags.READ, 0, bob), K.ACCES);
  assert.equal(vfs.chdir(null, "/home/alice", bob), K.ACCES);
  writeFile(vfs, "/etc-passwd", "root");
  vfs.setAttr(null, "/etc-passwd", { mode: 0o644 });
  assert.equal(vfs.open(null, "/etc-passwd", OpenFlags.WRITE, 0, bob), K.ACCES);
  assert.ok(typeof vfs.open(null, "/etc-passwd", OpenFlags.READ, 0, bob) !== "number");
  assert.equal(vfs.setAttr(null, "/etc-passwd", { mode: 0o777 }, true, bob), K.PERM);
  assert.equal(vfs.access(null, "/etc-passwd", 1), K.ACCES); // even root needs an x bit
});

Deno.test("vfs: mounts, crossing with .. and getcwd; umount busy", () => {
  const vfs = fresh();
  vfs.mkdir(null, "/mnt");
  const other = new RamFs({ dev: 9 });
  assert.equal(vfs.mount("/mnt", other), K.OK);
  writeFile(vfs, "/mnt/inner", "on other fs");
  const st = vfs.stat(null, "/mnt/inner");
  assert.ok(typeof st !== "number");
  assert.equal(st.dev, 9);
  const cwd = vfs.chdir(null, "/mnt");
  assert.ok(cwd instanceof PathLoc);
  const up = vfs.lookup(cwd, "..");
  assert.ok(up instanceof PathLoc);
  assert.equal(up.path, "/");
  assert.equal(vfs.rename(null, "/mnt/inner", null, "/outer"), K.XDEV);
  assert.equal(vfs.rmdir(null, "/mnt"), K.BUSY);
  const f = open(vfs, "/mnt/inner", OpenFlags.READ);
  assert.equal(vfs.umount("/mnt"), K.BUSY);
  vfs.close(f);
  assert.equal(vfs.umount("/mnt"), K.OK);
  assert.equal(vfs.stat(null, "/mnt/inner"), K.NOENT);
});

Deno.test("vfs: readWholeFile and directories", () => {
  const vfs = fresh();
  const big = "x".repeat(200_000);
  writeFile(vfs, "/big", big);
  const bytes = vfs.readWholeFile("/big");
  assert.ok(bytes instanceof Uint8Array);
  assert.equal(bytes.length, 200_000);
  assert.equal(vfs.readWholeFile("/"), K.ISDIR);
  assert.equal(vfs.readWholeFile("/nope"), K.NOENT);
});

Deno.test("vfs: dup shares the offset; close releases at zero refs", () => {
  const vfs = fresh();
  writeFile(vfs, "/f", "abcdef");
  const f = open(vfs, "/f", OpenFlags.READ);
  const g = vfs.retain(f);
  const b = new Uint8Array(2);
  vfs.read(f, b);
  vfs.read(g, b);
  assert.equal(td.decode(b), "cd");
  assert.equal(vfs.close(f), K.OK);
  assert.equal(g.refs, 1);
  assert.equal(vfs.read(g, b), 2);
});

Deno.test("vfs: guest-supplied junk never throws", () => {
  const vfs = fresh();
  for (const p of ["\0", "/a\0b", "//", "/./.", "...", "/..."]) {
    const r = vfs.lookup(null, p);
    assert.ok(typeof r === "number" || r instanceof PathLoc);
  }
  assert.equal(vfs.mkdir(null, "/bad\0name"), K.INVAL);
});

Deno.test("vfs: locationOf a directory descriptor is the base for *at calls", () => {
  const vfs = fresh();
  vfs.mkdir(null, "/d");
  writeFile(vfs, "/d/f", "x");
  const d = open(vfs, "/d", OpenFlags.READ | OpenFlags.DIRECTORY);
  const loc = vfs.locationOf(d);
  assert.ok(loc instanceof PathLoc);
  assert.equal(loc.path, "/d");
  assert.ok(typeof vfs.stat(loc, "f") !== "number");
  const p = vfs.open(null, "/d", OpenFlags.PATH);
  assert.ok(typeof p !== "number");
  assert.ok(vfs.locationOf(p.file) instanceof PathLoc);
  assert.equal(vfs.locationOf(open(vfs, "/d/f", OpenFlags.READ)), K.NOTDIR);
});
