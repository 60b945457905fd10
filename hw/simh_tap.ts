/**
 * The SIMH `.tap` magnetic tape image format: parser and writer, and the
 * encoding of Strata's hardware-compressed records inside it.
 *
 * The file is a sequence of objects, each introduced by a 32-bit
 * little-endian word:
 *
 * - `0x00000000` tape mark (filemark);
 * - `0xFFFFFFFF` end of medium: nothing after it is tape;
 * - `0xFFFFFFFE` erase gap, `0xFFFEFFFF` half gap (skipped; kept on rewrite);
 * - any other word: a record. Its high 4 bits are the record class, the low
 *   28 bits the length n. The n data bytes follow, padded to an even count,
 *   then the same word again. Class 0 is good data, class 8 bad data (data
 *   read with an error), class 0xE a private data record; class 0xF words
 *   are single-word markers. A reader skips classes it does not know,
 *   because the leading and trailing length words frame the record.
 *
 * Compressed records (Strata's encoding): class 0xE, with a payload of
 *
 * ```
 * bytes 0..3  "SLZ4" (0x53 0x4C 0x5A 0x34)
 * bytes 4..7  uncompressed length, u32 little-endian
 * bytes 8..   one raw LZ4 block (lz4js compressBlock / the LZ4 block format)
 * ```
 *
 * so SIMH and other readers that do not know it skip the record instead of
 * delivering compressed bytes as data. A class 0xE record without the magic
 * is someone else's private data and is skipped by Strata too.
 *
 * @module
 */

import { lz4CompressBlock, lz4DecompressBlock, Lz4Error } from "../lib/lz4.ts";

/** Special 32-bit words of the format. */
export const TAP_WORD = {
  TAPE_MARK: 0x0000_0000,
  END_OF_MEDIUM: 0xffff_ffff,
  ERASE_GAP: 0xffff_fffe,
  HALF_GAP: 0xfffe_ffff,
} as const;

/** Record classes (high 4 bits of a length word). */
export const TAP_CLASS = {
  GOOD: 0x0,
  BAD: 0x8,
  PRIVATE: 0xe,
  MARKER: 0xf,
} as const;

/** Largest record length a 28-bit length field holds. */
export const TAP_MAX_RECORD = 0x0fff_ffff;

/** Magic at the start of a compressed record's payload ("SLZ4"). */
export const TAP_LZ4_MAGIC = 0x345a_4c53;

/** Bytes of the compressed-record header (magic + uncompressed length). */
export const TAP_LZ4_HEADER = 8;

/** Raised for a tape image that does not follow the format. */
export class TapeFormatError extends Error {
  /** Byte offset in the file where the problem is. */
  readonly offset: number;
  /** Creates the error. */
  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = "TapeFormatError";
    this.offset = offset;
  }
}

/** One object on the tape. */
export type TapObject =
  | {
    /** A data record of some class. */
    readonly kind: "record";
    /** Record class (0 good, 8 bad, 0xE private, others reserved). */
    readonly cls: number;
    /** The record's bytes as stored (for compressed records: header + LZ4 block). */
    readonly data: Uint8Array;
  }
  | {
    /** A tape mark. */
    readonly kind: "mark";
  }
  | {
    /** An erase gap of `bytes` bytes (4 per full gap word, 2 for a half gap). */
    readonly kind: "gap";
    /** Gap size in the file. */
    readonly bytes: number;
  }
  | {
    /** Another single-word class-F marker, kept verbatim. */
    readonly kind: "marker";
    /** The marker word. */
    readonly word: number;
  };

/** A parsed tape image. */
export interface TapImage {
  /** The objects from BOT on. */
  objects: TapObject[];
  /** True when the file had an explicit end-of-medium marker. */
  endOfMedium: boolean;
}

/** Bytes an object occupies in the file. */
export function tapObjectSize(o: TapObject): number {
  switch (o.kind) {
    case "record":
      return 8 + ((o.data.length + 1) & ~1);
    case "mark":
    case "marker":
      return 4;
    case "gap":
      return o.bytes;
  }
}

/** Parses a `.tap` file; throws {@link TapeFormatError} on a malformed image. */
export function parseTap(bytes: Uint8Array): TapImage {
  const r = parseTapPrefix(bytes);
  if (r.error !== null) throw r.error;
  return r;
}

/** A parse that stops at the first malformed word: the objects before it, and the error. */
export interface TapPrefix extends TapImage {
  /** The problem that stopped the parse (its `offset` is where the bad part starts), or null. */
  error: TapeFormatError | null;
}

/** Parses as far as the image is well formed (see {@link TapPrefix}). */
export function parseTapPrefix(bytes: Uint8Array): TapPrefix {
  try {
    return { ...parseObjects(bytes, []), error: null };
  } catch (e) {
    if (!(e instanceof PartialParse)) throw e;
    return { objects: e.objects, endOfMedium: false, error: e.error };
  }
}

class PartialParse extends Error {
  constructor(readonly objects: TapObject[], readonly error: TapeFormatError) {
    super(error.message);
  }
}

function parseObjects(bytes: Uint8Array, objects: TapObject[]): TapImage {
  try {
    return parseInto(bytes, objects);
  } catch (e) {
    if (e instanceof TapeFormatError) throw new PartialParse(objects, e);
    throw e;
  }
}

function parseInto(bytes: Uint8Array, objects: TapObject[]): TapImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const end = bytes.length;
  while (pos < end) {
    if (pos + 4 > end) throw new TapeFormatError(`truncated length word`, pos);
    const word = view.getUint32(pos, true);
    if (word === TAP_WORD.TAPE_MARK) {
      objects.push({ kind: "mark" });
      pos += 4;
      continue;
    }
    if (word === TAP_WORD.END_OF_MEDIUM) return { objects, endOfMedium: true };
    if (word === TAP_WORD.ERASE_GAP) {
      objects.push({ kind: "gap", bytes: 4 });
      pos += 4;
      continue;
    }
    if (word === TAP_WORD.HALF_GAP) {
      // A half gap: the erase-gap word starts 2 bytes on, so step only 2 bytes.
      objects.push({ kind: "gap", bytes: 2 });
      pos += 2;
      continue;
    }
    const cls = word >>> 28;
    const length = word & TAP_MAX_RECORD;
    if (cls === TAP_CLASS.MARKER || length === 0) {
      objects.push({ kind: "marker", word });
      pos += 4;
      continue;
    }
    const padded = (length + 1) & ~1;
    if (pos + 8 + padded > end) {
      throw new TapeFormatError(`record of ${length} bytes runs past the end of the file`, pos);
    }
    const trailer = view.getUint32(pos + 4 + padded, true);
    if (trailer !== word) {
      throw new TapeFormatError(
        `leading length 0x${word.toString(16)} does not match trailing 0x${trailer.toString(16)}`,
        pos,
      );
    }
    objects.push({ kind: "record", cls, data: bytes.subarray(pos + 4, pos + 4 + length) });
    pos += 8 + padded;
  }
  return { objects, endOfMedium: false };
}

/** Writes objects as a `.tap` file, with a trailing end-of-medium word when `endOfMedium`. */
export function serializeTap(objects: readonly TapObject[], endOfMedium = false): Uint8Array {
  let size = endOfMedium ? 4 : 0;
  for (const o of objects) size += tapObjectSize(o);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  for (const o of objects) {
    switch (o.kind) {
      case "mark":
        view.setUint32(pos, TAP_WORD.TAPE_MARK, true);
        pos += 4;
        break;
      case "marker":
        view.setUint32(pos, o.word, true);
        pos += 4;
        break;
      case "gap":
        // A half gap is the two 0xFF bytes that precede a full erase-gap word.
        if (o.bytes === 2) out[pos] = out[pos + 1] = 0xff;
        else for (let i = 0; i < o.bytes; i += 4) view.setUint32(pos + i, TAP_WORD.ERASE_GAP, true);
        pos += o.bytes;
        break;
      case "record": {
        const word = ((o.cls << 28) | o.data.length) >>> 0;
        view.setUint32(pos, word, true);
        out.set(o.data, pos + 4);
        const padded = (o.data.length + 1) & ~1;
        view.setUint32(pos + 4 + padded, word, true);
        pos += 8 + padded;
        break;
      }
    }
  }
  if (endOfMedium) view.setUint32(pos, TAP_WORD.END_OF_MEDIUM, true);
  return out;
}

/**
 * Makes the stored form of a record: a class-0xE compressed record when LZ4
 * shrinks it (header included), else a class-0 record with the raw bytes.
 */
export function makeDataRecord(data: Uint8Array, compress: boolean): TapObject {
  if (data.length === 0 || data.length > TAP_MAX_RECORD) {
    throw new RangeError(`tape record length must be 1..${TAP_MAX_RECORD}, got ${data.length}`);
  }
  if (compress) {
    const block = lz4CompressBlock(data);
    if (block !== null && TAP_LZ4_HEADER + block.length < data.length) {
      const payload = new Uint8Array(TAP_LZ4_HEADER + block.length);
      const view = new DataView(payload.buffer);
      view.setUint32(0, TAP_LZ4_MAGIC, true);
      view.setUint32(4, data.length, true);
      payload.set(block, TAP_LZ4_HEADER);
      return { kind: "record", cls: TAP_CLASS.PRIVATE, data: payload };
    }
  }
  return { kind: "record", cls: TAP_CLASS.GOOD, data: data.slice() };
}

/** True when `o` is a compressed record in Strata's encoding. */
export function isCompressedRecord(o: TapObject): boolean {
  return o.kind === "record" && o.cls === TAP_CLASS.PRIVATE &&
    o.data.length >= TAP_LZ4_HEADER &&
    new DataView(o.data.buffer, o.data.byteOffset, 4).getUint32(0, true) === TAP_LZ4_MAGIC;
}

/**
 * The bytes a data-bearing record delivers to the host: raw for classes 0
 * and 8, decompressed for Strata's compressed records; throws
 * {@link TapeFormatError} for a compressed record that does not decode.
 */
export function recordPayload(o: TapObject & { kind: "record" }): Uint8Array {
  if (o.cls !== TAP_CLASS.PRIVATE) return o.data;
  const view = new DataView(o.data.buffer, o.data.byteOffset, o.data.byteLength);
  const length = view.getUint32(4, true);
  try {
    return lz4DecompressBlock(o.data.subarray(TAP_LZ4_HEADER), length);
  } catch (e) {
    if (e instanceof Lz4Error) throw new TapeFormatError(`bad compressed record: ${e.message}`, 0);
    throw e;
  }
}
