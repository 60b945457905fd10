/**
 * `--trace-syscalls` in strace's format: exact lines for common calls, the
 * `<unfinished ...>` / `<... resumed>` pair of a blocking call, and the
 * sequence of calls and results of a program compared with
 * `qemu-riscv32 -strace` of the same binary (skipped without qemu).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runGuest } from "../../system/boot.ts";
import { quoteBytes } from "../../plugins/personalities/unix/strace.ts";

const REPO = new URL("../../", import.meta.url).pathname;
const LIMITS = { maxCycles: 2_000_000_000, maxHostMs: 60_000 };

function qemuPath(): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin").split(":")) {
    try {
      const p = join(dir, "qemu-riscv32");
      if (Deno.statSync(p).isFile) return p;
    } catch {
      // not in this PATH entry
    }
  }
  return null;
}
const QEMU = qemuPath();

/** The trace of `cmd` under Strata, and the lines of the process that exec'd `program`. */
async function strataTrace(cmd: string, program: string, stdin = "") {
  const lines: string[] = [];
  const r = await runGuest({ ...LIMITS, cmd, stdio: "pipes", stdin, trace: (l) => lines.push(l) });
  const exec = lines.find((l) => l.includes(`execve("/bin/${program}"`));
  assert.ok(exec !== undefined, lines.join("\n"));
  const pid = /^\[pid (\d+)\]/.exec(exec)![1];
  const own = lines.filter((l) => l.startsWith(`[pid ${pid}] `)).map((l) =>
    l.replace(/^\[pid \d+\] /, "")
  );
  return { all: lines, own: own.slice(own.findIndex((l) => l.startsWith("execve(")) + 1), r };
}

/** (name, result) pairs: Strata's `= -1 ENOENT (...)` and qemu's `= -1 errno=2 (...)` both give -1. */
function calls(lines: string[]): string[] {
  return lines.filter((l) => !l.startsWith("+++")).map((l) => {
    const name = /^(?:<\.\.\. )?(\w+)/.exec(l)![1];
    const res = / = (-?\w+)/.exec(l.replace(/\n/g, ""))?.[1] ?? "?";
    return `${name} ${res}`;
  });
}

Deno.test("strace format: calls decoded as strace prints them", async () => {
  const { own } = await strataTrace("cat /nonexist", "cat");
  assert.deepEqual(own, [
    'openat(AT_FDCWD, "/nonexist", O_RDONLY) = -1 ENOENT (No such file or directory)',
    'write(2, "cat: /nonexist: No such file or "..., 42) = 42',
    "exit_group(1) = ?",
    "+++ exited with 1 +++",
  ]);
  const piped = await strataTrace("cat", "cat", "hi\n");
  assert.deepEqual(piped.own, [
    'read(0, "hi\\n", 4096) = 3',
    'write(1, "hi\\n", 3) = 3',
    'read(0, "", 4096) = 0',
    "exit_group(0) = ?",
    "+++ exited with 0 +++",
  ]);
  const sh = piped.all.filter((l) => l.startsWith("[pid 2] "));
  assert.ok(
    sh.includes('[pid 2] execve("/bin/sh", ["/bin/sh", "-c", "cat"], 0x15604 /* 3 vars */) = 0'),
  );
  assert.ok(sh.includes("[pid 2] clone(child_stack=NULL, flags=SIGCHLD) = 3"));
  // The shell's wait blocks: unfinished, then resumed with its result.
  const i = sh.indexOf("[pid 2] waitid(P_ALL, 0,  <unfinished ...>");
  assert.ok(i >= 0, sh.join("\n"));
  assert.match(
    sh[i + 1],
    /^\[pid 2\] <\.\.\. waitid resumed>\{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=3, si_uid=0, si_status=0\}, WEXITED, NULL\) = 0$/,
  );
  const init = piped.all.filter((l) => l.startsWith("[pid 1] "));
  assert.ok(
    init.includes(
      "[pid 1] rt_sigaction(SIGINT, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTART}, " +
        "{sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0",
    ),
  );
});

Deno.test("strace format: strings quoted as strace does (escapes, octal, cut at 32)", () => {
  const te = new TextEncoder();
  assert.equal(quoteBytes(te.encode('a"b\\\t\n')), '"a\\"b\\\\\\t\\n"');
  assert.equal(quoteBytes(Uint8Array.of(0x1b, 0x5b, 0x00, 0x31, 0xff)), '"\\33[\\0001\\377"');
  assert.equal(quoteBytes(te.encode("x".repeat(40))), `"${"x".repeat(32)}"...`);
});

Deno.test({
  name: "strace format: the same calls and results as qemu-riscv32 -strace",
  ignore: !QEMU,
  async fn() {
    for (const [args, stdin] of [[["/nonexist"], ""], [[], "hello\nworld\n"]] as const) {
      const q = new Deno.Command(QEMU!, {
        args: ["-strace", join(REPO, "userland/bin/cat"), ...args],
        stdin: "piped",
        stdout: "null",
        stderr: "piped",
      }).spawn();
      const w = q.stdin.getWriter();
      await w.write(new TextEncoder().encode(stdin));
      await w.close();
      const out = new TextDecoder().decode((await q.output()).stderr);
      // qemu writes "PID name(args) = result" (a write's output may split the line).
      const qemu = out.replace(/\)([^\n]*)\n = /g, ") = ").split("\n")
        .filter((l) => /^\d+ \w+\(/.test(l)).map((l) => l.replace(/^\d+ /, ""));
      assert.ok(qemu.length >= 3 && qemu.at(-1)!.startsWith("exit_group("), out);
      const strata = await strataTrace(["cat", ...args].join(" "), "cat", stdin);
      assert.deepEqual(calls(strata.own), calls(qemu), `${strata.own.join("\n")}\n---\n${out}`);
    }
  },
});

Deno.test("strace format: a process a signal ends gets strace's +++ killed by +++ line", async () => {
  const lines: string[] = [];
  await runGuest({
    ...LIMITS,
    cmd: "sleep 5 & sleep 0.01; kill -TERM $!; wait",
    trace: (l) => lines.push(l),
  });
  const exec = lines.find((l) => l.includes('execve("/bin/sleep"'));
  assert.ok(exec !== undefined, lines.join("\n"));
  const pid = /^\[pid (\d+)\]/.exec(exec)![1];
  const own = lines.filter((l) => l.startsWith(`[pid ${pid}] `));
  assert.equal(own[own.length - 1], `[pid ${pid}] +++ killed by SIGTERM +++`);
});
