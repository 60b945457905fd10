/**
 * DMA controller: independent channels that move bytes between RAM (or any
 * bus address) and a peripheral, taking simulated time from a configured
 * bandwidth and raising one PLIC line per channel when a transfer ends.
 *
 * Register map (32-bit registers; see docs/storage_registers.md):
 *
 * ```
 * 0x000 ID        ro  0x444D4131 ("DMA1")
 * 0x004 CHANNELS  ro  number of channels
 * 0x008 BANDWIDTH ro  bytes per simulated second
 * 0x00C IRQSTAT   ro  bit n = channel n has DONE or ERROR with IE set
 * 0x100 + n*0x40  channel n:
 *   +0x00 MADDR    memory address (any bus address; RAM is the fast path)
 *   +0x04 DADDR    device address: the bus address for peripheral 0
 *   +0x08 COUNT    byte count to move
 *   +0x0C PERIPH   peripheral id (DMA_PERIPHERAL)
 *   +0x10 CONFIG   bit0 DIR (0 = peripheral to memory, 1 = memory to peripheral)
 *                  bit1 MODE (0 = single, 1 = block)
 *                  bit2 DFIXED (peripheral 0: device address does not advance: a port)
 *   +0x14 CONTROL  w: bit0 START, bit1 ABORT; rw: bit2 IE
 *   +0x18 STATUS   bit0 BUSY, bit1 DONE, bit2 ERROR, bit3 ABORTED, bits 15:8 error code;
 *                  writing 1s to DONE/ERROR/ABORTED clears them (and the interrupt)
 *   +0x1C RESIDUAL bytes not yet moved
 *   +0x20 FAULTADDR bus address of the failed access
 *   +0x24 MOVED    bytes moved by the current/last transfer
 * ```
 *
 * @module
 */

import { type AccessWidth, type Bus, BusFault, type MmioDevice } from "./bus.ts";
import type { SimClock } from "./clock.ts";
import { type IrqLine, UNCONNECTED_IRQ } from "./irq.ts";
import {
  DMA_CONFIG,
  DMA_CONTROL,
  DMA_ERROR,
  DMA_ID,
  DMA_PERIPHERAL,
  DMA_REG,
  DMA_STATUS,
} from "./dma_regs.ts";

export {
  DMA_CONFIG,
  DMA_CONTROL,
  DMA_ERROR,
  DMA_ID,
  DMA_PERIPHERAL,
  DMA_REG,
  DMA_STATUS,
} from "./dma_regs.ts";

/**
 * What a device implements to be served by a DMA channel. The device raises
 * its request through the {@link DmaRequestLine} it got from
 * {@link DmaController.attach} whenever it has bytes to give or room to take.
 */
export interface DmaPeripheral {
  /** Name for status and errors. */
  readonly name: string;
  /**
   * Bytes the device can move right now in the given direction (`toMemory`
   * true: it supplies bytes; false: it accepts bytes). 0 = request line low.
   * A negative value reports a device error and stops the channel.
   */
  dmaAvailable(toMemory: boolean): number;
  /** Supplies `length` bytes (at most what dmaAvailable said) into `dst[0..length)`. */
  dmaRead(dst: Uint8Array, length: number): void;
  /** Accepts `length` bytes from `src[0..length)`. */
  dmaWrite(src: Uint8Array, length: number): void;
}

/** A peripheral's request line into the controller. */
export interface DmaRequestLine {
  /** Tells the controller the peripheral's availability may have changed. */
  request(): void;
}

/** Configuration of the DMA controller. */
export interface DmaConfig {
  /** Number of channels (at least 4; default 4). */
  channels?: number;
  /** Bytes per second of simulated time (default 50 MB/s). */
  bandwidth?: number;
  /** Extra cycles per 4-byte word in single mode, for the bus hand-over (default 2). */
  singleModeOverhead?: number;
  /** Largest burst moved per event in block mode (default 4096). */
  maxBurst?: number;
}

/** Raised for an impossible controller configuration. */
export class DmaConfigError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "DmaConfigError";
  }
}

/** Counters for one channel, for benchmarks and /proc. */
export interface DmaChannelStats {
  /** Transfers started. */
  transfers: number;
  /** Transfers finished with DONE. */
  completed: number;
  /** Transfers ended with ERROR. */
  errors: number;
  /** Transfers aborted. */
  aborts: number;
  /** Bytes moved. */
  bytes: number;
  /** Cycles the channel spent moving data. */
  busyCycles: number;
}

class DmaChannel {
  maddr = 0;
  daddr = 0;
  count = 0;
  periph = 0;
  config = 0;
  ie = false;
  status = 0;
  residual = 0;
  faultAddr = 0;
  moved = 0;
  /** Pending burst event, or -1. */
  event = -1;
  /** The clock callback ending this channel's burst (bound once). */
  onBurst: () => void = () => {};
  /** Bytes in the burst now in flight. */
  burst = 0;
  burstStart = 0;
  readonly stats: DmaChannelStats = {
    transfers: 0,
    completed: 0,
    errors: 0,
    aborts: 0,
    bytes: 0,
    busyCycles: 0,
  };
  constructor(readonly index: number, public irq: IrqLine) {}
}

/** The DMA controller device. */
export class DmaController implements MmioDevice {
  /** Device name. */
  readonly name = "dma";
  /** Bytes per simulated second. */
  readonly bandwidth: number;
  readonly #bus: Bus;
  readonly #clock: SimClock;
  readonly #channels: DmaChannel[] = [];
  readonly #peripherals: (DmaPeripheral | undefined)[] = [];
  readonly #cyclesPerByte: number;
  readonly #singleOverhead: number;
  readonly #maxBurst: number;
  // One staging buffer for every burst: no allocation per transfer.
  readonly #buf: Uint8Array;
  // Index within the burst of the byte whose access faulted (set by the copy helpers).
  #faultIndex = 0;

  /** Creates the controller on `bus`, timed by `clock`. */
  constructor(bus: Bus, clock: SimClock, config: DmaConfig = {}) {
    const channels = config.channels ?? 4;
    const bandwidth = config.bandwidth ?? 50_000_000;
    const maxBurst = config.maxBurst ?? 4096;
    if (!Number.isInteger(channels) || channels < 4 || channels > 16) {
      throw new DmaConfigError(`DMA channel count must be 4..16, got ${channels}`);
    }
    if (!(bandwidth > 0) || !Number.isFinite(bandwidth)) {
      throw new DmaConfigError(`bad DMA bandwidth ${bandwidth}`);
    }
    if (!Number.isInteger(maxBurst) || maxBurst < 4) {
      throw new DmaConfigError(`bad DMA burst size ${maxBurst}`);
    }
    this.#bus = bus;
    this.#clock = clock;
    this.bandwidth = bandwidth;
    this.#cyclesPerByte = clock.frequency / bandwidth;
    this.#singleOverhead = config.singleModeOverhead ?? 2;
    this.#maxBurst = maxBurst;
    this.#buf = new Uint8Array(maxBurst);
    for (let i = 0; i < channels; i++) {
      const ch = new DmaChannel(i, UNCONNECTED_IRQ);
      ch.onBurst = () => this.#completeBurst(ch);
      this.#channels.push(ch);
    }
  }

  /** Number of channels. */
  get channelCount(): number {
    return this.#channels.length;
  }

  /** Connects channel `n`'s interrupt output. */
  setIrq(channel: number, line: IrqLine): void {
    this.#channels[channel].irq = line;
  }

  /** Counters of channel `n`. */
  stats(channel: number): Readonly<DmaChannelStats> {
    return this.#channels[channel].stats;
  }

  /** Registers `peripheral` under `id`; returns the request line it must use. */
  attach(id: number, peripheral: DmaPeripheral): DmaRequestLine {
    if (!Number.isInteger(id) || id < 1 || id > DMA_PERIPHERAL.MAX) {
      throw new DmaConfigError(`bad DMA peripheral id ${id}`);
    }
    if (this.#peripherals[id] !== undefined) {
      throw new DmaConfigError(`DMA peripheral id ${id} already used`);
    }
    this.#peripherals[id] = peripheral;
    return { request: () => this.#onRequest(id) };
  }

  /** Reads a register. */
  read(offset: number, _width: AccessWidth): number {
    if (offset < DMA_REG.CHANNEL_BASE) {
      switch (offset) {
        case DMA_REG.ID:
          return DMA_ID;
        case DMA_REG.CHANNELS:
          return this.#channels.length;
        case DMA_REG.BANDWIDTH:
          return Math.min(this.bandwidth, 0xffff_ffff) >>> 0;
        case DMA_REG.IRQSTAT: {
          let bits = 0;
          for (const ch of this.#channels) if (this.#irqLevel(ch)) bits |= 1 << ch.index;
          return bits;
        }
        default:
          return 0;
      }
    }
    const ch = this.#channelAt(offset);
    if (ch === undefined) return 0;
    switch ((offset - DMA_REG.CHANNEL_BASE) % DMA_REG.CHANNEL_STRIDE) {
      case DMA_REG.MADDR:
        return ch.maddr;
      case DMA_REG.DADDR:
        return ch.daddr;
      case DMA_REG.COUNT:
        return ch.count;
      case DMA_REG.PERIPH:
        return ch.periph;
      case DMA_REG.CONFIG:
        return ch.config;
      case DMA_REG.CONTROL:
        return ch.ie ? DMA_CONTROL.IE : 0;
      case DMA_REG.STATUS:
        return ch.status;
      case DMA_REG.RESIDUAL:
        return ch.residual;
      case DMA_REG.FAULTADDR:
        return ch.faultAddr;
      case DMA_REG.MOVED:
        return ch.moved;
      default:
        return 0;
    }
  }

  /** Writes a register. */
  write(offset: number, _width: AccessWidth, value: number): void {
    const ch = this.#channelAt(offset);
    if (ch === undefined) return;
    value >>>= 0;
    const busy = (ch.status & DMA_STATUS.BUSY) !== 0;
    switch ((offset - DMA_REG.CHANNEL_BASE) % DMA_REG.CHANNEL_STRIDE) {
      // Programming registers are frozen while a transfer runs.
      case DMA_REG.MADDR:
        if (!busy) ch.maddr = value;
        break;
      case DMA_REG.DADDR:
        if (!busy) ch.daddr = value;
        break;
      case DMA_REG.COUNT:
        if (!busy) ch.count = value;
        break;
      case DMA_REG.PERIPH:
        if (!busy) ch.periph = value & 0xf;
        break;
      case DMA_REG.CONFIG:
        if (!busy) ch.config = value & 7;
        break;
      case DMA_REG.CONTROL:
        ch.ie = (value & DMA_CONTROL.IE) !== 0;
        if (value & DMA_CONTROL.ABORT) this.#abort(ch);
        else if (value & DMA_CONTROL.START) this.#start(ch);
        this.#updateIrq(ch);
        break;
      case DMA_REG.STATUS:
        ch.status &= ~(value & (DMA_STATUS.DONE | DMA_STATUS.ERROR | DMA_STATUS.ABORTED));
        if ((ch.status & (DMA_STATUS.ERROR | DMA_STATUS.BUSY)) === 0) ch.status &= 0xff;
        this.#updateIrq(ch);
        break;
    }
  }

  /** Aborts every channel (machine reset). */
  reset(): void {
    for (const ch of this.#channels) {
      if (ch.status & DMA_STATUS.BUSY) this.#abort(ch);
      ch.status = 0;
      ch.ie = false;
      this.#updateIrq(ch);
    }
  }

  #channelAt(offset: number): DmaChannel | undefined {
    if (offset < DMA_REG.CHANNEL_BASE) return undefined;
    return this.#channels[((offset - DMA_REG.CHANNEL_BASE) / DMA_REG.CHANNEL_STRIDE) | 0];
  }

  #irqLevel(ch: DmaChannel): boolean {
    return ch.ie && (ch.status & (DMA_STATUS.DONE | DMA_STATUS.ERROR | DMA_STATUS.ABORTED)) !== 0;
  }

  #updateIrq(ch: DmaChannel): void {
    ch.irq.set(this.#irqLevel(ch));
  }

  #start(ch: DmaChannel): void {
    if (ch.status & DMA_STATUS.BUSY) return; // a second START does not disturb the transfer
    ch.status = DMA_STATUS.BUSY;
    ch.residual = ch.count;
    ch.moved = 0;
    ch.faultAddr = 0;
    ch.stats.transfers++;
    if (ch.periph !== DMA_PERIPHERAL.BUS && this.#peripherals[ch.periph] === undefined) {
      this.#finish(ch, DMA_ERROR.NO_PERIPHERAL, 0);
      return;
    }
    if (ch.residual === 0) {
      this.#finish(ch, DMA_ERROR.NONE, 0);
      return;
    }
    this.#pump(ch);
  }

  #abort(ch: DmaChannel): void {
    if ((ch.status & DMA_STATUS.BUSY) === 0) return;
    if (ch.event >= 0) this.#clock.cancel(ch.event);
    ch.event = -1;
    ch.burst = 0;
    ch.stats.aborts++;
    ch.status = DMA_STATUS.ABORTED;
  }

  /** Ends the transfer with DONE (code NONE) or ERROR. */
  #finish(ch: DmaChannel, code: number, faultAddr: number): void {
    if (ch.event >= 0) this.#clock.cancel(ch.event);
    ch.event = -1;
    ch.burst = 0;
    // Aborted meanwhile (a burst that wrote into this controller's own registers).
    if ((ch.status & DMA_STATUS.BUSY) === 0) return;
    if (code === DMA_ERROR.NONE) {
      ch.status = DMA_STATUS.DONE;
      ch.stats.completed++;
    } else {
      ch.status = DMA_STATUS.ERROR | (code << 8);
      ch.faultAddr = faultAddr >>> 0;
      ch.stats.errors++;
    }
    this.#updateIrq(ch);
  }

  #onRequest(id: number): void {
    for (const ch of this.#channels) {
      if (ch.periph === id && (ch.status & DMA_STATUS.BUSY) !== 0 && ch.event === -1) {
        this.#pump(ch);
      }
    }
  }

  /** Starts the next burst if the peripheral is ready; the data moves when it ends. */
  #pump(ch: DmaChannel): void {
    const toMemory = (ch.config & DMA_CONFIG.TO_DEVICE) === 0;
    let n = ch.residual < this.#maxBurst ? ch.residual : this.#maxBurst;
    if (ch.periph !== DMA_PERIPHERAL.BUS) {
      const p = this.#peripherals[ch.periph]!;
      const avail = p.dmaAvailable(toMemory);
      if (avail < 0) {
        this.#finish(ch, DMA_ERROR.PERIPHERAL_ERROR, 0);
        return;
      }
      if (avail === 0) return; // wait for the request line
      if (avail < n) n = avail;
    }
    let cycles = Math.ceil(n * this.#cyclesPerByte);
    if ((ch.config & DMA_CONFIG.BLOCK) === 0) cycles += ((n + 3) >>> 2) * this.#singleOverhead;
    ch.burst = n;
    ch.burstStart = this.#clock.now;
    ch.event = this.#clock.schedule(cycles, ch.onBurst);
  }

  #completeBurst(ch: DmaChannel): void {
    // -2 = inside a burst: a request raised by the peripheral during the copy must not pump.
    ch.event = -2;
    const n = ch.burst;
    ch.burst = 0;
    ch.stats.busyCycles += this.#clock.now - ch.burstStart;
    const toMemory = (ch.config & DMA_CONFIG.TO_DEVICE) === 0;
    const buf = this.#buf;
    const periph = ch.periph;
    const p = periph === DMA_PERIPHERAL.BUS ? undefined : this.#peripherals[periph]!;
    if (toMemory) {
      if (p === undefined) {
        const bad = this.#busToBuf(ch.daddr, n, (ch.config & DMA_CONFIG.DFIXED) !== 0);
        if (bad >= 0) return this.#fault(ch, bad, DMA_ERROR.DEVICE_FAULT, 0);
      } else {
        // Re-check: the device may have been reset while the burst was in flight.
        if (p.dmaAvailable(true) < n) return this.#finish(ch, DMA_ERROR.PERIPHERAL_ERROR, 0);
        p.dmaRead(buf, n);
      }
      const bad = this.#bufToMemory(ch.maddr, n);
      if (bad >= 0) return this.#fault(ch, bad, DMA_ERROR.MEMORY_FAULT, this.#faultIndex);
    } else {
      const bad = this.#memoryToBuf(ch.maddr, n);
      if (bad >= 0) return this.#fault(ch, bad, DMA_ERROR.MEMORY_FAULT, 0);
      if (p === undefined) {
        const bad2 = this.#bufToBus(ch.daddr, n, (ch.config & DMA_CONFIG.DFIXED) !== 0);
        if (bad2 >= 0) return this.#fault(ch, bad2, DMA_ERROR.DEVICE_FAULT, this.#faultIndex);
      } else {
        if (p.dmaAvailable(false) < n) {
          return this.#finish(ch, DMA_ERROR.PERIPHERAL_ERROR, 0);
        }
        p.dmaWrite(buf, n);
      }
    }
    this.#advance(ch, n);
    ch.event = -1;
    if ((ch.status & DMA_STATUS.BUSY) === 0) return; // aborted during the copy
    if (ch.residual === 0) this.#finish(ch, DMA_ERROR.NONE, 0);
    else this.#pump(ch);
  }

  #advance(ch: DmaChannel, n: number): void {
    ch.maddr = (ch.maddr + n) >>> 0;
    if (ch.periph === DMA_PERIPHERAL.BUS && (ch.config & DMA_CONFIG.DFIXED) === 0) {
      ch.daddr = (ch.daddr + n) >>> 0;
    }
    ch.residual -= n;
    ch.moved += n;
    ch.stats.bytes += n;
  }

  /** Stops the channel at a hole; the `stored` bytes that reached the destination count as moved. */
  #fault(ch: DmaChannel, address: number, code: number, stored: number): void {
    if (stored > 0) this.#advance(ch, stored);
    this.#finish(ch, code, address);
  }

  // The copy helpers return -1 on success or the faulting bus address.

  #bufToMemory(addr: number, n: number): number {
    const bus = this.#bus;
    if (bus.isRam(addr, n)) {
      const off = (addr >>> 0) - bus.ram.base;
      bus.ram.u8.set(this.#buf.subarray(0, n), off);
      bus.ram.notifyWrite(off, n);
      return -1;
    }
    for (let i = 0; i < n; i++) {
      const a = (addr + i) >>> 0;
      try {
        bus.write(a, 1, this.#buf[i]);
      } catch (e) {
        if (e instanceof BusFault) {
          this.#faultIndex = i;
          return a;
        }
        throw e;
      }
    }
    return -1;
  }

  #memoryToBuf(addr: number, n: number): number {
    const bus = this.#bus;
    if (bus.isRam(addr, n)) {
      const off = (addr >>> 0) - bus.ram.base;
      this.#buf.set(bus.ram.u8.subarray(off, off + n), 0);
      return -1;
    }
    for (let i = 0; i < n; i++) {
      const a = (addr + i) >>> 0;
      try {
        this.#buf[i] = bus.read(a, 1);
      } catch (e) {
        if (e instanceof BusFault) {
          this.#faultIndex = i;
          return a;
        }
        throw e;
      }
    }
    return -1;
  }

  #busToBuf(addr: number, n: number, fixed: boolean): number {
    if (!fixed) return this.#memoryToBuf(addr, n);
    for (let i = 0; i < n; i++) {
      try {
        this.#buf[i] = this.#bus.read(addr, 1);
      } catch (e) {
        if (e instanceof BusFault) {
          this.#faultIndex = i;
          return addr >>> 0;
        }
        throw e;
      }
    }
    return -1;
  }

  #bufToBus(addr: number, n: number, fixed: boolean): number {
    if (!fixed) return this.#bufToMemory(addr, n);
    for (let i = 0; i < n; i++) {
      try {
        this.#bus.write(addr, 1, this.#buf[i]);
      } catch (e) {
        if (e instanceof BusFault) {
          this.#faultIndex = i;
          return addr >>> 0;
        }
        throw e;
      }
    }
    return -1;
  }
}
