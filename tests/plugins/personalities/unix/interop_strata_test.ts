/**
 * The shared interop cases (the ones `tests/interop/qemu_utils_test.ts`
 * checks under qemu-riscv32) run on Strata through the Unix personality:
 * same programs, same arguments, same expected status, output and effects.
 */
import assert from "node:assert/strict";
import { allCases, type InteropCase } from "../../../interop/cases.ts";
import { listPrograms } from "../../../../userland/mod.ts";
import { runCaseOnStrata } from "./strata_runner.ts";
import { assertSelfExec } from "../../../interop/exec_path.ts";

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function withDir(re: RegExp, dir: string): RegExp {
  return new RegExp(re.source.replaceAll("{dir}", escapeRegExp(dir)), re.flags);
}

async function check(c: InteropCase): Promise<void> {
  const r = await runCaseOnStrata(c);
  const ctx = `${c.name}: status=${r.status} (${r.reason}) stdout=${JSON.stringify(r.stdout)} ` +
    `stderr=${JSON.stringify(r.stderr)} console=${JSON.stringify(r.console.slice(0, 300))}`;
  assert.equal(r.status, c.expect.status, `${ctx}: exit status`);
  if (c.expect.stdout !== undefined) {
    assert.equal(r.stdout, c.expect.stdout.replaceAll("{dir}", r.dir), `${ctx}: stdout`);
  }
  if (c.expect.stdoutMatch) assert.match(r.stdout, withDir(c.expect.stdoutMatch, r.dir), ctx);
  if (c.expect.stderrMatch) assert.match(r.stderr, withDir(c.expect.stderrMatch, r.dir), ctx);
  assertSelfExec(c.program, r.stdout);
  for (const rel of c.expect.exists ?? []) assert.ok(r.exists(rel), `${ctx}: ${rel} should exist`);
  for (const rel of c.expect.absent ?? []) {
    assert.ok(!r.exists(rel), `${ctx}: ${rel} should be absent`);
  }
  for (const [rel, text] of Object.entries(c.expect.contents ?? {})) {
    assert.equal(r.read(rel), text, `${ctx}: contents of ${rel}`);
  }
}

Deno.test("Strata interop: utilities, benchmarks and test programs (Unix personality)", async (t) => {
  const cases = allCases(listPrograms()).filter((c) => c.only !== "qemu");
  assert.ok(cases.length > 20, "the shared cases and built programs are there");
  for (const c of cases) await t.step(c.name, () => check(c));
});
