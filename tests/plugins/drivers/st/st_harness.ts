/**
 * A bench for the st driver core without a kernel: RAM, bus, DMA controller
 * and tape controller on one clock, the driver's register windows on the
 * bus, and a call loop that runs the clock to the next tape interrupt
 * whenever the driver answers K.AGAIN (as the kernel does by sleeping).
 *
 * @module
 */

import { Bus } from "../../../../hw/bus.ts";
import { SimClock } from "../../../../hw/clock.ts";
import { DMA_PERIPHERAL, DmaController } from "../../../../hw/dma.ts";
import { DMA_REG } from "../../../../hw/dma_regs.ts";
import { Ram } from "../../../../hw/ram.ts";
import { TapeController } from "../../../../hw/tape_controller.ts";
import {
  MemoryTapeBacking,
  type TapeBacking,
  TapeDrive,
  type TapeDriveConfig,
} from "../../../../hw/tape_drive.ts";
import { type FileCaller, K } from "../../../../kernel/api.ts";
import { StDriver } from "../../../../plugins/drivers/st/driver.ts";
import { stIoctl } from "../../../../plugins/drivers/st/ioctl.ts";

const RAM_BASE = 0x8000_0000;
const DMA_BASE = 0x1000_2000;
const TAPE_BASE = 0x1000_8000;
const BUF = RAM_BASE + 0x1_0000;
const CHANNEL = 3;

/** Raised when a call never completes (a hang). */
export class HangError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "HangError";
  }
}

/** Options of {@link makeBench}. */
export interface BenchOptions {
  /** The medium. */
  backing?: TapeBacking;
  /** Drive configuration. */
  drive?: TapeDriveConfig;
  /** Programmed I/O instead of DMA. */
  pio?: boolean;
}

/** Builds the bench. */
export function makeBench(options: BenchOptions = {}) {
  const ram = new Ram(RAM_BASE, 512 << 10);
  const bus = new Bus(ram);
  const clock = new SimClock(100_000_000);
  const dma = new DmaController(bus, clock, { bandwidth: 50_000_000 });
  bus.map(DMA_BASE, 0x1000, dma);
  const drive = new TapeDrive(clock, options.backing ?? new MemoryTapeBacking(), options.drive);
  const tape = new TapeController(clock, drive);
  tape.connectDma(DMA_PERIPHERAL.TAPE, dma.attach(DMA_PERIPHERAL.TAPE, tape));
  let irq = false;
  tape.setIrq({ set: (l) => irq = l });
  bus.map(TAPE_BASE, 0x1000, tape);
  const window = (base: number) => ({
    read32: (off: number) => bus.read(base + off, 4) >>> 0,
    write32: (off: number, v: number) => bus.write(base + off, 4, v >>> 0),
  });
  const channel = DMA_BASE + DMA_REG.CHANNEL_BASE + CHANNEL * DMA_REG.CHANNEL_STRIDE;
  const buffer = {
    paddr: BUF,
    bytes: ram.u8.subarray(BUF - RAM_BASE, BUF - RAM_BASE + (256 << 10)),
  };
  const driver = options.pio
    ? new StDriver(window(TAPE_BASE), null, null, { pio: true })
    : new StDriver(window(TAPE_BASE), window(channel), buffer);
  driver.init();

  /** Runs `op` to completion, serving interrupts; throws HangError after `limit` waits. */
  const call = (op: () => number, limit = 10_000): number => {
    for (let i = 0; i < limit; i++) {
      const r = op();
      if (r !== K.AGAIN && r !== K.RESTART) return r;
      while (!irq) {
        if (!clock.advanceToNextEvent()) throw new HangError("waiting with no event pending");
      }
      driver.handleInterrupt();
    }
    throw new HangError(`no completion after ${limit} waits`);
  };
  /** Lets background (close) work finish. */
  const settle = () => call(() => driver.busy ? K.AGAIN : 0);

  // Guest memory for ioctl arguments: 4 KiB at address 0x1000.
  const mem = new Uint8Array(4096);
  const caller: FileCaller = {
    pid: 1,
    pgid: 1,
    sid: 1,
    memory: {
      copyIn: (addr, n) =>
        addr >= 0x1000 && addr + n <= 0x2000 ? mem.slice(addr - 0x1000, addr - 0x1000 + n) : null,
      copyOut: (addr, data) => {
        if (addr < 0x1000 || addr + data.length > 0x2000) return false;
        mem.set(data, addr - 0x1000);
        return true;
      },
    },
  };
  const view = new DataView(mem.buffer);
  /** MTIOCTOP through the ioctl entry. */
  const mtop = (op: number, count = 1, writable = true): number => {
    view.setInt16(0, op, true);
    view.setInt32(4, count, true);
    return call(() => stIoctl(driver, 0x4008_6d01, 0x1000, caller, writable, () => K.RESTART));
  };
  /** An ioctl that fills memory at 0x1000; returns the status and the words. */
  const get = (cmd: number, words: number): { r: number; w: number[] } => {
    const r = call(() => stIoctl(driver, cmd, 0x1000, caller, true, () => K.RESTART));
    return { r, w: Array.from({ length: words }, (_, i) => view.getUint32(i * 4, true)) };
  };
  const write = (data: Uint8Array) => call(() => driver.write(data));
  const read = (size: number): number | Uint8Array => {
    const buf = new Uint8Array(size);
    const r = call(() => driver.read(buf));
    return r < 0 ? r : buf.slice(0, r);
  };
  return { ram, clock, drive, tape, driver, call, settle, mtop, get, write, read, caller };
}
