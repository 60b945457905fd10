/**
 * End-to-end: every self-checking guest test program (`userland/bin/test_*`)
 * booted as pid 1 must exit with status 0. Programs appear as the userland
 * is built; each one found becomes a test case. `test_exec` and `test_dup`
 * must have re-run themselves with execve, not fallen back to /bin/sh.
 */
import assert from "node:assert/strict";
import { runGuarded } from "../guest_guard.ts";
import { assertSelfExec } from "../interop/exec_path.ts";
import {
  TEST_CLONE_OUTPUT,
  TEST_ROBUST_OUTPUT,
  TEST_THREADS_OUTPUT,
} from "../interop/thread_cases.ts";

/** Programs whose whole output is checked here too, with the text qemu-riscv32 gives. */
const SAME_OUTPUT_AS_QEMU: Readonly<Record<string, string>> = {
  test_threads: TEST_THREADS_OUTPUT,
  test_clone: TEST_CLONE_OUTPUT,
  test_robust: TEST_ROBUST_OUTPUT,
};

const BIN = new URL("../../userland/bin/", import.meta.url);

function testPrograms(): string[] {
  try {
    return [...Deno.readDirSync(BIN)]
      .filter((e) => e.isFile && e.name.startsWith("test_"))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

for (const name of testPrograms()) {
  Deno.test(`guest program ${name} passes`, async () => {
    // They need at most ~10 M cycles; a hang fails after 500 M.
    const r = await runGuarded({ init: `/bin/${name}`, maxCycles: 500_000_000, quantum: "1ms" });
    assert.equal(
      r.status,
      0,
      `${name}: status ${r.status} (${r.reason} ${r.detail})\n${r.output}\n${r.log.join("\n")}`,
    );
    // The console's tty turns "\n" into "\r\n" (ONLCR).
    const out = r.output.replaceAll("\r\n", "\n");
    assertSelfExec(name, out);
    if (name in SAME_OUTPUT_AS_QEMU) assert.equal(out, SAME_OUTPUT_AS_QEMU[name]);
  });
}

Deno.test("guest programs: the harness finds test_libc", () => {
  assert.ok(testPrograms().includes("test_libc"));
});
