/**
 * ext2 inodes as the VFS sees them: an {@link FsInode} per inode number,
 * holding a copy of the on-disk inode (refreshed by every operation that
 * writes it) so `stat` never waits for the device. Every directory, link,
 * data and attribute operation runs as one transaction of its file system.
 *
 * - lookup/create/mkdir/mknod/symlink/link/unlink/rmdir/rename/readlink
 * - truncate, setAttr (mode, owner, times)
 * - file operations: read, write (at the description's offset), readdir
 *   (the directory's entries read linearly; the offset counts entries)
 * - open/release count open descriptions, so a file unlinked while open
 *   keeps its blocks until the last close
 *
 * @module
 */

import {
  type AttrChange,
  type Cred,
  type DirEntry,
  type FileOps,
  type FsInode,
  K,
  type KStatus,
  makeStat,
  type OpenFile,
  type Stat,
} from "../../../kernel/api.ts";
import type { Tx } from "./block_source.ts";
import { listEntries, modeOfFt } from "./dir.ts";
import {
  fileSize,
  I,
  inodeGid,
  inodeLocation,
  inodeUid,
  readInode,
  setGid,
  setUid,
  writeInode,
} from "./inode.ts";
import { readData, resize, writeData } from "./file_data.ts";
import { linkNode, makeNode, renameEntry, rmdirName, unlinkName } from "./names.ts";
import { findEntry } from "./dir.ts";
import { put16, put32, u16, u32 } from "./superblock.ts";
import type { Ext2Fs } from "./ext2_fs.ts";

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const td = new TextDecoder();
const te = new TextEncoder();

/** An inode of a mounted ext2 file system. */
export class Ext2Inode implements FsInode {
  /** Inode number. */
  readonly ino: number;
  /** Open descriptions. */
  opens = 0;
  /** Block of the inode table holding it. */
  block = 0;
  #raw = new Uint8Array(128);
  readonly #fs: Ext2Fs;

  /** The object for inode `ino` of `fs` (load it before use). */
  constructor(fs: Ext2Fs, ino: number) {
    this.#fs = fs;
    this.ino = ino;
  }

  /** Copies the on-disk inode through `tx`. */
  load(tx: Tx): void {
    const g = this.#fs.geometry;
    this.block = inodeLocation(tx, g, this.ino)[0];
    this.#raw = readInode(tx, g, this.ino).slice();
  }

  /** Type and permission bits. */
  get mode(): number {
    return u16(this.#raw, I.MODE);
  }

  /** Operations for open descriptions. */
  get fileOps(): FileOps {
    return (this.mode & S_IFMT) === S_IFDIR ? DIR_OPS : FILE_OPS;
  }

  /** Attributes from the inode copy. */
  stat(): Stat {
    const r = this.#raw;
    const sec = (o: number) => BigInt(u32(r, o)) * 1_000_000_000n;
    const type = this.mode & S_IFMT;
    return makeStat({
      dev: this.#fs.dev,
      ino: this.ino,
      mode: this.mode,
      nlink: u16(r, I.LINKS),
      uid: inodeUid(r),
      gid: inodeGid(r),
      rdev: type === S_IFCHR || type === S_IFBLK ? this.#rdev() : 0,
      size: fileSize(r),
      blksize: this.#fs.geometry.blockSize,
      blocks: u32(r, I.BLOCKS),
      atimeNs: sec(I.ATIME),
      mtimeNs: sec(I.MTIME),
      ctimeNs: sec(I.CTIME),
    });
  }

  #rdev(): number {
    const old = u32(this.#raw, I.BLOCK);
    if (old !== 0) return ((old >>> 8) & 0xff) << 8 | (old & 0xff);
    const v = u32(this.#raw, I.BLOCK + 4);
    const major = (v >>> 8) & 0xfff;
    const minor = (v & 0xff) | ((v >>> 12) & 0xfff00);
    return (major << 8) | (minor & 0xff) | ((minor & ~0xff) << 12);
  }

  #child(r: number | KStatus): Ext2Inode | KStatus {
    if (r < 0) return r;
    const fs = this.#fs;
    const node = fs.run((tx) => fs.inodeFor(tx, r));
    return node;
  }

  /** Looks `name` up. */
  lookup(name: string): Ext2Inode | KStatus {
    if ((this.mode & S_IFMT) !== S_IFDIR) return K.NOTDIR;
    const fs = this.#fs;
    return fs.run((tx) => {
      const s = findEntry(tx, fs.geometry, this.ino, name);
      return s === null ? K.NOENT : fs.inodeFor(tx, s.ino);
    });
  }

  #make(
    name: string,
    mode: number,
    cred: Cred,
    rdev = 0,
    target?: Uint8Array,
  ): Ext2Inode | KStatus {
    if ((this.mode & S_IFMT) !== S_IFDIR) return K.NOTDIR;
    if (te.encode(name).length > 255) return K.NAMETOOLONG;
    const fs = this.#fs;
    return this.#child(
      fs.run((tx) =>
        makeNode(tx, fs.geometry, this.ino, name, {
          mode,
          uid: cred.uid,
          gid: cred.gid,
          rdev,
          target,
        }, fs.nowSec())
      ),
    );
  }

  /** Creates a regular file. */
  create(name: string, mode: number, cred: Cred): Ext2Inode | KStatus {
    return this.#make(name, S_IFREG | (mode & 0o7777), cred);
  }

  /** Creates a directory. */
  mkdir(name: string, mode: number, cred: Cred): Ext2Inode | KStatus {
    return this.#make(name, S_IFDIR | (mode & 0o7777), cred);
  }

  /** Creates a device node, FIFO or socket. */
  mknod(name: string, mode: number, rdev: number, cred: Cred): Ext2Inode | KStatus {
    const type = mode & S_IFMT;
    if (type === S_IFDIR || type === S_IFLNK || type === 0) return K.INVAL;
    return this.#make(name, mode, cred, rdev);
  }

  /** Creates a symbolic link (fast below 60 bytes, else in a block). */
  symlink(name: string, target: string, cred: Cred): Ext2Inode | KStatus {
    return this.#make(name, S_IFLNK | 0o777, cred, 0, te.encode(target));
  }

  /** Adds a hard link. */
  link(name: string, target: FsInode): KStatus {
    if (!(target instanceof Ext2Inode) || target.#fs !== this.#fs) return K.XDEV;
    const fs = this.#fs;
    return fs.run((tx) => linkNode(tx, fs.geometry, this.ino, name, target.ino, fs.nowSec()));
  }

  /** Removes a non-directory name. */
  unlink(name: string): KStatus {
    const fs = this.#fs;
    const r = fs.run((tx) => {
      const gone = unlinkName(tx, fs.geometry, this.ino, name, fs.nowSec());
      if (gone > 0) fs.dropped(tx, gone);
      return gone < 0 ? gone : K.OK;
    });
    return r;
  }

  /** Removes an empty directory. */
  rmdir(name: string): KStatus {
    const fs = this.#fs;
    return fs.run((tx) => {
      const gone = rmdirName(tx, fs.geometry, this.ino, name, fs.nowSec());
      if (gone > 0) fs.dropped(tx, gone);
      return gone < 0 ? gone : K.OK;
    });
  }

  /** Renames within the file system. */
  rename(name: string, newDir: FsInode, newName: string): KStatus {
    if (!(newDir instanceof Ext2Inode) || newDir.#fs !== this.#fs) return K.XDEV;
    const fs = this.#fs;
    return fs.run((tx) => {
      const gone = renameEntry(tx, fs.geometry, this.ino, name, newDir.ino, newName, fs.nowSec());
      if (gone > 0) fs.dropped(tx, gone);
      return gone < 0 ? gone : K.OK;
    });
  }

  /** The target of a symbolic link. */
  readlink(): string | KStatus {
    if ((this.mode & S_IFMT) !== S_IFLNK) return K.INVAL;
    const size = fileSize(this.#raw);
    const acl = u32(this.#raw, I.FILE_ACL);
    const dataBlocks = u32(this.#raw, I.BLOCKS) -
      (acl !== 0 ? this.#fs.geometry.blockSize / 512 : 0);
    if (dataBlocks === 0) {
      if (size >= 60) return K.UCLEAN;
      return td.decode(this.#raw.subarray(I.BLOCK, I.BLOCK + size));
    }
    if (size >= this.#fs.geometry.blockSize) return K.UCLEAN;
    const buf = new Uint8Array(size);
    const fs = this.#fs;
    const n = fs.run((tx) => readData(tx, fs.geometry, this.ino, 0, buf));
    return n < 0 ? n : td.decode(buf.subarray(0, n));
  }

  /** Sets the size of a regular file. */
  truncate(size: number): KStatus {
    if ((this.mode & S_IFMT) !== S_IFREG) return K.INVAL;
    const fs = this.#fs;
    return fs.run((tx) => resize(tx, fs.geometry, this.ino, size, fs.nowSec()));
  }

  /** chmod, chown, utimes (ext2 keeps whole seconds). */
  setAttr(change: AttrChange): KStatus {
    const fs = this.#fs;
    return fs.run((tx) => {
      const w = writeInode(tx, fs.geometry, this.ino);
      if (change.mode !== undefined) {
        put16(w, I.MODE, (u16(w, I.MODE) & S_IFMT) | (change.mode & 0o7777));
      }
      if (change.uid !== undefined) setUid(w, change.uid);
      if (change.gid !== undefined) setGid(w, change.gid);
      if (change.atimeNs !== undefined) {
        put32(w, I.ATIME, Number(change.atimeNs / 1_000_000_000n) >>> 0);
      }
      if (change.mtimeNs !== undefined) {
        put32(w, I.MTIME, Number(change.mtimeNs / 1_000_000_000n) >>> 0);
      }
      put32(w, I.CTIME, fs.nowSec());
      return K.OK;
    });
  }

  /** Counts an open description. */
  open(_file: OpenFile): KStatus {
    this.opens++;
    return K.OK;
  }

  /** Reads at `pos` into `buf`. */
  readAt(buf: Uint8Array, pos: number): number {
    const fs = this.#fs;
    return fs.run((tx) => readData(tx, fs.geometry, this.ino, pos, buf));
  }

  /** Writes `data` at `pos`. */
  writeAt(data: Uint8Array, pos: number): number {
    const fs = this.#fs;
    return fs.run((tx) => writeData(tx, fs.geometry, this.ino, pos, data, fs.nowSec()));
  }

  /** Directory entries (with `.` and `..`). */
  entries(): DirEntry[] | KStatus {
    const fs = this.#fs;
    return fs.run((tx) => {
      const out: DirEntry[] = [];
      for (const [ino, name, ft] of listEntries(tx, fs.geometry, this.ino)) {
        const type = modeOfFt(ft) || (u16(readInode(tx, fs.geometry, ino), I.MODE) & S_IFMT);
        out.push({ ino, name, type });
      }
      return out;
    });
  }

  /** The file system. */
  get fs(): Ext2Fs {
    return this.#fs;
  }
}

const FILE_OPS: FileOps = {
  read(file: OpenFile, buf: Uint8Array): number {
    const n = (file.inode as Ext2Inode).readAt(buf, file.offset);
    if (n > 0) file.offset += n;
    return n;
  },
  write(file: OpenFile, data: Uint8Array): number {
    const n = (file.inode as Ext2Inode).writeAt(data, file.offset);
    if (n > 0) file.offset += n;
    return n;
  },
  release(file: OpenFile): void {
    const node = file.inode as Ext2Inode;
    node.opens--;
    node.fs.closed(node);
  },
};

const DIR_OPS: FileOps = {
  read: () => K.ISDIR,
  write: () => K.ISDIR,
  readdir(file: OpenFile): DirEntry[] | KStatus {
    const list = (file.inode as Ext2Inode).entries();
    return typeof list === "number" ? list : list.slice(file.offset);
  },
  release(file: OpenFile): void {
    const node = file.inode as Ext2Inode;
    node.opens--;
    node.fs.closed(node);
  },
};
