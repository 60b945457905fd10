/**
 * `costByObject` of `bench/cg_objects.ts`: counts charged to the last code
 * object loaded over their address (V8 reuses freed code's addresses),
 * summed over a name's compiles, the rest counted as outside V8's code.
 */

import assert from "node:assert/strict";
import { costByObject } from "../../bench/cg_objects.ts";
import type { JitCode } from "../../bench/jitdump.ts";

const code = (name: string, addr: bigint, length: number): JitCode => ({
  name,
  addr,
  code: new Uint8Array(length),
});

Deno.test("code objects: by the last one loaded at an address, compiles of a name summed", () => {
  const codes = [
    code("JS:*f", 0x1000n, 16),
    code("JS:*g", 0x2000n, 8),
    // Loaded later over the first half of f's old code.
    code("JS:^h", 0x1000n, 8),
    // g compiled again elsewhere.
    code("JS:*g", 0x4000n, 8),
  ];
  const costs = new Map<bigint, number>([
    [0x1004n, 10], // h's
    [0x100cn, 7], // still f's
    [0x2002n, 3],
    [0x4006n, 4],
    [0x3000n, 5], // outside every object
  ]);
  const r = costByObject(codes, costs);
  assert.equal(r.total, 29);
  assert.equal(r.outside, 5);
  assert.deepEqual(r.objects, [
    { name: "JS:^h", count: 10 },
    { name: "JS:*f", count: 7 },
    { name: "JS:*g", count: 7 },
  ]);
  assert.deepEqual(costByObject([], new Map()), { total: 0, outside: 0, objects: [] });
});
