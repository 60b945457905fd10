/**
 * What an ATA driver core needs from its surroundings: the controller's
 * register window, and the kernel services of a driver (CPU time spent,
 * busy-waiting, timers, the log). A module context provides them in the
 * kernel; tests and the benchmark provide them over a bare machine.
 *
 * @module
 */

/** 8- and 32-bit access to a register window. */
export interface AtaRegs {
  /** Reads the byte register at `offset`. */
  read8(offset: number): number;
  /** Writes the byte register at `offset`. */
  write8(offset: number, value: number): void;
  /** Reads 32 bits at `offset` (unsigned). */
  read32(offset: number): number;
  /** Writes 32 bits at `offset`. */
  write32(offset: number, value: number): void;
}

/** Kernel services of a driver (a subset of the module context). */
export interface AtaHost {
  /** CPU clock frequency in Hz (converts device timings to cycles). */
  readonly frequency: number;
  /** Charges `cycles` of kernel CPU time; simulated time advances. */
  spendCycles(cycles: number): void;
  /** Busy-waits for `cond`, polling every `pollCycles`; the cycles spent, or -1 after `maxCycles`. */
  spinWait(cond: () => boolean, pollCycles: number, maxCycles: number): number;
  /** Calls `callback` once after `delayNs`; a timer id. */
  startTimer(delayNs: number, callback: () => void): number;
  /** Cancels a timer. */
  cancelTimer(id: number): void;
  /** Writes a line to the kernel log. */
  log(message: string): void;
}
