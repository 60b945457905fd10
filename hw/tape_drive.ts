/**
 * A sequential tape drive: the medium (SIMH `.tap` objects), the head
 * position, capacity with early warning, the motion timing model and
 * hardware LZ4 compression. The {@link TapeController} drives it.
 *
 * Positions: the head is before object `index`; `position` is the physical
 * distance from BOT in bytes of tape. Every object takes its size in the
 * `.tap` file plus an inter-record gap (`gapBytes`) of tape; capacity is
 * counted in those bytes, so compressed records use less tape.
 *
 * Timing (all in cycles of the simulated clock). The drive has a data
 * buffer of `bufferBytes`; the tape moves at the streaming speed while the
 * buffer lets it:
 * - write: the record goes to the buffer and the command completes as soon
 *   as it fits (the host waits only when the buffer is full); the tape
 *   writes from the buffer. If the buffer ran dry before the record came,
 *   the tape had stopped and pays a start/stop (reposition) penalty.
 * - read: the tape reads ahead; a read that continues the stream within one
 *   buffer time waits only for its record to pass the head; a later read
 *   (or the first one) pays the start/stop penalty.
 * - a filemark is written through the buffer and waits until it is on tape;
 *   spacing and rewind wait for buffered writes, then pay one start/stop and
 *   move at the wind (resp. rewind) speed; load and unload take fixed times.
 *
 * @module
 */

import type { SimClock } from "./clock.ts";
import {
  isCompressedRecord,
  makeDataRecord,
  parseTapPrefix,
  recordPayload,
  serializeTap,
  TAP_CLASS,
  TAP_MAX_RECORD,
  TapeFormatError,
  type TapObject,
  tapObjectSize,
} from "./simh_tap.ts";

/** Where a tape's bytes live. */
export interface TapeBacking {
  /** Name for messages (the host path, or "memory"). */
  readonly name: string;
  /** True when the medium is write-protected. */
  readonly readOnly: boolean;
  /** Reads the whole image. */
  load(): Uint8Array;
  /** Replaces the whole image. */
  save(bytes: Uint8Array): void;
}

/** Raised when a tape backing cannot be read or written. */
export class TapeIoError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "TapeIoError";
  }
}

/** A tape image held in memory. */
export class MemoryTapeBacking implements TapeBacking {
  /** Always "memory". */
  readonly name = "memory";
  /** The current image bytes. */
  bytes: Uint8Array;
  /** Write protection. */
  readonly readOnly: boolean;
  /** Creates a backing holding `bytes` (default: a blank tape). */
  constructor(bytes: Uint8Array = new Uint8Array(0), readOnly = false) {
    this.bytes = bytes;
    this.readOnly = readOnly;
  }
  /** Returns the image. */
  load(): Uint8Array {
    return this.bytes;
  }
  /** Stores the image. */
  save(bytes: Uint8Array): void {
    this.bytes = bytes;
  }
}

/** A tape image in a host `.tap` file (created empty when missing and writable). */
export class FileTapeBacking implements TapeBacking {
  /** Host path. */
  readonly name: string;
  /** Write protection (a read-only open). */
  readonly readOnly: boolean;
  /** Creates the backing for `path`. */
  constructor(path: string, readOnly = false) {
    this.name = path;
    this.readOnly = readOnly;
  }
  /** Reads the file (a missing file is a blank tape). */
  load(): Uint8Array {
    try {
      return Deno.readFileSync(this.name);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return new Uint8Array(0);
      throw new TapeIoError(`cannot read ${this.name}: ${(e as Error).message}`);
    }
  }
  /** Rewrites the file. */
  save(bytes: Uint8Array): void {
    if (this.readOnly) throw new TapeIoError(`${this.name} is write-protected`);
    try {
      Deno.writeFileSync(this.name, bytes);
    } catch (e) {
      throw new TapeIoError(`cannot write ${this.name}: ${(e as Error).message}`);
    }
  }
}

/** Medium and timing parameters. */
export interface TapeDriveConfig {
  /** Tape length in bytes of recording (default 64 MiB). */
  capacityBytes?: number;
  /** Early-warning zone before the physical end (default 1/32 of capacity). */
  earlyWarningBytes?: number;
  /** Tape consumed between records (default 64). */
  gapBytes?: number;
  /** Streaming read/write speed, bytes per second (default 2 MB/s). */
  streamBytesPerSecond?: number;
  /** Speed when spacing over records and files (default 40 MB/s). */
  windBytesPerSecond?: number;
  /** Speed when rewinding (default 100 MB/s). */
  rewindBytesPerSecond?: number;
  /** Time to load (thread) the tape, milliseconds (default 1500). */
  loadMs?: number;
  /** Time to unload, milliseconds, after the rewind (default 1000). */
  unloadMs?: number;
  /** Reposition penalty when streaming stops, milliseconds (default 30). */
  startStopMs?: number;
  /** Drive data buffer in bytes (default 512 KiB). */
  bufferBytes?: number;
  /** Write-protect the medium even if the backing is writable. */
  writeProtect?: boolean;
}

/** Raised for an impossible drive configuration. */
export class TapeConfigError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "TapeConfigError";
  }
}

/** Counters of one drive. */
export interface TapeStats {
  /** Records read. */
  recordsRead: number;
  /** Records written. */
  recordsWritten: number;
  /** Filemarks written. */
  filemarksWritten: number;
  /** Host bytes read (after decompression). */
  bytesRead: number;
  /** Host bytes written (before compression). */
  bytesWritten: number;
  /** Bytes of records as stored on tape (after compression) for the bytes written. */
  bytesStored: number;
  /** Records written compressed. */
  compressedRecords: number;
  /** Start/stop repositions paid. */
  repositions: number;
  /** Cycles the drive was in motion. */
  busyCycles: number;
}

/** Outcome kinds of a drive operation. */
export type TapeOutcome =
  | "ok"
  | "filemark"
  | "eod"
  | "bot"
  | "eom"
  | "protected"
  | "offline"
  | "data-error";

/** The result of a drive operation; one object is reused per drive. */
export interface TapeResult {
  /** What happened. */
  outcome: TapeOutcome;
  /** Cycles the operation takes. */
  cycles: number;
  /** For reads: the record's full length (0 for a filemark). */
  length: number;
  /** For reads: the host bytes of the record. */
  data: Uint8Array | null;
  /** For spaces: how many of the requested units were not done. */
  residual: number;
  /** For reads/writes: the record is stored compressed. */
  compressed: boolean;
  /** For reads: the record is class 8 ("bad data"). */
  badRecord: boolean;
}

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

  readonly #clock: SimClock;
  readonly #backing: TapeBacking;
  #objects: TapObject[] = [];
  #index = 0;
  // Visible objects and filemarks before the head, kept as the head moves.
  #block = 0;
  #file = 0;
  #position = 0;
  #online = false;
  #dirty = false;
  // Streaming state: 0 stopped, 1 reading ahead, 2 writing from the buffer.
  #stream = 0;
  // Cycle at which the head finishes the last record read or accepted for writing.
  #tapeAt = 0;
  #bufferCycles = 0;
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
    const capacity = config.capacityBytes ?? 64 << 20;
    const c: Required<TapeDriveConfig> = {
      capacityBytes: capacity,
      earlyWarningBytes: config.earlyWarningBytes ?? Math.floor(capacity / 32),
      gapBytes: config.gapBytes ?? 64,
      streamBytesPerSecond: config.streamBytesPerSecond ?? 2_000_000,
      windBytesPerSecond: config.windBytesPerSecond ?? 40_000_000,
      rewindBytesPerSecond: config.rewindBytesPerSecond ?? 100_000_000,
      loadMs: config.loadMs ?? 1500,
      unloadMs: config.unloadMs ?? 1000,
      startStopMs: config.startStopMs ?? 30,
      bufferBytes: config.bufferBytes ?? 512 * 1024,
      writeProtect: config.writeProtect ?? false,
    };
    if (!(c.capacityBytes > 0) || !(c.earlyWarningBytes >= 0) || !(c.gapBytes >= 0)) {
      throw new TapeConfigError("bad tape capacity, early warning or gap size");
    }
    for (
      const k of ["streamBytesPerSecond", "windBytesPerSecond", "rewindBytesPerSecond"] as const
    ) {
      if (!(c[k] > 0)) throw new TapeConfigError(`${k} must be positive`);
    }
    if (!(c.bufferBytes >= 0)) throw new TapeConfigError("bad buffer size");
    this.config = c;
    this.#clock = clock;
    this.#bufferCycles = Math.ceil((c.bufferBytes * clock.frequency) / c.streamBytesPerSecond);
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
    return this.#online && this.#index === 0;
  }
  /** Past the early-warning point. */
  get earlyWarning(): boolean {
    return this.#position >= this.config.capacityBytes - this.config.earlyWarningBytes;
  }
  /** Physical distance from BOT in bytes of tape. */
  get position(): number {
    return this.#position;
  }
  /** Records and marks before the head (the block number). */
  get blockNumber(): number {
    return this.#block;
  }
  /** Visible records between the last filemark before the head (or BOT) and the head. */
  get fileBlockNumber(): number {
    let n = 0;
    for (let i = this.#index - 1; i >= 0; i--) {
      const o = this.#objects[i];
      if (o.kind === "mark") break;
      if (this.#visible(o)) n++;
    }
    return n;
  }
  /** Filemarks before the head (the file number). */
  get fileNumber(): number {
    return this.#file;
  }
  /** Compression ratio of the data written since load, x100 (100 = none). */
  get ratioPercent(): number {
    const s = this.stats;
    return s.bytesStored === 0 ? 100 : Math.round((s.bytesWritten * 100) / s.bytesStored);
  }
  /** The tape's objects (read-only view for tests and tools). */
  get objects(): readonly TapObject[] {
    return this.#objects;
  }

  #mount(): void {
    this.#online = false;
    this.damage = null;
    this.#index = this.#block = this.#file = 0;
    this.#position = 0;
    this.#dirty = false;
    this.#stream = 0;
    try {
      const bytes = this.#backing.load();
      const r = parseTapPrefix(bytes);
      this.#objects = r.objects;
      // A malformed tail becomes one bad-data record: the data before it reads normally.
      if (r.error !== null) {
        const rest = bytes.slice(r.error.offset, r.error.offset + TAP_MAX_RECORD);
        this.#objects.push({ kind: "record", cls: TAP_CLASS.BAD, data: rest });
        this.damage = r.error;
      }
      this.loadError = null;
      this.#online = true;
    } catch (e) {
      if (!(e instanceof TapeFormatError) && !(e instanceof TapeIoError)) throw e;
      this.#objects = [];
      this.loadError = e;
    }
  }

  #cycles(bytes: number, perSecond: number): number {
    return Math.ceil((bytes * this.#clock.frequency) / perSecond);
  }

  #ms(ms: number): number {
    return Math.round((ms / 1000) * this.#clock.frequency);
  }

  #footprint(o: TapObject): number {
    return tapObjectSize(o) + this.config.gapBytes;
  }

  /** Records of classes 0 and 8, Strata-compressed records and marks; the rest is skipped. */
  #visible(o: TapObject): boolean {
    if (o.kind === "mark") return true;
    if (o.kind !== "record") return false;
    return o.cls === TAP_CLASS.GOOD || o.cls === TAP_CLASS.BAD || isCompressedRecord(o);
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

  #finishMotion(r: TapeResult): TapeResult {
    this.stats.busyCycles += r.cycles;
    return r;
  }

  /** Cycles until buffered writes are on tape. */
  #drain(): number {
    const now = this.#clock.now;
    return this.#stream === 2 && this.#tapeAt > now ? this.#tapeAt - now : 0;
  }

  /** When the head starts on the next record of a `dir` stream (1 read, 2 write). */
  #streamStart(dir: number): number {
    const now = this.#clock.now;
    if (this.#stream === dir) {
      // Writing: the tape still runs while the buffer holds data. Reading: the
      // read-ahead keeps going for one buffer time after the last read.
      if (dir === 2 ? now <= this.#tapeAt : now <= this.#tapeAt + this.#bufferCycles) {
        return this.#tapeAt;
      }
    }
    this.stats.repositions++;
    const penalty = this.#ms(this.config.startStopMs);
    this.stats.busyCycles += penalty;
    return now + this.#drain() + penalty;
  }

  /** Moves forward over the next object, returning it (or undefined at end of data). */
  #stepForward(): TapObject | undefined {
    while (this.#index < this.#objects.length) {
      const o = this.#objects[this.#index++];
      this.#position += this.#footprint(o);
      if (this.#visible(o)) {
        this.#block++;
        if (o.kind === "mark") this.#file++;
        return o;
      }
    }
    return undefined;
  }

  /** Moves back over the previous visible object (or to BOT), returning it. */
  #stepBack(): TapObject | undefined {
    while (this.#index > 0) {
      const o = this.#objects[--this.#index];
      this.#position -= this.#footprint(o);
      if (this.#visible(o)) {
        this.#block--;
        if (o.kind === "mark") this.#file--;
        return o;
      }
    }
    return undefined;
  }

  #notReady(): TapeResult | null {
    return this.#online ? null : this.#reset("offline");
  }

  /** Reads the next record into the result (`data` is the full record). */
  read(): TapeResult {
    const bad = this.#notReady();
    if (bad) return bad;
    const from = this.#position;
    const now = this.#clock.now;
    const start = this.#streamStart(1);
    const o = this.#stepForward();
    const r = this.#reset("ok");
    const motion = this.#cycles(this.#position - from, this.config.streamBytesPerSecond);
    this.stats.busyCycles += motion;
    this.#tapeAt = start + motion;
    this.#stream = 1;
    r.cycles = this.#tapeAt > now ? this.#tapeAt - now : 0;
    if (o === undefined) {
      r.outcome = "eod";
      this.#stream = 0;
    } else if (o.kind === "mark") {
      r.outcome = "filemark";
    } else if (o.kind === "record") {
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
    return r;
  }

  #checkWritable(): TapeResult | null {
    const bad = this.#notReady();
    if (bad) return bad;
    if (this.writeProtected) return this.#reset("protected");
    return null;
  }

  #append(o: TapObject): TapeResult {
    const r = this.#reset("ok");
    const footprint = this.#footprint(o);
    if (this.#position + footprint > this.config.capacityBytes) {
      r.outcome = "eom";
      return r;
    }
    const now = this.#clock.now;
    const start = this.#streamStart(2);
    // Writing erases everything after the head.
    this.#objects.length = this.#index;
    this.#objects.push(o);
    this.#index++;
    this.#block++;
    if (o.kind === "mark") this.#file++;
    this.#position += footprint;
    this.#dirty = true;
    const motion = this.#cycles(footprint, this.config.streamBytesPerSecond);
    this.stats.busyCycles += motion;
    this.#tapeAt = start + motion;
    this.#stream = 2;
    // The host waits only until the record fits in the buffer (a filemark: until it is on tape).
    const done = o.kind === "mark" ? this.#tapeAt : this.#tapeAt - this.#bufferCycles;
    r.cycles = done > now ? done - now : 0;
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
    const drain = this.#drain();
    const r = this.#reset("ok");
    let rest = 0;
    for (let i = this.#index; i < this.#objects.length; i++) {
      rest += this.#footprint(this.#objects[i]);
    }
    if (this.#index < this.#objects.length) this.#dirty = true;
    this.#objects.length = this.#index;
    r.cycles = this.#ms(this.config.startStopMs) +
      this.#cycles(rest, this.config.streamBytesPerSecond);
    this.stats.busyCycles += r.cycles;
    r.cycles += drain;
    this.#stream = 0;
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

  #windResult(start: number, r: TapeResult): TapeResult {
    const drain = this.#drain();
    this.#stream = 0;
    r.cycles = this.#ms(this.config.startStopMs) +
      this.#cycles(Math.abs(this.#position - start), this.config.windBytesPerSecond);
    this.stats.busyCycles += r.cycles;
    r.cycles += drain;
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
    const start = this.#position;
    const r = this.#reset("ok");
    let done = 0;
    while (done < count) {
      const o = forward ? this.#stepForward() : this.#stepBack();
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
    return this.#windResult(start, r);
  }

  /** Rewinds to BOT (and saves pending writes). */
  rewind(): TapeResult {
    const bad = this.#notReady();
    if (bad) return bad;
    const drain = this.#drain();
    const r = this.#reset("ok");
    r.cycles = this.#ms(this.config.startStopMs) +
      this.#cycles(this.#position, this.config.rewindBytesPerSecond);
    this.stats.busyCycles += r.cycles;
    r.cycles += drain;
    this.#index = this.#block = this.#file = 0;
    this.#position = 0;
    this.#stream = 0;
    this.#saveQuietly(r);
    return r;
  }

  /** Rewinds, saves and takes the medium offline. */
  unload(): TapeResult {
    const bad = this.#notReady();
    if (bad) return bad;
    const r = this.rewind();
    r.cycles += this.#ms(this.config.unloadMs);
    this.stats.busyCycles += this.#ms(this.config.unloadMs);
    this.#online = false;
    return r;
  }

  /** (Re)loads the medium from the backing, at BOT; outcome "offline" when it does not parse. */
  load(): TapeResult {
    if (this.#online) this.#saveQuietly(this.#reset("ok"));
    this.#mount();
    const r = this.#reset(this.#online ? "ok" : "offline");
    r.cycles = this.#ms(this.config.loadMs);
    return this.#finishMotion(r);
  }

  /** Writes pending changes to the backing; throws {@link TapeIoError} on failure. */
  flush(): void {
    if (!this.#dirty) return;
    this.#backing.save(serializeTap(this.#objects));
    this.#dirty = false;
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
