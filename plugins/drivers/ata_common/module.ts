/**
 * The module descriptor the three ATA drivers share: it claims the register
 * window and interrupt line of each disk unit it drives (and, for DMA, a
 * channel's registers), probes each unit with IDENTIFY at `init`, and
 * registers the units that answer with the block layer as `/dev/hda`..
 * `/dev/hdd`. A unit that fails its probe is logged and skipped; a load
 * where none answers is refused. Unloading masks the interrupts and fails
 * whatever was still queued.
 *
 * @module
 */

import { IRQ, MEMORY_MAP } from "../../../hw/memory_map.ts";
import {
  API_VERSION,
  K,
  type KernelApi,
  type MmioClaim,
  type ModuleContext,
  type ModuleDescriptor,
  statusName,
} from "../../../kernel/api.ts";
import { type AtaDisk, type AtaDiskOptions, AtaProbeError } from "./disk.ts";
import type { AtaHost, AtaRegs } from "./host.ts";

/** Options every ATA driver module takes. */
export interface AtaModuleOptions {
  /** Disk units to drive (default [0]); each must have a controller on the machine. */
  units?: readonly number[];
  /** Units whose medium is read-only (the host image was attached `,ro`). */
  readOnlyUnits?: readonly number[];
  /** Timeouts and retries (see {@link AtaDiskOptions}). */
  disk?: Omit<AtaDiskOptions, "unit" | "readOnly">;
  /** Called with the probed disks once the module runs (tests and benchmarks read their counters). */
  onStart?: (disks: readonly AtaDisk[]) => void;
}

/** What distinguishes one ATA driver module from another. */
export interface AtaModuleSpec {
  /** Module name. */
  name: string;
  /** One-line description. */
  description: string;
  /** Register windows and DMA channels claimed besides the disks'. */
  extraMmio?: MmioClaim[];
  /** DMA channels claimed. */
  dma?: number[];
  /** Shared set-up at init (a DMA buffer); its result goes to `makeDisk` and `release`. */
  setUp?(ctx: ModuleContext): unknown;
  /** Builds the driver core of one unit. */
  makeDisk(regs: AtaRegs, host: AtaHost, shared: unknown, options: AtaDiskOptions): AtaDisk;
  /** Releases what `setUp` took. */
  release?(shared: unknown): void;
}

/** Raised when an ATA driver cannot start. */
export class AtaDriverError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AtaDriverError";
  }
}

/** Base address of disk controller `unit`. */
export function diskBase(unit: number): number {
  return MEMORY_MAP.DISK_BASE + unit * MEMORY_MAP.DISK_STRIDE;
}

interface Running {
  disks: AtaDisk[];
  shared: unknown;
}

/** The kernel services of a driver core, from its module context. */
function hostOf(api: KernelApi, ctx: ModuleContext): AtaHost {
  return {
    frequency: api.config.frequency,
    spendCycles: (c) => ctx.spendCycles(c),
    spinWait: (cond, poll, max) => ctx.spinWait(cond, poll, max),
    startTimer: (ns, cb) => ctx.startTimer(ns, cb),
    cancelTimer: (id) => ctx.cancelTimer(id),
    log: (m) => ctx.log(m),
  };
}

/** Builds the descriptor of an ATA driver module. */
export function makeAtaModule(
  spec: AtaModuleSpec,
  options: AtaModuleOptions = {},
): ModuleDescriptor {
  const units = [...new Set(options.units ?? [0])].sort((a, b) => a - b);
  for (const u of units) {
    if (!Number.isInteger(u) || u < 0 || u >= MEMORY_MAP.DISK_MAX) {
      throw new AtaDriverError(`bad disk unit ${u}`);
    }
  }
  const states = new WeakMap<ModuleContext, Running>();
  return {
    name: spec.name,
    version: "1.0.0",
    apiVersion: API_VERSION,
    kind: "driver",
    description: spec.description,
    resources: {
      mmio: [
        ...units.map((u) => ({ base: diskBase(u), size: MEMORY_MAP.DISK_SIZE })),
        ...(spec.extraMmio ?? []),
      ],
      irqs: units.map((u) => IRQ.DISK_BASE_IRQ + u),
      dma: spec.dma ?? [],
    },
    init(api: KernelApi, ctx: ModuleContext): void {
      const host = hostOf(api, ctx);
      const shared = spec.setUp?.(ctx);
      const disks: AtaDisk[] = [];
      states.set(ctx, { disks, shared });
      for (const unit of units) {
        const readOnly = options.readOnlyUnits?.includes(unit) ?? false;
        const disk = spec.makeDisk(ctx.mmio(diskBase(unit)), host, shared, {
          ...options.disk,
          unit,
          readOnly,
        });
        try {
          disk.probe();
        } catch (e) {
          if (!(e instanceof AtaProbeError)) throw e;
          ctx.log(e.message);
          continue;
        }
        ctx.onIrq(IRQ.DISK_BASE_IRQ + unit, () => void disk.handleInterrupt());
        const r = ctx.registerBlockDisk(unit, disk);
        if (r !== K.OK) {
          throw new AtaDriverError(`cannot register disk ${unit}: ${statusName(r)}`);
        }
        disks.push(disk);
      }
      if (disks.length === 0) {
        spec.release?.(shared);
        throw new AtaDriverError("no disk answered IDENTIFY");
      }
      options.onStart?.(disks);
    },
    exit(_api: KernelApi, ctx: ModuleContext): void {
      const s = states.get(ctx);
      if (s === undefined) return;
      for (const d of s.disks) d.shutdown();
      spec.release?.(s.shared);
      states.delete(ctx);
    },
  };
}
