/**
 * The mount table of a VFS, and the locations path lookup produces.
 *
 * - Mount, PathFrame, PathLoc: a mounted file system; one step of a
 *   resolved path; the whole chain of steps from the root, so `..` pops one
 *   step (crossing back over a mount point) and `getcwd` is the chain's names
 * - MountTable: the mounts (root first), the mount that covers a directory
 *   inode, and the count of open files on each mount (umount answers K.BUSY
 *   while there are any)
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { FileSystem, FsInode } from "./node.ts";
import { S_IFDIR, S_IFMT } from "./types.ts";

/** A mounted file system. */
export interface Mount {
  /** The file system. */
  readonly fs: FileSystem;
  /** Absolute path of the mount point. */
  readonly path: string;
  /** The directory chain of the mount point (empty for the root mount). */
  readonly covered: readonly PathFrame[];
}

/** One step of a resolved path. */
export interface PathFrame {
  /** The inode reached. */
  readonly inode: FsInode;
  /** The mount it belongs to. */
  readonly mount: Mount;
  /** The name it was reached by ("" for the root). */
  readonly name: string;
}

/** A resolved location: the chain of directories from the root to an inode. */
export class PathLoc {
  /** Frames from the root (index 0) to the located inode. */
  readonly frames: readonly PathFrame[];
  /** Creates a location from a non-empty frame chain. */
  constructor(frames: readonly PathFrame[]) {
    this.frames = frames;
  }
  /** The located inode. */
  get inode(): FsInode {
    return this.frames[this.frames.length - 1].inode;
  }
  /** The mount holding the located inode. */
  get mount(): Mount {
    return this.frames[this.frames.length - 1].mount;
  }
  /** Canonical absolute path (what `getcwd` returns). */
  get path(): string {
    if (this.frames.length === 1) return "/";
    let s = "";
    for (let i = 1; i < this.frames.length; i++) s += "/" + this.frames[i].name;
    return s;
  }
}

/** The mounts of one VFS. */
export class MountTable {
  /** The file system mounted at `/` (replaced only by {@link MountTable.replaceRoot}). */
  rootMount: Mount;
  readonly #mounts: Mount[] = [];
  // Mount points keyed by the covered directory inode (file systems keep inode objects stable).
  readonly #mountOn = new Map<FsInode, Mount>();
  readonly #openCount = new Map<Mount, number>();

  /** Creates a table with `root` mounted at `/`. */
  constructor(root: FileSystem) {
    this.rootMount = { fs: root, path: "/", covered: [] };
    this.#mounts.push(this.rootMount);
  }

  /**
   * Makes `fs` the root and forgets every other mount (the boot's switch to
   * a root file system on disk; the caller mounts /dev and /proc again).
   * K.BUSY while files are open.
   */
  replaceRoot(fs: FileSystem): KStatus {
    for (const n of this.#openCount.values()) if (n > 0) return K.BUSY;
    this.rootMount = { fs, path: "/", covered: [] };
    this.#mounts.length = 0;
    this.#mounts.push(this.rootMount);
    this.#mountOn.clear();
    this.#openCount.clear();
    return K.OK;
  }

  /** The root location. */
  root(): PathLoc {
    return new PathLoc([{ inode: this.rootMount.fs.root, mount: this.rootMount, name: "" }]);
  }

  /** Current mounts, root first. */
  list(): readonly Mount[] {
    return this.#mounts;
  }

  /** The mount whose root covers the directory `inode`, if any. */
  mountedOn(inode: FsInode): Mount | undefined {
    return this.#mountOn.get(inode);
  }

  /** Mounts `fs` on the directory at `loc`; K.BUSY if something is mounted there already. */
  mount(loc: PathLoc, fs: FileSystem): KStatus {
    if ((loc.inode.stat().mode & S_IFMT) !== S_IFDIR) return K.NOTDIR;
    if (loc.frames.length === 1) return K.BUSY;
    const m: Mount = { fs, path: loc.path, covered: loc.frames };
    this.#mountOn.set(loc.inode, m);
    this.#mounts.push(m);
    return K.OK;
  }

  /**
   * Unmounts the file system whose root is at `loc`; K.BUSY while files on
   * it are open. With `check` it only answers whether it could.
   */
  umount(loc: PathLoc, check = false): KStatus {
    const m = loc.mount;
    if (loc.inode !== m.fs.root) return K.INVAL;
    if (m === this.rootMount || loc.frames.length === 0) return K.BUSY;
    if ((this.#openCount.get(m) ?? 0) > 0) return K.BUSY;
    for (const other of this.#mounts) {
      if (other !== m && other.covered.some((f) => f.mount === m)) return K.BUSY;
    }
    if (check) return K.OK;
    this.#mountOn.delete(m.covered[m.covered.length - 1].inode);
    this.#mounts.splice(this.#mounts.indexOf(m), 1);
    return K.OK;
  }

  /** Counts a file opened (`delta` 1) or released (-1) on `mount`. */
  track(mount: Mount, delta: number): void {
    this.#openCount.set(mount, (this.#openCount.get(mount) ?? 0) + delta);
  }
}
