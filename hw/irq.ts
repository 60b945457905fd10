/**
 * Interrupt wiring between devices, the interrupt controller and the CPU.
 *
 * @module
 */

/** A level-triggered interrupt line a device drives (true = asserted). */
export interface IrqLine {
  /** Drives the line high (asserted) or low. */
  set(level: boolean): void;
}

/**
 * Something that receives interrupt-pending bits, i.e. the CPU's `mip`.
 * `mask` uses the architectural mip bit positions (MSIP=1<<3, MTIP=1<<7,
 * MEIP=1<<11, SSIP=1<<1, STIP=1<<5, SEIP=1<<9).
 */
export interface InterruptSink {
  /** Sets (level true) or clears the given hardware-driven mip bits. */
  setInterruptPending(mask: number, level: boolean): void;
}

/** An IRQ line that goes nowhere; for devices used without a controller. */
export const UNCONNECTED_IRQ: IrqLine = { set: () => {} };

/** Architectural `mip`/`mie` bit masks. */
export const MIP = {
  SSIP: 1 << 1,
  MSIP: 1 << 3,
  STIP: 1 << 5,
  MTIP: 1 << 7,
  SEIP: 1 << 9,
  MEIP: 1 << 11,
} as const;
