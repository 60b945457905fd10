import assert from "node:assert/strict";
import { runGuest } from "../../system/boot.ts";
import { attachHostStdio, HostFileSink } from "../../system/host_stdio.ts";
import { HostInput } from "../../kernel/fs/host_stream.ts";
import { K } from "../../kernel/errors.ts";

const LIMITS = { maxCycles: 2_000_000_000, maxHostMs: 60_000 };
const MOD = new URL("../../mod.ts", import.meta.url).pathname;
const LS = new URL("../../userland/bin/ls", import.meta.url).pathname;

Deno.test("host stdio: stdio pipes give the command pipes, stdout and stderr apart", async () => {
  const r = await runGuest({
    ...LIMITS,
    stdio: "pipes",
    stdin: "data\n",
    cmd: "wc -c; test -t 0 || echo no-tty-0; test -t 1 || echo no-tty-1; echo oops >&2",
  });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, "5\nno-tty-0\nno-tty-1\n");
  assert.equal(r.stderr, "oops\n");
  assert.equal(r.output, ""); // nothing went through the console tty
});

Deno.test("host stdio: binary data and the bytes ^C and ^D pass unchanged", async () => {
  const ls = await Deno.readFile(LS);
  const r = await runGuest({ ...LIMITS, stdio: "pipes", stdin: ls, cmd: "cat" });
  assert.equal(r.status, 0);
  assert.deepEqual(r.stdoutBytes, ls);
  const c = await runGuest({ ...LIMITS, stdio: "pipes", stdin: "a\x03b\x04c\r\n", cmd: "cat" });
  assert.equal(c.stdout, "a\x03b\x04c\r\n");
});

Deno.test("host stdio: the stdin option needs stdio pipes", async () => {
  await assert.rejects(() => runGuest({ cmd: "true", stdin: "x" }), /stdio: "pipes"/);
});

Deno.test("host stdio: HostInput reads, blocks and ends", () => {
  const input = new HostInput();
  const buf = new Uint8Array(4);
  assert.equal(input.read(buf), K.AGAIN);
  input.feed(new Uint8Array([1, 2, 3]));
  input.feed(new Uint8Array([4, 5]));
  assert.equal(input.read(buf), 4);
  assert.deepEqual([...buf], [1, 2, 3, 4]);
  input.end();
  assert.equal(input.read(buf), 1);
  assert.equal(input.read(buf), 0);
});

Deno.test("host stdio: a sink whose host stream is gone reports it from then on", () => {
  let calls = 0;
  const sink = new HostFileSink({
    writeSync(p: Uint8Array) {
      if (++calls > 1) throw new Deno.errors.BrokenPipe("closed");
      return Math.min(p.length, 2);
    },
  });
  assert.equal(sink.write(new Uint8Array(2)), true);
  assert.equal(sink.write(new Uint8Array(1)), false);
  assert.equal(sink.broken, true);
  assert.equal(sink.write(new Uint8Array(1)), false);
  assert.equal(calls, 2);
});

Deno.test("host stdio: terminals stay on the console, -t keeps all three there", () => {
  const fake = (tty: boolean) => ({
    readable: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    isTerminal: () => tty,
    writeSync: (p: Uint8Array) => p.length,
  });
  const piped = attachHostStdio(false, {
    stdin: fake(false),
    stdout: fake(true),
    stderr: fake(false),
  });
  assert.ok(piped.spec.stdin !== undefined && piped.spec.stderr !== undefined);
  assert.equal(piped.spec.stdout, undefined);
  assert.equal(piped.consoleReadsStdin, false);
  assert.equal(piped.consoleWritesStdout, true);
  piped.close();
  const forced = attachHostStdio(true, {
    stdin: fake(false),
    stdout: fake(false),
    stderr: fake(false),
  });
  assert.deepEqual(forced.spec, {});
  assert.equal(forced.consoleReadsStdin, true);
  forced.close();
});

/** Runs the CLI with `stdin` piped in; returns status, stdout bytes and stderr text. */
async function cli(args: string[], stdin: Uint8Array) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(stdin);
  await w.close();
  const out = await child.output();
  return { status: out.code, stdout: out.stdout, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("host stdio: --cmd over host pipes (cat of a binary, wc -c, stderr apart, -t)", async () => {
  const ls = await Deno.readFile(LS);
  const cat = await cli(["--cmd", "cat"], ls);
  assert.equal(cat.status, 0);
  assert.deepEqual(cat.stdout, ls);
  const wc = await cli(["--cmd", "wc -c; echo to-stderr >&2"], new TextEncoder().encode("data\n"));
  assert.equal(new TextDecoder().decode(wc.stdout), "5\n");
  assert.equal(wc.stderr, "to-stderr\n");
  // -t: a terminal (the console tty) even over pipes, as docker run -t.
  const t = await cli(["-t", "--cmd", "test -t 0 && test -t 1 && echo tty"], new Uint8Array());
  assert.equal(new TextDecoder().decode(t.stdout), "tty\n");
});

Deno.test("host stdio: a closed host stdout ends the run with SIGPIPE (yes | head -2)", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, "--cmd", "yes"],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  const first = await reader.read();
  assert.equal(new TextDecoder().decode(first.value).slice(0, 4), "y\ny\n");
  await reader.cancel();
  const status = await child.status;
  assert.equal(status.code, 128 + 13); // the shell's command died of SIGPIPE
});
