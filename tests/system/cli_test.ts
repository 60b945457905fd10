import assert from "node:assert/strict";
import {
  checkTapePath,
  interactiveBanner,
  main,
  parseCommandLine,
  parseSize,
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
});

Deno.test("cli: wrong flags and values are UsageErrors", () => {
  assert.throws(() => parseCommandLine(["--nope"]), UsageError);
  assert.throws(() => parseCommandLine(["--quantum", "-1"]), UsageError);
  assert.throws(() => parseCommandLine(["--share", "/x:rel"]), UsageError);
  assert.throws(() => parseCommandLine(["--bare", "a", "--cmd", "b"]), UsageError);
  assert.throws(() => parseCommandLine(["stray"]), UsageError);
  assert.throws(() => parseCommandLine(["--tape", ",ro"]), UsageError);
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
  assert.match(plain, /^strata \S+: RV32IMA, 64 MiB, Unix personality\. /);
  assert.match(plain, /exit or poweroff/);
  const big = interactiveBanner(parseCommandLine(["--mem", "128M", "--share", "/tmp:/mnt/t"]));
  assert.match(big, /128 MiB, Unix personality, \/tmp at \/mnt\/t\./);
});
