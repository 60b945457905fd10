/** The benchmark scripts' command line: `--help` prints the usage, a wrong flag one line. */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

function runScript(...args: string[]): { code: number; out: string; err: string } {
  const r = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "bench/hot_paths.ts", ...args],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: r.code, out: text(r.stdout), err: text(r.stderr) };
}

Deno.test("bench scripts: --help prints the usage and runs nothing", () => {
  const r = runScript("--help");
  assert.equal(r.code, 0);
  assert.match(r.out, /^usage: deno run -A bench\/hot_paths\.ts \[--rounds 3\]/);
  assert.equal(r.err, "");
});

Deno.test("bench scripts: a wrong flag is one line on stderr and status 1", () => {
  const r = runScript("--bogus");
  assert.equal(r.code, 1);
  assert.equal(r.out, "");
  assert.equal(r.err.trim().split("\n").length, 1);
  assert.match(r.err, /^hot_paths: .*--bogus.* \(--help for usage\)\n$/);
});
