/**
 * A sequential tape drive: the commands a {@link TapeController} gives it
 * (read, write, erase, filemark, space, rewind, unload, load) over a medium
 * in a {@link TapeBacking}, with capacity and early warning, and hardware
 * LZ4 compression of records.
 *
 * The drive is built from:
 * - `tape_medium.ts`: the SIMH objects on the tape and the head's position
 *   (block and file numbers, bytes of tape from BOT); every object takes its
 *   size in the `.tap` file plus an inter-record gap (`gapBytes`) of tape, so
 *   capacity is counted in those bytes and compressed records use less tape;
 * - `tape_motion.ts`: the timing of streaming through the drive's buffer,
 *   start/stop repositions, and winding;
 * - `tape_types.ts`: configuration, counters and the result object;
 * - `tape_backing.ts`: where the image lives (memory or a host file);
 * - `simh_tap.ts`: the `.tap` format and the compressed-record encoding.
 *
 * A filemark is written through the buffer and waits until it is on tape;
 * load and unload take fixed times.
 *
 * @module
 */

import type { SimClock } from "./clock.ts";
import {
  makeDataRecord,
  recordPayload,
  TAP_CLASS,
  TapeFormatError,
  type TapObject,
} from "./simh_tap.ts";
import { type TapeBacking, TapeIoError } from "./tape_backing.ts";
import { TapeMedium } from "./tape_medium.ts";
import { STREAM, TapeMotion } from "./tape_motion.ts";
import {
  resolveTapeConfig,
  type TapeDriveConfig,
  type TapeOutcome,
  type TapeResult,
  type TapeStats,
} from "./tape_types.ts";

// The backings and the drive's types stay importable from here.
export * from "./tape_backing.ts";
export * from "./tape_types.ts";

/** The drive. */
export class TapeDrive {
  /** Configuration in force. */
  readonly config: Readonly<Required<TapeDriveConfig>>;
  /** Counters. */
  readonly stats: TapeStats = {
    recordsRead: 0,
    recordsWritten: 0,
    filemarksWritten: 0,
    bytesRead: 0,
    bytesWritten: 0,
    bytesStored: 0,
    compressedRecords: 0,
    repositions: 0,
    busyCycles: 0,
  };
  /** The load error, when the medium could not be mounted. */
  loadError: Error | null = null;
  /**
   * Where the image stopped being well formed (null for a sound image): the
   * rest of the file from there reads as one bad-data record.
   */
  damage: Error | null = null;

  readonly #backing: TapeBacking;
  readonly #medium: TapeMedium;
  readonly #motion: TapeMotion;
  #online = false;
  readonly #result: TapeResult = {
    outcome: "ok",
    cycles: 0,
    length: 0,
    data: null,
    residual: 0,
    compressed: false,
    badRecord: false,
  };

  /** Creates the drive and mounts `backing` (a failed mount leaves the drive offline). */
  constructor(clock: SimClock, backing: TapeBacking, config: TapeDriveConfig = {}) {
    const c = resolveTapeConfig(config);
    this.config = c;
    this.#motion = new TapeMotion(clock, c, this.stats);
    this.#medium = new TapeMedium(c.gapBytes);
    this.#backing = backing;
    this.#mount();
  }

  /** True when a medium is loaded and readable. */
  get online(): boolean {
    return this.#online;
  }
  /** True when writes are refused. */
  get writeProtected(): boolean {
    return this.config.writeProtect || this.#backing.readOnly;
  }
  /** At beginning of tape. */
  get atBot(): boolean {
    return this.#online && this.#medium.atStart;
  }
  /** Past the early-warning point. */
  get earlyWarning(): boolean {
    return this.#medium.position >= this.config.capacityBytes - this.config.earlyWarningBytes;
  }
  /** Physical distance from BOT in bytes of tape. */
  get position(): number {
    return this.#medium.position;
  }
  /** Records and marks before the head (the block number). */
  get blockNumber(): number {
    return this.#medium.block;
  }
  /** Visible records between the last filemark before the head (or BOT) and the head. */
  get fileBlockNumber(): number {
    return this.#medium.fileBlockNumber();
  }
  /** Filemarks before the head (the file number). */
  get fileNumber(): number {
    return this.#medium.file;
  }
  /** Compression ratio of the data written since load, x100 (100 = none). */
  get ratioPercent(): number {
    const s = this.stats;
    return s.bytesStored === 0 ? 100 : Math.round((s.bytesWritten * 100) / s.bytesStored);
  }
  /** The tape's objects (read-only view for tests and tools). */
  get objects(): readonly TapObject[] {
    return this.#medium.objects;
  }

  #mount(): void {
    this.#online = false;
    this.damage = null;
    this.#medium.resetHead();
    this.#motion.stop();
    try {
      const bytes = this.#backing.load();
      this.damage = this.#medium.load(bytes);
      this.loadError = null;
      this.#online = true;
    } catch (e) {
      if (!(e instanceof TapeFormatError) && !(e instanceof TapeIoError)) throw e;
      this.#medium.clear();
      this.loadError = e;
    }
  }

  #reset(outcome: TapeOutcome, cycles = 0): TapeResult {
    const r = this.#result;
    r.outcome = outcome;
    r.cycles = cycles;
    r.length = 0;
    r.data = null;
    r.residual = 0;
    r.compressed = false;
    r.badRecord = false;
    return r;
  }

  #notReady(): TapeResult | null {
    return this.#online ? null : this.#reset("offline");
  }

  /** Reads the next record into the result (`data` is the full record). */
  read(): TapeResult {
    const bad = this.#notReady();
    if (bad) return bad;
    const m = this.#motion;
    const from = this.#medium.position;
    const start = m.startStream(STREAM.READ);
    const o = this.#medium.stepForward();
    const r = this.#reset("ok");
    r.cycles = m.until(m.streamed(STREAM.READ, start, this.#medium.position - from));
    if (o === undefined) {
      r.outcome = "eod";
      m.stop();
    } else if (o.kind === "mark") {
      r.outcome = "filemark";
    } else if (o.kind === "record") {
      this.#readRecord(o, r);
    }
    return r;
  }

  /** The payload of a record into `r` ("data-error" when it does not decode). */
  #readRecord(o: TapObject & { kind: "record" }, r: TapeResult): void {
    r.compressed = o.cls === TAP_CLASS.PRIVATE;
    r.badRecord = o.cls === TAP_CLASS.BAD;
    try {
      r.data = recordPayload(o);
      r.length = r.data.length;
      this.stats.recordsRead++;
      this.stats.bytesRead += r.length;
    } catch (e) {
      if (!(e instanceof TapeFormatError)) throw e;
      r.outcome = "data-error";
    }
  }

  #checkWritable(): TapeResult | null {
    const bad = this.#notReady();
    if (bad) return bad;
    if (this.writeProtected) return this.#reset("protected");
    return null;
  }

  #append(o: TapObject): TapeResult {
    const r = this.#reset("ok");
    const footprint = this.#medium.footprint(o);
    if (this.#medium.position + footprint > this.config.capacityBytes) {
      r.outcome = "eom";
      return r;
    }
    const m = this.#motion;
    const start = m.startStream(STREAM.WRITE);
    // Writing erases everything after the head.
    this.#medium.append(o, footprint);
    const at = m.streamed(STREAM.WRITE, start, footprint);
    // The host waits only until the record fits in the buffer (a filemark: until it is on tape).
    r.cycles = m.until(o.kind === "mark" ? at : at - m.bufferCycles);
    return r;
  }

  /** Writes one record, compressed when `compress` and it shrinks. */
  write(data: Uint8Array, compress: boolean): TapeResult {
    const bad = this.#checkWritable();
    if (bad) return bad;
    const o = makeDataRecord(data, compress);
    const r = this.#append(o);
    if (r.outcome === "ok" && o.kind === "record") {
      const s = this.stats;
      s.recordsWritten++;
      s.bytesWritten += data.length;
      s.bytesStored += o.data.length;
      r.compressed = o.cls === TAP_CLASS.PRIVATE;
      if (r.compressed) s.compressedRecords++;
      r.length = data.length;
    }
    return r;
  }

  /** Erases the tape from the head to the end of the recorded data. */
  erase(): TapeResult {
    const bad = this.#checkWritable();
    if (bad) return bad;
    const r = this.#reset("ok");
    const rest = this.#medium.eraseRest();
    r.cycles = this.#motion.reposition(rest, this.config.streamBytesPerSecond);
    return r;
  }

  /** Writes a filemark. */
  writeFilemark(): TapeResult {
    const bad = this.#checkWritable();
    if (bad) return bad;
    const r = this.#append({ kind: "mark" });
    if (r.outcome === "ok") this.stats.filemarksWritten++;
    return r;
  }

  /** Spaces over `count` records forward; stops after a filemark (outcome "filemark"). */
  spaceRecordsForward(count: number): TapeResult {
    return this.#space(count, true, false);
  }

  /** Spaces over `count` records backward; stops before (BOT side of) a filemark. */
  spaceRecordsBackward(count: number): TapeResult {
    return this.#space(count, false, false);
  }

  /** Spaces forward past `count` filemarks. */
  spaceFilesForward(count: number): TapeResult {
    return this.#space(count, true, true);
  }

  /** Spaces backward over `count` filemarks, stopping on the BOT side of the last one. */
  spaceFilesBackward(count: number): TapeResult {
    return this.#space(count, false, true);
  }

  /**
   * SPACE: counts records (a filemark stops the command) or filemarks (records
   * are passed over), forward or backward; the residual is what was not done.
   */
  #space(count: number, forward: boolean, files: boolean): TapeResult {
    const bad = this.#notReady();
    if (bad) return bad;
    const medium = this.#medium;
    const start = medium.position;
    const r = this.#reset("ok");
    let done = 0;
    while (done < count) {
      const o = forward ? medium.stepForward() : medium.stepBack();
      if (o === undefined) {
        r.outcome = forward ? "eod" : "bot";
        break;
      }
      if (o.kind === "mark") {
        if (files) {
          done++;
          continue;
        }
        r.outcome = "filemark";
        break;
      }
      if (!files) done++;
    }
    r.residual = count - done;
    const distance = Math.abs(medium.position - start);
    r.cycles = this.#motion.reposition(distance, this.config.windBytesPerSecond);
    return r;
  }

  /** Rewinds to BOT (and saves pending writes). */
  rewind(): TapeResult {
    const bad = this.#notReady();
    if (bad) return bad;
    const r = this.#reset("ok");
    r.cycles = this.#motion.reposition(this.#medium.position, this.config.rewindBytesPerSecond);
    this.#medium.rewind();
    this.#saveQuietly(r);
    return r;
  }

  /** Rewinds, saves and takes the medium offline. */
  unload(): TapeResult {
    const bad = this.#notReady();
    if (bad) return bad;
    const r = this.rewind();
    const unload = this.#motion.ms(this.config.unloadMs);
    r.cycles += unload;
    this.#motion.busy(unload);
    this.#online = false;
    return r;
  }

  /** (Re)loads the medium from the backing, at BOT; outcome "offline" when it does not parse. */
  load(): TapeResult {
    if (this.#online) this.#saveQuietly(this.#reset("ok"));
    this.#mount();
    const r = this.#reset(this.#online ? "ok" : "offline");
    r.cycles = this.#motion.ms(this.config.loadMs);
    this.#motion.busy(r.cycles);
    return r;
  }

  /** Writes pending changes to the backing; throws {@link TapeIoError} on failure. */
  flush(): void {
    if (!this.#medium.dirty) return;
    this.#backing.save(this.#medium.image());
    this.#medium.saved();
  }

  #saveQuietly(r: TapeResult): void {
    try {
      this.flush();
    } catch (e) {
      if (!(e instanceof TapeIoError)) throw e;
      r.outcome = "data-error";
    }
  }
}
