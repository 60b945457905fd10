/**
 * The interrupt-driven ATA driver core: programmed I/O with one interrupt
 * per sector. A read takes an interrupt for each sector whose data is
 * ready (DRQ) and empties the data port in the handler; the status after
 * the last sector ends the command. A write waits for the first DRQ by
 * polling (the device asks for the first sector without an interrupt, as in
 * ATA's PIO data-out protocol), then each interrupt asks for the next
 * sector, and the last one reports the end. FLUSH CACHE ends with one
 * interrupt. A timer per command catches a hang (see {@link AtaDisk}).
 *
 * @module
 */

import { ATA_CMD, ATA_REG, ATA_SECTOR_SIZE, ATA_STATUS } from "../../../hw/ata_regs.ts";
import { AtaDisk } from "../ata_common/disk.ts";

const enum Phase {
  Idle,
  Read,
  Write,
  NonData,
}

/** One disk driven by interrupts. */
export class AtaIrqDisk extends AtaDisk {
  /** Interrupts enabled. */
  protected readonly control = 0;

  #phase = Phase.Idle;
  #data: Uint8Array = new Uint8Array(0);
  #count = 0;
  #next = 0;

  /** Issues READ/WRITE SECTORS; the data moves in the interrupt handler. */
  protected startTransfer(write: boolean, lba: number, count: number, data: Uint8Array): void {
    this.#data = data;
    this.#count = count;
    this.#next = 0;
    this.#phase = write ? Phase.Write : Phase.Read;
    this.writeTaskFile(lba, count, write ? ATA_CMD.WRITE_SECTORS : ATA_CMD.READ_SECTORS);
    if (!write) return;
    // PIO data-out: the first DRQ comes without an interrupt.
    const status = this.waitStatus(ATA_STATUS.DRQ, this.timeoutCycles(0));
    if (status < 0) return; // the command timer resets and retries
    if ((status & ATA_STATUS.DRQ) === 0) return this.#end(this.ackStatus());
    this.pioOut(this.#data, 0);
    this.#next = 1;
  }

  /** Issues a command without data; its interrupt ends it. */
  protected startNonData(command: number): void {
    this.#phase = Phase.NonData;
    this.writeTaskFile(0, 0, command);
  }

  /** Services the disk's interrupt; false when no command was waiting for one. */
  override handleInterrupt(): boolean {
    const status = this.ackStatus();
    if (this.#phase === Phase.Idle || (status & ATA_STATUS.BSY)) return false;
    this.stats.interrupts++;
    if (status & ATA_STATUS.ERR) return this.#end(status), true;
    if (this.#phase === Phase.Read && (status & ATA_STATUS.DRQ)) {
      this.pioIn(this.#data, this.#next * ATA_SECTOR_SIZE);
      this.#next++;
      // After the last sector no interrupt follows: the status tells the end.
      if (this.#next >= this.#count) this.#end(this.r8(ATA_REG.ALT_STATUS));
      return true;
    }
    if (this.#phase === Phase.Write && (status & ATA_STATUS.DRQ)) {
      this.pioOut(this.#data, this.#next * ATA_SECTOR_SIZE);
      this.#next++;
      return true;
    }
    this.#end(status);
    return true;
  }

  /** Ends the command; a transfer that stopped before its last sector without ERR still failed. */
  #end(status: number): void {
    const short = this.#phase !== Phase.NonData && this.#next < this.#count;
    this.#phase = Phase.Idle;
    this.commandEnded(short ? status | ATA_STATUS.ERR : status);
  }

  /** A reset killed the command: nothing is expected any more. */
  protected override afterReset(): void {
    this.#phase = Phase.Idle;
  }
}
