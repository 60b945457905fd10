/**
 * A bare machine for the ATA driver cores, without a kernel: RAM, bus, DMA
 * controller and disk controllers on one clock, and the driver's kernel
 * services done the kernel's way (CPU time advances the clock, busy-waits
 * use the kernel's own `spinWait`, timers are clock events). `run` submits
 * requests and serves interrupts, charging the kernel's interrupt cost,
 * until they complete. Tests and `bench/disk_bench.ts` use it.
 *
 * @module
 */

import { Bus } from "../../../../hw/bus.ts";
import { SimClock } from "../../../../hw/clock.ts";
import { DMA_PERIPHERAL, DmaController } from "../../../../hw/dma.ts";
import { DMA_REG } from "../../../../hw/dma_regs.ts";
import { DiskController } from "../../../../hw/disk_controller.ts";
import { DiskDrive, type DiskTiming } from "../../../../hw/disk_drive.ts";
import { type DiskImage, MemoryDiskImage } from "../../../../hw/disk_image.ts";
import { MEMORY_MAP } from "../../../../hw/memory_map.ts";
import { Ram } from "../../../../hw/ram.ts";
import type { KStatus } from "../../../../kernel/api.ts";
import { DEFAULT_KERNEL_COSTS } from "../../../../kernel/proc/costs.ts";
import { spinWait } from "../../../../kernel/proc/spin_wait.ts";
import type { BlockRequest } from "../../../../kernel/api.ts";
import type { AtaDisk, AtaDiskOptions } from "../../../../plugins/drivers/ata_common/disk.ts";
import type { AtaHost, AtaRegs } from "../../../../plugins/drivers/ata_common/host.ts";
import { AtaDmaChannel, AtaDmaDisk } from "../../../../plugins/drivers/ata_dma/driver.ts";
import { AtaIrqDisk } from "../../../../plugins/drivers/ata_irq/driver.ts";
import { AtaPollDisk } from "../../../../plugins/drivers/ata_poll/driver.ts";

/** The three drivers. */
export type AtaKind = "poll" | "irq" | "dma";

/** All of them, for loops. */
export const ATA_KINDS: readonly AtaKind[] = ["poll", "irq", "dma"];

const RAM_BASE = 0x8000_0000;
const DMA_CHANNEL = 0;

/** Raised when requests never complete. */
export class RigHangError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "RigHangError";
  }
}

/** Options of {@link makeRig}. */
export interface RigOptions {
  /** Disk images, one per unit (default: one 8 MiB memory disk). */
  images?: DiskImage[];
  /** Mechanical timing. */
  timing?: DiskTiming;
  /** DMA bandwidth in bytes per second (default: the controller's). */
  dmaBandwidth?: number;
  /** Driver options besides the unit. */
  disk?: Omit<AtaDiskOptions, "unit">;
}

/** Builds a machine with `kind` drivers probed on each disk. */
export function makeRig(kind: AtaKind, options: RigOptions = {}) {
  const clock = new SimClock(100_000_000);
  const ram = new Ram(RAM_BASE, 1 << 20);
  const bus = new Bus(ram);
  const dma = new DmaController(
    bus,
    clock,
    options.dmaBandwidth === undefined ? {} : { bandwidth: options.dmaBandwidth },
  );
  bus.map(MEMORY_MAP.DMA_BASE, MEMORY_MAP.DMA_SIZE, dma);
  const images = options.images ?? [new MemoryDiskImage(8 << 20)];
  const irqs: boolean[] = images.map(() => false);
  const controllers = images.map((image, n) => {
    const drive = new DiskDrive(clock, image.sectors, undefined, options.timing);
    const c = new DiskController(`disk${n}`, clock, drive, image, { serial: `RIG-${n}` });
    const id = DMA_PERIPHERAL.DISK0 + n;
    c.connectDma(id, dma.attach(id, c));
    c.setIrq({ set: (level) => irqs[n] = level });
    bus.map(MEMORY_MAP.DISK_BASE + n * MEMORY_MAP.DISK_STRIDE, MEMORY_MAP.DISK_SIZE, c);
    return c;
  });
  const window = (base: number): AtaRegs => ({
    read8: (off) => bus.read(base + off, 1),
    write8: (off, v) => bus.write(base + off, 1, v),
    read32: (off) => bus.read(base + off, 4) >>> 0,
    write32: (off, v) => bus.write(base + off, 4, v >>> 0),
  });
  /** Kernel CPU cycles charged (driver work plus interrupt handling). */
  const cpu = { cycles: 0 };
  const charge = (c: number) => {
    cpu.cycles += c;
    clock.advanceTo(clock.now + c);
  };
  const log: string[] = [];
  const host: AtaHost = {
    frequency: clock.frequency,
    spendCycles: charge,
    spinWait: (cond, poll, max) => spinWait(clock, charge, cond, poll, max),
    startTimer: (ns, cb) => clock.schedule(Math.ceil((ns * clock.frequency) / 1e9), cb),
    cancelTimer: (id) => clock.cancel(id),
    log: (l) => log.push(l),
  };
  const bounce = 0x1_0000;
  const channel = new AtaDmaChannel(
    window(MEMORY_MAP.DMA_BASE + DMA_REG.CHANNEL_BASE + DMA_CHANNEL * DMA_REG.CHANNEL_STRIDE),
    RAM_BASE + bounce,
    ram.u8.subarray(bounce, bounce + (128 << 10)),
  );
  const disks: AtaDisk[] = controllers.map((_, n) => {
    const regs = window(MEMORY_MAP.DISK_BASE + n * MEMORY_MAP.DISK_STRIDE);
    const opts = { ...options.disk, unit: n };
    if (kind === "poll") return new AtaPollDisk(regs, host, opts);
    if (kind === "irq") return new AtaIrqDisk(regs, host, opts);
    return new AtaDmaDisk(regs, host, channel, opts);
  });
  for (const d of disks) d.probe();
  cpu.cycles = 0;

  const serveInterrupts = (): boolean => {
    let any = false;
    irqs.forEach((level, n) => {
      if (!level) return;
      any = true;
      charge(DEFAULT_KERNEL_COSTS.interrupt);
      disks[n].handleInterrupt();
    });
    return any;
  };

  /** Builds a request whose completion is recorded. */
  const request = (
    op: BlockRequest["op"],
    sector: number,
    count: number,
    data: Uint8Array = new Uint8Array(count * 512),
  ) => {
    const result: { status: KStatus | null } = { status: null };
    let calls = 0;
    const req: BlockRequest = {
      op,
      sector,
      count,
      data,
      complete: (s) => {
        calls++;
        if (calls > 1) throw new Error("complete called twice");
        result.status = s;
      },
    };
    return { req, result };
  };

  /** Submits requests (to disk `unit`) and runs the machine until all completed; their statuses. */
  const run = (reqs: BlockRequest[], unit = 0, limitCycles = 60 * clock.frequency): KStatus[] => {
    const statuses: (KStatus | null)[] = reqs.map(() => null);
    const wrapped = reqs.map((r, i): BlockRequest => ({
      ...r,
      op: r.op,
      complete: (s) => {
        statuses[i] = s;
        r.complete(s);
      },
    }));
    // The block layer sends one request at a time: the next on completion.
    let next = 0;
    const feed = () => {
      while (next < wrapped.length && !disks[unit].busy) {
        const r = wrapped[next++];
        const done = r.complete;
        disks[unit].submit({ ...r, complete: (s) => (done(s), feed()) });
      }
    };
    feed();
    until(() => statuses.every((s) => s !== null), limitCycles);
    return statuses as KStatus[];
  };

  /** Serves interrupts and advances the clock until `done()` (throws RigHangError after `limitCycles`). */
  const until = (done: () => boolean, limitCycles = 60 * clock.frequency): void => {
    const end = clock.now + limitCycles;
    while (!done()) {
      if (serveInterrupts()) continue;
      if (clock.now > end || !clock.advanceToNextEvent()) {
        throw new RigHangError(`requests still pending at cycle ${clock.now}`);
      }
    }
  };

  return { clock, bus, ram, dma, controllers, disks, host, log, cpu, request, run, until, irqs };
}

/** A memory image whose reads of the listed sectors fail (the controller answers UNC), counting flushes. */
export class FlakyImage extends MemoryDiskImage {
  /** Sectors that cannot be read. */
  readonly bad = new Set<number>();
  /** Flushes asked of the image (FLUSH CACHE commands). */
  flushes = 0;

  /** Counts the flush. */
  override flush(): void {
    this.flushes++;
  }

  /** Reads a sector, failing for the bad ones. */
  override readSector(lba: number, dst: Uint8Array, offset: number): void {
    if (this.bad.has(lba)) throw new Error(`sector ${lba} unreadable`);
    super.readSector(lba, dst, offset);
  }
}
