/** prlimit64 on a booted kernel: reading, setting, the other-process rule, bad arguments. */
import assert from "node:assert/strict";
import { boot } from "../../../../system/boot.ts";
import { guarded } from "../../../guest_guard.ts";
import { K, type Process, RLIMIT } from "../../../../kernel/api.ts";
import { sysPrlimit64 } from "../../../../plugins/personalities/unix/rlimit_calls.ts";

const BUF = 0x7fff_f000; // on init's stack

async function booted() {
  const sys = await boot(guarded({ init: "/bin/echo", initArgs: ["x"], maxCycles: 10_000_000 }), {
    kind: "buffer",
  });
  const k = sys.kernel;
  const init = k.getProcess(1)!;
  const prlimit = (caller: Process, ...args: number[]) => {
    const t = caller.mainThread;
    args.forEach((a, i) => t.regs[10 + i] = a);
    return sysPrlimit64(t, k);
  };
  const put = (p: Process, soft: bigint, hard: bigint) => {
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    v.setBigUint64(0, soft, true);
    v.setBigUint64(8, hard, true);
    assert.ok(k.copyOut(p, BUF, b));
  };
  const get = (p: Process, at = BUF + 32) => {
    const b = k.copyIn(p, at, 16)!;
    const v = new DataView(b.buffer, b.byteOffset, 16);
    return [v.getBigUint64(0, true), v.getBigUint64(8, true)];
  };
  return { sys, k, init, prlimit, put, get };
}

const INF = 0xffff_ffff_ffff_ffffn;

Deno.test("prlimit64 reads and sets limits (RLIM64_INFINITY is all ones)", async () => {
  const { sys, init, prlimit, put, get } = await booted();
  assert.equal(prlimit(init, 0, RLIMIT.STACK, 0, BUF + 32), 0);
  assert.deepEqual(get(init), [8n * 1024n * 1024n, INF]);
  assert.equal(prlimit(init, 0, RLIMIT.CORE, 0, BUF + 32), 0);
  assert.deepEqual(get(init), [0n, INF]);
  put(init, 100n, 200n);
  assert.equal(prlimit(init, 1, RLIMIT.CPU, BUF, BUF + 32), 0, "old values come back");
  assert.deepEqual(get(init), [INF, INF]);
  assert.equal(init.rlimits.soft[RLIMIT.CPU], 100);
  assert.equal(init.rlimits.hard[RLIMIT.CPU], 200);
  put(init, INF, INF);
  assert.equal(prlimit(init, 0, RLIMIT.CPU, BUF, 0), 0, "root raises the hard limit");
  assert.equal(init.rlimits.hard[RLIMIT.CPU], Infinity);
  sys.machine.close();
});

Deno.test("prlimit64: EINVAL, EPERM, ESRCH, EFAULT as Linux", async () => {
  const { sys, k, init, prlimit, put } = await booted();
  assert.equal(prlimit(init, 0, 16, 0, BUF + 32), K.INVAL, "no resource 16");
  put(init, 300n, 200n);
  assert.equal(prlimit(init, 0, RLIMIT.CPU, BUF, 0), K.INVAL, "soft above hard");
  assert.equal(prlimit(init, 4242, RLIMIT.CPU, 0, BUF + 32), K.SRCH);
  assert.equal(prlimit(init, 0, RLIMIT.CPU, 0x10, 0), K.FAULT);
  const user = k.fork(init.mainThread) as Process;
  user.uid = 1001;
  put(user, 10n, INF);
  assert.equal(prlimit(user, 0, RLIMIT.NOFILE, BUF, 0), K.PERM, "raising the hard limit");
  assert.equal(prlimit(user, 1, RLIMIT.NOFILE, 0, BUF + 32), K.PERM, "root's process");
  put(user, 10n, 100n);
  assert.equal(prlimit(user, 0, RLIMIT.NOFILE, BUF, 0), 0);
  assert.equal(prlimit(init, user.pid, RLIMIT.NOFILE, 0, BUF + 32), 0, "root reads anyone's");
  sys.machine.close();
});
