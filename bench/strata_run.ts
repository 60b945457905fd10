/**
 * One Strata run in a process of its own, for `deno task compare`: boots one
 * machine on the given engine, runs the command to its end, and prints one
 * line of JSON with the guest's status, console output, instructions
 * retired, simulated cycles, the wall time of the run (boot included) and
 * the wall and process CPU time at each mark (simulated cycle counts,
 * reached through clock events, so each lands at the same instruction in
 * every run). `deno task compare` and `bench/hot_window.ts` run it.
 *
 * A process that runs one machine is what a user's `deno task start` is;
 * several machines in one process meet each other's optimized code, field
 * representations and garbage (see "A second machine in the same process"
 * in `docs/performance_log.md`), which moves kernel rows by up to 2x.
 *
 * ```sh
 * deno run -A bench/strata_run.ts jit "/bin/bench_getpid 420000" 5000000 40000000
 * # {"status":0,"output":"...","instret":...,"cycles":...,"ns":...,"marks":[...]}
 * ```
 *
 * @module
 */

import process from "node:process";
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
  /** Process CPU time (user + system, all threads), ns from the run's start, at each mark. */
  cpuMarks: number[];
}

function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

const USAGE = 'strata_run.ts interp|jit|jit:THRESHOLD "CMD" [MARK_CYCLES...]';

/**
 * Runs this script in a child process and returns its report; throws an
 * `Error` with a one-line message when the child fails, the guest's status
 * is not 0 or the run ends before its last mark.
 *
 * @param engine `interp`, `jit` or `jit:THRESHOLD`
 * @param cmd the guest command
 * @param marks simulated cycle counts, ascending
 * @returns the child's report
 * @example
 * ```ts
 * import { runStrataChild } from "./strata_run.ts";
 * const r = await runStrataChild("jit", "/bin/bench_getpid 420000", [5e6, 40e6]);
 * console.log((r.marks[1] - r.marks[0]) / 1e6, "ms between the marks");
 * ```
 */
export async function runStrataChild(
  engine: string,
  cmd: string,
  marks: readonly number[] = [],
): Promise<StrataRunReport> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, engine, cmd, ...marks.map(String)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
  if (!out.success || !text.startsWith("{")) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").pop() ?? "";
    throw new Error(`strata ${engine} ${cmd}: the run failed (${err})`);
  }
  const r = JSON.parse(text) as StrataRunReport;
  if (r.status !== 0) throw new Error(`strata ${engine} ${cmd}: status ${r.status}`);
  if (r.marks.length !== marks.length) {
    throw new Error(`strata ${engine} ${cmd}: ended before its last mark`);
  }
  return r;
}

async function main(): Promise<void> {
  const [engineName, cmd, ...markText] = Deno.args;
  if (engineName === undefined || cmd === undefined) throw new Error(`usage: ${USAGE}`);
  const spec = parseEngineSpec(engineName);
  const marks = markText.map(Number);
  if (marks.some((m, i) => !Number.isSafeInteger(m) || m <= (marks[i - 1] ?? 0))) {
    throw new RangeError(`marks must be ascending positive integers: ${markText.join(" ")}`);
  }
  const at: number[] = [];
  const cpuAt: number[] = [];
  const t0 = performance.now(), c0 = cpuNs();
  const r = await runWithMarks(cmd, spec, marks, () => {
    at.push(performance.now());
    cpuAt.push(cpuNs());
  });
  const ns = (performance.now() - t0) * 1e6;
  const report: StrataRunReport = {
    status: r.status,
    output: r.output,
    instret: r.instret,
    cycles: r.cycles,
    ns,
    marks: at.map((t) => (t - t0) * 1e6),
    cpuMarks: cpuAt.map((c) => c - c0),
  };
  console.log(JSON.stringify(report));
}

if (import.meta.main) await runMain("strata_run", main, USAGE);
