/**
 * Guest programs under both CPU engines: the same boot with `cpu: "interp"`
 * and `cpu: "jit"` must give the same exit status, console output, cycle
 * count, instruction count and kernel counters (the translator's
 * differential test on whole systems; `tests/hw/translator_diff_test.ts`
 * compares the state at every trap on bare-metal programs).
 */
import assert from "node:assert/strict";
import { boot, type BootOptions, runGuest } from "../../system/boot.ts";
import { createMachine } from "../../hw/machine.ts";

const CASES: { name: string; options: BootOptions }[] = [
  { name: "test_libc", options: { init: "/bin/test_libc" } },
  { name: "test_signal", options: { init: "/bin/test_signal" } },
  { name: "test_fork_tree", options: { init: "/bin/test_fork_tree" } },
  { name: "a shell pipeline", options: { cmd: "seq 1 300 | sort -r | tail -n 3; echo $?" } },
  // System calls answered from translated code (hw/jit_ecall.ts).
  {
    name: "system call loops",
    options: { cmd: "bench_getpid 20000 && bench_yield 3000 && bench_pipe 500" },
  },
];

for (const c of CASES) {
  Deno.test(`cpu engines agree on ${c.name}`, async () => {
    const [a, b] = await Promise.all(
      (["interp", "jit"] as const).map((cpu) =>
        runGuest({ ...c.options, cpu, maxCycles: 500_000_000, quantum: "1ms" })
      ),
    );
    assert.equal(a.status, 0, `${a.reason} ${a.detail}\n${a.output}`);
    assert.equal(b.status, a.status);
    assert.equal(b.output, a.output);
    assert.equal(b.cycles, a.cycles);
    assert.equal(b.instret, a.instret);
    assert.deepEqual(b.stats, a.stats);
  });
}

Deno.test("the interpreter is the default engine; jit adds the translator", async () => {
  assert.equal(createMachine().cpu.translator, null);
  assert.notEqual(createMachine({ cpu: { engine: "jit" } }).cpu.translator, null);
  const sys = await boot({ cmd: "true" }, { kind: "buffer" });
  try {
    assert.equal(sys.machine.cpu.translator, null);
  } finally {
    sys.machine.close();
  }
});

Deno.test("a loop of system calls in a WebAssembly page function becomes JavaScript (auto), stays WebAssembly (wasm)", async () => {
  // Past the warm-up (JIT_WARMUP instructions, 7 a call), then SYSCALL_LOOP calls and more.
  const cmd = "/bin/bench_getpid 300000";
  const ref = await runGuest({ cmd, cpu: "interp" });
  for (const jitBackend of ["auto", "wasm"] as const) {
    const sys = await boot({ cmd, cpu: "jit", jitBackend }, { kind: "buffer" });
    try {
      const r = await sys.run();
      assert.equal(r.status, 0);
      assert.equal(r.output, ref.output);
      assert.equal(r.cycles, ref.cycles);
      assert.equal(r.instret, ref.instret);
      const tr = sys.machine.cpu.translator!;
      assert.ok(tr.wasm!.units > 0, `${jitBackend}: nothing compiled to WebAssembly`);
      assert.equal(tr.wasm!.failed, 0);
      assert.equal(tr.wasm!.tierUps, jitBackend === "auto" ? 1 : 0, jitBackend);
    } finally {
      sys.machine.close();
    }
  }
});

Deno.test("WebAssembly page functions chain into one another: awk's loop enters them from the inner loop far less often than JavaScript ones", async () => {
  // awk's interpreter calls through pointers, and into functions on other
  // pages and held in linked translations: JavaScript page functions
  // return to the inner loop at each, WebAssembly ones chain
  // (`docs/cpu.md`, "Chaining"); the run is the same either way.
  const cmd = "awk 'BEGIN{for(i=0;i<20000;i++)s+=i; print s}'";
  const runs = [];
  for (const jitBackend of ["js", "wasm"] as const) {
    const sys = await boot({ cmd, cpu: "jit", jitBackend }, { kind: "buffer" });
    try {
      const r = await sys.run();
      assert.equal(r.status, 0, r.output);
      runs.push({ r, entered: sys.machine.cpu.translator!.entered });
    } finally {
      sys.machine.close();
    }
  }
  const [js, wasm] = runs;
  assert.equal(wasm.r.output, js.r.output);
  assert.equal(wasm.r.cycles, js.r.cycles);
  assert.equal(wasm.r.instret, js.r.instret);
  // About 1.5 million entries against 0.24 million (0.59 million without
  // chaining into linked translations).
  assert.ok(wasm.entered * 4 < js.entered, `${wasm.entered} entries (wasm), ${js.entered} (js)`);
});
