/**
 * The request queue of one disk: requests wait here until the driver is free
 * (it gets one at a time). Pending reads and writes that touch end to end
 * are merged into one request (back and front merges, up to
 * {@link MAX_MERGED_SECTORS}); the next request is chosen by the elevator:
 *
 * - `clook` (circular LOOK): the pending request with the lowest start
 *   sector at or past the head position (the end of the last request), else
 *   the lowest start sector of all (the head sweeps upwards, then jumps back);
 * - `fifo`: arrival order.
 *
 * A flush is a barrier: nothing queued after it is sent before it, nothing
 * queued before it after it. Counters (merges, sectors, time busy) feed
 * `/proc/diskstats`. While the driver is being replaced the queue is
 * paused: requests wait and go to the successor.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import { type BlockDriver, type BlockOp, type BlockRequest, SECTOR_SIZE } from "./types.ts";

/** The largest merged request, in sectors (128 KiB, as an ATA LBA28 transfer allows 256). */
export const MAX_MERGED_SECTORS = 256;

/** Elevator names. */
export type ElevatorName = "clook" | "fifo";

/** The elevators, for a scheduler file. */
export const ELEVATORS: readonly ElevatorName[] = ["clook", "fifo"];

/** One caller's part of a queued request. */
interface Part {
  readonly data: Uint8Array;
  readonly done: (status: KStatus) => void;
}

/** A queued request (possibly several merged parts). */
interface Queued {
  readonly op: BlockOp;
  sector: number;
  count: number;
  readonly parts: Part[];
  readonly seq: number;
  readonly queuedNs: number;
}

/** Counters of one disk, in /proc/diskstats order. */
export interface DiskCounters {
  /** Reads completed (after merging). */
  reads: number;
  /** Reads merged into another. */
  readMerges: number;
  /** Sectors read. */
  readSectors: number;
  /** ns spent on reads (queued to complete). */
  readNs: number;
  /** Writes completed. */
  writes: number;
  /** Writes merged. */
  writeMerges: number;
  /** Sectors written. */
  writeSectors: number;
  /** ns spent on writes. */
  writeNs: number;
  /** ns the disk had a request in flight. */
  busyNs: number;
  /** Sum over requests of their queued-to-complete time. */
  weightedNs: number;
  /** Flushes completed. */
  flushes: number;
  /** ns spent on flushes. */
  flushNs: number;
  /** Requests that failed. */
  errors: number;
}

/** New zeroed counters. */
export function newCounters(): DiskCounters {
  return {
    reads: 0,
    readMerges: 0,
    readSectors: 0,
    readNs: 0,
    writes: 0,
    writeMerges: 0,
    writeSectors: 0,
    writeNs: 0,
    busyNs: 0,
    weightedNs: 0,
    flushes: 0,
    flushNs: 0,
    errors: 0,
  };
}

/** The per-disk queue in front of a driver. */
export class RequestQueue {
  /** The elevator in use. */
  elevator: ElevatorName;
  /** Counters. */
  readonly counters: DiskCounters = newCounters();
  /** Called after each completed request with its first sector and op (partition statistics). */
  onComplete: ((op: BlockOp, sector: number, count: number, ns: number) => void) | null = null;
  #driver: BlockDriver;
  #paused = false;
  // Bumped when an in-flight request is taken back from a driver being replaced.
  #generation = 0;
  readonly #now: () => number;
  readonly #pending: Queued[] = [];
  #active: Queued | null = null;
  #activeSince = 0;
  #head = 0;
  #seq = 0;
  #dispatching = false;

  /** A queue in front of `driver`; `now` gives simulated ns. */
  constructor(driver: BlockDriver, now: () => number, elevator: ElevatorName = "clook") {
    this.#driver = driver;
    this.#now = now;
    this.elevator = elevator;
  }

  /**
   * Stops sending requests to the driver (it is being replaced); they wait in
   * the queue. A request the old driver has in flight goes back to the head
   * of the queue and is sent again to the successor (reads and writes of
   * whole sectors are idempotent; the successor resets the controller at its
   * probe, which ends the old command): a late completion from the old
   * driver is ignored.
   */
  pause(): void {
    this.#paused = true;
    const a = this.#active;
    if (a === null) return;
    this.#active = null;
    this.#generation++;
    this.#pending.unshift(a);
  }

  /** Sends the queued requests to `driver` from now on (a replacement driver). */
  setDriver(driver: BlockDriver): void {
    this.#driver = driver;
    this.#paused = false;
    this.#dispatch();
  }

  /** Requests queued or in flight. */
  get depth(): number {
    return this.#pending.length + (this.#active === null ? 0 : 1);
  }

  /** Whether a request is with the driver. */
  get busy(): boolean {
    return this.#active !== null;
  }

  /**
   * Queues a read or write of `data.length / 512` sectors at `sector`, or a
   * flush (`data` empty); `done` is called once with its status.
   */
  submit(op: BlockOp, sector: number, data: Uint8Array, done: (status: KStatus) => void): void {
    const count = op === "flush" ? 0 : data.length / SECTOR_SIZE;
    const part: Part = { data, done };
    if (op !== "flush" && this.#merge(op, sector, count, part)) {
      if (op === "read") this.counters.readMerges++;
      else this.counters.writeMerges++;
    } else {
      this.#pending.push({
        op,
        sector,
        count,
        parts: [part],
        seq: this.#seq++,
        queuedNs: this.#now(),
      });
    }
    this.#dispatch();
  }

  /** Joins a new part to a pending request it touches, in the same barrier window. */
  #merge(op: BlockOp, sector: number, count: number, part: Part): boolean {
    for (let i = this.#pending.length - 1; i >= 0; i--) {
      const q = this.#pending[i];
      if (q.op === "flush") return false; // never merge across a barrier
      if (q.op !== op || q.count + count > MAX_MERGED_SECTORS) continue;
      if (q.sector + q.count === sector) {
        q.parts.push(part);
        q.count += count;
        return true;
      }
      if (sector + count === q.sector) {
        q.parts.unshift(part);
        q.sector = sector;
        q.count += count;
        return true;
      }
    }
    return false;
  }

  /** The index of the next request to send, by the elevator, within the first barrier window. */
  #pick(): number {
    const p = this.#pending;
    if (p[0].op === "flush" || this.elevator === "fifo") return 0;
    let best = -1, lowest = 0;
    for (let i = 0; i < p.length; i++) {
      const q = p[i];
      if (q.op === "flush") break;
      if (q.sector < p[lowest].sector) lowest = i;
      if (q.sector >= this.#head && (best < 0 || q.sector < p[best].sector)) best = i;
    }
    return best >= 0 ? best : lowest;
  }

  #dispatch(): void {
    if (this.#dispatching || this.#paused) return;
    this.#dispatching = true;
    try {
      while (this.#active === null && this.#pending.length > 0) {
        const q = this.#pending.splice(this.#pick(), 1)[0];
        this.#active = q;
        this.#activeSince = this.#now();
        this.#driver.submit(this.#request(q));
      }
    } finally {
      this.#dispatching = false;
    }
  }

  /** The driver's view of `q`: one buffer (the caller's own when there is a single part). */
  #request(q: Queued): BlockRequest {
    let data = q.parts.length === 1 ? q.parts[0].data : new Uint8Array(q.count * SECTOR_SIZE);
    if (q.parts.length > 1 && q.op === "write") {
      let at = 0;
      for (const part of q.parts) {
        data.set(part.data, at);
        at += part.data.length;
      }
    }
    if (q.op === "flush") data = new Uint8Array(0);
    let called = false;
    const generation = this.#generation;
    return {
      op: q.op,
      sector: q.sector,
      count: q.count,
      data,
      complete: (status: KStatus) => {
        if (called || generation !== this.#generation) return;
        called = true;
        this.#finish(q, data, status);
      },
    };
  }

  #finish(q: Queued, data: Uint8Array, status: KStatus): void {
    const now = this.#now();
    this.#account(q, now, status);
    if (q.op !== "flush") this.#head = q.sector + q.count;
    this.#active = null;
    if (q.parts.length > 1 && q.op === "read" && status === K.OK) {
      let at = 0;
      for (const part of q.parts) {
        part.data.set(data.subarray(at, at + part.data.length));
        at += part.data.length;
      }
    }
    for (const part of q.parts) part.done(status === K.OK ? K.OK : K.IO);
    this.#dispatch();
  }

  #account(q: Queued, now: number, status: KStatus): void {
    const c = this.counters;
    const ns = now - q.queuedNs;
    c.busyNs += now - this.#activeSince;
    c.weightedNs += ns;
    if (status !== K.OK) c.errors++;
    if (q.op === "read") {
      c.reads++;
      c.readSectors += q.count;
      c.readNs += ns;
    } else if (q.op === "write") {
      c.writes++;
      c.writeSectors += q.count;
      c.writeNs += ns;
    } else {
      c.flushes++;
      c.flushNs += ns;
    }
    this.onComplete?.(q.op, q.sector, q.count, ns);
  }
}
