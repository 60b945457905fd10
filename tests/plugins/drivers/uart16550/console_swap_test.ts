import assert from "node:assert/strict";
import { boot, type ConsoleScriptStep } from "../../../../system/boot.ts";

const IRQ_DRIVER = "plugins/drivers/uart16550/mod.ts";
const POLL_DRIVER = "plugins/drivers/uart16550_poll/mod.ts";

/**
 * Boots with `cmd` (and typed `script`), swapping the console driver at each
 * of `atMs` (simulated ms), alternating polling and interrupts.
 */
async function runWithSwaps(
  cmd: string | undefined,
  script: ConsoleScriptStep[],
  atMs: number[],
): Promise<{ output: string; swaps: string[] }> {
  const sys = await boot(
    { cmd, maxHostMs: 60_000, init: cmd === undefined ? "/bin/sh" : undefined },
    { kind: "buffer", script, closeInput: true },
  );
  const k = sys.kernel;
  const swaps: string[] = [];
  atMs.forEach((ms, i) => {
    sys.machine.clock.scheduleAt(ms * 100_000, () => {
      const [from, to] = i % 2 === 0 ? ["uart16550", POLL_DRIVER] : ["uart16550_poll", IRQ_DRIVER];
      k.hostWork.background(k.modules.replace(from, to).then((m) => void swaps.push(m.name)));
    });
  });
  try {
    const r = await sys.run();
    return { output: r.output.replaceAll("\r", ""), swaps };
  } finally {
    sys.machine.close();
  }
}

Deno.test("console swap: output under many swaps loses and duplicates nothing", async () => {
  const n = 12000;
  const { output, swaps } = await runWithSwaps(
    `seq 1 ${n}`,
    [],
    [5, 10, 15, 20, 25, 30, 35, 40, 45, 50],
  );
  const expected = Array.from({ length: n }, (_, i) => String(i + 1)).join("\n") + "\n";
  assert.equal(output, expected);
  assert.equal(swaps.length, 10, swaps.join(","));
});

Deno.test("console swap: the line being edited, the mode and the foreground group carry over", async () => {
  const { output, swaps } = await runWithSwaps(undefined, [
    { atMs: 30, data: "echo hel" },
    { atMs: 60, data: "lo\n" },
    { atMs: 90, data: "sleep 10\n" },
    { atMs: 130, data: "\x03" },
    { atMs: 160, data: "echo after $?\n" },
    { atMs: 190, data: "exit\n" },
  ], [45, 110, 145]);
  assert.deepEqual(swaps, ["uart16550_poll", "uart16550", "uart16550_poll"]);
  assert.match(output, /echo hello\nhello\n/);
  assert.match(output, /\^C\n/);
  assert.match(output, /after 130\n/);
});
