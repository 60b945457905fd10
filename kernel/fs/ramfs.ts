/**
 * ramfs: a file system in host memory, the root file system of a booted
 * machine (filled from the initramfs).
 *
 * Regular files are sparse: data lives in 4 KiB pages allocated on first
 * write, so a write far past the end costs one page and the hole reads as
 * zeros (stat's `blocks` counts allocated pages). Directories keep their entries in
 * insertion order, symbolic links hold their target, device nodes and FIFOs
 * hold their type and rdev. Link counts follow Unix rules (a directory has
 * 2 + its subdirectories); an unlinked file that is still open keeps its data
 * until its last close. Times come from an injected clock.
 *
 * Deferred data: a file of the initramfs may hold, instead of pages, a
 * loader of its bytes (the host file) that runs at the first read, write or
 * shrink ({@link PagedBytes.defer}); its pages count from the start, so
 * stat and statfs are the same before and after. When the loader fails (the
 * host file changed or went away) the file's data calls give K.IO.
 *
 * Size limit (`size=` of Linux's tmpfs): every data page counts against the
 * file system's {@link RamFs.sizeLimit}; a write that needs a page past it
 * writes what fits and then gives K.NOSPC, and `statfs` reports the pages
 * in use. Pages come back when a file shrinks or when its last name and its
 * last open description are gone.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import { PAGE_SIZE, type PageAccount, PagedBytes } from "./paged_bytes.ts";

export { PAGE_SIZE, type PageAccount, PagedBytes } from "./paged_bytes.ts";
import {
  type AttrChange,
  checkName,
  type Cred,
  type FileSystem,
  type FsInode,
  type FsUsage,
  makeStat,
} from "./node.ts";

/** statfs magic of Linux's ramfs (no size limit). */
export const RAMFS_MAGIC = 0x858458f6;
/** statfs magic of Linux's tmpfs (a ramfs with a size limit reports it). */
export const TMPFS_MAGIC = 0x01021994;
import {
  type DirEntry,
  type FileOps,
  type OpenFile,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
  type Stat,
} from "./types.ts";

/** Options of a {@link RamFs}. */
export interface RamFsOptions {
  /** Current time in nanoseconds (simulated or RTC); default: always 0. */
  now?: () => bigint;
  /** Device id reported by stat. */
  dev?: number;
  /** Largest file in bytes (K.FBIG beyond; default 256 MiB). */
  maxFileSize?: number;
  /** Permission bits of the root directory (default 0o755). */
  rootMode?: number;
  /** Most bytes of file data (rounded down to pages; K.NOSPC beyond; default unlimited). */
  sizeLimit?: number;
}

/** An inode of a {@link RamFs}. */
export class RamInode implements FsInode {
  /** Inode number. */
  readonly ino: number;
  /** Type and permission bits. */
  mode: number;
  /** Owner. */
  uid: number;
  /** Group. */
  gid: number;
  /** Link count. */
  nlink: number;
  /** Device number of a device node. */
  rdev = 0;
  /** Access time (ns). */
  atimeNs: bigint;
  /** Modification time (ns). */
  mtimeNs: bigint;
  /** Status change time (ns). */
  ctimeNs: bigint;
  /** File contents (regular files; `size` bytes are valid, holes read as zeros). */
  readonly data: PagedBytes;
  /** Open descriptions of this inode (data of an unlinked file lives until the last closes). */
  opens = 0;
  /** File size. */
  size = 0;
  /** Directory entries (directories). */
  entries: Map<string, RamInode> | null = null;
  /** Parent directory (directories; the root is its own parent). */
  parent: RamInode | null = null;
  /** Link target (symbolic links). */
  target = "";
  /** Operations for open descriptions. */
  readonly fileOps: FileOps;
  readonly #fs: RamFs;

  /** Creates an inode; use the directory operations rather than this. */
  constructor(fs: RamFs, ino: number, mode: number, cred: Cred) {
    this.#fs = fs;
    this.ino = ino;
    this.data = new PagedBytes(fs.pages);
    this.mode = mode;
    this.uid = cred.uid;
    this.gid = cred.gid;
    const t = fs.now();
    this.atimeNs = this.mtimeNs = this.ctimeNs = t;
    const type = mode & S_IFMT;
    this.nlink = type === S_IFDIR ? 2 : 1;
    if (type === S_IFDIR) this.entries = new Map();
    this.fileOps = type === S_IFDIR ? RAM_DIR_OPS : RAM_FILE_OPS;
  }

  /** The file system this inode belongs to. */
  get fs(): RamFs {
    return this.#fs;
  }

  /** Attributes. */
  stat(): Stat {
    const type = this.mode & S_IFMT;
    const size = type === S_IFLNK
      ? new TextEncoder().encode(this.target).length
      : type === S_IFDIR
      ? (this.entries?.size ?? 0) * 32
      : this.size;
    return makeStat({
      dev: this.#fs.dev,
      ino: this.ino,
      mode: this.mode,
      nlink: this.nlink,
      uid: this.uid,
      gid: this.gid,
      rdev: this.rdev,
      size,
      blocks: type === S_IFREG ? this.data.pageCount * (PAGE_SIZE / 512) : 0,
      atimeNs: this.atimeNs,
      mtimeNs: this.mtimeNs,
      ctimeNs: this.ctimeNs,
    });
  }

  #isDir(): boolean {
    return this.entries !== null;
  }

  #touch(): void {
    this.mtimeNs = this.ctimeNs = this.#fs.now();
  }

  /** Looks a name up. */
  lookup(name: string): RamInode | KStatus {
    if (this.entries === null) return K.NOTDIR;
    return this.entries.get(name) ?? K.NOENT;
  }

  #add(name: string, mode: number, cred: Cred): RamInode | KStatus {
    if (this.entries === null) return K.NOTDIR;
    const bad = checkName(name);
    if (bad < 0) return bad;
    if (this.entries.has(name)) return K.EXIST;
    if (this.nlink === 0) return K.NOENT; // a removed directory accepts no new entries
    const node = this.#fs.newInode(mode, cred);
    this.entries.set(name, node);
    if (node.entries !== null) {
      node.parent = this;
      this.nlink++;
    }
    this.#touch();
    return node;
  }

  /** Creates a regular file. */
  create(name: string, mode: number, cred: Cred): RamInode | KStatus {
    return this.#add(name, S_IFREG | (mode & 0o7777), cred);
  }

  /** Creates a directory. */
  mkdir(name: string, mode: number, cred: Cred): RamInode | KStatus {
    return this.#add(name, S_IFDIR | (mode & 0o7777), cred);
  }

  /** Creates a device node, FIFO or socket placeholder. */
  mknod(name: string, mode: number, rdev: number, cred: Cred): RamInode | KStatus {
    const type = mode & S_IFMT;
    if (
      type !== S_IFCHR && type !== S_IFBLK && type !== S_IFIFO && type !== S_IFSOCK &&
      type !== S_IFREG
    ) {
      return K.INVAL;
    }
    const node = this.#add(name, mode, cred);
    if (typeof node !== "number") node.rdev = rdev;
    return node;
  }

  /** Creates a symbolic link. */
  symlink(name: string, target: string, cred: Cred): RamInode | KStatus {
    const node = this.#add(name, S_IFLNK | 0o777, cred);
    if (typeof node !== "number") node.target = target;
    return node;
  }

  /** Adds a hard link to a non-directory of this file system. */
  link(name: string, target: FsInode): KStatus {
    if (this.entries === null) return K.NOTDIR;
    if (!(target instanceof RamInode) || target.fs !== this.#fs) return K.XDEV;
    if (target.entries !== null) return K.PERM;
    const bad = checkName(name);
    if (bad < 0) return bad;
    if (this.entries.has(name)) return K.EXIST;
    if (target.nlink >= 65000) return K.MLINK;
    this.entries.set(name, target);
    target.nlink++;
    target.ctimeNs = this.#fs.now();
    this.#touch();
    return K.OK;
  }

  /** Removes a non-directory entry (open descriptions keep the inode alive). */
  unlink(name: string): KStatus {
    if (this.entries === null) return K.NOTDIR;
    const node = this.entries.get(name);
    if (node === undefined) return K.NOENT;
    if (node.entries !== null) return K.ISDIR;
    this.entries.delete(name);
    node.nlink--;
    node.ctimeNs = this.#fs.now();
    node.dropDataIfGone();
    this.#touch();
    return K.OK;
  }

  /** Frees the data of a file with no name left and no open description. */
  dropDataIfGone(): void {
    if (this.nlink <= 0 && this.opens === 0) this.data.discardFrom(0);
  }

  /** Counts an open description (the VFS calls this at open). */
  open(_file: OpenFile): KStatus {
    this.opens++;
    return K.OK;
  }

  /** Removes an empty directory. */
  rmdir(name: string): KStatus {
    if (this.entries === null) return K.NOTDIR;
    const node = this.entries.get(name);
    if (node === undefined) return K.NOENT;
    if (node.entries === null) return K.NOTDIR;
    if (node.entries.size > 0) return K.NOTEMPTY;
    this.entries.delete(name);
    node.nlink = 0;
    this.nlink--;
    this.#touch();
    return K.OK;
  }

  /** Moves `name` to `newDir`/`newName`, replacing a compatible target. */
  rename(name: string, newDir: FsInode, newName: string): KStatus {
    if (this.entries === null) return K.NOTDIR;
    if (!(newDir instanceof RamInode) || newDir.fs !== this.#fs) return K.XDEV;
    if (newDir.entries === null) return K.NOTDIR;
    const bad = checkName(newName);
    if (bad < 0) return bad;
    const node = this.entries.get(name);
    if (node === undefined) return K.NOENT;
    const old = newDir.entries.get(newName);
    if (old === node) return K.OK;
    if (old !== undefined) {
      if (old.entries !== null) {
        if (node.entries === null) return K.ISDIR;
        if (old.entries.size > 0) return K.NOTEMPTY;
        newDir.entries.delete(newName);
        old.nlink = 0;
        newDir.nlink--;
      } else {
        if (node.entries !== null) return K.NOTDIR;
        newDir.entries.delete(newName);
        old.nlink--;
        old.dropDataIfGone();
      }
    }
    this.entries.delete(name);
    newDir.entries.set(newName, node);
    if (node.entries !== null && newDir !== this) {
      node.parent = newDir;
      this.nlink--;
      newDir.nlink++;
    }
    node.ctimeNs = this.#fs.now();
    this.#touch();
    if (newDir !== this) newDir.#touch();
    return K.OK;
  }

  /** The link target. */
  readlink(): string | KStatus {
    if ((this.mode & S_IFMT) !== S_IFLNK) return K.INVAL;
    this.atimeNs = this.#fs.now();
    return this.target;
  }

  /** Sets the size, zero-filling growth. */
  truncate(size: number): KStatus {
    if ((this.mode & S_IFMT) !== S_IFREG) return K.INVAL;
    if (size > this.#fs.maxFileSize) return K.FBIG;
    if (size < this.size && size > 0 && !this.data.resident()) return K.IO;
    if (size < this.size) this.data.discardFrom(size);
    this.size = size;
    this.#touch();
    return K.OK;
  }

  /** Changes attributes. */
  setAttr(change: AttrChange): KStatus {
    if (change.mode !== undefined) this.mode = (this.mode & S_IFMT) | (change.mode & 0o7777);
    if (change.uid !== undefined) this.uid = change.uid;
    if (change.gid !== undefined) this.gid = change.gid;
    if (change.atimeNs !== undefined) this.atimeNs = change.atimeNs;
    if (change.mtimeNs !== undefined) this.mtimeNs = change.mtimeNs;
    this.ctimeNs = this.#fs.now();
    return K.OK;
  }

  /**
   * Gives the file `size` bytes that `load` returns on first use, instead
   * of writing them now (an empty regular file only; see {@link PagedBytes.defer}).
   */
  deferData(size: number, load: () => Uint8Array | null): void {
    if ((this.mode & S_IFMT) !== S_IFREG || this.size !== 0) {
      throw new RangeError("deferred data needs an empty regular file");
    }
    this.data.defer(size, load);
    this.size = size;
  }

  /** Reads file data at `pos` into `buf`. */
  readAt(buf: Uint8Array, pos: number): number {
    if (pos >= this.size) return 0;
    if (!this.data.resident()) return K.IO;
    const n = Math.min(buf.length, this.size - pos);
    this.data.read(buf, pos, n);
    this.atimeNs = this.#fs.now();
    return n;
  }

  /** Writes `src` at `pos`, growing the file (sparse gap filled with zeros). */
  writeAt(src: Uint8Array, pos: number): number {
    if (src.length === 0) return 0;
    const end = pos + src.length;
    if (end > this.#fs.maxFileSize) {
      if (pos >= this.#fs.maxFileSize) return K.FBIG;
      return this.writeAt(src.subarray(0, this.#fs.maxFileSize - pos), pos);
    }
    if (!this.data.resident()) return K.IO;
    const n = this.data.write(src, pos);
    if (n === 0) return K.NOSPC;
    if (pos + n > this.size) this.size = pos + n;
    this.#touch();
    return n;
  }

  /** Directory listing with `.` and `..` first. */
  listing(): DirEntry[] {
    if (this.entries === null) return [];
    const out: DirEntry[] = [
      { ino: this.ino, name: ".", type: S_IFDIR },
      { ino: (this.parent ?? this).ino, name: "..", type: S_IFDIR },
    ];
    for (const [name, node] of this.entries) {
      out.push({ ino: node.ino, name, type: node.mode & S_IFMT });
    }
    return out;
  }

  /** True if this is a directory. */
  get isDirectory(): boolean {
    return this.#isDir();
  }
}

const RAM_FILE_OPS: FileOps = {
  release(file: OpenFile): void {
    const node = file.inode as RamInode;
    node.opens--;
    node.dropDataIfGone();
  },
  read(file: OpenFile, buf: Uint8Array): number {
    const node = file.inode as RamInode;
    const n = node.readAt(buf, file.offset);
    if (n > 0) file.offset += n;
    return n;
  },
  write(file: OpenFile, data: Uint8Array): number {
    const node = file.inode as RamInode;
    const n = node.writeAt(data, file.offset);
    if (n > 0) file.offset += n;
    return n;
  },
};

const RAM_DIR_OPS: FileOps = {
  read: () => K.ISDIR,
  write: () => K.ISDIR,
  readdir(file: OpenFile): DirEntry[] {
    return (file.inode as RamInode).listing().slice(file.offset);
  },
};

/** A RAM file system instance. */
export class RamFs implements FileSystem {
  /** Type name. */
  readonly type = "ramfs";
  /** Never read-only. */
  readonly readOnly = false;
  /** Device id. */
  readonly dev: number;
  /** Largest file size. */
  readonly maxFileSize: number;
  /** Root directory. */
  readonly root: RamInode;
  /** Data pages in use and the limit (`size=`). */
  readonly pages: PageAccount;
  readonly #now: () => bigint;
  #nextIno = 1;

  /** Creates an empty file system (just the root directory, owned by root). */
  constructor(options: RamFsOptions = {}) {
    this.#now = options.now ?? (() => 0n);
    this.dev = options.dev ?? 1;
    this.maxFileSize = options.maxFileSize ?? 256 * 1024 * 1024;
    this.pages = {
      used: 0,
      limit: options.sizeLimit === undefined ? Infinity : Math.floor(options.sizeLimit / PAGE_SIZE),
    };
    this.root = this.newInode(S_IFDIR | (options.rootMode ?? 0o755), { uid: 0, gid: 0 });
    this.root.parent = this.root;
  }

  /** The size limit in bytes (Infinity when unlimited). */
  get sizeLimit(): number {
    return this.pages.limit * PAGE_SIZE;
  }

  /** Bytes of file data held. */
  get usedBytes(): number {
    return this.pages.used * PAGE_SIZE;
  }

  /**
   * statfs figures: 4 KiB blocks, the size limit as the total (tmpfs's
   * magic then; ramfs's, with zero counts, when there is no limit).
   */
  statfs(): FsUsage {
    const limited = this.pages.limit !== Infinity;
    const total = limited ? this.pages.limit : 0;
    const free = Math.max(0, total - this.pages.used);
    return {
      magic: limited ? TMPFS_MAGIC : RAMFS_MAGIC,
      blockSize: PAGE_SIZE,
      blocks: total,
      blocksFree: free,
      blocksAvailable: free,
      files: 0,
      filesFree: 0,
      nameMax: 255,
    };
  }

  /** Current time from the injected clock. */
  now(): bigint {
    return this.#now();
  }

  /** Allocates an inode (not linked anywhere). */
  newInode(mode: number, cred: Cred): RamInode {
    return new RamInode(this, this.#nextIno++, mode, cred);
  }
}
