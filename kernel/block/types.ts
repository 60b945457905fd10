/**
 * The contract of the block layer: what a disk driver implements
 * ({@link BlockDriver}, fed one {@link BlockRequest} at a time) and what a
 * file system gets from `api.openBlockDevice` ({@link BlockDevice}, a view
 * of one disk or partition through the buffer cache).
 *
 * Sectors are 512 bytes; every sector number a driver sees is an absolute
 * LBA on its disk.
 *
 * @module
 */

import type { KStatus } from "../errors.ts";

/** Bytes per sector. */
export const SECTOR_SIZE = 512;

/** What a request asks the drive to do. */
export type BlockOp = "read" | "write" | "flush";

/** One request handed to a driver. */
export interface BlockRequest {
  /** The operation. */
  readonly op: BlockOp;
  /** First sector (absolute LBA). */
  readonly sector: number;
  /** Number of sectors (0 for a flush). */
  readonly count: number;
  /** `count * 512` bytes: filled by a read, the source of a write (empty for a flush). */
  readonly data: Uint8Array;
  /** Called exactly once, later or synchronously: K.OK, or K.IO for a failed request. */
  complete(status: KStatus): void;
}

/** A disk driver's side of one disk, registered with `ctx.registerBlockDisk`. */
export interface BlockDriver {
  /** Model string (from IDENTIFY). */
  readonly model: string;
  /** Serial number (from IDENTIFY). */
  readonly serial: string;
  /** Capacity in 512-byte sectors. */
  readonly sectors: number;
  /** The medium refuses writes. */
  readonly readOnly: boolean;
  /** Starts one request; the block layer sends at most one at a time per disk. */
  submit(req: BlockRequest): void;
}

/** How a dirty block is ordered by a sync: data blocks are written before metadata blocks. */
export const BlockClass = {
  /** File contents. */
  DATA: 0,
  /** Inodes, bitmaps, directories, superblock, group descriptors. */
  META: 1,
} as const;

/**
 * A disk or partition opened by a file system, read and written through the
 * buffer cache in the gather-then-mutate model (`docs/kernel.md`, "Blocking
 * in file systems"). Block numbers count `blockSize`-byte blocks from the
 * start of the device; `blockSize` is a multiple of 512 up to 65536.
 */
export interface BlockDevice {
  /** Device name ("hda1"). */
  readonly name: string;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** Opened read-only (or the medium is read-only). */
  readonly readOnly: boolean;
  /** The block if cached and valid; else starts its read (if not under way) and returns null. */
  peek(block: number, blockSize: number): Uint8Array | null;
  /**
   * K.OK when every listed block is cached (they stay pinned until the
   * calling thread's next system call); else starts the missing reads and
   * returns `api.waitForIo(queue)` (K.RESTART). K.IO when a read failed, and
   * K.INVAL for a block past the end of the device.
   */
  gather(blocks: readonly number[], blockSize: number): KStatus;
  /** A zero-filled cache block that is not read from the device (a newly allocated block). */
  fresh(block: number, blockSize: number): Uint8Array;
  /** Marks a cached block modified; `klass` orders it in a sync ({@link BlockClass}, default DATA). */
  markDirty(block: number, blockSize: number, klass?: number): void;
  /**
   * Writes every dirty block of the device (data blocks, then metadata
   * blocks), then issues a FLUSH CACHE. K.OK when all of it has completed;
   * K.RESTART (waiting) while it runs; K.IO if a write or the flush failed.
   */
  sync(): KStatus;
  /** Releases the device (a file system's unmount); dirty blocks stay in the cache for write-back. */
  close(): void;
}
