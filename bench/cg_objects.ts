/**
 * Host instructions by V8 code object: where a window of simulated time
 * spends its host instructions, one line per compiled function (each tier
 * apart: `JS:*` TurboFan, `JS:+` Maglev, `JS:^` Sparkplug, V8's builtins),
 * the counts of every compile of a name summed. It reads the code objects
 * from the jitdump file V8's `--perf-prof` writes (`bench/jitdump.ts`) and
 * the counts from a callgrind file written with `--dump-instr=yes`
 * (`bench/callgrind_instr.ts`); `bench/cg_code.ts` then shows one object's
 * machine code.
 *
 * ```sh
 * valgrind --tool=callgrind --dump-instr=yes --compress-pos=no --instr-atstart=no \
 *   --callgrind-out-file=/tmp/w.cg deno run -A --v8-flags=--predictable,--perf-prof \
 *   bench/cg_window.ts "/bin/bench_fork 30000" jit 123000000 133000000
 * deno run -A bench/cg_objects.ts jit-PID.dump /tmp/w.cg.1 --top 30 --ops 1950
 * ```
 *
 * V8 reuses the addresses of code it has freed, so an address is charged
 * to the last object loaded there: in a window late in a run, the code
 * that ran in it. Instructions outside every object (the C++ of V8 and
 * Deno, the C library) are counted as one line, "outside V8's code".
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type JitCode, readJitCode } from "./jitdump.ts";
import { readInstrCosts } from "./callgrind_instr.ts";
import { runMain } from "./run_main.ts";

export type { JitCode };

const USAGE = "deno run -A bench/cg_objects.ts JITDUMP CALLGRIND_OUT [--top 30] [--ops N]";

/** Instructions counted in one code object's name, over its compiles. */
export interface ObjectCost {
  /** The object's name as V8 wrote it. */
  name: string;
  /** Instructions counted at its addresses. */
  count: number;
}

/** Where a window's instructions ran: by code object, and outside them. */
export interface ObjectCosts {
  /** Every instruction counted. */
  total: number;
  /** Those at no object's address. */
  outside: number;
  /** By object name, most first. */
  objects: ObjectCost[];
}

/**
 * The instructions counted at each code object's addresses, an address
 * charged to the last object loaded over it (V8 reuses the addresses of
 * code it has freed), and those at no object's address.
 *
 * @param codes the code objects, in the order V8 loaded them
 * @param costs instructions counted by address
 * @returns the count of each object (by index in `codes`) and the rest
 * @example
 * ```ts
 * import { ownedCounts } from "./cg_objects.ts";
 * const r = ownedCounts(
 *   [{ name: "JS:*f", addr: 0x1000n, code: new Uint8Array(16) }],
 *   new Map([[0x1004n, 10], [0x9000n, 5]]),
 * );
 * console.log(r.counts, r.outside); // [10] 5
 * ```
 */
export function ownedCounts(
  codes: readonly JitCode[],
  costs: Map<bigint, number>,
): { counts: number[]; outside: number } {
  const addrs = [...costs.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const owner = new Int32Array(addrs.length).fill(-1);
  codes.forEach((code, i) => {
    const end = code.addr + BigInt(code.code.length);
    for (let j = firstAtOrAfter(addrs, code.addr); j < addrs.length && addrs[j] < end; j++) {
      owner[j] = i;
    }
  });
  const counts = codes.map(() => 0);
  let outside = 0;
  addrs.forEach((a, j) => {
    if (owner[j] < 0) outside += costs.get(a)!;
    else counts[owner[j]] += costs.get(a)!;
  });
  return { counts, outside };
}

/**
 * {@link ownedCounts} summed by name, the names sorted by count.
 *
 * @param codes the code objects, in the order V8 loaded them
 * @param costs instructions counted by address
 * @returns the total, what no object holds, and the names by count
 * @example
 * ```ts
 * import { costByObject } from "./cg_objects.ts";
 * const r = costByObject(
 *   [{ name: "JS:*f", addr: 0x1000n, code: new Uint8Array(16) }],
 *   new Map([[0x1004n, 10], [0x9000n, 5]]),
 * );
 * console.log(r.objects[0], r.outside); // { name: "JS:*f", count: 10 } 5
 * ```
 */
export function costByObject(codes: readonly JitCode[], costs: Map<bigint, number>): ObjectCosts {
  const { counts, outside } = ownedCounts(codes, costs);
  const byName = new Map<string, number>();
  codes.forEach((c, i) => byName.set(c.name, (byName.get(c.name) ?? 0) + counts[i]));
  const objects = [...byName].filter(([, count]) => count > 0)
    .map(([name, count]) => ({ name, count }))
    .sort((x, y) => y.count - x.count || (x.name < y.name ? -1 : 1));
  const total = counts.reduce((a, b) => a + b, outside);
  return { total, outside, objects };
}

/** The index of the first of the sorted `addrs` at or after `a`. */
function firstAtOrAfter(addrs: readonly bigint[], a: bigint): number {
  let lo = 0, hi = addrs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (addrs[mid] < a) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A positive count from a flag. */
function positive(text: string, flag: string): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`bad ${flag} '${text}'`);
  return v;
}

if (import.meta.main) {
  await runMain("cg_objects", async () => {
    const { values, positionals } = parseArgs({
      args: Deno.args,
      options: { top: { type: "string", default: "30" }, ops: { type: "string", default: "1" } },
      allowPositionals: true,
    });
    const [dump, cg] = positionals;
    if (dump === undefined || cg === undefined) {
      throw new Error("two arguments: JITDUMP CALLGRIND_OUT");
    }
    const top = Math.floor(positive(values.top, "--top"));
    const ops = positive(values.ops, "--ops");
    const codes = readJitCode(await Deno.readFile(dump), () => true);
    const r = costByObject(codes, readInstrCosts(await Deno.readTextFile(cg)));
    const per = (n: number) => (n / ops).toFixed(1).padStart(12);
    console.log(`${r.total} Ir counted (${per(r.total).trim()} per operation)`);
    console.log(`${String(r.outside).padStart(12)} ${per(r.outside)}  outside V8's code`);
    for (const o of r.objects.slice(0, top)) {
      console.log(`${String(o.count).padStart(12)} ${per(o.count)}  ${o.name}`);
    }
  }, USAGE);
}
