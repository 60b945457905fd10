/**
 * cmd.exe and the console utilities on Strata: the case table of
 * `cmd_cases.ts` (the runner `guest/cmd_cases.c`, built for Strata, starts
 * `C:\bin\cmd.exe /c LINE` for each case from a shared host folder), the
 * interactive prompt on standard input, the console functions behind cls
 * and title on the console, PATH search from a Unix PATH, where, and
 * taskkill, and the console devices (type con, copy con, CONIN$ and CON) in the
 * Win32 session.
 */
import { HAVE_CLANG } from "../../../host_tools.ts";
import assert from "node:assert/strict";
import { runGuest } from "../../../../system/boot.ts";
import { CMD_EXPECTED, CMD_SPEC, normalizeCmdOutput } from "./cmd_cases.ts";

const bin = new URL("../../../../userland/bin/win32/", import.meta.url);
const present = (() => {
  try {
    return ["cmd.exe", "find.exe", "sort.exe", "more.exe", "taskkill.exe"].every((f) =>
      Deno.statSync(new URL(f, bin)).isFile
    );
  } catch {
    return false;
  }
})();

async function run(cmd: string, typed?: string): Promise<string> {
  const console = typed === undefined ? undefined : { kind: "buffer" as const, input: typed };
  const r = await runGuest({ cmd, maxHostMs: 60_000, ...(console ? { console } : {}) });
  assert.equal(r.reason, "init-exit", r.detail);
  return r.output.replaceAll("\r", "");
}

Deno.test({
  name: "cmd.exe: the case table (built-ins, batch files, pipes, redirection, utilities)",
  ignore: !present || !HAVE_CLANG,
  sanitizeResources: false,
  async fn() {
    const { buildExe } = await import("../../../../userland/win32/build.ts");
    const dir = await Deno.makeTempDir({ prefix: "strata_cmd_" });
    try {
      await buildExe(
        [new URL("guest/cmd_cases.c", import.meta.url).pathname],
        `${dir}/cmd_cases.exe`,
      );
      await Deno.writeTextFile(`${dir}/cases.txt`, CMD_SPEC);
      const r = await runGuest({
        // Output to a file, as under Wine: no handle of the cases is a console output.
        cmd: "mkdir -p /tmp/w && cd /tmp/w && /mnt/host/cmd_cases.exe 'C:\\bin\\cmd.exe' " +
          "/mnt/host/cases.txt > /tmp/cases.out; cat /tmp/cases.out",
        share: [{ hostDir: dir }],
        maxHostMs: 120_000,
      });
      assert.equal(r.reason, "init-exit", r.detail);
      assert.equal(normalizeCmdOutput(r.output), CMD_EXPECTED);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "cmd.exe: exit codes reach the Unix shell; commands from standard input with a prompt",
  ignore: !present,
  async fn() {
    const out = await run(
      "cmd.exe /c exit 3; echo rc=$?; cmd.exe /c 'ver >nul & hostname'; echo rc=$?; " +
        "printf 'cd \\\\tmp\\nset /a 2*21\\nexit 7\\n' | cmd.exe; echo rc=$?; " +
        "printf 'echo off\\necho quiet\\n' | cmd.exe /q; echo rc=$?",
    );
    assert.equal(
      out,
      "rc=3\nstrata\nrc=0\n" +
        "Strata Windows [Version 10.0.19045]\n\nC:\\>cd \\tmp\n\nC:\\tmp>set /a 2*21\n42\n" +
        "C:\\tmp>exit 7\nrc=7\nquiet\nrc=0\n",
    );
  },
});

Deno.test({
  name: "cmd.exe: a Unix PATH becomes a Win32 one; where; externals by PATHEXT",
  ignore: !present,
  async fn() {
    const out = await run(
      "cmd.exe /c 'echo %PATH%& where find & where hostname.exe & whoami & where nope*'; " +
        "echo rc=$?",
    );
    assert.equal(
      out,
      "C:\\bin\nC:\\bin\\find.exe\nC:\\bin\\hostname.exe\nstrata\\root\n" +
        "INFO: Could not find files for the given pattern(s).\nrc=1\n",
    );
  },
});

Deno.test({
  name: "cmd.exe: cls and title on the console use the console functions (VT sequences)",
  ignore: !present,
  async fn() {
    const out = await run("cmd.exe /c 'cls & title Strata cmd & echo done'");
    assert.equal(out, "\x1b[2J\x1b[1;1H\x1b]0;Strata cmd\x07done\n");
  },
});

Deno.test({
  name: "taskkill: /pid and /im with Windows' messages and exit codes",
  ignore: !present,
  async fn() {
    const out = await run(
      // A Unix process ended by TerminateProcess dies of SIGKILL (137 to sh).
      "sleep 50 & p=$!; taskkill.exe /pid $p > /tmp/o 2>&1; echo rc=$?; " +
        'sed "s/$p/PID/" /tmp/o; taskkill.exe /f /pid $p | sed "s/$p/PID/"; ' +
        "wait $p; echo sleep=$?; taskkill.exe /f /im nothing.exe; echo rc=$?; " +
        "taskkill.exe /pid 99999; echo rc=$?; taskkill.exe; echo rc=$?",
    );
    assert.equal(
      out,
      "rc=1\nERROR: The process with PID PID could not be terminated.\n" +
        "Reason: This process can only be terminated forcefully (with /F option).\n" +
        "SUCCESS: The process with PID PID has been terminated.\nsleep=137\n" +
        'ERROR: The process "nothing.exe" not found.\nrc=128\n' +
        'ERROR: The process "99999" not found.\nrc=128\n' +
        "ERROR: Invalid syntax. Neither /FI nor /PID nor /IM were specified.\n" +
        'Type "TASKKILL /?" for usage.\nrc=1\n',
    );
  },
});

Deno.test({
  name: "more: passes a pipe through; pages at the console's height on the console",
  ignore: !present,
  async fn() {
    const piped = await run("seq 1 30 | more.exe | wc -l");
    assert.equal(piped, "30\n");
    // The console is 24 rows: 23 lines, the prompt, then "q" (typed ahead, echoed) quits.
    const paged = await run("seq 1 30 > /tmp/n; more.exe /tmp/n; echo rc=$?", "q\n");
    const first = Array.from({ length: 23 }, (_, i) => `${i + 1}\n`).join("");
    assert.equal(paged, `q\n${first}-- More --          rc=0\n`);
    // Text from a pipe, keys from the console (standard error's): Enter shows the rest.
    const fromPipe = await run("seq 1 30 | more.exe; echo rc=$?", "\n");
    const rest = Array.from({ length: 7 }, (_, i) => `${i + 24}\n`).join("");
    assert.equal(fromPipe, `\n${first}-- More --          ${rest}rc=0\n`);
  },
});

Deno.test({
  name: "cmd.exe: Ctrl+C asks to end a batch file, and gives a new prompt at the prompt",
  ignore: !present,
  async fn() {
    const r = await runGuest({
      init: "/bin/sh",
      quantum: "1ms",
      maxHostMs: 60_000,
      console: {
        kind: "buffer",
        script: [
          {
            atMs: 1,
            data: "printf '@echo off\\r\\necho looping\\r\\n:a\\r\\ngoto a\\r\\n' > /tmp/l.bat\n",
          },
          { atMs: 20, data: "cmd.exe /c \\\\tmp\\\\l.bat; echo rc=$?\n" },
          { atMs: 400, data: "\x03" },
          { atMs: 900, data: "y\n" },
          { atMs: 1500, data: "cmd.exe\n" },
          { atMs: 1900, data: "echo dropped" },
          { atMs: 2000, data: "\x03" },
          { atMs: 2300, data: "echo kept\n" },
          { atMs: 2500, data: "exit 3\n" },
          { atMs: 2800, data: "echo rc=$?\n" },
          { atMs: 2900, data: "exit\n" },
        ],
      },
    });
    const out = r.output.replaceAll("\r", "").split("\n").filter((l) => !l.startsWith("# "));
    assert.deepEqual(out, [
      "looping",
      "^CTerminate batch job (Y/N)? y",
      "rc=0",
      "Strata Windows [Version 10.0.19045]",
      "",
      "C:\\>echo dropped^C",
      "C:\\>echo kept",
      "kept",
      "",
      "C:\\>exit 3",
      "rc=3",
      "",
    ]);
  },
});

/**
 * The Win32 session (`personality: "win32"`) typed `lines` at their times
 * (ms); its console output (CRs dropped) once it ended with init's exit.
 */
async function winSession(lines: [number, string][]): Promise<string> {
  const r = await runGuest({
    personality: "win32",
    maxHostMs: 60_000,
    console: { kind: "buffer", script: lines.map(([atMs, data]) => ({ atMs, data })) },
  });
  assert.equal(r.reason, "init-exit", r.detail);
  return r.output.replaceAll("\r", "");
}

Deno.test({
  name:
    "console devices: type con, copy con and CONIN$/CON reads end at a line that begins with ^Z",
  ignore: !present,
  async fn() {
    // The Win32 session: smss turns the terminal's suspend key off, so Ctrl+Z is a character.
    const lines: [number, string][] = [
      [300, "copy con x.txt\n"],
      [400, "hello there\n"],
      [450, "ab\x1acd\n"],
      [600, "type x.txt\n"],
      [700, "type con\n"],
      [800, "one\n"],
      [850, "\x1a\n"],
      // Standard input is a file: CONIN$ and CON still read the console.
      [1000, "test_w32_console.exe read < x.txt\n"],
      [1100, "line 1\n"],
      [1150, "\x1arest\n"],
      [1200, "second\n"],
      [1250, "\x1a\n"],
      [1400, "exit\n"],
    ];
    assert.deepEqual((await winSession(lines)).split("\n"), [
      "Strata Windows [Version 10.0.19045]",
      "",
      "C:\\>copy con x.txt",
      "hello there",
      "ab^Zcd",
      "        1 file(s) copied.",
      "",
      "C:\\>type x.txt",
      "hello there",
      "ab",
      "C:\\>type con",
      "one",
      "one",
      "^Z",
      "",
      "C:\\>test_w32_console.exe read < x.txt",
      "line 1",
      "CONIN$: 8 bytes: line 1\\x0d\\x0a",
      "^Zrest",
      "CONIN$: end of input",
      "second",
      "CON: 8 bytes: second\\x0d\\x0a",
      "^Z",
      "CON: end of input",
      "to CONOUT$",
      "to CON",
      "",
      "C:\\>exit",
      "",
    ]);
  },
});

Deno.test({
  name: "console devices: Ctrl+C ends type con and abandons copy con (the read is cancelled)",
  ignore: !present,
  async fn() {
    const lines: [number, string][] = [
      [300, "type con\n"],
      [400, "kept\n"],
      [500, "\x03"],
      [700, "echo after\n"],
      [800, "copy con y.txt\n"],
      [900, "abc\n"],
      [1000, "\x03"],
      [1200, "if exist y.txt (echo y.txt kept) else echo no y.txt\n"],
      [1400, "exit\n"],
    ];
    const out = await winSession(lines);
    // The line typed before Ctrl+C was read and shown; one prompt, and the next command ran.
    assert.match(out, /C:\\>type con\nkept\nkept\n\^C\nC:\\>echo after\nafter\n/);
    assert.match(out, /\nno y\.txt\n/);
    assert.doesNotMatch(out, /file\(s\) copied/);
  },
});
