/**
 * Storage assembly: maps the DMA controller, the disk controllers and the
 * tape controller at their addresses of {@link MEMORY_MAP}, wires their
 * interrupt lines to the PLIC sources of {@link IRQ}, and connects the disks
 * and the tape to the DMA controller as peripherals (disk n = DMA peripheral
 * `DMA_PERIPHERAL.DISK0 + n`, tape = `DMA_PERIPHERAL.TAPE`).
 *
 * @module
 */

import type { Bus } from "./bus.ts";
import type { SimClock } from "./clock.ts";
import type { IrqLine } from "./irq.ts";
import { IRQ, MEMORY_MAP } from "./memory_map.ts";
import { DMA_PERIPHERAL, type DmaConfig, DmaController } from "./dma.ts";
import { DiskDrive, type DiskGeometry, type DiskTiming } from "./disk_drive.ts";
import { type DiskImage, FileDiskImage, MemoryDiskImage } from "./disk_image.ts";
import { DiskController } from "./disk_controller.ts";
import {
  FileTapeBacking,
  MemoryTapeBacking,
  type TapeBacking,
  TapeDrive,
  type TapeDriveConfig,
} from "./tape_drive.ts";
import { TapeController, type TapeControllerOptions } from "./tape_controller.ts";

/** Anything that hands out interrupt lines by PLIC source number (the PLIC does). */
export interface IrqLineSource {
  /** The line of interrupt source `source`. */
  irqLine(source: number): IrqLine;
}

/** One disk. */
export interface DiskSpec {
  /** Host image path (created sparse at `sizeBytes` when missing). */
  path?: string;
  /** Size for a new file image or a memory disk (default 16 MiB). */
  sizeBytes?: number;
  /** Refuse writes (ATA ABRT). */
  readOnly?: boolean;
  /** A ready-made image (overrides `path` and `sizeBytes`). */
  image?: DiskImage;
  /** Geometry (default: 16 heads, 63 sectors per track). */
  geometry?: DiskGeometry;
  /** Mechanical timing. */
  timing?: DiskTiming;
  /** IDENTIFY model string. */
  model?: string;
  /** IDENTIFY serial string (default "STRATA-DISK-n"). */
  serial?: string;
}

/** The tape drive. */
export interface TapeSpec {
  /** Host `.tap` path (a missing file is a blank tape). */
  path?: string;
  /** Write-protect the medium. */
  readOnly?: boolean;
  /** A ready-made backing (overrides `path`). */
  backing?: TapeBacking;
  /** Medium and timing. */
  drive?: TapeDriveConfig;
  /** Controller options. */
  controller?: TapeControllerOptions;
}

/** What {@link attachStorage} builds. */
export interface StorageConfig {
  /** DMA controller options. */
  dma?: DmaConfig;
  /** Disks, at most `MEMORY_MAP.DISK_MAX` (default: none). */
  disks?: DiskSpec[];
  /** The tape; `null` for none (default: a blank tape in memory). */
  tape?: TapeSpec | null;
}

/** Raised for a storage configuration the machine cannot hold. */
export class StorageConfigError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "StorageConfigError";
  }
}

/** The attached storage devices. */
export interface AttachedStorage {
  /** The DMA controller. */
  readonly dma: DmaController;
  /** Disk controllers, by index. */
  readonly disks: readonly DiskController[];
  /** The tape controller, if any. */
  readonly tape: TapeController | null;
  /** Clean shutdown: writes disk caches and the tape to their files, closes them. */
  close(): void;
}

/** Builds and maps the DMA controller, the disks and the tape on `bus`. */
export function attachStorage(
  bus: Bus,
  plic: IrqLineSource,
  clock: SimClock,
  config: StorageConfig = {},
): AttachedStorage {
  const specs = config.disks ?? [];
  if (specs.length > MEMORY_MAP.DISK_MAX) {
    throw new StorageConfigError(`at most ${MEMORY_MAP.DISK_MAX} disks, got ${specs.length}`);
  }
  const dma = new DmaController(bus, clock, config.dma);
  for (let i = 0; i < dma.channelCount && i < 4; i++) {
    dma.setIrq(i, plic.irqLine(IRQ.DMA_BASE_IRQ + i));
  }
  bus.map(MEMORY_MAP.DMA_BASE, MEMORY_MAP.DMA_SIZE, dma);

  const disks: DiskController[] = [];
  const opened: DiskImage[] = [];
  try {
    specs.forEach((spec, n) => {
      let image = spec.image;
      if (image === undefined) {
        image = spec.path !== undefined
          ? FileDiskImage.open(spec.path, {
            sizeBytes: spec.sizeBytes ?? 16 << 20,
            readOnly: spec.readOnly,
          })
          : new MemoryDiskImage(spec.sizeBytes ?? 16 << 20, spec.readOnly ?? false);
        opened.push(image);
      }
      const drive = new DiskDrive(clock, image.sectors, spec.geometry, spec.timing);
      const disk = new DiskController(`disk${n}`, clock, drive, image, {
        model: spec.model,
        serial: spec.serial ?? `STRATA-DISK-${n}`,
      });
      const id = DMA_PERIPHERAL.DISK0 + n;
      disk.connectDma(id, dma.attach(id, disk));
      disk.setIrq(plic.irqLine(IRQ.DISK_BASE_IRQ + n));
      bus.map(MEMORY_MAP.DISK_BASE + n * MEMORY_MAP.DISK_STRIDE, MEMORY_MAP.DISK_SIZE, disk);
      disks.push(disk);
    });
  } catch (e) {
    for (const img of opened) img.close();
    throw e;
  }

  let tape: TapeController | null = null;
  if (config.tape !== null) {
    const spec = config.tape ?? {};
    const backing = spec.backing ??
      (spec.path !== undefined
        ? new FileTapeBacking(spec.path, spec.readOnly ?? false)
        : new MemoryTapeBacking(new Uint8Array(0), spec.readOnly ?? false));
    const drive = new TapeDrive(clock, backing, spec.drive);
    tape = new TapeController(clock, drive, spec.controller);
    tape.connectDma(DMA_PERIPHERAL.TAPE, dma.attach(DMA_PERIPHERAL.TAPE, tape));
    tape.setIrq(plic.irqLine(IRQ.TAPE));
    bus.map(MEMORY_MAP.TAPE_BASE, MEMORY_MAP.TAPE_SIZE, tape);
  }

  return {
    dma,
    disks,
    tape,
    close() {
      const errors: unknown[] = [];
      for (const d of disks) {
        try {
          d.close();
        } catch (e) {
          errors.push(e);
        }
      }
      try {
        tape?.close();
      } catch (e) {
        errors.push(e);
      }
      if (errors.length > 0) throw errors[0];
    },
  };
}
