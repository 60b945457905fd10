/**
 * What `dmesg -C` and `ulimit` may do depends on the user, as on Linux:
 * clearing the kernel log and raising a hard limit are root's (EPERM for
 * anyone else). Runs the shell as init's command, as root and as uid 1001.
 */
import assert from "node:assert/strict";
import { boot } from "../../system/boot.ts";
import { guarded } from "../guest_guard.ts";

const SCRIPT =
  "sh -c 'kill -TERM $$'; dmesg -C; echo clear $?; dmesg | grep -c 'killed by SIGTERM'; " +
  "ulimit -n 50; ulimit -n 60; echo raise $?; ulimit -Hn";

async function runAs(uid: number): Promise<string> {
  const sys = await boot(guarded({ cmd: SCRIPT, maxCycles: 2e9 }), { kind: "buffer" });
  const init = sys.kernel.getProcess(1)!;
  init.uid = uid;
  init.gid = uid;
  const r = await sys.run();
  sys.machine.close();
  return r.output.replaceAll("\r\n", "\n");
}

Deno.test("dmesg -C and raising a hard limit with ulimit: root only", async () => {
  assert.equal(
    await runAs(0),
    "Terminated\nclear 0\n0\nraise 0\n60\n",
  );
  assert.equal(
    await runAs(1001),
    "Terminated\ndmesg: clear kernel buffer failed: Operation not permitted\nclear 1\n1\n" +
      "sh: ulimit: open files: cannot modify limit: Operation not permitted\nraise 1\n50\n",
  );
});
