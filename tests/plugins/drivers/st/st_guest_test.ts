import assert from "node:assert/strict";
import { join } from "node:path";
import { parseTap, serializeTap } from "../../../../hw/simh_tap.ts";
import { catTape, listTape, writeTape } from "../../../../tools/tape.ts";
import { runGuarded } from "../../../guest_guard.ts";

function hasGnuTar(): boolean {
  try {
    const out = new Deno.Command("tar", { args: ["--version"], stdout: "piped", stderr: "null" })
      .outputSync();
    return out.success && /GNU tar/.test(new TextDecoder().decode(out.stdout));
  } catch {
    return false;
  }
}
const GNU_TAR = hasGnuTar();
const GNU_CPIO = (() => {
  try {
    return new Deno.Command("cpio", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();

/** Console output with the tty's CR LF line ends made LF. */
function out(r: { output: string }): string {
  return r.output.replaceAll("\r\n", "\n");
}

function tmp(): string {
  return Deno.makeTempDirSync({ prefix: "strata_st_" });
}

function runTar(args: string[], cwd: string, stdin?: Uint8Array): Uint8Array {
  const input = stdin ?? new Uint8Array(0);
  const file = join(cwd, ".stdin");
  Deno.writeFileSync(file, input);
  const out = new Deno.Command("sh", {
    args: ["-c", `tar "$@" < .stdin`, "sh", ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  Deno.removeSync(file);
  if (!out.success) {
    throw new Error(`tar ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return out.stdout;
}

Deno.test("st in the guest: nodes, records, filemarks, ENOMEM, mt status and EROFS", async () => {
  const dir = tmp();
  try {
    const path = join(dir, "t.tap");
    const r = await runGuarded({
      tape: { path },
      maxCycles: 4e9,
      cmd: [
        "ls -l /dev/st0 /dev/nst0",
        "dd if=/dev/zero of=/dev/nst0 bs=1000 count=3",
        "echo second > /dev/nst0",
        "mt -f /dev/nst0 rewind",
        "dd if=/dev/nst0 of=/dev/null bs=100 count=1; echo short=$?",
        "mt -f /dev/nst0 status",
        "mt -f /dev/nst0 rewind",
        "dd if=/dev/nst0 of=/tmp/f0 bs=4096; echo rc=$?",
        "cat /dev/nst0",
        "mt -f /dev/nst0 tell",
        "mt -f /dev/nst0 bsf 2; mt -f /dev/nst0 status",
      ].join("; "),
    });
    assert.equal(r.status, 0, out(r));
    const text = out(r);
    assert.match(text, /9,\s+128 .*\/dev\/nst0/);
    assert.match(text, /9,\s+0 .*\/dev\/st0/);
    assert.match(text, /dd: error reading '\/dev\/nst0': Cannot allocate memory\n[^]*short=1/);
    assert.match(text, /File number=0, block number=1, partition=0\./);
    assert.match(text, /0\+3 records in\n0\+3 records out\n3000 bytes copied\nrc=0/);
    assert.match(text, /second\nAt block 6\./);
    assert.match(
      text,
      /File number=0, block number=3[^]*General status bits on \(1010000\):\n ONLINE IM_REP_EN\nCompression off, ratio 1\.00:1/,
    );
    const files = listTape(Deno.readFileSync(path));
    assert.deepEqual(files.map((f) => [f.records, f.bytes]), [[3, 3000], [1, 7]]);

    const ro = await runGuarded({
      tape: { path, readOnly: true },
      maxCycles: 2e9,
      cmd:
        "echo x > /dev/st0; mt -f /dev/st0 weof; mt -f /dev/st0 status | tail -2; cat /dev/st0 | wc -c",
    });
    assert.match(out(ro), /\/dev\/st0: Read-only file system/);
    assert.match(out(ro), /WR_PROT ONLINE/);
    assert.match(out(ro), /3000/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("st in the guest: mt's motion, marks, erase, block size, offline and load", async () => {
  const r = await runGuarded({
    maxCycles: 4e9,
    cmd: [
      "for i in 1 2 3; do echo rec$i > /dev/nst0; done",
      "mt weof 2",
      "mt rewind; mt fsf 1; mt fsr 1; mt bsr 1; cat /dev/nst0",
      "mt eod; mt tell",
      "mt rewind; mt fsf 2; mt erase; mt eod; mt tell",
      "mt setblk 512; mt status | head -3",
      "mt offline; mt status | tail -3; cat /dev/nst0; echo rc=$?",
      "mt load; mt status | tail -2",
      "mt fsr 5; echo rc=$?",
    ].join("; "),
  });
  assert.equal(
    out(r),
    [
      "rec2",
      "At block 8.",
      "At block 4.",
      "SCSI 2 tape drive:",
      "File number=2, block number=0, partition=0.",
      "Tape block size 512 bytes. Density code 0x0 (default).",
      "General status bits on (50000):",
      " DR_OPEN IM_REP_EN",
      "Compression off, ratio 1.00:1 since load.",
      "cat: /dev/nst0: Input/output error",
      "rc=1",
      " BOT ONLINE IM_REP_EN",
      "Compression off, ratio 1.00:1 since load.",
      "mt: /dev/nst0: fsr: Input/output error",
      "rc=2",
      "",
    ].join("\n"),
  );
});

Deno.test("st in the guest: a tape longer than the drive ends in ENOSPC, data before intact", async () => {
  const dir = tmp();
  try {
    const path = join(dir, "t.tap");
    const r = await runGuarded({
      tape: { path, drive: { capacityBytes: 100 * 1024 } },
      maxCycles: 4e9,
      cmd: "dd if=/dev/zero of=/dev/st0 bs=10240 count=50; echo rc=$?",
    });
    assert.match(out(r), /No space left on device/);
    assert.match(out(r), /rc=1/);
    const m = /(\d+)\+0 records out/.exec(out(r));
    assert.ok(m !== null);
    const recs = parseTap(Deno.readFileSync(path)).objects.filter((o) => o.kind === "record");
    assert.equal(recs.length, Number(m[1]));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("st in the guest: a corrupted image gives EIO at the bad record", async () => {
  const dir = tmp();
  try {
    const path = join(dir, "t.tap");
    const good = writeTape([new TextEncoder().encode("first file\n")], 10240);
    const img = new Uint8Array(good.length + 9);
    img.set(good);
    img.set([0x40, 0, 0, 0, 1, 2, 3, 4, 5], good.length);
    Deno.writeFileSync(path, img);
    const r = await runGuarded({
      tape: { path, readOnly: true },
      maxCycles: 2e9,
      cmd: "cat /dev/nst0; echo rc=$?; cat /dev/nst0; echo rc=$?",
    });
    assert.match(out(r), /first file\nrc=0\ncat: [^\n]*Input\/output error\nrc=1/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

const TREE_SCRIPT = [
  "mkdir -p /tmp/src/dir/sub",
  "cp /bin/ls /tmp/src/dir/big",
  "echo hello > /tmp/src/dir/small",
  "ln /tmp/src/dir/small /tmp/src/dir/hard",
  "ln -s small /tmp/src/dir/sym",
  "chmod 640 /tmp/src/dir/small",
  "mkdir -p /tmp/src/dir/a_rather_long_directory_name_to_pass_one_hundred_bytes/and_another_long_one",
  "echo deep > /tmp/src/dir/a_rather_long_directory_name_to_pass_one_hundred_bytes/and_another_long_one/file_with_a_long_name",
].join("; ");

Deno.test({
  name: "st in the guest: tar to tape, extracted by GNU tar on the host (raw and LZ4)",
  ignore: !GNU_TAR,
  fn: async () => {
    const dir = tmp();
    try {
      const path = join(dir, "t.tap");
      const r = await runGuarded({
        tape: { path },
        maxCycles: 8e9,
        cmd: `${TREE_SCRIPT}; tar cf /dev/nst0 -C /tmp/src dir; mt -f /dev/nst0 compression 1; ` +
          "tar cf /dev/nst0 -C /tmp/src dir; mt status | tail -1",
      });
      assert.equal(r.status, 0, out(r));
      assert.match(out(r), /Compression on, ratio [1-9]\.\d\d:1/);
      const image = Deno.readFileSync(path);
      const files = listTape(image);
      assert.equal(files.length, 2);
      assert.equal(files[0].compressed, 0);
      assert.ok(files[1].compressed > 0);
      for (const n of [0, 1]) {
        const out = join(dir, `x${n}`);
        Deno.mkdirSync(out);
        runTar(["xf", "-"], out, catTape(image, n));
        const big = Deno.readFileSync(join(out, "dir/big"));
        assert.deepEqual(
          big,
          Deno.readFileSync(new URL("../../../../userland/bin/ls", import.meta.url)),
        );
        assert.equal(Deno.readTextFileSync(join(out, "dir/small")), "hello\n");
        assert.equal(Deno.statSync(join(out, "dir/small")).mode! & 0o777, 0o640);
        assert.equal(Deno.statSync(join(out, "dir/hard")).nlink, 2);
        assert.equal(Deno.readLinkSync(join(out, "dir/sym")), "small");
        const deep = "dir/a_rather_long_directory_name_to_pass_one_hundred_bytes/" +
          "and_another_long_one/file_with_a_long_name";
        assert.equal(Deno.readTextFileSync(join(out, deep)), "deep\n");
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "st in the guest: GNU tar's ustar archive on a tape, extracted by the guest's tar",
  ignore: !GNU_TAR,
  fn: async () => {
    const dir = tmp();
    try {
      const src = join(dir, "src");
      const deep = join(src, "d".repeat(60), "e".repeat(60));
      Deno.mkdirSync(deep, { recursive: true });
      Deno.writeTextFileSync(join(deep, "f".repeat(40)), "deep\n");
      const big = new Uint8Array(30000).map((_, i) => (i * 7919) >>> 3);
      Deno.writeFileSync(join(src, "big"), big);
      Deno.symlinkSync("big", join(src, "sym"));
      Deno.linkSync(join(src, "big"), join(src, "hard"));
      Deno.utimeSync(join(src, "big"), 1_700_000_000, 1_700_000_000);
      const archive = runTar(["--format=ustar", "-cf", "-", "src"], dir);
      const path = join(dir, "t.tap");
      Deno.writeFileSync(path, writeTape([archive], 10240, true));
      const deepName = `src/${"d".repeat(60)}/${"e".repeat(60)}/${"f".repeat(40)}`;
      const r = await runGuarded({
        tape: { path, readOnly: true },
        maxCycles: 8e9,
        cmd: `cd /tmp && tar xvf /dev/st0 && cat ${deepName} && stat -c %N src/sym; ` +
          "cmp src/big src/hard && stat -c '%s %Y %h' src/big",
      });
      assert.equal(r.status, 0, out(r));
      assert.match(out(r), /deep\n.src\/sym. -> .big.\n30000 1700000000 2/);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "st in the guest: cpio newc to tape and back, with GNU cpio on the host both ways",
  ignore: !GNU_CPIO,
  fn: async () => {
    const dir = tmp();
    try {
      const path = join(dir, "t.tap");
      const r = await runGuarded({
        tape: { path },
        maxCycles: 4e9,
        cmd: "mkdir -p /tmp/s/d; echo hi > /tmp/s/d/a; ln /tmp/s/d/a /tmp/s/d/b; " +
          "ln -s a /tmp/s/d/c; cp /bin/ls /tmp/s/ls; cd /tmp/s && find . | cpio -o -H newc > /dev/st0",
      });
      assert.equal(r.status, 0, out(r));
      const x = join(dir, "x");
      Deno.mkdirSync(x);
      Deno.writeFileSync(join(dir, "a.cpio"), catTape(Deno.readFileSync(path), 0));
      const host = new Deno.Command("sh", {
        args: ["-c", "cpio -id --quiet < ../a.cpio"],
        cwd: x,
        stderr: "piped",
      }).outputSync();
      assert.ok(host.success, new TextDecoder().decode(host.stderr));
      assert.deepEqual(
        Deno.readFileSync(join(x, "ls")),
        Deno.readFileSync(new URL("../../../../userland/bin/ls", import.meta.url)),
      );
      assert.equal(Deno.statSync(join(x, "d/b")).nlink, 2);
      assert.equal(Deno.readLinkSync(join(x, "d/c")), "a");
      // GNU cpio's archive on a tape, read back by the guest.
      const made = new Deno.Command("sh", {
        args: ["-c", "find d ls | cpio -o -H newc --quiet > ../b.cpio"],
        cwd: x,
      }).outputSync();
      assert.ok(made.success);
      Deno.writeFileSync(path, writeTape([Deno.readFileSync(join(dir, "b.cpio"))], 512));
      const back = await runGuarded({
        tape: { path, readOnly: true },
        maxCycles: 4e9,
        cmd:
          "cd /tmp && cpio -id < /dev/st0 && cat d/b && stat -c '%h %N' d/a d/c && cmp ls /bin/ls",
      });
      assert.equal(back.status, 0, out(back));
      assert.match(out(back), /hi\n2 'd\/a'\n1 'd\/c' -> 'a'/);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test("deno task tape: ls, cat and write round trip; malformed images give one-line errors", () => {
  const a = new TextEncoder().encode("a".repeat(25000));
  const b = new Uint8Array([1, 2, 3]);
  const img = writeTape([a, b], 10240, true);
  const files = listTape(img);
  assert.deepEqual(files.map((f) => [f.records, f.bytes, f.maxRecord]), [[3, 25000, 10240], [
    1,
    3,
    3,
  ]]);
  assert.ok(files[0].compressed === 3 && files[0].stored < 1000);
  assert.deepEqual(catTape(img, 0), a);
  assert.deepEqual(catTape(img, 1), b);
  assert.throws(() => catTape(img, 2), /no tape file 2/);
  assert.throws(() => listTape(img.slice(0, img.length - 6)), /runs past the end/);
  assert.throws(() => listTape(new Uint8Array([...img, 7, 7])), /truncated length word/);
  const bad = img.slice();
  bad[0] ^= 0x10; // the leading length word no longer matches the trailing one
  assert.throws(() => listTape(bad), /does not match|runs past/);
  assert.equal(parseTap(serializeTap(parseTap(img).objects)).objects.length, 6);
});
