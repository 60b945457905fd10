/** ramfs size limit (ENOSPC), page accounting, and pipe buffers that grow on demand. */
import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import { createPipe, OpenFlags, RamFs, Vfs } from "../../../kernel/fs/mod.ts";
import type { Pipe } from "../../../kernel/fs/pipefs.ts";
import { boot } from "../../../system/boot.ts";
import { guarded } from "../../guest_guard.ts";

Deno.test("ramfs: writes past size= give ENOSPC; unlinking after the last close frees", () => {
  const fs = new RamFs({ sizeLimit: 64 * 1024 });
  const vfs = new Vfs({ root: fs });
  const r = vfs.open(null, "/big", OpenFlags.WRITE | OpenFlags.CREATE, 0o644);
  assert.ok(typeof r !== "number");
  const chunk = new Uint8Array(10_000).fill(1);
  let total = 0;
  for (;;) {
    const n = vfs.write(r.file, chunk);
    if (n < 0) {
      assert.equal(n, K.NOSPC);
      break;
    }
    total += n;
  }
  assert.equal(total, 64 * 1024, "exactly the limit is written");
  assert.equal(fs.usedBytes, 64 * 1024);
  assert.equal(vfs.unlink(null, "/big"), K.OK);
  assert.equal(fs.usedBytes, 64 * 1024, "still open: the data stays");
  vfs.close(r.file);
  assert.equal(fs.usedBytes, 0, "the last close frees it");
  // Truncation frees pages too.
  const f = vfs.open(null, "/f", OpenFlags.WRITE | OpenFlags.CREATE, 0o644);
  assert.ok(typeof f !== "number");
  assert.equal(vfs.write(f.file, new Uint8Array(40_000)), 40_000);
  assert.equal(vfs.ftruncate(f.file, 4096), K.OK);
  assert.equal(fs.usedBytes, 4096);
});

Deno.test("pipes: the buffer grows on demand, is charged, and is freed when drained", () => {
  const account = { used: 0, limit: 20_000 };
  const { reader, writer } = createPipe({ account });
  const p = (reader.priv as { pipe: Pipe }).pipe;
  assert.equal(p.allocated, 0, "an idle pipe holds no memory");
  const vfs = new Vfs({ root: new RamFs() });
  assert.equal(vfs.write(writer, new Uint8Array(100)), 100);
  assert.equal(p.allocated, 4096);
  assert.equal(account.used, 4096);
  assert.equal(vfs.write(writer, new Uint8Array(10_000)), 10_000);
  assert.equal(p.allocated, 16384);
  // The account (20,000 bytes) stops growth to 32 KiB: only the room left is used.
  assert.equal(vfs.write(writer, new Uint8Array(10_000)), 16384 - 10_100);
  assert.equal(account.used, 16384);
  const buf = new Uint8Array(65536);
  assert.equal(vfs.read(reader, buf), 16384);
  assert.equal(p.allocated, 0);
  assert.equal(account.used, 0);
});

Deno.test("boot: the root ramfs holds at most half of RAM; /proc/meminfo shows Shmem", async () => {
  const sys = await boot(
    guarded({ init: "/bin/echo", initArgs: ["x"], maxCycles: 10_000_000, ramSize: 8 << 20 }),
    { kind: "buffer" },
  );
  const vfs = sys.kernel.vfs;
  const r = vfs.open(null, "/tmp/fill", OpenFlags.WRITE | OpenFlags.CREATE, 0o644);
  assert.ok(typeof r !== "number");
  const chunk = new Uint8Array(65536);
  let total = 0, n = 0;
  while ((n = vfs.write(r.file, chunk)) > 0) total += n;
  assert.equal(n, K.NOSPC);
  assert.equal(total, 4 * 1024 * 1024);
  const meminfo = new TextDecoder().decode(vfs.readWholeFile("/proc/meminfo") as Uint8Array);
  const shmem = Number(/Shmem:\s+(\d+) kB/.exec(meminfo)![1]);
  assert.ok(shmem >= 4096, meminfo);
  sys.machine.close();
});
