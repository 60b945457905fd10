/**
 * The long ext2 sweeps (`deno task ext2-sweep`): the corrupt-image fuzz over
 * SEEDS mutated images (default 1,200) and the power-cut harness cut at every
 * disk write of its workload. The main test suite runs a sample of each
 * (`tests/plugins/ext2/corrupt_test.ts`, `power_cut_test.ts`). Fails (exit 1)
 * on the first seed or cut that breaks a rule, naming it so it can be
 * replayed.
 *
 * Usage: deno task ext2-sweep [SEEDS]
 */
import { baseImage, exercise, mutate } from "../plugins/ext2/corrupt.ts";
import { powerCutRun, recordWrites } from "../plugins/ext2/power_cut.ts";

const seeds = Number(Deno.args[0] ?? 1200);
const { image, regions } = baseImage();
const outcomes = new Map<string, number>();
let t0 = performance.now();
for (let seed = 1; seed <= seeds; seed++) {
  const { image: bad, what } = mutate(image, regions, seed);
  try {
    const r = exercise(bad);
    outcomes.set(r, (outcomes.get(r) ?? 0) + 1);
  } catch (e) {
    console.error(`corrupt seed ${seed} (${what}): ${e}`);
    Deno.exit(1);
  }
}
console.log(
  `corrupt images: ${seeds} seeds, ${[...outcomes].map(([k, v]) => `${v} ${k}`).join(", ")} ` +
    `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);

t0 = performance.now();
const total = recordWrites();
const repaired = new Map<string, number>();
for (let cut = 0; cut <= total; cut++) {
  const r = powerCutRun(cut);
  if (!r.ok) {
    console.error(`power cut at write ${cut}: ${r.detail}`);
    Deno.exit(1);
  }
  repaired.set(r.repair, (repaired.get(r.repair) ?? 0) + 1);
}
console.log(
  `power cuts: ${total + 1} cut points, ${[...repaired].map(([k, v]) => `${v} ${k}`).join(", ")} ` +
    `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);
