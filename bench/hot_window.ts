/**
 * The kernel's hot paths in their steady state, one machine per process:
 * each sample is a fresh child process (`bench/strata_run.ts`) that boots
 * one machine, runs a hot path program with a large N, and reads the host
 * CPU time (user + system of the process) and wall time at fixed simulated
 * cycles, through clock events. Each window between two marks gives ns per operation (the
 * window's cycles over the program's cycles per operation), after boot,
 * with no other machine in the process.
 *
 * `bench/hot_paths.ts` boots a new machine per run inside one process; V8's
 * optimized code there also meets the objects and closures of the machines
 * before (and throws code away when a collection frees them), which a
 * process that runs one machine never does. This script measures what
 * such a process sees once warm.
 *
 * `deno run -A bench/hot_window.ts [--cpu interp|jit] [--samples 3]
 * [--only getpid,yield,pipe,futex]` prints, per path, each sample's
 * windows (CPU ns / wall ns per operation) and the median of the samples'
 * last windows.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { runMain } from "./run_main.ts";
import { runStrataChild } from "./strata_run.ts";
import { HOT_PATHS } from "./hot_paths.ts";

/** One steady-state path: a row of `bench/hot_paths.ts`, its N here and its simulated cycles per operation. */
export interface WindowSpec {
  /** The row's name in {@link HOT_PATHS} (its program). */
  name: string;
  /** N: long enough to pass the last mark. */
  n: number;
  /** Simulated cycles per operation (fixed: the cost model's, as `bench/hot_paths.ts` prints them). */
  cyclesPerOp: number;
}

/** The paths measured. */
export const WINDOW_PATHS: WindowSpec[] = [
  { name: "getpid", n: 14_000_000, cyclesPerOp: 121 },
  // Two yields per N, each a switch.
  { name: "yield", n: 4_000_000, cyclesPerOp: 426 },
  { name: "pipe", n: 1_400_000, cyclesPerOp: 1183.2 },
  { name: "futex", n: 1_400_000, cyclesPerOp: 1174.1 },
];

/** The simulated cycles where the windows start and end. */
export const MARKS = [100e6, 400e6, 700e6, 1000e6, 1300e6, 1600e6];

const USAGE = "deno run -A bench/hot_window.ts [--cpu interp|jit] [--samples 3] " +
  "[--only getpid,yield,pipe,futex]";

/** One sample: a child process (`bench/strata_run.ts`); its windows as [cpu ns, wall ns] per operation. */
async function sample(spec: WindowSpec, cpu: string): Promise<number[][]> {
  const program = HOT_PATHS.find((p) => p.name === spec.name)!.program;
  const r = await runStrataChild(cpu, `/bin/${program} ${spec.n}`, MARKS);
  const windows = [];
  for (let i = 1; i < MARKS.length; i++) {
    const ops = (MARKS[i] - MARKS[i - 1]) / spec.cyclesPerOp;
    windows.push([
      (r.cpuMarks[i] - r.cpuMarks[i - 1]) / ops,
      (r.marks[i] - r.marks[i - 1]) / ops,
    ]);
  }
  return windows;
}

await runMain("hot_window", async () => {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      cpu: { type: "string", default: "jit" },
      samples: { type: "string", default: "3" },
      only: { type: "string" },
    },
  });
  const cpu = values.cpu;
  if (cpu !== "interp" && cpu !== "jit") throw new Error(`--cpu takes interp or jit`);
  const samples = Number(values.samples);
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`bad --samples`);
  const names = values.only?.split(",");
  const specs = WINDOW_PATHS.filter((s) => names === undefined || names.includes(s.name));
  if (names !== undefined && specs.length !== names.length) throw new Error(`unknown --only name`);
  for (const spec of specs) {
    const last: number[] = [];
    for (let i = 0; i < samples; i++) {
      const w = await sample(spec, cpu);
      last.push(w[w.length - 1][0]);
      const shown = w.map(([c, t]) => `${c.toFixed(0)}/${t.toFixed(0)}`).join(" ");
      console.log(`${spec.name.padEnd(7)} ${cpu}: CPU/wall ns per op by window ${shown}`);
    }
    last.sort((a, b) => a - b);
    console.log(
      `${spec.name.padEnd(7)} ${cpu}: last window, median CPU ns/op ${
        last[last.length >> 1].toFixed(0)
      }`,
    );
  }
}, USAGE);
