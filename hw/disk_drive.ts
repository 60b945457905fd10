/**
 * The mechanical model of a disk drive: geometry, seek, rotation and media
 * transfer, all in cycles of the simulated clock, plus usage statistics.
 *
 * - Seek: 0 for the same cylinder, else
 *   `trackToTrack + (fullStroke - trackToTrack) * sqrt((d - 1) / (cylinders - 2))`
 *   for a distance of d cylinders (the square-root shape of an arm that
 *   accelerates then coasts), so longer seeks always cost more.
 * - Rotation: the platter angle is a pure function of simulated time
 *   (`now mod period`); the latency to a sector is the wait until its start
 *   passes under the head after the seek ends.
 * - Transfer: one sector passes under the head in `period / sectorsPerTrack`.
 * - Buffering: like real drives, the drive keeps reading ahead after a read
 *   (up to one track's worth of sectors, seeking to the next cylinder when
 *   needed), so a read that continues the stream waits only until the head
 *   has reached its sector, and is free when the data is already buffered;
 *   a write that continues the previous one without losing a sector time
 *   (the host answered within one sector time) also needs no new revolution.
 *
 * @module
 */

import type { SimClock } from "./clock.ts";

/** Cylinders, heads and sectors per track. */
export interface DiskGeometry {
  /** Number of cylinders. */
  cylinders: number;
  /** Number of heads (tracks per cylinder). */
  heads: number;
  /** Sectors per track. */
  sectorsPerTrack: number;
}

/** Mechanical timing parameters. */
export interface DiskTiming {
  /** Spindle speed in revolutions per minute (default 7200). */
  rpm?: number;
  /** Seek time between adjacent cylinders, milliseconds (default 0.8). */
  trackToTrackMs?: number;
  /** Seek time across the whole disk, milliseconds (default 16). */
  fullStrokeMs?: number;
  /** Controller overhead per command, microseconds (default 20). */
  commandOverheadUs?: number;
}

/** Raised for an impossible geometry or timing. */
export class DiskGeometryError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "DiskGeometryError";
  }
}

/** Usage counters of one drive (read by benchmarks and, later, /proc). */
export interface DiskStats {
  /** Commands accepted by the controller. */
  commands: number;
  /** Sectors read from the media. */
  sectorsRead: number;
  /** Sectors written to the media. */
  sectorsWritten: number;
  /** Arm movements to a different cylinder. */
  seeks: number;
  /** Sum of seek distances in cylinders. */
  seekDistance: number;
  /** Cycles spent seeking. */
  seekCycles: number;
  /** Cycles spent waiting for the platter to rotate. */
  rotationCycles: number;
  /** Cycles spent transferring sectors to/from the media. */
  transferCycles: number;
  /** Cycles the drive was busy (overhead + seek + rotation + transfer). */
  busyCycles: number;
  /** Commands that ended in an error. */
  errors: number;
  /** Reads served from the read-ahead buffer without waiting. */
  cacheHits: number;
}

/** The default geometry for `sectors`: 16 heads, 63 sectors per track (the classic BIOS translation). */
export function defaultGeometry(sectors: number): DiskGeometry {
  const heads = 16, sectorsPerTrack = 63;
  const cylinders = Math.max(1, Math.ceil(sectors / (heads * sectorsPerTrack)));
  return { cylinders, heads, sectorsPerTrack };
}

/** Creates zeroed statistics. */
export function newDiskStats(): DiskStats {
  return {
    commands: 0,
    sectorsRead: 0,
    sectorsWritten: 0,
    seeks: 0,
    seekDistance: 0,
    seekCycles: 0,
    rotationCycles: 0,
    transferCycles: 0,
    busyCycles: 0,
    errors: 0,
    cacheHits: 0,
  };
}

/** Position and timing of one drive. */
export class DiskDrive {
  /** The geometry used for CHS translation and timing. */
  readonly geometry: Readonly<DiskGeometry>;
  /** Capacity in sectors. */
  readonly sectors: number;
  /** Cycles per revolution. */
  readonly rotationCycles: number;
  /** Cycles for one sector to pass under the head. */
  readonly sectorCycles: number;
  /** Cycles of controller overhead per command. */
  readonly commandCycles: number;
  /** Usage counters. */
  readonly stats: DiskStats = newDiskStats();
  /** Cylinder the arm is over. */
  cylinder = 0;
  readonly #clock: SimClock;
  readonly #t2t: number;
  readonly #full: number;
  // The stream the drive is following: last sector moved, when it passed the head, direction.
  #lastLba = -1;
  #lastEnd = 0;
  #lastWrite = false;

  /** Creates a drive of `sectors` sectors timed by `clock`. */
  constructor(
    clock: SimClock,
    sectors: number,
    geometry: DiskGeometry = defaultGeometry(sectors),
    timing: DiskTiming = {},
  ) {
    const { cylinders, heads, sectorsPerTrack } = geometry;
    for (
      const [k, v, max] of [["cylinders", cylinders, 65535], ["heads", heads, 16], [
        "sectorsPerTrack",
        sectorsPerTrack,
        255,
      ]] as const
    ) {
      if (!Number.isInteger(v) || v < 1 || v > max) {
        throw new DiskGeometryError(`${k} must be 1..${max}, got ${v}`);
      }
    }
    if (cylinders * heads * sectorsPerTrack < sectors) {
      throw new DiskGeometryError(
        `geometry ${cylinders}/${heads}/${sectorsPerTrack} holds fewer than ${sectors} sectors`,
      );
    }
    const rpm = timing.rpm ?? 7200;
    const t2t = timing.trackToTrackMs ?? 0.8;
    const full = timing.fullStrokeMs ?? 16;
    const overhead = timing.commandOverheadUs ?? 20;
    if (!(rpm > 0) || !(t2t >= 0) || !(full >= t2t) || !(overhead >= 0)) {
      throw new DiskGeometryError("bad disk timing parameters");
    }
    this.#clock = clock;
    this.sectors = sectors;
    this.geometry = { cylinders, heads, sectorsPerTrack };
    const f = clock.frequency;
    // A revolution is a whole number of sector times, so sector boundaries fall on exact cycles.
    this.sectorCycles = Math.max(1, Math.round(((60 / rpm) * f) / sectorsPerTrack));
    this.rotationCycles = this.sectorCycles * sectorsPerTrack;
    this.commandCycles = Math.round((overhead / 1e6) * f);
    this.#t2t = (t2t / 1000) * f;
    this.#full = (full / 1000) * f;
  }

  /** Cylinder of `lba`. */
  cylinderOf(lba: number): number {
    const g = this.geometry;
    return Math.floor(lba / (g.heads * g.sectorsPerTrack));
  }

  /** LBA of a CHS address (sector is 1-based), or -1 when outside the geometry. */
  chsToLba(cylinder: number, head: number, sector: number): number {
    const g = this.geometry;
    if (cylinder >= g.cylinders || head >= g.heads || sector < 1 || sector > g.sectorsPerTrack) {
      return -1;
    }
    return (cylinder * g.heads + head) * g.sectorsPerTrack + sector - 1;
  }

  /** Seek time in cycles for a move of `distance` cylinders. */
  seekCycles(distance: number): number {
    if (distance <= 0) return 0;
    const span = this.geometry.cylinders - 2;
    const frac = span > 0 ? Math.sqrt((distance - 1) / span) : 0;
    return Math.round(this.#t2t + (this.#full - this.#t2t) * frac);
  }

  /**
   * Cycles from `start` until sector `lba` has passed under the head
   * (seek + rotational latency + one sector's transfer), moving the arm and
   * updating statistics. `start` defaults to now.
   */
  access(lba: number, write: boolean, start: number = this.#clock.now): number {
    const st = this.stats;
    if (write) st.sectorsWritten++;
    else st.sectorsRead++;
    const target = this.cylinderOf(lba);
    const distance = Math.abs(target - this.cylinder);
    const spt = this.geometry.sectorsPerTrack;
    const last = this.#lastLba;
    // Continuing the stream: read-ahead (reads) or the write buffer (writes).
    const streams = write
      ? this.#lastWrite && lba === last + 1
      : !this.#lastWrite && last >= 0 && lba > last && lba - last <= spt;
    if (streams) {
      const ready = this.#lastEnd + (lba - last) * this.sectorCycles +
        this.seekCycles(distance);
      if (!write || start < ready) {
        const cost = ready > start ? ready - start : 0;
        if (distance > 0) this.#moveArm(target, distance);
        if (cost === 0) st.cacheHits++;
        st.transferCycles += cost;
        st.busyCycles += cost;
        this.#lastLba = lba;
        this.#lastEnd = ready > start ? ready : start;
        return cost;
      }
    }
    const seek = this.seekCycles(distance);
    if (distance > 0) this.#moveArm(target, distance);
    const sectorStart = (lba % spt) * this.sectorCycles;
    const angle = (start + seek) % this.rotationCycles;
    let wait = sectorStart - angle;
    if (wait < 0) wait += this.rotationCycles;
    const total = seek + wait + this.sectorCycles;
    st.seekCycles += seek;
    st.rotationCycles += wait;
    st.transferCycles += this.sectorCycles;
    st.busyCycles += total;
    this.#lastLba = lba;
    this.#lastEnd = start + total;
    this.#lastWrite = write;
    return total;
  }

  #moveArm(target: number, distance: number): void {
    this.stats.seeks++;
    this.stats.seekDistance += distance;
    this.cylinder = target;
  }

  /** Accounts `cycles` of non-mechanical busy time (command overhead, flush). */
  addBusy(cycles: number): void {
    this.stats.busyCycles += cycles;
  }
}
