/**
 * ext2 namespace changes inside one transaction: making inodes (files,
 * directories, device nodes, symbolic links), linking, unlinking, removing
 * directories and renaming, with Unix link counts (a directory has 2 + its
 * subdirectories) and the group directory counts.
 *
 * - makeNode: allocate an inode near the parent, fill it, link it in
 * - dropLink: one name fewer; at zero links the inode is freed unless open
 * - destroyInode: frees the blocks, the xattr block reference and the inode
 * - renameEntry: over an existing name too, fixing `..` of a moved directory
 *
 * Callers have checked names, permissions and (for rename) that a directory
 * does not move into itself; these functions only throw {@link Corrupt} or
 * answer statuses for what the disk says (K.EXIST, K.NOTEMPTY, K.NOSPC...).
 *
 * @module
 */

import { K, type KStatus } from "../../../kernel/api.ts";
import { Corrupt, type Tx } from "./block_source.ts";
import { allocBlock, allocInode, freeBlock, freeInode, inodeGroup } from "./alloc.ts";
import {
  addEntry,
  findEntry,
  ftOfMode,
  initDirBlock,
  isEmptyDir,
  modeOfFt,
  removeEntry,
  setEntry,
} from "./dir.ts";
import { I, readInode, setGid, setUid, truncateBlocks, writeInode } from "./inode.ts";
import { type Geometry, put16, put32, u16, u32 } from "./superblock.ts";
import { stampTimes } from "./file_data.ts";

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
/** Most links to one inode (Linux's EXT2_LINK_MAX). */
export const LINK_MAX = 32000;

/** What a new inode gets. */
export interface NewNode {
  /** Type and permission bits. */
  mode: number;
  /** Owner. */
  uid: number;
  /** Group. */
  gid: number;
  /** Device number for device nodes. */
  rdev?: number;
  /** Target of a symbolic link. */
  target?: Uint8Array;
}

function addLinks(tx: Tx, g: Geometry, ino: number, delta: number, nowSec: number): number {
  const w = writeInode(tx, g, ino);
  const n = u16(w, I.LINKS) + delta;
  if (n < 0) throw new Corrupt(`inode ${ino}: link count below zero`);
  put16(w, I.LINKS, n);
  put32(w, I.CTIME, nowSec);
  return n;
}

function fillInode(tx: Tx, g: Geometry, ino: number, n: NewNode, nowSec: number): void {
  const w = writeInode(tx, g, ino);
  const generation = u32(w, I.GENERATION) + 1;
  w.fill(0);
  put16(w, I.MODE, n.mode);
  setUid(w, n.uid);
  setGid(w, n.gid);
  stampTimes(w, nowSec, true);
  put16(w, I.LINKS, (n.mode & S_IFMT) === S_IFDIR ? 2 : 1);
  put32(w, I.GENERATION, generation);
  const type = n.mode & S_IFMT;
  if (type === S_IFCHR || type === S_IFBLK) {
    const rdev = n.rdev ?? 0;
    const major = (rdev >>> 8) & 0xfff;
    const minor = (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
    if (major < 256 && minor < 256) put32(w, I.BLOCK, (major << 8) | minor);
    else put32(w, I.BLOCK + 4, (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12));
  }
}

/** Creates `name` in directory `dir` as a new inode; its number, or a status. */
export function makeNode(
  tx: Tx,
  g: Geometry,
  dir: number,
  name: string,
  n: NewNode,
  nowSec: number,
): number {
  if (findEntry(tx, g, dir, name) !== null) return K.EXIST;
  if (u16(readInode(tx, g, dir), I.LINKS) === 0) return K.NOENT;
  const type = n.mode & S_IFMT;
  const isDir = type === S_IFDIR;
  if (isDir && u16(readInode(tx, g, dir), I.LINKS) >= LINK_MAX) return K.MLINK;
  const ino = allocInode(tx, g, inodeGroup(g, dir), isDir);
  if (ino === 0) return K.NOSPC;
  fillInode(tx, g, ino, n, nowSec);
  if (isDir) {
    const b = allocBlock(tx, g, g.firstDataBlock + inodeGroup(g, ino) * g.blocksPerGroup);
    if (b === 0) return K.NOSPC;
    initDirBlock(tx.fresh(b), ino, dir);
    const w = writeInode(tx, g, ino);
    put32(w, I.BLOCK, b);
    put32(w, I.BLOCKS, g.blockSize / 512);
    put32(w, I.SIZE, g.blockSize);
    addLinks(tx, g, dir, 1, nowSec);
  }
  if (type === S_IFLNK && n.target !== undefined) {
    const r = writeLinkTarget(tx, g, ino, n.target);
    if (r < 0) return r;
  }
  if (!addEntry(tx, g, dir, name, ino, ftOfMode(n.mode))) return K.NOSPC;
  stampTimes(writeInode(tx, g, dir), nowSec, false);
  return ino;
}

function writeLinkTarget(tx: Tx, g: Geometry, ino: number, target: Uint8Array): KStatus {
  if (target.length >= g.blockSize) return K.NAMETOOLONG;
  if (target.length < 60) {
    const w = writeInode(tx, g, ino);
    w.set(target, I.BLOCK);
    put32(w, I.SIZE, target.length);
    return K.OK;
  }
  const b = allocBlock(tx, g, g.firstDataBlock + inodeGroup(g, ino) * g.blocksPerGroup);
  if (b === 0) return K.NOSPC;
  tx.fresh(b).set(target);
  const w = writeInode(tx, g, ino);
  put32(w, I.BLOCK, b);
  put32(w, I.BLOCKS, g.blockSize / 512);
  put32(w, I.SIZE, target.length);
  return K.OK;
}

/** Adds a hard link `name` in `dir` to the non-directory `ino`. */
export function linkNode(
  tx: Tx,
  g: Geometry,
  dir: number,
  name: string,
  ino: number,
  nowSec: number,
): KStatus {
  if (findEntry(tx, g, dir, name) !== null) return K.EXIST;
  const raw = readInode(tx, g, ino);
  if (u16(raw, I.LINKS) === 0) return K.NOENT;
  if (u16(raw, I.LINKS) >= LINK_MAX) return K.MLINK;
  if (!addEntry(tx, g, dir, name, ino, ftOfMode(u16(raw, I.MODE)))) return K.NOSPC;
  addLinks(tx, g, ino, 1, nowSec);
  stampTimes(writeInode(tx, g, dir), nowSec, false);
  return K.OK;
}

/** Frees inode `ino`'s blocks, its extended-attribute block reference and the inode itself. */
export function destroyInode(tx: Tx, g: Geometry, ino: number, nowSec: number): void {
  const raw = readInode(tx, g, ino);
  const mode = u16(raw, I.MODE);
  const type = mode & S_IFMT;
  const acl = u32(raw, I.FILE_ACL);
  const fastLink = type === S_IFLNK && u32(raw, I.BLOCKS) === (acl !== 0 ? g.blockSize / 512 : 0);
  const device = type === S_IFCHR || type === S_IFBLK;
  if (!fastLink && !device) truncateBlocks(tx, g, ino, 0);
  if (acl !== 0) {
    if (acl < g.firstDataBlock || acl >= g.blocksCount) {
      throw new Corrupt(`inode ${ino}: bad xattr block`);
    }
    const x = tx.write(acl);
    const refs = u32(x, 4);
    if (refs <= 1) freeBlock(tx, g, acl);
    else put32(x, 4, refs - 1);
  }
  const w = writeInode(tx, g, ino);
  put32(w, I.FILE_ACL, 0);
  put32(w, I.BLOCKS, 0);
  put32(w, I.SIZE, 0);
  put32(w, I.SIZE_HIGH, 0);
  put32(w, I.DTIME, nowSec);
  put16(w, I.LINKS, 0);
  if (fastLink || device) w.fill(0, I.BLOCK, I.BLOCK + 60);
  freeInode(tx, g, ino, type === S_IFDIR);
}

/** Removes the non-directory `name` from `dir`; answers the inode whose last link went (0 if none). */
export function unlinkName(tx: Tx, g: Geometry, dir: number, name: string, nowSec: number): number {
  const s = findEntry(tx, g, dir, name);
  if (s === null) return K.NOENT;
  const raw = readInode(tx, g, s.ino);
  if ((u16(raw, I.MODE) & S_IFMT) === S_IFDIR) return K.ISDIR;
  removeEntry(tx, g, dir, s);
  stampTimes(writeInode(tx, g, dir), nowSec, false);
  return addLinks(tx, g, s.ino, -1, nowSec) === 0 ? s.ino : 0;
}

/** Removes the empty directory `name` from `dir`; answers its inode (now without links). */
export function rmdirName(tx: Tx, g: Geometry, dir: number, name: string, nowSec: number): number {
  const s = findEntry(tx, g, dir, name);
  if (s === null) return K.NOENT;
  const raw = readInode(tx, g, s.ino);
  if ((u16(raw, I.MODE) & S_IFMT) !== S_IFDIR) return K.NOTDIR;
  if (!isEmptyDir(tx, g, s.ino)) return K.NOTEMPTY;
  removeEntry(tx, g, dir, s);
  addLinks(tx, g, dir, -1, nowSec);
  stampTimes(writeInode(tx, g, dir), nowSec, false);
  put16(writeInode(tx, g, s.ino), I.LINKS, 0);
  return s.ino;
}

/** Entry type of `s` as S_IFMT bits, from the entry or (no filetype) from the inode. */
function typeOf(tx: Tx, g: Geometry, ino: number, ft: number): number {
  return modeOfFt(ft) || (u16(readInode(tx, g, ino), I.MODE) & S_IFMT);
}

/** Renames `name` in `from` to `newName` in `to`; answers the replaced inode whose last link went (0 if none). */
export function renameEntry(
  tx: Tx,
  g: Geometry,
  from: number,
  name: string,
  to: number,
  newName: string,
  nowSec: number,
): number {
  const src = findEntry(tx, g, from, name);
  if (src === null) return K.NOENT;
  const srcIno = src.ino;
  const srcFt = src.ft;
  const isDir = typeOf(tx, g, srcIno, srcFt) === S_IFDIR;
  const dst = findEntry(tx, g, to, newName);
  let orphan = 0;
  if (dst !== null) {
    if (dst.ino === srcIno) return K.OK;
    const dstDir = typeOf(tx, g, dst.ino, dst.ft) === S_IFDIR;
    if (isDir && !dstDir) return K.NOTDIR;
    if (!isDir && dstDir) return K.ISDIR;
    if (dstDir && !isEmptyDir(tx, g, dst.ino)) return K.NOTEMPTY;
    setEntry(tx, g, to, dst, srcIno, srcFt);
    if (dstDir) {
      put16(writeInode(tx, g, dst.ino), I.LINKS, 0);
      addLinks(tx, g, to, -1, nowSec);
      orphan = dst.ino;
    } else if (addLinks(tx, g, dst.ino, -1, nowSec) === 0) {
      orphan = dst.ino;
    }
    removeEntry(tx, g, from, findEntry(tx, g, from, name)!);
  } else {
    if (isDir && to !== from && u16(readInode(tx, g, to), I.LINKS) >= LINK_MAX) return K.MLINK;
    removeEntry(tx, g, from, src);
    if (!addEntry(tx, g, to, newName, srcIno, srcFt)) return K.NOSPC;
  }
  if (isDir && from !== to) {
    const dot = findEntry(tx, g, srcIno, "..");
    if (dot === null) throw new Corrupt(`directory ${srcIno} has no ..`);
    setEntry(tx, g, srcIno, dot, to, 2);
    addLinks(tx, g, from, -1, nowSec);
    addLinks(tx, g, to, 1, nowSec);
  }
  stampTimes(writeInode(tx, g, from), nowSec, false);
  stampTimes(writeInode(tx, g, to), nowSec, false);
  put32(writeInode(tx, g, srcIno), I.CTIME, nowSec);
  return orphan;
}
