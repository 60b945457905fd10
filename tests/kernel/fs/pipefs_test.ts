import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import {
  createPipe,
  FIONREAD,
  OpenFlags,
  PIPE_BUF,
  PollState,
  RamFs,
  S_IFIFO,
  S_IFMT,
  Vfs,
} from "../../../kernel/fs/mod.ts";
import type { FileCaller } from "../../../kernel/fs/mod.ts";

const te = new TextEncoder();
const td = new TextDecoder();

function fakeCaller(): FileCaller & { mem: Uint8Array } {
  const mem = new Uint8Array(64);
  return {
    pid: 1,
    pgid: 1,
    sid: 1,
    mem,
    memory: {
      copyIn: (a, n) => (a >= 0 && a + n <= mem.length ? mem.slice(a, a + n) : null),
      copyOut: (a, d) => {
        if (a < 0 || a + d.length > mem.length) return false;
        mem.set(d, a);
        return true;
      },
    },
  };
}

Deno.test("pipe: data flows, EOF after the last writer closes", () => {
  const vfs = new Vfs({ root: new RamFs() });
  const { reader, writer } = createPipe();
  assert.equal(vfs.write(writer, te.encode("hello")), 5);
  const buf = new Uint8Array(16);
  assert.equal(vfs.read(reader, buf), 5);
  assert.equal(td.decode(buf.subarray(0, 5)), "hello");
  assert.equal(vfs.read(reader, buf), K.AGAIN);
  vfs.close(writer);
  assert.equal(vfs.read(reader, buf), 0);
  assert.equal(vfs.lseek(reader, 0, 0), K.SPIPE);
  const st = vfs.fstat(reader);
  assert.ok(typeof st !== "number");
  assert.equal(st.mode & S_IFMT, S_IFIFO);
});

Deno.test("pipe: reader blocks on the wait queue and is woken by a write", () => {
  const vfs = new Vfs({ root: new RamFs() });
  const { reader, writer } = createPipe();
  const buf = new Uint8Array(8);
  assert.equal(vfs.read(reader, buf), K.AGAIN);
  let woken = 0;
  const q = vfs.waitQueue(reader, "read");
  assert.ok(q !== null);
  q.add({ wake: () => woken++ });
  vfs.write(writer, te.encode("x"));
  assert.equal(woken, 1);
  assert.equal(vfs.read(reader, buf), 1);
  // closing the writer wakes a sleeping reader too
  q.add({ wake: () => woken++ });
  vfs.close(writer);
  assert.equal(woken, 2);
});

Deno.test("pipe: write with no reader is K.PIPE; writer woken when the reader closes", () => {
  const vfs = new Vfs({ root: new RamFs() });
  const { reader, writer } = createPipe({ capacity: 8 });
  assert.equal(vfs.write(writer, te.encode("12345678")), 8);
  assert.equal(vfs.write(writer, te.encode("9")), K.AGAIN);
  let woken = 0;
  vfs.waitQueue(writer, "write")!.add({ wake: () => woken++ });
  vfs.close(reader);
  assert.equal(woken, 1);
  assert.equal(vfs.write(writer, te.encode("9")), K.PIPE);
});

Deno.test("pipe: writes up to PIPE_BUF are atomic, larger ones partial", () => {
  const { reader, writer } = createPipe({ capacity: 2 * PIPE_BUF });
  const vfs = new Vfs({ root: new RamFs() });
  assert.equal(vfs.write(writer, new Uint8Array(2 * PIPE_BUF - 100)), 2 * PIPE_BUF - 100);
  // 100 bytes free: an atomic write of 200 must not be split
  assert.equal(vfs.write(writer, new Uint8Array(200)), K.AGAIN);
  assert.equal(vfs.write(writer, new Uint8Array(100)), 100);
  // a large write takes what fits
  const buf = new Uint8Array(PIPE_BUF);
  assert.equal(vfs.read(reader, buf), PIPE_BUF);
  assert.equal(vfs.write(writer, new Uint8Array(3 * PIPE_BUF)), PIPE_BUF);
  assert.equal(vfs.write(writer, new Uint8Array(3 * PIPE_BUF)), K.AGAIN);
});

Deno.test("pipe: ring buffer wrap-around keeps byte order", () => {
  const { reader, writer } = createPipe({ capacity: 10 });
  const vfs = new Vfs({ root: new RamFs() });
  const out: number[] = [];
  let next = 0;
  const buf = new Uint8Array(7);
  for (let round = 0; round < 50; round++) {
    const chunk = Uint8Array.from({ length: 6 }, () => next++ & 0xff);
    const n = vfs.write(writer, chunk);
    if (n === K.AGAIN) next -= 6;
    else assert.equal(n, 6);
    const r = vfs.read(reader, buf);
    if (r > 0) out.push(...buf.subarray(0, r));
  }
  for (let r = vfs.read(reader, buf); r > 0; r = vfs.read(reader, buf)) {
    out.push(...buf.subarray(0, r));
  }
  assert.deepEqual(out, Array.from({ length: out.length }, (_, i) => i & 0xff));
  assert.ok(out.length > 100);
});

Deno.test("pipe: FIONREAD and NONBLOCK flags", () => {
  const vfs = new Vfs({ root: new RamFs() });
  const { reader, writer } = createPipe({ flags: OpenFlags.NONBLOCK });
  assert.ok(reader.flags & OpenFlags.NONBLOCK);
  vfs.write(writer, te.encode("abc"));
  const c = fakeCaller();
  assert.equal(vfs.ioctl(reader, FIONREAD, 4, c), K.OK);
  assert.equal(new DataView(c.mem.buffer).getUint32(4, true), 3);
  assert.equal(vfs.ioctl(reader, FIONREAD, 1000, c), K.FAULT);
  assert.equal(vfs.ioctl(reader, 0x5401, 0, c), K.NOTTY);
});

Deno.test("fifo: named pipe through mknod; reader waits for a first writer", () => {
  const vfs = new Vfs({ root: new RamFs() });
  assert.equal(vfs.mknod(null, "/p", S_IFIFO | 0o644), K.OK);
  assert.equal(vfs.open(null, "/p", OpenFlags.WRITE | OpenFlags.NONBLOCK), K.NXIO);
  const r = vfs.open(null, "/p", OpenFlags.READ);
  assert.ok(typeof r !== "number");
  const buf = new Uint8Array(8);
  assert.equal(vfs.read(r.file, buf), K.AGAIN); // no writer yet: wait, not EOF
  const w = vfs.open(null, "/p", OpenFlags.WRITE);
  assert.ok(typeof w !== "number");
  assert.equal(vfs.write(w.file, te.encode("hi")), 2);
  assert.equal(vfs.read(r.file, buf), 2);
  vfs.close(w.file);
  assert.equal(vfs.read(r.file, buf), 0); // the writer came and went: EOF
});

Deno.test("pipe: poll state (readable, writable with PIPE_BUF free, hang-up, error)", () => {
  const vfs = new Vfs({ root: new RamFs() });
  const { reader, writer } = createPipe({ capacity: 2 * PIPE_BUF });
  assert.equal(vfs.pollState(reader), 0, "empty, writer open: nothing");
  assert.equal(vfs.pollState(writer), PollState.WRITABLE);
  assert.equal(vfs.write(writer, new Uint8Array(PIPE_BUF + 1)), PIPE_BUF + 1);
  assert.equal(vfs.pollState(reader), PollState.READABLE);
  assert.equal(vfs.pollState(writer), 0, "less than PIPE_BUF free");
  assert.equal(vfs.read(reader, new Uint8Array(1)), 1);
  assert.equal(vfs.pollState(writer), PollState.WRITABLE, "PIPE_BUF free again");
  vfs.close(writer);
  assert.equal(vfs.pollState(reader), PollState.READABLE | PollState.HANGUP);
  assert.equal(vfs.read(reader, new Uint8Array(2 * PIPE_BUF)), PIPE_BUF);
  assert.equal(vfs.pollState(reader), PollState.HANGUP, "end of file is a hang-up only");
  const second = createPipe();
  vfs.close(second.reader);
  assert.equal(vfs.pollState(second.writer), PollState.WRITABLE | PollState.ERROR);
  // Regular files: always readable and writable.
  const f = vfs.open(null, "/f", OpenFlags.READ | OpenFlags.WRITE | OpenFlags.CREATE, 0o644);
  assert.ok(typeof f !== "number");
  assert.equal(vfs.pollState(f.file), PollState.READABLE | PollState.WRITABLE);
});
