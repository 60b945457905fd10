/**
 * Win32 thread switching: an event ping-pong round trip between two threads
 * of one Win32 process (two NtSetEvent, two waits, two thread switches;
 * `userland/win32/bench/bench_w32pingpong.c`) against the Unix futex
 * ping-pong between two threads (`bench_thread_switch`), as host ns and
 * simulated cycles per round trip by the two-N difference of
 * `guest_bench.ts`, and the ratio Win32 / Unix.
 *
 * `deno bench -A bench/win32_thread_bench.ts` (or `deno run -A
 * bench/win32_thread_bench.ts [--repeats N] [--no-qemu]` for the table alone).
 *
 * @module
 */

import {
  type GuestBenchResult,
  type GuestBenchSpec,
  registerGuestBenches,
  runGuestBenchesNow,
} from "./guest_bench.ts";
import { runMain } from "./run_main.ts";

const FUTEX = "futex thread round trip (Unix)";
const EVENTS = "event thread round trip (Win32)";

/** The programs and N values of this suite. */
export const WIN32_THREAD_BENCHES: GuestBenchSpec[] = [
  { label: FUTEX, program: "bench_thread_switch", opsPerN: 1, n1: 2_000, n2: 52_000 },
  { label: EVENTS, program: "bench_w32pingpong.exe", opsPerN: 1, n1: 2_000, n2: 52_000 },
];

/** The ratio Win32 / Unix of one round trip, as a line under the table. */
export function threadRatio(results: GuestBenchResult[]): string[] {
  const w = results.find((r) => r.spec.label === EVENTS);
  const u = results.find((r) => r.spec.label === FUTEX);
  if (w === undefined || u === undefined) return [];
  const host = w.hostNsPerOp > 0 && u.hostNsPerOp > 0
    ? `${(w.hostNsPerOp / u.hostNsPerOp).toFixed(2)}x host time`
    : "host time: noise";
  return [
    `${EVENTS} / ${FUTEX}: ${
      (w.cyclesPerOp / u.cyclesPerOp).toFixed(2)
    }x simulated cycles, ${host}`,
  ];
}

const TITLE = "Strata Win32 threads against Unix threads";

if (import.meta.main) {
  await runMain(
    "win32_thread_bench",
    () => runGuestBenchesNow(TITLE, WIN32_THREAD_BENCHES, threadRatio),
  );
} else registerGuestBenches(TITLE, WIN32_THREAD_BENCHES, threadRatio);
