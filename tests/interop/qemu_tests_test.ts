/**
 * Runs every guest test program (`userland/bin/test_*`) and the shell and init
 * under `qemu-riscv32` (user mode) on this host, checking exit status and
 * exact output. The same binaries run on Strata, so this pins down what a
 * correct Linux-compatible kernel does with them.
 *
 * Under qemu-user, `execve` goes to the host kernel: a RISC-V binary cannot be
 * exec'd (no binfmt_misc here) and `/bin/...` are host programs. The shell
 * cases therefore run host utilities (`/bin/echo`, `cat`, `tr`, ...) as
 * children, which still exercises the shell's own logic (parsing, expansion,
 * redirection, pipelines, waiting, signals); `test_exec` and `test_dup` fall
 * back to probing through the host's `/bin/sh` when exec gives ENOEXEC.
 * The shell cases live in `sh_cases.ts`; `tests/plugins/personalities/unix/sh_strata_test.ts` runs
 * them on Strata with the same expectations.
 * @module
 */

import { strict as assert } from "node:assert";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execPathPlaceholder, normaliseExecPath } from "./exec_path.ts";
import { SH_CASES, shellArgs } from "./sh_cases.ts";
import { TEST_CLONE_OUTPUT, TEST_THREADS_OUTPUT } from "./thread_cases.ts";
import { runHostCommand } from "../guest_guard.ts";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
// STRATA_GUEST_BIN: another build's folder (relative to the repository), as in qemu_utils_test.ts.
const BIN_DIR = join(REPO_ROOT, Deno.env.get("STRATA_GUEST_BIN") ?? join("userland", "bin"));
const QEMU = "qemu-riscv32";

/** Expected standard output of each guest test program (all lines deterministic). */
const TEST_PROGRAM_OUTPUT: Readonly<Record<string, string>> = {
  test_fork_tree: "fork tree: depth 3, 15 processes, all reaped\n",
  test_orphan: "orphan: grandchild re-parented\n",
  test_cow: "cow: data, bss, heap and stack private after fork\n",
  test_signal: "signal: handler ran\n" +
    "signal: sa_mask deferred delivery\n" +
    "signal: sigprocmask block/unblock\n" +
    "signal: SIG_IGN\n" +
    "signal: SIGTERM default action kills\n" +
    "signal: EINTR from blocking read\n",
  test_segv: "segv: NULL store kills with SIGSEGV\n" +
    "segv: handler exits\n" +
    "segv: handler longjmps and recovers\n",
  test_efault: "efault: write, read, openat, pipe2 report EFAULT\n",
  test_enosys: "enosys: unknown syscalls return ENOSYS\n",
  test_pipe: "pipe: 204800 bytes through fork, EOF after writer closed\n" +
    "pipe: EPIPE without readers\n" +
    "pipe: SIGPIPE kills a writer without readers\n",
  test_preempt: "preempt: parent ran while child spun; child killed\n",
  test_exec: "exec: argv and envp passed\n" + execPathPlaceholder("test_exec") +
    "exec: ENOENT for a missing file\n",
  test_brk_mmap: "brk: heap grew 64 KiB\n" +
    "mmap: anonymous pages zeroed and writable\n" +
    "munmap: access to an unmapped page is SIGSEGV\n" +
    "mprotect: store to a read-only page is SIGSEGV\n",
  test_dup: "dup: dup, dup3, F_DUPFD, FD_CLOEXEC flags\n" +
    "dup: FD_CLOEXEC closes on exec, others survive\n" + execPathPlaceholder("test_dup"),
  test_files: "files: create, excl, append, seek, read back\n" +
    "files: getdents64 lists . .. file sub\n" +
    "files: ENOTDIR EISDIR EEXIST ENOENT errors\n" +
    "files: unlinkat files and directories\n",
  test_clock: "clock: monotonic advances across a 20 ms nanosleep\n",
  test_uname: "machine: riscv32\n",
  test_pipe_write: "full write: 307200 bytes\ninterrupted write: partial count\n",
  test_pipe_wait: "pipe wait: parked reader gets the bytes\n" +
    "pipe wait: one reader thread per message\n" +
    "pipe wait: end of file for a parked reader\n" +
    "pipe wait: EINTR, or SA_RESTART and the data\n" +
    "pipe wait: parked writer, PIPE_BUF write whole\n" +
    "pipe wait: EPIPE for a parked writer\n" +
    "pipe wait: poll wakes on the bytes\n" +
    "pipe wait: O_NONBLOCK and EFAULT do not wait\n" +
    "pipe wait: EFAULT for a parked read whose buffer went\n",
  test_threads: TEST_THREADS_OUTPUT,
  test_clone: TEST_CLONE_OUTPUT,
};

/** Guest test programs checked elsewhere instead, and where. */
const CHECKED_ELSEWHERE: Readonly<Record<string, string>> = {
  test_libc: "LIBC_CASES in cases.ts (its check count grows with the libc)",
  test_libc_posix: "LIBC_CASES in cases.ts (its check count grows with the libc)",
  test_robust: "tests/kernel/guest_programs_test.ts (qemu-riscv32 answers set_robust_list ENOSYS)",
};

function qemuAvailable(): boolean {
  try {
    return new Deno.Command(QEMU, { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const HAVE_QEMU = qemuAvailable();

/** Runs a guest program under qemu-riscv32, killed after the host-time limit. */
function runGuest(
  program: string,
  args: string[],
  opts: { stdin?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  return runHostCommand(QEMU, [join(BIN_DIR, program), ...args], {
    ...opts,
    cwd: opts.cwd ?? REPO_ROOT,
  }).then((r) => ({ status: r.code, stdout: r.stdout, stderr: r.stderr }));
}

function guestTestPrograms(): string[] {
  if (!existsSync(BIN_DIR)) return [];
  return readdirSync(BIN_DIR).filter((n) => n.startsWith("test_")).sort();
}

Deno.test("every guest test program has an expected output, and every expected output a program", () => {
  const built = guestTestPrograms();
  assert.ok(built.length > 10, "userland/bin has the test programs (run deno task userland)");
  for (const name of Object.keys(TEST_PROGRAM_OUTPUT)) {
    assert.ok(built.includes(name), `userland/bin/${name} is missing (run deno task userland)`);
    assert.ok(!(name in CHECKED_ELSEWHERE), `${name} has an output here and is checked elsewhere`);
  }
  for (const name of built) {
    assert.ok(
      name in TEST_PROGRAM_OUTPUT || name in CHECKED_ELSEWHERE,
      `${name} has no expected output in TEST_PROGRAM_OUTPUT`,
    );
  }
});

Deno.test({
  name: "qemu: guest test programs",
  ignore: !HAVE_QEMU,
  async fn(t) {
    for (const [name, expected] of Object.entries(TEST_PROGRAM_OUTPUT)) {
      await t.step(name, async () => {
        let dir: string | undefined;
        const args: string[] = [];
        if (name === "test_files") {
          dir = await Deno.makeTempDir({ prefix: "strata_files_" });
          args.push(dir);
        }
        try {
          const r = await runGuest(name, args);
          assert.equal(r.status, 0, `${name} failed: ${r.stderr}`);
          assert.equal(r.stderr, "");
          // Either exec path is right under qemu (with or without binfmt_misc).
          assert.equal(normaliseExecPath(name, r.stdout), expected);
        } finally {
          if (dir) {
            // The program removes its own scratch directory; the rest is ours.
            assert.deepEqual([...Deno.readDirSync(dir)], [], "test_files left files behind");
            await Deno.remove(dir, { recursive: true });
          }
        }
      });
    }
  },
});

Deno.test({
  name: "qemu: sh",
  ignore: !HAVE_QEMU,
  async fn(t) {
    for (const c of SH_CASES) {
      await t.step(c.name, async () => {
        const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "strata_sh_" }));
        try {
          for (const [name, text] of Object.entries(c.files ?? {})) {
            await Deno.writeTextFile(join(dir, name), text);
          }
          const r = await runGuest("sh", shellArgs(c, dir), {
            stdin: c.stdin,
            env: { PATH: "/usr/bin:/bin", HOME: "/" },
          });
          assert.equal(r.stdout, c.stdout.replaceAll("{dir}", dir), `stderr: ${r.stderr}`);
          assert.equal(r.status, c.status ?? 0, `stderr: ${r.stderr}`);
          if (c.stderr instanceof RegExp) assert.match(r.stderr, c.stderr);
          else assert.equal(r.stderr, c.stderr ?? "");
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      });
    }
  },
});

Deno.test({
  name: "qemu: init runs its command with the boot environment and exits with its status",
  ignore: !HAVE_QEMU,
  async fn() {
    const env = await runGuest("init", ["/bin/sh", "-c", 'echo "$HOME $PATH $TERM"; exit 4']);
    assert.equal(env.stdout, "/ /bin vt100\n");
    assert.equal(env.status, 4);
    const killed = await runGuest("init", ["/bin/sh", "-c", "kill -TERM $$"]);
    assert.equal(killed.status, 128 + 15);
    const missing = await runGuest("init", ["/nonexistent/program"]);
    assert.equal(missing.status, 127);
    assert.match(missing.stderr, /^init: cannot run \/nonexistent\/program: No such file/);
    // An orphan re-parented to (or left behind by) the shell does not delay init's exit.
    const orphan = await runGuest("init", ["/bin/sh", "-c", "sleep 0.1 & echo done"]);
    assert.equal(orphan.stdout, "done\n");
    assert.equal(orphan.status, 0);
  },
});
