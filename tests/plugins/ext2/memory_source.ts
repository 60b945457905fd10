/**
 * A {@link BlockSource} over a disk image in host memory, for host-side
 * ext2 tests, the power-cut harness and the corrupt-image fuzz.
 *
 * The "disk" is `image`; the cache holds copies of its blocks. Dirty blocks
 * reach the disk only on `sync` (data blocks first, then metadata, each in
 * block order), one write at a time, so a test can cut power at the Nth
 * write: writes after the cut are dropped, exactly as unflushed ones would
 * be. `missEvery` makes some peeks miss, to drive the restart path.
 *
 * @module
 */

import { K, type KStatus } from "../../../kernel/api.ts";
import { type BlockSource, DirtyKind } from "../../../plugins/filesystems/ext2/block_source.ts";

/** Options of a {@link MemorySource}. */
export interface MemorySourceOptions {
  /** Refuse writes. */
  readOnly?: boolean;
  /** Stop writing to the image after this many block writes (a power cut). */
  cutAfterWrites?: number;
  /** Report every block as missing the first time it is peeked (to test restarts). */
  coldCache?: boolean;
}

/** An image in memory with a write-back cache in front of it. */
export class MemorySource implements BlockSource {
  /** The disk contents. */
  readonly image: Uint8Array;
  /** Device size in bytes. */
  readonly sizeBytes: number;
  /** Refuses writes. */
  readonly readOnly: boolean;
  /** Block writes that reached the image. */
  writes = 0;
  /** Reads started because a peek missed. */
  misses = 0;
  /** Gathers that would have waited. */
  waits = 0;
  /** True once the cut has happened. */
  cut = false;
  readonly #cache = new Map<string, Uint8Array>();
  readonly #dirty = new Map<string, [number, number, number]>();
  readonly #warm = new Set<string>();
  readonly #cutAfter: number;
  readonly #cold: boolean;

  /** A source over `image` (used in place). */
  constructor(image: Uint8Array, opts: MemorySourceOptions = {}) {
    this.image = image;
    this.sizeBytes = image.length;
    this.readOnly = opts.readOnly ?? false;
    this.#cutAfter = opts.cutAfterWrites ?? Infinity;
    this.#cold = opts.coldCache ?? false;
  }

  #get(block: number, size: number): Uint8Array {
    const key = `${block}:${size}`;
    let b = this.#cache.get(key);
    if (b === undefined) {
      const at = block * size;
      if (at < 0 || at + size > this.image.length) {
        throw new Error(`read past the image: block ${block}`);
      }
      b = this.image.slice(at, at + size);
      this.#cache.set(key, b);
    }
    return b;
  }

  /** The block, or null (and counted) when cold and not yet read. */
  peek(block: number, size: number): Uint8Array | null {
    const key = `${block}:${size}`;
    if (this.#cold && !this.#warm.has(key)) {
      this.#warm.add(key);
      this.misses++;
      return null;
    }
    return this.#get(block, size);
  }

  /** In memory everything arrives at once: the first gather of a missing block counts a wait. */
  gather(blocks: readonly number[], size: number): KStatus {
    for (const b of blocks) {
      const key = `${b}:${size}`;
      if (this.#cold && !this.#warm.has(key)) this.#warm.add(key);
    }
    this.waits++;
    return K.OK;
  }

  /** A zeroed cache block. */
  fresh(block: number, size: number): Uint8Array {
    this.#warm.add(`${block}:${size}`);
    const b = this.#get(block, size);
    b.fill(0);
    return b;
  }

  /** Remembers a dirty block. */
  markDirty(block: number, size: number, kind: number = DirtyKind.META): void {
    if (this.readOnly) throw new Error("write to a read-only source");
    this.#dirty.set(`${block}:${size}`, [block, size, kind]);
  }

  /** Writes dirty blocks to the image (data, then metadata), honouring the cut. */
  sync(): KStatus {
    const order = [...this.#dirty.values()].sort((a, b) => a[2] - b[2] || a[0] - b[0]);
    for (const [block, size] of order) {
      if (this.writes >= this.#cutAfter) {
        this.cut = true;
        return K.IO;
      }
      const at = block * size;
      if (at < 0 || at + size > this.image.length) {
        throw new Error(`write past the image: block ${block}`);
      }
      this.image.set(this.#cache.get(`${block}:${size}`)!, at);
      this.writes++;
      this.#dirty.delete(`${block}:${size}`);
    }
    return K.OK;
  }

  /** Dirty blocks not yet written. */
  get dirtyCount(): number {
    return this.#dirty.size;
  }
}
