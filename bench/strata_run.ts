/**
 * One Strata run in a process of its own, for `deno task compare`: boots one
 * machine on the given engine, runs the command to its end, and prints one
 * line of JSON with the guest's status, console output, instructions
 * retired, simulated cycles, the wall time of the run (boot included) and
 * the wall time at each mark (simulated cycle counts, reached through clock
 * events, so each lands at the same instruction in every run).
 *
 * A process that runs one machine is what a user's `deno task start` is;
 * several machines in one process meet each other's optimized code, field
 * representations and garbage (see "A second machine in the same process"
 * in `docs/performance.md`), which moves kernel rows by up to 2x.
 *
 * ```sh
 * deno run -A bench/strata_run.ts jit "/bin/bench_getpid 420000" 5000000 40000000
 * # {"status":0,"output":"...","instret":...,"cycles":...,"ns":...,"marks":[...]}
 * ```
 *
 * @module
 */

import { runMain } from "./run_main.ts";
import { runWithMarks } from "./cycle_marks.ts";
import { parseEngineSpec } from "./engine_spec.ts";

/** What the run printed, as the parent reads it. */
export interface StrataRunReport {
  /** The guest's exit status. */
  status: number;
  /** Console output (newlines as the guest wrote them). */
  output: string;
  /** Instructions retired. */
  instret: number;
  /** Simulated cycles of the whole run. */
  cycles: number;
  /** Wall time of the whole run (machine creation and boot included), ns. */
  ns: number;
  /** Wall time, ns from the run's start, at each mark the run reached. */
  marks: number[];
}

const USAGE = 'strata_run.ts interp|jit|jit:THRESHOLD "CMD" [MARK_CYCLES...]';

async function main(): Promise<void> {
  const [engineName, cmd, ...markText] = Deno.args;
  if (engineName === undefined || cmd === undefined) throw new Error(`usage: ${USAGE}`);
  const { engine, hotThreshold } = parseEngineSpec(engineName);
  const marks = markText.map(Number);
  if (marks.some((m, i) => !Number.isSafeInteger(m) || m <= (marks[i - 1] ?? 0))) {
    throw new RangeError(`marks must be ascending positive integers: ${markText.join(" ")}`);
  }
  const at: number[] = [];
  const t0 = performance.now();
  const r = await runWithMarks(cmd, engine, marks, () => at.push(performance.now()), hotThreshold);
  const ns = (performance.now() - t0) * 1e6;
  const report: StrataRunReport = {
    status: r.status,
    output: r.output,
    instret: r.instret,
    cycles: r.cycles,
    ns,
    marks: at.map((t) => (t - t0) * 1e6),
  };
  console.log(JSON.stringify(report));
}

if (import.meta.main) await runMain("strata_run", main, USAGE);
