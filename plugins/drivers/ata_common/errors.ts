/**
 * ATA error decoding: the ERROR register's bits named for the kernel log,
 * and the STATUS test for a command that failed. Every device-reported
 * failure (UNC, IDNF, ABRT, AMNF) fails its block request with K.IO; the
 * device did answer, so such a request is not retried.
 *
 * @module
 */

import { ATA_ERROR, ATA_STATUS } from "../../../hw/ata_regs.ts";

const NAMES: readonly [number, string][] = [
  [ATA_ERROR.UNC, "UNC (uncorrectable data)"],
  [ATA_ERROR.IDNF, "IDNF (sector not found)"],
  [ATA_ERROR.ABRT, "ABRT (command aborted)"],
  [ATA_ERROR.AMNF, "AMNF (address mark not found)"],
];

/** The named bits of an ERROR register value ("none" for 0). */
export function ataErrorText(error: number): string {
  const parts = NAMES.filter(([bit]) => (error & bit) !== 0).map(([, name]) => name);
  const rest = error & ~NAMES.reduce((m, [bit]) => m | bit, 0);
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

/** True when STATUS reports a finished command that failed (ERR or DF, not BSY). */
export function commandFailed(status: number): boolean {
  return (status & ATA_STATUS.BSY) === 0 && (status & (ATA_STATUS.ERR | ATA_STATUS.DF)) !== 0;
}
