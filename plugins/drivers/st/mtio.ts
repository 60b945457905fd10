/**
 * Linux's magnetic tape interface (`<linux/mtio.h>`) as the guest sees it on
 * RV32: the ioctl numbers, the `mt_op` codes of MTIOCTOP, the `mt_gstat`
 * bits of MTIOCGET, and the byte layouts of `struct mtop` (8 bytes: a short
 * op, 2 bytes of padding, an int count), `struct mtget` (seven 32-bit
 * fields) and `struct mtpos` (one 32-bit field). Also Strata's own
 * statistics ioctl, STIOCGSTATS.
 *
 * @module
 */

/** `_IOW('m', 1, struct mtop)`: do a tape operation. */
export const MTIOCTOP = 0x4008_6d01;
/** `_IOR('m', 2, struct mtget)`: get the tape status. */
export const MTIOCGET = 0x801c_6d02;
/** `_IOR('m', 3, struct mtpos)`: get the block number. */
export const MTIOCPOS = 0x8004_6d03;
/** `_IOR('S', 1, struct st_stats)` (Strata): compression and transfer counters, 16 bytes. */
export const STIOCGSTATS = 0x8010_5301;

/** `mt_op` codes. */
export const MT_OP = {
  MTRESET: 0,
  MTFSF: 1,
  MTBSF: 2,
  MTFSR: 3,
  MTBSR: 4,
  MTWEOF: 5,
  MTREW: 6,
  MTOFFL: 7,
  MTNOP: 8,
  MTBSFM: 10,
  MTFSFM: 11,
  MTEOM: 12,
  MTERASE: 13,
  MTSETBLK: 20,
  MTLOAD: 30,
  MTUNLOAD: 31,
  MTCOMPRESSION: 32,
  MTWEOFI: 35,
} as const;

/** `mt_gstat` bits. */
export const GMT = {
  EOF: 0x8000_0000,
  BOT: 0x4000_0000,
  EOT: 0x2000_0000,
  EOD: 0x0800_0000,
  WR_PROT: 0x0400_0000,
  ONLINE: 0x0100_0000,
  DR_OPEN: 0x0004_0000,
  IM_REP_EN: 0x0001_0000,
} as const;

/** `mt_type` of a generic SCSI-2 tape unit. */
export const MT_ISSCSI2 = 0x72;

/** Size of `struct mtop`. */
export const MTOP_SIZE = 8;
/** Size of `struct mtget`. */
export const MTGET_SIZE = 28;

/** Decoded `struct mtop`. */
export interface MtOp {
  /** Operation (MT_OP). */
  op: number;
  /** Repeat count. */
  count: number;
}

/** Decodes `struct mtop` (op: short at 0, count: int at 4). */
export function decodeMtop(b: Uint8Array): MtOp {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { op: v.getInt16(0, true), count: v.getInt32(4, true) };
}

/** Fields of `struct mtget`. */
export interface MtGet {
  /** Device type. */
  type: number;
  /** Residual count of the last operation. */
  resid: number;
  /** Block size (bits 23:0) and density (31:24). */
  dsreg: number;
  /** GMT_* bits. */
  gstat: number;
  /** Error register. */
  erreg: number;
  /** File number. */
  fileno: number;
  /** Block number within the file. */
  blkno: number;
}

/** Encodes `struct mtget`. */
export function encodeMtget(m: MtGet): Uint8Array {
  const out = new Uint8Array(MTGET_SIZE);
  const v = new DataView(out.buffer);
  const fields = [m.type, m.resid, m.dsreg, m.gstat, m.erreg, m.fileno, m.blkno];
  fields.forEach((x, i) => v.setUint32(i * 4, x >>> 0, true));
  return out;
}

/** Encodes a sequence of 32-bit little-endian words (struct mtpos, struct st_stats). */
export function encodeWords(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const v = new DataView(out.buffer);
  words.forEach((x, i) => v.setUint32(i * 4, x >>> 0, true));
  return out;
}
