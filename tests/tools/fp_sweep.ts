/**
 * Long differential sweep of the F/D unit against qemu-riscv32:
 * `deno task test:fpu-sweep [millions] [seed] [name-regexp]` runs that many
 * random operations (default 2 million) through both and prints the first
 * disagreements. Exits 1 on any difference.
 *
 * @module
 */

import {
  buildFpProbe,
  compare,
  haveTools,
  randomVectors,
  runQemu,
  runStrata,
} from "../hw/fp_diff.ts";

if (import.meta.main) {
  if (!haveTools()) {
    console.error("test:fpu-sweep needs clang and qemu-riscv32");
    Deno.exit(2);
  }
  const millions = Number(Deno.args[0] ?? 2);
  const seed = Number(Deno.args[1] ?? Date.now() % 1_000_000_007);
  const filter = Deno.args[2] ? new RegExp(Deno.args[2]) : undefined;
  const probe = buildFpProbe();
  const batch = 500_000;
  let failed = 0;
  for (let done = 0, i = 0; done < millions * 1e6; done += batch, i++) {
    const records = randomVectors(batch, seed + i, filter);
    const bad = compare(records, await runQemu(probe, records), runStrata(records), 20);
    if (bad.length > 0) {
      failed += bad.length;
      console.log(bad.join("\n"));
    }
    console.log(`${done + batch} operations, seed ${seed + i}: ${bad.length} differences`);
  }
  Deno.exit(failed > 0 ? 1 : 0);
}
