/**
 * Guest spans: a guest virtual range that the kernel has checked and
 * resolved to RAM, page by page, so that a file operation (a pipe) copies
 * between its own buffer and the guest's memory directly instead of through a
 * staging buffer (the file layer's `GuestSpan` contract, `kernel/fs/types.ts`).
 *
 * - {@link UserSpan}: the resolved pieces (RAM offset and length per page),
 *   `fill` and `drain` to copy into and out of them, `copied` to charge the
 *   transfer's simulated cost once;
 * - `AddressSpace.span` makes one: each page is resolved as the access would
 *   resolve it (demand-zero, copy-on-write), so a span that exists can be
 *   copied into or out of without a fault, and a bad address is known before
 *   anything is consumed.
 *
 * One span object per address space is reused for every call: nothing is
 * allocated per transfer.
 *
 * @module
 */

import { copyBytes } from "../../lib/byte_copy.ts";
import { GUEST_SPAN_MAX, type GuestSpan } from "../fs/types.ts";
import type { Ram } from "../../hw/ram.ts";
import type { MmContext } from "./address_space.ts";
import { PAGE_SIZE } from "./frames.ts";

/** Most pages a span covers: {@link GUEST_SPAN_MAX} bytes starting anywhere in a page. */
export const SPAN_MAX_PAGES = GUEST_SPAN_MAX / PAGE_SIZE + 1;

/** A resolved guest range: RAM pieces of at most one page each, in address order. */
export class UserSpan implements GuestSpan {
  /** Bytes in the range. */
  length = 0;
  #count = 0;
  readonly #offs = new Int32Array(SPAN_MAX_PAGES);
  readonly #lens = new Int32Array(SPAN_MAX_PAGES);
  readonly #ctx: MmContext;
  readonly #ram: Ram;
  readonly #u8: Uint8Array;

  /** Creates an empty span over the RAM of `ctx`'s frames. */
  constructor(ctx: MmContext) {
    this.#ctx = ctx;
    this.#ram = ctx.frames.ram;
    this.#u8 = ctx.frames.ram.u8;
  }

  /** Empties the span (a new range follows with {@link add}). */
  reset(): void {
    this.length = 0;
    this.#count = 0;
    this.#lens[0] = 0;
  }

  /** Makes the span the one piece of `len` bytes at RAM offset `off`. */
  single(off: number, len: number): void {
    this.#offs[0] = off;
    this.#lens[0] = len;
    this.#count = 1;
    this.length = len;
  }

  /** Appends `len` bytes at RAM offset `off` (the next piece of the range). */
  add(off: number, len: number): void {
    this.#offs[this.#count] = off;
    this.#lens[this.#count++] = len;
    this.length += len;
  }

  /** Copies `n` bytes of `src` from `srcOff` into the range at `at`; the code cache is told. */
  fill(at: number, src: Uint8Array, srcOff: number, n: number): void {
    if (at + n <= this.#lens[0]) {
      // Within the first piece (a small transfer): one copy. This case is
      // kept small so that V8 inlines it into the file operation.
      const off = this.#offs[0] + at;
      if (n === 1) this.#u8[off] = src[srcOff];
      else copyBytes(this.#u8, off, src, srcOff, n);
      this.#ram.notifyWrite(off, n);
      return;
    }
    this.#fillPieces(at, src, srcOff, n);
  }

  /** {@link fill} over several pieces. */
  #fillPieces(at: number, src: Uint8Array, srcOff: number, n: number): void {
    const ram = this.#ram;
    const offs = this.#offs, lens = this.#lens;
    let i = 0;
    while (n > 0) {
      const len = lens[i];
      if (at >= len) {
        at -= len;
        i++;
        continue;
      }
      const off = offs[i] + at;
      const chunk = Math.min(n, len - at);
      copyBytes(this.#u8, off, src, srcOff, chunk);
      ram.notifyWrite(off, chunk);
      srcOff += chunk;
      n -= chunk;
      at = 0;
      i++;
    }
  }

  /** Copies `n` bytes of the range from `at` into `dst` at `dstOff`. */
  drain(at: number, dst: Uint8Array, dstOff: number, n: number): void {
    if (at + n <= this.#lens[0]) {
      // Within the first piece, kept small as in `fill`.
      const off = this.#offs[0] + at;
      if (n === 1) dst[dstOff] = this.#u8[off];
      else copyBytes(dst, dstOff, this.#u8, off, n);
      return;
    }
    this.#drainPieces(at, dst, dstOff, n);
  }

  /** {@link drain} over several pieces. */
  #drainPieces(at: number, dst: Uint8Array, dstOff: number, n: number): void {
    const offs = this.#offs, lens = this.#lens;
    let i = 0;
    while (n > 0) {
      const len = lens[i];
      if (at >= len) {
        at -= len;
        i++;
        continue;
      }
      const chunk = Math.min(n, len - at);
      copyBytes(dst, dstOff, this.#u8, offs[i] + at, chunk);
      dstOff += chunk;
      n -= chunk;
      at = 0;
      i++;
    }
  }

  /** Charges the simulated cost of copying `n` bytes (as `copyIn`/`copyOut` charge it). */
  copied(n: number): void {
    const ctx = this.#ctx;
    ctx.charge(((n + 63) >>> 6) * ctx.costs.copyPer64Bytes);
  }
}
