/**
 * Containment: hostile workloads against a 64 MiB guest. Each must end with
 * the error Linux gives, inside the guard's host-time limit (a hang guard,
 * not a timing assertion), and with the host memory it holds bounded (read
 * in-process from `Deno.memoryUsage()`: the growth of this isolate's JS
 * heap plus external memory, where guest RAM, ramfs pages and pipe buffers
 * live, during the workload; generous: 500 MB). The process RSS is not
 * used: `deno test --parallel` runs other test files in the same process,
 * and memory of earlier tests is freed only when the collector runs.
 */
import assert from "node:assert/strict";
import { boot } from "../../system/boot.ts";
import { runBareElf } from "../../system/bare_runner.ts";
import { createMachine } from "../../hw/machine.ts";
import { parseElf32, PF_R, PF_W, PT_LOAD } from "../../lib/elf.ts";
import { guarded, HOST_LIMIT_MS, runGuarded } from "../guest_guard.ts";
import { K, OpenFlags, type Process, RLIMIT } from "../../kernel/api.ts";

/** Host memory bound for a 64 MiB guest. */
const HOST_MEMORY_LIMIT = 500 * 1024 * 1024;

/** Host memory this isolate holds: JS heap plus external (ArrayBuffer) memory. */
function heldNow(): number {
  const m = Deno.memoryUsage();
  return m.heapUsed + m.external;
}

/** The start of a workload: host time and memory. */
function start(): { t0: number; held0: number } {
  return { t0: performance.now(), held0: heldNow() };
}

/** The workload since `s` stayed inside the host-time guard and added less than the bound. */
function assertHostBounded(what: string, s: { t0: number; held0: number }): void {
  const grown = heldNow() - s.held0;
  assert.ok(grown < HOST_MEMORY_LIMIT, `${what}: ${Math.round(grown / 1e6)} MB of host memory`);
  const ms = performance.now() - s.t0;
  assert.ok(ms < HOST_LIMIT_MS, `${what}: ${Math.round(ms)} ms of host time`);
}

async function booted() {
  const sys = await boot(guarded({ init: "/bin/echo", initArgs: ["x"], maxCycles: 1e7 }), {
    kind: "buffer",
  });
  return { sys, k: sys.kernel, init: sys.kernel.getProcess(1)! };
}

/** An ELF whose program headers are `n` PT_LOAD segments of almost 2 GiB at one address. */
function hugeHeaderElf(n: number): Uint8Array {
  const b = new Uint8Array(52 + n * 32);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  dv.setUint16(16, 2, true);
  dv.setUint16(18, 243, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, 0x10000, true);
  dv.setUint32(28, 52, true);
  dv.setUint16(40, 52, true);
  dv.setUint16(42, 32, true);
  dv.setUint16(44, n, true);
  for (let i = 0; i < n; i++) {
    const o = 52 + i * 32;
    dv.setUint32(o, PT_LOAD, true);
    dv.setUint32(o + 8, 0x10000, true);
    dv.setUint32(o + 20, 0x7f000000 - 0x10000 - 0x800000, true);
    dv.setUint32(o + 24, PF_R | PF_W, true);
  }
  return b;
}

function put(k: Awaited<ReturnType<typeof booted>>["k"], path: string, data: Uint8Array): void {
  const r = k.vfs.open(null, path, OpenFlags.WRITE | OpenFlags.CREATE, 0o755);
  assert.ok(typeof r !== "number");
  assert.equal(k.vfs.write(r.file, data), data.length);
  k.vfs.close(r.file);
}

Deno.test("containment: an ELF with 2,000 huge overlapping PT_LOAD headers is ENOEXEC at once", async () => {
  const t0 = start();
  const { sys, k, init } = await booted();
  put(k, "/tmp/huge", hugeHeaderElf(2000));
  assert.equal(k.exec(init.mainThread, "/tmp/huge", ["huge"], []), K.NOEXEC);
  put(k, "/tmp/toomany", hugeHeaderElf(4000));
  assert.equal(k.exec(init.mainThread, "/tmp/toomany", ["x"], []), K.NOEXEC);
  sys.machine.close();
  assertHostBounded("huge PT_LOAD headers", t0);
});

Deno.test("containment: exec of a 250 MiB sparse file reads its header only", async () => {
  const t0 = start();
  const { sys, k, init } = await booted();
  put(k, "/tmp/sparse", new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]));
  assert.equal(k.vfs.truncate(null, "/tmp/sparse", 250 * 1024 * 1024), K.OK);
  assert.equal(k.exec(init.mainThread, "/tmp/sparse", ["sparse"], []), K.NOEXEC);
  sys.machine.close();
  assertHostBounded("250 MiB sparse exec", t0);
});

Deno.test("containment: filling /tmp stops at half of RAM with ENOSPC", async () => {
  const t0 = start();
  const r = await runGuarded({
    cmd: "yes xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx > /tmp/fill; echo status $?; ls -l /tmp/fill",
    maxCycles: 5e9,
  });
  assert.match(r.output, /yes: standard output: No space left on device/);
  assert.match(r.output, /status 1/);
  assert.match(r.output, / 33554432 /, "32 MiB: half of the 64 MiB guest");
  assertHostBounded("fill /tmp", t0);
});

Deno.test("containment: a fork bomb of uid 1001 hits RLIMIT_NPROC; root still forks", async () => {
  const t0 = start();
  const { sys, k, init } = await booted();
  const user = k.fork(init.mainThread) as Process;
  user.uid = 1001;
  const procs: Process[] = [user];
  let err = 0;
  for (let i = 0; err === 0 && i < 10_000; i++) {
    // Every process forks, as `f(){ f|f& }` does.
    const parent = procs[i % procs.length];
    const c = k.fork(parent.mainThread);
    if (typeof c === "number") err = c;
    else procs.push(c);
  }
  assert.equal(err, K.AGAIN);
  assert.equal(procs.length, user.rlimits.soft[RLIMIT.NPROC]);
  const rootChild = k.fork(init.mainThread);
  assert.ok(typeof rootChild !== "number", "root is not limited by the user's NPROC");
  // kill -9 -1 as the user reaches every one of its processes.
  assert.equal(k.kill(user, -1, 9), K.OK);
  sys.machine.close();
  assertHostBounded("fork bomb", t0);
});

Deno.test("containment: a --bare trap storm stops with a message", () => {
  const t0 = start();
  const bytes = Deno.readFileSync(new URL("../baremetal/bin/rv32ui_arith.elf", import.meta.url));
  const image = parseElf32(bytes);
  const seg = image.programHeaders.find((ph) =>
    ph.type === PT_LOAD && image.entry >= ph.vaddr && image.entry < ph.vaddr + ph.filesz
  )!;
  const at = seg.offset + image.entry - seg.vaddr;
  bytes.fill(0, at, at + 4);
  const m = createMachine({ ramSize: 4 << 20, rtcEpochNs: 0n });
  const r = runBareElf(m, parseElf32(bytes), { maxInstructions: 1e12 });
  m.close();
  assert.equal(r.message, "trap storm at pc=0x0 (cause 1)");
  assertHostBounded("trap storm", t0);
});

Deno.test("containment: listing a shared directory of 5,000 files is one host scan", async () => {
  const top = Deno.makeTempDirSync({ prefix: "strata_contain_" });
  try {
    for (let i = 0; i < 5000; i++) Deno.writeFileSync(`${top}/file${i}`, new Uint8Array(0));
    const t0 = start();
    const r = await runGuarded({
      cmd: "ls /mnt/host | wc -l",
      share: [{ hostDir: top, guestDir: "/mnt/host" }],
      maxCycles: 5e9,
    });
    assert.equal(r.output.trim(), "5000");
    assertHostBounded("5,000-file listing", t0);
  } finally {
    Deno.removeSync(top, { recursive: true });
  }
});

Deno.test("containment: a CPU hog under RLIMIT_CPU is stopped by SIGXCPU", async () => {
  const t0 = start();
  const sys = await boot(
    guarded({ cmd: "yes > /dev/null; echo status $?", maxCycles: 1e9 }),
    { kind: "buffer" },
  );
  const init = sys.kernel.getProcess(1)!;
  init.rlimits.soft[RLIMIT.CPU] = 1;
  init.rlimits.hard[RLIMIT.CPU] = 2;
  const r = await sys.run();
  sys.machine.close();
  assert.match(r.output, /status 152/, "128 + SIGXCPU (24)");
  assertHostBounded("CPU hog", t0);
});

Deno.test("containment: a memory hog is the OOM killer's victim; the shell goes on", async () => {
  const t0 = start();
  const r = await runGuarded({
    cmd: "sort /dev/zero; echo status $?; echo alive",
    ramSize: 8 << 20,
    maxCycles: 2e10,
  });
  assert.match(r.output, /status 137\r?\nalive/, "sort SIGKILLed, the shell runs on");
  const kills = r.log.filter((l) => /Out of memory: Killed process \d+ \(sort\)/.test(l));
  assert.equal(kills.length, 1, r.log.join("\n"));
  assertHostBounded("memory hog", t0);
});

Deno.test("containment: a shell fork bomb of uid 1001 gets EAGAIN; kill -9 -1 clears it", async () => {
  const t0 = start();
  const sys = await boot(
    guarded({
      cmd: "i=0; while [ $i -lt 600 ]; do (sleep 1000 &); i=$((i+1)); done 2>/tmp/err; " +
        "kill -9 -1; ps; head -n 1 /tmp/err",
      maxCycles: 2e10,
    }),
    { kind: "buffer" },
  );
  const init = sys.kernel.getProcess(1)!;
  init.uid = 1001;
  init.gid = 1001;
  const r = await sys.run();
  sys.machine.close();
  const lines = r.output.replaceAll("\r\n", "\n").trimEnd().split("\n");
  assert.equal(lines[lines.length - 1], "sh: fork: Resource temporarily unavailable");
  // After kill -9 -1 only init, the shell and ps itself are left.
  assert.equal(lines.length, 1 + 3 + 1, r.output);
  assertHostBounded("shell fork bomb", t0);
});
