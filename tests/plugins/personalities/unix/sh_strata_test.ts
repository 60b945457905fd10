/**
 * The shell cases of `tests/interop/sh_cases.ts` (also run under
 * qemu-riscv32) run on Strata: our `sh`, with our utilities as its children,
 * must give the same standard output, exit status and standard error.
 */
import assert from "node:assert/strict";
import { SH_CASES, shellArgs, type ShellCase } from "../../../interop/sh_cases.ts";
import { runCaseOnStrata } from "./strata_runner.ts";

async function check(c: ShellCase): Promise<void> {
  const r = await runCaseOnStrata(
    {
      name: c.name,
      program: "sh",
      args: shellArgs(c, "{dir}"),
      stdin: c.stdin,
      files: c.files,
      expect: { status: c.status ?? 0 },
    },
    {},
    { env: ["PATH=/usr/bin:/bin", "HOME=/"] },
    ["/usr"],
  );
  const ctx = `stderr: ${JSON.stringify(r.stderr)} (${r.reason}, console ${
    JSON.stringify(r.console.slice(0, 300))
  })`;
  assert.equal(r.stdout, c.stdout.replaceAll("{dir}", r.dir), ctx);
  assert.equal(r.status, c.status ?? 0, ctx);
  if (c.stderr instanceof RegExp) assert.match(r.stderr, c.stderr);
  else assert.equal(r.stderr, c.stderr ?? "");
}

Deno.test("Strata: sh", async (t) => {
  for (const c of SH_CASES) await t.step(c.name, () => check(c));
});
