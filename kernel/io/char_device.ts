/**
 * The device registry: character devices, and the block device nodes the
 * block layer adds (`block: true`; block and character numbers are separate
 * spaces, as in Linux), by major/minor number and by name. devfs lists it
 * as `/dev`, and the VFS opens S_IFCHR and S_IFBLK inodes of any file system
 * through it.
 *
 * Each device number has a {@link DeviceSlot}: the registered device's
 * `fileOps` is the slot, which forwards to the driver's operations. A driver
 * being replaced is {@link CharDeviceRegistry.hold | held} (its node stays,
 * callers wait) until its successor registers the same number, so open
 * files carry over to the new driver.
 *
 * @module
 */

import type { KStatus } from "../errors.ts";
import type { FileOps, OpenFile } from "../fs/types.ts";
import { DeviceSlot } from "./device_slot.ts";

/** Builds a device number (Linux's old 8:8 encoding, `major << 8 | minor`). */
export function makeDev(major: number, minor: number): number {
  return ((major & 0xfff) << 8) | (minor & 0xff);
}

/** Major number of a device number. */
export function majorOf(rdev: number): number {
  return (rdev >>> 8) & 0xfff;
}

/** Minor number of a device number. */
export function minorOf(rdev: number): number {
  return rdev & 0xff;
}

/** Keeps block numbers apart from character numbers in the registry's maps. */
const BLOCK_KEY = 0x1000_0000;

function keyOf(major: number, minor: number, block: boolean | undefined): number {
  return makeDev(major, minor) + (block ? BLOCK_KEY : 0);
}

/** A registered character device. */
export interface CharDevice {
  /** Name under /dev (may contain no slash). */
  readonly name: string;
  /** Major number. */
  readonly major: number;
  /** Minor number. */
  readonly minor: number;
  /** Permission bits of its /dev node (default 0o666). */
  readonly mode?: number;
  /** A block device node (S_IFBLK) rather than a character device. */
  readonly block?: boolean;
  /** Operations for an open description. */
  readonly fileOps: FileOps;
  /** Called on open; a negative status refuses it (e.g. K.NXIO for an absent unit). */
  open?(file: OpenFile): KStatus;
}

/** Raised on a conflicting or malformed registration (a host programming error). */
export class CharDeviceError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CharDeviceError";
  }
}

/** Well-known major numbers (Linux's). */
export const CharMajor = { MEM: 1, TTY: 4, TTYAUX: 5 } as const;

/** Character devices by number and name. */
export class CharDeviceRegistry {
  readonly #byDev = new Map<number, CharDevice>();
  readonly #byName = new Map<string, CharDevice>();
  readonly #slots = new Map<number, DeviceSlot>();
  readonly #held = new Set<number>();
  #generation = 0;
  /**
   * Told when a file of device `major:minor` is opened (true) or released
   * (false): the kernel counts them as uses of the driver's module.
   */
  onUse: ((major: number, minor: number, opened: boolean) => void) | null = null;

  /**
   * Registers `dev`; throws {@link CharDeviceError} if the number or name is
   * taken (a held number is free for its successor). The stored device's
   * `fileOps` is the number's stable {@link DeviceSlot}.
   */
  register(dev: CharDevice): void {
    const rdev = keyOf(dev.major, dev.minor, dev.block);
    if (dev.name.length === 0 || dev.name.includes("/") || dev.name === "." || dev.name === "..") {
      throw new CharDeviceError(`bad device name "${dev.name}"`);
    }
    const held = this.#held.has(rdev);
    if (this.#byDev.has(rdev) && !held) {
      throw new CharDeviceError(`device ${dev.major}:${dev.minor} is already registered`);
    }
    const named = this.#byName.get(dev.name);
    if (named !== undefined && !(held && named === this.#byDev.get(rdev))) {
      throw new CharDeviceError(`device name "${dev.name}" is already registered`);
    }
    if (held) this.#forget(rdev);
    let slot = this.#slots.get(rdev);
    if (slot === undefined) {
      slot = new DeviceSlot();
      this.#slots.set(rdev, slot);
      slot.onUse = (opened) => this.onUse?.(dev.major, dev.minor, opened);
    }
    const driverOpen = dev.open?.bind(dev);
    slot.attach(dev.fileOps, driverOpen);
    const s = slot;
    const stored: CharDevice = {
      name: dev.name,
      major: dev.major,
      minor: dev.minor,
      mode: dev.mode,
      block: dev.block,
      fileOps: s,
      open: (file) => s.open(file),
    };
    this.#byDev.set(rdev, stored);
    this.#byName.set(dev.name, stored);
    this.#generation++;
  }

  /** Removes the device with this number; false if none. Its open files get K.NXIO from now on. */
  unregister(major: number, minor: number, block = false): boolean {
    const rdev = keyOf(major, minor, block);
    if (!this.#byDev.has(rdev)) return false;
    this.#forget(rdev);
    this.#slots.get(rdev)?.detach(true);
    this.#slots.delete(rdev);
    this.#generation++;
    return true;
  }

  #forget(rdev: number): void {
    const dev = this.#byDev.get(rdev);
    if (dev === undefined) return;
    this.#byDev.delete(rdev);
    this.#byName.delete(dev.name);
    this.#held.delete(rdev);
  }

  /**
   * Holds a device for a replacement driver: its node stays, the old
   * driver is detached, and callers wait until a driver registers the number
   * again (or {@link unregister} removes it). False if the number is unknown.
   */
  hold(major: number, minor: number): boolean {
    const rdev = makeDev(major, minor);
    const slot = this.#slots.get(rdev);
    if (slot === undefined || !this.#byDev.has(rdev)) return false;
    slot.detach(false);
    this.#held.add(rdev);
    return true;
  }

  /** True while the number is held and no successor has registered it. */
  isHeld(major: number, minor: number): boolean {
    return this.#held.has(makeDev(major, minor));
  }

  /** The character device with number `rdev`. */
  lookup(rdev: number): CharDevice | undefined {
    return this.#byDev.get(rdev);
  }

  /** The block device node with number `rdev`. */
  lookupBlock(rdev: number): CharDevice | undefined {
    return this.#byDev.get(rdev + BLOCK_KEY);
  }

  /** The device named `name`. */
  byName(name: string): CharDevice | undefined {
    return this.#byName.get(name);
  }

  /** All devices, sorted by name. */
  list(): CharDevice[] {
    return [...this.#byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Changes on every (un)registration, so devfs can refresh its listing lazily. */
  get generation(): number {
    return this.#generation;
  }
}
