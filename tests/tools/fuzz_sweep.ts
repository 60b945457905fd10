/**
 * The long sweep of the guest system-call fuzzer (`deno task fuzz`):
 * `tests/plugins/personalities/unix/guest/syscall_fuzz.c` on a 64 MiB Strata
 * machine, SEEDS seeds of ROUNDS child processes making CALLS random calls
 * each (default 50 x 100 x 500 = 2.5 million calls from 5,000 processes).
 * Fails (exit 1) on a kernel error in the log, a run that does not finish,
 * or a parent that does not report every round. The main test suite runs a
 * small sample of the same program (`guest_fuzz_test.ts`).
 *
 * Usage: deno task fuzz [SEEDS] [ROUNDS] [CALLS]
 */
import { buildGuestProgram } from "../../userland/mod.ts";
import { boot } from "../../system/boot.ts";
import { writeGuestFile } from "../plugins/personalities/unix/strata_runner.ts";

const [seeds, rounds, calls] = [50, 100, 500].map((d, i) => Number(Deno.args[i] ?? d));
const source = new URL("../plugins/personalities/unix/guest/syscall_fuzz.c", import.meta.url);
const dir = await Deno.makeTempDir({ prefix: "strata_fuzz_sweep_" });
await buildGuestProgram([source.pathname], `${dir}/syscall_fuzz`);
const binary = await Deno.readFile(`${dir}/syscall_fuzz`);
await Deno.remove(dir, { recursive: true });

let failures = 0, killed = 0;
const t0 = performance.now();
for (let seed = 1; seed <= seeds; seed++) {
  const sys = await boot({
    cmd: `/tmp/syscall_fuzz ${rounds} ${calls} ${seed}`,
    maxCycles: 50 * rounds * calls * 1000,
  }, { kind: "buffer" });
  writeGuestFile(sys.kernel, "/tmp/syscall_fuzz", binary, 0o755);
  const r = await sys.run();
  sys.machine.close();
  const errors = r.log.filter((l) => /kernel error/.test(l));
  const m = /fuzz: (\d+) rounds, (\d+) exited, (\d+) killed/.exec(r.output);
  if (errors.length > 0 || r.status !== 0 || m === null || Number(m[1]) !== rounds) {
    failures++;
    console.error(
      `seed ${seed}: status ${r.status} (${r.reason}) ${r.output} ${errors.join("\n")}`,
    );
  } else killed += Number(m[3]);
}
const total = seeds * rounds * calls;
console.log(
  `fuzz sweep: ${total} calls from ${seeds * rounds} processes (${killed} killed by their own ` +
    `calls), ${failures} failing seeds, ${Math.round((performance.now() - t0) / 1000)} s`,
);
Deno.exit(failures === 0 ? 0 : 1);
