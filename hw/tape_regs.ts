/**
 * Register map of the tape controller: offsets, commands, STATUS and CONTROL
 * bits and ERROR codes. A driver imports this file alone; the device model
 * is in `tape_controller.ts`, and `docs/hardware.md` documents each register.
 *
 * @module
 */

/** Register offsets. */
export const TAPE_REG = {
  ID: 0x00,
  COMMAND: 0x04,
  STATUS: 0x08,
  CONTROL: 0x0c,
  LENGTH: 0x10,
  COUNT: 0x14,
  RESIDUAL: 0x18,
  XFER: 0x1c,
  DATA: 0x20,
  ERROR: 0x24,
  RATIO: 0x28,
  BLOCK: 0x2c,
  FILE: 0x30,
  DMA_ID: 0x34,
  POSITION: 0x38,
  CAPACITY: 0x3c,
  FBLOCK: 0x40,
} as const;

/** The ID register value ("TAP1"). */
export const TAPE_ID = 0x5441_5031;

/** Commands. */
export const TAPE_CMD = {
  NOP: 0x00,
  READ: 0x01,
  WRITE: 0x02,
  WRITE_FILEMARK: 0x03,
  SPACE_RECORDS_FORWARD: 0x04,
  SPACE_RECORDS_BACKWARD: 0x05,
  SPACE_FILES_FORWARD: 0x06,
  SPACE_FILES_BACKWARD: 0x07,
  REWIND: 0x08,
  UNLOAD: 0x09,
  LOAD: 0x0a,
  FLUSH: 0x0b,
  ERASE: 0x0c,
  /** Accepted even while busy: stops the command in progress (ERROR code ABORTED). */
  ABORT: 0xff,
} as const;

/** STATUS bits. */
export const TAPE_STATUS = {
  BUSY: 1 << 0,
  ONLINE: 1 << 1,
  BOT: 1 << 2,
  FILEMARK: 1 << 3,
  EW: 1 << 4,
  EOM: 1 << 5,
  WP: 1 << 6,
  ERROR: 1 << 7,
  DONE: 1 << 8,
  DRQ: 1 << 9,
  EOD: 1 << 10,
  OVERRUN: 1 << 11,
  COMPRESSED: 1 << 12,
  BAD_RECORD: 1 << 13,
} as const;

/** CONTROL bits. */
export const TAPE_CONTROL = { IE: 1 << 0, COMPRESS: 1 << 1, DMA: 1 << 2 } as const;

/** ERROR register codes. */
export const TAPE_ERROR = {
  NONE: 0,
  NOT_READY: 1,
  WRITE_PROTECTED: 2,
  END_OF_MEDIUM: 3,
  END_OF_DATA: 4,
  BOT: 5,
  BAD_COMMAND: 6,
  BAD_LENGTH: 7,
  DATA_ERROR: 8,
  FORMAT: 9,
  NO_DMA: 10,
  ABORTED: 11,
} as const;
