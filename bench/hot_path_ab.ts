/**
 * Before/after figures of the kernel's hot paths: a git revision (extracted
 * with `git archive` into a temporary directory) and this working tree run
 * the programs of `bench/hot_paths.ts` in one process, alternating, with the
 * order swapped every round so that a slow spell of a shared host hits both
 * sides. Prints, per operation, the median and range of host CPU ns and of
 * bytes allocated, and checks that the simulated cycles are the same.
 *
 * `deno run -A bench/hot_path_ab.ts [--base main] [--rounds 9]
 * [--cpu interp|jit] [--only getpid,yield,pipe,futex]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  HOT_PATHS,
  type HotPathFigure,
  measureHotPath,
  median,
  type RunGuest,
  runHotPath,
} from "./hot_paths.ts";
import { runMain } from "./run_main.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Extracts `rev` of the repository into a fresh temporary directory; returns it. */
export async function extract(rev: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "strata_ab_" });
  const archive = new Deno.Command("git", {
    args: ["-C", ROOT, "archive", "--format=tar", rev],
    stdout: "piped",
  }).spawn();
  const untar = new Deno.Command("tar", { args: ["-x", "-C", dir], stdin: "piped" }).spawn();
  await archive.stdout.pipeTo(untar.stdin);
  const [a, u] = await Promise.all([archive.status, untar.status]);
  if (!a.success || !u.success) throw new Error(`cannot extract ${rev} (git archive / tar failed)`);
  return dir;
}

function range(xs: number[], digits: number): string {
  return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)} to ` +
    `${Math.max(...xs).toFixed(digits)})`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      base: { type: "string", default: "main" },
      rounds: { type: "string", default: "9" },
      cpu: { type: "string", default: "interp" },
      only: { type: "string" },
    },
  });
  const cpu = values.cpu === "jit" ? "jit" : "interp";
  const rounds = Math.max(1, Number(values.rounds));
  const only = values.only?.split(",");
  const specs = HOT_PATHS.filter((s) => only === undefined || only.includes(s.name));
  const dir = await extract(values.base);
  try {
    const before: RunGuest = (await import(join(dir, "system/boot.ts"))).runGuest;
    const after: RunGuest = (await import(join(ROOT, "system/boot.ts"))).runGuest;
    for (const spec of specs) {
      const figs: [HotPathFigure[], HotPathFigure[]] = [[], []];
      for (const g of [before, after]) await runHotPath(g, spec.program, spec.n1, cpu); // warm-up
      for (let i = 0; i < rounds; i++) {
        const order = i % 2 === 0 ? [0, 1] : [1, 0];
        for (const k of order) figs[k].push(await measureHotPath([before, after][k], spec, cpu));
      }
      const [b, a] = figs;
      if (b[0].cycles !== a[0].cycles) {
        console.log(`${spec.name}: SIMULATED CYCLES DIFFER: ${b[0].cycles} vs ${a[0].cycles}`);
      }
      console.log(
        `${spec.name.padEnd(7)} ${cpu}, ${rounds} rounds, CPU ns/op median (range): ` +
          `${values.base} ${range(b.map((f) => f.ns), 0)}, this tree ${
            range(a.map((f) => f.ns), 0)
          }; ` +
          `bytes/op: ${range(b.map((f) => f.bytes), 1)} vs ${range(a.map((f) => f.bytes), 1)}; ` +
          `cycles/op ${a[0].cycles.toFixed(1)}`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  await runMain(
    "hot_path_ab",
    main,
    "deno run -A bench/hot_path_ab.ts [--base main] [--rounds 9]\n  [--cpu interp|jit] [--only getpid,yield,pipe,futex]",
  );
}
