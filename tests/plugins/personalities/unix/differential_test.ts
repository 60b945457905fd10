/**
 * Differential test: every self-checking `test_*` program runs under
 * qemu-riscv32 (the host Linux kernel behind qemu's user-mode emulation) and
 * on Strata, and must print exactly the same standard output and exit with
 * the same status. Skipped when qemu-riscv32 is not installed.
 */
import assert from "node:assert/strict";
import { listPrograms, programPath } from "../../../../userland/mod.ts";
import { runCaseOnStrata } from "./strata_runner.ts";
import { runHostCommand } from "../../../guest_guard.ts";
import { assertSelfExec, normaliseExecPath } from "../../../interop/exec_path.ts";
import { STRATA_ONLY_TEST_PROGRAMS } from "../../../interop/cases.ts";

function hasQemu(): boolean {
  try {
    return new Deno.Command("qemu-riscv32", { args: ["--version"], stdout: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

async function onQemu(program: string): Promise<{ status: number; stdout: string }> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "strata_diff_" }));
  try {
    const out = await runHostCommand("qemu-riscv32", [programPath(program), dir], {
      env: { PATH: "/bin", HOME: "/", TERM: "vt100" },
    });
    return { status: out.code, stdout: out.stdout.replaceAll(dir, "{dir}") };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "test_* programs: Strata output equals qemu-riscv32 output",
  ignore: !hasQemu(),
  async fn(t) {
    const programs = listPrograms().filter((p) =>
      p.startsWith("test_") && !(p in STRATA_ONLY_TEST_PROGRAMS)
    );
    assert.ok(programs.length > 0, "no test_* programs are built");
    for (const program of programs) {
      await t.step({
        name: program,
        fn: async () => {
          const q = await onQemu(program);
          const s = await runCaseOnStrata({
            name: program,
            program,
            args: ["{dir}"],
            expect: { status: 0 },
          });
          const strataOut = s.stdout.replaceAll(s.dir, "{dir}");
          assert.equal(s.status, q.status, `${program}: status (stderr ${s.stderr})`);
          // qemu may take the /bin/sh fallback of test_exec/test_dup; Strata may not.
          assertSelfExec(program, strataOut);
          assert.equal(
            normaliseExecPath(program, strataOut),
            normaliseExecPath(program, q.stdout),
            `${program}: stdout`,
          );
        },
      });
    }
  },
});
