/**
 * The module contract of the plugin interface (re-exported by
 * `kernel/api.ts`, which plugins import): descriptors, resource claims,
 * register windows, the module context with its owner-tagged registrations,
 * file system factories, and the loader as the API exposes it.
 *
 * @module
 */

import type { KStatus } from "./errors.ts";

import type { SchedulerPolicy } from "./proc/scheduler.ts";

import type { FileOps, OpenFile } from "./fs/types.ts";
import type { FileSystem } from "./fs/node.ts";

import type { DmaBuffer } from "./mm/dma_buffers.ts";
import type { BlockDriver } from "./block/types.ts";
import type { KernelApi } from "./api.ts";
import type { Personality } from "./api_personality.ts";

/** Module kinds. */
export type ModuleKind = "personality" | "driver" | "scheduler" | "filesystem";

/** A register window a driver claims. */
export interface MmioClaim {
  /** Physical base address. */
  base: number;
  /** Size in bytes. */
  size: number;
}

/** Device resources a driver claims (Minix 3 style); the kernel refuses two claimants. */
export interface ModuleResources {
  /** Register windows. */
  mmio?: MmioClaim[];
  /** PLIC interrupt sources. */
  irqs?: number[];
  /** DMA channels. */
  dma?: number[];
}

/** Access to a claimed register window; offsets outside it are refused with a {@link ResourceError}. */
export interface MmioWindow {
  /** Physical base. */
  readonly base: number;
  /** Size. */
  readonly size: number;
  /** Reads a byte at `offset`. */
  read8(offset: number): number;
  /** Writes a byte at `offset`. */
  write8(offset: number, value: number): void;
  /** Reads a 16-bit value at `offset`. */
  read16(offset: number): number;
  /** Writes a 16-bit value at `offset`. */
  write16(offset: number, value: number): void;
  /** Reads a 32-bit value at `offset` (unsigned). */
  read32(offset: number): number;
  /** Writes a 32-bit value at `offset`. */
  write32(offset: number, value: number): void;
}

/** Raised when a module touches a resource it did not claim. */
export class ResourceError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ResourceError";
  }
}

/** What a module gets besides the API: its claimed resources and a logger. */
export interface ModuleContext {
  /** The module's name. */
  readonly name: string;
  /** Parameters given at load (`insmod NAME key=value`); empty at boot. */
  readonly params: Readonly<Record<string, string>>;
  /** The window of a claimed MMIO range, found by its base address (throws ResourceError if unclaimed). */
  mmio(base: number): MmioWindow;
  /**
   * Installs the handler of a claimed interrupt source; the kernel enables the
   * source in the PLIC (S context) and calls `handler` after each claim,
   * completing it afterwards. Throws ResourceError if the IRQ was not claimed.
   */
  onIrq(irq: number, handler: () => void): void;
  /** Claimed DMA channels. */
  readonly dmaChannels: readonly number[];
  /** Writes a line to the kernel log. */
  log(message: string): void;
  /**
   * Spends `cycles` of CPU time in the kernel for the module: a driver
   * busy-waiting on a status register, or moving data through a data port.
   * Simulated time advances by that much (device events falling due
   * meanwhile fire, so a polled status does change), and the time counts as
   * system time of the running thread and against its time slice.
   */
  spendCycles(cycles: number): void;
  /**
   * Busy-waits in the kernel: tests `cond` at once and then after every
   * `pollCycles` of CPU time (the cost of one turn of the poll loop), each
   * turn charged as by {@link ModuleContext.spendCycles}, until it holds.
   * Answers the cycles spent, or -1 when `maxCycles` passed without it.
   * Turns in which no device event can change the polled state are charged
   * in one step, so the cost is exact and the host does not iterate them.
   */
  spinWait(cond: () => boolean, pollCycles: number, maxCycles: number): number;
  /**
   * Host work the machine waits for before it runs on (code a module imports
   * on first use): the trap loop awaits it before it runs anything else, so
   * simulated time stands still however long the host takes. A call that
   * needs its result waits on a queue (`api.waitForIo`) that the work wakes.
   */
  runHostWork(work: Promise<void>): void;

  // ---- registrations: each is tagged with this module and dropped when it unloads ----

  /**
   * Registers a character device and creates its node under /dev. Open files
   * reach it through a stable per-device object, so a replacement module that
   * registers the same numbers takes over the files already open.
   * K status (K.EXIST if the number or name is taken by another module).
   */
  registerCharDevice(reg: CharDeviceRegistration, ops: FileOps): KStatus;
  /** Removes one of this module's character devices and its node. K status. */
  unregisterCharDevice(major: number, minor: number): KStatus;
  /** Registers a personality (its binary format becomes known to exec). K.EXIST if taken. */
  registerPersonality(p: Personality): KStatus;
  /** Unregisters this module's personality; K.BUSY while processes use it. */
  unregisterPersonality(name: string): KStatus;
  /** Installs a scheduling policy, moving the ready threads over to it. */
  setScheduler(policy: SchedulerPolicy): void;
  /** Registers a file system type for {@link KernelApi.mount}. K.EXIST if the type is taken. */
  registerFileSystem(type: string, factory: FileSystemFactory): KStatus;
  /** Calls `callback` once after `delayNs` of simulated time; returns a timer id. */
  startTimer(delayNs: number, callback: () => void, daemon?: boolean): number;
  /** Cancels a timer from {@link ModuleContext.startTimer} (harmless if it already fired). */
  cancelTimer(id: number): void;
  /**
   * Registers an action for when the host console's input has ended and every
   * process waits (the console driver feeds ^D to its tty, so a shell reading
   * piped input exits as at end of file).
   */
  onConsoleInputEnd(handler: () => void): void;
  /**
   * Registers an action for the host console's window size: called at once
   * with the size when the host knows one, and again on every change (the
   * console driver sets its tty's winsize, which sends SIGWINCH).
   */
  onConsoleResize(handler: (rows: number, cols: number) => void): void;
  /**
   * A physically contiguous buffer of at least `size` bytes for a DMA
   * channel to address (`paddr`) and the driver to fill or read (`bytes`);
   * null when RAM has no free run that long. It belongs to the module: freed
   * by its `free()` or when the module unloads.
   */
  allocDmaBuffer(size: number): DmaBuffer | null;
  /**
   * Registers `driver` as disk `unit` (0..3: `/dev/hda`..`/dev/hdd`, block
   * devices 3:0, 3:64, 22:0, 22:64). The block layer reads its partition
   * table (partitions appear as `hda1`..`hda4` once the read completes) and
   * sends it one {@link BlockRequest} at a time. K.INVAL for a bad unit or
   * capacity, K.EXIST when the unit is taken. Dropped when the module
   * unloads (its nodes go away and its cached blocks are forgotten).
   */
  registerBlockDisk(unit: number, driver: BlockDriver): KStatus;
  /** Removes one of this module's disks. K.NODEV if it has none at `unit`. */
  unregisterBlockDisk(unit: number): KStatus;
}

/** What a file system factory gets from {@link KernelApi.mount}. */
export interface MountRequest {
  /** The source (a device path such as `/dev/hda1`, or a name such as `none`). */
  source: string;
  /** Mount it read-only. */
  readOnly: boolean;
  /** File-system-specific options (the `data` string of mount(2)). */
  data: string;
  /** Wall-clock time source for file times (ns since the epoch). */
  now: () => bigint;
}

/** Builds a mounted file system instance, or refuses with a status (K.NODEV, K.INVAL, ...). */
export type FileSystemFactory = (request: MountRequest) => FileSystem | KStatus;

/**
 * The descriptor a plugin module exports as `module`. `init` may register
 * things (a personality, a scheduler, devices); a throwing `init` is undone
 * (resources released, registrations dropped) and the load refused.
 */
export interface ModuleDescriptor {
  /** Unique module name. */
  readonly name: string;
  /** Module version (semver text). */
  readonly version: string;
  /** {@link API_VERSION} the module was written for. */
  readonly apiVersion: number;
  /** Kind of module. */
  readonly kind: ModuleKind;
  /** One-line description. */
  readonly description?: string;
  /** Names of modules that must be loaded first (they gain a reference). */
  readonly dependsOn?: readonly string[];
  /** Device resources (drivers). */
  readonly resources?: ModuleResources;
  /**
   * Starts the module. When the module replaces another one
   * ({@link ModuleManager.replace}), `state` is what the old module's
   * `suspend` returned; otherwise it is undefined.
   */
  init(api: KernelApi, ctx: ModuleContext, state?: unknown): void | Promise<void>;
  /**
   * Stops the module. What it registered through `ctx` is dropped by the
   * kernel afterwards; `exit` releases what the kernel cannot see (device
   * state, interrupts enabled in the device).
   */
  exit(api: KernelApi, ctx: ModuleContext): void | Promise<void>;
  /**
   * Quiesces the module for a replacement (optional): finish or stop I/O in
   * flight, leave the device idle, and return the state the successor needs
   * (queued data, per-open-file state, counters). `exit` is not called on a
   * module that was suspended. A module without `suspend` can still be
   * replaced; its successor then starts from scratch.
   */
  suspend?(api: KernelApi, ctx: ModuleContext): unknown | Promise<unknown>;
}

/** Public state of a loaded module. */
export interface ModuleInfo {
  /** Name. */
  name: string;
  /** Version. */
  version: string;
  /** Kind. */
  kind: ModuleKind;
  /** Where it was loaded from (URL or "builtin"). */
  source: string;
  /** The descriptor's one-line description ("" without one). */
  description: string;
  /** Times the module was restarted after a host exception in its code. */
  restarts: number;
  /** Modules it depends on. */
  dependsOn: string[];
  /** Parameters given at load. */
  params: Record<string, string>;
  /** References: dependants plus users (processes of a personality, ...). */
  refs: number;
  /** Claimed resources. */
  resources: ModuleResources;
}

/** The module loader as the API exposes it (the monitor and `lsmod` use it). */
export interface ModuleManager {
  /**
   * Loads a plugin file (path or URL) and initialises its `module`
   * descriptor; `params` reach it as `ctx.params`.
   */
  load(specifier: string, params?: Record<string, string>): Promise<ModuleInfo>;
  /** Loads an already imported descriptor (built-in modules, tests). */
  loadDescriptor(
    descriptor: ModuleDescriptor,
    source?: string,
    params?: Record<string, string>,
  ): Promise<ModuleInfo>;
  /** Imports a plugin file and returns its validated descriptor without loading it. */
  inspect(specifier: string): Promise<ModuleDescriptor>;
  /** Unloads a module; refuses a busy one (ModuleBusyError) unless `force`. */
  unload(name: string, force?: boolean): Promise<void>;
  /**
   * Replaces module `name` by the module at `specifier` (a path relative to
   * the project root, or a URL; a file imported before is imported afresh)
   * or by a descriptor: the old module is suspended, its resource claims,
   * devices and references pass to the new one, and the new one's `init`
   * gets the old one's state. If the new module's `init` throws, the old one
   * is started again with its own state and the error is raised.
   */
  replace(name: string, specifier: string | ModuleDescriptor): Promise<ModuleInfo>;
  /** Lists loaded modules in load order. */
  list(): ModuleInfo[];
  /** The module of that name, if loaded. */
  get(name: string): ModuleInfo | undefined;
  /** Adds a user reference (e.g. a process bound to a personality). */
  ref(name: string): void;
  /** Drops a user reference. */
  unref(name: string): void;
}

/** Character device operations registered by drivers (re-exported FileOps shape). */
export interface CharDeviceRegistration {
  /** Device file name under /dev (e.g. "console", "ttyS0"). */
  name: string;
  /** Major number. */
  major: number;
  /** Minor number. */
  minor: number;
  /** Permission bits of the node. */
  mode?: number;
  /**
   * Called on each open of the device; a negative status refuses the open
   * (K.BUSY for a unit in use, K.ROFS for writing a write-protected medium).
   */
  open?(file: OpenFile): KStatus;
}
