/**
 * devfs: `/dev`, a live view of the character device registry, plus the
 * standard memory devices.
 *
 * Every registered device appears as a character special file (a block
 * special file for the block layer's nodes) named after it, with its
 * major/minor as rdev; registering or unregistering a device
 * changes the listing at once. The directory itself takes no new names
 * (K.NOTSUP): devices come from drivers.
 *
 * {@link registerMemoryDevices} adds `null` (1:3), `zero` (1:5), `full` (1:7),
 * `random` (1:8) and `urandom` (1:9); the random devices are a deterministic
 * xorshift32 stream seeded from the configuration, so runs repeat exactly.
 * {@link registerConsoleTty} adds `console` (5:1), `tty` (5:0) and `ttyS0`
 * (4:64) for the console tty: the machine has one terminal, so `/dev/tty`
 * always names it.
 *
 * @module
 */

import { K } from "../errors.ts";
import { type CharDevice, type CharDeviceRegistry, makeDev } from "../io/char_device.ts";
import type { Tty } from "../io/tty.ts";
import { type FileSystem, type FileTimes, type FsInode, makeStat, uniformTimes } from "./node.ts";
import {
  type DirEntry,
  type FileOps,
  type OpenFile,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  type Stat,
} from "./types.ts";

/** A device node of devfs. */
class DevNode implements FsInode {
  readonly ino: number;
  readonly fileOps: FileOps;
  readonly #dev: CharDevice;
  readonly #fsDev: number;
  readonly #times: FileTimes;
  constructor(dev: CharDevice, ino: number, fsDev: number, times: FileTimes) {
    this.#dev = dev;
    this.ino = ino;
    this.fileOps = dev.fileOps;
    this.#fsDev = fsDev;
    this.#times = times;
  }
  stat(): Stat {
    return makeStat({
      ...this.#times,
      dev: this.#fsDev,
      ino: this.ino,
      mode: (this.#dev.block ? S_IFBLK : S_IFCHR) | (this.#dev.mode ?? 0o666),
      rdev: makeDev(this.#dev.major, this.#dev.minor),
    });
  }
}

/** The /dev file system over a {@link CharDeviceRegistry}. */
export class DevFs implements FileSystem {
  /** Type name. */
  readonly type = "devtmpfs";
  /** Device files stay writable; the directory refuses new names by itself. */
  readonly readOnly = false;
  /** Root directory. */
  readonly root: FsInode;
  /** The registry shown. */
  readonly registry: CharDeviceRegistry;
  readonly #nodes = new Map<CharDevice, DevNode>();
  readonly #dev: number;
  readonly #times: FileTimes;

  /**
   * Creates devfs over `registry` (stat reports device id `dev`). Its nodes
   * carry `timeNs` (the mount time, realtime ns) as their times, as
   * devtmpfs nodes show the boot time on Linux.
   */
  constructor(registry: CharDeviceRegistry, dev = 5, timeNs = 0n) {
    this.registry = registry;
    this.#dev = dev;
    const times = uniformTimes(timeNs);
    this.#times = times;
    const rootOps: FileOps = {
      read: () => K.ISDIR,
      write: () => K.ISDIR,
      readdir: (file: OpenFile): DirEntry[] => {
        const out: DirEntry[] = [
          { ino: 1, name: ".", type: S_IFDIR },
          { ino: 1, name: "..", type: S_IFDIR },
        ];
        for (const d of this.registry.list()) {
          out.push({ ino: this.#node(d).ino, name: d.name, type: d.block ? S_IFBLK : S_IFCHR });
        }
        return out.slice(file.offset);
      },
    };
    this.root = {
      ino: 1,
      fileOps: rootOps,
      stat: () => makeStat({ ...times, dev, ino: 1, mode: S_IFDIR | 0o755, nlink: 2 }),
      lookup: (name: string) => {
        const d = this.registry.byName(name);
        return d === undefined ? K.NOENT : this.#node(d);
      },
    };
  }

  #node(d: CharDevice): DevNode {
    let n = this.#nodes.get(d);
    if (n === undefined) {
      // Inode numbers derive from the device number, so they are stable across runs.
      const base = d.block ? 0x20000 : 0x10000;
      n = new DevNode(d, base + makeDev(d.major, d.minor), this.#dev, this.#times);
      this.#nodes.set(d, n);
    }
    return n;
  }
}

/** Options of {@link registerMemoryDevices}. */
export interface MemoryDeviceOptions {
  /** Seed of the random devices' xorshift32 stream (non-zero; default 0x2545F491). */
  randomSeed?: number;
}

/** A deterministic xorshift32 generator (Marsaglia), for /dev/random and /dev/urandom. */
export class XorShift32 {
  #state: number;
  /** Creates the generator; a zero seed is replaced (xorshift cannot leave 0). */
  constructor(seed: number) {
    this.#state = (seed >>> 0) || 0x2545f491;
  }
  /** The next 32-bit value. */
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state;
  }
  /** Fills `buf` with bytes of the stream. */
  fill(buf: Uint8Array): void {
    for (let i = 0; i < buf.length; i += 4) {
      const v = this.next();
      for (let k = 0; k < 4 && i + k < buf.length; k++) buf[i + k] = (v >>> (8 * k)) & 0xff;
    }
  }
}

/** Registers null, zero, full, random and urandom (major 1, Linux's minors). */
export function registerMemoryDevices(
  registry: CharDeviceRegistry,
  options: MemoryDeviceOptions = {},
): void {
  const rng = new XorShift32(options.randomSeed ?? 0x2545f491);
  const nullOps: FileOps = { read: () => 0, write: (_f, data) => data.length };
  const zeroOps: FileOps = {
    read: (_f, buf) => {
      buf.fill(0);
      return buf.length;
    },
    write: (_f, data) => data.length,
  };
  const fullOps: FileOps = {
    read: zeroOps.read,
    write: (_f, data) => data.length === 0 ? 0 : K.NOSPC,
  };
  const randomOps: FileOps = {
    read: (_f, buf) => {
      rng.fill(buf);
      return buf.length;
    },
    // Writing "entropy" is accepted and ignored, so runs stay reproducible.
    write: (_f, data) => data.length,
  };
  registry.register({ name: "null", major: 1, minor: 3, fileOps: nullOps });
  registry.register({ name: "zero", major: 1, minor: 5, fileOps: zeroOps });
  registry.register({ name: "full", major: 1, minor: 7, fileOps: fullOps });
  registry.register({ name: "random", major: 1, minor: 8, fileOps: randomOps });
  registry.register({ name: "urandom", major: 1, minor: 9, fileOps: randomOps });
}

/** Registers the console tty as `console` (5:1), `tty` (5:0) and `ttyS0` (4:64). */
export function registerConsoleTty(registry: CharDeviceRegistry, tty: Tty): void {
  registry.register({ name: "tty", major: 5, minor: 0, fileOps: tty.fileOps });
  registry.register({ name: "console", major: 5, minor: 1, mode: 0o620, fileOps: tty.fileOps });
  registry.register({ name: "ttyS0", major: 4, minor: 64, mode: 0o620, fileOps: tty.fileOps });
}
