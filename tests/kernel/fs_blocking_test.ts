import assert from "node:assert/strict";
import { boot } from "../../system/boot.ts";
import { K } from "../../kernel/api.ts";
import { ModuleBusyError } from "../../kernel/modules/mod.ts";
import { slowFs } from "./fixtures/slow_fs.ts";

Deno.test("a file system that waits for its device: the call restarts and takes effect once", async () => {
  const content = "block one of the slow device\n";
  const fs = slowFs(content);
  const sys = await boot({ cmd: "cat /slow/data; ls /slow", maxCycles: 2e9 }, { kind: "buffer" });
  const k = sys.kernel;
  await k.modules.loadDescriptor(fs.module);
  assert.equal(k.vfs.mkdir(null, "/slow", 0o755), K.OK);
  assert.equal(k.mount("none", "/slow", "nofs", true, ""), K.NODEV);
  assert.equal(k.mount("none", "/slow", "slowfs", true, ""), K.OK);
  assert.equal(k.modules.get("slowfs")?.refs, 1, "a mounted type holds its module");
  await assert.rejects(k.modules.unload("slowfs"), ModuleBusyError);
  const r = await sys.run();
  sys.machine.close();
  assert.equal(r.status, 0, r.output);
  assert.equal(r.output.replaceAll("\r\n", "\n"), `${content}data\n`);
  assert.deepEqual(fs.counters.deviceReads, [1, 1], "each block read from the device once");
  assert.ok(fs.counters.waits >= 2, `calls waited for the device ${fs.counters.waits} times`);
  assert.equal(fs.counters.served, 1, "the restarted read took effect exactly once");
});

Deno.test("umount drops the module reference of a mounted type", async () => {
  const fs = slowFs("x");
  const sys = await boot({ cmd: "true" }, { kind: "buffer" });
  const k = sys.kernel;
  await k.modules.loadDescriptor(fs.module);
  k.vfs.mkdir(null, "/slow", 0o755);
  assert.equal(k.mount("none", "/slow", "slowfs", true, ""), K.OK);
  assert.equal(k.umount("/slow"), K.OK);
  assert.equal(k.modules.get("slowfs")?.refs, 0);
  await k.modules.unload("slowfs");
  assert.equal(
    k.mount("none", "/slow", "slowfs", true, ""),
    K.NODEV,
    "the type left with its module",
  );
  sys.machine.close();
});
