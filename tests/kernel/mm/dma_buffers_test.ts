import assert from "node:assert/strict";
import { Ram } from "../../../hw/ram.ts";
import { FrameAllocator } from "../../../kernel/mm/frames.ts";
import { DmaBufferPool } from "../../../kernel/mm/dma_buffers.ts";

Deno.test("DMA buffers are contiguous runs of free frames, freed by owner", () => {
  const ram = new Ram(0x8000_0000, 64 * 4096);
  const frames = new FrameAllocator(ram, 2);
  const held = [frames.alloc(), frames.alloc(), frames.alloc()];
  frames.unref(held[1]); // a hole of one frame is not enough for two pages
  const pool = new DmaBufferPool(frames);
  const free0 = frames.free;
  const b = pool.alloc(5000, "st");
  assert.ok(b !== null);
  assert.equal(b.size, 8192);
  assert.equal(frames.free, free0 - 2);
  const first = (b.paddr - ram.base) >>> 12;
  assert.equal(frames.refs[first], 1);
  assert.equal(frames.refs[first + 1], 1);
  // The allocator never hands the run out again while it is held.
  const seen = new Set<number>();
  for (let f = frames.alloc(); f >= 0; f = frames.alloc()) seen.add(f);
  assert.ok(!seen.has(first) && !seen.has(first + 1));
  for (const f of seen) frames.unref(f);
  b.bytes[0] = 0xab;
  assert.equal(ram.u8[b.paddr - ram.base], 0xab);
  pool.dropOwner("st");
  assert.equal(frames.free, free0);
  assert.equal(pool.alloc(1 << 30, "st"), null);
});
