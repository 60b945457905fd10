import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import { HostFs, HostFsError, OpenFlags, PathLoc, RamFs, Vfs } from "../../../kernel/fs/mod.ts";

const te = new TextEncoder();
const td = new TextDecoder();

function setup() {
  const top = Deno.makeTempDirSync({ prefix: "strata_hostfs_" });
  const share = `${top}/share`;
  Deno.mkdirSync(`${share}/sub`, { recursive: true });
  Deno.writeFileSync(`${share}/a.txt`, te.encode("alpha"));
  Deno.writeFileSync(`${share}/sub/b.txt`, te.encode("beta"));
  Deno.writeFileSync(`${top}/secret`, te.encode("do not read"));
  Deno.symlinkSync("../secret", `${share}/escape`);
  Deno.symlinkSync(`${top}/secret`, `${share}/escape_abs`);
  Deno.symlinkSync("sub/b.txt", `${share}/inside`);
  const vfs = new Vfs({ root: new RamFs() });
  vfs.mkdir(null, "/mnt");
  vfs.mkdir(null, "/mnt/host");
  assert.equal(vfs.mount("/mnt/host", new HostFs(share)), K.OK);
  return { top, vfs };
}

Deno.test("hostfs: reads files and directories of the share", () => {
  const { top, vfs } = setup();
  try {
    assert.equal(td.decode(vfs.readWholeFile("/mnt/host/a.txt") as Uint8Array), "alpha");
    assert.equal(td.decode(vfs.readWholeFile("/mnt/host/sub/b.txt") as Uint8Array), "beta");
    assert.equal(td.decode(vfs.readWholeFile("/mnt/host/inside") as Uint8Array), "beta");
    const d = vfs.open(null, "/mnt/host", OpenFlags.READ | OpenFlags.DIRECTORY);
    assert.ok(typeof d !== "number");
    const names = (vfs.readdir(d.file) as { name: string }[]).map((e) => e.name);
    assert.deepEqual(names, [".", "..", "a.txt", "inside", "sub"]);
    const f = vfs.open(null, "/mnt/host/a.txt", OpenFlags.READ);
    assert.ok(typeof f !== "number");
    assert.equal(vfs.lseek(f.file, 2, 0), 2);
    const buf = new Uint8Array(10);
    assert.equal(vfs.read(f.file, buf), 3);
    assert.equal(td.decode(buf.subarray(0, 3)), "pha");
    assert.equal(vfs.close(f.file), K.OK);
    const st = vfs.stat(null, "/mnt/host/a.txt");
    assert.ok(typeof st !== "number");
    assert.equal(st.size, 5);
  } finally {
    Deno.removeSync(top, { recursive: true });
  }
});

Deno.test("hostfs: escaping symlinks and .. are refused; writes are ROFS", () => {
  const { top, vfs } = setup();
  try {
    assert.equal(vfs.open(null, "/mnt/host/escape", OpenFlags.READ), K.ACCES);
    assert.equal(vfs.open(null, "/mnt/host/escape_abs", OpenFlags.READ), K.ACCES);
    // ".." at the share root leaves to the guest's /mnt, never the host parent
    const up = vfs.lookup(null, "/mnt/host/sub/../../host/..");
    assert.ok(up instanceof PathLoc);
    assert.equal(up.path, "/mnt");
    assert.equal(vfs.open(null, "/mnt/host/../secret", OpenFlags.READ), K.NOENT);
    assert.equal(vfs.open(null, "/mnt/host/a.txt", OpenFlags.WRITE), K.ROFS);
    assert.equal(vfs.open(null, "/mnt/host/new", OpenFlags.WRITE | OpenFlags.CREATE), K.ROFS);
    assert.equal(vfs.mkdir(null, "/mnt/host/d"), K.ROFS);
    assert.equal(vfs.unlink(null, "/mnt/host/a.txt"), K.ROFS);
    assert.equal(vfs.rename(null, "/mnt/host/a.txt", null, "/mnt/host/z"), K.ROFS);
    assert.equal(vfs.symlink("/", null, "/mnt/host/l"), K.ROFS);
    assert.equal(vfs.truncate(null, "/mnt/host/a.txt", 0), K.ROFS);
    const fs = new HostFs(`${top}/share`);
    assert.equal(fs.resolveChild(fs.hostRoot, ".."), K.ACCES);
    assert.equal(fs.resolveChild(fs.hostRoot, "../secret"), K.ACCES);
    assert.throws(() => new HostFs(`${top}/missing`), HostFsError);
    assert.throws(() => new HostFs(`${top}/secret`), HostFsError);
  } finally {
    Deno.removeSync(top, { recursive: true });
  }
});

Deno.test("hostfs: a directory stream lists from one host scan with stable offsets", () => {
  const top = Deno.makeTempDirSync({ prefix: "strata_hostfs_" });
  try {
    for (let i = 0; i < 300; i++) Deno.writeFileSync(`${top}/f${1000 + i}`, te.encode("x"));
    const fs = new HostFs(top);
    const vfs = new Vfs({ root: new RamFs() });
    vfs.mkdir(null, "/mnt");
    assert.equal(vfs.mount("/mnt", fs), K.OK);
    let resolves = 0;
    const resolve = fs.resolveChild.bind(fs);
    fs.resolveChild = (dir, name) => {
      resolves++;
      return resolve(dir, name);
    };
    const d = vfs.open(null, "/mnt", OpenFlags.READ | OpenFlags.DIRECTORY);
    assert.ok(typeof d !== "number");
    // Read it as getdents64 does with a small buffer: ten entries at a time.
    const seen: string[] = [];
    for (;;) {
      const batch = vfs.readdir(d.file) as { name: string }[];
      if (batch.length === 0) break;
      for (const e of batch.slice(0, 10)) seen.push(e.name);
      d.file.offset += Math.min(10, batch.length);
      // A file appearing on the host mid-listing must not shift the offsets.
      if (seen.length === 20) Deno.writeFileSync(`${top}/a_new`, te.encode("y"));
    }
    assert.equal(seen.length, 302, "., .. and 300 files, none twice");
    assert.equal(new Set(seen).size, 302);
    assert.equal(resolves, 300, "one host resolution per entry, not per call");
    // A rewind takes a new snapshot, which sees the new file.
    d.file.offset = 0;
    assert.equal((vfs.readdir(d.file) as unknown[]).length, 303);
  } finally {
    Deno.removeSync(top, { recursive: true });
  }
});
