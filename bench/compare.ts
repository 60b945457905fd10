/**
 * `deno task compare`: the project's CPU and kernel benchmark programs
 * (`userland/bench/bench_*.c`) natively, under qemu-riscv32 and on Strata
 * (interpreter, and translator when the build has one), in one interleaved
 * run: every round runs every program on every engine, with two values of
 * N each. For native and qemu the difference of the two runs, divided by
 * the operations between them, is one sample of ns/op (start-up, exec and
 * exit drop out). Strata runs each program in a process of its own with one
 * machine, as a user's process does, and times the operations from N1 to
 * N2 inside one run of N2, between marks in simulated time
 * (`bench/compare_engines.ts`): no boot, start-up or exit in the sample.
 * Median and range over the rounds, MIPS for the CPU programs (guest
 * instructions per operation come from Strata's deterministic count, and
 * qemu runs the very same binary), and ratios to the interpreter.
 *
 * Every engine must print the same output for the same N (each CPU program
 * prints a checksum of its work; the warm-up round runs all engines with the
 * same Ns), so a miscompiled or mis-simulated run stops the comparison
 * instead of being timed. In the timed rounds the faster engines run the
 * CPU programs with larger Ns (`Engine.cpuScale`), so that their work, not
 * process start-up, dominates the difference.
 *
 * ```sh
 * deno task compare [--rounds 5] [--only bench_int,bench_pipe]
 *   [--engines native,qemu,interp,jit,jit:THRESHOLD] [--json out.json] [--markdown]
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { CompareError, type Engine, setUpEngines } from "./compare_engines.ts";
import { runMain } from "./run_main.ts";

/** One benchmark program and its two Ns. */
export interface CompareSpec {
  /** Program in `userland/bin` (source `userland/bench/NAME.c`). */
  program: string;
  /** What one operation is. */
  label: string;
  /** `cpu`: MIPS are shown; `kernel`: ns/op only. */
  kind: "cpu" | "kernel";
  /** Operations per unit of N. */
  opsPerN: number;
  /** The smaller N. */
  n1: number;
  /** The larger N. */
  n2: number;
  /**
   * Strata only: units of N run before its window, which then covers
   * N1..N2 counted after them (for a program whose kernel path V8 is still
   * compiling at N1; the engines that time two whole runs keep N1 and N2).
   */
  warmN?: number;
  /**
   * Strata only: the larger N of its window instead of N2 (a longer window
   * for a program whose host cost keeps changing in steps, such as the
   * translator's compiles of pages that grow hot late).
   */
  strataN2?: number;
}

/**
 * The programs, CPU first. On Strata N1 ends 40 M simulated cycles in or
 * later (the pipe's 140 M; the fork's 120 M, after `warmN`: a fork runs
 * each piece of its kernel code a few times, and V8 goes on compiling it
 * until about 20,000 forks), past the translator's warm-up and V8's first
 * compiles in a fresh process (marks every 10 or 20 M cycles show where
 * each settles); N2 gives the interpreter one to two seconds. The fork's
 * window on Strata runs to `strataN2`: pages of the fork path go on growing
 * hot and being translated (4 by 20,000 forks, 11 by 120,000), and a
 * window of 3,600 forks (about 45 ms) takes such a compile whole or not at
 * all.
 */
export const COMPARE_SPECS: readonly CompareSpec[] = [
  {
    program: "bench_int",
    label: "integer (16 rounds)",
    kind: "cpu",
    opsPerN: 1,
    n1: 40_000,
    n2: 190_000,
  },
  {
    program: "bench_mem",
    label: "memory (16 KiB pass)",
    kind: "cpu",
    opsPerN: 1,
    n1: 550,
    n2: 2_750,
  },
  {
    program: "bench_branch",
    label: "branchy (1 KiB scan)",
    kind: "cpu",
    opsPerN: 1,
    n1: 2_500,
    n2: 12_500,
  },
  {
    program: "bench_calls",
    label: "calls (recursion)",
    kind: "cpu",
    opsPerN: 1,
    n1: 650,
    n2: 3_150,
  },
  {
    program: "bench_interp",
    label: "bytecode interpreter",
    kind: "cpu",
    opsPerN: 1,
    n1: 550,
    n2: 2_750,
  },
  {
    program: "bench_mix",
    label: "CoreMark-like mix",
    kind: "cpu",
    opsPerN: 1,
    n1: 5_000,
    n2: 25_000,
  },
  {
    program: "bench_getpid",
    label: "null syscall",
    kind: "kernel",
    opsPerN: 1,
    n1: 400_000,
    n2: 1_400_000,
  },
  {
    program: "bench_pipe",
    label: "pipe round trip",
    kind: "kernel",
    opsPerN: 1,
    n1: 120_000,
    n2: 320_000,
  },
  {
    program: "bench_yield",
    label: "sched_yield",
    kind: "kernel",
    opsPerN: 2,
    n1: 100_000,
    n2: 600_000,
  },
  {
    program: "bench_fork",
    label: "fork + exit + wait",
    kind: "kernel",
    opsPerN: 1,
    n1: 8_000,
    n2: 12_000,
    warmN: 16_000,
    strataN2: 40_000,
  },
];

/** Median and range of one engine's samples. */
export interface Summary {
  /** Median ns per operation. */
  median: number;
  /** Smallest sample. */
  min: number;
  /** Largest sample. */
  max: number;
}

/** Results of one program. */
export interface CompareRow {
  /** The spec. */
  spec: CompareSpec;
  /** Guest instructions per operation (Strata's count), or null without a Strata engine. */
  instrPerOp: number | null;
  /** ns/op per engine name. */
  engines: Record<string, Summary>;
}

function summarize(samples: number[]): Summary {
  const s = samples.toSorted((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

/** N scaled for `engine`: the fast engines get more work on CPU programs, so it dwarfs their start-up. */
function scaledN(engine: Engine, spec: CompareSpec, n: number): number {
  return spec.kind === "cpu" ? n * engine.cpuScale : n;
}

/** Checks `stdout` of `program` with `n` against what the first engine printed. */
function checkOutput(
  engine: Engine,
  key: string,
  stdout: string,
  expected: Map<string, string>,
): void {
  const want = expected.get(key);
  if (want === undefined) expected.set(key, stdout);
  else if (want !== stdout) {
    throw new CompareError(
      `${key}: ${engine.name} printed ${JSON.stringify(stdout)}, another engine ${
        JSON.stringify(want)
      }`,
    );
  }
}

async function sample(
  engine: Engine,
  spec: CompareSpec,
  expected: Map<string, string>,
  scale: boolean,
): Promise<{ nsPerOp: number; instrPerOp: number | null }> {
  if (scale && engine.window !== undefined) {
    const warm = spec.warmN ?? 0;
    const n2 = (spec.strataN2 ?? spec.n2) + warm;
    const w = await engine.window(spec.program, spec.n1 + warm, n2);
    checkOutput(engine, `${spec.program} ${n2}`, w.stdout, expected);
    return { nsPerOp: w.nsPerN / spec.opsPerN, instrPerOp: null };
  }
  const runs = [];
  const ns = scale ? [scaledN(engine, spec, spec.n1), scaledN(engine, spec, spec.n2)] : [
    spec.n1,
    spec.n2,
  ];
  for (const n of ns) {
    const r = await engine.run(spec.program, n);
    checkOutput(engine, `${spec.program} ${n}`, r.stdout, expected);
    runs.push(r);
  }
  const ops = (ns[1] - ns[0]) * spec.opsPerN;
  const [a, b] = runs;
  const instrPerOp = a.instret !== null && b.instret !== null
    ? (b.instret - a.instret) / ops
    : null;
  return { nsPerOp: (b.ns - a.ns) / ops, instrPerOp };
}

/** Runs `rounds` interleaved rounds of every spec on every engine (after one warm-up round). */
export async function compare(
  specs: readonly CompareSpec[],
  engines: readonly Engine[],
  rounds: number,
  progress: (line: string) => void = () => {},
): Promise<CompareRow[]> {
  const expected = new Map<string, string>();
  const samples = specs.map(() => engines.map(() => [] as number[]));
  const instr: (number | null)[] = specs.map(() => null);
  for (let round = 0; round <= rounds; round++) {
    progress(round === 0 ? "warm-up round" : `round ${round} of ${rounds}`);
    for (const [i, spec] of specs.entries()) {
      for (const [j, engine] of engines.entries()) {
        // The warm-up round runs every engine with the same Ns, so their outputs are compared.
        const s = await sample(engine, spec, expected, round > 0);
        if (s.instrPerOp !== null) instr[i] = s.instrPerOp;
        if (round > 0) samples[i][j].push(s.nsPerOp);
      }
    }
  }
  return specs.map((spec, i) => ({
    spec,
    instrPerOp: instr[i],
    engines: Object.fromEntries(engines.map((e, j) => [e.name, summarize(samples[i][j])])),
  }));
}

function fmtNs(ns: number): string {
  if (ns >= 100) return Math.round(ns).toLocaleString("en-US");
  return ns.toFixed(ns >= 10 ? 1 : 2);
}

function fmtRatio(a: Summary | undefined, b: Summary | undefined): string {
  if (a === undefined || b === undefined || b.median <= 0) return "-";
  const r = a.median / b.median;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}x`;
}

/** The table as rows of cells (header first). */
export function tableCells(rows: readonly CompareRow[], names: readonly string[]): string[][] {
  const riscv = names.filter((n) => n !== "native");
  const others = names.filter((n) => n !== "interp");
  const head = [
    "benchmark",
    "instr/op",
    ...names.map((n) => `${n} ns/op (min-max)`),
    ...riscv.map((n) => `${n} MIPS`),
    ...(names.includes("interp") ? others.map((n) => `interp / ${n}`) : []),
  ];
  const body = rows.map((r) => [
    `${r.spec.program}: ${r.spec.label}`,
    r.instrPerOp === null ? "-" : fmtNs(r.instrPerOp),
    ...names.map((n) => {
      const s = r.engines[n];
      return `${fmtNs(s.median)} (${fmtNs(s.min)}-${fmtNs(s.max)})`;
    }),
    ...riscv.map((n) =>
      r.spec.kind === "cpu" && r.instrPerOp !== null
        ? ((r.instrPerOp / r.engines[n].median) * 1000).toFixed(0)
        : "-"
    ),
    ...(names.includes("interp")
      ? others.map((n) => fmtRatio(r.engines.interp, r.engines[n]))
      : []),
  ]);
  return [head, ...body];
}

/** Text table (aligned columns) or a Markdown table. */
export function formatTable(cells: string[][], markdown: boolean): string {
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const pad = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])));
  if (markdown) {
    const rule = widths.map((w, i) => (i === 0 ? "-".repeat(w) : "-".repeat(w - 1) + ":"));
    return [cells[0], rule, ...cells.slice(1)].map((r) => `| ${pad(r).join(" | ")} |`).join("\n");
  }
  const lines = cells.map((r) => pad(r).join("  "));
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "5" },
      only: { type: "string" },
      engines: { type: "string", default: "native,qemu,interp,jit" },
      json: { type: "string" },
      markdown: { type: "boolean" },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new CompareError(`--rounds must be a positive integer, got ${values.rounds}`);
  }
  const only = values.only?.split(",");
  const specs = only === undefined
    ? COMPARE_SPECS
    : COMPARE_SPECS.filter((s) => only.includes(s.program));
  if (specs.length === 0) throw new CompareError(`--only matches no program: ${values.only}`);
  const setup = await setUpEngines(values.engines.split(","), specs.map((s) => s.program));
  for (const n of setup.notes) console.error(n);
  const progress = (l: string) => console.error(l);
  const rows = await compare(specs, setup.engines, rounds, progress);
  const names = setup.engines.map((e) => e.name);
  console.log(formatTable(tableCells(rows, names), values.markdown === true));
  if (values.json !== undefined) {
    const doc = { date: new Date().toISOString(), rounds, notes: setup.notes, rows };
    Deno.writeTextFileSync(values.json, JSON.stringify(doc, null, 2) + "\n");
  }
}

if (import.meta.main) {
  await runMain(
    "compare",
    main,
    "deno task compare [--rounds 5] [--only bench_int,bench_pipe]\n  [--engines native,qemu,interp,jit] [--json out.json] [--markdown]",
  );
}
