/**
 * Resource limits on a booted kernel: RLIMIT_NPROC and threads-max stop a
 * fork bomb with EAGAIN, RLIMIT_AS and RLIMIT_DATA bound mmap and brk,
 * RLIMIT_NOFILE sizes the descriptor table.
 */
import assert from "node:assert/strict";
import { boot } from "../../../system/boot.ts";
import { guarded } from "../../guest_guard.ts";
import { K, type Process, PROT, RLIMIT } from "../../../kernel/api.ts";

async function booted() {
  const sys = await boot(guarded({ init: "/bin/echo", initArgs: ["x"], maxCycles: 10_000_000 }), {
    kind: "buffer",
  });
  const k = sys.kernel;
  return { sys, k, init: k.getProcess(1)! };
}

Deno.test("fork: RLIMIT_NPROC counts the user's processes; root is exempt", async () => {
  const { sys, k, init } = await booted();
  const user = k.fork(init.mainThread) as Process;
  user.uid = 1001;
  assert.equal(user.rlimits.soft[RLIMIT.NPROC], 512, "half of threads-max (1,024 for 64 MiB)");
  assert.equal(k.setRlimit(user, user, RLIMIT.NPROC, 6, 6), K.OK);
  let made = 1;
  for (;;) {
    const c = k.fork(user.mainThread);
    if (typeof c === "number") {
      assert.equal(c, K.AGAIN);
      break;
    }
    made++;
    assert.ok(made <= 6, "the limit holds");
  }
  assert.equal(made, 6);
  assert.ok(typeof k.fork(init.mainThread) !== "number", "root still forks");
  assert.equal(k.setRlimit(user, user, RLIMIT.NPROC, 6, 7), K.PERM, "raising hard needs root");
  assert.equal(k.setRlimit(user, user, RLIMIT.NPROC, 8, 6), K.INVAL, "soft above hard");
  sys.machine.close();
});

Deno.test("fork: threads-max bounds every process, root's too", async () => {
  const { sys, k, init } = await booted();
  const table = (k as unknown as { table: { threadsMax: number; byPid: Map<number, Process> } })
    .table;
  table.threadsMax = table.byPid.size + 3;
  for (let i = 0; i < 3; i++) assert.ok(typeof k.fork(init.mainThread) !== "number");
  assert.equal(k.fork(init.mainThread), K.AGAIN);
  sys.machine.close();
});

Deno.test("RLIMIT_AS bounds mmap and brk, RLIMIT_DATA the heap and writable mappings", async () => {
  const { sys, k, init } = await booted();
  const vsize = (init.space as unknown as { vsize: number }).vsize;
  assert.equal(k.setRlimit(init, init, RLIMIT.AS, vsize + 65536, Infinity), K.OK);
  assert.ok(k.mmap(init, 0, 32768, PROT.READ | PROT.WRITE, false) > 0);
  assert.equal(k.mmap(init, 0, 65536, PROT.READ | PROT.WRITE, false), K.NOMEM);
  const brk0 = k.brk(init, 0);
  assert.equal(k.brk(init, brk0 + 65536), brk0, "brk past RLIMIT_AS is refused");
  assert.equal(k.brk(init, brk0 + 16384), brk0 + 16384);
  assert.equal(k.setRlimit(init, init, RLIMIT.AS, Infinity, Infinity), K.OK);
  assert.equal(k.setRlimit(init, init, RLIMIT.DATA, 20000, Infinity), K.OK);
  assert.equal(k.brk(init, brk0 + 24576), brk0 + 16384, "brk past RLIMIT_DATA is refused");
  assert.equal(k.brk(init, brk0 + 20000), brk0 + 20000);
  // RLIMIT_DATA counts writable private mappings too (not read-only ones).
  const data = (init.space as unknown as {
    regions: { start: number; end: number; prot: number; name: string }[];
  })
    .regions.filter((r) => (r.prot & PROT.WRITE) && r.name !== "[stack]")
    .reduce((n, r) => n + r.end - r.start, 0);
  assert.equal(k.setRlimit(init, init, RLIMIT.DATA, data + 8192, Infinity), K.OK);
  assert.equal(k.mmap(init, 0, 16384, PROT.READ | PROT.WRITE, false), K.NOMEM);
  assert.ok(k.mmap(init, 0, 16384, PROT.READ, false) > 0, "read-only: not data");
  assert.ok(k.mmap(init, 0, 8192, PROT.READ | PROT.WRITE, false) > 0);
  sys.machine.close();
});

Deno.test("RLIMIT_NOFILE is the descriptor table's size", async () => {
  const { sys, k, init } = await booted();
  const files = init.files as unknown as { max: number; list(): number[] };
  assert.equal(init.rlimits.soft[RLIMIT.NOFILE], files.max);
  assert.equal(k.setRlimit(init, init, RLIMIT.NOFILE, 5, 4096), K.OK);
  assert.equal(files.max, 5);
  assert.equal(k.setRlimit(init, init, RLIMIT.NOFILE, 5, 2 ** 21), K.PERM, "past nr_open");
  sys.machine.close();
});

Deno.test("/proc/sys/kernel/pid_max and threads-max show the task limits", async () => {
  const { sys, k } = await booted();
  const read = (path: string) => new TextDecoder().decode(k.vfs.readWholeFile(path) as Uint8Array);
  assert.equal(read("/proc/sys/kernel/pid_max"), "32768\n");
  assert.equal(read("/proc/sys/kernel/threads-max"), "1024\n");
  const d = k.vfs.open(null, "/proc/sys/kernel", 1 | 64);
  assert.ok(typeof d !== "number");
  const names = (k.vfs.readdir(d.file) as { name: string }[]).map((e) => e.name);
  assert.deepEqual(names, [".", "..", "pid_max", "threads-max"]);
  sys.machine.close();
});
