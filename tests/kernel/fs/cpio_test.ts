import assert from "node:assert/strict";
import { type CpioEntry, CpioFormatError, readCpio, writeCpio } from "../../../kernel/fs/mod.ts";

const te = new TextEncoder();

const sample: CpioEntry[] = [
  { name: "bin", mode: 0o040755, uid: 0, gid: 0, nlink: 2, mtime: 0, data: new Uint8Array(0) },
  {
    name: "bin/hello",
    mode: 0o100755,
    uid: 1,
    gid: 2,
    nlink: 1,
    mtime: 1700000000,
    data: te.encode("hello\n"),
  },
  { name: "bin/sh", mode: 0o120777, uid: 0, gid: 0, nlink: 1, mtime: 0, data: te.encode("hello") },
  {
    name: "dev/console",
    mode: 0o020600,
    uid: 0,
    gid: 0,
    nlink: 1,
    mtime: 0,
    data: new Uint8Array(0),
    rdevMajor: 5,
    rdevMinor: 1,
  },
];

Deno.test("cpio: round trip keeps names, modes, owners, data, rdev", () => {
  const bytes = writeCpio(sample);
  assert.equal(bytes.length % 4, 0);
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 6)), "070701");
  const back = readCpio(bytes);
  assert.equal(back.length, sample.length);
  for (let i = 0; i < sample.length; i++) {
    assert.equal(back[i].name, sample[i].name);
    assert.equal(back[i].mode, sample[i].mode);
    assert.equal(back[i].uid, sample[i].uid);
    assert.equal(back[i].gid, sample[i].gid);
    assert.equal(back[i].mtime, sample[i].mtime);
    assert.deepEqual(back[i].data, sample[i].data);
  }
  assert.equal(back[3].rdevMajor, 5);
  assert.equal(back[3].rdevMinor, 1);
});

/** True when GNU cpio runs on this host (the interop tests are ignored, not passed, without it). */
function cpioAvailable(): boolean {
  try {
    return new Deno.Command("cpio", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const HAS_CPIO = cpioAvailable();

Deno.test({
  name: "cpio: GNU cpio reads our archive (interop)",
  ignore: !HAS_CPIO,
  fn: async () => {
    const p = new Deno.Command("cpio", {
      args: ["-t", "--quiet"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = p.stdin.getWriter();
    await w.write(writeCpio(sample));
    await w.close();
    const out = await p.output();
    assert.equal(new TextDecoder().decode(out.stdout), "bin\nbin/hello\nbin/sh\ndev/console\n");
  },
});

Deno.test("cpio: corrupt input gives CpioFormatError, never a crash", () => {
  const good = writeCpio(sample);
  assert.throws(() => readCpio(new Uint8Array(0)), CpioFormatError);
  assert.throws(() => readCpio(good.subarray(0, 50)), CpioFormatError);
  assert.throws(() => readCpio(good.subarray(0, good.length - 120)), /TRAILER|truncated/);
  const badMagic = good.slice();
  badMagic[5] = 0x37; // "070707" is the old binary-ish odc format
  assert.throws(() => readCpio(badMagic), /bad magic/);
  const badHex = good.slice();
  badHex[10] = 0x5a; // 'Z' in the ino field
  assert.throws(() => readCpio(badHex), /bad hex digit/);
  const hugeSize = good.slice();
  hugeSize.set(te.encode("7FFFFFFF"), 6 + 8 * 6); // filesize of the first member
  assert.throws(() => readCpio(hugeSize), /truncated data/);
  const noNul = good.slice();
  noNul.set(te.encode("00000002"), 6 + 8 * 11); // namesize 2 for "bin" → no NUL at [1]
  assert.throws(() => readCpio(noNul), /NUL/);
  // random garbage
  let seed = 99;
  for (let k = 0; k < 200; k++) {
    const junk = good.slice();
    for (let i = 0; i < 4; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      junk[seed % junk.length] = seed >>> 24;
    }
    try {
      readCpio(junk);
    } catch (e) {
      assert.ok(e instanceof CpioFormatError, `unexpected ${e}`);
    }
  }
});

Deno.test("cpio: checksummed 070702 archives are verified", () => {
  const text = new TextDecoder().decode(writeCpio([sample[1]]));
  const sum = [...sample[1].data].reduce((a, b) => a + b, 0);
  const crc = "070702" + text.slice(6, 6 + 8 * 12) +
    sum.toString(16).toUpperCase().padStart(8, "0") +
    text.slice(6 + 8 * 13);
  const bytes = te.encode(crc.replace(/070701/g, "070702"));
  assert.equal(readCpio(bytes)[0].name, "bin/hello");
  const bad = bytes.slice();
  bad[124] ^= 1; // a data byte
  assert.throws(() => readCpio(bad), /checksum/);
});

Deno.test({
  name: "cpio: we read what GNU cpio -H newc writes (interop)",
  ignore: !HAS_CPIO,
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "strata_cpio_" });
    try {
      Deno.mkdirSync(`${dir}/d`);
      Deno.writeFileSync(`${dir}/d/f`, te.encode("payload"));
      Deno.linkSync(`${dir}/d/f`, `${dir}/d/hard`);
      Deno.symlinkSync("f", `${dir}/d/sym`);
      const p = new Deno.Command("cpio", {
        args: ["-o", "-H", "newc", "--quiet"],
        cwd: dir,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const w = p.stdin.getWriter();
      await w.write(te.encode("d\nd/f\nd/hard\nd/sym\n"));
      await w.close();
      const out = await p.output();
      const entries = readCpio(out.stdout);
      const byName = new Map(entries.map((e) => [e.name, e]));
      assert.deepEqual([...byName.keys()].sort(), ["d", "d/f", "d/hard", "d/sym"]);
      assert.equal(new TextDecoder().decode(byName.get("d/sym")!.data), "f");
      assert.equal(byName.get("d/f")!.ino, byName.get("d/hard")!.ino);
      assert.equal(byName.get("d/f")!.nlink, 2);
      // newc stores hard-linked data once, on the last member
      const sizes = [byName.get("d/f")!.data.length, byName.get("d/hard")!.data.length].sort();
      assert.deepEqual(sizes, [0, 7]);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
