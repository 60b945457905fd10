import assert from "node:assert/strict";
import { Ram } from "../../../hw/ram.ts";
import { GUEST_SPAN_MAX } from "../../../kernel/fs/types.ts";
import { createPipe, Pipe, PIPE_BUF, PIPE_OPS } from "../../../kernel/fs/pipefs.ts";
import { K } from "../../../kernel/errors.ts";
import {
  AddressSpace,
  AsidAllocator,
  FrameAllocator,
  type MmContext,
  Prot,
} from "../../../kernel/mm/mod.ts";
import { DEFAULT_KERNEL_COSTS } from "../../../kernel/proc/costs.ts";

function space() {
  const ram = new Ram(0x8000_0000, 256 * 4096);
  const frames = new FrameAllocator(ram);
  let charged = 0;
  const ctx: MmContext = {
    frames,
    asids: new AsidAllocator(),
    flush: () => {},
    charge: (c) => void (charged += c),
    costs: DEFAULT_KERNEL_COSTS,
    stats: { pageFaults: 0, zeroFills: 0, cowCopies: 0 },
  };
  const writes: [number, number][] = [];
  ram.onWrite = (off, len) => void writes.push([off, len]);
  const as = new AddressSpace(ctx);
  as.mapRegion(0x10000, 0x3000, Prot.READ | Prot.WRITE, "data");
  as.mapRegion(0x20000, 0x1000, Prot.READ, "ro");
  return { as, ctx, frames, writes, charged: () => charged };
}

Deno.test("span: a range across pages is filled and drained piece by piece", () => {
  const { as, writes } = space();
  const s = as.span(0x10ffe, 0x1004, true)!;
  assert.ok(s !== null);
  assert.equal(s.length, 0x1004);
  writes.length = 0; // (the zeroed new pages were reported too)
  const src = Uint8Array.from({ length: 0x1004 }, (_, i) => (i * 7) & 0xff);
  s.fill(0, src, 0, 3); // 2 bytes in the first page, 1 in the second
  s.fill(3, src, 3, 0x1001); // the rest, up into the third page
  const back = new Uint8Array(0x1004);
  s.drain(0, back, 0, 0x1004);
  assert.deepEqual(back, src);
  assert.deepEqual(as.copyIn(0x10ffe, 0x1004), src, "the bytes are in guest memory");
  const mid = new Uint8Array(5);
  s.drain(0x1000, mid, 1, 4);
  assert.deepEqual([...mid], [0, ...src.subarray(0x1000, 0x1004)]);
  // Every byte written was reported to the code cache, in pieces of at most a page.
  assert.equal(writes.reduce((n, [, len]) => n + len, 0), 0x1004);
  assert.ok(writes.every(([off, len]) => (off & 0xfff) + len <= 0x1000));
});

Deno.test("span: faults pages in as an access would; bad ranges give null", () => {
  const { as, ctx, charged } = space();
  assert.equal(as.resident, 0);
  assert.ok(as.span(0x10ff0, 0x20, true) !== null);
  assert.equal(as.resident, 2, "both pages made present (demand-zero)");
  assert.equal(ctx.stats.zeroFills, 2);
  const before = charged();
  as.span(0x10ff0, 0x20, true)!.copied(0x41);
  assert.equal(charged() - before, 2 * DEFAULT_KERNEL_COSTS.copyPer64Bytes, "charged per 64 bytes");
  assert.ok(as.span(0x20000, 0x1000, false) !== null, "read-only region, read access");
  assert.equal(as.span(0x20000, 4, true), null, "read-only region, write access");
  assert.equal(as.span(0x12ffe, 4, false), null, "runs off the end of the mapping");
  assert.equal(as.span(0, 1, false), null);
  assert.equal(as.span(0x10000, GUEST_SPAN_MAX + 1, false), null, "longer than a span may be");
  assert.equal(as.span(0x10000, 0, true)!.length, 0, "empty range");
});

Deno.test("span: a write span breaks copy-on-write; the parent keeps its bytes", () => {
  const { as } = space();
  assert.ok(as.copyOut(0x10000, Uint8Array.of(1, 2, 3)));
  const child = as.fork()!;
  const s = child.span(0x10000, 3, true)!;
  s.fill(0, Uint8Array.of(9, 9), 0, 2);
  assert.deepEqual([...child.copyIn(0x10000, 3)!], [9, 9, 3]);
  assert.deepEqual([...as.copyIn(0x10000, 3)!], [1, 2, 3]);
});

Deno.test("pipe spans: a wrapped ring and a page-crossing guest buffer, same results as arrays", () => {
  const { as } = space();
  const pipe = new Pipe(PIPE_BUF);
  pipe.readers = pipe.writers = 1;
  // Move the ring's head near its end so that the next write wraps around.
  assert.equal(pipe.write(new Uint8Array(PIPE_BUF - 3)), PIPE_BUF - 3);
  assert.equal(pipe.read(new Uint8Array(PIPE_BUF - 4)), PIPE_BUF - 4);
  const msg = Uint8Array.from({ length: 10 }, (_, i) => 0x41 + i);
  assert.ok(as.copyOut(0x10ffb, msg));
  assert.equal(pipe.writeSpan(as.span(0x10ffb, 10, false)!), 10);
  assert.equal(pipe.length, 11);
  assert.equal(pipe.read(new Uint8Array(1)), 1, "the byte left from before");
  assert.equal(pipe.readSpan(as.span(0x11ffa, 64, true)!), 10, "a short read: what there is");
  assert.deepEqual(as.copyIn(0x11ffa, 10), msg);
  assert.equal(pipe.readSpan(as.span(0x11ffa, 64, true)!), K.AGAIN, "empty, a writer left");
  // Atomic writes: all or nothing.
  assert.equal(pipe.write(new Uint8Array(PIPE_BUF - 5)), PIPE_BUF - 5);
  assert.equal(pipe.writeSpan(as.span(0x10ffb, 10, false)!), K.AGAIN);
  assert.equal(pipe.length, PIPE_BUF - 5);
  pipe.readers = 0;
  assert.equal(pipe.writeSpan(as.span(0x10ffb, 1, false)!), K.PIPE, "no reader");
});

Deno.test("pipe spans through the file operations: EOF, BADF on the wrong end", () => {
  const { as } = space();
  const { reader, writer } = createPipe();
  const ops = PIPE_OPS;
  assert.ok(ops.readSpan !== undefined && ops.writeSpan !== undefined);
  assert.ok(as.copyOut(0x10000, Uint8Array.of(5, 6)));
  assert.equal(ops.writeSpan!(writer, as.span(0x10000, 2, false)!), 2);
  assert.equal(ops.writeSpan!(reader, as.span(0x10000, 2, false)!), K.BADF);
  assert.equal(ops.readSpan!(writer, as.span(0x10100, 8, true)!), K.BADF);
  ops.release!(writer);
  assert.equal(ops.readSpan!(reader, as.span(0x10100, 8, true)!), 2);
  assert.deepEqual([...as.copyIn(0x10100, 2)!], [5, 6]);
  assert.equal(ops.readSpan!(reader, as.span(0x10100, 8, true)!), 0, "EOF");
});

Deno.test("kernel accesses see every page-table change (the last translation is forgotten)", () => {
  const { as } = space();
  // fork: the parent's page, last resolved for writing, becomes copy-on-write.
  assert.ok(as.copyOut(0x10000, Uint8Array.of(1)));
  const child = as.fork()!;
  assert.ok(as.copyOut(0x10000, Uint8Array.of(2)));
  assert.deepEqual([...child.copyIn(0x10000, 1)!], [1], "the child keeps its byte");
  assert.deepEqual([...as.copyIn(0x10000, 1)!], [2]);
  // mprotect: a page last resolved for writing becomes read-only.
  assert.ok(as.copyOut(0x11000, Uint8Array.of(3)));
  assert.equal(as.protect(0x11000, 0x1000, Prot.READ), K.OK);
  assert.equal(as.copyOut(0x11000, Uint8Array.of(4)), false);
  assert.equal(as.span(0x11000, 1, true), null);
  assert.deepEqual([...as.copyIn(0x11000, 1)!], [3]);
  // munmap: a page last resolved is gone.
  assert.ok(as.span(0x12000, 1, true) !== null);
  assert.equal(as.unmap(0x12000, 0x1000), K.OK);
  assert.equal(as.span(0x12000, 1, false), null);
  assert.equal(as.copyIn(0x12000, 1), null);
});
