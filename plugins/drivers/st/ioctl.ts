/**
 * The tape ioctls of {@link StDriver}: MTIOCTOP (each `mt_op` mapped to
 * controller commands), MTIOCGET (status from the controller's registers),
 * MTIOCPOS (the block number) and Strata's STIOCGSTATS (compression ratio
 * and counters for `mt status`).
 *
 * @module
 */

import { TAPE_CMD, TAPE_ERROR, TAPE_REG, TAPE_STATUS } from "../../../hw/tape_regs.ts";
import { type FileCaller, K } from "../../../kernel/api.ts";
import { type CmdResult, errorStatus, type StDriver } from "./driver.ts";
import {
  decodeMtop,
  encodeMtget,
  encodeWords,
  GMT,
  MT_ISSCSI2,
  MT_OP,
  MTIOCGET,
  MTIOCPOS,
  MTIOCTOP,
  MTOP_SIZE,
  STIOCGSTATS,
} from "./mtio.ts";

/** Largest count a SPACE command takes. */
const SPACE_ALL = 0x7fff_ffff;

/**
 * Handles a tape ioctl; `writable` tells whether the file was opened for
 * writing. A call that must wait for the drive answers `wait()` (the
 * kernel's waitForIo on the driver's queue: the call runs again when woken).
 */
export function stIoctl(
  d: StDriver,
  cmd: number,
  arg: number,
  caller: FileCaller,
  writable: boolean,
  wait: () => number,
): number {
  const r = ioctl(d, cmd, arg, caller, writable);
  return r === K.AGAIN ? wait() : r;
}

function ioctl(
  d: StDriver,
  cmd: number,
  arg: number,
  caller: FileCaller,
  writable: boolean,
): number {
  switch (cmd >>> 0) {
    case MTIOCTOP: {
      const raw = caller.memory.copyIn(arg, MTOP_SIZE);
      if (raw === null) return K.FAULT;
      const { op, count } = decodeMtop(raw);
      return mtop(d, op, count, writable);
    }
    case MTIOCGET:
      if (d.waiting) return K.AGAIN;
      return caller.memory.copyOut(arg, encodeMtget(status(d))) ? 0 : K.FAULT;
    case MTIOCPOS:
      if (d.waiting) return K.AGAIN;
      return caller.memory.copyOut(arg, encodeWords([d.reg(TAPE_REG.BLOCK)])) ? 0 : K.FAULT;
    case STIOCGSTATS: {
      const s = d.stats;
      const words = [d.reg(TAPE_REG.RATIO), d.compression ? 1 : 0, s.recordsWritten, s.recordsRead];
      return caller.memory.copyOut(arg, encodeWords(words)) ? 0 : K.FAULT;
    }
    default:
      return K.NOTTY;
  }
}

/** The MTIOCGET fields. */
function status(d: StDriver) {
  const st = d.reg(TAPE_REG.STATUS);
  const file = d.reg(TAPE_REG.FILE);
  const fblock = d.reg(TAPE_REG.FBLOCK);
  let g = 0;
  if (st & TAPE_STATUS.ONLINE) g |= GMT.ONLINE;
  else g |= GMT.DR_OPEN;
  if (st & TAPE_STATUS.BOT) g |= GMT.BOT;
  if (st & (TAPE_STATUS.EW | TAPE_STATUS.EOM)) g |= GMT.EOT;
  if (st & TAPE_STATUS.WP) g |= GMT.WR_PROT;
  if ((st & TAPE_STATUS.ONLINE) && file > 0 && fblock === 0) g |= GMT.EOF;
  if (d.last.error === TAPE_ERROR.END_OF_DATA) g |= GMT.EOD;
  g |= GMT.IM_REP_EN;
  return {
    type: MT_ISSCSI2,
    resid: d.last.residual,
    dsreg: d.blockSize & 0xff_ffff,
    gstat: g,
    erreg: 0,
    fileno: file,
    blkno: fblock,
  };
}

/** MTIOCTOP. */
function mtop(d: StDriver, op: number, count: number, writable: boolean): number {
  const key = `mtop:${op}:${count}`;
  const run = (cmd: number, n = 0, repeat = 1): number => {
    d.resetPosition();
    const r = d.command(key, cmd, n, repeat);
    return typeof r === "number" ? r : outcome(r);
  };
  const needWrite = (): number | null => writable ? null : K.ACCES;
  switch (op) {
    case MT_OP.MTREW:
      return run(TAPE_CMD.REWIND);
    case MT_OP.MTOFFL:
    case MT_OP.MTUNLOAD:
      return run(TAPE_CMD.UNLOAD);
    case MT_OP.MTLOAD:
      return run(TAPE_CMD.LOAD);
    case MT_OP.MTNOP:
      return d.waiting ? K.AGAIN : 0;
    case MT_OP.MTFSF:
    case MT_OP.MTBSF:
    case MT_OP.MTFSR:
    case MT_OP.MTBSR:
      return space(op, count, run);
    case MT_OP.MTWEOF:
    case MT_OP.MTWEOFI: {
      const bad = needWrite();
      if (bad !== null) return bad;
      if (count < 0) return K.INVAL;
      if (count === 0) return 0;
      d.dirty = false;
      return run(TAPE_CMD.WRITE_FILEMARK, 0, count);
    }
    case MT_OP.MTEOM: {
      d.resetPosition();
      const r = d.command(key, TAPE_CMD.SPACE_FILES_FORWARD, SPACE_ALL);
      if (typeof r === "number") return r;
      return r.error === TAPE_ERROR.END_OF_DATA ? 0 : outcome(r);
    }
    case MT_OP.MTERASE: {
      const bad = needWrite();
      return bad ?? run(TAPE_CMD.ERASE);
    }
    case MT_OP.MTSETBLK:
      if (count < 0 || count > 0xff_ffff) return K.INVAL;
      if (count > 256 * 1024) return K.INVAL;
      d.blockSize = count;
      return 0;
    case MT_OP.MTCOMPRESSION:
      if (count !== 0 && count !== 1) return K.INVAL;
      d.compression = count === 1;
      return 0;
    default:
      return K.INVAL;
  }
}

/** The four SPACE operations; a negative count spaces the other way, as on Linux. */
function space(
  op: number,
  count: number,
  run: (cmd: number, n?: number) => number,
): number {
  if (count === 0) return 0;
  let forward = op === MT_OP.MTFSF || op === MT_OP.MTFSR;
  if (count < 0) {
    forward = !forward;
    count = -count;
  }
  const files = op === MT_OP.MTFSF || op === MT_OP.MTBSF;
  const cmd = files
    ? (forward ? TAPE_CMD.SPACE_FILES_FORWARD : TAPE_CMD.SPACE_FILES_BACKWARD)
    : (forward ? TAPE_CMD.SPACE_RECORDS_FORWARD : TAPE_CMD.SPACE_RECORDS_BACKWARD);
  return run(cmd, count);
}

/** An ioctl's status from a command result: a filemark met while spacing records is EIO too. */
function outcome(r: CmdResult): number {
  if (r.error !== TAPE_ERROR.NONE) return errorStatus(r.error);
  if (r.residual !== 0) return K.IO;
  return 0;
}
