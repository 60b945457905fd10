/**
 * The contract between the VFS and the file systems under it: the extra
 * operations a file system's inodes may provide beyond the shared
 * {@link Inode} of `types.ts` (directory operations, links, truncation),
 * a mountable {@link FileSystem}, caller credentials, and the concrete open
 * file description class.
 *
 * Every directory or link operation is optional: a missing one makes the VFS
 * answer `K.NOTSUP` (or `K.ROFS` when the file system is read-only), so a
 * small file system implements only what it has.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { FileOps, Inode, OpenFile, Stat } from "./types.ts";

/** Who asks: used for the simple owner/root permission check and for new files' owners. */
export interface Cred {
  /** Effective user id (0 = root, bypasses permission checks). */
  uid: number;
  /** Effective group id. */
  gid: number;
  /** Supplementary group ids (setgroups), for the group permission bits. */
  readonly groups?: readonly number[];
}

/** The credentials of the superuser. */
export const ROOT_CRED: Cred = Object.freeze({ uid: 0, gid: 0 });

/** Attribute changes for {@link FsInode.setAttr} (chmod, chown, utimes). */
export interface AttrChange {
  /** New permission bits (the type bits are kept). */
  mode?: number;
  /** New owner. */
  uid?: number;
  /** New group. */
  gid?: number;
  /** New access time (ns). */
  atimeNs?: bigint;
  /** New modification time (ns). */
  mtimeNs?: bigint;
}

/**
 * An inode as file systems implement it. Directory operations take a single
 * name component (never `.`, `..` or a name with `/`: the VFS handles those).
 * Results are the new inode or a negative kernel status.
 */
export interface FsInode extends Inode {
  /**
   * Current type and permission bits, when the file system has them at hand;
   * the VFS reads this on lookup paths instead of building a whole Stat.
   */
  readonly mode?: number;
  /** Looks `name` up in this directory; K.NOENT if absent. */
  lookup?(name: string): FsInode | KStatus;
  /** Creates a regular file `name` with permission bits `mode`. */
  create?(name: string, mode: number, cred: Cred): FsInode | KStatus;
  /** Creates a directory `name`. */
  mkdir?(name: string, mode: number, cred: Cred): FsInode | KStatus;
  /** Creates a device special file or FIFO (`mode` includes the type bits). */
  mknod?(name: string, mode: number, rdev: number, cred: Cred): FsInode | KStatus;
  /** Creates a symbolic link `name` holding `target`. */
  symlink?(name: string, target: string, cred: Cred): FsInode | KStatus;
  /** Adds a hard link `name` to `target` (same file system). */
  link?(name: string, target: FsInode): KStatus;
  /** Removes the non-directory entry `name`. */
  unlink?(name: string): KStatus;
  /** Removes the empty directory `name`. */
  rmdir?(name: string): KStatus;
  /** Moves entry `name` to `newDir` as `newName` (same file system), replacing a compatible target. */
  rename?(name: string, newDir: FsInode, newName: string): KStatus;
  /** The target of a symbolic link. */
  readlink?(): string | KStatus;
  /** Sets the size of a regular file (growing with zeros). */
  truncate?(size: number): KStatus;
  /** Changes attributes. */
  setAttr?(change: AttrChange): KStatus;
  /**
   * Called when the inode is opened, before the description is returned
   * (procfs generates its text here, devices may refuse). A negative status
   * fails the open. `cred` is the opener's (procfs checks access to another
   * process's files with it).
   */
  open?(file: OpenFile, cred?: Cred): KStatus;
}

/**
 * A mountable file system instance. Its directories' `fileOps` must have
 * `readdir` (and only directories' may): the VFS uses that to answer K.ISDIR
 * to a read without building a Stat on every call.
 */
export interface FileSystem {
  /** Type name, e.g. `ramfs`, `proc`, `devfs`, `hostfs`. */
  readonly type: string;
  /** Root directory. */
  readonly root: FsInode;
  /** True when every modification must fail with K.ROFS. */
  readonly readOnly: boolean;
  /** What it was mounted from (`/dev/hda1`), for /proc/mounts; default the type name. */
  readonly source?: string;
  /** Usage figures for statfs (optional: without it the counts are 0). */
  statfs?(): FsUsage;
  /**
   * syncfs: writes everything the file system has dirty and flushes its
   * device. K.OK when done, K.RESTART (through `api.waitForIo`) while it
   * waits, K.IO on a write error. Without it there is nothing to write.
   */
  sync?(): KStatus;
  /**
   * umount: called once no file on it is open, before it is detached. Writes
   * everything back and releases the device. K.RESTART (through
   * `api.waitForIo`) while it waits: the umount call then runs again.
   */
  unmount?(): KStatus;
}

/** What statfs reports of a file system (sizes in `blockSize` units). */
export interface FsUsage {
  /** Linux's magic number of the file-system type (`f_type`). */
  magic: number;
  /** Block size in bytes. */
  blockSize: number;
  /** Total blocks. */
  blocks: number;
  /** Free blocks. */
  blocksFree: number;
  /** Free blocks for unprivileged users. */
  blocksAvailable: number;
  /** Total inodes (0: not counted). */
  files: number;
  /** Free inodes. */
  filesFree: number;
  /** Longest name. */
  nameMax: number;
}

/** The concrete open file description (shared by dup'ed descriptors). */
export class OpenFileDescription implements OpenFile {
  /** The inode, or null for anonymous objects. */
  readonly inode: FsInode | null;
  /** Kernel-native open flags. */
  flags: number;
  /** Current offset. */
  offset = 0;
  /** Descriptors and handles referring to this description. */
  refs = 1;
  /** Private data of the file system or driver. */
  // deno-lint-ignore no-explicit-any
  priv: any = null;
  /** Path it was opened by. */
  path: string;
  /** Operations (from the inode, or the device for device special files). */
  readonly ops: FileOps;

  /** Creates a description with one reference. */
  constructor(
    inode: FsInode | null,
    ops: FileOps,
    flags: number,
    path: string,
  ) {
    this.inode = inode;
    this.ops = ops;
    this.flags = flags;
    this.path = path;
  }
}

/** Returns the operations to use for an open file (its own, or its inode's). */
export function opsOf(file: OpenFile): FileOps | null {
  // A field test, not `instanceof` (a prototype walk on every read and write).
  const ops = (file as { readonly ops?: FileOps }).ops;
  if (ops !== undefined) return ops;
  return file.inode?.fileOps ?? null;
}

/** Builds a {@link Stat} with defaults for the fields a simple file system does not track. */
export function makeStat(fields: Partial<Stat> & { ino: number; mode: number }): Stat {
  return {
    dev: fields.dev ?? 0,
    ino: fields.ino,
    mode: fields.mode,
    nlink: fields.nlink ?? 1,
    uid: fields.uid ?? 0,
    gid: fields.gid ?? 0,
    rdev: fields.rdev ?? 0,
    size: fields.size ?? 0,
    blksize: fields.blksize ?? 4096,
    blocks: fields.blocks ?? Math.ceil((fields.size ?? 0) / 512),
    atimeNs: fields.atimeNs ?? 0n,
    mtimeNs: fields.mtimeNs ?? 0n,
    ctimeNs: fields.ctimeNs ?? 0n,
  };
}

/** Access, modification and change times (ns), as {@link makeStat} takes them. */
export interface FileTimes {
  /** Last access. */
  atimeNs: bigint;
  /** Last modification. */
  mtimeNs: bigint;
  /** Last status change. */
  ctimeNs: bigint;
}

/** All three times at `ns` (file systems whose inodes show one time, such as their mount time). */
export function uniformTimes(ns: bigint): FileTimes {
  return { atimeNs: ns, mtimeNs: ns, ctimeNs: ns };
}

/** Maximum length of one path component (bytes), as Linux's NAME_MAX. */
export const NAME_MAX = 255;
/** Maximum length of a path (bytes), as Linux's PATH_MAX. */
export const PATH_MAX = 4096;

/** Checks a single name component for a create-like operation. */
export function checkName(name: string): KStatus {
  if (name.length === 0 || name === "." || name === "..") return K.INVAL;
  if (name.includes("/") || name.includes("\0")) return K.INVAL;
  if (new TextEncoder().encode(name).length > NAME_MAX) return K.NAMETOOLONG;
  return K.OK;
}
