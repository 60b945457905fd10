import assert from "node:assert/strict";
import { buildMbr, parseMbr } from "../../../kernel/block/mbr.ts";

Deno.test("MBR: primary entries in table order, empty ones skipped", () => {
  const s = buildMbr([
    { type: 0x83, start: 2048, sectors: 1000, bootable: true },
    { type: 0, start: 0, sectors: 0 },
    { type: 0x82, start: 4096, sectors: 512 },
  ]);
  assert.deepEqual(parseMbr(s, 10000), [
    { index: 1, type: 0x83, start: 2048, sectors: 1000, bootable: true },
    { index: 3, type: 0x82, start: 4096, sectors: 512, bootable: false },
  ]);
});

Deno.test("MBR: no signature, a bad status byte: no partitions; entries are clipped to the disk", () => {
  const s = buildMbr([{ type: 0x83, start: 100, sectors: 1000 }]);
  assert.deepEqual(parseMbr(s, 600), [
    { index: 1, type: 0x83, start: 100, sectors: 500, bootable: false },
  ]);
  assert.deepEqual(parseMbr(s, 100), [], "starts past the end");
  const bad = s.slice();
  bad[446] = 0x12;
  assert.deepEqual(parseMbr(bad, 10000), []);
  const unsigned = s.slice();
  unsigned[511] = 0;
  assert.deepEqual(parseMbr(unsigned, 10000), []);
  assert.deepEqual(parseMbr(new Uint8Array(512), 10000), []);
});
