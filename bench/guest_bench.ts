/**
 * Shared machinery of the guest benchmarks (`syscall_bench.ts`,
 * `context_switch_bench.ts`): run a `userland/bench/bench_*` program on a
 * booted Strata machine with two values of N and take the difference, which
 * removes boot, exec and exit costs; report host time and simulated cycles
 * per operation, and the same host-time difference for the binary under
 * qemu-riscv32 when it is installed.
 *
 * Simulated cycles are deterministic (the same on every run); host times are
 * the minimum over a few repetitions after a warm-up run, since the first
 * runs include JIT compilation.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { runGuest } from "../system/boot.ts";

/** One benchmark program and how to read its N. */
export interface GuestBenchSpec {
  /** Row label, e.g. "null syscall (getpid)". */
  label: string;
  /** Program in `userland/bin`. */
  program: string;
  /** Operations per unit of N (e.g. 2 for two mprotect calls per iteration). */
  opsPerN: number;
  /** The smaller N. */
  n1: number;
  /** The larger N. */
  n2: number;
  /** Arguments after N, as the shell reads them (default none). */
  args?: string;
}

/** Measured figures of one benchmark. */
export interface GuestBenchResult {
  /** The spec. */
  spec: GuestBenchSpec;
  /** Host nanoseconds per operation on Strata. */
  hostNsPerOp: number;
  /** Simulated cycles per operation. */
  cyclesPerOp: number;
  /** System calls per operation (from the kernel's counter). */
  syscallsPerOp: number;
  /** Context switches per operation. */
  switchesPerOp: number;
  /** Host nanoseconds per operation under qemu-riscv32, or null if not measured. */
  qemuNsPerOp: number | null;
}

/** Raised when a benchmark program does not run to its expected output. */
export class GuestBenchError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "GuestBenchError";
  }
}

interface Run {
  hostNs: number;
  cycles: number;
  syscalls: number;
  switches: number;
}

async function runOnce(program: string, n: number, args = ""): Promise<Run> {
  const t0 = performance.now();
  const r = await runGuest({ cmd: `/bin/${program} ${n}${args === "" ? "" : " " + args}` });
  const hostNs = (performance.now() - t0) * 1e6;
  // The console tty maps \n to \r\n (ONLCR); a Win32 program's C runtime writes \r\n itself.
  if (r.status !== 0 || r.output.replace(/\r+\n/g, "\n") !== `ok ${n}\n`) {
    throw new GuestBenchError(
      `${program} ${n}: status ${r.status} (${r.reason}), output ${JSON.stringify(r.output)}`,
    );
  }
  return {
    hostNs,
    cycles: r.cycles,
    syscalls: r.stats.syscalls,
    switches: r.stats.contextSwitches,
  };
}

/** The fastest run of each N over `repeats` interleaved rounds; simulated cycles must not vary. */
async function bestOfInterleaved(
  spec: GuestBenchSpec,
  repeats: number,
): Promise<[Run, Run]> {
  const { program, n1, n2 } = spec;
  const best: [Run | null, Run | null] = [null, null];
  for (let i = 0; i < repeats; i++) {
    for (const [k, n] of [[0, n1], [1, n2]] as const) {
      const r = await runOnce(program, n, spec.args);
      const b = best[k];
      if (b !== null && r.cycles !== b.cycles) {
        throw new GuestBenchError(
          `${program} ${n}: simulated cycles differ between runs (${b.cycles} vs ${r.cycles})`,
        );
      }
      if (b === null || r.hostNs < b.hostNs) best[k] = r;
    }
  }
  return [best[0]!, best[1]!];
}

/** True when qemu-riscv32 can be run. */
export function qemuAvailable(): boolean {
  try {
    return new Deno.Command("qemu-riscv32", { args: ["--version"], stdout: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

const BIN = new URL("../userland/bin/", import.meta.url).pathname;

async function qemuBest(program: string, n: number, repeats: number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const out = await new Deno.Command("qemu-riscv32", {
      args: [BIN + program, String(n)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const ns = (performance.now() - t0) * 1e6;
    if (!out.success) throw new GuestBenchError(`qemu-riscv32 ${program} ${n} failed`);
    best = Math.min(best, ns);
  }
  return best;
}

/**
 * Measures one benchmark: a warm-up run, then `repeats` rounds that each run
 * N1 and N2 once (interleaved, so a slow spell of a shared host hits both
 * sides); the fastest run of each N counts.
 */
export async function measureGuestBench(
  spec: GuestBenchSpec,
  repeats = 5,
  withQemu = qemuAvailable(),
): Promise<GuestBenchResult> {
  await runOnce(spec.program, spec.n2, spec.args); // warm-up: JIT and module loading
  const [a, b] = await bestOfInterleaved(spec, repeats);
  const ops = (spec.n2 - spec.n1) * spec.opsPerN;
  let qemuNsPerOp: number | null = null;
  // qemu-riscv32 runs Linux ELF programs only (and not with extra arguments here).
  if (withQemu && !spec.program.endsWith(".exe") && spec.args === undefined) {
    const qa = await qemuBest(spec.program, spec.n1, repeats);
    const qb = await qemuBest(spec.program, spec.n2, repeats);
    qemuNsPerOp = (qb - qa) / ops;
  }
  return {
    spec,
    hostNsPerOp: (b.hostNs - a.hostNs) / ops,
    cyclesPerOp: (b.cycles - a.cycles) / ops,
    syscallsPerOp: (b.syscalls - a.syscalls) / ops,
    switchesPerOp: (b.switches - a.switches) / ops,
    qemuNsPerOp,
  };
}

/** Formats results as a text table. */
export function formatGuestBenchTable(title: string, results: GuestBenchResult[]): string {
  const head = [
    "operation",
    "program",
    "host ns/op",
    "sim cycles/op",
    "syscalls/op",
    "switches/op",
    "qemu ns/op",
  ];
  const rows = results.map((r) => [
    r.spec.label,
    `${r.spec.program} ${r.spec.n1}/${r.spec.n2}`,
    hostFigure(r.hostNsPerOp),
    r.cyclesPerOp.toFixed(1),
    r.syscallsPerOp.toFixed(2),
    r.switchesPerOp.toFixed(2),
    r.qemuNsPerOp === null ? "-" : hostFigure(r.qemuNsPerOp),
  ]);
  const noisy = results.some((r) => !(r.hostNsPerOp > 0) || (r.qemuNsPerOp ?? 1) <= 0);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const note = noisy
    ? ["noise: the host time of the longer run was not above the shorter one's (a busy host)"]
    : [];
  return [title, line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), ...note]
    .join("\n");
}

/**
 * A per-operation host time as the table shows it: a difference of two
 * runs, so on a busy host it can come out zero or negative; such a figure
 * means nothing and shows as `noise` instead of a negative time.
 */
export function hostFigure(ns: number): string {
  return ns > 0 ? ns.toFixed(0) : "noise";
}

/**
 * Registers one `Deno.bench` per spec (each iteration boots a machine and
 * runs the program with the larger N, so deno's own table shows whole runs)
 * and prints the derived per-operation table when the bench file ends.
 */
export function registerGuestBenches(
  title: string,
  specs: GuestBenchSpec[],
  notes: (results: GuestBenchResult[]) => string[] = () => [],
): void {
  // deno bench may call a bench more than once; the last measurement of each row wins.
  const results = new Map<string, GuestBenchResult>();
  for (const spec of specs) {
    Deno.bench({
      // No group: the programs measure unrelated operations, so deno's
      // "x times faster" summary between them would mean nothing.
      name: `${title}: ${spec.label}: ${spec.program} ${spec.n2}`,
      n: 1,
      warmup: 0,
      async fn(b) {
        b.start();
        const r = await measureGuestBench(spec);
        b.end();
        results.set(spec.label, r);
      },
    });
  }
  globalThis.addEventListener("unload", () => {
    if (results.size === 0) return;
    const all = [...results.values()];
    console.log(["", formatGuestBenchTable(title, all), ...notes(all)].join("\n"));
  });
}

/**
 * Runs the specs directly (`deno run -A bench/... [--repeats N] [--no-qemu]`)
 * and prints the table.
 */
export async function runGuestBenchesNow(
  title: string,
  specs: GuestBenchSpec[],
  notes: (results: GuestBenchResult[]) => string[] = () => [],
): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { repeats: { type: "string", default: "5" }, "no-qemu": { type: "boolean" } },
  });
  const repeats = Number(values.repeats);
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new GuestBenchError(`--repeats must be a positive integer, got ${values.repeats}`);
  }
  const withQemu = !values["no-qemu"] && qemuAvailable();
  const results: GuestBenchResult[] = [];
  for (const s of specs) results.push(await measureGuestBench(s, repeats, withQemu));
  console.log([formatGuestBenchTable(title, results), ...notes(results)].join("\n"));
}
