/**
 * Register map of the ATA-style disk controller: offsets, STATUS, ERROR,
 * DEVICE and DEVICE CONTROL bits, command opcodes and the IDENTIFY DEVICE
 * words a driver reads. A driver imports this file alone; the device model
 * is in `disk_controller.ts`, and `docs/hardware.md` documents each register.
 *
 * @module
 */

/** Bytes in a sector. */
export const ATA_SECTOR_SIZE = 512;

/** Largest sector count of one READ/WRITE command (a COUNT of 0 means 256). */
export const ATA_MAX_SECTORS = 256;

/** Largest LBA + 1 the 28-bit task file addresses. */
export const ATA_LBA28_LIMIT = 0x1000_0000;

/** Register offsets. */
export const ATA_REG = {
  DATA: 0x00,
  ERROR: 0x01,
  FEATURES: 0x01,
  COUNT: 0x02,
  LBA_LOW: 0x03,
  LBA_MID: 0x04,
  LBA_HIGH: 0x05,
  DEVICE: 0x06,
  STATUS: 0x07,
  COMMAND: 0x07,
  ALT_STATUS: 0x0e,
  DEVICE_CONTROL: 0x0e,
  DMA_ID: 0x10,
  CAPACITY: 0x14,
} as const;

/** STATUS register bits. */
export const ATA_STATUS = {
  ERR: 0x01,
  DRQ: 0x08,
  DSC: 0x10,
  DF: 0x20,
  DRDY: 0x40,
  BSY: 0x80,
} as const;

/** ERROR register bits. */
export const ATA_ERROR = {
  AMNF: 0x01,
  ABRT: 0x04,
  IDNF: 0x10,
  UNC: 0x40,
} as const;

/** DEVICE register bits. */
export const ATA_DEVICE = { DEV: 0x10, LBA: 0x40 } as const;

/** DEVICE CONTROL register bits. */
export const ATA_CONTROL = { NIEN: 0x02, SRST: 0x04 } as const;

/** Implemented commands. */
export const ATA_CMD = {
  READ_SECTORS: 0x20,
  READ_SECTORS_NORETRY: 0x21,
  WRITE_SECTORS: 0x30,
  WRITE_SECTORS_NORETRY: 0x31,
  READ_DMA: 0xc8,
  READ_DMA_NORETRY: 0xc9,
  WRITE_DMA: 0xca,
  WRITE_DMA_NORETRY: 0xcb,
  FLUSH_CACHE: 0xe7,
  IDENTIFY_DEVICE: 0xec,
} as const;

/** IDENTIFY DEVICE word numbers a driver reads (ATA-6 numbering). */
export const ATA_IDENTIFY = {
  /** General configuration: bit 15 clear for an ATA device. */
  CONFIG: 0,
  /** Serial number, 20 ASCII characters, first character in the high byte. */
  SERIAL: 10,
  /** Firmware revision, 8 characters. */
  FIRMWARE: 23,
  /** Model number, 40 characters. */
  MODEL: 27,
  /** Capabilities: bit 9 LBA, bit 8 DMA. */
  CAPABILITIES: 49,
  /** Validity of words 64-70 (bit 1) and 88 (bit 2). */
  FIELD_VALIDITY: 53,
  /** Total user-addressable sectors in LBA-28 mode (two words, low first). */
  LBA28_SECTORS: 60,
  /** Multiword DMA modes supported (bits 2:0) and selected (bits 10:8). */
  MULTIWORD_DMA: 63,
  /** Minimum PIO transfer cycle time with IORDY flow control, nanoseconds. */
  PIO_CYCLE_NS: 68,
  /** Command sets supported: bit 12 FLUSH CACHE (with bit 14 set, bit 15 clear). */
  COMMAND_SET_2: 83,
  /** Integrity word: 0xA5 signature in the low byte, checksum in the high byte. */
  INTEGRITY: 255,
} as const;
