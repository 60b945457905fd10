import assert from "node:assert/strict";
import { ATA_IDENTIFY } from "../../../../hw/ata_regs.ts";
import {
  IdentifyError,
  identifyString,
  parseIdentify,
} from "../../../../plugins/drivers/ata_common/identify.ts";
import { ataErrorText, commandFailed } from "../../../../plugins/drivers/ata_common/errors.ts";

function block(words: Record<number, number>, text: Record<number, [number, string]> = {}) {
  const b = new Uint8Array(512);
  const put = (n: number, v: number) => {
    b[2 * n] = v & 0xff;
    b[2 * n + 1] = v >>> 8;
  };
  for (const [n, v] of Object.entries(words)) put(Number(n), v);
  for (const [n, [len, s]] of Object.entries(text)) {
    const t = s.padEnd(len * 2, " ");
    for (let i = 0; i < len; i++) {
      put(Number(n) + i, (t.charCodeAt(2 * i) << 8) | t.charCodeAt(2 * i + 1));
    }
  }
  return b;
}

Deno.test("identify: strings have the first character in the high byte, trimmed", () => {
  const b = block({}, { 27: [20, "ACME DISK 9"], 10: [10, "  SN42"] });
  assert.equal(identifyString(b, 27, 20), "ACME DISK 9");
  assert.equal(identifyString(b, 10, 10), "SN42");
});

Deno.test("identify: capacity, DMA, FLUSH CACHE and the PIO cycle time", () => {
  const b = block({
    [ATA_IDENTIFY.CAPABILITIES]: 0x0300,
    [ATA_IDENTIFY.LBA28_SECTORS]: 0x2345,
    [ATA_IDENTIFY.LBA28_SECTORS + 1]: 0x0001,
    [ATA_IDENTIFY.COMMAND_SET_2]: 0x5000,
    [ATA_IDENTIFY.FIELD_VALIDITY]: 0x0002,
    [ATA_IDENTIFY.PIO_CYCLE_NS]: 180,
  }, { 27: [20, "M"], 10: [10, "S"], 23: [4, "F1"] });
  const id = parseIdentify(b);
  assert.deepEqual(id, {
    model: "M",
    serial: "S",
    firmware: "F1",
    sectors: 0x12345,
    lba: true,
    dma: true,
    flushCache: true,
    pioCycleNs: 180,
  });
  // Word 83 without its 01 signature in bits 15:14 says nothing; no valid timing means mode 0.
  const c = block({
    [ATA_IDENTIFY.CAPABILITIES]: 0x0200,
    [ATA_IDENTIFY.LBA28_SECTORS]: 9,
    83: 0x1000,
  });
  assert.equal(parseIdentify(c).flushCache, false);
  assert.equal(parseIdentify(c).pioCycleNs, 600);
  assert.equal(parseIdentify(c).dma, false);
});

Deno.test("identify: refuses packet devices, bad checksums, no LBA, no sectors", () => {
  const good = { [ATA_IDENTIFY.CAPABILITIES]: 0x0200, [ATA_IDENTIFY.LBA28_SECTORS]: 9 };
  assert.throws(() => parseIdentify(block({ ...good, 0: 0x8580 })), IdentifyError);
  assert.throws(() => parseIdentify(block({ [ATA_IDENTIFY.LBA28_SECTORS]: 9 })), /LBA/);
  assert.throws(() => parseIdentify(block({ [ATA_IDENTIFY.CAPABILITIES]: 0x0200 })), /no sectors/);
  const b = block({ ...good, 255: 0x00a5 });
  assert.throws(() => parseIdentify(b), /checksum/);
  let sum = 0;
  for (let i = 0; i < 511; i++) sum += b[i];
  b[511] = (256 - (sum & 0xff)) & 0xff;
  assert.equal(parseIdentify(b).sectors, 9);
});

Deno.test("errors: ERROR bits are named, and ERR or DF without BSY is a failure", () => {
  assert.equal(ataErrorText(0x50), "UNC (uncorrectable data), IDNF (sector not found)");
  assert.equal(ataErrorText(0x04), "ABRT (command aborted)");
  assert.equal(ataErrorText(0x82), "0x82");
  assert.equal(ataErrorText(0), "none");
  assert.equal(commandFailed(0x51), true);
  assert.equal(commandFailed(0x70), true);
  assert.equal(commandFailed(0x81), false);
  assert.equal(commandFailed(0x50), false);
});
