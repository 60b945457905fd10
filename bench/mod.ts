/**
 * The benchmark machinery for use from scripts: run a `userland/bench/bench_*`
 * program on a booted machine with two values of N and get host time and
 * simulated cycles per operation (the suites themselves are the
 * `*_bench.ts` files, run with `deno bench -A bench/`).
 *
 * @module
 */

export * from "./guest_bench.ts";
