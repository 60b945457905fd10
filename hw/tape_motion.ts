/**
 * The tape drive's motion timing, in cycles of the simulated clock. The
 * drive has a data buffer of `bufferBytes`; the tape moves at the streaming
 * speed while the buffer lets it:
 *
 * - write: the record goes to the buffer and the command completes as soon
 *   as it fits (the host waits only when the buffer is full); the tape
 *   writes from the buffer. If the buffer ran dry before the record came,
 *   the tape had stopped and pays a start/stop (reposition) penalty;
 * - read: the tape reads ahead; a read that continues the stream within one
 *   buffer time waits only for its record to pass the head; a later read
 *   (or the first one) pays the start/stop penalty;
 * - spacing, erase and rewind ({@link TapeMotion.reposition}) wait for
 *   buffered writes, then pay one start/stop and move at their speed.
 *
 * Busy cycles and repositions are counted in the drive's {@link TapeStats}.
 *
 * @module
 */

import type { SimClock } from "./clock.ts";
import type { TapeDriveConfig, TapeStats } from "./tape_types.ts";

/** Streaming states: stopped, reading ahead, writing from the buffer. */
export const STREAM = { STOPPED: 0, READ: 1, WRITE: 2 } as const;

/** The stream the tape is in and when its head finishes the last record. */
export class TapeMotion {
  readonly #clock: SimClock;
  readonly #config: Readonly<Required<TapeDriveConfig>>;
  readonly #stats: TapeStats;
  // Streaming state: 0 stopped, 1 reading ahead, 2 writing from the buffer.
  #stream = 0;
  // Cycle at which the head finishes the last record read or accepted for writing.
  #tapeAt = 0;
  readonly #bufferCycles: number;

  /** Timing for a drive with `config` on `clock`, counting into `stats`. */
  constructor(clock: SimClock, config: Readonly<Required<TapeDriveConfig>>, stats: TapeStats) {
    this.#clock = clock;
    this.#config = config;
    this.#stats = stats;
    this.#bufferCycles = Math.ceil(
      (config.bufferBytes * clock.frequency) / config.streamBytesPerSecond,
    );
  }

  /** Cycles the buffer takes to stream through the head. */
  get bufferCycles(): number {
    return this.#bufferCycles;
  }

  /** Cycles to move `bytes` of tape at `perSecond`. */
  cycles(bytes: number, perSecond: number): number {
    return Math.ceil((bytes * this.#clock.frequency) / perSecond);
  }

  /** Cycles of `ms` milliseconds. */
  ms(ms: number): number {
    return Math.round((ms / 1000) * this.#clock.frequency);
  }

  /** Cycles from now until `at` (0 when it has passed). */
  until(at: number): number {
    const now = this.#clock.now;
    return at > now ? at - now : 0;
  }

  /** Counts `cycles` of motion. */
  busy(cycles: number): void {
    this.#stats.busyCycles += cycles;
  }

  /** The tape stops streaming. */
  stop(): void {
    this.#stream = STREAM.STOPPED;
  }

  /** Cycles until buffered writes are on tape. */
  drain(): number {
    const now = this.#clock.now;
    return this.#stream === STREAM.WRITE && this.#tapeAt > now ? this.#tapeAt - now : 0;
  }

  /**
   * Starts (or continues) a `dir` stream (1 read, 2 write); returns the cycle
   * at which the head starts on the next record. Call {@link streamed} once
   * the head moved.
   */
  startStream(dir: number): number {
    const now = this.#clock.now;
    if (this.#stream === dir) {
      // Writing: the tape still runs while the buffer holds data. Reading: the
      // read-ahead keeps going for one buffer time after the last read.
      if (dir === STREAM.WRITE ? now <= this.#tapeAt : now <= this.#tapeAt + this.#bufferCycles) {
        return this.#tapeAt;
      }
    }
    this.#stats.repositions++;
    const penalty = this.ms(this.#config.startStopMs);
    this.#stats.busyCycles += penalty;
    return now + this.drain() + penalty;
  }

  /**
   * The head streamed `bytes` of tape from `start` in a `dir` stream;
   * returns the cycle at which it finishes them.
   */
  streamed(dir: number, start: number, bytes: number): number {
    const motion = this.cycles(bytes, this.#config.streamBytesPerSecond);
    this.#stats.busyCycles += motion;
    this.#tapeAt = start + motion;
    this.#stream = dir;
    return this.#tapeAt;
  }

  /**
   * A move outside streaming (space, erase, rewind): waits for buffered
   * writes, pays one start/stop, moves `bytes` at `perSecond`; returns the
   * cycles the command takes. The tape is stopped after it.
   */
  reposition(bytes: number, perSecond: number): number {
    const drain = this.drain();
    this.#stream = STREAM.STOPPED;
    const cycles = this.ms(this.#config.startStopMs) + this.cycles(bytes, perSecond);
    this.#stats.busyCycles += cycles;
    return cycles + drain;
  }
}
