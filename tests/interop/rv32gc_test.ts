/**
 * RV32GC guest code on Strata: the C library and a test program are built
 * with `-march=rv32imafdc -mabi=ilp32d` (into a temporary directory) and
 * the program runs under qemu-riscv32 and under Strata; the outputs must be
 * identical. The program uses doubles and singles, conversions, and keeps
 * FP values live across fork() while two processes compute and are
 * preempted (the kernel's lazy FP context switch, kernel/proc/fp_context.ts).
 *
 * Skipped when clang or qemu-riscv32 is missing.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { GUEST_CFLAGS, GUEST_LDFLAGS, libcSources } from "../../userland/build.ts";
import { runCaseOnStrata } from "../plugins/personalities/unix/strata_runner.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function have(cmd: string): boolean {
  try {
    return new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const READY = have("clang") && have("qemu-riscv32");

/** The guest flags with the ISA and ABI switched to rv32imafdc/ilp32d. */
function gc(flags: readonly string[]): string[] {
  return flags.map((f) =>
    f === "-march=rv32ima" ? "-march=rv32imafdc" : f === "-mabi=ilp32" ? "-mabi=ilp32d" : f
  );
}

async function clang(args: string[]): Promise<void> {
  const r = await new Deno.Command("clang", { args, cwd: ROOT, stderr: "piped" }).output();
  if (!r.success) throw new Error(new TextDecoder().decode(r.stderr));
}

async function buildGc(source: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "rv32gc" });
  const cflags = gc(GUEST_CFLAGS);
  const objs: string[] = [];
  for (const src of libcSources()) {
    const o = `${dir}/${src.replaceAll("/", "_")}.o`;
    await clang([...cflags, "-c", src, "-o", o]);
    objs.push(o);
  }
  const out = `${dir}/prog`;
  await clang([
    ...cflags,
    ...gc(GUEST_LDFLAGS).slice(3),
    objs[0],
    source,
    ...objs.slice(1),
    "-o",
    out,
  ]);
  return out;
}

Deno.test({
  name: "rv32gc: an rv32imafdc/ilp32d program gives the same output on Strata as on qemu",
  ignore: !READY,
  async fn() {
    const prog = await buildGc("tests/interop/guest/fp_context.c");
    const q = new Deno.Command("qemu-riscv32", { args: [prog], stdout: "piped" }).outputSync();
    assert.ok(q.success);
    const want = new TextDecoder().decode(q.stdout);
    assert.match(want, /child keep 400a000000000000/);
    const r = await runCaseOnStrata(
      {
        name: "fp_context",
        program: "/tmp/fp_context",
        args: [],
        expect: { status: 0, stdout: want },
      },
      { "/tmp/fp_context": Deno.readFileSync(prog) },
    );
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, want);
    assert.equal(r.status, 0);
  },
});
