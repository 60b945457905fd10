/**
 * End-to-end: every self-checking guest test program (`userland/bin/test_*`)
 * booted as pid 1 must exit with status 0. Programs appear as the userland
 * is built; each one found becomes a test case. `test_exec` and `test_dup`
 * must have re-run themselves with execve, not fallen back to /bin/sh.
 */
import assert from "node:assert/strict";
import { runGuarded } from "../guest_guard.ts";
import { assertSelfExec } from "../interop/exec_path.ts";

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
    assertSelfExec(name, r.output.replaceAll("\r\n", "\n"));
  });
}

Deno.test("guest programs: the harness finds test_libc", () => {
  assert.ok(testPrograms().includes("test_libc"));
});
