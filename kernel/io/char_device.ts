/**
 * The character device registry: devices by major/minor number and by name,
 * each with the {@link FileOps} used when its special file is opened. devfs
 * lists it as `/dev`, and the VFS opens S_IFCHR inodes of any file system
 * through it.
 *
 * @module
 */

import type { KStatus } from "../errors.ts";
import type { FileOps, OpenFile } from "../fs/types.ts";

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
  #generation = 0;

  /** Registers `dev`; throws {@link CharDeviceError} if the number or name is taken. */
  register(dev: CharDevice): void {
    const rdev = makeDev(dev.major, dev.minor);
    if (dev.name.length === 0 || dev.name.includes("/") || dev.name === "." || dev.name === "..") {
      throw new CharDeviceError(`bad device name "${dev.name}"`);
    }
    if (this.#byDev.has(rdev)) {
      throw new CharDeviceError(`device ${dev.major}:${dev.minor} is already registered`);
    }
    if (this.#byName.has(dev.name)) {
      throw new CharDeviceError(`device name "${dev.name}" is already registered`);
    }
    this.#byDev.set(rdev, dev);
    this.#byName.set(dev.name, dev);
    this.#generation++;
  }

  /** Removes the device with this number; false if none. Open files keep their ops. */
  unregister(major: number, minor: number): boolean {
    const dev = this.#byDev.get(makeDev(major, minor));
    if (dev === undefined) return false;
    this.#byDev.delete(makeDev(major, minor));
    this.#byName.delete(dev.name);
    this.#generation++;
    return true;
  }

  /** The device with number `rdev`. */
  lookup(rdev: number): CharDevice | undefined {
    return this.#byDev.get(rdev);
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
