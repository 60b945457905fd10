import assert from "node:assert/strict";
import {
  compare,
  COMPARE_SPECS,
  type CompareSpec,
  formatTable,
  tableCells,
} from "../../bench/compare.ts";
import { CompareError, type Engine, setUpEngines } from "../../bench/compare_engines.ts";
import { BENCHMARKS } from "../../userland/mod.ts";

/** An engine whose host time is a fixed number of ns per unit of N, so figures are exact. */
function fakeEngine(
  name: string,
  nsPerN: number,
  stdout = (n: number) => `ok ${n}\n`,
  cpuScale = 1,
): Engine {
  return {
    name,
    cpuScale,
    run: (_p, n) => Promise.resolve({ ns: 1000 + n * nsPerN, stdout: stdout(n), instret: null }),
  };
}

const SPEC: CompareSpec = {
  program: "bench_int",
  label: "integer",
  kind: "cpu",
  opsPerN: 2,
  n1: 10,
  n2: 30,
};

Deno.test("compare: ns/op is the difference of the two runs per operation; ratios to interp", async () => {
  const rows = await compare([SPEC], [fakeEngine("qemu", 40), fakeEngine("interp", 400)], 3);
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0].engines.qemu, { median: 20, min: 20, max: 20 });
  assert.deepEqual(rows[0].engines.interp, { median: 200, min: 200, max: 200 });
  const cells = tableCells(rows, ["qemu", "interp"]);
  assert.deepEqual(cells[0], [
    "benchmark",
    "instr/op",
    "qemu ns/op (min-max)",
    "interp ns/op (min-max)",
    "qemu MIPS",
    "interp MIPS",
    "interp / qemu",
  ]);
  assert.equal(cells[1][6], "10x");
  assert.match(formatTable(cells, true), /^\| benchmark +\| instr\/op \|/);
});

Deno.test("compare: a scaled engine runs larger Ns and still gives ns per operation", async () => {
  const ran: number[] = [];
  const base = fakeEngine("native", 4, undefined, 50);
  const spy: Engine = { ...base, run: (p, n) => (ran.push(n), base.run(p, n)) };
  const rows = await compare([SPEC], [spy], 1);
  assert.deepEqual(rows[0].engines.native, { median: 2, min: 2, max: 2 });
  assert.deepEqual(ran, [10, 30, 500, 1500]); // warm-up with the spec's Ns, then scaled
});

Deno.test("compare: an engine with windows is timed inside one run of N2, its output checked", async () => {
  const windows: number[][] = [];
  const base = fakeEngine("interp", 400);
  const marked: Engine = {
    ...base,
    window: (_p, n1, n2) => {
      windows.push([n1, n2]);
      return Promise.resolve({ nsPerN: 600, stdout: `ok ${n2}\n` });
    },
  };
  const rows = await compare([SPEC], [fakeEngine("qemu", 40), marked], 2);
  assert.deepEqual(windows, [[10, 30], [10, 30]]);
  assert.deepEqual(rows[0].engines.interp, { median: 300, min: 300, max: 300 });
  const wrong: Engine = {
    ...marked,
    window: (_p, _n1, n2) => Promise.resolve({ nsPerN: 600, stdout: `ok ${n2 + 1}\n` }),
  };
  await assert.rejects(compare([SPEC], [fakeEngine("qemu", 40), wrong], 1), CompareError);
});

Deno.test("compare: a window starts warmN later and ends at strataN2; other engines keep N1 and N2", async () => {
  const windows: number[][] = [];
  const ran: number[] = [];
  const marked: Engine = {
    ...fakeEngine("interp", 400),
    window: (_p, n1, n2) => {
      windows.push([n1, n2]);
      return Promise.resolve({ nsPerN: 600, stdout: `ok ${n2}\n` });
    },
  };
  const qemu = fakeEngine("qemu", 40);
  const spy: Engine = { ...qemu, run: (p, n) => (ran.push(n), qemu.run(p, n)) };
  const spec: CompareSpec = { ...SPEC, kind: "kernel", warmN: 100, strataN2: 50 };
  await compare([spec], [spy, marked], 2);
  assert.deepEqual(windows, [[110, 150], [110, 150]]);
  assert.deepEqual(ran, [10, 30, 10, 30, 10, 30]);
  const fork = COMPARE_SPECS.find((c) => c.program === "bench_fork")!;
  assert.ok(fork.strataN2! > fork.n2, "the fork's window on Strata is the longer one");
});

Deno.test("compare: engines that print different output stop the comparison", async () => {
  const bad = fakeEngine("interp", 400, (n) => `ok ${n} deadbeef\n`);
  await assert.rejects(compare([SPEC], [fakeEngine("qemu", 40), bad], 1), CompareError);
});

Deno.test("compare: the interpreter engine runs a CPU program in a child, counts its instructions, times a window", async () => {
  const { engines } = await setUpEngines(["interp"], []);
  const spec: CompareSpec = { ...SPEC, opsPerN: 1, n1: 5, n2: 25 };
  const rows = await compare([spec], engines, 1);
  // The loop body is 16 rounds of about 28 instructions: deterministic, not timed.
  const instr = rows[0].instrPerOp!;
  assert.ok(instr > 300 && instr < 600, `instructions per op ${instr}`);
  // Its timed sample is a window between two marks of one run in a process of its own.
  const ns = rows[0].engines.interp.median;
  assert.ok(Number.isFinite(ns) && ns > 0, `ns per op ${ns}`);
});

Deno.test("compare: every spec names a built benchmark program with n1 < n2", () => {
  for (const s of COMPARE_SPECS) {
    assert.ok(BENCHMARKS.includes(s.program), s.program);
    assert.ok(s.n1 > 0 && s.n1 < s.n2, s.program);
  }
});
