/** syslog(2) on a booted kernel: dmesg reads the kernel ring buffer; clearing needs root. */
import assert from "node:assert/strict";
import { boot } from "../../../../system/boot.ts";
import { guarded } from "../../../guest_guard.ts";
import { K, type Process } from "../../../../kernel/api.ts";
import { sysSyslog } from "../../../../plugins/personalities/unix/syslog_calls.ts";

const BUF = 0x7fff_0000;

Deno.test("syslog: READ_ALL gives the ring buffer's newest bytes; CLEAR is root's", async () => {
  const sys = await boot(guarded({ init: "/bin/echo", initArgs: ["x"], maxCycles: 10_000_000 }), {
    kind: "buffer",
  });
  const k = sys.kernel;
  const init = k.getProcess(1)!;
  const call = (p: Process, type: number, buf: number, len: number) => {
    const t = p.mainThread;
    t.regs[10] = type;
    t.regs[11] = buf;
    t.regs[12] = len;
    return sysSyslog(t, k);
  };
  k.log("Out of memory: Killed process 9 (hog)");
  const size = call(init, 10, 0, 0);
  assert.ok(size > 0);
  assert.equal(call(init, 3, BUF, 4096), Math.min(size, 4096));
  const n = Math.min(size, 4096);
  const text = new TextDecoder().decode(k.copyIn(init, BUF, n)!);
  assert.match(text, /<6>\[\d+\.\d{6}\] Out of memory: Killed process 9 \(hog\)\n$/);
  assert.equal(call(init, 3, 0, 10), K.INVAL);
  assert.equal(call(init, 3, 0x10, 10), K.FAULT);
  assert.equal(call(init, 2, BUF, 10), K.INVAL, "no destructive read");
  const user = k.fork(init.mainThread) as Process;
  user.uid = 1001;
  assert.ok(call(user, 3, BUF, 64) > 0, "anyone reads");
  assert.equal(call(user, 5, 0, 0), K.PERM);
  assert.equal(call(init, 5, 0, 0), 0);
  assert.equal(call(init, 9, 0, 0), 0, "cleared");
  sys.machine.close();
});
