/**
 * The Win32 personality against the Unix one: the null native call
 * (NtQueryInformationProcess(ProcessBasicInformation), the call behind NT's
 * GetCurrentProcessId, which answers the process id as getpid does; and
 * NtYieldExecution) against Unix `getpid`, and process creation
 * (CreateProcessA + WaitForSingleObject + GetExitCodeProcess + CloseHandle,
 * of a Win32 child and of a Unix one) against Unix fork + execve + waitpid of
 * `/bin/true`. Each as host ns and simulated cycles per operation, by the
 * two-N difference of `guest_bench.ts`, and the ratios Win32 / Unix.
 *
 * `deno bench -A bench/win32_bench.ts` (or `deno run -A bench/win32_bench.ts
 * [--repeats N] [--no-qemu]` for the table alone). Target: the null native
 * call within 2x of getpid.
 *
 * @module
 */

import {
  type GuestBenchResult,
  type GuestBenchSpec,
  registerGuestBenches,
  runGuestBenchesNow,
} from "./guest_bench.ts";

const GETPID = "null syscall (getpid)";
const NATIVE = "null native call (NtQueryInformationProcess)";
const YIELD = "NtYieldExecution (nothing else to run)";
const FORK_EXEC = "fork + execve /bin/true + waitpid";
const SPAWN_W32 = "CreateProcessA (Win32 child) + wait";
const SPAWN_UNIX = "CreateProcessA (Unix /bin/true) + wait";

/** The programs and N values of this suite. */
export const WIN32_BENCHES: GuestBenchSpec[] = [
  { label: GETPID, program: "bench_getpid", opsPerN: 1, n1: 100_000, n2: 1_100_000 },
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

if (import.meta.main) await runGuestBenchesNow(TITLE, WIN32_BENCHES, win32Ratios);
else registerGuestBenches(TITLE, WIN32_BENCHES, win32Ratios);
