import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import {
  DevFs,
  OpenFlags,
  RamFs,
  registerConsoleTty,
  registerMemoryDevices,
  S_IFCHR,
  S_IFMT,
  Vfs,
  XorShift32,
} from "../../../kernel/fs/mod.ts";
import { CharDeviceError, CharDeviceRegistry, makeDev, Tty } from "../../../kernel/io/mod.ts";

function setup(seed = 1234) {
  const reg = new CharDeviceRegistry();
  registerMemoryDevices(reg, { randomSeed: seed });
  const vfs = new Vfs({ root: new RamFs(), charDevices: reg });
  vfs.mkdir(null, "/dev");
  assert.equal(vfs.mount("/dev", new DevFs(reg)), K.OK);
  return { reg, vfs };
}

function openDev(vfs: Vfs, path: string, flags = OpenFlags.READ | OpenFlags.WRITE) {
  const r = vfs.open(null, path, flags);
  if (typeof r === "number") throw new Error(`${path}: ${r}`);
  return r.file;
}

Deno.test("devfs: null, zero, full", () => {
  const { vfs } = setup();
  const buf = new Uint8Array(8).fill(9);
  const nul = openDev(vfs, "/dev/null");
  assert.equal(vfs.read(nul, buf), 0);
  assert.equal(vfs.write(nul, new Uint8Array(100)), 100);
  const zero = openDev(vfs, "/dev/zero");
  assert.equal(vfs.read(zero, buf), 8);
  assert.deepEqual([...buf], [0, 0, 0, 0, 0, 0, 0, 0]);
  const full = openDev(vfs, "/dev/full");
  assert.equal(vfs.write(full, new Uint8Array(1)), K.NOSPC);
  const st = vfs.stat(null, "/dev/zero");
  assert.ok(typeof st !== "number");
  assert.equal(st.mode & S_IFMT, S_IFCHR);
  assert.equal(st.rdev, makeDev(1, 5));
});

Deno.test("devfs: random is a deterministic stream from the seed", () => {
  const a = setup(77), b = setup(77), c = setup(78);
  const read = (vfs: Vfs) => {
    const f = openDev(vfs, "/dev/urandom", OpenFlags.READ);
    const buf = new Uint8Array(16);
    vfs.read(f, buf);
    return [...buf];
  };
  const x = read(a.vfs);
  assert.deepEqual(x, read(b.vfs));
  assert.notDeepEqual(x, read(c.vfs));
  assert.ok(new Set(x).size > 8);
  const g = new XorShift32(1);
  assert.equal(g.next(), 270369); // Marsaglia xorshift32 from 1: 1 ^ 1<<13 ... = 0x42021
});

Deno.test("devfs: listing follows the registry; device nodes elsewhere open through it", () => {
  const { vfs, reg } = setup();
  const tty = new Tty();
  registerConsoleTty(reg, tty);
  const d = openDev(vfs, "/dev", OpenFlags.READ | OpenFlags.DIRECTORY);
  const names = (vfs.readdir(d) as { name: string }[]).map((e) => e.name);
  assert.deepEqual(names, [
    ".",
    "..",
    "console",
    "full",
    "null",
    "random",
    "tty",
    "ttyS0",
    "urandom",
    "zero",
  ]);
  assert.equal(vfs.mkdir(null, "/dev/pts"), K.NOTSUP);
  assert.throws(
    () => reg.register({ name: "null", major: 9, minor: 9, fileOps: tty.fileOps }),
    CharDeviceError,
  );
  assert.throws(
    () => reg.register({ name: "x", major: 1, minor: 3, fileOps: tty.fileOps }),
    CharDeviceError,
  );
  // a device node in ramfs (as an initramfs would carry)
  assert.equal(vfs.mknod(null, "/mynull", S_IFCHR | 0o666, makeDev(1, 3)), K.OK);
  const f = openDev(vfs, "/mynull");
  assert.equal(vfs.write(f, new Uint8Array(3)), 3);
  assert.equal(vfs.mknod(null, "/nodev", S_IFCHR | 0o666, makeDev(200, 1)), K.OK);
  assert.equal(vfs.open(null, "/nodev", OpenFlags.READ), K.NODEV);
  reg.unregister(1, 7);
  assert.equal(vfs.stat(null, "/dev/full"), K.NOENT);
  const tt = openDev(vfs, "/dev/console");
  assert.equal(vfs.lseek(tt, 0, 0), K.SPIPE);
});
