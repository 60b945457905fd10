/**
 * The virtual file system: mount table, path lookup, and the file entry
 * points the personalities call (through `kernel/api.ts`).
 *
 * Paths are resolved component by component from a {@link PathLoc} (the
 * root, or a process's working directory). A `PathLoc` keeps the whole chain
 * of directories it was reached by, so `..` pops one step (and crosses back
 * over a mount point), `..` at the root stays at the root, and the canonical
 * absolute path for `getcwd` is the chain's names. Symbolic links are
 * expanded in place, at most {@link MAX_SYMLINKS} per lookup (K.LOOP beyond).
 *
 * Permissions are checked simply: root (uid 0) may do anything; otherwise
 * the owner bits apply to the owner and the "other" bits to everyone else
 * (group bits are not consulted).
 *
 * All results are kernel statuses (negative numbers) or values; nothing here
 * throws for bad guest input.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { WaitQueue } from "../ipc/wait_queue.ts";
import type { CharDeviceRegistry } from "../io/char_device.ts";
import {
  type AttrChange,
  type Cred,
  type FileSystem,
  type FsInode,
  NAME_MAX,
  OpenFileDescription,
  opsOf,
  PATH_MAX,
  ROOT_CRED,
} from "./node.ts";
import { createFifoEnd, FifoRegistry } from "./pipefs.ts";
import {
  type DirEntry,
  type FileCaller,
  type FileOps,
  type OpenFile,
  OpenFlags,
  OpenOutcome,
  PollState,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  type Stat,
} from "./types.ts";

/** Maximum symbolic links followed in one lookup (as Linux's 40). */
export const MAX_SYMLINKS = 40;

/** `whence` values of {@link Vfs.lseek}. */
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;

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

interface ParentLookup {
  frames: PathFrame[];
  name: string;
  trailingSlash: boolean;
}

const DEFAULT_CALLER: FileCaller = {
  pid: 0,
  pgid: 0,
  sid: 0,
  memory: { copyIn: () => null, copyOut: () => false },
};

const te = new TextEncoder();

/** The virtual file system of one kernel. */
export class Vfs {
  /** Character device registry (may be absent: device nodes then give K.NODEV). */
  readonly charDevices: CharDeviceRegistry | undefined;
  readonly #rootMount: Mount;
  readonly #mounts: Mount[] = [];
  // Mount points keyed by the covered directory inode (file systems keep inode objects stable).
  readonly #mountOn = new Map<FsInode, Mount>();
  readonly #openCount = new Map<Mount, number>();
  readonly #fifos = new FifoRegistry();
  // Where each description was opened, for *at() calls relative to a directory descriptor.
  readonly #locs = new WeakMap<OpenFile, PathLoc>();

  /** Creates a VFS with `options.root` mounted at `/`. */
  constructor(options: VfsOptions) {
    this.#rootMount = { fs: options.root, path: "/", covered: [] };
    this.#mounts.push(this.#rootMount);
    this.charDevices = options.charDevices;
  }

  /** The root location. */
  root(): PathLoc {
    return new PathLoc([{ inode: this.#rootMount.fs.root, mount: this.#rootMount, name: "" }]);
  }

  /** Current mounts, root first. */
  mounts(): readonly Mount[] {
    return this.#mounts;
  }

  /** Mounts `fs` on the directory `path`; K.BUSY if something is mounted there already. */
  mount(path: string, fs: FileSystem, base: PathLoc | null = null): KStatus {
    const loc = this.lookup(base, path, true);
    if (typeof loc === "number") return loc;
    if ((loc.inode.stat().mode & S_IFMT) !== S_IFDIR) return K.NOTDIR;
    if (loc.frames.length === 1) return K.BUSY;
    const m: Mount = { fs, path: loc.path, covered: loc.frames };
    this.#mountOn.set(loc.inode, m);
    this.#mounts.push(m);
    return K.OK;
  }

  /** Unmounts the file system mounted at `path`; K.BUSY while files on it are open. */
  umount(path: string, base: PathLoc | null = null): KStatus {
    const loc = this.lookup(base, path, true);
    if (typeof loc === "number") return loc;
    const m = loc.mount;
    if (m === this.#rootMount || loc.frames.length === 0) return K.BUSY;
    if (loc.inode !== m.fs.root) return K.INVAL;
    if ((this.#openCount.get(m) ?? 0) > 0) return K.BUSY;
    for (const other of this.#mounts) {
      if (other !== m && other.covered.some((f) => f.mount === m)) return K.BUSY;
    }
    this.#mountOn.delete(m.covered[m.covered.length - 1].inode);
    this.#mounts.splice(this.#mounts.indexOf(m), 1);
    return K.OK;
  }

  // ---- lookup ----

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
    const frames = this.#start(base, path);
    if (typeof frames === "number") return frames;
    const st = this.#walk(frames, path, follow, cred, { links: 0 });
    if (st < 0) return st;
    return new PathLoc(frames);
  }

  #start(base: PathLoc | null, path: string): PathFrame[] | KStatus {
    if (path.length === 0) return K.NOENT;
    if (exceeds(path, PATH_MAX - 1)) return K.NAMETOOLONG;
    if (path.includes("\0")) return K.INVAL;
    return path[0] === "/" || base === null ? this.root().frames.slice() : base.frames.slice();
  }

  /** Walks every component of `path`, mutating `frames`. */
  #walk(
    frames: PathFrame[],
    path: string,
    followLast: boolean,
    cred: Cred,
    ctx: { links: number },
  ): KStatus {
    if (path[0] === "/") frames.length = 1;
    const comps = path.split("/").filter((c) => c.length > 0);
    const trailingSlash = path.endsWith("/") && comps.length > 0;
    for (let i = 0; i < comps.length; i++) {
      const isLast = i === comps.length - 1;
      const st = this.#step(frames, comps[i], !isLast || followLast || trailingSlash, cred, ctx);
      if (st < 0) return st;
    }
    if (trailingSlash && !isDir(frames[frames.length - 1].inode)) return K.NOTDIR;
    return K.OK;
  }

  /** Moves one component down (or up for `..`). */
  #step(
    frames: PathFrame[],
    name: string,
    follow: boolean,
    cred: Cred,
    ctx: { links: number },
  ): KStatus {
    const top = frames[frames.length - 1];
    if (!isDir(top.inode)) return K.NOTDIR;
    const perm = permit(top.inode, cred, 1);
    if (perm < 0) return perm;
    if (name === ".") return K.OK;
    if (name === "..") {
      if (frames.length > 1) frames.pop();
      return K.OK;
    }
    if (exceeds(name, NAME_MAX)) return K.NAMETOOLONG;
    const found = top.inode.lookup?.(name) ?? K.NOTDIR;
    if (typeof found === "number") return found;
    let child: FsInode = found;
    let mount = top.mount;
    for (let m = this.#mountOn.get(child); m !== undefined; m = this.#mountOn.get(child)) {
      child = m.fs.root;
      mount = m;
    }
    if (follow && (modeOf(child) & S_IFMT) === S_IFLNK) {
      if (++ctx.links > MAX_SYMLINKS) return K.LOOP;
      const target = child.readlink?.() ?? K.INVAL;
      if (typeof target === "number") return target;
      if (target.length === 0) return K.NOENT;
      return this.#walk(frames, target, true, cred, ctx);
    }
    frames.push({ inode: child, mount, name });
    return K.OK;
  }

  /** Resolves all but the last component; returns the parent chain and the last name. */
  #lookupParent(base: PathLoc | null, path: string, cred: Cred): ParentLookup | KStatus {
    const frames = this.#start(base, path);
    if (typeof frames === "number") return frames;
    if (path[0] === "/") frames.length = 1;
    const comps = path.split("/").filter((c) => c.length > 0);
    const trailingSlash = path.endsWith("/");
    const ctx = { links: 0 };
    for (let i = 0; i < comps.length - 1; i++) {
      const st = this.#step(frames, comps[i], true, cred, ctx);
      if (st < 0) return st;
    }
    const dir = frames[frames.length - 1].inode;
    if (!isDir(dir)) return K.NOTDIR;
    const name = comps.length > 0 ? comps[comps.length - 1] : "";
    if (exceeds(name, NAME_MAX)) return K.NAMETOOLONG;
    return { frames, name, trailingSlash };
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
    let loc: PathLoc;
    let outcome: number = OpenOutcome.OPENED;
    if (flags & OpenFlags.CREATE) {
      const p = this.#lookupParent(base, path, cred);
      if (typeof p === "number") return p;
      if (p.name === "" || p.name === "." || p.name === "..") {
        const r = this.lookup(base, path, true, cred);
        if (typeof r === "number") return r;
        if (flags & OpenFlags.EXCL) return K.EXIST;
        loc = r;
      } else {
        const parent = p.frames[p.frames.length - 1];
        const found = parent.inode.lookup?.(p.name) ?? K.NOTDIR;
        if (found === K.NOENT) {
          if (p.trailingSlash) return K.ISDIR;
          if (parent.mount.fs.readOnly) return K.ROFS;
          const perm = permit(parent.inode, cred, 3);
          if (perm < 0) return perm;
          if (parent.inode.create === undefined) return K.NOTSUP;
          const made = parent.inode.create(p.name, mode & 0o7777, cred);
          if (typeof made === "number") return made;
          loc = new PathLoc([...p.frames, { inode: made, mount: parent.mount, name: p.name }]);
          outcome = OpenOutcome.CREATED;
        } else if (typeof found === "number") {
          return found;
        } else {
          if (flags & OpenFlags.EXCL) return K.EXIST;
          const r = this.lookup(base, path, (flags & OpenFlags.NOFOLLOW) === 0, cred);
          if (typeof r === "number") return r;
          loc = r;
        }
      }
    } else {
      const r = this.lookup(base, path, (flags & OpenFlags.NOFOLLOW) === 0, cred);
      if (typeof r === "number") return r;
      loc = r;
    }
    return this.#openLoc(loc, flags, outcome, cred);
  }

  #openLoc(loc: PathLoc, flags: number, outcome: number, cred: Cred): OpenResult | KStatus {
    const inode = loc.inode;
    const st = inode.stat();
    const type = st.mode & S_IFMT;
    const wantsWrite = (flags & (OpenFlags.WRITE | OpenFlags.TRUNC)) !== 0;
    if (flags & OpenFlags.PATH) {
      const file = new OpenFileDescription(inode, PATH_OPS, OpenFlags.PATH, loc.path);
      this.#track(file, loc.mount, 1);
      this.#locs.set(file, loc);
      return { file, outcome };
    }
    if (type === S_IFLNK) return K.LOOP;
    if ((flags & OpenFlags.DIRECTORY) && type !== S_IFDIR) return K.NOTDIR;
    if (type === S_IFDIR && wantsWrite) return K.ISDIR;
    if (wantsWrite && loc.mount.fs.readOnly && type !== S_IFCHR && type !== S_IFIFO) {
      return K.ROFS;
    }
    if (outcome !== OpenOutcome.CREATED) {
      const want = ((flags & OpenFlags.READ) ? 4 : 0) | (wantsWrite ? 2 : 0);
      const perm = permit(inode, cred, want);
      if (perm < 0) return perm;
    }
    let ops: FileOps = inode.fileOps;
    let file: OpenFileDescription;
    if (type === S_IFCHR) {
      const dev = this.charDevices?.lookup(st.rdev);
      if (dev === undefined) return K.NODEV;
      file = new OpenFileDescription(inode, dev.fileOps, flags, loc.path);
      const r = dev.open?.(file) ?? K.OK;
      if (r < 0) return r;
    } else if (type === S_IFIFO) {
      const end = createFifoEnd(this.#fifos.pipeFor(inode), inode, flags, loc.path);
      if (typeof end === "number") return end;
      file = end;
    } else {
      if (type === S_IFREG && (flags & OpenFlags.TRUNC) && (flags & OpenFlags.WRITE)) {
        if (st.size > 0 || outcome === OpenOutcome.OPENED) {
          const r = inode.truncate?.(0) ?? K.NOTSUP;
          if (r < 0) return r;
          if (outcome === OpenOutcome.OPENED) outcome = OpenOutcome.TRUNCATED;
        }
      }
      ops = inode.fileOps;
      file = new OpenFileDescription(inode, ops, flags, loc.path);
    }
    const r = inode.open?.(file) ?? K.OK;
    if (r < 0) return r;
    this.#track(file, loc.mount, 1);
    this.#locs.set(file, loc);
    return { file, outcome };
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

  #track(file: OpenFileDescription, mount: Mount, delta: number): void {
    if (delta > 0) (file as { vfsMount?: Mount }).vfsMount = mount;
    this.#openCount.set(mount, (this.#openCount.get(mount) ?? 0) + delta);
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
    const m = (file as { vfsMount?: Mount }).vfsMount;
    if (m !== undefined && file instanceof OpenFileDescription) this.#track(file, m, -1);
    return K.OK;
  }

  // ---- data ----

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
        pos = (file.inode?.stat().size ?? 0) + offset;
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

  /**
   * The directory in which `path` names a new entry, checked for every create
   * (mkdir, mknod, symlink, link): a real name that does not exist yet, a
   * writable file system (on `sameMount` when given) and write permission.
   */
  #newEntryParent(
    base: PathLoc | null,
    path: string,
    cred: Cred,
    sameMount: Mount | null,
  ): { parent: PathFrame; name: string } | KStatus {
    const p = this.#lookupParent(base, path, cred);
    if (typeof p === "number") return p;
    if (p.name === "" || p.name === "." || p.name === "..") return K.EXIST;
    const parent = p.frames[p.frames.length - 1];
    if (sameMount !== null && parent.mount !== sameMount) return K.XDEV;
    const existing = parent.inode.lookup?.(p.name) ?? K.NOTDIR;
    if (typeof existing !== "number") return K.EXIST;
    if (existing !== K.NOENT) return existing;
    if (parent.mount.fs.readOnly) return K.ROFS;
    const perm = permit(parent.inode, cred, 3);
    if (perm < 0) return perm;
    return { parent, name: p.name };
  }

  /** Creates a directory. */
  mkdir(base: PathLoc | null, path: string, mode = 0o755, cred: Cred = ROOT_CRED): KStatus {
    const p = this.#newEntryParent(base, path, cred, null);
    if (typeof p === "number") return p;
    const { parent, name } = p;
    const r = parent.inode.mkdir?.(name, mode & 0o7777, cred) ?? K.NOTSUP;
    return typeof r === "number" ? r : K.OK;
  }

  /** Creates a device special file or FIFO (`mode` includes S_IFCHR/S_IFBLK/S_IFIFO). */
  mknod(
    base: PathLoc | null,
    path: string,
    mode: number,
    rdev = 0,
    cred: Cred = ROOT_CRED,
  ): KStatus {
    const p = this.#newEntryParent(base, path, cred, null);
    if (typeof p === "number") return p;
    const { parent, name } = p;
    if ((mode & S_IFMT) === S_IFREG || (mode & S_IFMT) === 0) {
      const r = parent.inode.create?.(name, mode & 0o7777, cred) ?? K.NOTSUP;
      return typeof r === "number" ? r : K.OK;
    }
    const r = parent.inode.mknod?.(name, mode, rdev, cred) ?? K.NOTSUP;
    return typeof r === "number" ? r : K.OK;
  }

  /** Creates a symbolic link at `path` holding `target`. */
  symlink(target: string, base: PathLoc | null, path: string, cred: Cred = ROOT_CRED): KStatus {
    if (target.length === 0) return K.NOENT;
    if (te.encode(target).length >= PATH_MAX) return K.NAMETOOLONG;
    const p = this.#newEntryParent(base, path, cred, null);
    if (typeof p === "number") return p;
    const { parent, name } = p;
    const r = parent.inode.symlink?.(name, target, cred) ?? K.NOTSUP;
    return typeof r === "number" ? r : K.OK;
  }

  /** The target of the symbolic link at `path`; K.INVAL if it is not a link. */
  readlink(base: PathLoc | null, path: string, cred: Cred = ROOT_CRED): string | KStatus {
    const loc = this.lookup(base, path, false, cred);
    if (typeof loc === "number") return loc;
    if ((loc.inode.stat().mode & S_IFMT) !== S_IFLNK) return K.INVAL;
    return loc.inode.readlink?.() ?? K.INVAL;
  }

  /** Adds a hard link `newPath` to the non-directory `oldPath`. */
  link(
    oldBase: PathLoc | null,
    oldPath: string,
    newBase: PathLoc | null,
    newPath: string,
    cred: Cred = ROOT_CRED,
  ): KStatus {
    const src = this.lookup(oldBase, oldPath, false, cred);
    if (typeof src === "number") return src;
    if (isDir(src.inode)) return K.PERM;
    const p = this.#newEntryParent(newBase, newPath, cred, src.mount);
    if (typeof p === "number") return p;
    return p.parent.inode.link?.(p.name, src.inode) ?? K.NOTSUP;
  }

  /** Removes a non-directory name; an open file keeps its data until the last close. */
  unlink(base: PathLoc | null, path: string, cred: Cred = ROOT_CRED): KStatus {
    const p = this.#lookupParent(base, path, cred);
    if (typeof p === "number") return p;
    if (p.name === "" || p.name === "." || p.name === "..") return K.ISDIR;
    const parent = p.frames[p.frames.length - 1];
    const victim = parent.inode.lookup?.(p.name) ?? K.NOTDIR;
    if (typeof victim === "number") return victim;
    if (isDir(victim)) return K.ISDIR;
    if (p.trailingSlash) return K.NOTDIR;
    if (parent.mount.fs.readOnly) return K.ROFS;
    const perm = permit(parent.inode, cred, 3);
    if (perm < 0) return perm;
    return parent.inode.unlink?.(p.name) ?? K.NOTSUP;
  }

  /** Removes an empty directory. */
  rmdir(base: PathLoc | null, path: string, cred: Cred = ROOT_CRED): KStatus {
    const p = this.#lookupParent(base, path, cred);
    if (typeof p === "number") return p;
    if (p.name === "") return K.BUSY;
    if (p.name === ".") return K.INVAL;
    if (p.name === "..") return K.NOTEMPTY;
    const parent = p.frames[p.frames.length - 1];
    const victim = parent.inode.lookup?.(p.name) ?? K.NOTDIR;
    if (typeof victim === "number") return victim;
    if (!isDir(victim)) return K.NOTDIR;
    if (this.#mountOn.has(victim)) return K.BUSY;
    if (parent.mount.fs.readOnly) return K.ROFS;
    const perm = permit(parent.inode, cred, 3);
    if (perm < 0) return perm;
    return parent.inode.rmdir?.(p.name) ?? K.NOTSUP;
  }

  /** Renames within one file system (K.XDEV across mounts). */
  rename(
    oldBase: PathLoc | null,
    oldPath: string,
    newBase: PathLoc | null,
    newPath: string,
    cred: Cred = ROOT_CRED,
  ): KStatus {
    const a = this.#lookupParent(oldBase, oldPath, cred);
    if (typeof a === "number") return a;
    const b = this.#lookupParent(newBase, newPath, cred);
    if (typeof b === "number") return b;
    for (const n of [a.name, b.name]) {
      if (n === "" || n === "." || n === "..") return K.BUSY;
    }
    const from = a.frames[a.frames.length - 1];
    const to = b.frames[b.frames.length - 1];
    if (from.mount !== to.mount) return K.XDEV;
    const src = from.inode.lookup?.(a.name) ?? K.NOTDIR;
    if (typeof src === "number") return src;
    if (this.#mountOn.has(src)) return K.BUSY;
    const srcIsDir = isDir(src);
    if ((a.trailingSlash || b.trailingSlash) && !srcIsDir) return K.NOTDIR;
    // A directory cannot move into its own subtree.
    if (srcIsDir && b.frames.some((f) => f.inode === src)) return K.INVAL;
    const dst = to.inode.lookup?.(b.name) ?? K.NOTDIR;
    if (typeof dst !== "number") {
      if (dst === src) return K.OK;
      if (this.#mountOn.has(dst)) return K.BUSY;
      if (isDir(dst) && !srcIsDir) return K.ISDIR;
      if (!isDir(dst) && srcIsDir) return K.NOTDIR;
    } else if (dst !== K.NOENT) return dst;
    if (from.mount.fs.readOnly) return K.ROFS;
    let perm = permit(from.inode, cred, 3);
    if (perm === K.OK) perm = permit(to.inode, cred, 3);
    if (perm < 0) return perm;
    return from.inode.rename?.(a.name, to.inode, b.name) ?? K.NOTSUP;
  }

  /** Truncates the regular file at `path`. */
  truncate(base: PathLoc | null, path: string, size: number, cred: Cred = ROOT_CRED): KStatus {
    if (size < 0 || !Number.isSafeInteger(size)) return K.INVAL;
    const loc = this.lookup(base, path, true, cred);
    if (typeof loc === "number") return loc;
    const type = loc.inode.stat().mode & S_IFMT;
    if (type === S_IFDIR) return K.ISDIR;
    if (type !== S_IFREG) return K.INVAL;
    if (loc.mount.fs.readOnly) return K.ROFS;
    const perm = permit(loc.inode, cred, 2);
    if (perm < 0) return perm;
    return loc.inode.truncate?.(size) ?? K.NOTSUP;
  }

  /** Changes attributes (chmod/chown/utimes); only root or the owner may. */
  setAttr(
    base: PathLoc | null,
    path: string,
    change: AttrChange,
    follow = true,
    cred: Cred = ROOT_CRED,
  ): KStatus {
    const loc = this.lookup(base, path, follow, cred);
    if (typeof loc === "number") return loc;
    if (loc.mount.fs.readOnly) return K.ROFS;
    const st = loc.inode.stat();
    if (cred.uid !== 0 && (cred.uid !== st.uid || change.uid !== undefined)) return K.PERM;
    return loc.inode.setAttr?.(change) ?? K.NOTSUP;
  }

  /** Checks access like access(2): `want` is a mask of 4 (read), 2 (write), 1 (execute). */
  access(base: PathLoc | null, path: string, want: number, cred: Cred = ROOT_CRED): KStatus {
    const loc = this.lookup(base, path, true, cred);
    if (typeof loc === "number") return loc;
    if ((want & 2) && loc.mount.fs.readOnly) return K.ROFS;
    if (cred.uid === 0 && (want & 1) && !isDir(loc.inode)) {
      return (loc.inode.stat().mode & 0o111) !== 0 ? K.OK : K.ACCES;
    }
    return permit(loc.inode, cred, want);
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

function modeOf(inode: FsInode): number {
  return inode.mode ?? inode.stat().mode;
}

function isDir(inode: FsInode): boolean {
  return (modeOf(inode) & S_IFMT) === S_IFDIR;
}

/** UTF-8 length of `s`, computed only when it could exceed `limit`. */
function exceeds(s: string, limit: number): boolean {
  if (s.length * 3 <= limit) return false;
  return te.encode(s).length > limit;
}

/** Simple owner/other permission check; root bypasses. `want`: 4 read, 2 write, 1 exec. */
function permit(inode: FsInode, cred: Cred, want: number): KStatus {
  if (cred.uid === 0 || want === 0) return K.OK;
  const st = inode.stat(); // uid is needed too, so the full Stat
  const bits = cred.uid === st.uid ? (st.mode >> 6) & 7 : st.mode & 7;
  return (bits & want) === want ? K.OK : K.ACCES;
}

/** Operations of an O_PATH description: nothing but fstat and close. */
const PATH_OPS: FileOps = {
  read: () => K.BADF,
  write: () => K.BADF,
};
