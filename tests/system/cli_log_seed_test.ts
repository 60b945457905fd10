/** --seed, --quiet and --verbose: guest randomness is seeded, kernel warnings reach stderr. */
import assert from "node:assert/strict";
import { isKernelWarning, kernelLogSink, parseCommandLine, UsageError } from "../../system/cli.ts";
import { runGuarded } from "../guest_guard.ts";

Deno.test("cli: --seed takes a 32-bit number or 'random'; --quiet and --verbose", () => {
  assert.equal(parseCommandLine(["--seed", "42"]).seed, 42);
  assert.equal(parseCommandLine([]).seed, undefined, "default: the fixed seed");
  const r = parseCommandLine(["--seed", "random"]).seed!;
  assert.ok(Number.isInteger(r) && r >= 0 && r <= 0xffff_ffff);
  assert.throws(() => parseCommandLine(["--seed", "-1"]), UsageError);
  assert.throws(() => parseCommandLine(["--seed", "2^40"]), UsageError);
  assert.equal(parseCommandLine([]).logLevel, "warn");
  assert.equal(parseCommandLine(["--quiet"]).logLevel, "quiet");
  assert.equal(parseCommandLine(["--verbose"]).logLevel, "verbose");
  assert.throws(() => parseCommandLine(["--quiet", "--verbose"]), UsageError);
});

Deno.test("cli: kernel warnings go to stderr with a strata: prefix unless --quiet", () => {
  const oom = "[1.000000] Out of memory: Killed process 7 (hog) total-vm:4kB, anon-rss:4kB";
  const err = "[0.5] kernel error in system call write of pid 3 (x): TypeError: y; killed";
  const info = "[0.1] module uart16550 1.0.0 loaded";
  assert.ok(isKernelWarning(oom) && isKernelWarning(err) && !isKernelWarning(info));
  const printed: string[] = [];
  const saved = console.error;
  console.error = (s: string) => void printed.push(s);
  try {
    for (const l of [oom, info]) kernelLogSink("warn")!(l);
    assert.deepEqual(printed, [`strata: ${oom}`]);
    printed.length = 0;
    for (const l of [oom, info]) kernelLogSink("verbose")!(l);
    assert.equal(printed.length, 2);
    assert.equal(kernelLogSink("quiet"), undefined);
  } finally {
    console.error = saved;
  }
});

Deno.test("--seed changes getrandom and /dev/urandom; the same seed repeats them", async () => {
  const cmd = "hexdump -n 16 /dev/urandom";
  const run = async (seed?: number) => (await runGuarded({ cmd, seed, maxCycles: 3e8 })).output;
  const a = await run(), b = await run(), c = await run(7), d = await run(7);
  assert.equal(a, b, "the default seed repeats");
  assert.equal(c, d, "a chosen seed repeats");
  assert.notEqual(a, c, "another seed, other bytes");
});
