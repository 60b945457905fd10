/**
 * `test_exec` and `test_dup` re-run themselves with `execve`. Under
 * qemu-riscv32 without binfmt_misc that exec fails with ENOEXEC and the
 * programs fall back to probing through the host's `/bin/sh`; each prints
 * which path ran. Runners compare outputs with that line normalised, and the
 * Strata runners require the self-exec path, so that a broken exec on Strata
 * cannot hide behind the fallback.
 * @module
 */

import assert from "node:assert/strict";

/** The two lines each program may print: [self-exec, /bin/sh fallback]. */
export const EXEC_PATH_LINES: Readonly<Record<string, readonly [string, string]>> = {
  test_exec: [
    "exec: checked by execve of itself\n",
    "exec: checked through /bin/sh (execve of itself gave ENOEXEC)\n",
  ],
  test_dup: [
    "dup: probed by execve of itself\n",
    "dup: probed through /bin/sh (execve of itself gave ENOEXEC)\n",
  ],
};

/** Placeholder that either line of `program` becomes in {@link normaliseExecPath}. */
export function execPathPlaceholder(program: string): string {
  return `<${program}: exec path>\n`;
}

/** `out` with `program`'s exec-path line (either one) replaced by a placeholder. */
export function normaliseExecPath(program: string, out: string): string {
  const lines = EXEC_PATH_LINES[program];
  if (lines === undefined) return out;
  let r = out;
  for (const line of lines) r = r.replace(line, execPathPlaceholder(program));
  return r;
}

/** Asserts that a Strata run of `program` took the self-exec path, not the fallback. */
export function assertSelfExec(program: string, out: string): void {
  const lines = EXEC_PATH_LINES[program];
  if (lines === undefined) return;
  assert.ok(
    !out.includes(lines[1]),
    `${program} fell back to /bin/sh on Strata: its execve of itself failed with ENOEXEC`,
  );
  assert.ok(out.includes(lines[0]), `${program} did not report its self-exec path:\n${out}`);
}
