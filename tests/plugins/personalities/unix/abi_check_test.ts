/**
 * Differential ABI test: `tests/plugins/personalities/unix/guest/unix_abi_check.c` makes raw
 * system calls (files, pipes, signals and frames, faults, waitid, EINTR and
 * SA_RESTART, auxv) and prints one line per check. Its output under
 * qemu-riscv32 (the host Linux kernel as reference) is recorded in
 * `unix_abi_check.expected`; Strata must print exactly the same, and so
 * must qemu-riscv32 when it is installed (so the reference stays honest).
 */
import assert from "node:assert/strict";
import { buildGuestProgram, hasGuestToolchain } from "../../../../userland/mod.ts";
import { runCaseOnStrata } from "./strata_runner.ts";
import { runHostCommand } from "../../../guest_guard.ts";

const HERE = new URL(".", import.meta.url);
const SOURCE = new URL("guest/unix_abi_check.c", HERE).pathname;
const EXPECTED = Deno.readTextFileSync(new URL("guest/unix_abi_check.expected", HERE));

async function build(): Promise<Uint8Array> {
  const dir = await Deno.makeTempDir({ prefix: "strata_abi_" });
  try {
    const out = `${dir}/unix_abi_check`;
    await buildGuestProgram([SOURCE], out);
    return await Deno.readFile(out);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function hasQemu(): boolean {
  try {
    return new Deno.Command("qemu-riscv32", { args: ["--version"], stdout: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

function firstDifference(a: string, b: string): string {
  const x = a.split("\n"), y = b.split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      return `line ${i + 1}: expected ${JSON.stringify(x[i])}, got ${JSON.stringify(y[i])}`;
    }
  }
  return "identical";
}

// Built from C, so it needs clang and ld.lld; a machine with only Deno skips it.
const binary = hasGuestToolchain() ? await build() : null;

Deno.test({
  name: "unix_abi_check on Strata matches the Linux (qemu-riscv32) reference",
  ignore: binary === null,
  async fn() {
    const r = await runCaseOnStrata(
      { name: "abi", program: "/tmp/unix_abi_check", args: ["{dir}"], expect: { status: 0 } },
      { "/tmp/unix_abi_check": binary! },
      { maxCycles: 1_500_000_000 }, // it needs ~130 M
    );
    assert.equal(r.status, 0, `status ${r.status} (${r.reason}); stderr ${r.stderr}`);
    assert.equal(r.stdout, EXPECTED, firstDifference(EXPECTED, r.stdout));
  },
});

Deno.test({
  name: "unix_abi_check under qemu-riscv32 still gives the recorded reference",
  ignore: !hasQemu() || binary === null,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "strata_abi_run_" });
    try {
      const prog = `${dir}/unix_abi_check`;
      await Deno.writeFile(prog, binary!, { mode: 0o755 });
      await Deno.mkdir(`${dir}/scratch`);
      // A child drops root and must still reach the scratch directory.
      await Deno.chmod(dir, 0o755);
      await Deno.chmod(`${dir}/scratch`, 0o755);
      const out = await runHostCommand("qemu-riscv32", [prog, `${dir}/scratch`]);
      const text = out.stdout;
      assert.equal(out.code, 0, out.stderr);
      assert.equal(text, EXPECTED, firstDifference(EXPECTED, text));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("execve of a #! script runs its interpreter with the script path", async () => {
  const r = await runCaseOnStrata(
    { name: "script", program: "/tmp/s.sh", args: ["a b", "c"], expect: { status: 0 } },
    { "/tmp/s.sh": new TextEncoder().encode("#!/bin/echo  hello\n") },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "hello /tmp/s.sh a b c\n");
});
