/** statfs64/fstatfs64 on a booted kernel: the root ramfs reports its size limit. */
import assert from "node:assert/strict";
import { boot } from "../../../../system/boot.ts";
import { guarded } from "../../../guest_guard.ts";
import { K, OpenFlags } from "../../../../kernel/api.ts";
import { sysFstatfs64, sysStatfs64 } from "../../../../plugins/personalities/unix/statfs_calls.ts";

const PATH = 0x7fff_0000, BUF = 0x7fff_0100;

Deno.test("statfs64: /tmp shows the ramfs limit and usage; /proc its magic; EINVAL, EFAULT", async () => {
  const sys = await boot(guarded({ init: "/bin/echo", initArgs: ["x"], maxCycles: 1e7 }), {
    kind: "buffer",
  });
  const k = sys.kernel;
  const p = k.getProcess(1)!;
  const t = p.mainThread;
  const call = (h: typeof sysStatfs64, ...args: number[]) => {
    args.forEach((a, i) => t.regs[10 + i] = a);
    return h(t, k);
  };
  const read = () => {
    const b = k.copyIn(p, BUF, 88)!;
    const v = new DataView(b.buffer, b.byteOffset, 88);
    return {
      type: v.getUint32(0, true),
      bsize: v.getUint32(4, true),
      blocks: Number(v.getBigUint64(8, true)),
      bfree: Number(v.getBigUint64(16, true)),
      flags: v.getUint32(64, true),
    };
  };
  assert.ok(k.copyOut(p, PATH, new TextEncoder().encode("/tmp\0")));
  assert.equal(call(sysStatfs64, PATH, 88, BUF), 0);
  const before = read();
  assert.equal(before.type, 0x01021994, "TMPFS_MAGIC");
  assert.equal(before.bsize, 4096);
  assert.equal(
    before.bfree,
    32 * 1024 * 1024 / 4096,
    "free: half of 64 MiB on top of the initramfs",
  );
  assert.ok(before.blocks > before.bfree);
  const r = k.vfs.open(null, "/tmp/f", OpenFlags.WRITE | OpenFlags.CREATE, 0o644);
  assert.ok(typeof r !== "number");
  assert.equal(k.vfs.write(r.file, new Uint8Array(40960)), 40960);
  const fd = k.fdInstall(p, r.file, false);
  assert.equal(call(sysFstatfs64, fd, 88, BUF), 0);
  assert.equal(read().bfree, before.bfree - 10);
  assert.equal(call(sysStatfs64, PATH, 84, BUF), K.INVAL);
  assert.equal(call(sysStatfs64, PATH, 88, 0x10), K.FAULT);
  assert.ok(k.copyOut(p, PATH, new TextEncoder().encode("/proc\0")));
  assert.equal(call(sysStatfs64, PATH, 88, BUF), 0);
  assert.equal(read().type, 0x9fa0);
  assert.equal(call(sysFstatfs64, 99, 88, BUF), K.BADF);
  sys.machine.close();
});
