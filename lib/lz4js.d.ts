// Types for the parts of npm:lz4js (0.2.0) that hw/lz4.ts uses; the package ships none.

/** Compresses `sLength` bytes of `src` from `sIndex` into `dst` as one raw LZ4 block; 0 if nothing matched. */
export function compressBlock(
  src: Uint8Array,
  dst: Uint8Array,
  sIndex: number,
  sLength: number,
  hashTable: Uint32Array,
): number;
/** Decodes one raw LZ4 block into `dst` from `dIndex`; returns the end index in `dst`. */
export function decompressBlock(
  src: Uint8Array,
  dst: Uint8Array,
  sIndex: number,
  sLength: number,
  dIndex: number,
): number;
/** Worst-case compressed size of `n` bytes. */
export function compressBound(n: number): number;
