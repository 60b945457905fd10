import assert from "node:assert/strict";
import { copyBytes } from "../../lib/byte_copy.ts";

Deno.test("copyBytes: short (loop) and long (set) copies land at the right offsets", () => {
  for (const n of [0, 1, 7, 32, 33, 100]) {
    const src = Uint8Array.from({ length: n + 10 }, (_, i) => (i * 7 + 1) & 0xff);
    const dst = new Uint8Array(n + 20);
    copyBytes(dst, 5, src, 3, n);
    assert.deepEqual(dst.subarray(5, 5 + n), src.subarray(3, 3 + n), `n=${n}`);
    assert.ok(dst.subarray(0, 5).every((b) => b === 0), `n=${n}: nothing before`);
    assert.ok(dst.subarray(5 + n).every((b) => b === 0), `n=${n}: nothing after`);
    // The whole source at once (the no-subarray path for long copies).
    const whole = new Uint8Array(n + 12);
    copyBytes(whole, 2, src, 0, src.length);
    assert.deepEqual(whole.subarray(2), src);
  }
});
