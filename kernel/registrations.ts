/**
 * What modules register, by owner: personalities, character devices, block
 * disks, the scheduling policy, file system types, timers, end-of-input
 * actions and DMA buffers.
 *
 * - {@link Registrations.registrar}: the registration calls a module's
 *   context carries, bound to the module's name;
 * - {@link Registrations.drop}: removes everything one module registered
 *   (after a failed init or an unload), timers included;
 * - {@link Registrations.hold} / {@link Registrations.settle}: the two halves
 *   of a replacement: the old module's devices are held (open files stay,
 *   callers wait) until the successor registers them again.
 *
 * @module
 */

import type {
  CharDeviceRegistration,
  FileSystemFactory,
  MountRequest,
  Personality,
} from "./api.ts";
import type { FileSystem } from "./fs/node.ts";
import type { Vfs } from "./fs/vfs.ts";
import { isDir } from "./fs/path_lookup.ts";
import { K, type KStatus } from "./errors.ts";
import type { FileOps } from "./fs/types.ts";
import {
  CharDeviceError,
  type CharDeviceRegistry,
  majorOf,
  makeDev,
  minorOf,
} from "./io/char_device.ts";
import type { Registrar } from "./modules/loader.ts";
import type { DmaBufferPool } from "./mm/dma_buffers.ts";
import { OwnedList } from "./modules/registry.ts";
import { type Process, TaskState } from "./proc/process.ts";
import type { ProcessTable } from "./proc/process_table.ts";
import type { SchedulerPolicy } from "./proc/scheduler.ts";
import type { Timekeeping } from "./proc/timekeeping.ts";
import type { BlockLayer } from "./block/block_layer.ts";

/** A registered file system type. */
export interface FileSystemType {
  /** The type name given to mount (e.g. "ext2"). */
  readonly type: string;
  /** Builds an instance. */
  readonly factory: FileSystemFactory;
}

/** What the registrations need from the kernel. */
export interface RegistrationDeps {
  /** Character devices. */
  readonly charDevices: CharDeviceRegistry;
  /** Processes (a personality in use cannot go). */
  readonly table: ProcessTable;
  /** The policy installed when a scheduler module goes away. */
  readonly fallbackPolicy: SchedulerPolicy;
  /** Timers. */
  readonly time: Timekeeping;
  /** Takes (true) or drops (false) a user reference on a module. */
  moduleRef(owner: string, take: boolean): void;
  /** DMA buffers handed to drivers. */
  readonly dmaBuffers: DmaBufferPool;
  /** The host console's window size, when the host knows one. */
  consoleSize(): { rows: number; cols: number } | null;
  /** Disks. */
  readonly block: BlockLayer;
}

/** The kernel's owner-tagged registries. */
export class Registrations {
  /** Personalities, in registration order (exec tries them in this order). */
  readonly personalities: OwnedList<Personality> = new OwnedList();
  /** File system types. */
  readonly fileSystems: OwnedList<FileSystemType> = new OwnedList();
  /** End-of-console-input actions. */
  readonly eofHandlers: OwnedList<() => void> = new OwnedList();
  /** Console window-size actions. */
  readonly resizeHandlers: OwnedList<(rows: number, cols: number) => void> = new OwnedList();
  readonly #devices: OwnedList<number> = new OwnedList();
  #schedulerOwner: string | null = null;
  readonly #mountOwners = new Map<FileSystem, string>();
  readonly #d: RegistrationDeps;

  /** Creates the registries. */
  constructor(deps: RegistrationDeps) {
    this.#d = deps;
    // An open file of a device is a use of the module serving it (rmmod answers EBUSY).
    deps.charDevices.onUse = (major, minor, opened) => {
      const owner = this.#devices.ownerOf(makeDev(major, minor));
      if (owner !== null && owner !== undefined) deps.moduleRef(owner, opened);
    };
  }

  /** The registration calls of module `owner`. */
  registrar(owner: string): Registrar {
    return {
      registerCharDevice: (reg, ops) => this.registerCharDevice(reg, ops, owner),
      unregisterCharDevice: (major, minor) => this.unregisterCharDevice(major, minor, owner),
      registerPersonality: (p) => this.registerPersonality(p, owner),
      unregisterPersonality: (name) => this.unregisterPersonality(name, owner),
      setScheduler: (policy) => this.setScheduler(policy, owner),
      registerFileSystem: (type, factory) => this.registerFileSystem(type, factory, owner),
      startTimer: (delayNs, cb, daemon) => this.#d.time.startTimer(delayNs, cb, owner, daemon),
      cancelTimer: (id) => this.#d.time.cancelTimer(id),
      onConsoleInputEnd: (handler) => this.eofHandlers.add(handler, owner),
      onConsoleResize: (handler) => {
        this.resizeHandlers.add(handler, owner);
        const size = this.#d.consoleSize();
        if (size !== null) handler(size.rows, size.cols);
      },
      allocDmaBuffer: (size) => this.#d.dmaBuffers.alloc(size, owner),
      registerBlockDisk: (unit, driver) => this.#d.block.registerDisk(unit, driver, owner),
      unregisterBlockDisk: (unit) => this.#d.block.unregisterDisk(unit, owner),
    };
  }

  /** Tells the console-resize actions the host console's current size. */
  consoleResized(): void {
    const size = this.#d.consoleSize();
    if (size === null) return;
    for (const h of this.resizeHandlers.values()) h(size.rows, size.cols);
  }

  /** Registers a character device for `owner` (null: the kernel). */
  registerCharDevice(reg: CharDeviceRegistration, ops: FileOps, owner: string | null): KStatus {
    const rdev = makeDev(reg.major, reg.minor);
    const holder = this.#devices.ownerOf(rdev);
    if (this.#d.charDevices.isHeld(reg.major, reg.minor) && holder !== null && holder !== owner) {
      // A successor takes over a held device: it changes hands.
      this.#devices.remove((d) => d === rdev);
    }
    try {
      this.#d.charDevices.register({ ...reg, fileOps: ops });
    } catch (e) {
      if (e instanceof CharDeviceError) return K.EXIST;
      throw e;
    }
    if (this.#devices.find((d) => d === rdev) === undefined) this.#devices.add(rdev, owner);
    return K.OK;
  }

  /** Removes a character device; a module may remove only its own. */
  unregisterCharDevice(major: number, minor: number, owner: string | null): KStatus {
    const rdev = makeDev(major, minor);
    if (owner !== null && this.#devices.ownerOf(rdev) !== owner) return K.NODEV;
    if (!this.#d.charDevices.unregister(major, minor)) return K.NODEV;
    this.#devices.remove((d) => d === rdev);
    return K.OK;
  }

  /** Registers a personality; K.EXIST when the name is taken. */
  registerPersonality(p: Personality, owner: string | null): KStatus {
    if (this.personalities.find((q) => q.name === p.name) !== undefined) return K.EXIST;
    this.personalities.add(p, owner);
    return K.OK;
  }

  /** Unregisters a personality; K.BUSY while a live process runs under it. */
  unregisterPersonality(name: string, owner: string | null): KStatus {
    const pers = this.personalities.find((q) => q.name === name);
    if (pers === undefined) return K.NOENT;
    if (owner !== null && this.personalities.ownerOf(pers) !== owner) return K.PERM;
    if (this.#inUse(pers)) return K.BUSY;
    this.personalities.remove((q) => q === pers);
    return K.OK;
  }

  #inUse(pers: Personality): boolean {
    for (const p of this.#d.table.byPid.values()) {
      if ((p as Process).personality === pers && p.state !== TaskState.ZOMBIE) return true;
    }
    return false;
  }

  /** Installs a scheduling policy; the owning module is referenced while it is installed. */
  setScheduler(policy: SchedulerPolicy, owner: string | null): void {
    const prev = this.#schedulerOwner;
    this.#d.table.setPolicy(policy);
    this.#schedulerOwner = owner;
    if (prev !== null && prev !== owner) this.#d.moduleRef(prev, false);
    if (owner !== null) this.#d.moduleRef(owner, true);
  }

  /** Registers a file system type; K.EXIST when taken, K.INVAL for a bad name. */
  registerFileSystem(type: string, factory: FileSystemFactory, owner: string | null): KStatus {
    if (!/^[a-z0-9_]+$/.test(type)) return K.INVAL;
    if (this.fileSystems.find((f) => f.type === type) !== undefined) return K.EXIST;
    this.fileSystems.add({ type, factory }, owner);
    return K.OK;
  }

  /**
   * Mounts a file system of a registered type on `target`; the module that
   * registered the type is referenced until the unmount.
   */
  mount(vfs: Vfs, request: MountRequest, target: string, type: string): KStatus {
    const t = this.fileSystems.find((f) => f.type === type);
    if (t === undefined) return K.NODEV;
    // The target is checked first: a file system that mounted its device
    // and then found nowhere to go would have to write back and close again.
    const loc = vfs.lookup(null, target, true);
    if (typeof loc === "number") return loc;
    if (!isDir(loc.inode)) return K.NOTDIR;
    const fs = t.factory(request);
    if (typeof fs === "number") return fs;
    const r = vfs.mount(target, fs);
    if (r !== K.OK) {
      fs.unmount?.();
      return r;
    }
    const owner = this.fileSystems.ownerOf(t);
    if (owner !== null) {
      this.#d.moduleRef(owner, true);
      this.#mountOwners.set(fs, owner);
    }
    return K.OK;
  }

  /**
   * Builds a file system of a registered type without mounting it (the
   * first half of the boot's root on disk). K.NODEV for an unknown type,
   * else the factory's answer (K.RESTART while it waits for the disk).
   */
  buildFileSystem(request: MountRequest, type: string): FileSystem | KStatus {
    const t = this.fileSystems.find((f) => f.type === type);
    return t === undefined ? K.NODEV : t.factory(request);
  }

  /**
   * Makes `fs` (from {@link Registrations.buildFileSystem} with `type`) the
   * root (see `Vfs.replaceRoot`); once it is, its module is referenced.
   * K.RESTART leaves everything as it was.
   */
  mountRoot(vfs: Vfs, fs: FileSystem, type: string): KStatus {
    const r = vfs.replaceRoot(fs);
    if (r !== K.OK) return r;
    const t = this.fileSystems.find((f) => f.type === type);
    const owner = t === undefined ? null : this.fileSystems.ownerOf(t);
    if (owner !== null) {
      this.#d.moduleRef(owner, true);
      this.#mountOwners.set(fs, owner);
    }
    return K.OK;
  }

  /** Unmounts the file system on `target`, dropping its module's reference. */
  umount(vfs: Vfs, target: string): KStatus {
    const loc = vfs.lookup(null, target, true);
    if (typeof loc === "number") return loc;
    const fs = loc.mount.fs;
    const r = vfs.umount(target);
    if (r !== K.OK) return r;
    const owner = this.#mountOwners.get(fs);
    if (owner !== undefined) {
      this.#mountOwners.delete(fs);
      this.#d.moduleRef(owner, false);
    }
    return K.OK;
  }

  /** Drops everything `owner` registered. */
  drop(owner: string): void {
    for (const { value: rdev } of this.#devices.dropOwner(owner)) {
      this.#d.charDevices.unregister(majorOf(rdev), minorOf(rdev));
    }
    this.#d.dmaBuffers.dropOwner(owner);
    this.#d.block.dropOwner(owner);
    this.#dropRest(owner);
  }

  /** For a replacement: `owner`'s devices are held; everything else it registered is dropped. */
  hold(owner: string): void {
    for (const rdev of this.#devices.values()) {
      if (this.#devices.ownerOf(rdev) === owner) {
        this.#d.charDevices.hold(majorOf(rdev), minorOf(rdev));
      }
    }
    this.#d.block.hold(owner);
    this.#dropRest(owner, true);
  }

  /**
   * Ends a replacement of `from` by `to`: devices still held (not taken
   * over) are removed, and a scheduling policy still owned by `from` gives
   * way to the fallback.
   */
  settle(from: string, _to: string): void {
    for (const rdev of this.#devices.values()) {
      const major = majorOf(rdev), minor = minorOf(rdev);
      if (this.#devices.ownerOf(rdev) === from && this.#d.charDevices.isHeld(major, minor)) {
        this.#d.charDevices.unregister(major, minor);
        this.#devices.remove((d) => d === rdev);
      }
    }
    this.#d.block.settle(from);
    if (this.#schedulerOwner === from && from !== _to) this.#fallBack();
  }

  #dropRest(owner: string, keepScheduler = false): void {
    this.personalities.dropOwner(owner);
    this.fileSystems.dropOwner(owner);
    this.eofHandlers.dropOwner(owner);
    this.resizeHandlers.dropOwner(owner);
    this.#d.time.dropOwner(owner);
    if (this.#schedulerOwner === owner && !keepScheduler) this.#fallBack();
  }

  #fallBack(): void {
    this.#schedulerOwner = null;
    this.#d.table.setPolicy(this.#d.fallbackPolicy);
  }
}
