/**
 * IDENTIFY DEVICE parsing: the 256 words a device returns describe it
 * (model, serial, firmware, capacity, LBA and DMA support, FLUSH CACHE, PIO
 * timing). The words are little-endian; ATA strings hold two characters per
 * word, the first in the high byte, padded with spaces.
 *
 * @module
 */

import { ATA_IDENTIFY, ATA_SECTOR_SIZE } from "../../../hw/ata_regs.ts";

/** What a driver keeps of IDENTIFY DEVICE. */
export interface AtaIdentity {
  /** Model number, trailing spaces removed. */
  readonly model: string;
  /** Serial number, surrounding spaces removed. */
  readonly serial: string;
  /** Firmware revision. */
  readonly firmware: string;
  /** User-addressable sectors in LBA-28 mode. */
  readonly sectors: number;
  /** LBA addressing supported. */
  readonly lba: boolean;
  /** DMA supported. */
  readonly dma: boolean;
  /** FLUSH CACHE supported. */
  readonly flushCache: boolean;
  /** Minimum PIO cycle time in nanoseconds (word 68 when valid, else the mode-0 600 ns). */
  readonly pioCycleNs: number;
}

/** Raised for IDENTIFY data a driver cannot use. */
export class IdentifyError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "IdentifyError";
  }
}

/** PIO mode 0's cycle time, the slowest a device may need. */
const PIO_MODE0_NS = 600;

/** Word `n` of the little-endian IDENTIFY block. */
export function identifyWord(data: Uint8Array, n: number): number {
  return data[2 * n] | (data[2 * n + 1] << 8);
}

/** The ATA string of `words` words from word `first`, trimmed. */
export function identifyString(data: Uint8Array, first: number, words: number): string {
  let s = "";
  for (let i = 0; i < words; i++) {
    const w = identifyWord(data, first + i);
    s += String.fromCharCode(w >>> 8, w & 0xff);
  }
  return s.replace(/\0/g, " ").trim();
}

/**
 * Parses a 512-byte IDENTIFY block. Throws {@link IdentifyError} for a
 * packet (ATAPI) device, a bad integrity checksum, no LBA support or a zero
 * capacity: none of them can be driven as a disk here.
 */
export function parseIdentify(data: Uint8Array): AtaIdentity {
  if (data.length < ATA_SECTOR_SIZE) throw new IdentifyError("short IDENTIFY block");
  const config = identifyWord(data, ATA_IDENTIFY.CONFIG);
  if (config & 0x8000) throw new IdentifyError("not an ATA device (packet device)");
  const integrity = identifyWord(data, ATA_IDENTIFY.INTEGRITY);
  if ((integrity & 0xff) === 0xa5) {
    let sum = 0;
    for (let i = 0; i < ATA_SECTOR_SIZE; i++) sum += data[i];
    if ((sum & 0xff) !== 0) throw new IdentifyError("IDENTIFY checksum mismatch");
  }
  const caps = identifyWord(data, ATA_IDENTIFY.CAPABILITIES);
  const lba = (caps & 0x0200) !== 0;
  if (!lba) throw new IdentifyError("device without LBA addressing");
  const sectors = (identifyWord(data, ATA_IDENTIFY.LBA28_SECTORS) |
    (identifyWord(data, ATA_IDENTIFY.LBA28_SECTORS + 1) << 16)) >>> 0;
  if (sectors === 0) throw new IdentifyError("device reports no sectors");
  const set2 = identifyWord(data, ATA_IDENTIFY.COMMAND_SET_2);
  const set2Valid = (set2 & 0xc000) === 0x4000;
  const timingValid = (identifyWord(data, ATA_IDENTIFY.FIELD_VALIDITY) & 0x0002) !== 0;
  const cycle = identifyWord(data, ATA_IDENTIFY.PIO_CYCLE_NS);
  return {
    model: identifyString(data, ATA_IDENTIFY.MODEL, 20),
    serial: identifyString(data, ATA_IDENTIFY.SERIAL, 10),
    firmware: identifyString(data, ATA_IDENTIFY.FIRMWARE, 4),
    sectors,
    lba,
    dma: (caps & 0x0100) !== 0,
    flushCache: set2Valid && (set2 & 0x1000) !== 0,
    pioCycleNs: timingValid && cycle > 0 ? cycle : PIO_MODE0_NS,
  };
}
