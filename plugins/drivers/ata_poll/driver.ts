/**
 * The polling ATA driver core: programmed I/O with interrupts masked
 * (nIEN). Each command runs to its end inside `submit`: the CPU busy-waits
 * on ALT STATUS for DRQ before every sector and for BSY to clear after the
 * last, and every poll turn is charged as kernel time, so the whole
 * mechanical delay of the disk (seek, rotation, transfer) is CPU time
 * burnt. A wait longer than the command timeout counts as a hang: reset and
 * retry (see {@link AtaDisk}).
 *
 * @module
 */

import { ATA_CMD, ATA_CONTROL, ATA_SECTOR_SIZE, ATA_STATUS } from "../../../hw/ata_regs.ts";
import { AtaDisk } from "../ata_common/disk.ts";

/** One disk driven by polling. */
export class AtaPollDisk extends AtaDisk {
  /** Interrupts stay masked. */
  protected readonly control = ATA_CONTROL.NIEN;

  /** Timeouts are the bound of each busy-wait, not a timer. */
  protected override get usesTimer(): boolean {
    return false;
  }

  /** Runs a READ/WRITE SECTORS command to its end. */
  protected startTransfer(write: boolean, lba: number, count: number, data: Uint8Array): void {
    const limit = this.timeoutCycles(count);
    this.writeTaskFile(lba, count, write ? ATA_CMD.WRITE_SECTORS : ATA_CMD.READ_SECTORS);
    for (let i = 0; i < count; i++) {
      const status = this.waitStatus(ATA_STATUS.DRQ, limit);
      if (status < 0) return this.timedOut();
      if ((status & ATA_STATUS.DRQ) === 0) return this.commandEnded(status);
      if (write) this.pioOut(data, i * ATA_SECTOR_SIZE);
      else this.pioIn(data, i * ATA_SECTOR_SIZE);
    }
    this.#end(limit);
  }

  /** Runs a command without data (FLUSH CACHE) to its end. */
  protected startNonData(command: number): void {
    const limit = this.timeoutCycles(0);
    this.writeTaskFile(0, 0, command);
    this.#end(limit);
  }

  /** Waits for BSY to clear and ends the command with its STATUS. */
  #end(limit: number): void {
    const status = this.waitStatus(0, limit);
    if (status < 0) return this.timedOut();
    this.commandEnded(this.ackStatus());
  }
}
