/**
 * Guest-side fuzzing on a real Strata machine: `guest/syscall_fuzz.c` forks
 * children that make thousands of random system calls with random arguments.
 * Children may kill themselves; the kernel and the personality must not
 * fail (no "kernel error" in the log), the parent must finish, and the same
 * seed must give the same simulated run.
 */
import assert from "node:assert/strict";
import { buildGuestProgram, hasGuestToolchain } from "../../../../userland/mod.ts";
import { boot, type GuestResult } from "../../../../system/boot.ts";
import { writeGuestFile } from "./strata_runner.ts";
import { assertFinished, guarded } from "../../../guest_guard.ts";

const SOURCE = new URL("guest/syscall_fuzz.c", import.meta.url).pathname;

async function build(): Promise<Uint8Array> {
  const dir = await Deno.makeTempDir({ prefix: "strata_fuzz_" });
  try {
    await buildGuestProgram([SOURCE], `${dir}/syscall_fuzz`);
    return await Deno.readFile(`${dir}/syscall_fuzz`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// Built from C, so it needs clang and ld.lld; a machine with only Deno skips it.
const binary = hasGuestToolchain() ? await build() : null;

async function fuzz(rounds: number, calls: number, seed: number): Promise<GuestResult> {
  const sys = await boot(
    // The runs need at most ~12 M cycles.
    guarded({ cmd: `/tmp/syscall_fuzz ${rounds} ${calls} ${seed}`, maxCycles: 300_000_000 }),
    { kind: "buffer" },
  );
  try {
    writeGuestFile(sys.kernel, "/tmp/syscall_fuzz", binary!, 0o755);
    return assertFinished(await sys.run(), `syscall_fuzz seed ${seed}`);
  } finally {
    sys.machine.close();
  }
}

Deno.test({
  name: "random system calls from guest processes never break the kernel",
  ignore: binary === null,
  async fn() {
    for (const seed of [1, 2, 3]) {
      const r = await fuzz(40, 400, seed);
      const errors = r.log.filter((l) => /kernel error/.test(l));
      assert.deepEqual(errors, [], `seed ${seed}`);
      assert.equal(r.status, 0, `seed ${seed}: ${r.reason} ${r.detail} ${r.output}`);
      assert.match(r.output, /fuzz: 40 rounds, \d+ exited, \d+ killed/);
    }
  },
});

Deno.test({
  name: "fuzz runs are deterministic",
  ignore: binary === null,
  async fn() {
    const a = await fuzz(10, 300, 7);
    const b = await fuzz(10, 300, 7);
    assert.match(a.output, /fuzz: 10 rounds/);
    assert.equal(a.cycles, b.cycles);
    assert.equal(a.output, b.output);
    assert.deepEqual(a.log, b.log);
  },
});
