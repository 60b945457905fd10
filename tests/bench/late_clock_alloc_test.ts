// The system-call paths allocate no more per call once the clock is past
// V8's small-integer range than before it: getpid, sched_yield and a pipe
// round trip on a machine whose clock starts at 2^32 cycles against one
// whose clock starts at 0, under both engines. The figure is the V8 heap's
// allocation counter over windows of simulated time in one long run (clock
// events read it), the smallest of twelve, so that boot, exec and V8's
// compiles stay outside (a page function is optimized again for each new
// machine, and later on a loaded host); the operations in a window are its
// cycles over the program's (deterministic) cycles per operation. A boxed
// cycle count costs 12 to 16 bytes each time, and the paths boxed one to
// eight per call before (the tree before fails with 17 to 560 bytes per
// operation); the margin sits above the noise of a few bytes. (The pipe
// allocates a few bytes per round trip from any start: hence the
// comparison.)
import assert from "node:assert/strict";
import v8 from "node:v8";
import { lateStart, parseCycles, runHotPath } from "../../bench/hot_paths.ts";
import { boot } from "../../system/boot.ts";

const MARGIN = 8;
const START = 2 ** 32;

interface Case {
  name: string;
  program: string;
  n: number;
  /** Simulated cycles per operation (as from a clock that starts at 0). */
  cycles: number;
}

/** Windows of {@link WINDOW} cycles from {@link FIRST} cycles after the start. */
const FIRST = 40e6, WINDOW = 50e6, WINDOWS = 12;

const CASES: Case[] = [
  { name: "getpid", program: "bench_getpid", n: 5_400_000, cycles: 121 },
  // Parent and child yield N times each: an operation is one yield.
  { name: "yield", program: "bench_yield", n: 760_000, cycles: 426 },
  { name: "pipe", program: "bench_pipe", n: 460_000, cycles: 1183.2 },
];

function allocated(): number {
  const stats = v8.getHeapStatistics() as unknown as { total_allocated_bytes: number };
  return stats.total_allocated_bytes;
}

async function bytesPerOp(c: Case, cpu: "interp" | "jit", start: number): Promise<number> {
  // A first run compiles what the program runs (V8 and the translator).
  await runHotPath(lateStart(boot, start), c.program, c.n / 10, cpu);
  const sys = await boot({ cmd: `/bin/${c.program} ${c.n}`, cpu }, { kind: "buffer" });
  try {
    const clock = sys.machine.clock;
    clock.advanceTo(start);
    const marks = new Float64Array(WINDOWS + 1);
    for (let i = 0; i <= WINDOWS; i++) {
      clock.scheduleAt(start + FIRST + i * WINDOW, () => marks[i] = allocated());
    }
    const r = await sys.run();
    assert.equal(r.status, 0);
    assert.ok(marks[WINDOWS] > 0, "the run ended before the last window did");
    let least = Infinity;
    for (let i = 0; i < WINDOWS; i++) least = Math.min(least, marks[i + 1] - marks[i]);
    return least / (WINDOW / c.cycles);
  } finally {
    sys.machine.close();
  }
}

for (const cpu of ["interp", "jit"] as const) {
  for (const c of CASES) {
    Deno.test(`late clock: ${c.name} allocates no more past 2^32 cycles (${cpu})`, async () => {
      let late = await bytesPerOp(c, cpu, START);
      let early = await bytesPerOp(c, cpu, 0);
      if (late >= early + MARGIN) {
        // Once more: on a loaded host V8 may not have re-optimized the
        // page functions for the new machine in any window; a path that
        // boxes cycle counts fails again.
        late = await bytesPerOp(c, cpu, START);
        early = await bytesPerOp(c, cpu, 0);
      }
      assert.ok(
        late < early + MARGIN,
        `${c.name} (${cpu}): ${late.toFixed(2)} bytes per operation from 2^32, ` +
          `${early.toFixed(2)} from 0`,
      );
    });
  }
}

Deno.test("late clock: cycle counts as numbers or powers of two", () => {
  assert.equal(parseCycles("2^32"), 4294967296);
  assert.equal(parseCycles("1000"), 1000);
  assert.throws(() => parseCycles("-1"));
  assert.throws(() => parseCycles("2^x"));
});
