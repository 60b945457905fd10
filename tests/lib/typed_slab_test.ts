import assert from "node:assert/strict";
import { SLAB_BUFFER_BYTES, TypedSlab } from "../../lib/typed_slab.ts";

Deno.test("TypedSlab: views start zeroed, are 8-byte aligned and never overlap", () => {
  const slab = new TypedSlab();
  const views: (Int32Array | Uint32Array | Float64Array)[] = [];
  // Mixed sizes (odd ones too) across several shared buffers.
  for (let i = 0; i < 200; i++) {
    const n = 1 + ((i * 37) % 300);
    const v = i % 3 === 0 ? slab.int32(n) : i % 3 === 1 ? slab.uint32(n) : slab.float64(n);
    assert.equal(v.length, n);
    assert.equal(v.byteOffset % 8, 0);
    assert.ok(v.every((x) => x === 0), `view ${i} starts zeroed`);
    v.fill(i + 1);
    views.push(v);
  }
  // Every view still holds its own fill: no other view wrote over it.
  views.forEach((v, i) => assert.ok(v.every((x) => x === i + 1), `view ${i} kept its values`));
  const shared = new Set(views.map((v) => v.buffer));
  assert.ok(shared.size > 1 && shared.size < views.length, "views share a few buffers");
});

Deno.test("TypedSlab: a request larger than a shared buffer gets a buffer of its own", () => {
  const slab = new TypedSlab();
  const small = slab.int32(4);
  const big = slab.float64(SLAB_BUFFER_BYTES / 8 + 1);
  assert.equal(big.length, SLAB_BUFFER_BYTES / 8 + 1);
  assert.notEqual(big.buffer, small.buffer);
  assert.ok(big.every((x) => x === 0));
});
