/**
 * An ATA-style disk controller (one device, "master") over a
 * {@link DiskDrive} and a {@link DiskImage}, with programmed I/O through the
 * data port and DMA through a {@link DmaController} channel.
 *
 * Register map (byte offsets; docs/storage_registers.md has the details):
 *
 * ```
 * 0x00 DATA        16-bit data port (a 32-bit access moves two words, 8-bit one byte)
 * 0x01 ERROR (r)   / FEATURES (w)
 * 0x02 SECTOR COUNT (0 means 256)
 * 0x03 LBA LOW  (sector number in CHS mode)
 * 0x04 LBA MID  (cylinder low)
 * 0x05 LBA HIGH (cylinder high)
 * 0x06 DEVICE   bit6 LBA, bit4 DEV (1 = device 1: absent), bits 3:0 LBA 27:24 / head
 * 0x07 STATUS (r, clears INTRQ) / COMMAND (w)
 * 0x0E ALT STATUS (r, no side effect) / DEVICE CONTROL (w: bit1 nIEN, bit2 SRST)
 * 0x10 DMA PERIPHERAL ID (r) the id to program into a DMA channel's PERIPH
 * 0x14 CAPACITY (r)  sectors
 * ```
 *
 * @module
 */

import type { AccessWidth, MmioDevice } from "./bus.ts";
import type { SimClock } from "./clock.ts";
import { type IrqLine, UNCONNECTED_IRQ } from "./irq.ts";
import type { DmaPeripheral, DmaRequestLine } from "./dma.ts";
import type { DiskDrive, DiskStats } from "./disk_drive.ts";
import { type DiskImage, SECTOR_SIZE } from "./disk_image.ts";
import { ATA_CMD, ATA_CONTROL, ATA_DEVICE, ATA_ERROR, ATA_REG, ATA_STATUS } from "./ata_regs.ts";

export { ATA_CMD, ATA_CONTROL, ATA_DEVICE, ATA_ERROR, ATA_REG, ATA_STATUS } from "./ata_regs.ts";

/** Identification strings and timings of a controller. */
export interface DiskControllerOptions {
  /** Model string (40 chars max; IDENTIFY words 27-46). */
  model?: string;
  /** Serial number (20 chars max; words 10-19). */
  serial?: string;
  /** Firmware revision (8 chars max; words 23-26). */
  firmware?: string;
  /** Time for FLUSH CACHE, microseconds (default 500). */
  flushUs?: number;
  /** Time from releasing SRST to DRDY, microseconds (default 100). */
  resetUs?: number;
}

const enum Phase {
  Idle,
  PioIn,
  PioOut,
  DmaIn,
  DmaOut,
}

/** The disk controller device. */
export class DiskController implements MmioDevice, DmaPeripheral {
  /** Device name. */
  readonly name: string;
  /** The drive's mechanics and statistics. */
  readonly drive: DiskDrive;
  /** The backing image. */
  readonly image: DiskImage;
  /** DMA peripheral id this controller answers to (0 = none). */
  dmaId = 0;

  #clock: SimClock;
  #irq: IrqLine = UNCONNECTED_IRQ;
  #dma: DmaRequestLine | null = null;
  #opts: Required<DiskControllerOptions>;

  #features = 0;
  #error = 0x01;
  #count = 0;
  #lbaLow = 0;
  #lbaMid = 0;
  #lbaHigh = 0;
  #device = 0;
  #status: number = ATA_STATUS.DRDY | ATA_STATUS.DSC;
  #control = 0;
  #intrq = false;

  #phase = Phase.Idle;
  #lba = 0;
  #remaining = 0;
  #buf = new Uint8Array(SECTOR_SIZE);
  #bufPos = 0;
  #bufLen = 0;
  #event = -1;
  #firstSector = false;
  #dmaFailed = false;
  #hangs = 0;

  /** Creates a controller for `drive` over `image`. */
  constructor(
    name: string,
    clock: SimClock,
    drive: DiskDrive,
    image: DiskImage,
    options: DiskControllerOptions = {},
  ) {
    this.name = name;
    this.#clock = clock;
    this.drive = drive;
    this.image = image;
    this.#opts = {
      model: options.model ?? "STRATA SIMULATED DISK",
      serial: options.serial ?? "STR0000000001",
      firmware: options.firmware ?? "1.0",
      flushUs: options.flushUs ?? 500,
      resetUs: options.resetUs ?? 100,
    };
  }

  /** Statistics of the drive. */
  get stats(): Readonly<DiskStats> {
    return this.drive.stats;
  }

  /** True while the INTRQ line is asserted. */
  get interruptPending(): boolean {
    return this.#intrq && (this.#control & ATA_CONTROL.NIEN) === 0;
  }

  /** Connects the interrupt output. */
  setIrq(line: IrqLine): void {
    this.#irq = line;
    this.#updateIrq();
  }

  /** Connects the DMA request line (from {@link DmaController.attach}). */
  connectDma(id: number, line: DmaRequestLine): void {
    this.dmaId = id;
    this.#dma = line;
  }

  /**
   * Fault injection for driver tests: the next `commands` commands are
   * accepted (BSY set) and then never finish, as with a controller whose
   * firmware stopped answering, until a software reset (SRST) clears them.
   */
  injectHang(commands: number): void {
    this.#hangs = Math.max(0, Math.floor(commands));
  }

  /** Flushes and closes the image (clean shutdown). */
  close(): void {
    this.image.close();
  }

  // ---- MMIO ---------------------------------------------------------------

  /** Reads a register. */
  read(offset: number, width: AccessWidth): number {
    switch (offset) {
      case ATA_REG.DATA:
        return this.#readData(width);
      case ATA_REG.ERROR:
        return this.#error;
      case ATA_REG.COUNT:
        return this.#count;
      case ATA_REG.LBA_LOW:
        return this.#lbaLow;
      case ATA_REG.LBA_MID:
        return this.#lbaMid;
      case ATA_REG.LBA_HIGH:
        return this.#lbaHigh;
      case ATA_REG.DEVICE:
        return this.#device | 0xa0;
      case ATA_REG.STATUS:
        if (this.#device & ATA_DEVICE.DEV) return 0;
        if (this.#intrq) {
          this.#intrq = false;
          this.#updateIrq();
        }
        return this.#status;
      case ATA_REG.ALT_STATUS:
        return this.#device & ATA_DEVICE.DEV ? 0 : this.#status;
      case ATA_REG.DMA_ID:
        return this.dmaId;
      case ATA_REG.CAPACITY:
        return this.image.sectors >>> 0;
      default:
        return 0;
    }
  }

  /** Writes a register. */
  write(offset: number, width: AccessWidth, value: number): void {
    if (offset === ATA_REG.DEVICE_CONTROL) return this.#writeControl(value & 0xff);
    if (offset === ATA_REG.DATA) return this.#writeData(width, value);
    if (this.#status & ATA_STATUS.BSY) return; // the task file is locked while busy
    value &= 0xff;
    switch (offset) {
      case ATA_REG.FEATURES:
        this.#features = value;
        break;
      case ATA_REG.COUNT:
        this.#count = value;
        break;
      case ATA_REG.LBA_LOW:
        this.#lbaLow = value;
        break;
      case ATA_REG.LBA_MID:
        this.#lbaMid = value;
        break;
      case ATA_REG.LBA_HIGH:
        this.#lbaHigh = value;
        break;
      case ATA_REG.DEVICE:
        this.#device = value & 0x5f;
        break;
      case ATA_REG.COMMAND:
        this.#command(value);
        break;
    }
  }

  // ---- DMA peripheral -----------------------------------------------------

  /** Bytes ready for (or room for) the DMA channel; -1 after a reset killed the command. */
  dmaAvailable(toMemory: boolean): number {
    if (this.#dmaFailed) return -1;
    if ((this.#status & ATA_STATUS.DRQ) === 0) return 0;
    if (toMemory ? this.#phase !== Phase.DmaIn : this.#phase !== Phase.DmaOut) return 0;
    return this.#bufLen - this.#bufPos;
  }

  /** Hands sector bytes to the DMA channel. */
  dmaRead(dst: Uint8Array, length: number): void {
    dst.set(this.#buf.subarray(this.#bufPos, this.#bufPos + length));
    this.#bufPos += length;
    if (this.#bufPos >= this.#bufLen) this.#sectorDrained();
  }

  /** Takes sector bytes from the DMA channel. */
  dmaWrite(src: Uint8Array, length: number): void {
    this.#buf.set(src.subarray(0, length), this.#bufPos);
    this.#bufPos += length;
    if (this.#bufPos >= this.#bufLen) this.#sectorFilled();
  }

  // ---- internals ----------------------------------------------------------

  #updateIrq(): void {
    this.#irq.set(this.#intrq && (this.#control & ATA_CONTROL.NIEN) === 0);
  }

  #raise(): void {
    this.#intrq = true;
    this.#updateIrq();
  }

  // One pending step at a time; the clock callback is bound once, so the
  // per-sector path allocates nothing.
  #next: () => void = () => {};
  #onEvent = (): void => {
    this.#event = -1;
    this.#next();
  };

  #schedule(cycles: number, fn: () => void): void {
    this.#next = fn;
    this.#event = this.#clock.schedule(cycles, this.#onEvent);
  }

  #writeControl(value: number): void {
    const wasReset = (this.#control & ATA_CONTROL.SRST) !== 0;
    this.#control = value & (ATA_CONTROL.NIEN | ATA_CONTROL.SRST);
    const reset = (this.#control & ATA_CONTROL.SRST) !== 0;
    if (reset && !wasReset) {
      if (this.#event >= 0) this.#clock.cancel(this.#event);
      this.#event = -1;
      const dmaActive = this.#phase === Phase.DmaIn || this.#phase === Phase.DmaOut;
      this.#phase = Phase.Idle;
      this.#bufPos = this.#bufLen = 0;
      this.#status = ATA_STATUS.BSY;
      this.#intrq = false;
      if (dmaActive && this.#dma !== null) {
        // Tell the channel its peripheral is gone, so it stops with an error.
        this.#dmaFailed = true;
        this.#dma.request();
      }
    } else if (!reset && wasReset) {
      const cycles = Math.round((this.#opts.resetUs / 1e6) * this.#clock.frequency);
      this.#schedule(cycles, () => {
        // Power-on/reset signature of an ATA (non-packet) device.
        this.#error = 0x01;
        this.#count = 1;
        this.#lbaLow = 1;
        this.#lbaMid = 0;
        this.#lbaHigh = 0;
        this.#device = 0;
        this.#status = ATA_STATUS.DRDY | ATA_STATUS.DSC;
      });
    }
    this.#updateIrq();
  }

  /** The LBA named by the task file, or -1 for a CHS address outside the geometry. */
  #taskFileLba(): number {
    if (this.#device & ATA_DEVICE.LBA) {
      return ((this.#device & 0x0f) << 24) | (this.#lbaHigh << 16) | (this.#lbaMid << 8) |
        this.#lbaLow;
    }
    const cylinder = this.#lbaMid | (this.#lbaHigh << 8);
    return this.drive.chsToLba(cylinder, this.#device & 0x0f, this.#lbaLow);
  }

  #command(cmd: number): void {
    if (this.#device & ATA_DEVICE.DEV) return; // device 1 is absent: nobody answers
    if (this.#status & (ATA_STATUS.BSY | ATA_STATUS.DRQ)) return;
    if (this.#control & ATA_CONTROL.SRST) return;
    this.#intrq = false;
    this.#updateIrq();
    this.drive.stats.commands++;
    this.#status = ATA_STATUS.BSY;
    this.#error = 0;
    if (this.#hangs > 0) {
      this.#hangs--;
      return; // BSY until SRST
    }
    switch (cmd) {
      case ATA_CMD.IDENTIFY_DEVICE:
        this.#schedule(this.drive.commandCycles, () => {
          this.#buildIdentify();
          this.#phase = Phase.PioIn;
          this.#remaining = 1;
          this.#lba = -1;
          this.#bufPos = 0;
          this.#bufLen = SECTOR_SIZE;
          this.#status = ATA_STATUS.DRDY | ATA_STATUS.DSC | ATA_STATUS.DRQ;
          this.#raise();
        });
        return;
      case ATA_CMD.FLUSH_CACHE: {
        let failed = false;
        try {
          this.image.flush();
        } catch {
          failed = true;
        }
        const cycles = Math.round((this.#opts.flushUs / 1e6) * this.#clock.frequency);
        this.drive.addBusy(cycles);
        this.#schedule(cycles, () => failed ? this.#fail(ATA_ERROR.ABRT) : this.#complete());
        return;
      }
      case ATA_CMD.READ_SECTORS:
      case ATA_CMD.READ_SECTORS_NORETRY:
        return this.#startTransfer(Phase.PioIn);
      case ATA_CMD.WRITE_SECTORS:
      case ATA_CMD.WRITE_SECTORS_NORETRY:
        return this.#startTransfer(Phase.PioOut);
      case ATA_CMD.READ_DMA:
      case ATA_CMD.READ_DMA_NORETRY:
        return this.#startTransfer(this.#dma === null ? -1 : Phase.DmaIn);
      case ATA_CMD.WRITE_DMA:
      case ATA_CMD.WRITE_DMA_NORETRY:
        return this.#startTransfer(this.#dma === null ? -1 : Phase.DmaOut);
      default:
        this.#failAfterOverhead(ATA_ERROR.ABRT);
    }
  }

  #failAfterOverhead(error: number): void {
    this.#schedule(this.drive.commandCycles, () => this.#fail(error));
  }

  #fail(error: number): void {
    this.#phase = Phase.Idle;
    this.#bufPos = this.#bufLen = 0;
    this.#error = error;
    this.#status = ATA_STATUS.DRDY | ATA_STATUS.DSC | ATA_STATUS.ERR;
    this.drive.stats.errors++;
    this.#raise();
  }

  #complete(): void {
    this.#phase = Phase.Idle;
    this.#bufPos = this.#bufLen = 0;
    this.#status = ATA_STATUS.DRDY | ATA_STATUS.DSC;
    this.#raise();
  }

  #startTransfer(phase: Phase | -1): void {
    if (phase === -1) return this.#failAfterOverhead(ATA_ERROR.ABRT); // no DMA wired
    const count = this.#count === 0 ? 256 : this.#count;
    const lba = this.#taskFileLba();
    if (lba < 0 || lba + count > this.image.sectors) {
      return this.#failAfterOverhead(ATA_ERROR.IDNF);
    }
    const writing = phase === Phase.PioOut || phase === Phase.DmaOut;
    if (writing && this.image.readOnly) return this.#failAfterOverhead(ATA_ERROR.ABRT);
    this.#phase = phase;
    this.#lba = lba;
    this.#remaining = count;
    this.#firstSector = true;
    this.#dmaFailed = false;
    this.drive.addBusy(this.drive.commandCycles);
    if (writing) {
      // Data first: the drive asks for the sector, then writes it.
      this.#schedule(this.drive.commandCycles, () => this.#requestSectorData());
    } else {
      this.#readNextSector(this.drive.commandCycles);
    }
  }

  /** Positions on and reads sector #lba into the buffer after the mechanical delay. */
  #readNextSector(extra: number): void {
    this.#status = ATA_STATUS.BSY;
    const cycles = extra + this.drive.access(this.#lba, false, this.#clock.now + extra);
    this.#schedule(cycles, this.#sectorRead);
  }

  /** The sector passed under the head: its data is in the buffer. */
  #sectorRead = (): void => {
    try {
      this.image.readSector(this.#lba, this.#buf, 0);
    } catch {
      return this.#fail(ATA_ERROR.UNC);
    }
    this.#bufPos = 0;
    this.#bufLen = SECTOR_SIZE;
    this.#status = ATA_STATUS.DRDY | ATA_STATUS.DSC | ATA_STATUS.DRQ;
    if (this.#phase === Phase.PioIn) this.#raise(); // PIO-in interrupts per DRQ block
    else this.#dma!.request();
  };

  /** Sets DRQ for the next sector of a write. */
  #requestSectorData(): void {
    this.#bufPos = 0;
    this.#bufLen = SECTOR_SIZE;
    this.#status = ATA_STATUS.DRDY | ATA_STATUS.DSC | ATA_STATUS.DRQ;
    if (this.#phase === Phase.DmaOut) this.#dma!.request();
    // PIO-out interrupts for every DRQ block but the first.
    else if (!this.#firstSector) this.#raise();
    this.#firstSector = false;
  }

  /** The host took the whole sector buffer (PIO or DMA read). */
  #sectorDrained(): void {
    this.#bufPos = this.#bufLen = 0;
    if (this.#lba < 0) return this.#complete0(); // IDENTIFY: no more data, no interrupt
    this.#remaining--;
    this.#lba++;
    if (this.#remaining > 0) return this.#readNextSector(0);
    if (this.#phase === Phase.DmaIn) return this.#complete();
    this.#complete0();
  }

  /** Ends a PIO-in command after the last word: no interrupt (it came with DRQ). */
  #complete0(): void {
    this.#phase = Phase.Idle;
    this.#status = ATA_STATUS.DRDY | ATA_STATUS.DSC;
  }

  /** The host filled the sector buffer (PIO or DMA write): write it to the media. */
  #sectorFilled(): void {
    this.#status = ATA_STATUS.BSY;
    this.#schedule(this.drive.access(this.#lba, true), this.#sectorWritten);
  }

  /** The sector is on the media: ask for the next one or finish. */
  #sectorWritten = (): void => {
    try {
      this.image.writeSector(this.#lba, this.#buf, 0);
    } catch {
      return this.#fail(ATA_ERROR.ABRT);
    }
    this.#remaining--;
    this.#lba++;
    if (this.#remaining > 0) this.#requestSectorData();
    else this.#complete();
  };

  #readData(width: AccessWidth): number {
    if (this.#phase !== Phase.PioIn || (this.#status & ATA_STATUS.DRQ) === 0) return 0;
    const b = this.#buf;
    const p = this.#bufPos;
    let v: number;
    if (width === 1) v = b[p];
    else if (width === 2) v = b[p] | (b[p + 1] << 8);
    else v = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    this.#bufPos = p + width;
    if (this.#bufPos >= this.#bufLen) this.#sectorDrained();
    return v;
  }

  #writeData(width: AccessWidth, value: number): void {
    if (this.#phase !== Phase.PioOut || (this.#status & ATA_STATUS.DRQ) === 0) return;
    const b = this.#buf;
    const p = this.#bufPos;
    b[p] = value;
    if (width >= 2) b[p + 1] = value >>> 8;
    if (width === 4) {
      b[p + 2] = value >>> 16;
      b[p + 3] = value >>> 24;
    }
    this.#bufPos = p + width;
    if (this.#bufPos >= this.#bufLen) this.#sectorFilled();
  }

  #buildIdentify(): void {
    const w = new Uint16Array(256);
    const g = this.drive.geometry;
    const sectors = Math.min(this.image.sectors, 0x0fff_ffff);
    const cyl = Math.min(g.cylinders, 16383);
    const putString = (first: number, words: number, text: string) => {
      const s = text.padEnd(words * 2, " ").slice(0, words * 2);
      // ATA strings put the first character of each pair in the high byte.
      for (let i = 0; i < words; i++) {
        w[first + i] = ((s.charCodeAt(2 * i) & 0xff) << 8) | (s.charCodeAt(2 * i + 1) & 0xff);
      }
    };
    w[0] = 0x0040; // ATA device, fixed media
    w[1] = cyl;
    w[3] = g.heads;
    w[6] = g.sectorsPerTrack;
    putString(10, 10, this.#opts.serial);
    putString(23, 4, this.#opts.firmware);
    putString(27, 20, this.#opts.model);
    w[47] = 0x8000; // READ/WRITE MULTIPLE: not supported (0 sectors)
    w[49] = 0x0300; // LBA and DMA supported
    w[50] = 0x4000;
    w[51] = 0x0200; // PIO mode 2 timing
    w[53] = 0x0007; // words 54-58, 64-70 and 88 are valid
    w[54] = cyl;
    w[55] = g.heads;
    w[56] = g.sectorsPerTrack;
    const chsCap = cyl * g.heads * g.sectorsPerTrack;
    w[57] = chsCap & 0xffff;
    w[58] = chsCap >>> 16;
    w[60] = sectors & 0xffff;
    w[61] = sectors >>> 16;
    w[63] = 0x0407; // multiword DMA modes 0-2 supported, mode 2 selected
    w[64] = 0x0003; // PIO modes 3 and 4
    w[65] =
      w[66] =
      w[67] =
      w[68] =
        120;
    w[80] = 0x007e; // ATA-1 to ATA-6
    w[82] = 0x0000;
    w[83] = 0x5000; // FLUSH CACHE supported (bit 14 must be one)
    w[84] = 0x4000;
    w[85] = 0x0000;
    w[86] = 0x1000; // FLUSH CACHE enabled
    w[87] = 0x4000;
    for (let i = 0; i < 256; i++) {
      this.#buf[2 * i] = w[i] & 0xff;
      this.#buf[2 * i + 1] = w[i] >>> 8;
    }
    // Word 255: signature 0xA5 and a checksum making all 512 bytes sum to 0 mod 256.
    this.#buf[510] = 0xa5;
    let sum = 0;
    for (let i = 0; i < 511; i++) sum += this.#buf[i];
    this.#buf[511] = (256 - (sum & 0xff)) & 0xff;
  }
}
