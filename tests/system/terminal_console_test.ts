import assert from "node:assert/strict";
import { TerminalConsole } from "../../system/terminal_console.ts";

function capture(lfLineEnds?: boolean) {
  const chunks: number[] = [];
  const io = new TerminalConsole({
    input: {
      readable: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
      isTerminal: () => false,
    },
    output: { writeSync: (p) => (chunks.push(...p), p.length) },
    lfLineEnds,
  });
  const write = (text: string) => {
    for (const ch of text) io.write(ch.charCodeAt(0));
  };
  return { io, write, text: () => String.fromCharCode(...chunks) };
}

Deno.test("terminal console: the guest's CR LF reaches the host as LF; a lone CR stays", () => {
  const c = capture();
  c.write("a\r\nb\rc\r\r\nd\r");
  c.io.close();
  assert.equal(c.text(), "a\nb\rc\r\nd\r");
});

Deno.test("terminal console: lfLineEnds false passes bytes through", () => {
  const c = capture(false);
  c.write("a\r\nb");
  c.io.close();
  assert.equal(c.text(), "a\r\nb");
});

/** A fake host terminal: the test pushes keys; raw-mode switches are recorded. */
function fakeTerminal() {
  let ctl!: ReadableStreamDefaultController<Uint8Array>;
  const rawModes: boolean[] = [];
  const out: number[] = [];
  const io = new TerminalConsole({
    input: {
      readable: new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c) }),
      isTerminal: () => true,
      setRaw: (m) => void rawModes.push(m),
    },
    output: { writeSync: (p) => (out.push(...p), p.length) },
  });
  const type = (s: string) => ctl.enqueue(new TextEncoder().encode(s));
  const drain = () => {
    const got: number[] = [];
    for (let b = io.pollInput(); b >= 0; b = io.pollInput()) got.push(b);
    return String.fromCharCode(...got);
  };
  return { io, type, drain, rawModes, text: () => String.fromCharCode(...out) };
}

Deno.test("terminal console: Ctrl-A keys (C-a C-a sends ^A, C-a h lists, unknown dropped, C-a x quits)", async () => {
  const t = fakeTerminal();
  let quits = 0;
  t.io.onQuit = () => quits++;
  t.io.hasInput(); // starts the reader (raw mode on)
  t.type("a\x01\x01b\x01");
  t.type("hc\x01zd");
  await t.io.waitForInput();
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(t.drain(), "a\x01bcd");
  assert.match(
    t.text(),
    /C-a h {4}print this help\nC-a x {4}exit the machine\nC-a C-a {2}send C-a/,
  );
  t.type("\x01x");
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(quits, 1);
  assert.match(t.text(), /terminated \(C-a x\)/);
  t.io.close();
  assert.deepEqual(t.rawModes, [true, false]);
});

Deno.test("terminal console: C-a x at a shell prompt stops the machine (reason quit)", async () => {
  const { boot } = await import("../../system/boot.ts");
  const t = fakeTerminal();
  const sys = await boot({ maxHostMs: 30_000, console: { kind: "custom", io: t.io } }, "terminal");
  setTimeout(() => t.type("\x01x"), 50);
  const r = await sys.run();
  sys.machine.close();
  assert.equal(r.reason, "quit");
  assert.equal(r.status, 0);
  assert.deepEqual(t.rawModes, [true, false]);
});

Deno.test("terminal console: the guest clock keeps host time at an idle prompt (/proc/uptime)", async () => {
  const { boot } = await import("../../system/boot.ts");
  const t = fakeTerminal();
  const sys = await boot({ maxHostMs: 30_000, console: { kind: "custom", io: t.io } }, "terminal");
  const running = sys.run();
  const waitFor = async (re: RegExp) => {
    for (let i = 0; i < 3000 && !re.test(t.text()); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  await waitFor(/# $/);
  t.type("cat /proc/uptime\n");
  await waitFor(/\n[\d.]+ [\d.]+\n# $/);
  // The shell now waits at its prompt: 400 ms of host time pass with nothing to run.
  await new Promise((r) => setTimeout(r, 400));
  t.type("cat /proc/uptime; exit\n");
  const r = await running;
  sys.machine.close();
  assert.equal(r.status, 0);
  const ups = [...t.text().matchAll(/^([\d.]+) [\d.]+$/gm)].map((m) => Number(m[1]));
  assert.equal(ups.length, 2, t.text());
  assert.ok(ups[1] - ups[0] >= 0.35, `uptime moved by ${ups[1] - ups[0]} s over 0.4 s idle`);
});

Deno.test("terminal console: C-a c switches to the monitor and back; the guest keeps its input", async () => {
  const { boot } = await import("../../system/boot.ts");
  const t = fakeTerminal();
  const sys = await boot({ maxHostMs: 30_000, console: { kind: "custom", io: t.io } }, "terminal");
  const running = sys.run();
  const waitFor = async (re: RegExp) => {
    for (let i = 0; i < 3000 && !re.test(t.text()); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  await waitFor(/# $/);
  t.type("\x01c");
  await waitFor(/\(strata\) $/);
  t.type("info sched\r");
  await waitFor(/policy: round_robin[\s\S]*\(strata\) $/);
  t.type("\x01cecho back\n");
  await waitFor(/back\n# $/);
  t.type("exit\n");
  const r = await running;
  sys.machine.close();
  assert.equal(r.status, 0);
  assert.match(
    t.text(),
    /Strata monitor - type 'help'\n\(strata\) info sched\npolicy: round_robin/,
  );
  assert.doesNotMatch(t.text(), /sh: info/);
});
