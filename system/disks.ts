/**
 * Disks at boot: the `disks`, `diskSize`, `ataDriver`, `blockCacheSize`
 * and `blockElevator` boot options (the CLI's `--disk PATH[,ro]`,
 * `--disk-size SIZE`, `--driver ata=dma|irq|poll`, `--block-cache SIZE`,
 * `--elevator NAME`).
 *
 * - {@link diskSpecs}: the host images as the machine's disk drives (a
 *   missing image is an error naming it, unless a size is given: then it is
 *   created sparse);
 * - {@link ataModule}: the chosen ATA driver module for the attached units
 *   (`ata_dma` by default), loaded after the boot modules; its files are
 *   imported only then, so a machine without disks never loads them;
 *
 * @module
 */

import type { DiskSpec, StorageConfig, TapeSpec } from "../hw/storage.ts";
import { K, statusName } from "../kernel/errors.ts";
import type { Kernel } from "../kernel/kernel.ts";
import type { ModuleDescriptor } from "../kernel/api.ts";

/** One host image to attach. */
export interface DiskOption {
  /** Host path of the raw image. */
  path: string;
  /** Attach it read-only (writes fail; it can be mounted only read-only). */
  readOnly?: boolean;
}

/** The ATA drivers: PIO with busy-waiting, PIO with an interrupt per sector, DMA. */
export type AtaDriverName = "dma" | "irq" | "poll";

/** The ATA driver names. */
export const ATA_DRIVERS: readonly AtaDriverName[] = ["dma", "irq", "poll"];

/** At most this many disks (hda..hdd). */
export const MAX_BOOT_DISKS = 4;

/** Raised for a disk option the machine cannot use; the message names the file. */
export class DiskOptionError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DiskOptionError";
  }
}

/**
 * The drives for `disks`: existing images keep their size; a missing one
 * is created sparse with `sizeBytes` when given, else refused.
 */
export function diskSpecs(disks: readonly DiskOption[], sizeBytes?: number): DiskSpec[] {
  if (disks.length > MAX_BOOT_DISKS) {
    throw new DiskOptionError(`at most ${MAX_BOOT_DISKS} disks, got ${disks.length}`);
  }
  if (sizeBytes !== undefined && (!Number.isInteger(sizeBytes) || sizeBytes < 512 * 64)) {
    throw new DiskOptionError(`disk size must be at least 32K, got ${sizeBytes}`);
  }
  if (sizeBytes !== undefined && sizeBytes % 512 !== 0) {
    throw new DiskOptionError(`disk size must be a multiple of 512, got ${sizeBytes}`);
  }
  return disks.map((d, n) => {
    let info: Deno.FileInfo | null = null;
    try {
      info = Deno.statSync(d.path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) {
        throw new DiskOptionError(`disk image ${d.path}: ${(e as Error).message}`, { cause: e });
      }
    }
    if (info === null) {
      if (sizeBytes === undefined) {
        throw new DiskOptionError(
          `disk image ${d.path} does not exist (give --disk-size SIZE, or diskSize, to create it)`,
        );
      }
      if (d.readOnly) throw new DiskOptionError(`disk image ${d.path} does not exist (and ,ro)`);
      return { path: d.path, sizeBytes, serial: `STRATA-DISK-${n}` };
    }
    if (!info.isFile) throw new DiskOptionError(`disk image ${d.path} is not a regular file`);
    if (info.size < 512) throw new DiskOptionError(`disk image ${d.path} is smaller than a sector`);
    return { path: d.path, readOnly: d.readOnly ?? false, serial: `STRATA-DISK-${n}` };
  });
}

/** Each ATA driver's folder under `plugins/drivers/` and the factory its `mod.ts` exports. */
const ATA_FACTORIES: Readonly<Record<AtaDriverName, [string, string]>> = {
  poll: ["ata_poll", "makeAtaPollModule"],
  irq: ["ata_irq", "makeAtaIrqModule"],
  dma: ["ata_dma", "makeAtaDmaModule"],
};

/**
 * The ATA driver module `name` for units 0..count-1 (the read-only ones
 * flagged). The driver's files are imported here, on first use, from a
 * computed URL (Deno reads the files of a literal `import()` when it starts
 * the process): a boot without disks neither loads nor reads them.
 */
export async function ataModule(
  name: AtaDriverName,
  disks: readonly DiskOption[],
): Promise<ModuleDescriptor> {
  if (!Object.hasOwn(ATA_FACTORIES, name)) {
    throw new DiskOptionError(`unknown ATA driver '${name}' (dma, irq or poll)`);
  }
  const [dir, factory] = ATA_FACTORIES[name];
  const units = disks.map((_, i) => i);
  const readOnlyUnits = units.filter((i) => disks[i].readOnly === true);
  const url = new URL(`../plugins/drivers/${dir}/mod.ts`, import.meta.url).href;
  const ns: Record<string, unknown> = await import(url);
  const make = ns[factory] as (o: { units: number[]; readOnlyUnits: number[] }) => ModuleDescriptor;
  return make({ units, readOnlyUnits });
}

/** Parses a size: bytes as a number, or text such as `64M`, `512K`, `1G`. */
export function parseByteSize(size: number | string, what: string): number {
  if (typeof size === "number") return size;
  const m = /^\s*(\d+)\s*([KMGT]?)i?B?\s*$/i.exec(size);
  if (m === null) throw new DiskOptionError(`bad ${what} '${size}' (use e.g. 64M or 1G)`);
  const unit = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[m[2].toUpperCase()];
  return Number(m[1]) * (unit ?? 1);
}

/** What {@link storageConfig} and {@link attachDisks} read of the boot options. */
export interface DiskBootOptions {
  /** The tape (see BootOptions.tape). */
  tape?: TapeSpec | null;
  /** Disk images. */
  disks?: DiskOption[];
  /** Size for missing images. */
  diskSize?: number | string;
  /** The ATA driver. */
  ataDriver?: AtaDriverName;
  /** Root device. */
  root?: string;
  /** Mount the root read-only. */
  rootReadOnly?: boolean;
}

/** The machine's storage for the boot options (undefined: the machine's default). */
export function storageConfig(options: DiskBootOptions): StorageConfig | undefined {
  if (options.tape === undefined && options.disks === undefined) return undefined;
  const out: StorageConfig = {};
  if (options.tape !== undefined) out.tape = options.tape;
  if (options.disks !== undefined) {
    const size = options.diskSize === undefined
      ? undefined
      : parseByteSize(options.diskSize, "disk size");
    out.disks = diskSpecs(options.disks, size);
  }
  return out;
}

/** The file type the root option mounts. */
export const ROOT_FS_TYPE = "ext2";
/** The module that provides it. */
export const ROOT_FS_MODULE = "plugins/filesystems/ext2/mod.ts";

/**
 * After the boot modules: loads the ATA driver for the attached disks and
 * waits (in simulated time) until they are probed and their partition
 * tables read; with a root device, mounts it as the root file system.
 * Returns init's path on that root, or null without one.
 */
export async function attachDisks(
  kernel: Kernel,
  options: DiskBootOptions,
): Promise<string | null> {
  const disks = options.disks ?? [];
  if (disks.length > 0) {
    const name = options.ataDriver ?? "dma";
    if (!ATA_DRIVERS.includes(name)) {
      throw new DiskOptionError(`unknown ATA driver '${name}' (dma, irq or poll)`);
    }
    await kernel.modules.loadDescriptor(
      await ataModule(name, disks),
      `plugins/drivers/ata_${name}/mod.ts`,
    );
    const layer = kernel.blockLayer;
    const ready = () =>
      layer.disks.filter((d) => d !== null).length >= disks.length && layer.scanned;
    if (kernel.settleIo(() => ready() ? K.OK : K.AGAIN, 30) !== K.OK) {
      kernel.log("disks: not every disk answered its probe");
    }
  }
  if (options.root === undefined) return null;
  return await mountRoot(kernel, options.root, options.rootReadOnly ?? false);
}

async function mountRoot(kernel: Kernel, source: string, readOnly: boolean): Promise<string> {
  if (!/^\/dev\/hd[a-d][1-4]?$/.test(source)) {
    throw new DiskOptionError(
      `root device must be /dev/hda../dev/hdd or a partition, got '${source}'`,
    );
  }
  const part = kernel.blockLayer.byName(source.slice(5));
  if (part === null) throw new DiskOptionError(`root device ${source} does not exist`);
  const ro = readOnly || part.disk.readOnly;
  if (kernel.modules.get(ROOT_FS_TYPE) === undefined) await kernel.modules.load(ROOT_FS_MODULE);
  const r = kernel.settleIo(() => kernel.mountRoot(source, ROOT_FS_TYPE, ro), 60);
  if (r !== K.OK) {
    throw new DiskOptionError(
      `cannot mount ${source} as the ${ROOT_FS_TYPE} root: ${statusName(r)}`,
    );
  }
  for (const init of ["/sbin/init", "/bin/init"]) {
    // Looking it up may read directory blocks: wait for them as the mount did.
    const found = kernel.settleIo(() => {
      const loc = kernel.vfs.lookup(null, init, true);
      return typeof loc === "number" ? loc : K.OK;
    });
    if (found === K.OK) return init;
  }
  throw new DiskOptionError(`root ${source} has no /sbin/init or /bin/init`);
}
