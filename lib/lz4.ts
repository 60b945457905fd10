/**
 * A typed wrapper over the raw LZ4 block codec of `npm:lz4js`, as the tape
 * drive's hardware compressor uses it: one record in, one block out.
 *
 * The block format carries no length, so callers store the uncompressed
 * length themselves (the tape keeps it in the record header).
 *
 * @module
 */

// A full specifier rather than the deno.json import map, so that the toolkit
// also works when a script outside this repository imports mod.ts (the lint
// rule no-import-prefix is off in deno.json for this reason).
// @ts-types="./lz4js.d.ts"
import * as lz4js from "npm:lz4js@0.2.0";

/** Raised when a compressed block does not decode to the length it claims. */
export class Lz4Error extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "Lz4Error";
  }
}

// One reusable hash table: cleared per block so output depends only on the input.
const hashTable = new Uint32Array(1 << 16);

/** Worst-case size of the LZ4 block for `n` input bytes. */
export function lz4Bound(n: number): number {
  return lz4js.compressBound(n);
}

/**
 * Compresses `src` into a new LZ4 block. Returns null when the block would
 * not be smaller than the input (the caller then stores the data raw).
 */
export function lz4CompressBlock(src: Uint8Array): Uint8Array | null {
  if (src.length === 0) return null;
  hashTable.fill(0);
  const dst = new Uint8Array(lz4js.compressBound(src.length));
  const n = lz4js.compressBlock(src, dst, 0, src.length, hashTable);
  if (n <= 0 || n >= src.length) return null;
  return dst.slice(0, n);
}

/**
 * Decompresses an LZ4 block that must expand to exactly `length` bytes;
 * throws {@link Lz4Error} otherwise (a corrupt block never escapes as garbage).
 */
export function lz4DecompressBlock(block: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 0x0fff_ffff) {
    throw new Lz4Error(`bad uncompressed length ${length}`);
  }
  // Spare room so that a corrupt block overrunning the claimed length is detected, not clipped.
  const dst = new Uint8Array(length + 64);
  let end: number;
  try {
    end = lz4js.decompressBlock(block, dst, 0, block.length, 0);
  } catch (e) {
    throw new Lz4Error(`corrupt LZ4 block: ${(e as Error).message}`, { cause: e });
  }
  if (end !== length) {
    throw new Lz4Error(`LZ4 block decodes to ${end} bytes, expected ${length}`);
  }
  return dst.subarray(0, length);
}
