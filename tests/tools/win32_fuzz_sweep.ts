/**
 * The long sweep of the Win32 native-call fuzzer (`deno task fuzz:win32`):
 * `tests/plugins/personalities/win32/guest/ntfuzz.c` on a Strata machine,
 * SEEDS seeds of ROUNDS child processes making CALLS random native calls
 * each (default 20 x 50 x 5000 = 5 million calls). Fails (exit 1) on a
 * kernel error in the log, a run that does not finish, or a child that
 * ends other than normally or by its own access violation. The main suite
 * runs 100,000 calls of the same program (`native_fuzz_test.ts`).
 *
 * Usage: deno task fuzz:win32 [SEEDS] [ROUNDS] [CALLS]
 */
import { buildNtFuzz, runNtFuzz } from "../plugins/personalities/win32/native_fuzz_test.ts";

const [seeds, rounds, calls] = [20, 50, 5000].map((d, i) => Number(Deno.args[i] ?? d));
const binary = await buildNtFuzz();
let failures = 0, faulted = 0;
const t0 = performance.now();
for (let seed = 1; seed <= seeds; seed++) {
  const r = await runNtFuzz(binary, rounds, calls, seed, rounds * calls * 20_000, 600_000);
  const errors = r.log.filter((l) => /kernel error/.test(l));
  const m = /ntfuzz: (\d+) rounds, (\d+) completed, (\d+) faulted, (\d+) other/.exec(r.output);
  if (errors.length > 0 || r.status !== 0 || m === null || m[4] !== "0") {
    failures++;
    console.error(
      `seed ${seed}: status ${r.status} (${r.reason}) ${r.output} ${errors.join("\n")}`,
    );
  } else faulted += Number(m[3]);
}
console.log(
  `win32 fuzz sweep: ${seeds * rounds * calls} native calls from ${seeds * rounds} processes ` +
    `(${faulted} ended by their own access violation), ${failures} failing seeds, ` +
    `${Math.round((performance.now() - t0) / 1000)} s`,
);
Deno.exit(failures === 0 ? 0 : 1);
