/**
 * System call and trap costs on Strata (Anderson et al. 1991, re-run): the
 * null system call (getpid round trip), a trap (demand-zero page fault) and a
 * page-table change with TLB flush (mprotect), each as host ns and simulated
 * cycles per operation, against qemu-riscv32 running the same binaries.
 *
 * `deno bench -A bench/syscall_bench.ts` (or `deno run -A bench/syscall_bench.ts`
 * for the table alone). Targets: null syscall <= 100 ns of host time.
 *
 * @module
 */

import { type GuestBenchSpec, registerGuestBenches, runGuestBenchesNow } from "./guest_bench.ts";
import { runMain } from "./run_main.ts";

/** The programs and N values of this suite. */
export const SYSCALL_BENCHES: GuestBenchSpec[] = [
  {
    label: "null syscall (getpid)",
    program: "bench_getpid",
    opsPerN: 1,
    n1: 100_000,
    n2: 2_100_000,
  },
  { label: "trap: page fault", program: "bench_pagefault", opsPerN: 1, n1: 200, n2: 2_200 },
  {
    label: "PTE change + TLB flush (mprotect)",
    program: "bench_mprotect",
    opsPerN: 2,
    n1: 5_000,
    n2: 55_000,
  },
];

const TITLE = "Strata syscall and trap costs (Unix personality)";

if (import.meta.main) {
  await runMain("syscall_bench", () => runGuestBenchesNow(TITLE, SYSCALL_BENCHES));
} else registerGuestBenches(TITLE, SYSCALL_BENCHES);
