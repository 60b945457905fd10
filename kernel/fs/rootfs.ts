/**
 * Assembling the standard file tree at boot: a ramfs root filled from the
 * initramfs, devfs on `/dev`, procfs on `/proc` (with `/proc/mounts`), and
 * read-only host shares (`--share HOSTDIR[:GUESTDIR]`).
 *
 * @module
 */

import { K, statusName } from "../errors.ts";
import type { CharDeviceRegistry } from "../io/char_device.ts";
import { DevFs } from "./devfs.ts";
import { HostFs } from "./hostfs.ts";
import {
  type HostDirMapping,
  type InitramfsMember,
  unpackInitramfs,
  type UnpackSummary,
} from "./initramfs.ts";
import { ProcFs, type ProcInfoProvider } from "./procfs.ts";
import { SysFs } from "./sysfs.ts";
import type { BlockLayer } from "../block/block_layer.ts";
import { PAGE_SIZE, RamFs } from "./ramfs.ts";
import type { FileSystem } from "./node.ts";
import { type Mount, Vfs } from "./vfs.ts";

/** Guest directory of a share given without one. */
export const DEFAULT_SHARE_DIR = "/mnt/host";

/** Raised for a bad share specification or a tree that cannot be assembled. */
export class RootFsError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RootFsError";
  }
}

/**
 * Parses `HOSTDIR[:GUESTDIR]` (the guest directory must be absolute and free
 * of `..`; default {@link DEFAULT_SHARE_DIR}).
 */
export function parseShareSpec(spec: string): HostDirMapping {
  const i = spec.lastIndexOf(":");
  // A colon followed by an absolute path separates the guest directory.
  const hasGuest = i >= 0 && spec[i + 1] === "/";
  const hostPath = hasGuest ? spec.slice(0, i) : spec;
  const guestPath = hasGuest ? spec.slice(i + 1) : DEFAULT_SHARE_DIR;
  if (hostPath.length === 0) throw new RootFsError(`--share "${spec}": no host directory`);
  if (guestPath.split("/").includes("..")) {
    throw new RootFsError(`--share "${spec}": guest directory contains ".."`);
  }
  if (guestPath === "/") throw new RootFsError(`--share "${spec}": cannot share over /`);
  return { hostPath, guestPath };
}

/** Formats /proc/mounts lines (`source path type options 0 0`). */
export function formatMounts(mounts: readonly Mount[]): string {
  return mounts.map((m) => {
    const opts = m.fs.readOnly ? "ro" : "rw";
    const path = m.path.replace(/ /g, "\\040");
    const source = (m.fs.source ?? m.fs.type).replace(/ /g, "\\040");
    return `${source} ${path} ${m.fs.type} ${opts} 0 0\n`;
  }).join("");
}

/** Options of {@link createRootFs}. */
export interface RootFsOptions {
  /** Time source for ramfs (ns). */
  now?: () => bigint;
  /** A newc archive to unpack into the root, or its members (see `collectInitramfs`). */
  initramfs?: Uint8Array | readonly InitramfsMember[];
  /** Character devices for /dev (omitted: no /dev). */
  charDevices?: CharDeviceRegistry;
  /** Process information for /proc (omitted: no /proc). */
  proc?: ProcInfoProvider;
  /** The block layer, shown in /sys (omitted: no /sys). */
  block?: BlockLayer;
  /** Host directories to share read-only. */
  shares?: readonly HostDirMapping[];
  /** Most bytes of file data written to the root ramfs after the initramfs (default unlimited). */
  sizeLimit?: number;
}

/** The assembled tree. */
export interface RootFs {
  /** The VFS. */
  vfs: Vfs;
  /** The root ramfs. */
  root: RamFs;
  /** /dev, if mounted. */
  devfs: DevFs | null;
  /** /proc, if mounted. */
  procfs: ProcFs | null;
  /** What the initramfs held (null without one). */
  unpacked: UnpackSummary | null;
}

function mkdirs(vfs: Vfs, path: string): void {
  let p = "";
  for (const c of path.split("/").filter((x) => x !== "")) {
    p += "/" + c;
    const st = vfs.mkdir(null, p, 0o755);
    if (st !== K.OK && st !== K.EXIST) throw new RootFsError(`mkdir ${p}: ${statusName(st)}`);
  }
}

function mountAt(vfs: Vfs, path: string, fs: FileSystem): void {
  mkdirs(vfs, path);
  const st = vfs.mount(path, fs);
  if (st !== K.OK) throw new RootFsError(`mount ${fs.type} on ${path}: ${statusName(st)}`);
}

/**
 * Builds the boot tree. Throws {@link RootFsError}, InitramfsError,
 * CpioFormatError or HostFsError for configuration problems (host side).
 */
export function createRootFs(options: RootFsOptions = {}): RootFs {
  const root = new RamFs({ now: options.now });
  const vfs = new Vfs({ root, charDevices: options.charDevices });
  const image = options.initramfs;
  const unpacked = image === undefined ? null : unpackInitramfs(root, image);
  // The limit applies to what is written after boot: the initramfs is the image.
  if (options.sizeLimit !== undefined) {
    root.pages.limit = root.pages.used + Math.floor(options.sizeLimit / PAGE_SIZE);
  }
  let devfs: DevFs | null = null;
  if (options.charDevices) {
    devfs = new DevFs(options.charDevices, undefined, options.now?.() ?? 0n);
    mountAt(vfs, "/dev", devfs);
  }
  let procfs: ProcFs | null = null;
  if (options.proc) {
    procfs = new ProcFs(options.proc, options.now?.() ?? 0n);
    procfs.addFile("mounts", () => formatMounts(vfs.mounts()));
    mountAt(vfs, "/proc", procfs);
  }
  if (options.block) mountAt(vfs, "/sys", new SysFs(options.block, options.now?.() ?? 0n));
  for (const share of options.shares ?? []) {
    mountAt(vfs, share.guestPath, new HostFs(share.hostPath));
  }
  return { vfs, root, devfs, procfs, unpacked };
}
