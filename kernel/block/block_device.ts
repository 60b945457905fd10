/**
 * The file-system side of a block device: {@link BlockDeviceHandle}
 * implements `BlockDevice` (see `types.ts`) over one {@link Partition} and
 * the shared {@link BufferCache}. Block numbers are relative to the
 * partition; the handle turns them into absolute sectors, checks them
 * against its end, and turns "not there yet" into `waitForIo` on the disk's
 * queue.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { WaitQueue } from "../ipc/wait_queue.ts";
import type { BufferCache } from "./buffer_cache.ts";
import type { Partition } from "./disk.ts";
import { BlockClass, type BlockDevice, SECTOR_SIZE } from "./types.ts";

/** Parks the calling thread on a queue; answers K.RESTART (the kernel's `waitForIo`). */
export type WaitForIo = (queue: WaitQueue) => KStatus;

/** Whether `blockSize` is a usable block size: a multiple of 512 from 512 to 65536. */
export function validBlockSize(blockSize: number): boolean {
  return Number.isInteger(blockSize) && blockSize >= SECTOR_SIZE && blockSize <= 65536 &&
    blockSize % SECTOR_SIZE === 0;
}

/** An open block device of a file system. */
export class BlockDeviceHandle implements BlockDevice {
  /** Device name. */
  readonly name: string;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** Opened read-only. */
  readonly readOnly: boolean;
  #closed = false;
  readonly #sectors: number[] = [];

  /** Opens `part` (for writing unless `readOnly`). */
  constructor(
    readonly part: Partition,
    readonly cache: BufferCache,
    readOnly: boolean,
    readonly waitForIo: WaitForIo,
  ) {
    this.name = part.name;
    this.sizeBytes = part.sizeBytes;
    this.readOnly = readOnly;
  }

  /** Absolute first sector of `block`, or -1 past the end / for a bad size. */
  #sector(block: number, blockSize: number): number {
    if (!validBlockSize(blockSize) || !Number.isInteger(block) || block < 0) return -1;
    const per = blockSize / SECTOR_SIZE;
    if ((block + 1) * per > this.part.sectors) return -1;
    return this.part.start + block * per;
  }

  /** End sector of the partition. */
  get #limit(): number {
    return this.part.start + this.part.sectors;
  }

  /** The cached block or null (its read started). Null past the end too. */
  peek(block: number, blockSize: number): Uint8Array | null {
    const s = this.#sector(block, blockSize);
    if (s < 0 || this.#closed || this.part.disk.gone) return null;
    return this.cache.peek(this.part.disk, s, blockSize, this.#limit);
  }

  /** K.OK when all are cached and pinned; else waits (K.RESTART); K.IO, K.INVAL. */
  gather(blocks: readonly number[], blockSize: number): KStatus {
    if (this.#closed) return K.BADF;
    const sectors = this.#sectors;
    sectors.length = 0;
    for (const b of blocks) {
      const s = this.#sector(b, blockSize);
      if (s < 0) return K.INVAL;
      sectors.push(s);
    }
    const r = this.cache.gather(this.part.disk, sectors, blockSize, this.#limit);
    return r === K.AGAIN ? this.waitForIo(this.part.disk.wait) : r;
  }

  /** A zero-filled cached block, not read; a detached zero block past the end. */
  fresh(block: number, blockSize: number): Uint8Array {
    const s = this.#sector(block, blockSize);
    if (s < 0 || this.#closed) return new Uint8Array(validBlockSize(blockSize) ? blockSize : 0);
    return this.cache.fresh(this.part.disk, s, blockSize);
  }

  /** Marks a cached block dirty (ignored on a read-only handle or past the end). */
  markDirty(block: number, blockSize: number, klass: number = BlockClass.DATA): void {
    const s = this.#sector(block, blockSize);
    if (s < 0 || this.readOnly || this.#closed) return;
    this.cache.markDirty(this.part.disk, s, blockSize, klass);
  }

  /** Writes the partition's dirty blocks (data, then metadata), then FLUSH; waits while it runs. */
  sync(): KStatus {
    const r = this.cache.sync(this.part.disk, this.part.start, this.#limit);
    return r === K.AGAIN ? this.waitForIo(this.part.disk.wait) : r;
  }

  /** Releases the device. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.part.opens--;
    if (!this.readOnly) this.part.writers--;
    this.onClose?.();
  }

  /** Called once when the handle closes (the block layer drops the driver module's use). */
  onClose: (() => void) | null = null;
}
