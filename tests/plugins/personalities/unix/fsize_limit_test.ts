/** RLIMIT_FSIZE: a write is cut at the limit; one starting past it is EFBIG with SIGXFSZ. */
import assert from "node:assert/strict";
import { boot } from "../../../../system/boot.ts";
import { guarded } from "../../../guest_guard.ts";
import { K, OpenFlags, RLIMIT, TaskState } from "../../../../kernel/api.ts";
import { sysPwrite64, sysWrite } from "../../../../plugins/personalities/unix/read_write_calls.ts";

const BUF = 0x7fff_0000;
const SIGXFSZ = 25;

Deno.test("RLIMIT_FSIZE: write and pwrite64 stop at the limit, then EFBIG and SIGXFSZ", async () => {
  const sys = await boot(guarded({ init: "/bin/echo", initArgs: ["x"], maxCycles: 10_000_000 }), {
    kind: "buffer",
  });
  const k = sys.kernel;
  const p = k.getProcess(1)!;
  const t = p.mainThread;
  assert.equal(k.setRlimit(p, p, RLIMIT.FSIZE, 100, Infinity), K.OK);
  const r = k.vfs.open(null, "/tmp/f", OpenFlags.WRITE | OpenFlags.CREATE, 0o644);
  assert.ok(typeof r !== "number");
  const fd = k.fdInstall(p, r.file, false);
  assert.ok(k.copyOut(p, BUF, new Uint8Array(300).fill(65)));
  const call = (h: typeof sysWrite, ...args: number[]) => {
    args.forEach((a, i) => t.regs[10 + i] = a);
    return h(t, k);
  };
  assert.equal(call(sysWrite, fd, BUF, 60), 60);
  assert.equal(call(sysWrite, fd, BUF, 200), 40, "cut at the limit");
  assert.equal(p.state, TaskState.READY, "no signal for a cut write");
  // SIGXFSZ ignored: just EFBIG.
  const ign = { handler: 1, flags: 0, maskLo: 0, maskHi: 0, restorer: 0 };
  assert.equal(k.setSigAction(p, SIGXFSZ, ign), K.OK);
  assert.equal(call(sysWrite, fd, BUF, 10), K.FBIG);
  assert.equal(call(sysPwrite64, fd, BUF, 50, 80, 0), 20);
  assert.equal(call(sysPwrite64, fd, BUF, 50, 100, 0), K.FBIG);
  assert.equal(p.state, TaskState.READY);
  const st = k.vfs.stat(null, "/tmp/f");
  assert.ok(typeof st !== "number" && st.size === 100);
  // By default SIGXFSZ kills the writer (with a core flag).
  assert.equal(k.setSigAction(p, SIGXFSZ, { ...ign, handler: 0 }), K.OK);
  assert.equal(call(sysWrite, fd, BUF, 10), K.FBIG);
  assert.equal(p.state, TaskState.ZOMBIE);
  sys.machine.close();
});
