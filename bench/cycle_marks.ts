/**
 * A guest run with marks in simulated time: boots one machine, has the
 * clock call back at given cycle counts (events, so a mark costs nothing
 * between marks and lands at the same instruction in every run), and runs
 * the guest to its end. `bench/cg_window.ts` starts and stops callgrind at
 * its two marks; `bench/strata_run.ts` reads the host's CPU and wall time
 * at each of its marks.
 *
 * @module
 */

/** The end of a run with marks. */
export interface MarkedRun {
  /** The guest's exit status. */
  status: number;
  /** Simulated cycles of the whole run. */
  cycles: number;
  /** How many marks the run reached. */
  reached: number;
  /** Instructions retired. */
  instret: number;
  /** Console output. */
  output: string;
}

/**
 * Boots `cmd` on engine `cpu` (console output kept in a buffer), calls
 * `at(i)` when the clock reaches `marks[i]`, and runs to the end.
 *
 * @param cmd the guest command
 * @param cpu the CPU engine
 * @param marks cycle counts, ascending
 * @param at called at each mark with its index
 * @param hotThreshold the translator's hot threshold (default: the CPU's)
 * @returns the status, the cycles, the marks reached, the instructions and the output
 * @example
 * ```ts
 * import { runWithMarks } from "./cycle_marks.ts";
 * const r = await runWithMarks("/bin/bench_getpid 1000000", "jit", [1e7, 2e7], (i) => {
 *   console.log("mark", i, performance.now());
 * });
 * console.log(r.reached);
 * ```
 */
export async function runWithMarks(
  cmd: string,
  cpu: "interp" | "jit",
  marks: readonly number[],
  at: (i: number) => void,
  hotThreshold?: number,
): Promise<MarkedRun> {
  const { boot } = await import("../system/boot.ts");
  const sys = await boot({ cmd, cpu, hotThreshold }, { kind: "buffer" });
  let reached = 0;
  try {
    marks.forEach((m, i) =>
      sys.machine.clock.scheduleAt(m, () => {
        reached++;
        at(i);
      })
    );
    const r = await sys.run();
    return { status: r.status, cycles: r.cycles, reached, instret: r.instret, output: r.output };
  } finally {
    sys.machine.close();
  }
}
