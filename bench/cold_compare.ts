/**
 * `deno task cold-compare`: how long short runs take in a fresh process,
 * with each CPU engine. Every sample is a new `deno run` of
 * `bench/cold_probe.ts`, so V8 starts cold each time (no optimized code, no
 * type feedback, no translated pages), as it does for a user's
 * `deno run -A mod.ts --cmd ...`.
 *
 * Every engine boots once first, uncounted (a checkout's first boot fills
 * Deno's caches for it). The samples are
 * interleaved: each round runs every case once on every engine (the
 * engines' order alternating from round to round), so a slow spell of the
 * shared host hits all of them alike. Per case and engine it prints the
 * median and range of
 *
 * - `run`: wall time of the run itself (machine creation, boot, the program),
 *   measured inside the child;
 * - `run cpu`: the child's CPU time (user + system, all threads: V8 compiles
 *   on background threads) over the same span;
 * - `proc`: wall time of the whole child, measured by this script (Deno's
 *   start-up and module loading included);
 *
 * and each engine's medians over the first engine's.
 *
 * With `--cachegrind`, each sample runs under `valgrind --tool=cachegrind
 * --cache-sim=no` with V8's `--predictable` (which compiles on the main
 * thread) and the table gives the host instructions of the whole child
 * process instead (`host M instr`, millions: Deno's start-up, module
 * loading, V8's compiles, the run). Those counts repeat to a fraction of a
 * per cent where times vary by tens, so a few rounds tell versions apart;
 * each sample takes 20 to 60 s.
 *
 * ```sh
 * deno task cold-compare [--rounds 40] [--sets bare,boot,unix,bench]
 *   [--engines interp,jit,jit:1000000000] [--only REGEXP] [--json out.json]
 *   [--cachegrind]
 * ```
 *
 * The set `programs` (not run unless named) holds longer runs of real
 * programs (`sort` of 20,000 and 100,000 lines, an `awk` loop, 102,000 pipe
 * round trips), each a few seconds.
 *
 * An engine is `interp`, `jit`, `jit-wasm` or `jit-js`, optionally `jit:THRESHOLD` (the
 * translator's hot threshold), optionally followed by `@TREE`: the probe of
 * another checkout of the project (`TREE/bench/cold_probe.ts`), to compare
 * two versions in one interleaved run.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ProbeResult } from "./cold_probe.ts";
import { runMain } from "./run_main.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PROBE = join(ROOT, "bench/cold_probe.ts");
const BARE = join(ROOT, "tests/baremetal/bin");
const BIN = join(ROOT, "userland/bin");

/** One workload of the comparison: the probe's arguments after the engine. */
export interface ColdCase {
  /** Set it belongs to (bare, boot, unix, bench, programs). */
  set: string;
  /** Row name. */
  name: string;
  /** Probe arguments after the engine: `bare FILE` or `cmd COMMAND [SHARE]`. */
  args: string[];
}

/** The cases, by set. */
export const COLD_CASES: readonly ColdCase[] = [
  ...["c_algorithms", "c_mixhash", "c_algorithms_rvc", "rv32ui_memory"].map((p) => ({
    set: "bare",
    name: p,
    args: ["bare", join(BARE, `${p}.elf`)],
  })),
  { set: "boot", name: "--cmd true", args: ["cmd", "true"] },
  ...["echo hi", "ls -l /bin | wc -l", "seq 1 300 | sort -r | head -2", "cat /proc/meminfo"]
    .map((c) => ({ set: "unix", name: c, args: ["cmd", c] })),
  // The compare programs with their smaller N (bench/compare.ts).
  ...[
    ["bench_int", 10_000],
    ["bench_mem", 100],
    ["bench_branch", 200],
    ["bench_calls", 100],
    ["bench_interp", 100],
    ["bench_mix", 500],
    ["bench_getpid", 20_000],
    ["bench_pipe", 2_000],
    ["bench_yield", 20_000],
    ["bench_fork", 200],
  ].map(([p, n]) => ({
    set: "bench",
    name: `${p} ${n}`,
    args: ["cmd", `/mnt/host/${p} ${n} > /dev/null`, BIN],
  })),
  // Programs that run for seconds, outside the benchmark set: where the
  // translator's compile costs and its tax on untranslated code show
  // (docs/performance_log.md, "`jit` as the default engine"). Not in the
  // default sets: a round takes about 25 s.
  ...[
    "seq 1 20000 | sort -r | tail -1",
    "seq 1 100000 | sort -r | tail -1",
    "awk 'BEGIN{for(i=0;i<300000;i++)s+=i; print s}'",
  ].map((c) => ({ set: "programs", name: c, args: ["cmd", c] })),
  {
    set: "programs",
    name: "bench_pipe 102000",
    args: ["cmd", "/mnt/host/bench_pipe 102000 > /dev/null", BIN],
  },
];

/** One sample: the probe's report and the whole process's wall time. */
interface Sample extends ProbeResult {
  /** Wall time of the child process, measured by the parent, ms. */
  outerMs: number;
  /** Host instructions of the child process, millions (`--cachegrind`), or NaN. */
  hostM: number;
}

/**
 * The total instruction count ("I refs") of a cachegrind summary on
 * `stderr`, or null if there is none.
 */
export function parseIrefs(stderr: string): number | null {
  const m = /\bI\s+refs:\s+([\d,]+)/.exec(stderr);
  return m === null ? null : Number(m[1].replaceAll(",", ""));
}

/** The command line of one sample: `deno run` of the probe, under cachegrind if asked. */
function sampleCommand(probe: string, args: string[], cachegrind: boolean): [string, string[]] {
  if (!cachegrind) return [Deno.execPath(), ["run", "-A", probe, ...args]];
  return ["valgrind", [
    "--tool=cachegrind",
    "--cache-sim=no",
    "--cachegrind-out-file=/dev/null",
    Deno.execPath(),
    "run",
    "-A",
    "--v8-flags=--predictable",
    probe,
    ...args,
  ]];
}

/** Runs one cold sample. */
async function sample(engine: string, c: ColdCase, cachegrind: boolean): Promise<Sample> {
  const [spec, tree] = engine.split("@");
  const probe = tree === undefined ? PROBE : join(tree, "bench/cold_probe.ts");
  const t0 = performance.now();
  const [cmd, args] = sampleCommand(probe, [spec, ...c.args], cachegrind);
  const out = await new Deno.Command(cmd, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const outerMs = performance.now() - t0;
  const err = new TextDecoder().decode(out.stderr);
  const line = err.split("\n").find((l) => l.startsWith("COLD "));
  if (!out.success || line === undefined) {
    throw new Error(`${engine} ${c.name}: exit ${out.code}: ${err.trim()}`);
  }
  const r = JSON.parse(line.slice(5)) as ProbeResult;
  if (r.status !== 0) throw new Error(`${engine} ${c.name}: status ${r.status}: ${err.trim()}`);
  const irefs = cachegrind ? parseIrefs(err) : null;
  if (cachegrind && irefs === null) throw new Error(`${engine} ${c.name}: no cachegrind summary`);
  return { ...r, outerMs, hostM: irefs === null ? NaN : irefs / 1e6 };
}

// The boot each engine runs first, uncounted (see main).
const WARM_CASE = COLD_CASES.find((c) => c.set === "boot")!;

/** Median of `xs` (not empty). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(xs: readonly number[]): string {
  const lo = Math.min(...xs), hi = Math.max(...xs);
  return `${median(xs).toFixed(1)} (${lo.toFixed(0)}-${hi.toFixed(0)})`;
}

function loadavg(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "?";
  }
}

type Metric = readonly [string, (s: Sample) => number];

const METRICS: readonly Metric[] = [
  ["run ms", (s: Sample) => s.runMs],
  ["run cpu ms", (s: Sample) => s.runCpuMs],
  ["proc ms", (s: Sample) => s.outerMs],
];

// Under cachegrind times mean little: the host instructions first.
const CG_METRICS: readonly Metric[] = [
  ["host M instr", (s: Sample) => s.hostM],
  ["run cpu ms", (s: Sample) => s.runCpuMs],
];

/** Prints the table of the samples (markdown); the first two metrics also as ratios. */
function report(
  cases: ColdCase[],
  engines: string[],
  data: Map<string, Sample[]>,
  metrics: readonly Metric[],
): void {
  const head = ["case", "engine", ...metrics.map(([m]) => m)];
  if (engines.length > 1) head.push(...metrics.slice(0, 2).map(([m]) => `${m} / ${engines[0]}`));
  head.push("pages");
  console.log(`| ${head.join(" | ")} |`);
  console.log(`| ${head.map((_, i) => i < 2 ? "---" : "---:").join(" | ")} |`);
  for (const c of cases) {
    const base = data.get(`${engines[0]}|${c.name}`)!;
    for (const e of engines) {
      const xs = data.get(`${e}|${c.name}`)!;
      const row = [c.name.replaceAll("|", "\\|"), e, ...metrics.map(([, f]) => fmt(xs.map(f)))];
      if (engines.length > 1) {
        row.push(
          ...metrics.slice(0, 2).map(([, f]) =>
            (median(xs.map(f)) / median(base.map(f))).toFixed(2)
          ),
        );
      }
      const tr = xs.map((s) => s.translations);
      row.push(tr[0] < 0 ? "-" : `${Math.min(...tr)}-${Math.max(...tr)}`);
      console.log(`| ${row.join(" | ")} |`);
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "40" },
      sets: { type: "string", default: "bare,boot,unix,bench" },
      engines: { type: "string", default: "interp,jit" },
      only: { type: "string" },
      json: { type: "string" },
      cachegrind: { type: "boolean", default: false },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  }
  const sets = values.sets.split(",");
  const known = new Set(COLD_CASES.map((c) => c.set));
  const unknown = sets.find((s) => !known.has(s));
  if (unknown !== undefined) {
    throw new Error(`unknown set '${unknown}' (one of: ${[...known].join(", ")})`);
  }
  const engines = values.engines.split(",");
  const bad = engines.find((e) => !/^(interp|jit(-wasm|-js)?(:[1-9][0-9]*)?)(@.+)?$/.test(e));
  if (bad !== undefined) {
    throw new Error(
      `bad engine '${bad}' (interp, jit, jit-wasm, jit-js, jit:THRESHOLD, optionally @TREE)`,
    );
  }
  const only = values.only === undefined ? null : new RegExp(values.only);
  const cases = COLD_CASES.filter((c) => sets.includes(c.set) && (only?.test(c.name) ?? true));
  if (cases.length === 0) throw new Error(`no case matches --only ${values.only}`);
  const data = new Map<string, Sample[]>();
  for (const e of engines) for (const c of cases) data.set(`${e}|${c.name}`, []);
  // A boot on each engine first, uncounted and not under cachegrind: until
  // Deno has booted a checkout once (its caches of the modules), every run
  // of a fresh `git worktree` took some 145 M host instructions more,
  // bare-metal ones too.
  for (const e of engines) await sample(e, WARM_CASE, false);
  const load0 = loadavg();
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? engines : [...engines].reverse();
    for (const c of cases) {
      for (const e of order) {
        data.get(`${e}|${c.name}`)!.push(await sample(e, c, values.cachegrind));
      }
    }
    Deno.stderr.writeSync(new TextEncoder().encode(`\rround ${r + 1}/${rounds}`));
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(0);
  console.error(
    `\n${rounds} rounds in ${secs} s; load average ${load0} before, ${loadavg()} after`,
  );
  report(cases, engines, data, values.cachegrind ? CG_METRICS : METRICS);
  if (values.json !== undefined) {
    const out = Object.fromEntries(data);
    Deno.writeTextFileSync(values.json, JSON.stringify({ rounds, engines, samples: out }, null, 1));
  }
}

if (import.meta.main) {
  await runMain(
    "cold-compare",
    main,
    "deno task cold-compare [--rounds 40] [--sets bare,boot,unix,bench,programs]\n  [--engines interp,jit,jit:THRESHOLD,ENGINE@TREE] [--only REGEXP] [--json out.json]\n  [--cachegrind]",
  );
}
