/**
 * The block-driver contract the ATA drivers implement: a disk with a
 * capacity that takes one request at a time and completes it once.
 *
 * @module
 */

import type { KStatus } from "../../../kernel/api.ts";

/** One request from the block layer. */
export interface BlockRequest {
  /** What to do. */
  readonly op: "read" | "write" | "flush";
  /** Absolute LBA of the first sector. */
  readonly sector: number;
  /** Sectors to move (0 for flush). */
  readonly count: number;
  /** count*512 bytes: filled by a read, the source of a write. */
  readonly data: Uint8Array;
  /** Called exactly once, later or synchronously: K.OK, or K.IO on a failed request. */
  complete(status: KStatus): void;
}

/** A disk as the block layer sees it. */
export interface BlockDriver {
  /** Model string from IDENTIFY. */
  readonly model: string;
  /** Serial number from IDENTIFY. */
  readonly serial: string;
  /** Capacity in 512-byte sectors. */
  readonly sectors: number;
  /** Writes are refused. */
  readonly readOnly: boolean;
  /** Starts one request. */
  submit(req: BlockRequest): void;
}
