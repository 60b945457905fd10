/**
 * `TypedSlab`: typed arrays carved out of shared buffers, for objects made
 * by the thousand per second.
 *
 * In Deno every `new Int32Array(n)` gets a backing store of its own outside
 * V8's heap: an allocation, its accounting as external memory (which makes
 * the collector run sooner) and a finalizer the collector runs when the
 * array dies. That costs about 1 µs an array, small or large, against about
 * 30 ns for a view of a buffer that exists. A fork made seven such arrays
 * (the process's and thread's signal information, the page table's
 * bookkeeping, resource limits, a register file); taking them from a slab
 * made it about a fifth faster.
 *
 * A slab hands out views of one buffer in order, each at an 8-byte aligned
 * offset, and starts a new buffer when one is used up. Views are never
 * handed out twice, so each starts zeroed, as new memory does. A buffer goes
 * away when the last view of it does: a view that lives long keeps its
 * buffer alive, so the memory held is at most one buffer per live view.
 * So each module that makes such arrays has a slab of its own: views that
 * live alike (a process's, an exec's passing reads) share buffers.
 *
 * @module
 */

/** Bytes of each shared buffer (a larger request gets a buffer of its own size). */
export const SLAB_BUFFER_BYTES = 16384;

/**
 * Hands out zeroed typed arrays as views of shared buffers.
 *
 * @example
 * ```ts
 * import { TypedSlab } from "./typed_slab.ts";
 * const slab = new TypedSlab();
 * const table = slab.int32(1024).fill(-1);
 * const bytes = slab.uint8(100);
 * const limits = slab.float64(16);
 * console.log(table.length, bytes.length, limits[0]); // 1024 100 0
 * ```
 */
export class TypedSlab {
  #buffer = new ArrayBuffer(SLAB_BUFFER_BYTES);
  #used = 0;

  /** Byte offset in the current buffer of `bytes` new bytes (the buffer may be replaced). */
  #take(bytes: number): number {
    const size = (bytes + 7) & ~7;
    if (this.#used + size > this.#buffer.byteLength) {
      this.#buffer = new ArrayBuffer(Math.max(SLAB_BUFFER_BYTES, size));
      this.#used = 0;
    }
    const at = this.#used;
    this.#used += size;
    return at;
  }

  /**
   * A zeroed `Uint8Array` of `length` elements.
   *
   * @param length element count
   * @returns a view that no other caller gets
   */
  uint8(length: number): Uint8Array {
    const at = this.#take(length);
    return new Uint8Array(this.#buffer, at, length);
  }

  /**
   * A zeroed `Int32Array` of `length` elements.
   *
   * @param length element count
   * @returns a view that no other caller gets
   */
  int32(length: number): Int32Array {
    const at = this.#take(length * 4);
    return new Int32Array(this.#buffer, at, length);
  }

  /**
   * A zeroed `Uint32Array` of `length` elements.
   *
   * @param length element count
   * @returns a view that no other caller gets
   */
  uint32(length: number): Uint32Array {
    const at = this.#take(length * 4);
    return new Uint32Array(this.#buffer, at, length);
  }

  /**
   * A zeroed `Float64Array` of `length` elements.
   *
   * @param length element count
   * @returns a view that no other caller gets
   */
  float64(length: number): Float64Array {
    const at = this.#take(length * 8);
    return new Float64Array(this.#buffer, at, length);
  }
}
