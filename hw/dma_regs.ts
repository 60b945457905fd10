/**
 * Register map of the DMA controller: offsets, CONFIG, CONTROL and STATUS
 * bits, error codes and peripheral ids. A driver imports this file alone; the
 * device model is in `dma.ts`, and `docs/hardware.md` documents each register.
 *
 * @module
 */

/** Peripheral ids a channel's PERIPH register selects. */
export const DMA_PERIPHERAL = {
  /** No peripheral: DADDR is a bus address (memory-to-memory or a memory-mapped port). */
  BUS: 0,
  /** Disk controller n is DISK0 + n. */
  DISK0: 1,
  /** The tape controller. */
  TAPE: 8,
  /** Highest valid id. */
  MAX: 15,
} as const;

/** Register offsets of the DMA controller. */
export const DMA_REG = {
  ID: 0x000,
  CHANNELS: 0x004,
  BANDWIDTH: 0x008,
  IRQSTAT: 0x00c,
  CHANNEL_BASE: 0x100,
  CHANNEL_STRIDE: 0x40,
  MADDR: 0x00,
  DADDR: 0x04,
  COUNT: 0x08,
  PERIPH: 0x0c,
  CONFIG: 0x10,
  CONTROL: 0x14,
  STATUS: 0x18,
  RESIDUAL: 0x1c,
  FAULTADDR: 0x20,
  MOVED: 0x24,
} as const;

/** The value of the ID register ("DMA1"). */
export const DMA_ID = 0x444d_4131;

/** CONFIG register bits. */
export const DMA_CONFIG = {
  TO_DEVICE: 1 << 0,
  BLOCK: 1 << 1,
  DFIXED: 1 << 2,
} as const;

/** CONTROL register bits. */
export const DMA_CONTROL = {
  START: 1 << 0,
  ABORT: 1 << 1,
  IE: 1 << 2,
} as const;

/** STATUS register bits. */
export const DMA_STATUS = {
  BUSY: 1 << 0,
  DONE: 1 << 1,
  ERROR: 1 << 2,
  ABORTED: 1 << 3,
} as const;

/** Error codes in STATUS bits 15:8. */
export const DMA_ERROR = {
  NONE: 0,
  /** The memory side touched a hole in the bus map. */
  MEMORY_FAULT: 1,
  /** The device side (peripheral 0's DADDR) touched a hole. */
  DEVICE_FAULT: 2,
  /** PERIPH names no attached peripheral. */
  NO_PERIPHERAL: 3,
  /** The peripheral reported an error (e.g. it was reset mid-transfer). */
  PERIPHERAL_ERROR: 4,
} as const;
