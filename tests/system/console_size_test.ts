import assert from "node:assert/strict";
import { boot } from "../../system/boot.ts";
import { BufferConsole } from "../../hw/console_io.ts";
import { TerminalConsole } from "../../system/terminal_console.ts";

/** Widest line of `text`. */
function widest(text: string): number {
  return Math.max(...text.split(/\r?\n/).map((l) => l.length));
}

Deno.test("console size: the host window size is the console's TIOCGWINSZ; a resize sends SIGWINCH", async () => {
  const io = new BufferConsole("", true);
  io.setSize(50, 132);
  const sys = await boot({
    cmd: "ls /bin; echo ===; trap 'echo WINCH' WINCH; sleep 1; ls /bin",
    maxCycles: 2_000_000_000,
    maxHostMs: 30_000,
    console: { kind: "custom", io },
  }, { kind: "buffer" });
  // Half a second of simulated time in, the host window narrows.
  sys.machine.clock.scheduleAt(50_000_000, () => io.setSize(30, 40));
  const r = await sys.run();
  sys.machine.close();
  assert.equal(r.status, 0);
  const [wide, narrow] = r.output.split("===");
  assert.ok(widest(wide) > 80 && widest(wide) <= 132, `wide listing: ${widest(wide)}`);
  assert.match(narrow, /WINCH/);
  assert.ok(widest(narrow) <= 40, `narrow listing: ${widest(narrow)}`);
});

Deno.test("console size: a terminal console reports its size source; none without a terminal", () => {
  const input = {
    readable: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    isTerminal: () => false,
  };
  const output = { writeSync: (p: Uint8Array) => p.length };
  assert.equal(new TerminalConsole({ input, output }).size(), null);
  const sized = new TerminalConsole({ input, output, size: () => ({ rows: 40, cols: 120 }) });
  assert.deepEqual(sized.size(), { rows: 40, cols: 120 });
});
