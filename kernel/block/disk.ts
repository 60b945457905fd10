/**
 * A registered disk and its partitions.
 *
 * Disk unit n (0..3) is `hda`..`hdd` with Linux's IDE numbers: 3:0, 3:64,
 * 22:0, 22:64; partition k (1..4) adds k to the minor. A {@link Partition}
 * with index 0 is the whole disk. Each partition keeps the /proc/diskstats
 * counters of the requests that start inside it.
 *
 * @module
 */

import { WaitQueue } from "../ipc/wait_queue.ts";
import type { ElevatorName } from "./request_queue.ts";
import { RequestQueue } from "./request_queue.ts";
import type { BlockDriver, BlockOp } from "./types.ts";

/** Major numbers of the four IDE units (ide0: 3, ide1: 22). */
export const UNIT_MAJOR: readonly number[] = [3, 3, 22, 22];
/** First minor of each unit (64 minors per disk). */
export const UNIT_MINOR: readonly number[] = [0, 64, 0, 64];
/** Names of the four units. */
export const UNIT_NAME: readonly string[] = ["hda", "hdb", "hdc", "hdd"];

/** Per-partition request counters (/proc/diskstats lines of partitions). */
export interface PartCounters {
  /** Reads. */
  reads: number;
  /** Sectors read. */
  readSectors: number;
  /** ns reading. */
  readNs: number;
  /** Writes. */
  writes: number;
  /** Sectors written. */
  writeSectors: number;
  /** ns writing. */
  writeNs: number;
}

/** A disk or one of its partitions, as a block device node shows it. */
export class Partition {
  /** Counters of requests starting in it. */
  readonly counters: PartCounters = {
    reads: 0,
    readSectors: 0,
    readNs: 0,
    writes: 0,
    writeSectors: 0,
    writeNs: 0,
  };
  /** Open file-system handles that write. */
  writers = 0;
  /** Open file-system handles (a mounted file system holds one). */
  opens = 0;

  /** A partition of `disk`: entry `index` (0 whole disk), `sectors` long from `start`. */
  constructor(
    readonly disk: Disk,
    readonly index: number,
    readonly start: number,
    readonly sectors: number,
  ) {}

  /** Node name ("hda", "hda1"). */
  get name(): string {
    return this.index === 0 ? this.disk.name : `${this.disk.name}${this.index}`;
  }

  /** Major number. */
  get major(): number {
    return this.disk.major;
  }

  /** Minor number. */
  get minor(): number {
    return this.disk.minorBase + this.index;
  }

  /** Size in bytes. */
  get sizeBytes(): number {
    return this.sectors * 512;
  }
}

/** A registered disk: its driver, request queue, partitions and wait queue. */
export class Disk {
  /** Node name ("hda"). */
  readonly name: string;
  /** Major number. */
  readonly major: number;
  /** Minor of the whole disk. */
  readonly minorBase: number;
  /** The request queue in front of the driver. */
  readonly queue: RequestQueue;
  /** Woken on every completion of this disk (callers waiting for blocks sleep here). */
  readonly wait: WaitQueue;
  /** Index 0: the whole disk; then the MBR partitions found. */
  partitions: Partition[];
  /** Set when the driver went away: everything answers K.IO. */
  gone = false;
  /** A write or flush failed since the last sync reported it (Linux's errseq). */
  ioError = false;
  /** Writes completed (a flush is needed when it differs from {@link flushedGen}). */
  writeGen = 0;
  /** {@link writeGen} covered by the last completed flush. */
  flushedGen = 0;
  /** A flush is with the queue. */
  flushing = false;
  /** The driver's module is being replaced: the disk waits for its successor. */
  held = false;
  /** The partition table has been read. */
  scanned = false;

  /** Disk `unit` (0..3) over `driver`, owned by module `owner` (null: the kernel). */
  constructor(
    readonly unit: number,
    public driver: BlockDriver,
    public owner: string | null,
    now: () => number,
    elevator: ElevatorName,
  ) {
    this.name = UNIT_NAME[unit];
    this.major = UNIT_MAJOR[unit];
    this.minorBase = UNIT_MINOR[unit];
    this.queue = new RequestQueue(driver, now, elevator);
    this.wait = new WaitQueue(`blk:${this.name}`);
    this.partitions = [new Partition(this, 0, 0, driver.sectors)];
    this.queue.onComplete = (op, sector, count, ns) => this.#count(op, sector, count, ns);
  }

  /** A successor driver takes over the held disk (same capacity): queued requests go to it. */
  attach(driver: BlockDriver, owner: string | null): void {
    this.driver = driver;
    this.owner = owner;
    this.held = false;
    this.queue.setDriver(driver);
  }

  /** The whole disk. */
  get whole(): Partition {
    return this.partitions[0];
  }

  /** The medium is read-only. */
  get readOnly(): boolean {
    return this.driver.readOnly;
  }

  #count(op: BlockOp, sector: number, count: number, ns: number): void {
    if (op === "flush") return;
    for (let i = 1; i < this.partitions.length; i++) {
      const p = this.partitions[i];
      if (sector < p.start || sector >= p.start + p.sectors) continue;
      const c = p.counters;
      if (op === "read") {
        c.reads++;
        c.readSectors += count;
        c.readNs += ns;
      } else {
        c.writes++;
        c.writeSectors += count;
        c.writeNs += ns;
      }
    }
  }
}
