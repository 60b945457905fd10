// A blocked pipe read or write is finished by its waker (`ParkedCall`): the
// sleeper resumes past its ecall instead of running the call again. The
// system-call counter shows it (bench_pipe's round trip is four calls, two
// writes and two reads, not six), both engines agree cycle for cycle, and a
// traced run keeps the restart so that strace's `<unfinished ...>` /
// `<... read resumed>` pair stays right. The semantics of waiting on a pipe
// (EOF, EPIPE, EINTR and SA_RESTART, several reader threads, PIPE_BUF, poll,
// O_NONBLOCK, EFAULT) are `userland/tests/test_pipe_wait.c`, which runs on
// Strata (tests/plugins/personalities/unix/interop_strata_test.ts) and under
// qemu-riscv32 (tests/interop/qemu_tests_test.ts).
import assert from "node:assert/strict";
import { boot, runGuest } from "../../system/boot.ts";
import { assertFinished, guarded } from "../guest_guard.ts";

async function pipeRun(n: number, cpu: "interp" | "jit") {
  const sys = await boot(guarded({ cmd: `/bin/bench_pipe ${n}`, cpu, maxCycles: 50_000_000 }), {
    kind: "buffer",
  });
  try {
    const r = assertFinished(await sys.run(), `bench_pipe ${n}`);
    assert.equal(r.status, 0);
    return { syscalls: sys.kernel.loop.stats.syscalls, cycles: sys.machine.clock.now };
  } finally {
    sys.machine.close();
  }
}

Deno.test("parked call: a pipe round trip is four system calls, the same cycles under both engines", async () => {
  const runs = [];
  for (const cpu of ["interp", "jit"] as const) {
    const a = await pipeRun(200, cpu);
    const b = await pipeRun(400, cpu);
    // Each round trip: two writes and two reads, the blocked reads finished by the writes.
    assert.equal(b.syscalls - a.syscalls, 4 * 200, `${cpu}: system calls per round trip`);
    runs.push(a, b);
  }
  assert.deepEqual(runs.slice(0, 2), runs.slice(2), "the engines agree");
});

Deno.test("parked call: a traced blocking read restarts, with its unfinished and resumed lines", async () => {
  const lines: string[] = [];
  const r = await runGuest(
    guarded({ cmd: "/bin/bench_pipe 3", trace: (l) => lines.push(l), maxCycles: 50_000_000 }),
  );
  assert.equal(r.status, 0);
  const reads = lines.filter((l) =>
    /\] (<\.\.\. )?read[( ]/.test(l) && !l.includes('read(3, "\\177ELF')
  );
  const unfinished = reads.filter((l) => l.includes("<unfinished ...>"));
  const resumed = reads.filter((l) => l.includes("<... read resumed>"));
  assert.ok(unfinished.length >= 3, reads.join("\n"));
  assert.equal(resumed.length, unfinished.length, reads.join("\n"));
  for (const l of resumed) assert.match(l, /<\.\.\. read resumed>.*\) = 1$/);
});
