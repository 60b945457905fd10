/**
 * Context-switch costs on Strata: sched_yield between two processes, a pipe
 * round trip (two context switches and four system calls), a futex
 * ping-pong round trip between two threads of one process (two thread
 * switches and four system calls) and
 * fork + exit + wait, as host ns and simulated cycles per operation, against
 * qemu-riscv32 running the same binaries.
 *
 * `deno bench -A bench/context_switch_bench.ts` (or `deno run -A ...` for the
 * table alone). Target: pipe round trip <= 2 us of host time.
 *
 * @module
 */

import { type GuestBenchSpec, registerGuestBenches, runGuestBenchesNow } from "./guest_bench.ts";
import { runMain } from "./run_main.ts";

/** The programs and N values of this suite. */
export const CONTEXT_SWITCH_BENCHES: GuestBenchSpec[] = [
  // Parent and child each yield N times: 2N yields, each a switch.
  { label: "sched_yield switch", program: "bench_yield", opsPerN: 2, n1: 20_000, n2: 220_000 },
  { label: "pipe round trip", program: "bench_pipe", opsPerN: 1, n1: 2_000, n2: 102_000 },
  // Two threads of one process: futex wait/wake, no address-space switch.
  {
    label: "futex thread round trip",
    program: "bench_thread_switch",
    opsPerN: 1,
    n1: 2_000,
    n2: 102_000,
  },
  { label: "fork + exit + wait", program: "bench_fork", opsPerN: 1, n1: 100, n2: 1_100 },
];

const TITLE = "Strata context-switch costs (Unix personality)";

if (import.meta.main) {
  await runMain("context_switch_bench", () => runGuestBenchesNow(TITLE, CONTEXT_SWITCH_BENCHES));
} else registerGuestBenches(TITLE, CONTEXT_SWITCH_BENCHES);
