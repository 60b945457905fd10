/**
 * The kernel's hot paths as whole guest programs: a null system call
 * (`bench_getpid`), `sched_yield` with a switch (`bench_yield`), a pipe
 * round trip (`bench_pipe`), a futex round trip between two threads
 * (`bench_thread_switch`) and fork + exit + wait (`bench_fork`). For each, the host CPU time (user + system of
 * this process) and the bytes the V8 heap allocated per operation, as the
 * difference of a run with N2 and one with N1 (boot, exec and exit cancel
 * out), and the simulated cycles per operation, which must not vary.
 *
 * `deno run -A bench/hot_paths.ts [--rounds 3] [--cpu interp|jit] [--start 2^32]
 * [--only getpid,yield,pipe,futex,fork]`
 * prints the figures of this tree (`--start`: the clock starts at that cycle
 * count, see {@link lateStart}); `bench/hot_path_ab.ts` compares two trees.
 * Allocation comes from V8's `total_allocated_bytes` counter (every
 * allocation, also those collected young), so "0 bytes per operation" means
 * no allocation on the path, within a small noise of a few bytes from
 * boot-time variation spread over the N difference.
 *
 * @module
 */

import process from "node:process";
import v8 from "node:v8";
import { parseArgs } from "node:util";
import { runMain } from "./run_main.ts";

/** One hot-path program and its N values. */
export interface HotPathSpec {
  /** Short name (the A/B tool's `--only`). */
  name: string;
  /** Program in `/bin`. */
  program: string;
  /** The smaller N. */
  n1: number;
  /** The larger N. */
  n2: number;
  /** Operations per unit of N. */
  opsPerN: number;
}

/** The hot paths measured. */
export const HOT_PATHS: HotPathSpec[] = [
  { name: "getpid", program: "bench_getpid", n1: 100_000, n2: 3_100_000, opsPerN: 1 },
  // Parent and child each yield N times: 2N yields, each a switch.
  { name: "yield", program: "bench_yield", n1: 20_000, n2: 620_000, opsPerN: 2 },
  { name: "pipe", program: "bench_pipe", n1: 52_000, n2: 302_000, opsPerN: 1 },
  { name: "futex", program: "bench_thread_switch", n1: 52_000, n2: 302_000, opsPerN: 1 },
  { name: "fork", program: "bench_fork", n1: 100, n2: 5_100, opsPerN: 1 },
];

/** What a boot module must offer: `runGuest` of `system/boot.ts`. */
export type RunGuest = (options: { cmd: string; cpu?: "interp" | "jit" }) => Promise<{
  status: number;
  output: string;
  cycles: number;
}>;

/** What `boot` of `system/boot.ts` offers, as far as {@link lateStart} needs it. */
export type BootFn = (
  options: { cmd: string; cpu?: "interp" | "jit" },
  console: { kind: "buffer" },
) => Promise<{
  machine: { clock: { advanceTo(time: number): void }; close(): void };
  run(): Promise<{ status: number; output: string; cycles: number }>;
}>;

/**
 * A {@link RunGuest} whose machine's clock starts at `startCycles`: the
 * machine boots as usual, then its clock moves forward (as over an idle
 * gap, firing whatever comes due) before init runs, so that the program
 * runs with cycle counts past V8's small-integer range (2^30) or past 2^32,
 * as a long-running machine does, without simulating the time before.
 */
export function lateStart(boot: BootFn, startCycles: number): RunGuest {
  return async (options) => {
    const sys = await boot(options, { kind: "buffer" });
    try {
      sys.machine.clock.advanceTo(startCycles);
      return await sys.run();
    } finally {
      sys.machine.close();
    }
  };
}

/** Parses a cycle count given as a number or as `2^K`. */
export function parseCycles(text: string): number {
  const m = /^2\^(\d+)$/.exec(text);
  const v = m !== null ? 2 ** Number(m[1]) : Number(text);
  if (!Number.isSafeInteger(v) || v < 0) throw new HotPathError(`bad cycle count '${text}'`);
  return v;
}

/** One run's figures. */
export interface HotPathRun {
  /** Process CPU time, ns. */
  cpuNs: number;
  /** Bytes the V8 heap allocated during the run. */
  bytes: number;
  /** Simulated cycles at the end. */
  cycles: number;
}

/** Raised when a program does not print its `ok N` line. */
export class HotPathError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HotPathError";
  }
}

/** Bytes the V8 heap has allocated so far (the typings of `node:v8` lack this field). */
function allocatedBytes(): number {
  const stats = v8.getHeapStatistics() as unknown as { total_allocated_bytes?: number };
  const b = stats.total_allocated_bytes;
  if (b === undefined) throw new HotPathError("this runtime does not report total_allocated_bytes");
  return b;
}

/** Runs `program n` once on a fresh machine and measures it. */
export async function runHotPath(
  runGuest: RunGuest,
  program: string,
  n: number,
  cpu: "interp" | "jit",
): Promise<HotPathRun> {
  const b0 = allocatedBytes();
  const c0 = process.cpuUsage();
  const r = await runGuest({ cmd: `/bin/${program} ${n}`, cpu });
  const c = process.cpuUsage(c0);
  const bytes = allocatedBytes() - b0;
  if (r.status !== 0 || r.output.replace(/\r+\n/g, "\n") !== `ok ${n}\n`) {
    throw new HotPathError(
      `${program} ${n}: status ${r.status}, output ${JSON.stringify(r.output)}`,
    );
  }
  return { cpuNs: (c.user + c.system) * 1000, bytes, cycles: r.cycles };
}

/** Per-operation figures of one N1/N2 pair. */
export interface HotPathFigure {
  /** Host CPU ns per operation. */
  ns: number;
  /** Bytes allocated per operation. */
  bytes: number;
  /** Simulated cycles per operation. */
  cycles: number;
}

/** Runs N1 then N2 and returns the per-operation difference. */
export async function measureHotPath(
  runGuest: RunGuest,
  spec: HotPathSpec,
  cpu: "interp" | "jit",
): Promise<HotPathFigure> {
  const a = await runHotPath(runGuest, spec.program, spec.n1, cpu);
  const b = await runHotPath(runGuest, spec.program, spec.n2, cpu);
  const ops = (spec.n2 - spec.n1) * spec.opsPerN;
  return {
    ns: (b.cpuNs - a.cpuNs) / ops,
    bytes: (b.bytes - a.bytes) / ops,
    cycles: (b.cycles - a.cycles) / ops,
  };
}

/** Median of `xs` (the upper one of an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "3" },
      cpu: { type: "string", default: "interp" },
      start: { type: "string", default: "0" },
      only: { type: "string" },
    },
  });
  const only = values.only?.split(",");
  const cpu = values.cpu === "jit" ? "jit" : "interp";
  const rounds = Math.max(1, Number(values.rounds));
  const start = parseCycles(values.start);
  const mod = await import("../system/boot.ts");
  const runGuest = start > 0 ? lateStart(mod.boot, start) : mod.runGuest;
  for (const spec of HOT_PATHS.filter((s) => only === undefined || only.includes(s.name))) {
    await runHotPath(runGuest, spec.program, spec.n1, cpu); // warm-up
    const figs: HotPathFigure[] = [];
    for (let i = 0; i < rounds; i++) figs.push(await measureHotPath(runGuest, spec, cpu));
    const ns = figs.map((f) => f.ns), bytes = figs.map((f) => f.bytes);
    console.log(
      `${spec.name.padEnd(7)} ${cpu}: CPU ns/op median ${median(ns).toFixed(0)} ` +
        `(${Math.min(...ns).toFixed(0)}-${Math.max(...ns).toFixed(0)}), ` +
        `bytes/op median ${median(bytes).toFixed(1)} ` +
        `(${Math.min(...bytes).toFixed(1)} to ${Math.max(...bytes).toFixed(1)}), ` +
        `cycles/op ${figs[0].cycles.toFixed(1)}`,
    );
  }
}

if (import.meta.main) {
  await runMain(
    "hot_paths",
    main,
    "deno run -A bench/hot_paths.ts [--rounds 3] [--cpu interp|jit] [--start 2^32]\n  [--only getpid,yield,pipe,futex,fork]",
  );
}
