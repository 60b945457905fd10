/**
 * The block source ext2 runs on, and the per-operation transaction over it.
 *
 * - {@link BlockSource}: the synchronous cache interface (peek, gather,
 *   fresh, markDirty, sync) that the kernel's buffer cache provides and that
 *   host tests implement over an image in memory.
 * - {@link Tx}: one file-system operation. It reads blocks through the
 *   source and writes into private copies (an overlay). A block that is not
 *   cached aborts the operation with {@link NeedBlock} before anything
 *   changed; the caller gathers every block the attempt touched (pinning
 *   them) and the system call restarts. Only a finished operation commits
 *   its copies into the cache and marks them dirty, data blocks first. This
 *   is the "gather, then mutate" rule of docs/kernel.md.
 *
 * @module
 */

import { K, type KStatus } from "../../../kernel/api.ts";

/** What a dirty block holds, so a sync can write file data before the metadata that points to it. */
export const DirtyKind = { DATA: 0, META: 1 } as const;

/** The buffer-cache interface ext2 needs (block numbers in units of `blockSize`). */
export interface BlockSource {
  /** Size of the device in bytes. */
  readonly sizeBytes: number;
  /** True when the device refuses writes. */
  readonly readOnly: boolean;
  /** The cached block, or null after starting its read. */
  peek(block: number, blockSize: number): Uint8Array | null;
  /** K.OK when all blocks are cached (pinned until the call ends); else the K.RESTART of a wait. */
  gather(blocks: readonly number[], blockSize: number): KStatus;
  /** A zero-filled cache block that is not read from the device. */
  fresh(block: number, blockSize: number): Uint8Array;
  /** Marks a cached block dirty; `kind` orders data before metadata. */
  markDirty(block: number, blockSize: number, kind?: number): void;
  /** Writes every dirty block, then flushes the device; K.RESTART while waiting. */
  sync(): KStatus;
}

/** Thrown inside an operation when a block is not cached yet (nothing has changed). */
export class NeedBlock extends Error {
  /** The block whose read was started. */
  readonly block: number;
  /** Creates the signal for `block`. */
  constructor(block: number, options?: ErrorOptions) {
    super(`block ${block} not cached`, options);
    this.block = block;
  }
}

/** Thrown when the image is inconsistent (answered as K.UCLEAN, or K.IO for a block past the end). */
export class Corrupt extends Error {
  /** The status the operation answers. */
  readonly status: KStatus;
  /** Creates the error with the status the caller gets. */
  constructor(message: string, status: KStatus = K.UCLEAN, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

interface Written {
  data: Uint8Array;
  fresh: boolean;
  kind: number;
}

/** One operation's view of the device: reads through, writes into copies until {@link Tx.commit}. */
export class Tx {
  /** Blocks the attempt needed (gathered together when one is missing). */
  readonly touched: number[] = [];
  readonly #src: BlockSource;
  readonly #bs: number;
  readonly #limit: number;
  readonly #written = new Map<number, Written>();

  /** A transaction over `src` in blocks of `blockSize` bytes, `blockCount` of them. */
  constructor(src: BlockSource, blockSize: number, blockCount: number) {
    this.#src = src;
    this.#bs = blockSize;
    this.#limit = blockCount;
  }

  /** Block size in bytes. */
  get blockSize(): number {
    return this.#bs;
  }

  #check(block: number): void {
    if (!Number.isInteger(block) || block < 0 || block >= this.#limit) {
      throw new Corrupt(`block ${block} outside the file system`, K.UCLEAN);
    }
  }

  /** The current contents of `block` (read-only view; do not modify). */
  read(block: number): Uint8Array {
    const w = this.#written.get(block);
    if (w !== undefined) return w.data;
    this.#check(block);
    const data = this.#src.peek(block, this.#bs);
    this.touched.push(block);
    if (data === null) throw new NeedBlock(block);
    return data;
  }

  /** Makes sure all `blocks` are cached, starting every missing read at once. */
  prefetch(blocks: readonly number[]): void {
    let missing = -1;
    for (const b of blocks) {
      if (b === 0 || this.#written.has(b)) continue;
      this.#check(b);
      this.touched.push(b);
      if (this.#src.peek(b, this.#bs) === null) missing = b;
    }
    if (missing >= 0) throw new NeedBlock(missing);
  }

  /** A writable copy of `block` (its current contents). */
  write(block: number, kind: number = DirtyKind.META): Uint8Array {
    const w = this.#written.get(block);
    if (w !== undefined) return w.data;
    const data = this.read(block).slice();
    this.#written.set(block, { data, fresh: false, kind });
    return data;
  }

  /** A writable zero-filled `block` whose old contents are not read (new or wholly overwritten). */
  fresh(block: number, kind: number = DirtyKind.META): Uint8Array {
    this.#check(block);
    const w = this.#written.get(block);
    if (w !== undefined) {
      w.data.fill(0);
      w.kind = kind;
      return w.data;
    }
    const data = new Uint8Array(this.#bs);
    this.#written.set(block, { data, fresh: true, kind });
    return data;
  }

  /** True when the operation wrote `block`. */
  wrote(block: number): boolean {
    return this.#written.has(block);
  }

  /** True when the operation changed something. */
  get dirty(): boolean {
    return this.#written.size > 0;
  }

  /** Copies every written block into the cache and marks it dirty, data blocks first. */
  commit(): void {
    for (const kind of [DirtyKind.DATA, DirtyKind.META]) {
      for (const [block, w] of this.#written) {
        if (w.kind !== kind) continue;
        const dst = w.fresh ? this.#src.fresh(block, this.#bs) : this.#src.peek(block, this.#bs);
        if (dst === null) throw new Error(`ext2: block ${block} left the cache during a call`);
        dst.set(w.data);
        this.#src.markDirty(block, this.#bs, kind);
      }
    }
  }
}
