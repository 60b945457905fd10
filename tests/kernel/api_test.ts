/**
 * The KernelApi on a booted kernel (pid 1 loaded, not yet running): guest
 * memory checks, process and signal operations, descriptors and modules
 * answer statuses for bad input and never throw.
 */
import assert from "node:assert/strict";
import { boot } from "../../system/boot.ts";
import { assertFinished, guarded } from "../guest_guard.ts";
import { BLOCK, K, type Process, PROT, SIG, WAIT } from "../../kernel/api.ts";

async function booted(init = "/bin/echo", initArgs = ["x"]) {
  // `sleep 1` needs ~100 M cycles (1 simulated second); the rest much less.
  const sys = await boot(guarded({ init, initArgs, maxCycles: 1_000_000_000 }), { kind: "buffer" });
  const k = sys.kernel;
  const p = k.getProcess(1)!;
  return { sys, k, p, t: p.mainThread };
}

Deno.test("api: guest memory access with bad pointers gives FAULT, never an exception", async () => {
  const { sys, k, p } = await booted();
  assert.equal(k.copyIn(p, 0, 4), null, "NULL page");
  assert.equal(k.copyIn(p, 0xdead_0000, 16), null, "unmapped");
  assert.equal(k.copyIn(p, 0xffff_fff0, 64), null, "wraps past 4 GiB");
  assert.equal(k.copyIn(p, 0x8000_0000, 4), null, "kernel half");
  assert.equal(k.copyOut(p, 0x1000, new Uint8Array(4)), false);
  assert.equal(k.readString(p, 0), K.FAULT);
  assert.equal(k.readU32(p, 0xffff_fffd), K.FAULT);
  assert.equal(k.writeU32(p, 4, 1), false);
  assert.equal(k.readStringArray(p, 0x10), K.FAULT);
  assert.deepEqual(k.readStringArray(p, 0), [], "NULL argv is empty");
  assert.equal(k.checkAccess(p, 0, 1, false), false);
  // The text segment is readable but not writable.
  const text = (p.space as unknown as { regions: { start: number; prot: number }[] }).regions
    .find((r) => (r.prot & PROT.EXEC) !== 0)!;
  assert.ok(k.copyIn(p, text.start, 4) !== null);
  assert.equal(k.copyOut(p, text.start, new Uint8Array(4)), false);
  // The stack is writable, and strings round-trip.
  const sp = 0x7fff_f000;
  assert.ok(k.copyOut(p, sp, new TextEncoder().encode("abc\0")));
  assert.equal(k.readString(p, sp), "abc");
  assert.equal(k.readString(p, sp, 2), K.NAMETOOLONG);
  sys.machine.close();
});

Deno.test("api: memory mapping calls validate their arguments", async () => {
  const { sys, k, p } = await booted();
  const a = k.mmap(p, 0, 8192, PROT.READ | PROT.WRITE, false);
  assert.ok(a > 0);
  assert.ok(k.copyOut(p, a, new Uint8Array([1, 2, 3])));
  assert.equal(k.mprotect(p, a, 4096, PROT.READ), K.OK);
  assert.equal(k.copyOut(p, a, new Uint8Array(1)), false);
  assert.equal(k.mprotect(p, a + 1, 4096, PROT.READ), K.INVAL);
  assert.equal(k.munmap(p, a, 0), K.INVAL);
  assert.equal(k.munmap(p, a, 8192), K.OK);
  assert.equal(k.copyIn(p, a, 1), null);
  assert.equal(k.mmap(p, 0x123, 4096, PROT.READ, true), K.INVAL);
  assert.equal(k.mmap(p, 0, 0, PROT.READ, false), K.INVAL);
  assert.equal(k.mmap(p, 0, 0x7fff_ffff, PROT.READ, false), K.NOMEM);
  const brk0 = k.brk(p, 0);
  assert.equal(k.brk(p, brk0 + 100_000), brk0 + 100_000);
  assert.equal(k.brk(p, 0x7fff_0000), brk0 + 100_000, "refused, unchanged");
  sys.machine.close();
});

Deno.test("api: process and signal operations answer statuses", async () => {
  const { sys, k, p, t } = await booted();
  assert.equal(k.kill(p, 99999, SIG.TERM), K.SRCH);
  assert.equal(k.kill(p, 1, 65), K.INVAL);
  assert.equal(k.kill(p, 1, 0), K.OK, "existence check");
  assert.equal(k.kill(p, -4242, SIG.TERM), K.SRCH);
  assert.equal(k.tgkill(p, 1, 0, SIG.TERM), K.INVAL);
  assert.equal(k.tgkill(p, 2, 1, SIG.TERM), K.SRCH);
  assert.equal(
    k.setSigAction(p, SIG.KILL, { handler: 1, flags: 0, maskLo: 0, maskHi: 0, restorer: 0 }),
    K.INVAL,
  );
  assert.equal(
    k.setSigAction(p, 0, { handler: 1, flags: 0, maskLo: 0, maskHi: 0, restorer: 0 }),
    K.INVAL,
  );
  assert.equal(
    k.setSigAction(p, SIG.USR1, {
      handler: 0x1234,
      flags: 0,
      maskLo: 1 << 8,
      maskHi: 0,
      restorer: 0,
    }),
    K.OK,
  );
  assert.equal(k.sigAction(p, SIG.USR1).maskLo, 0, "SIGKILL cannot be in a handler mask");
  k.setSignalMask(t, 0xffff_ffff, 0);
  assert.equal(t.sigBlockedLo & (1 << (SIG.KILL - 1)), 0);
  assert.equal(k.wait(t, -1, 0), K.CHILD);
  assert.equal(k.wait(t, -1, WAIT.NOHANG), K.CHILD);
  assert.equal(k.setpgid(p, 4242, 0), K.SRCH);
  assert.equal(k.setsid(p), K.PERM, "a group leader cannot start a session");
  assert.equal(k.getpgid(p, 0), 1);
  assert.equal(k.getsid(p, 777), K.SRCH);
  assert.equal(k.sleepUntil(t, 0), 0, "a past deadline does not block");
  sys.machine.close();
});

Deno.test("api: fork gives a COW child that can be waited for", async () => {
  const { sys, k, t } = await booted();
  t.state = 1; // RUNNING, as in a system call
  const c = k.fork(t);
  assert.ok(typeof c !== "number");
  assert.equal(c.ppid, 1);
  assert.equal(c.mainThread.regs[10], 0, "child sees 0");
  assert.equal(k.wait(t, c.pid, WAIT.NOHANG), 0, "still running");
  assert.equal(k.wait(t, c.pid, 0), BLOCK);
  k.exit(c.mainThread, 3);
  t.state = 1;
  const rec = k.wait(t, c.pid, 0);
  assert.ok(typeof rec !== "number");
  assert.equal(rec.code, 3);
  assert.equal(rec.status, 3 << 8);
  assert.equal(k.getProcess(c.pid), null, "reaped");
  sys.machine.close();
});

Deno.test("api: descriptors (dup, dup3, cloexec) and bad descriptors", async () => {
  const { sys, k, p } = await booted();
  assert.deepEqual(k.fdList(p), [0, 1, 2]);
  assert.equal(k.fdGet(p, -1), null);
  assert.equal(k.fdGet(p, 99), null);
  assert.equal(k.fdClose(p, 42), K.BADF);
  assert.equal(k.fdDup(p, 42, 0, false), K.BADF);
  const d = k.fdDup(p, 1, 10, true);
  assert.equal(d, 10);
  assert.equal(k.fdGetCloexec(p, 10), 1);
  assert.equal(k.fdDup3(p, 1, 5, false), 5);
  assert.equal(k.fdGet(p, 5), k.fdGet(p, 1));
  assert.equal(k.fdDup3(p, 1, 100000, false), K.BADF);
  assert.equal(k.fdSetCloexec(p, 77, true), K.BADF);
  assert.equal(k.chdir(p, "/nonexistent"), K.NOENT);
  assert.equal(k.chdir(p, "/bin"), K.OK);
  assert.equal(p.cwd, "/bin");
  assert.equal(k.exec(p.mainThread, "/nonexistent", ["x"], []), K.NOENT);
  assert.equal(k.exec(p.mainThread, "/dev/null", ["x"], []), K.ACCES);
  sys.machine.close();
});

Deno.test("api: a machine without Sv32 is refused with a clear error", async () => {
  const { createMachine } = await import("../../hw/machine.ts");
  const { Kernel, KernelConfigError } = await import("../../kernel/kernel.ts");
  const m = createMachine({ ramSize: 1 << 20, cpu: { mmu: "baselimit" }, rtcEpochNs: 0n });
  assert.throws(() => new Kernel({ machine: m }), KernelConfigError);
  m.close();
});

Deno.test("api: spawn starts a child program without fork, or fails leaving nothing", async () => {
  const { sys, k, t } = await booted("/bin/sleep", ["1"]);
  const before = k.processes().length;
  assert.equal(k.spawn(t, "/bin/nonexistent", ["x"], []), K.NOENT);
  assert.equal(k.processes().length, before, "nothing left behind");
  const c = k.spawn(t, "/bin/echo", ["echo", "spawned"], []);
  assert.ok(typeof c !== "number");
  assert.equal(c.ppid, 1);
  assert.equal(c.comm, "echo");
  assert.deepEqual(k.fdList(c), [0, 1, 2], "descriptors inherited");
  const r = assertFinished(await sys.run(), "sleep 1 and a spawned echo");
  sys.machine.close();
  assert.match(r.output, /spawned/);
});

Deno.test("api: forking until memory runs out fails with a status, and exits give it all back", async () => {
  const sys = await boot({ init: "/bin/sh", ramSize: 1 << 20 }, { kind: "buffer" });
  const k = sys.kernel;
  const t = k.getProcess(1)!.mainThread;
  t.state = 1;
  const free0 = k.frames.free;
  const kids: Process[] = [];
  let r: Process | number = 0;
  for (let i = 0; i < 10_000; i++) {
    r = k.fork(t);
    if (typeof r === "number") break;
    kids.push(r);
    // Touch the child's stack so it owns private pages, as a running child would.
    k.copyOut(r, 0x7fff_f000, new Uint8Array(4096));
  }
  assert.ok(r === K.NOMEM || r === K.AGAIN, `fork ended with ${String(r)}`);
  assert.ok(kids.length > 3);
  for (const c of kids) k.exit(c.mainThread, 0);
  for (const c of kids) {
    t.state = 1;
    const w = k.wait(t, c.pid, 0);
    assert.ok(typeof w !== "number");
  }
  assert.equal(k.frames.free, free0, "every frame returned");
  sys.machine.close();
});

Deno.test("api: exec runs #! scripts through their interpreter", async () => {
  const { OpenFlags } = await import("../../kernel/api.ts");
  const { sys, k, t } = await booted("/bin/sleep", ["1"]);
  const r = k.vfs.open(null, "/tmp/hello.sh", OpenFlags.WRITE | OpenFlags.CREATE, 0o755);
  assert.ok(typeof r !== "number");
  k.vfs.write(r.file, new TextEncoder().encode("#!/bin/sh\necho from a script $0\n"));
  k.vfs.close(r.file);
  const c = k.spawn(t, "/tmp/hello.sh", ["hello.sh"], []);
  assert.ok(typeof c !== "number", `spawn: ${String(c)}`);
  assert.equal(c.comm, "sh");
  assert.deepEqual(c.argv, ["/bin/sh", "/tmp/hello.sh"]);
  const res = assertFinished(await sys.run(), "sleep 1 and a spawned script");
  sys.machine.close();
  assert.match(res.output, /from a script \/tmp\/hello.sh/);
});

Deno.test("RLIMIT_STACK sets the stack region of the next exec (at least 128 KiB, at most 8 MiB)", async () => {
  const { RLIMIT } = await import("../../kernel/proc/rlimits.ts");
  const { stackSizeFor } = await import("../../kernel/exec/exec_service.ts");
  assert.equal(stackSizeFor(Infinity), 8 << 20);
  assert.equal(stackSizeFor(1000), 128 << 10);
  assert.equal(stackSizeFor((256 << 10) + 1), (256 << 10) + 4096);
  const sys = await boot({ cmd: "cat /proc/self/maps", maxCycles: 2e9 }, { kind: "buffer" });
  sys.kernel.getProcess(1)!.rlimits.soft[RLIMIT.STACK] = 256 << 10;
  const r = await sys.run();
  sys.machine.close();
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /^7ffc0000-80000000 rw-p 00000000 00:00 0 +\[stack\]/m, r.output);
});
