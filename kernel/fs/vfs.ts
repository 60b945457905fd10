/**
 * The virtual file system: the file entry points the personalities call
 * (through `kernel/api.ts`), over a mount table. The work is divided by
 * concern:
 *
 * - `mount_table.ts`: mounts, and the resolved locations ({@link PathLoc})
 * - `path_lookup.ts`: path resolution (symbolic links, `..`, mount points)
 *   and the permission check
 * - `vfs_open.ts`: open, creating a file and choosing its operations
 * - `name_ops.ts`: mkdir, mknod, symlink, link, unlink, rmdir, rename,
 *   readlink, truncate, setAttr, access
 * - here: the `Vfs` facade, reference counting of open descriptions, and
 *   the data calls on them (read, write, pread, pwrite, lseek, readdir,
 *   ioctl, poll state, fstat, ftruncate)
 *
 * All results are kernel statuses (negative numbers) or values; nothing here
 * throws for bad guest input.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { WaitQueue } from "../ipc/wait_queue.ts";
import type { CharDeviceRegistry } from "../io/char_device.ts";
import { type Mount, MountTable, PathLoc } from "./mount_table.ts";
import * as names from "./name_ops.ts";
import {
  type AttrChange,
  type Cred,
  type FileSystem,
  type FsInode,
  type FsUsage,
  OpenFileDescription,
  opsOf,
  ROOT_CRED,
} from "./node.ts";
import { isDir, lookup, permit } from "./path_lookup.ts";
import { FifoRegistry } from "./pipefs.ts";
import {
  type DirEntry,
  type FileCaller,
  type GuestSpan,
  type OpenFile,
  OpenFlags,
  PollState,
  S_IFDIR,
  S_IFMT,
  S_IFREG,
  type Stat,
} from "./types.ts";
import { type OpenContext, openPath } from "./vfs_open.ts";

export { type Mount, type PathFrame, PathLoc } from "./mount_table.ts";

/** What statfs reports: the file system's figures and whether it is read-only. */
export interface FsUsageReport extends FsUsage {
  /** Mounted read-only (ST_RDONLY). */
  readOnly: boolean;
}

/** The usage figures of the file system mounted at `mount` (zeros when it keeps none). */
function usageOf(mount: Mount): FsUsageReport {
  const fs = mount.fs;
  const u = fs.statfs?.() ?? {
    magic: 0,
    blockSize: 4096,
    blocks: 0,
    blocksFree: 0,
    blocksAvailable: 0,
    files: 0,
    filesFree: 0,
    nameMax: 255,
  };
  return { ...u, readOnly: fs.readOnly };
}
export { MAX_SYMLINKS } from "./path_lookup.ts";

/** `whence` values of {@link Vfs.lseek}. */
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;

/** Result of a successful {@link Vfs.open}. */
export interface OpenResult {
  /** The new open file description (one reference). */
  file: OpenFile;
  /** Whether the file was opened, created or truncated (OpenOutcome). */
  outcome: number;
}

/** Options of a {@link Vfs}. */
export interface VfsOptions {
  /** The root file system. */
  root: FileSystem;
  /** Character devices, used when a S_IFCHR inode is opened (any file system). */
  charDevices?: CharDeviceRegistry;
}

const DEFAULT_CALLER: FileCaller = {
  pid: 0,
  pgid: 0,
  sid: 0,
  memory: { copyIn: () => null, copyOut: () => false },
};

/** The virtual file system of one kernel. */
export class Vfs {
  /** Character device registry (may be absent: device nodes then give K.NODEV). */
  readonly charDevices: CharDeviceRegistry | undefined;
  readonly #table: MountTable;
  // Where each description was opened, for *at() calls relative to a directory descriptor.
  readonly #locs = new WeakMap<OpenFile, PathLoc>();
  readonly #openCtx: OpenContext;

  /** Creates a VFS with `options.root` mounted at `/`. */
  constructor(options: VfsOptions) {
    const table = new MountTable(options.root);
    this.#table = table;
    this.charDevices = options.charDevices;
    this.#openCtx = {
      table,
      charDevices: options.charDevices,
      fifos: new FifoRegistry(),
      opened: (file, loc) => {
        table.track(loc.mount, 1);
        this.#locs.set(file, loc);
      },
    };
  }

  /** The root location. */
  root(): PathLoc {
    return this.#table.root();
  }

  /** Current mounts, root first. */
  mounts(): readonly Mount[] {
    return this.#table.list();
  }

  /** Mounts `fs` on the directory `path`; K.BUSY if something is mounted there already. */
  mount(path: string, fs: FileSystem, base: PathLoc | null = null): KStatus {
    const loc = this.lookup(base, path, true);
    return typeof loc === "number" ? loc : this.#table.mount(loc, fs);
  }

  /**
   * Switches to `fs` as the root file system (boot with a root on disk):
   * the mounts of the old tree whose mount point exists in the new one are
   * mounted there again (devfs on /dev and procfs on /proc, which must
   * exist: K.NOENT otherwise), the others are dropped. The mount points are
   * resolved in `fs` before anything changes, so a K.RESTART (a directory
   * block still on its way from the disk) leaves the tree as it was and the
   * call can be repeated. K.BUSY while files are open.
   */
  replaceRoot(fs: FileSystem, required: readonly string[] = ["/dev", "/proc"]): KStatus {
    const old = this.#table.list().slice(1);
    const found: { mount: Mount; names: string[]; inodes: FsInode[] }[] = [];
    for (const m of old) {
      const names = m.path.split("/").filter((c) => c !== "");
      const inodes: FsInode[] = [];
      let node: FsInode | KStatus = fs.root;
      for (const name of names) {
        node = (node as FsInode).lookup?.(name) ?? K.NOTDIR;
        if (typeof node === "number") break;
        inodes.push(node);
      }
      if (node === K.RESTART) return K.RESTART;
      if (typeof node === "number") {
        if (required.includes(m.path)) return K.NOENT;
        continue;
      }
      found.push({ mount: m, names, inodes });
    }
    const r = this.#table.replaceRoot(fs);
    if (r !== K.OK) return r;
    const root = this.#table.rootMount;
    for (const f of found) {
      const frames = [{ inode: fs.root, mount: root, name: "" }];
      f.names.forEach((name, i) => frames.push({ inode: f.inodes[i], mount: root, name }));
      const st = this.#table.mount(new PathLoc(frames), f.mount.fs);
      if (st !== K.OK && required.includes(f.mount.path)) return st;
    }
    return K.OK;
  }

  /**
   * Unmounts the file system mounted at `path`; K.BUSY while files on it are
   * open. First the file system writes back (`FileSystem.unmount`, which may
   * wait: K.RESTART, and the call runs again), then it is detached.
   */
  umount(path: string, base: PathLoc | null = null): KStatus {
    const loc = this.lookup(base, path, true);
    if (typeof loc === "number") return loc;
    const can = this.#table.umount(loc, true);
    if (can !== K.OK) return can;
    const r = loc.mount.fs.unmount?.() ?? K.OK;
    return r !== K.OK ? r : this.#table.umount(loc);
  }

  /**
   * Resolves `path` relative to `base` (the root when null, or when the path
   * is absolute). `follow` says whether a final symbolic link is followed.
   */
  lookup(
    base: PathLoc | null,
    path: string,
    follow = true,
    cred: Cred = ROOT_CRED,
  ): PathLoc | KStatus {
    return lookup(this.#table, base, path, follow, cred);
  }

  // ---- open / close ----

  /**
   * Opens `path` with kernel OpenFlags; `mode` gives the permission bits of a
   * created file. Returns the description and what happened, or a status.
   */
  open(
    base: PathLoc | null,
    path: string,
    flags: number,
    mode = 0o644,
    cred: Cred = ROOT_CRED,
  ): OpenResult | KStatus {
    return openPath(this.#openCtx, base, path, flags, mode, cred);
  }

  /**
   * The location an open directory was opened at, as the base of `openat`,
   * `mkdirat` and friends, or for `fchdir`: K.NOTDIR for other files, K.BADF
   * for descriptions that did not come from a path (pipes).
   */
  locationOf(file: OpenFile): PathLoc | KStatus {
    const loc = this.#locs.get(file);
    if (loc === undefined) return K.BADF;
    return isDir(loc.inode) ? loc : K.NOTDIR;
  }

  /** Adds a reference to `file` (dup, fork); returns it. */
  retain(file: OpenFile): OpenFile {
    file.refs++;
    return file;
  }

  /** Drops one reference; the last one releases the description (pipes see their end closed). */
  close(file: OpenFile): KStatus {
    if (file.refs <= 0) return K.BADF;
    if (--file.refs > 0) return K.OK;
    opsOf(file)?.release?.(file);
    const loc = this.#locs.get(file);
    if (loc !== undefined && file instanceof OpenFileDescription) this.#table.track(loc.mount, -1);
    return K.OK;
  }

  /** Reads into `buf` at the file's offset; K.AGAIN means sleep on {@link Vfs.waitQueue}. */
  read(file: OpenFile, buf: Uint8Array, caller: FileCaller = DEFAULT_CALLER): number {
    if (!(file.flags & OpenFlags.READ)) return K.BADF;
    const ops = opsOf(file);
    if (ops === null) return K.BADF;
    // Directory operations have readdir; checking that avoids a stat() per read on the hot path.
    if (ops.readdir !== undefined) return K.ISDIR;
    return ops.read(file, buf, caller);
  }

  /** Writes `data` at the file's offset (at the end with APPEND). */
  write(file: OpenFile, data: Uint8Array, caller: FileCaller = DEFAULT_CALLER): number {
    if (!(file.flags & OpenFlags.WRITE)) return K.BADF;
    const ops = opsOf(file);
    if (ops === null) return K.BADF;
    if ((file.flags & OpenFlags.APPEND) && !ops.isStream && file.inode !== null) {
      file.offset = file.inode.stat().size;
    }
    return ops.write(file, data, caller);
  }

  /**
   * {@link read} straight into guest memory, for files whose operations have
   * `readSpan` (pipes; see {@link directIo}); K.INVAL for others.
   */
  readSpan(file: OpenFile, span: GuestSpan): number {
    // Literals on the pipe's path (OpenFlags.READ 1, WRITE 2, K.BADF -9):
    // a module object's field costs a map check and a load.
    if ((file.flags & 1) === 0) return -9;
    const ops = opsOf(file);
    if (ops === null || ops.readSpan === undefined) return K.INVAL;
    return ops.readSpan(file, span);
  }

  /** {@link write} straight from guest memory, for files whose operations have `writeSpan`. */
  writeSpan(file: OpenFile, span: GuestSpan): number {
    if ((file.flags & 2) === 0) return -9;
    const ops = opsOf(file);
    if (ops === null || ops.writeSpan === undefined) return K.INVAL;
    return ops.writeSpan(file, span);
  }

  /**
   * True when reads (`write` false) or writes of `file` can go straight
   * between guest memory and the file ({@link readSpan}, {@link writeSpan}):
   * a stream whose operations offer it.
   */
  directIo(file: OpenFile, write: boolean): boolean {
    const ops = opsOf(file);
    if (ops === null || ops.isStream !== true) return false;
    return write ? ops.writeSpan !== undefined : ops.readSpan !== undefined;
  }

  /** Reads at `position` without moving the offset (pread); K.SPIPE on streams. */
  pread(
    file: OpenFile,
    buf: Uint8Array,
    position: number,
    caller: FileCaller = DEFAULT_CALLER,
  ): number {
    if (opsOf(file)?.isStream) return K.SPIPE;
    if (position < 0) return K.INVAL;
    const saved = file.offset;
    file.offset = position;
    const n = this.read(file, buf, caller);
    file.offset = saved;
    return n;
  }

  /** Writes at `position` without moving the offset (pwrite); K.SPIPE on streams. */
  pwrite(
    file: OpenFile,
    data: Uint8Array,
    position: number,
    caller: FileCaller = DEFAULT_CALLER,
  ): number {
    if (opsOf(file)?.isStream) return K.SPIPE;
    if (position < 0) return K.INVAL;
    const saved = file.offset;
    const savedFlags = file.flags;
    file.offset = position;
    file.flags &= ~OpenFlags.APPEND;
    const n = this.write(file, data, caller);
    file.offset = saved;
    file.flags = savedFlags;
    return n;
  }

  /** Moves the offset; returns the new offset, K.SPIPE for streams, K.INVAL if negative. */
  lseek(file: OpenFile, offset: number, whence: number): number {
    const ops = opsOf(file);
    if (ops === null || (file.flags & OpenFlags.PATH)) return K.BADF;
    if (ops.isStream) return K.SPIPE;
    let pos: number;
    switch (whence) {
      case Whence.SET:
        pos = offset;
        break;
      case Whence.CUR:
        pos = file.offset + offset;
        break;
      case Whence.END:
        pos = (ops.seekSize?.(file) ?? file.inode?.stat().size ?? 0) + offset;
        break;
      default:
        return K.INVAL;
    }
    if (!Number.isSafeInteger(pos) || pos < 0) return K.INVAL;
    file.offset = pos;
    return pos;
  }

  /**
   * Directory entries from the file's position (including `.` and `..`),
   * without moving it: the caller adds the number of entries it consumed to
   * `file.offset` (getdents64 may not fit them all in the guest buffer).
   */
  readdir(file: OpenFile): DirEntry[] | KStatus {
    if (file.inode === null || !isDir(file.inode)) return K.NOTDIR;
    const ops = opsOf(file);
    if (ops?.readdir === undefined) return K.NOTDIR;
    return ops.readdir(file);
  }

  /** Device control; K.NOTTY when the file has no ioctl. */
  ioctl(file: OpenFile, cmd: number, arg: number, caller: FileCaller = DEFAULT_CALLER): number {
    const ops = opsOf(file);
    if (ops === null || (file.flags & OpenFlags.PATH)) return K.BADF;
    if (ops.ioctl === undefined) return K.NOTTY;
    return ops.ioctl(file, cmd, arg, caller);
  }

  /** The queue to sleep on after K.AGAIN from read or write. */
  waitQueue(file: OpenFile, direction: "read" | "write"): WaitQueue | null {
    return opsOf(file)?.waitQueue?.(file, direction) ?? null;
  }

  /** Poll state ({@link PollState} bits): regular files are always readable and writable. */
  pollState(file: OpenFile): number {
    const ops = opsOf(file);
    if (ops === null) return 0;
    return ops.pollState?.(file) ?? (PollState.READABLE | PollState.WRITABLE);
  }

  /** Attributes of an open file. */
  fstat(file: OpenFile): Stat | KStatus {
    const ops = opsOf(file);
    if (ops === null) return K.BADF;
    if (file.inode === null) return K.BADF;
    return file.inode.stat();
  }

  /** Truncates an open regular file (must be open for writing). */
  ftruncate(file: OpenFile, size: number): KStatus {
    if (!(file.flags & OpenFlags.WRITE) || file.inode === null) return K.INVAL;
    if (size < 0 || !Number.isSafeInteger(size)) return K.INVAL;
    const type = file.inode.stat().mode & S_IFMT;
    if (type === S_IFDIR) return K.ISDIR;
    if (type !== S_IFREG) return K.INVAL;
    const inode = file.inode as FsInode;
    return inode.truncate?.(size) ?? K.NOTSUP;
  }

  // ---- names ----

  // ---- names ----

  /** Attributes of `path`, following a final symbolic link. */
  stat(base: PathLoc | null, path: string, cred: Cred = ROOT_CRED): Stat | KStatus {
    const loc = this.lookup(base, path, true, cred);
    return typeof loc === "number" ? loc : loc.inode.stat();
  }

  /** Attributes of `path` itself (a symbolic link is not followed). */
  lstat(base: PathLoc | null, path: string, cred: Cred = ROOT_CRED): Stat | KStatus {
    const loc = this.lookup(base, path, false, cred);
    return typeof loc === "number" ? loc : loc.inode.stat();
  }

  /** Resolves a directory for chdir: the new working directory, or a status. */
  chdir(base: PathLoc | null, path: string, cred: Cred = ROOT_CRED): PathLoc | KStatus {
    const loc = this.lookup(base, path, true, cred);
    if (typeof loc === "number") return loc;
    if (!isDir(loc.inode)) return K.NOTDIR;
    const perm = permit(loc.inode, cred, 1);
    return perm < 0 ? perm : loc;
  }

  /** The canonical absolute path of a working directory. */
  getcwd(loc: PathLoc): string {
    return loc.path;
  }

  /** Creates a directory. */
  mkdir(base: PathLoc | null, path: string, mode = 0o755, cred: Cred = ROOT_CRED): KStatus {
    return names.mkdir(this.#table, base, path, mode, cred);
  }

  /** Creates a device special file or FIFO (`mode` includes S_IFCHR/S_IFBLK/S_IFIFO). */
  mknod(
    base: PathLoc | null,
    path: string,
    mode: number,
    rdev = 0,
    cred: Cred = ROOT_CRED,
  ): KStatus {
    return names.mknod(this.#table, base, path, mode, rdev, cred);
  }

  /** Creates a symbolic link at `path` holding `target`. */
  symlink(target: string, base: PathLoc | null, path: string, cred: Cred = ROOT_CRED): KStatus {
    return names.symlink(this.#table, target, base, path, cred);
  }

  /** The target of the symbolic link at `path`; K.INVAL if it is not a link. */
  readlink(base: PathLoc | null, path: string, cred: Cred = ROOT_CRED): string | KStatus {
    return names.readlink(this.#table, base, path, cred);
  }

  /** Adds a hard link `newPath` to the non-directory `oldPath`. */
  link(
    oldBase: PathLoc | null,
    oldPath: string,
    newBase: PathLoc | null,
    newPath: string,
    cred: Cred = ROOT_CRED,
  ): KStatus {
    return names.link(this.#table, oldBase, oldPath, newBase, newPath, cred);
  }

  /** Removes a non-directory name; an open file keeps its data until the last close. */
  unlink(base: PathLoc | null, path: string, cred: Cred = ROOT_CRED): KStatus {
    return names.unlink(this.#table, base, path, cred);
  }

  /** Removes an empty directory. */
  rmdir(base: PathLoc | null, path: string, cred: Cred = ROOT_CRED): KStatus {
    return names.rmdir(this.#table, base, path, cred);
  }

  /** Renames within one file system (K.XDEV across mounts). */
  rename(
    oldBase: PathLoc | null,
    oldPath: string,
    newBase: PathLoc | null,
    newPath: string,
    cred: Cred = ROOT_CRED,
  ): KStatus {
    return names.rename(this.#table, oldBase, oldPath, newBase, newPath, cred);
  }

  /** Truncates the regular file at `path`. */
  truncate(base: PathLoc | null, path: string, size: number, cred: Cred = ROOT_CRED): KStatus {
    return names.truncate(this.#table, base, path, size, cred);
  }

  /** Changes attributes (chmod/chown/utimes); only root or the owner may. */
  setAttr(
    base: PathLoc | null,
    path: string,
    change: AttrChange,
    follow = true,
    cred: Cred = ROOT_CRED,
  ): KStatus {
    return names.setAttr(this.#table, base, path, change, follow, cred);
  }

  /**
   * statfs: the usage of the file system holding `path` (followed), or of
   * the open `file`'s (a status for anonymous files such as pipes).
   */
  statfs(base: PathLoc | null, path: string, cred: Cred = ROOT_CRED): FsUsageReport | KStatus {
    const loc = lookup(this.#table, base, path, true, cred);
    return typeof loc === "number" ? loc : usageOf(loc.mount);
  }

  /** fstatfs: as {@link statfs}, for the file system an open description belongs to. */
  fstatfs(file: OpenFile): FsUsageReport | KStatus {
    const loc = this.#locs.get(file);
    return loc === undefined ? K.BADF : usageOf(loc.mount);
  }

  /**
   * fsync / fdatasync (`dataOnly`): the file's own operation, K.OK when it
   * has none (memory file systems, pipes). K.RESTART while it waits.
   */
  fsync(file: OpenFile, dataOnly: boolean): KStatus {
    const ops = opsOf(file);
    if (ops === null) return K.BADF;
    return ops.fsync?.(file, dataOnly) ?? K.OK;
  }

  /** syncfs: syncs the file system `file` belongs to (K.OK for one with nothing to write). */
  syncfs(file: OpenFile): KStatus {
    const loc = this.#locs.get(file);
    if (loc === undefined) return K.OK; // anonymous (a pipe): nothing behind it
    return loc.mount.fs.sync?.() ?? K.OK;
  }

  /** sync: syncs every mounted file system in mount order; K.RESTART while one waits. */
  syncAll(): KStatus {
    let err: KStatus = K.OK;
    for (const m of this.#table.list()) {
      const r = m.fs.sync?.() ?? K.OK;
      if (r === K.RESTART) return r;
      if (r < 0) err = r;
    }
    return err;
  }

  /** Checks access like access(2): `want` is a mask of 4 (read), 2 (write), 1 (execute). */
  access(base: PathLoc | null, path: string, want: number, cred: Cred = ROOT_CRED): KStatus {
    return names.access(this.#table, base, path, want, cred);
  }

  /** Reads a whole regular file (for exec); K.ISDIR/K.ACCES/K.NOENT as open and read give. */
  readWholeFile(path: string, base: PathLoc | null = null): Uint8Array | KStatus {
    const r = this.open(base, path, OpenFlags.READ);
    if (typeof r === "number") return r;
    const file = r.file;
    try {
      const type = file.inode?.stat().mode ?? 0;
      if ((type & S_IFMT) !== S_IFREG) return (type & S_IFMT) === S_IFDIR ? K.ISDIR : K.ACCES;
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const buf = new Uint8Array(65536);
        const n = this.read(file, buf);
        if (n < 0) return n;
        if (n === 0) break;
        chunks.push(buf.subarray(0, n));
        total += n;
      }
      const out = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
      return out;
    } finally {
      this.close(file);
    }
  }
}
