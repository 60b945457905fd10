/**
 * Byte copies between typed arrays for the hot paths (system-call argument
 * copies, pipe buffers). `TypedArray.set(src.subarray(...))` allocates a view
 * per call, which dominates a one-byte pipe transfer; short copies use a plain
 * loop instead and allocate nothing.
 *
 * @module
 */

/** Copies up to this many bytes with a loop; longer copies use `set`. */
const LOOP_LIMIT = 32;

/**
 * Copies `n` bytes from `src[srcOff..]` to `dst[dstOff..]` (the ranges must
 * not overlap within one array). The caller guarantees both ranges are in
 * bounds.
 */
export function copyBytes(
  dst: Uint8Array,
  dstOff: number,
  src: Uint8Array,
  srcOff: number,
  n: number,
): void {
  if (n <= LOOP_LIMIT) {
    for (let i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i];
  } else if (srcOff === 0 && n === src.length) {
    dst.set(src, dstOff);
  } else {
    dst.set(src.subarray(srcOff, srcOff + n), dstOff);
  }
}
