/**
 * The tape drive's parameters, counters and results: {@link TapeDriveConfig}
 * with its defaults and checks ({@link resolveTapeConfig}), the
 * {@link TapeStats} counters, and the {@link TapeResult} every drive
 * operation answers with.
 *
 * @module
 */

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
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TapeConfigError";
  }
}

/** Fills in the defaults of `config` and checks it; throws {@link TapeConfigError}. */
export function resolveTapeConfig(config: TapeDriveConfig): Required<TapeDriveConfig> {
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
  return c;
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
