import assert from "node:assert/strict";
import { relative } from "node:path";
import { K } from "../../../kernel/errors.ts";
import {
  buildInitramfs,
  collectInitramfs,
  fillRamFs,
  InitramfsError,
  OpenFlags,
  RamFs,
  readCpio,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  unpackInitramfs,
  Vfs,
  writeCpio,
} from "../../../kernel/fs/mod.ts";
import { initramfsMappings } from "../../../system/boot.ts";

const te = new TextEncoder();
const td = new TextDecoder();

Deno.test("initramfs: build from a temp host dir, unpack into ramfs", () => {
  const dir = Deno.makeTempDirSync({ prefix: "strata_initramfs_" });
  try {
    Deno.mkdirSync(`${dir}/bin`);
    Deno.mkdirSync(`${dir}/etc/init.d`, { recursive: true });
    Deno.writeFileSync(`${dir}/bin/hello`, te.encode("\x7fELF..."), { mode: 0o755 });
    Deno.chmodSync(`${dir}/bin/hello`, 0o755);
    Deno.writeFileSync(`${dir}/etc/motd`, te.encode("welcome\n"));
    Deno.chmodSync(`${dir}/etc/motd`, 0o640);
    Deno.symlinkSync("hello", `${dir}/bin/hi`);
    const extra = Deno.makeTempDirSync({ prefix: "strata_initramfs_extra_" });
    Deno.writeFileSync(`${extra}/readme`, te.encode("extra"));
    const maps = [{ hostPath: dir, guestPath: "/" }, { hostPath: extra, guestPath: "/usr/share" }];
    const bytes = buildInitramfs(maps);
    // deterministic: same tree, same bytes (times are zeroed), even after touching a file
    Deno.utimeSync(`${dir}/etc/motd`, 1, 1);
    assert.deepEqual(buildInitramfs(maps), bytes);
    Deno.removeSync(extra, { recursive: true });
    const names = readCpio(bytes).map((e) => e.name);
    assert.deepEqual(names, [
      "bin",
      "bin/hello",
      "bin/hi",
      "etc",
      "etc/init.d",
      "etc/motd",
      "usr",
      "usr/share",
      "usr/share/readme",
    ]);

    const root = new RamFs();
    const vfs = new Vfs({ root });
    const sum = unpackInitramfs(root, bytes);
    assert.deepEqual(sum, { dirs: 5, files: 3, symlinks: 1, nodes: 0, links: 0 });
    const hello = vfs.stat(null, "/bin/hello");
    assert.ok(typeof hello !== "number");
    assert.equal(hello.mode, S_IFREG | 0o755);
    assert.equal(hello.size, 7);
    const motd = vfs.lstat(null, "/etc/motd");
    assert.ok(typeof motd !== "number");
    assert.equal(motd.mode, S_IFREG | 0o640);
    const hi = vfs.lstat(null, "/bin/hi");
    assert.ok(typeof hi !== "number");
    assert.equal(hi.mode & S_IFMT, S_IFLNK);
    assert.equal(td.decode(vfs.readWholeFile("/bin/hi") as Uint8Array), "\x7fELF...");
    assert.equal(td.decode(vfs.readWholeFile("/usr/share/readme") as Uint8Array), "extra");
    const d = vfs.stat(null, "/etc/init.d");
    assert.ok(typeof d !== "number");
    assert.equal(d.mode & S_IFMT, S_IFDIR);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("initramfs: hard links, device nodes, missing parents; .. refused", () => {
  const body = te.encode("shared");
  const bytes = writeCpio([
    {
      name: "a/b/one",
      mode: 0o100644,
      uid: 0,
      gid: 0,
      nlink: 2,
      mtime: 5,
      ino: 77,
      data: new Uint8Array(0),
    },
    { name: "a/two", mode: 0o100644, uid: 0, gid: 0, nlink: 2, mtime: 5, ino: 77, data: body },
    {
      name: "dev/null",
      mode: 0o020666,
      uid: 0,
      gid: 0,
      nlink: 1,
      mtime: 0,
      data: new Uint8Array(0),
      rdevMajor: 1,
      rdevMinor: 3,
    },
  ]);
  const root = new RamFs();
  const vfs = new Vfs({ root });
  const sum = unpackInitramfs(root, bytes);
  assert.equal(sum.links, 1);
  assert.equal(sum.nodes, 1);
  assert.equal(td.decode(vfs.readWholeFile("/a/b/one") as Uint8Array), "shared");
  const st = vfs.stat(null, "/a/two");
  assert.ok(typeof st !== "number");
  assert.equal(st.nlink, 2);
  assert.equal(st.mtimeNs, 5_000_000_000n);
  const dn = vfs.stat(null, "/dev/null");
  assert.ok(typeof dn !== "number");
  assert.equal(dn.rdev, 0x103);
  const evil = writeCpio([{
    name: "../etc/x",
    mode: 0o100644,
    uid: 0,
    gid: 0,
    nlink: 1,
    mtime: 0,
    data: body,
  }]);
  assert.throws(() => unpackInitramfs(root, evil), InitramfsError);
  assert.throws(
    () => buildInitramfs([{ hostPath: "/definitely/not/here", guestPath: "/" }]),
    InitramfsError,
  );
  assert.equal(vfs.stat(null, "/etc"), K.NOENT);
});

Deno.test("initramfs: unpacking the collected members gives the tree the archive gives", () => {
  const dir = Deno.makeTempDirSync({ prefix: "strata_initramfs_members_" });
  try {
    Deno.mkdirSync(`${dir}/sub/deeper`, { recursive: true });
    Deno.writeFileSync(`${dir}/a`, te.encode("alpha"));
    Deno.writeFileSync(`${dir}/sub/b`, new Uint8Array(10_000).fill(7));
    Deno.writeFileSync(`${dir}/sub/deeper/empty`, new Uint8Array(0));
    Deno.symlinkSync("sub/b", `${dir}/link`);
    const maps = [{ hostPath: dir, guestPath: "/bin" }];
    const members = collectInitramfs(maps);
    assert.deepEqual(writeCpio(members), buildInitramfs(maps));
    const archiveRoot = new RamFs(), membersRoot = new RamFs();
    const fromArchive = new Vfs({ root: archiveRoot });
    const fromMembers = new Vfs({ root: membersRoot });
    const a = unpackInitramfs(archiveRoot, buildInitramfs(maps));
    assert.deepEqual(unpackInitramfs(membersRoot, members), a);
    for (
      const p of ["/bin", "/bin/a", "/bin/sub", "/bin/sub/b", "/bin/sub/deeper/empty", "/bin/link"]
    ) {
      assert.deepEqual(fromMembers.lstat(null, p), fromArchive.lstat(null, p), p);
    }
    const r = fromMembers.open(null, "/bin/sub/b", OpenFlags.READ);
    assert.ok(typeof r !== "number");
    const buf = new Uint8Array(10_001);
    assert.equal(fromMembers.read(r.file, buf), 10_000);
    assert.ok(buf.subarray(0, 10_000).every((x) => x === 7));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("initramfs: members with deferred data give the same tree, read from the host at first use", () => {
  const dir = Deno.makeTempDirSync({ prefix: "strata_initramfs_defer_" });
  try {
    Deno.mkdirSync(`${dir}/sub`);
    Deno.writeFileSync(`${dir}/a`, te.encode("alpha"));
    Deno.writeFileSync(`${dir}/sub/b`, Uint8Array.from({ length: 10_000 }, (_, i) => i & 0xff));
    Deno.writeFileSync(`${dir}/sub/empty`, new Uint8Array(0));
    Deno.writeFileSync(`${dir}/c`, te.encode("charlie"));
    Deno.symlinkSync("sub/b", `${dir}/link`);
    const maps = [{ hostPath: dir, guestPath: "/bin" }];
    const deferred = collectInitramfs(maps, { deferData: true });
    const b = deferred.find((m) => m.name === "bin/sub/b");
    assert.equal(b?.data.length, 0);
    assert.deepEqual(b?.host?.size, 10_000);
    // Host paths are kept absolute (the bytes may be read after a change of directory).
    const rel = relative(Deno.cwd(), dir);
    const relMembers = collectInitramfs([{ hostPath: rel, guestPath: "/bin" }], {
      deferData: true,
    });
    const relB = relMembers.find((m) => m.name === "bin/sub/b");
    assert.equal(relB?.host?.path, `${Deno.realPathSync(dir)}/sub/b`);
    const eager = new RamFs();
    const lazy = new RamFs();
    const eagerVfs = new Vfs({ root: eager });
    const lazyVfs = new Vfs({ root: lazy });
    assert.deepEqual(
      unpackInitramfs(lazy, deferred),
      unpackInitramfs(eager, collectInitramfs(maps)),
    );
    assert.equal(lazy.pages.used, eager.pages.used);
    const paths = [
      "/bin",
      "/bin/a",
      "/bin/c",
      "/bin/sub",
      "/bin/sub/b",
      "/bin/sub/empty",
      "/bin/link",
    ];
    for (const p of paths) assert.deepEqual(lazyVfs.lstat(null, p), eagerVfs.lstat(null, p), p);
    assert.deepEqual(lazyVfs.readWholeFile("/bin/sub/b"), eagerVfs.readWholeFile("/bin/sub/b"));
    // Changed on the host after boot: not read (EIO), and the other files stay as they were.
    Deno.writeFileSync(`${dir}/a`, te.encode("ALPHA, longer"));
    assert.equal(lazyVfs.readWholeFile("/bin/a"), K.IO);
    assert.equal(td.decode(eagerVfs.readWholeFile("/bin/a") as Uint8Array), "alpha");
    Deno.removeSync(`${dir}/c`);
    assert.equal(lazyVfs.readWholeFile("/bin/c"), K.IO);
    // Truncated and rewritten in the guest, it needs no host bytes.
    const r = lazyVfs.open(null, "/bin/c", OpenFlags.WRITE | OpenFlags.TRUNC);
    assert.ok(typeof r !== "number");
    assert.equal(lazyVfs.write(r.file, te.encode("new")), 3);
    lazyVfs.close(r.file);
    assert.equal(td.decode(lazyVfs.readWholeFile("/bin/c") as Uint8Array), "new");
    // The archive of deferred members is the archive of the host tree.
    assert.deepEqual(buildInitramfs(maps), writeCpio(collectInitramfs(maps)));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** Every path under `dir` with its lstat and, for files and links, its bytes or target. */
function treeOf(vfs: Vfs, dir = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const r = vfs.open(null, dir === "" ? "/" : dir, OpenFlags.READ | OpenFlags.DIRECTORY);
  assert.ok(typeof r !== "number", dir);
  const entries = vfs.readdir(r.file);
  vfs.close(r.file);
  assert.ok(typeof entries !== "number");
  for (const e of entries) {
    if (e.name === "." || e.name === "..") continue;
    const path = `${dir}/${e.name}`;
    const st = vfs.lstat(null, path);
    assert.ok(typeof st !== "number", path);
    const type = st.mode & S_IFMT;
    const body = type === S_IFREG
      ? vfs.readWholeFile(path)
      : type === S_IFLNK
      ? vfs.readlink(null, path)
      : null;
    out.set(path, { st, body });
    if (type === S_IFDIR) { for (const [p, v] of treeOf(vfs, path)) out.set(p, v); }
  }
  return out;
}

Deno.test("initramfs: the boot's own tree with its data deferred equals the tree with it read", () => {
  const now = () => 1_767_225_600_000_000_000n;
  const maps = initramfsMappings(new URL("../../../userland/bin", import.meta.url).pathname);
  const eager = new RamFs({ now });
  const filled = new RamFs({ now });
  assert.deepEqual(
    fillRamFs(filled, collectInitramfs(maps, { deferData: true })),
    fillRamFs(eager, collectInitramfs(maps)),
  );
  assert.equal(filled.pages.used, eager.pages.used);
  assert.deepEqual(treeOf(new Vfs({ root: filled })), treeOf(new Vfs({ root: eager })));
  const body = te.encode("x");
  assert.throws(
    () =>
      fillRamFs(new RamFs(), [
        { uid: 0, gid: 0, mtime: 5, name: "x/../y", mode: 0o100644, nlink: 1, data: body },
      ]),
    InitramfsError,
  );
});
