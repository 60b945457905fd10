/**
 * The contract between a tty and the rest of the system: the port a
 * serial driver attaches for output ({@link TtyPort}), the hooks and sizes a
 * tty is made with ({@link TtyOptions}), and its counters ({@link TtyStats}).
 *
 * @module
 */

/** The output side of a tty: the serial driver (or a test double). */
export interface TtyPort {
  /** Queues bytes for transmission (copy them: the tty reuses the buffer). */
  transmit(bytes: Uint8Array): void;
  /** Bytes the driver can queue now; omitted means unlimited. */
  outputRoom?(): number;
  /** Bytes queued and not yet sent (TIOCOUTQ). */
  outputQueued?(): number;
}

/** Options of a {@link Tty}. */
export interface TtyOptions {
  /** Name for diagnostics, e.g. `console` or `ttyS0`. */
  name?: string;
  /** Sends signal `sig` (kernel-native numbers, `kernel/ipc/signal_numbers.ts`) to group `pgid`. */
  signalGroup?(pgid: number, sig: number): void;
  /** Starts a one-shot timer of `deciseconds` tenths of a second (for VTIME). */
  startTimer?(deciseconds: number, callback: () => void): void;
  /** Initial window size (default 24 x 80). */
  rows?: number;
  /** Initial columns (default 80). */
  cols?: number;
}

/** Counters of a tty. */
export interface TtyStats {
  /** Bytes received from the driver. */
  rxBytes: number;
  /** Bytes sent to the driver (after output processing, including echo). */
  txBytes: number;
  /** Input bytes dropped because the input buffer was full. */
  dropped: number;
  /** Signals generated from input characters. */
  signals: number;
}
