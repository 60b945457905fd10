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

import type { EngineSpec } from "./engine_spec.ts";

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
 * Boots `cmd` on engine `spec` (console output kept in a buffer), calls
 * `at(i)` when the clock reaches `marks[i]`, and runs to the end.
 *
 * @param cmd the guest command
 * @param spec the CPU engine, its back end and hot threshold (`bench/engine_spec.ts`)
 * @param marks cycle counts, ascending
 * @param at called at each mark with its index
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
  spec: EngineSpec,
  marks: readonly number[],
  at: (i: number) => void,
): Promise<MarkedRun> {
  const { boot } = await import("../system/boot.ts");
  const sys = await boot({
    cmd,
    cpu: spec.engine,
    hotThreshold: spec.hotThreshold,
    jitBackend: spec.jitBackend,
  }, { kind: "buffer" });
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
