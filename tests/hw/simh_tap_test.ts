import assert from "node:assert/strict";
import {
  isCompressedRecord,
  makeDataRecord,
  parseTap,
  recordPayload,
  serializeTap,
  TAP_CLASS,
  TAP_LZ4_MAGIC,
  TapeFormatError,
  type TapObject,
} from "../../hw/simh_tap.ts";

/**
 * An independent reader written from the SIMH format description: 32-bit LE
 * length word, data padded to even, the same word again; 0 = tape mark;
 * 0xFFFFFFFF = end of medium; 0xFFFFFFFE = erase gap; class in the top 4 bits.
 */
function referenceRead(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let p = 0;
  const u32 = (at: number) =>
    (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  while (p + 4 <= bytes.length) {
    const w = u32(p);
    if (w === 0) {
      out.push("MARK");
      p += 4;
    } else if (w === 0xffffffff) {
      out.push("EOM");
      break;
    } else if (w === 0xfffffffe) {
      p += 4;
    } else {
      const cls = w >>> 28, n = w & 0x0fffffff;
      const pad = n + (n & 1);
      if (u32(p + 4 + pad) !== w) throw new Error(`bad trailer at ${p}`);
      if (n & 1) assert.equal(bytes[p + 4 + n], 0, "pad byte should be 0");
      const data = bytes.subarray(p + 4, p + 4 + n);
      out.push(`${cls.toString(16)}:${n}:${data.reduce((a, b) => (a * 31 + b) >>> 0, 7)}`);
      p += 8 + pad;
    }
  }
  assert.equal(p <= bytes.length, true);
  return out;
}

function hash(d: Uint8Array): number {
  return d.reduce((a, b) => (a * 31 + b) >>> 0, 7);
}

Deno.test("simh_tap: serialized images follow the format (checked by an independent reader)", () => {
  const a = new Uint8Array([1, 2, 3]); // odd length: padded
  const b = new Uint8Array(100).fill(9);
  const objects: TapObject[] = [
    { kind: "record", cls: TAP_CLASS.GOOD, data: a },
    { kind: "mark" },
    { kind: "record", cls: TAP_CLASS.BAD, data: b },
    { kind: "gap", bytes: 4 },
    { kind: "mark" },
  ];
  const bytes = serializeTap(objects, true);
  assert.equal(bytes.length, (4 + 4 + 4) + 4 + (4 + 100 + 4) + 4 + 4 + 4);
  assert.deepEqual(referenceRead(bytes), [
    `0:3:${hash(a)}`,
    "MARK",
    `8:100:${hash(b)}`,
    "MARK",
    "EOM",
  ]);
  const back = parseTap(bytes);
  assert.equal(back.endOfMedium, true);
  assert.deepEqual(back.objects.map((o) => o.kind), ["record", "mark", "record", "gap", "mark"]);
  assert.deepEqual(serializeTap(back.objects, true), bytes);
});

Deno.test("simh_tap: reads a hand-made SIMH tape (written elsewhere)", () => {
  // Two records ("HELLO", 5 bytes, padded; "AB"), a tape mark, a half gap, EOM, trailing junk.
  const bytes = new Uint8Array([
    5,
    0,
    0,
    0,
    0x48,
    0x45,
    0x4c,
    0x4c,
    0x4f,
    0,
    5,
    0,
    0,
    0,
    2,
    0,
    0,
    0,
    0x41,
    0x42,
    2,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0xff,
    0xff,
    0xfe,
    0xff,
    0xff,
    0xff, // half gap, then the erase-gap word 2 bytes on
    0x07,
    0x00,
    0x00,
    0xf0, // some other class-F marker
    0xff,
    0xff,
    0xff,
    0xff,
    1,
    2,
    3,
  ]);
  const img = parseTap(bytes);
  assert.equal(img.endOfMedium, true);
  assert.deepEqual(serializeTap(img.objects, true), bytes.subarray(0, bytes.length - 3));
  const kinds = img.objects.map((o) =>
    o.kind === "record" ? new TextDecoder().decode(o.data) : o.kind
  );
  assert.deepEqual(kinds, ["HELLO", "AB", "mark", "gap", "gap", "marker"]);
});

Deno.test("simh_tap: malformed images raise TapeFormatError", () => {
  // Length says 16 bytes, file ends early.
  assert.throws(() => parseTap(new Uint8Array([16, 0, 0, 0, 1, 2, 3])), TapeFormatError);
  // Trailing length differs.
  assert.throws(
    () => parseTap(new Uint8Array([2, 0, 0, 0, 1, 2, 3, 0, 0, 0])),
    (e: unknown) => e instanceof TapeFormatError && /does not match/.test(e.message),
  );
  // Stray bytes shorter than a word.
  assert.throws(() => parseTap(new Uint8Array([0, 0, 0, 0, 7, 7])), TapeFormatError);
  assert.deepEqual(parseTap(new Uint8Array(0)).objects, []);
});

Deno.test("simh_tap: compressed records use private class 0xE with an SLZ4 header", () => {
  const text = new TextEncoder().encode("the quick brown fox jumps over the lazy dog. ".repeat(50));
  const o = makeDataRecord(text, true);
  assert.ok(o.kind === "record", `a data record, not ${o.kind}`);
  assert.equal(o.cls, TAP_CLASS.PRIVATE);
  assert.ok(o.data.length < text.length / 4);
  const dv = new DataView(o.data.buffer, o.data.byteOffset);
  assert.equal(dv.getUint32(0, true), TAP_LZ4_MAGIC);
  assert.equal(dv.getUint32(4, true), text.length);
  assert.ok(isCompressedRecord(o));
  assert.deepEqual(recordPayload(o), text);
  // The class is visible to any SIMH reader in the length word's top nibble.
  const bytes = serializeTap([o]);
  assert.equal(bytes[3] >> 4, 0xe);
  assert.equal(referenceRead(bytes)[0].split(":")[0], "e");

  // Incompressible data is stored raw as class 0.
  const rnd = new Uint8Array(4096);
  let x = 12345;
  for (let i = 0; i < rnd.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    rnd[i] = x >>> 24;
  }
  const raw = makeDataRecord(rnd, true);
  assert.equal(raw.kind === "record" && raw.cls, TAP_CLASS.GOOD);
  assert.ok(!isCompressedRecord(raw));
  // Without compression, even text is raw.
  const plain = makeDataRecord(text, false);
  assert.equal(plain.kind === "record" && plain.cls, TAP_CLASS.GOOD);
});

Deno.test("simh_tap: a corrupt compressed record is a TapeFormatError, not garbage", () => {
  const text = new TextEncoder().encode("abcabcabcabcabcabcabcabcabcabcabcabcabc".repeat(20));
  const o = makeDataRecord(text, true);
  if (o.kind !== "record") throw new Error("unreachable");
  const bad = o.data.slice();
  new DataView(bad.buffer).setUint32(4, text.length + 5, true); // wrong claimed length
  assert.throws(
    () => recordPayload({ kind: "record", cls: TAP_CLASS.PRIVATE, data: bad }),
    TapeFormatError,
  );
});
