/**
 * The DMA ATA driver core: READ DMA / WRITE DMA through one channel of the
 * DMA controller, with one interrupt per command (at most 256 sectors, so a
 * longer request takes one interrupt per 128 KiB). The channel moves the
 * sectors between the controller and a physically contiguous bounce buffer;
 * the driver copies between that buffer and the request (the kernel's copy
 * rate, 16 cycles per 64 bytes). The disks of the driver share the channel:
 * a command waits for it while another disk's command holds it. A timer per
 * command catches a hang (see {@link AtaDisk}); a reset also stops the
 * channel.
 *
 * @module
 */

import {
  ATA_CMD,
  ATA_MAX_SECTORS,
  ATA_REG,
  ATA_SECTOR_SIZE,
  ATA_STATUS,
} from "../../../hw/ata_regs.ts";
import { DMA_CONFIG, DMA_CONTROL, DMA_REG, DMA_STATUS } from "../../../hw/dma_regs.ts";
import { AtaDisk, type AtaDiskOptions, AtaProbeError } from "../ata_common/disk.ts";
import type { AtaHost, AtaRegs } from "../ata_common/host.ts";

/** CPU cycles to copy 64 bytes between kernel buffers (the kernel's copy cost). */
export const COPY_CYCLES_PER_64_BYTES = 16;

/** Bytes of the bounce buffer: one command's worth. */
export const ATA_DMA_BUFFER_BYTES = ATA_MAX_SECTORS * ATA_SECTOR_SIZE;

/** A DMA channel and its bounce buffer, shared by the disks of one driver. */
export class AtaDmaChannel {
  /** The channel's registers (offsets of DMA_REG, relative to the channel). */
  readonly regs: AtaRegs;
  /** Bus address of the bounce buffer. */
  readonly paddr: number;
  /** The bounce buffer's bytes. */
  readonly bytes: Uint8Array;
  /** The disk whose command holds the channel. */
  owner: AtaDmaDisk | null = null;
  /** Disks waiting for the channel, with the start they will make. */
  readonly waiting: { disk: AtaDmaDisk; start: () => void }[] = [];

  /** Wraps a channel window and a buffer of at least {@link ATA_DMA_BUFFER_BYTES}. */
  constructor(regs: AtaRegs, paddr: number, bytes: Uint8Array) {
    if (bytes.length < ATA_DMA_BUFFER_BYTES) throw new RangeError("DMA buffer too small");
    this.regs = regs;
    this.paddr = paddr;
    this.bytes = bytes;
  }

  /** Gives the channel up and starts the next waiting command. */
  release(disk: AtaDmaDisk): void {
    if (this.owner !== disk) return;
    this.owner = null;
    this.waiting.shift()?.start();
  }
}

/** One disk driven by DMA. */
export class AtaDmaDisk extends AtaDisk {
  /** Interrupts enabled. */
  protected readonly control = 0;

  readonly #channel: AtaDmaChannel;
  #periph = 0;
  #running = false;
  #write = false;
  #data: Uint8Array = new Uint8Array(0);

  /** Creates the disk over its controller window and the shared channel. */
  constructor(regs: AtaRegs, host: AtaHost, channel: AtaDmaChannel, options: AtaDiskOptions) {
    super(regs, host, options);
    this.#channel = channel;
  }

  /** Probes, then checks that the controller has a DMA request line. */
  override probe(): void {
    super.probe();
    this.#periph = this.regs.read32(ATA_REG.DMA_ID);
    if (this.#periph === 0 || this.identity?.dma !== true) {
      throw new AtaProbeError(`hd${String.fromCharCode(0x61 + this.unit)}: no DMA`);
    }
  }

  /** Programs the channel and issues READ/WRITE DMA (after waiting for the channel). */
  protected startTransfer(write: boolean, lba: number, count: number, data: Uint8Array): void {
    const ch = this.#channel;
    if (ch.owner !== null && ch.owner !== this) {
      ch.waiting.push({ disk: this, start: () => this.startTransfer(write, lba, count, data) });
      return;
    }
    ch.owner = this;
    const bytes = count * ATA_SECTOR_SIZE;
    if (write) this.#copy(ch.bytes, data, bytes);
    this.#write = write;
    this.#data = data;
    const d = ch.regs;
    d.write32(DMA_REG.STATUS, DMA_STATUS.DONE | DMA_STATUS.ERROR | DMA_STATUS.ABORTED);
    d.write32(DMA_REG.MADDR, ch.paddr);
    d.write32(DMA_REG.COUNT, bytes);
    d.write32(DMA_REG.PERIPH, this.#periph);
    d.write32(DMA_REG.CONFIG, DMA_CONFIG.BLOCK | (write ? DMA_CONFIG.TO_DEVICE : 0));
    d.write32(DMA_REG.CONTROL, DMA_CONTROL.START);
    this.spend(6 * this.accessCycles);
    this.#running = true;
    this.writeTaskFile(lba, count, write ? ATA_CMD.WRITE_DMA : ATA_CMD.READ_DMA);
  }

  /** Issues a command without data; its interrupt ends it. */
  protected startNonData(command: number): void {
    this.#running = true;
    this.#data = new Uint8Array(0);
    this.writeTaskFile(0, 0, command);
  }

  /** Services the disk's interrupt: the end of a command. */
  override handleInterrupt(): boolean {
    const status = this.ackStatus();
    if (!this.#running || (status & ATA_STATUS.BSY)) return false;
    this.stats.interrupts++;
    this.#running = false;
    const ch = this.#channel;
    let failed = (status & ATA_STATUS.ERR) !== 0;
    if (ch.owner === this) {
      const chStatus = this.#stopChannel();
      if ((chStatus & DMA_STATUS.DONE) === 0) failed = true;
      if (!failed && !this.#write) this.#copy(this.#data, ch.bytes, this.#data.length);
      ch.release(this);
    }
    this.commandEnded(failed ? status | ATA_STATUS.ERR : status);
    return true;
  }

  /** Stops the channel if still busy and clears its status; the status it had. */
  #stopChannel(): number {
    const d = this.#channel.regs;
    const s = d.read32(DMA_REG.STATUS);
    if (s & DMA_STATUS.BUSY) d.write32(DMA_REG.CONTROL, DMA_CONTROL.ABORT);
    d.write32(DMA_REG.STATUS, DMA_STATUS.DONE | DMA_STATUS.ERROR | DMA_STATUS.ABORTED);
    this.spend(3 * this.accessCycles);
    return s;
  }

  /** A reset killed the command: the channel is stopped and given up. */
  protected override afterReset(): void {
    this.#running = false;
    const ch = this.#channel;
    const mine = ch.waiting.findIndex((w) => w.disk === this);
    if (mine >= 0) ch.waiting.splice(mine, 1);
    if (ch.owner === this) {
      this.#stopChannel();
      ch.release(this);
    }
  }

  #copy(dst: Uint8Array, src: Uint8Array, bytes: number): void {
    this.spend(Math.ceil(bytes / 64) * COPY_CYCLES_PER_64_BYTES);
    dst.set(src.subarray(0, bytes));
  }
}
