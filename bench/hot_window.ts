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
 * `deno run -A bench/hot_window.ts [--cpu interp|jit|jit:THRESHOLD] [--samples 3]
 * [--only getpid,yield,pipe,futex,fork] [--fine]` prints, per path, each
 * sample's windows (CPU ns / wall ns per operation) and the median of the
 * samples' last windows.
 *
 * `--fine` marks every 20 M cycles from 100 M to 420 M instead, and
 * summarizes each sample by the middle of the fastest three of its last six
 * windows (wall time). This host runs a process at one of two speeds, about
 * 1.7x apart, and switches between them for reasons outside the process
 * (`docs/performance_log.md`, "Where the kernel rows' spread comes from"): short
 * windows show the two, and this summary is the fast one, what the code
 * costs on a quiet host.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { runMain } from "./run_main.ts";
import { runStrataChild } from "./strata_run.ts";
import { HOT_PATHS, median } from "./hot_paths.ts";
import { parseEngineSpec } from "./engine_spec.ts";

/** One steady-state path: a row of `bench/hot_paths.ts` and its simulated cycles per operation (N follows from the marks). */
export interface WindowSpec {
  /** The row's name in {@link HOT_PATHS} (its program). */
  name: string;
  /** Simulated cycles per operation (fixed: the cost model's, as `bench/hot_paths.ts` prints them). */
  cyclesPerOp: number;
}

/** The paths measured. */
export const WINDOW_PATHS: WindowSpec[] = [
  { name: "getpid", cyclesPerOp: 121 },
  // Two yields per N, each a switch.
  { name: "yield", cyclesPerOp: 426 },
  { name: "pipe", cyclesPerOp: 1183.2 },
  { name: "futex", cyclesPerOp: 1174.1 },
  { name: "fork", cyclesPerOp: 5128 },
];

/** The simulated cycles where the windows start and end. */
export const MARKS = [100e6, 400e6, 700e6, 1000e6, 1300e6, 1600e6];

/** The marks of `--fine`: every 20 M cycles from 100 M to 420 M. */
export const FINE_MARKS = Array.from({ length: 17 }, (_, i) => 100e6 + i * 20e6);

/**
 * A sample's fast-speed figure: the middle of the fastest three of its last
 * six windows' wall ns per operation.
 *
 * @param windows the sample's windows, as [CPU ns, wall ns] per operation
 * @returns wall ns per operation
 * @example
 * ```ts
 * import { fastWindow } from "./hot_window.ts";
 * fastWindow([[9, 9], [8, 8], [15, 15], [8, 8], [14, 14], [9, 9]]); // 8
 * ```
 */
export function fastWindow(windows: readonly (readonly number[])[]): number {
  const wall = windows.slice(-6).map((w) => w[1]).sort((a, b) => a - b);
  return wall[Math.min(1, wall.length - 1)];
}

const USAGE = "deno run -A bench/hot_window.ts [--cpu interp|jit|jit:THRESHOLD] [--samples 3] " +
  "[--only getpid,yield,pipe,futex,fork] [--fine]";

/** One sample: a child process (`bench/strata_run.ts`); its windows as [cpu ns, wall ns] per operation. */
async function sample(spec: WindowSpec, cpu: string, marks: number[]): Promise<number[][]> {
  const path = HOT_PATHS.find((p) => p.name === spec.name)!;
  // N: a tenth past the last mark.
  const n = Math.ceil(marks[marks.length - 1] * 1.1 / (spec.cyclesPerOp * path.opsPerN));
  const r = await runStrataChild(cpu, `/bin/${path.program} ${n}`, marks);
  const windows = [];
  for (let i = 1; i < marks.length; i++) {
    const ops = (marks[i] - marks[i - 1]) / spec.cyclesPerOp;
    windows.push([
      (r.cpuMarks[i] - r.cpuMarks[i - 1]) / ops,
      (r.marks[i] - r.marks[i - 1]) / ops,
    ]);
  }
  return windows;
}

if (import.meta.main) {
  await runMain("hot_window", async () => {
    const { values } = parseArgs({
      args: Deno.args,
      options: {
        cpu: { type: "string", default: "jit" },
        samples: { type: "string", default: "3" },
        only: { type: "string" },
        fine: { type: "boolean", default: false },
      },
    });
    const cpu = values.cpu;
    parseEngineSpec(cpu); // interp, jit or jit:THRESHOLD, as bench/strata_run.ts takes them
    const samples = Number(values.samples);
    if (!Number.isInteger(samples) || samples < 1) throw new Error(`bad --samples`);
    const names = values.only?.split(",");
    const specs = WINDOW_PATHS.filter((s) => names === undefined || names.includes(s.name));
    if (names !== undefined && specs.length !== names.length) {
      throw new Error(`unknown --only name`);
    }
    const marks = values.fine ? FINE_MARKS : MARKS;
    for (const spec of specs) {
      const last: number[] = [];
      const fast: number[] = [];
      for (let i = 0; i < samples; i++) {
        const w = await sample(spec, cpu, marks);
        last.push(w[w.length - 1][0]);
        fast.push(fastWindow(w));
        const shown = w.map(([c, t]) => `${c.toFixed(0)}/${t.toFixed(0)}`).join(" ");
        console.log(`${spec.name.padEnd(7)} ${cpu}: CPU/wall ns per op by window ${shown}`);
      }
      console.log(
        values.fine
          ? `${spec.name.padEnd(7)} ${cpu}: fast speed, wall ns/op median ${
            median(fast).toFixed(1)
          } (fastest sample ${Math.min(...fast).toFixed(1)})`
          : `${spec.name.padEnd(7)} ${cpu}: last window, median CPU ns/op ${
            median(last).toFixed(0)
          }`,
      );
    }
  }, USAGE);
}
