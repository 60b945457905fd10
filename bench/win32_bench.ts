/**
 * The Win32 personality against the Unix one: the null native call
 * (NtGetCurrentProcessorNumber, NT's cheapest call: no arguments, no memory),
 * NtQueryInformationProcess(ProcessBasicInformation) (the call behind NT's
 * GetCurrentProcessId, which answers the process id as getpid does, in a
 * 24-byte copy-out) and NtYieldExecution against Unix `getpid`, and process creation
 * (CreateProcessA + WaitForSingleObject + GetExitCodeProcess + CloseHandle,
 * of a Win32 child and of a Unix one) against Unix fork + execve + waitpid of
 * `/bin/true`. Each as host ns and simulated cycles per operation, by the
 * two-N difference of `guest_bench.ts`, and the ratios Win32 / Unix.
 *
 * `deno bench -A bench/win32_bench.ts` (or `deno run -A bench/win32_bench.ts
 * [--rounds N] [--repeats N] [--no-qemu]` for the table alone: rounds that
 * each measure every row, the fastest round of a row counting). Target: the
 * null native call within 2x of getpid.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  formatGuestBenchTable,
  GuestBenchError,
  type GuestBenchResult,
  type GuestBenchSpec,
  measureGuestBench,
  qemuAvailable,
  registerGuestBenches,
} from "./guest_bench.ts";
import { runMain } from "./run_main.ts";

const GETPID = "null syscall (getpid)";
const NULL_CALL = "null native call (NtGetCurrentProcessorNumber)";
const NATIVE = "native call with a copy-out (NtQueryInformationProcess)";
const YIELD = "NtYieldExecution (nothing else to run)";
const FORK_EXEC = "fork + execve /bin/true + waitpid";
const SPAWN_W32 = "CreateProcessA (Win32 child) + wait";
const SPAWN_UNIX = "CreateProcessA (Unix /bin/true) + wait";

/** The programs and N values of this suite. */
export const WIN32_BENCHES: GuestBenchSpec[] = [
  { label: GETPID, program: "bench_getpid", opsPerN: 1, n1: 100_000, n2: 1_100_000 },
  {
    label: NULL_CALL,
    program: "bench_w32call.exe",
    args: "proc",
    opsPerN: 1,
    n1: 100_000,
    n2: 1_100_000,
  },
  { label: NATIVE, program: "bench_w32call.exe", opsPerN: 1, n1: 100_000, n2: 1_100_000 },
  {
    label: YIELD,
    program: "bench_w32call.exe",
    args: "yield",
    opsPerN: 1,
    n1: 100_000,
    n2: 1_100_000,
  },
  { label: FORK_EXEC, program: "bench_spawn", opsPerN: 1, n1: 20, n2: 220 },
  { label: SPAWN_W32, program: "bench_w32spawn.exe", opsPerN: 1, n1: 20, n2: 220 },
  {
    label: SPAWN_UNIX,
    program: "bench_w32spawn.exe",
    args: "'C:\\bin\\true'",
    opsPerN: 1,
    n1: 20,
    n2: 220,
  },
];

/** The ratios Win32 / Unix of the measured rows, as lines under the table. */
export function win32Ratios(results: GuestBenchResult[]): string[] {
  const by = new Map(results.map((r) => [r.spec.label, r]));
  const pairs: [string, string][] = [
    [NULL_CALL, GETPID],
    [NATIVE, GETPID],
    [YIELD, GETPID],
    [SPAWN_W32, FORK_EXEC],
    [SPAWN_UNIX, FORK_EXEC],
  ];
  const out: string[] = [];
  for (const [w, u] of pairs) {
    const a = by.get(w), b = by.get(u);
    if (a === undefined || b === undefined) continue;
    const host = a.hostNsPerOp > 0 && b.hostNsPerOp > 0
      ? `${(a.hostNsPerOp / b.hostNsPerOp).toFixed(2)}x host time`
      : "host time: noise";
    const cycles = (a.cyclesPerOp / b.cyclesPerOp).toFixed(2);
    out.push(`${w} / ${u}: ${cycles}x simulated cycles, ${host}`);
  }
  return out;
}

const TITLE = "Strata Win32 personality against Unix";

/**
 * Measures the suite in `rounds` rounds, each running every spec once (so a
 * busy spell of a shared host falls on all of them, not on one row), and
 * keeps each spec's fastest round.
 */
export async function measureWin32Benches(
  rounds: number,
  repeats: number,
  withQemu: boolean,
): Promise<GuestBenchResult[]> {
  const best = new Map<GuestBenchSpec, GuestBenchResult>();
  for (let r = 0; r < rounds; r++) {
    for (const spec of WIN32_BENCHES) {
      const m = await measureGuestBench(spec, repeats, withQemu && r === 0);
      const b = best.get(spec);
      if (b === undefined || m.hostNsPerOp < b.hostNsPerOp) {
        best.set(spec, { ...m, qemuNsPerOp: b?.qemuNsPerOp ?? m.qemuNsPerOp });
      }
    }
  }
  return WIN32_BENCHES.map((s) => best.get(s)!);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "3" },
      repeats: { type: "string", default: "3" },
      "no-qemu": { type: "boolean" },
    },
  });
  const rounds = Number(values.rounds), repeats = Number(values.repeats);
  if (!(Number.isInteger(rounds) && rounds > 0 && Number.isInteger(repeats) && repeats > 0)) {
    throw new GuestBenchError("--rounds and --repeats take positive integers");
  }
  const withQemu = !values["no-qemu"] && qemuAvailable();
  const results = await measureWin32Benches(rounds, repeats, withQemu);
  console.log([formatGuestBenchTable(TITLE, results), ...win32Ratios(results)].join("\n"));
}

if (import.meta.main) await runMain("win32_bench", main);
else registerGuestBenches(TITLE, WIN32_BENCHES, win32Ratios);
