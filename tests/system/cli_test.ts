import assert from "node:assert/strict";
import {
  checkTapePath,
  interactiveBanner,
  main,
  parseCommandLine,
  parseSize,
  USAGE,
  UsageError,
} from "../../system/cli.ts";

Deno.test("cli: sizes", () => {
  assert.equal(parseSize("64M"), 64 * 1024 * 1024);
  assert.equal(parseSize("1G"), 1024 ** 3);
  assert.equal(parseSize("512k"), 512 * 1024);
  assert.equal(parseSize("65536"), 65536);
  assert.throws(() => parseSize("lots"), UsageError);
});

Deno.test("cli: modes and options", () => {
  assert.equal(parseCommandLine([]).mode, "shell");
  const c = parseCommandLine(["--cmd", "ls", "--mem", "32M", "--quantum", "5", "--share", "/tmp"]);
  assert.equal(c.mode, "cmd");
  assert.equal(c.cmd, "ls");
  assert.equal(c.ramSize, 32 << 20);
  assert.equal(c.quantumMs, 5);
  assert.deepEqual(c.shares, [{ hostDir: "/tmp", guestDir: "/mnt/host" }]);
  const s = parseCommandLine(["--share", "/a:/srv/a", "--share", "/b:/b"]);
  assert.deepEqual(s.shares.map((x) => x.guestDir), ["/srv/a", "/b"]);
  assert.equal(parseCommandLine(["--bare", "x.elf"]).mode, "bare");
  assert.deepEqual(parseCommandLine(["--tape", "t.tap"]).tape, { path: "t.tap", readOnly: false });
  assert.deepEqual(parseCommandLine(["--tape", "a,b.tap,ro"]).tape, {
    path: "a,b.tap",
    readOnly: true,
  });
  assert.equal(parseCommandLine([]).tape, undefined);
  assert.equal(parseCommandLine(["--cpu", "jit"]).cpu, "jit");
  assert.equal(parseCommandLine(["--cpu", "interp"]).cpu, "interp");
  assert.equal(parseCommandLine([]).cpu, undefined);
});

Deno.test("cli: wrong flags and values are UsageErrors", () => {
  assert.throws(() => parseCommandLine(["--nope"]), UsageError);
  assert.throws(() => parseCommandLine(["--quantum", "-1"]), UsageError);
  assert.throws(() => parseCommandLine(["--share", "/x:rel"]), UsageError);
  assert.throws(() => parseCommandLine(["--bare", "a", "--cmd", "b"]), UsageError);
  assert.throws(() => parseCommandLine(["stray"]), UsageError);
  assert.throws(() => parseCommandLine(["--tape", ",ro"]), UsageError);
  assert.throws(() => parseCommandLine(["--cpu", "fast"]), UsageError);
  assert.equal(parseCommandLine(["--cpu", "jit", "--jit-backend", "js"]).jitBackend, "js");
  assert.throws(() => parseCommandLine(["--cpu", "jit", "--jit-backend", "asm"]), UsageError);
  assert.throws(() => parseCommandLine(["--jit-backend", "js"]), UsageError);
});

Deno.test("cli: --tape paths that cannot work are refused before boot", () => {
  const dir = Deno.makeTempDirSync();
  try {
    checkTapePath({ path: `${dir}/new.tap`, readOnly: false }); // a blank tape, created at shutdown
    assert.throws(() => checkTapePath({ path: `${dir}/new.tap`, readOnly: true }), /no such file/);
    assert.throws(
      () => checkTapePath({ path: `${dir}/no/t.tap`, readOnly: false }),
      /cannot create/,
    );
    assert.throws(() => checkTapePath({ path: dir, readOnly: false }), /not a regular file/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("cli: a bad flag or a malformed ELF exits 2 without a host exception", async () => {
  const errors: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => errors.push(a.join(" "));
  try {
    assert.equal(await main(["--mem", "huge"]), 2);
    const bad = await Deno.makeTempFile({ suffix: ".elf" });
    await Deno.writeFile(bad, new TextEncoder().encode("\x7fELF garbage"));
    assert.equal(await main(["--bare", bad]), 2);
    assert.equal(await main(["--bare", "/nonexistent/file.elf"]), 2);
    assert.equal(await main(["--mem", "3M", "--bare", "tests/baremetal/bin/rv32um.elf"]), 0);
    assert.equal(await main(["--cpu", "jit", "--bare", "tests/baremetal/bin/rv32um.elf"]), 0);
    assert.equal(await main(["--share", "/nonexistent/dir", "--cmd", "true"]), 2);
    assert.equal(await main(["--init", "/bin/nothere"]), 2);
    await Deno.remove(bad);
  } finally {
    console.error = orig;
  }
  assert.ok(errors.some((e) => e.includes("bad size")));
  assert.ok(errors.some((e) => /ELF/i.test(e)));
  assert.ok(errors.some((e) => e.includes("cannot share /nonexistent/dir")));
  assert.ok(!errors.some((e) => e.includes("internal error")), errors.join("\n"));
});

// Kernel runs here carry --max-cycles (they need ~100 k cycles): a hang ends with 124.
Deno.test("cli: --cmd boots, runs the command and returns its status", async () => {
  assert.equal(await main(["--cmd", "true && exit 7", "--max-cycles", "1e8"]), 7);
});

Deno.test("cli: --max-cycles stops a run that does not finish, with status 124", async () => {
  const errors: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => errors.push(a.join(" "));
  try {
    assert.equal(await main(["--cmd", "yes > /dev/null", "--max-cycles", "2000000"]), 124);
  } finally {
    console.error = orig;
  }
  assert.ok(errors.some((e) => /timeout.*2000000 cycles/.test(e)), errors.join("\n"));
  assert.throws(() => parseCommandLine(["--max-cycles", "0"]), UsageError);
});

Deno.test("cli: --trace writes a Chrome trace with system calls", async () => {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  assert.equal(
    await main(["--cmd", "echo hi > /dev/null", "--trace", file, "--max-cycles", "1e8"]),
    0,
  );
  const trace = JSON.parse(await Deno.readTextFile(file));
  const events: { cat?: string; name: string }[] = trace.traceEvents ?? trace;
  assert.ok(events.some((e) => e.cat === "syscall" && e.name === "write"));
  await Deno.remove(file);
});

Deno.test("cli: the interactive banner names the machine, its memory and shares", () => {
  const plain = interactiveBanner(parseCommandLine([]));
  assert.match(plain, /^strata \S+: RV32GC \(IMAFDC\), 64 MiB, Unix personality\. /);
  assert.match(plain, /exit or poweroff/);
  const big = interactiveBanner(parseCommandLine(["--mem", "128M", "--share", "/tmp:/mnt/t"]));
  assert.match(big, /128 MiB, Unix personality, \/tmp at \/mnt\/t\./);
});

/** Runs `main(args)` and returns its status and what it printed on stderr. */
async function mainErrors(args: string[]): Promise<{ status: number; text: string }> {
  const errors: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => errors.push(a.join(" "));
  try {
    const status = await main(args);
    return { status, text: errors.join("\n") };
  } finally {
    console.error = orig;
  }
}

Deno.test("cli: each command-line error is one line naming the option and the rule", async () => {
  const cases: [string[], RegExp][] = [
    [["--mem", "0"], /^strata: --mem 0: too small; the RAM size must be from 1M to 1G$/],
    [["--mem", "4G"], /^strata: --mem 4G: too large; the RAM size must be from 1M to 1G$/],
    [["--mem", "99T"], /^strata: --mem 99T: too large; /],
    [["--quantum", "-1"], /^strata: --quantum -1: a negative value; it needs a positive number$/],
    [["--max-cycles", "-5"], /^strata: --max-cycles -5: a negative value/],
    [
      ["--init", "/bin/nonexist"],
      /^strata: cannot start \/bin\/nonexist: No such file or directory$/,
    ],
    [["--bare", "README.md"], /^strata: README\.md: not an ELF file$/],
    [
      ["--bare", "/nonexistent/x.elf"],
      /^strata: cannot read \/nonexistent\/x\.elf: No such file or directory$/,
    ],
    [
      ["--share", "/nonexistent/dir", "--cmd", "true"],
      /^strata: cannot share \/nonexistent\/dir: No such file or directory$/,
    ],
    [["--nope"], /^strata: unknown option '--nope'$/],
    [["--cmd"], /^strata: --cmd needs a value$/],
  ];
  for (const [args, first] of cases) {
    const { status, text } = await mainErrors(args);
    assert.equal(status, 2, args.join(" "));
    const lines = text.split("\n");
    assert.equal(lines.length, 2, text);
    assert.match(lines[0], first);
    assert.equal(lines[1], "Try 'deno run -A mod.ts --help'.");
    assert.doesNotMatch(text, /os error|ramSize|NOENT|ambiguous/);
  }
  assert.match(USAGE, /--mem SIZE +RAM size from 1M to 1G/);
});

Deno.test("cli: --bare of a 64-bit ELF says that only 32-bit RISC-V runs", async () => {
  const file = await Deno.makeTempFile({ suffix: ".elf" });
  try {
    const header = new Uint8Array(64);
    header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]); // ELFCLASS64, little-endian
    await Deno.writeFile(file, header);
    const { status, text } = await mainErrors(["--bare", file]);
    assert.equal(status, 2);
    assert.match(text, /: a 64-bit ELF file; only 32-bit RISC-V \(RV32\) programs run\n/);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("cli: --max-instructions without --bare is an error; the help names the exit statuses", async () => {
  const { status, text } = await mainErrors(["--cmd", "true", "--max-instructions", "1000"]);
  assert.equal(status, 2);
  assert.match(text, /^strata: --max-instructions applies to --bare runs only \(--max-cycles /);
  assert.equal(
    parseCommandLine(["--bare", "x.elf", "--max-instructions", "10"]).maxInstructions,
    10,
  );
  assert.match(
    USAGE,
    /124 when --max-cycles or --max-instructions stopped the run; 125 on a\s+deadlock/,
  );
});

Deno.test("cli: disk options", () => {
  const c = parseCommandLine([
    "--disk",
    "a.img",
    "--disk",
    "b,c.img,ro",
    "--disk-size",
    "64M",
    "--driver",
    "ata=poll",
    "--root",
    "/dev/hda1",
    "--block-cache",
    "8M",
    "--elevator",
    "fifo",
  ]);
  assert.deepEqual(c.disks, [
    { path: "a.img", readOnly: false },
    { path: "b,c.img", readOnly: true },
  ]);
  assert.equal(c.diskSize, 64 << 20);
  assert.equal(c.ataDriver, "poll");
  assert.equal(c.root, "/dev/hda1");
  assert.equal(c.blockCache, 8 << 20);
  assert.equal(c.elevator, "fifo");
  const five = ["a", "b", "c", "d", "e"].flatMap((n) => ["--disk", n]);
  assert.throws(() => parseCommandLine(five), /at most 4 disks/);
  assert.throws(() => parseCommandLine(["--disk", "a", "--driver", "ata=fast"]), /unknown ATA/);
  assert.throws(() => parseCommandLine(["--driver", "scsi=x"]), /ata=dma\|irq\|poll/);
  assert.throws(() => parseCommandLine(["--root", "/dev/hda1"]), /needs a --disk/);
  assert.throws(() => parseCommandLine(["--disk", "a", "--root", "/dev/sda1"]), /--root takes/);
  assert.throws(() => parseCommandLine(["--elevator", "cfq"]), /clook or fifo/);
  assert.throws(() => parseCommandLine(["--disk-size", "1K"]), /at least 32K/);
  assert.match(USAGE, /--disk PATH\[,ro\]/);
});

Deno.test("cli: a missing --disk image is one line naming the file, exit status 2", async () => {
  const errors: string[] = [];
  const orig = console.error;
  console.error = (m: string) => void errors.push(m);
  try {
    assert.equal(await main(["--disk", "/nonexistent/x.img", "--cmd", "true"]), 2);
  } finally {
    console.error = orig;
  }
  assert.match(errors[0], /^strata: disk image \/nonexistent\/x.img does not exist/);
});
