/**
 * Native-call fuzzing on a real Strata machine: `guest/ntfuzz.c` (a Win32
 * program) starts child processes that make random native calls with random
 * numbers, handles and pointers (100,000 calls here; `deno task fuzz:win32`
 * runs the long sweep). The executive must never fail (no "kernel error" in
 * the log: a host exception in a handler), every result must be an
 * NTSTATUS (the child checks), and every child must end normally or by an
 * access violation it caused itself.
 */
import assert from "node:assert/strict";
import { hasGuestToolchain } from "../../../../userland/mod.ts";
import { boot, type GuestResult } from "../../../../system/boot.ts";
import { writeGuestFile } from "../unix/strata_runner.ts";
import { assertFinished, guarded } from "../../../guest_guard.ts";

const SOURCE = new URL("guest/ntfuzz.c", import.meta.url).pathname;

/** Builds ntfuzz.exe with the Win32 toolchain. */
export async function buildNtFuzz(): Promise<Uint8Array> {
  const { buildExe } = await import("../../../../userland/win32/build.ts");
  const dir = await Deno.makeTempDir({ prefix: "strata_ntfuzz_" });
  try {
    await buildExe([SOURCE], `${dir}/ntfuzz.exe`);
    return await Deno.readFile(`${dir}/ntfuzz.exe`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs `ntfuzz ROUNDS CALLS SEED` on a fresh machine. */
export async function runNtFuzz(
  binary: Uint8Array,
  rounds: number,
  calls: number,
  seed: number,
  maxCycles: number,
  maxHostMs?: number,
): Promise<GuestResult> {
  const cmd = `/tmp/ntfuzz.exe ${rounds} ${calls} ${seed}`;
  const sys = await boot(
    guarded({ cmd, maxCycles, ...(maxHostMs === undefined ? {} : { maxHostMs }) }),
    { kind: "buffer" },
  );
  try {
    writeGuestFile(sys.kernel, "/tmp/ntfuzz.exe", binary, 0o755);
    return assertFinished(await sys.run(), `ntfuzz seed ${seed}`);
  } finally {
    sys.machine.close();
  }
}

const binary = hasGuestToolchain() ? await buildNtFuzz() : null;

Deno.test({
  name: "win32 fuzz: 100,000 random native calls never break the executive",
  ignore: binary === null,
  async fn() {
    const r = await runNtFuzz(binary!, 50, 2000, 1, 2_000_000_000);
    assert.deepEqual(r.log.filter((l) => /kernel error/.test(l)), []);
    assert.match(r.output, /ntfuzz: 50 rounds, \d+ completed, \d+ faulted, 0 other\r*\n/);
    assert.equal(r.status, 0, `${r.reason} ${r.detail} ${r.output}`);
  },
});
