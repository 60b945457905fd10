/**
 * exec on a booted kernel: execute permission is the caller's, and only the
 * headers of a file are read before they are checked.
 */
import assert from "node:assert/strict";
import { boot } from "../../../system/boot.ts";
import { guarded } from "../../guest_guard.ts";
import { K, NO_RESULT, OpenFlags } from "../../../kernel/api.ts";
import { HEAD_BYTES, HEAD_MAX } from "../../../kernel/exec/exec_service.ts";

async function booted() {
  const sys = await boot(guarded({ init: "/bin/echo", initArgs: ["x"], maxCycles: 10_000_000 }), {
    kind: "buffer",
  });
  const k = sys.kernel;
  const p = k.getProcess(1)!;
  return { sys, k, p, t: p.mainThread };
}

/** Writes `data` to a new file `path` with `mode`, owned by root. */
function put(
  vfs: import("../../../kernel/api.ts").Vfs,
  path: string,
  data: Uint8Array,
  mode: number,
) {
  const r = vfs.open(null, path, OpenFlags.WRITE | OpenFlags.CREATE | OpenFlags.TRUNC, mode);
  if (typeof r === "number") throw new Error(`open ${path}: ${r}`);
  assert.equal(vfs.write(r.file, data), data.length);
  vfs.close(r.file);
  assert.equal(vfs.setAttr(null, path, { mode }, true), K.OK);
}

Deno.test("exec checks execute permission for the caller's uid, not any execute bit", async () => {
  const { sys, k, p, t } = await booted();
  const echo = k.vfs.readWholeFile("/bin/echo") as Uint8Array;
  put(k.vfs, "/tmp/own", echo, 0o700);
  put(k.vfs, "/tmp/xonly", echo, 0o701);
  put(k.vfs, "/tmp/none", echo, 0o600);
  p.uid = 1001;
  p.gid = 1001;
  assert.equal(k.exec(t, "/tmp/own", ["own"], []), K.ACCES, "0700 root file, uid 1001");
  assert.equal(k.exec(t, "/tmp/none", ["none"], []), K.ACCES);
  assert.equal(k.exec(t, "/tmp/xonly", ["xonly"], []), NO_RESULT, "execute without read");
  p.uid = 0;
  p.gid = 0;
  assert.equal(k.exec(t, "/tmp/none", ["none"], []), K.ACCES, "root needs one execute bit");
  assert.equal(k.exec(t, "/tmp/own", ["own"], []), NO_RESULT);
  sys.machine.close();
});

Deno.test("exec reads only the headers of a file it refuses", async () => {
  const { sys, k, t } = await booted();
  const junk = new Uint8Array(4 * 1024 * 1024);
  junk.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  put(k.vfs, "/tmp/junk", junk, 0o755);
  const echo = k.vfs.readWholeFile("/bin/echo") as Uint8Array;
  const padded = new Uint8Array(echo.length + 4 * 1024 * 1024);
  padded.set(echo);
  put(k.vfs, "/tmp/padded", padded, 0o755);
  let bytesRead = 0;
  const vfs = k.vfs;
  const read = vfs.read.bind(vfs);
  vfs.read = (file, buf, caller) => {
    const n = read(file, buf, caller);
    if (n > 0) bytesRead += n;
    return n;
  };
  assert.equal(k.exec(t, "/tmp/junk", ["junk"], []), K.NOEXEC);
  assert.ok(bytesRead <= HEAD_MAX, `read ${bytesRead} bytes of a refused 4 MiB file`);
  bytesRead = 0;
  assert.equal(k.exec(t, "/tmp/padded", ["padded"], []), NO_RESULT);
  assert.ok(bytesRead <= echo.length + HEAD_BYTES, `read ${bytesRead} of ${padded.length} bytes`);
  sys.machine.close();
});
