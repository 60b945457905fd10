/**
 * The full-screen tools at the console: `vi`, `more` and `top` run under
 * /bin/sh on a buffer console and are driven by keys fed at fixed simulated
 * times; their effects (files written, what was shown, that they quit) are
 * checked.
 */
import assert from "node:assert/strict";
import { runGuest } from "../../system/boot.ts";

/** Runs /bin/sh as init, typing each chunk of keys 50 ms of simulated time apart. */
async function typeAtShell(keys: string[]) {
  const script = keys.map((data, i) => ({ atMs: 1 + i * 50, data }));
  const r = await runGuest({
    init: "/bin/sh",
    maxCycles: 8e9,
    console: { kind: "buffer", script },
  });
  // ESC shown as "^[" (as a terminal echoes it), so patterns need no control characters.
  return { ...r, text: r.output.replaceAll("\r", "").replaceAll("\x1b", "^[") };
}

const ESC = "\x1b";

Deno.test("vi: motions, insert, x, dd, search, undo, o, :q refused after a change, :wq", async () => {
  const r = await typeAtShell([
    "printf 'alpha\\nbeta gamma\\ndelta\\n' > /tmp/v; vi /tmp/v\r",
    `jwiNEW ${ESC}`,
    "ggx",
    "/del\r",
    "dd",
    `Otop${ESC}`,
    "u",
    `Gonew last${ESC}`,
    ":q\r",
    ":wq\r",
    "cat /tmp/v; echo status $?\r",
    "exit 0\r",
  ]);
  assert.match(r.text, /"\/tmp\/v" 3L, 23B/);
  assert.match(r.text, /E37: No write since last change \(add ! to override\)/);
  assert.match(r.text, /"\/tmp\/v" 3L, 29B written/);
  assert.match(r.text, /\nlpha\nbeta NEW gamma\nnew last\nstatus 0\n/);
  assert.equal(r.status, 0);
});

Deno.test("vi: a new file, arrow keys in insert mode, :w NAME then :q", async () => {
  const r = await typeAtShell([
    "vi\r",
    `iabc${ESC}[D${ESC}[DX${ESC}`,
    ":w /tmp/new\r",
    ":q\r",
    "cat /tmp/new\r",
    "exit 0\r",
  ]);
  assert.match(r.text, /"\/tmp\/new" 1L, 5B written/);
  assert.match(r.text, /\naXbc\n/);
});

Deno.test("more: a screenful, the prompt, space for the next one, q quits", async () => {
  const r = await typeAtShell([
    "seq 1 60 > /tmp/s; more /tmp/s; echo more done\r",
    " ",
    "q",
    "exit 0\r",
  ]);
  assert.match(r.text, /\n23\n\^\[\[7m--More--\(35%\)\^\[\[m\^\[\[K24\n/);
  assert.match(r.text, /\n46\n\^\[\[7m--More--\(75%\)\^\[\[m/);
  assert.doesNotMatch(r.text, /\n47\n/);
  assert.match(r.text, /more done\n/);
  assert.equal(r.status, 0);
});

Deno.test("top: a screen of processes, q quits", async () => {
  const r = await typeAtShell(["top -d 0.2\r", "q", "echo top done\r", "exit 0\r"]);
  assert.match(r.text, /\^\[\[H\^\[\[2Jtop - \d\d:\d\d:\d\d up /);
  assert.match(r.text, /\n {2}PID USER {6}PR/);
  assert.match(r.text, / top\n/);
  assert.match(r.text, /top done\n/);
  assert.equal(r.status, 0);
});
