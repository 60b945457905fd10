/**
 * The tape controller: registers, command sequencing, the record buffer
 * (programmed I/O through the data port, or DMA), and the interrupt.
 *
 * Register map (32-bit registers; docs/storage_registers.md has details):
 *
 * ```
 * 0x00 ID        ro  0x54415031 ("TAP1")
 * 0x04 COMMAND   wo  TAPE_CMD
 * 0x08 STATUS    ro  TAPE_STATUS bits; write 1 to DONE to acknowledge
 * 0x0C CONTROL   rw  bit0 IE, bit1 COMPRESS, bit2 DMA
 * 0x10 LENGTH    rw  record length to write / buffer size to read; a write rewinds the data port
 * 0x14 COUNT     rw  count for SPACE commands
 * 0x18 RESIDUAL  ro  units (records, files, bytes) not done by the last command
 * 0x1C XFER      ro  full length of the last record read or written
 * 0x20 DATA      rw  data port (8, 16 or 32-bit accesses advance by their width)
 * 0x24 ERROR     ro  TAPE_ERROR code of the last command
 * 0x28 RATIO     ro  compression ratio since load x100 (uncompressed / stored; 100 = 1:1)
 * 0x2C BLOCK     ro  block number (records and marks before the head)
 * 0x30 FILE      ro  file number (filemarks before the head)
 * 0x34 DMA_ID    ro  DMA peripheral id of the controller
 * 0x38 POSITION  ro  KiB of tape from BOT
 * 0x3C CAPACITY  ro  KiB of tape
 * 0x40 FBLOCK    ro  records since the last filemark before the head
 * ```
 *
 * @module
 */

import type { AccessWidth, MmioDevice } from "./bus.ts";
import type { SimClock } from "./clock.ts";
import { type IrqLine, UNCONNECTED_IRQ } from "./irq.ts";
import type { DmaPeripheral, DmaRequestLine } from "./dma.ts";
import type { TapeDrive, TapeResult } from "./tape_drive.ts";
import { TAPE_CMD, TAPE_CONTROL, TAPE_ERROR, TAPE_ID, TAPE_REG, TAPE_STATUS } from "./tape_regs.ts";

export { TAPE_CMD, TAPE_CONTROL, TAPE_ERROR, TAPE_ID, TAPE_REG, TAPE_STATUS } from "./tape_regs.ts";

/** Controller options. */
export interface TapeControllerOptions {
  /** Largest record the buffer holds (default 256 KiB). */
  maxRecord?: number;
  /** Controller overhead per command, microseconds (default 50). */
  commandOverheadUs?: number;
}

/** The tape controller device. */
export class TapeController implements MmioDevice, DmaPeripheral {
  /** Device name. */
  readonly name = "tape";
  /** The drive. */
  readonly drive: TapeDrive;
  /** DMA peripheral id (0 = none). */
  dmaId = 0;

  #clock: SimClock;
  #irq: IrqLine = UNCONNECTED_IRQ;
  #dma: DmaRequestLine | null = null;
  #overhead: number;
  #buf: Uint8Array;

  #control = 0;
  #length = 0;
  #count = 0;
  #residual = 0;
  #xfer = 0;
  #error = 0;
  // Sticky bits from the last command (FILEMARK, EOD, OVERRUN, ...).
  #flags = 0;
  #busy = false;
  #done = false;
  // Data port / DMA window over #buf.
  #bufPos = 0;
  #bufLen = 0;
  #drqIn = false; // buffer holds read data for the host
  #drqOut = false; // buffer waits for DMA data to write
  #event = -1;
  // Set when ABORT killed a DMA transfer: the channel then sees a device error.
  #dmaFailed = false;

  /** Creates a controller for `drive`. */
  constructor(clock: SimClock, drive: TapeDrive, options: TapeControllerOptions = {}) {
    this.#clock = clock;
    this.drive = drive;
    this.#buf = new Uint8Array(options.maxRecord ?? 256 * 1024);
    this.#overhead = Math.round(((options.commandOverheadUs ?? 50) / 1e6) * clock.frequency);
    if (drive.loadError !== null) this.#error = TAPE_ERROR.FORMAT;
  }

  /** Connects the interrupt line. */
  setIrq(line: IrqLine): void {
    this.#irq = line;
    this.#updateIrq();
  }

  /** Connects the DMA request line. */
  connectDma(id: number, line: DmaRequestLine): void {
    this.dmaId = id;
    this.#dma = line;
  }

  /** Saves pending writes (clean shutdown). */
  close(): void {
    this.drive.flush();
  }

  /** The STATUS register value. */
  get status(): number {
    const d = this.drive;
    let s = this.#flags;
    if (this.#busy) s |= TAPE_STATUS.BUSY;
    if (d.online) s |= TAPE_STATUS.ONLINE;
    if (d.atBot) s |= TAPE_STATUS.BOT;
    if (d.online && d.earlyWarning) s |= TAPE_STATUS.EW;
    if (d.writeProtected) s |= TAPE_STATUS.WP;
    if (this.#error !== TAPE_ERROR.NONE) s |= TAPE_STATUS.ERROR;
    if (this.#done) s |= TAPE_STATUS.DONE;
    if (this.#drqIn || this.#drqOut) s |= TAPE_STATUS.DRQ;
    return s;
  }

  /** Reads a register. */
  read(offset: number, width: AccessWidth): number {
    switch (offset) {
      case TAPE_REG.ID:
        return TAPE_ID;
      case TAPE_REG.STATUS:
        return this.status;
      case TAPE_REG.CONTROL:
        return this.#control;
      case TAPE_REG.LENGTH:
        return this.#length;
      case TAPE_REG.COUNT:
        return this.#count;
      case TAPE_REG.RESIDUAL:
        return this.#residual;
      case TAPE_REG.XFER:
        return this.#xfer;
      case TAPE_REG.DATA:
        return this.#readData(width);
      case TAPE_REG.ERROR:
        return this.#error;
      case TAPE_REG.RATIO:
        return this.drive.ratioPercent;
      case TAPE_REG.BLOCK:
        return this.drive.blockNumber;
      case TAPE_REG.FILE:
        return this.drive.fileNumber;
      case TAPE_REG.DMA_ID:
        return this.dmaId;
      case TAPE_REG.POSITION:
        return Math.floor(this.drive.position / 1024);
      case TAPE_REG.CAPACITY:
        return Math.floor(this.drive.config.capacityBytes / 1024);
      case TAPE_REG.FBLOCK:
        return this.drive.fileBlockNumber;
      default:
        return 0;
    }
  }

  /** Writes a register. */
  write(offset: number, width: AccessWidth, value: number): void {
    value >>>= 0;
    switch (offset) {
      case TAPE_REG.COMMAND:
        this.#command(value & 0xff);
        break;
      case TAPE_REG.STATUS:
        if (value & TAPE_STATUS.DONE) {
          this.#done = false;
          this.#updateIrq();
        }
        break;
      case TAPE_REG.CONTROL:
        this.#control = value & 7;
        this.#updateIrq();
        break;
      case TAPE_REG.LENGTH:
        if (this.#busy) break;
        this.#length = value;
        this.#bufPos = 0;
        this.#drqIn = false;
        break;
      case TAPE_REG.COUNT:
        if (!this.#busy) this.#count = value;
        break;
      case TAPE_REG.DATA:
        this.#writeData(width, value);
        break;
    }
  }

  // ---- DMA peripheral -----------------------------------------------------

  /** Bytes of read data ready for, or buffer room awaiting, the DMA channel. */
  dmaAvailable(toMemory: boolean): number {
    if (this.#dmaFailed) return -1;
    if (toMemory ? !this.#drqIn : !this.#drqOut) return 0;
    if ((this.#control & TAPE_CONTROL.DMA) === 0) return 0;
    return this.#bufLen - this.#bufPos;
  }

  /** Gives read data to the channel; the command completes when the record is drained. */
  dmaRead(dst: Uint8Array, length: number): void {
    dst.set(this.#buf.subarray(this.#bufPos, this.#bufPos + length));
    this.#bufPos += length;
    if (this.#bufPos >= this.#bufLen) {
      this.#drqIn = false;
      this.#complete();
    }
  }

  /** Takes record data from the channel; the write starts when the record is complete. */
  dmaWrite(src: Uint8Array, length: number): void {
    this.#buf.set(src.subarray(0, length), this.#bufPos);
    this.#bufPos += length;
    if (this.#bufPos >= this.#bufLen) {
      this.#drqOut = false;
      this.#doWrite();
    }
  }

  // ---- internals ----------------------------------------------------------

  #updateIrq(): void {
    this.#irq.set(this.#done && (this.#control & TAPE_CONTROL.IE) !== 0);
  }

  #complete(): void {
    this.#busy = false;
    this.#done = true;
    this.#updateIrq();
  }

  #after(cycles: number, fn: () => void): void {
    this.#event = this.#clock.schedule(this.#overhead + cycles, () => {
      this.#event = -1;
      fn();
    });
  }

  #fail(code: number, cycles = 0): void {
    this.#error = code;
    this.#after(cycles, () => this.#complete());
  }

  #useDma(): boolean {
    return (this.#control & TAPE_CONTROL.DMA) !== 0;
  }

  #abort(): void {
    if (!this.#busy) return;
    if (this.#event >= 0) this.#clock.cancel(this.#event);
    this.#event = -1;
    const dmaActive = this.#useDma() && (this.#drqIn || this.#drqOut);
    this.#drqIn = this.#drqOut = false;
    this.#error = TAPE_ERROR.ABORTED;
    this.#complete();
    if (dmaActive && this.#dma !== null) {
      this.#dmaFailed = true;
      this.#dma.request();
    }
  }

  #command(cmd: number): void {
    if (cmd === TAPE_CMD.ABORT) return this.#abort();
    if (this.#busy) return; // one command at a time
    this.#dmaFailed = false;
    this.#busy = true;
    this.#done = false;
    this.#updateIrq();
    this.#error = TAPE_ERROR.NONE;
    this.#flags = 0;
    this.#residual = 0;
    this.#drqIn = this.#drqOut = false;
    const d = this.drive;
    switch (cmd) {
      case TAPE_CMD.NOP:
        return this.#after(0, () => this.#complete());
      case TAPE_CMD.READ:
        return this.#read();
      case TAPE_CMD.WRITE:
        return this.#write();
      case TAPE_CMD.WRITE_FILEMARK:
        return this.#finish(d.writeFilemark());
      case TAPE_CMD.SPACE_RECORDS_FORWARD:
        return this.#finish(d.spaceRecordsForward(this.#count));
      case TAPE_CMD.SPACE_RECORDS_BACKWARD:
        return this.#finish(d.spaceRecordsBackward(this.#count));
      case TAPE_CMD.SPACE_FILES_FORWARD:
        return this.#finish(d.spaceFilesForward(this.#count));
      case TAPE_CMD.SPACE_FILES_BACKWARD:
        return this.#finish(d.spaceFilesBackward(this.#count));
      case TAPE_CMD.REWIND:
        return this.#finish(d.rewind());
      case TAPE_CMD.ERASE:
        return this.#finish(d.erase());
      case TAPE_CMD.UNLOAD:
        return this.#finish(d.unload());
      case TAPE_CMD.LOAD: {
        const r = d.load();
        if (!d.online && d.loadError !== null) return this.#fail(TAPE_ERROR.FORMAT, r.cycles);
        return this.#finish(r);
      }
      case TAPE_CMD.FLUSH: {
        let failed = false;
        try {
          d.flush();
        } catch {
          failed = true;
        }
        return failed ? this.#fail(TAPE_ERROR.DATA_ERROR) : this.#after(0, () => this.#complete());
      }
      default:
        return this.#fail(TAPE_ERROR.BAD_COMMAND);
    }
  }

  /** Maps a drive outcome to status/error, then completes after its time. */
  #finish(r: TapeResult, then?: () => void): void {
    this.#residual = r.residual;
    switch (r.outcome) {
      case "ok":
        break;
      case "filemark":
        this.#flags |= TAPE_STATUS.FILEMARK;
        break;
      case "eod":
        this.#flags |= TAPE_STATUS.EOD;
        this.#error = TAPE_ERROR.END_OF_DATA;
        break;
      case "bot":
        this.#error = TAPE_ERROR.BOT;
        break;
      case "eom":
        this.#flags |= TAPE_STATUS.EOM;
        this.#error = TAPE_ERROR.END_OF_MEDIUM;
        break;
      case "protected":
        this.#error = TAPE_ERROR.WRITE_PROTECTED;
        break;
      case "offline":
        this.#error = this.drive.loadError !== null ? TAPE_ERROR.FORMAT : TAPE_ERROR.NOT_READY;
        break;
      case "data-error":
        this.#error = TAPE_ERROR.DATA_ERROR;
        break;
    }
    if (r.compressed) this.#flags |= TAPE_STATUS.COMPRESSED;
    if (r.badRecord) this.#flags |= TAPE_STATUS.BAD_RECORD;
    this.#after(r.cycles, then ?? (() => this.#complete()));
  }

  #read(): void {
    if (this.#length === 0 || this.#length > this.#buf.length) {
      return this.#fail(TAPE_ERROR.BAD_LENGTH);
    }
    if (this.#useDma() && this.#dma === null) return this.#fail(TAPE_ERROR.NO_DMA);
    const r = this.drive.read();
    this.#xfer = r.length;
    let n = 0;
    if (r.data !== null) {
      n = Math.min(r.length, this.#length);
      this.#buf.set(r.data.subarray(0, n));
      if (r.length > this.#length) this.#flags |= TAPE_STATUS.OVERRUN;
    }
    r.residual = this.#length - n; // bytes of the buffer the record did not fill
    const withData = n > 0 && r.outcome === "ok";
    this.#finish(r, () => {
      this.#bufPos = 0;
      this.#bufLen = n;
      if (!withData) return this.#complete();
      this.#drqIn = true;
      // PIO: the record is in the buffer now. DMA: done when the channel drained it.
      if (this.#useDma()) this.#dma?.request();
      else this.#complete();
    });
  }

  #write(): void {
    if (this.#length === 0 || this.#length > this.#buf.length) {
      return this.#fail(TAPE_ERROR.BAD_LENGTH);
    }
    if (this.#useDma()) {
      if (this.#dma === null) return this.#fail(TAPE_ERROR.NO_DMA);
      this.#bufPos = 0;
      this.#bufLen = this.#length;
      this.#drqOut = true;
      this.#dma.request();
      return;
    }
    this.#doWrite();
  }

  #doWrite(): void {
    const r = this.drive.write(
      this.#buf.subarray(0, this.#length),
      (this.#control & TAPE_CONTROL.COMPRESS) !== 0,
    );
    this.#xfer = r.outcome === "ok" ? this.#length : 0;
    if (r.outcome !== "ok") r.residual = this.#length;
    this.#bufPos = 0;
    this.#finish(r);
  }

  #readData(width: AccessWidth): number {
    if (!this.#drqIn || this.#useDma()) return 0;
    const b = this.#buf;
    const p = this.#bufPos;
    let v = 0;
    for (let i = 0; i < width; i++) v |= (p + i < this.#bufLen ? b[p + i] : 0) << (8 * i);
    this.#bufPos = p + width;
    if (this.#bufPos >= this.#bufLen) this.#drqIn = false;
    return v >>> 0;
  }

  #writeData(width: AccessWidth, value: number): void {
    if (this.#busy) return;
    const p = this.#bufPos;
    for (let i = 0; i < width && p + i < this.#buf.length; i++) {
      this.#buf[p + i] = value >>> (8 * i);
    }
    this.#bufPos = Math.min(p + width, this.#buf.length);
  }
}
