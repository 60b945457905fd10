/**
 * Win32 threads on a booted machine, the parts Wine cannot be asked to
 * show in a compared test: Ctrl+C typed at the console starts kernel32's
 * control thread in the foreground Win32 process, which calls the
 * SetConsoleCtrlHandler handlers last-registered first; none returning TRUE,
 * or none at all, ends the process with STATUS_CONTROL_C_EXIT (the shell
 * sees its low byte, 0x3a); SetConsoleCtrlHandler(NULL, TRUE) ignores it.
 * Ctrl+\ (SIGQUIT) stands for Ctrl+Break: event 1, never ignored.
 * And the native calls' answers to bad arguments (the program checks them).
 */
import assert from "node:assert/strict";
import { runGuarded } from "../../../guest_guard.ts";

const bin = new URL("../../../../userland/bin/win32/", import.meta.url);
const present = (() => {
  try {
    return Deno.statSync(new URL("test_w32_thread.exe", bin)).isFile;
  } catch {
    return false;
  }
})();

/**
 * Types `test_w32_thread.exe child MODE` at an interactive shell, ^C 200 ms
 * later, then `echo rc=$?`: the program's lines and the status line.
 */
async function ctrlC(mode: string, key = "\x03"): Promise<string> {
  const r = await runGuarded({
    init: "/bin/sh",
    quantum: "1ms",
    maxCycles: 2e9,
    maxHostMs: 60_000,
    console: {
      kind: "buffer",
      script: [
        { atMs: 1, data: `test_w32_thread.exe child ${mode}\n` },
        { atMs: 200, data: key },
        { atMs: 2500, data: "echo rc=$?\n" },
        { atMs: 2600, data: "exit\n" },
      ],
    },
  });
  assert.equal(r.status, 0);
  return r.output.replaceAll("\r", "").replaceAll("^C", "").replaceAll("^\\", "").split("\n")
    .filter((l) => !l.startsWith("# ")).join("\n");
}

Deno.test({
  name: "win32 Ctrl+C: handlers run last-registered first; TRUE keeps the process",
  ignore: !present,
  async fn() {
    assert.equal(
      await ctrlC("ctrl-handled"),
      "waiting for Ctrl+C\nhandler b: event 0, passes it on\nhandler a: event 0\n" +
        "still running\nrc=0\n",
    );
  },
});

Deno.test({
  name: "win32 Ctrl+C: no handler returning TRUE ends the process with STATUS_CONTROL_C_EXIT",
  ignore: !present,
  async fn() {
    assert.equal(
      await ctrlC("ctrl-passed"),
      "waiting for Ctrl+C\nhandler b: event 0, passes it on\nrc=58\n",
    );
    assert.equal(await ctrlC("ctrl-default"), "waiting for Ctrl+C\nrc=58\n");
  },
});

Deno.test({
  name: "win32 Ctrl+C: SetConsoleCtrlHandler(NULL, TRUE) ignores it",
  ignore: !present,
  async fn() {
    assert.equal(await ctrlC("ctrl-ignored"), "ignoring Ctrl+C\nstill running\nrc=0\n");
  },
});

Deno.test({
  name:
    "win32 Ctrl+Break (Ctrl+\\): CTRL_BREAK_EVENT to the handlers; the ignore flag does not cover it",
  ignore: !present,
  async fn() {
    assert.equal(
      await ctrlC("ctrl-handled", "\x1c"),
      "waiting for Ctrl+C\nhandler b: event 1, passes it on\nhandler a: event 1\n" +
        "still running\nrc=0\n",
    );
    assert.equal(await ctrlC("ctrl-ignored", "\x1c"), "ignoring Ctrl+C\nrc=58\n");
  },
});

Deno.test({
  name: "win32 Ctrl+C: a suspended thread does not take the event (nor run)",
  ignore: !present,
  async fn() {
    assert.equal(
      await ctrlC("ctrl-suspended"),
      "main thread suspended, waiting for Ctrl+C\nhandler a: event 0\n" +
        "it stayed suspended: yes\nmain thread resumed\nrc=0\n",
    );
  },
});

Deno.test({
  name: "win32 threads: native calls with bad arguments answer NT's statuses",
  ignore: !present,
  async fn() {
    const r = await runGuarded({
      cmd: "test_w32_thread.exe child native",
      maxCycles: 2e9,
      maxHostMs: 60_000,
    });
    const out = r.output.replaceAll("\r", "");
    assert.equal(r.status, 0, out);
    assert.match(out, /^create: no start routine: c000000d$/m);
    assert.match(out, /^suspend: an ended thread: c000004b$/m);
    assert.match(out, /^open: unknown thread: c000000b$/m);
    assert.match(out, /^exit status 1, teb set 1$/m);
    assert.match(out, /^failures: 0$/m);
  },
});
