/**
 * ext2 inodes and their block maps.
 *
 * - I_*: on-disk inode field offsets; inodeLocation, readInode, writeInode
 * - fileSize / setFileSize (i_size and, for regular files, i_size_high)
 * - bmap: logical to physical block through 12 direct pointers and the
 *   single, double and triple indirect blocks (0 for a hole)
 * - bmapAlloc: the same, allocating missing indirect blocks and the data
 *   block near the previous one (i_blocks counts every block, in sectors)
 * - truncateBlocks: frees every data and indirect block at or past a
 *   logical block, depth-first, zeroing the pointers that led to them
 *
 * Every pointer is checked against the file system's size before use, and
 * walks have a fixed depth, so a corrupt map (a pointer past the end, an
 * indirect block that points to itself) gives {@link Corrupt}, never a
 * loop or an access outside the image.
 *
 * @module
 */

import { Corrupt, DirtyKind, type Tx } from "./block_source.ts";
import { allocBlock, freeBlock, inodeGroup } from "./alloc.ts";
import { GD, gdField32, type Geometry, put16, put32, u16, u32 } from "./superblock.ts";

/** Inode field offsets. */
export const I = {
  MODE: 0,
  UID: 2,
  SIZE: 4,
  ATIME: 8,
  CTIME: 12,
  MTIME: 16,
  DTIME: 20,
  GID: 24,
  LINKS: 26,
  BLOCKS: 28,
  FLAGS: 32,
  BLOCK: 40,
  GENERATION: 100,
  FILE_ACL: 104,
  SIZE_HIGH: 108,
  UID_HIGH: 120,
  GID_HIGH: 122,
} as const;
/** i_flags: the directory has a hashed index (dir_index). */
export const INDEX_FL = 0x1000;
/** Direct pointers in i_block. */
export const NDIR = 12;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

/** Block and byte offset of inode `ino` (Corrupt for a number outside the table). */
export function inodeLocation(tx: Tx, g: Geometry, ino: number): [number, number] {
  if (!Number.isInteger(ino) || ino < 1 || ino > g.inodesCount) {
    throw new Corrupt(`inode number ${ino} out of range`);
  }
  const group = inodeGroup(g, ino);
  const index = (ino - 1) % g.inodesPerGroup;
  const table = gdField32(tx, g, group, GD.INODE_TABLE);
  const byte = index * g.inodeSize;
  return [table + Math.floor(byte / g.blockSize), byte % g.blockSize];
}

/** The on-disk inode (a read-only view of `inodeSize` bytes). */
export function readInode(tx: Tx, g: Geometry, ino: number): Uint8Array {
  const [blk, off] = inodeLocation(tx, g, ino);
  return tx.read(blk).subarray(off, off + g.inodeSize);
}

/** A writable view of the on-disk inode. */
export function writeInode(tx: Tx, g: Geometry, ino: number): Uint8Array {
  const [blk, off] = inodeLocation(tx, g, ino);
  return tx.write(blk).subarray(off, off + g.inodeSize);
}

/** File size in bytes (i_size_high counts only for regular files). */
export function fileSize(raw: Uint8Array): number {
  const lo = u32(raw, I.SIZE);
  if ((u16(raw, I.MODE) & S_IFMT) !== S_IFREG) return lo;
  return u32(raw, I.SIZE_HIGH) * 0x1_0000_0000 + lo;
}

/** Sets the size fields. */
export function setFileSize(raw: Uint8Array, size: number): void {
  put32(raw, I.SIZE, size % 0x1_0000_0000);
  if ((u16(raw, I.MODE) & S_IFMT) === S_IFREG) {
    put32(raw, I.SIZE_HIGH, Math.floor(size / 0x1_0000_0000));
  }
}

/** Owner uid (with the high 16 bits). */
export function inodeUid(raw: Uint8Array): number {
  return u16(raw, I.UID) | (u16(raw, I.UID_HIGH) << 16);
}
/** Owner gid (with the high 16 bits). */
export function inodeGid(raw: Uint8Array): number {
  return u16(raw, I.GID) | (u16(raw, I.GID_HIGH) << 16);
}
/** Sets the owner uid. */
export function setUid(raw: Uint8Array, uid: number): void {
  put16(raw, I.UID, uid & 0xffff);
  put16(raw, I.UID_HIGH, (uid >>> 16) & 0xffff);
}
/** Sets the owner gid. */
export function setGid(raw: Uint8Array, gid: number): void {
  put16(raw, I.GID, gid & 0xffff);
  put16(raw, I.GID_HIGH, (gid >>> 16) & 0xffff);
}

/** Logical blocks a map can address with this block size. */
export function maxBlocks(g: Geometry): number {
  const p = g.blockSize / 4;
  return NDIR + p + p * p + p * p * p;
}

function checkPtr(g: Geometry, b: number): number {
  if (b !== 0 && (b < g.firstDataBlock || b >= g.blocksCount)) {
    throw new Corrupt(`block pointer ${b} outside the file system`);
  }
  return b;
}

/** The path through the map to logical block `lb`: [slot in i_block, index per level...]. */
function mapPath(g: Geometry, lb: number): number[] {
  const p = g.blockSize / 4;
  if (lb < NDIR) return [lb];
  lb -= NDIR;
  if (lb < p) return [NDIR, lb];
  lb -= p;
  if (lb < p * p) return [NDIR + 1, Math.floor(lb / p), lb % p];
  lb -= p * p;
  if (lb < p * p * p) return [NDIR + 2, Math.floor(lb / (p * p)), Math.floor(lb / p) % p, lb % p];
  throw new Corrupt(`logical block ${lb} beyond the block map`);
}

/** Physical block of logical block `lb` (0 for a hole). */
export function bmap(tx: Tx, g: Geometry, raw: Uint8Array, lb: number): number {
  const path = mapPath(g, lb);
  let b = checkPtr(g, u32(raw, I.BLOCK + 4 * path[0]));
  for (let i = 1; i < path.length && b !== 0; i++) b = checkPtr(g, u32(tx.read(b), 4 * path[i]));
  return b;
}

function addSectors(g: Geometry, raw: Uint8Array, blocks: number): void {
  put32(raw, I.BLOCKS, u32(raw, I.BLOCKS) + blocks * (g.blockSize / 512));
}

/** The goal for a new block of inode `ino`: just after `prev`, else the start of the inode's group. */
function goalFor(g: Geometry, ino: number, prev: number): number {
  if (prev !== 0) return prev + 1;
  return g.firstDataBlock + inodeGroup(g, ino) * g.blocksPerGroup;
}

/**
 * Physical block of logical block `lb` of inode `ino`, allocating what is
 * missing (new data blocks zero-filled). 0 when the file system is full.
 */
export function bmapAlloc(tx: Tx, g: Geometry, ino: number, lb: number, hint: number): number {
  const path = mapPath(g, lb);
  let raw = readInode(tx, g, ino);
  let b = checkPtr(g, u32(raw, I.BLOCK + 4 * path[0]));
  if (b === 0) {
    b = allocBlock(tx, g, goalFor(g, ino, hint));
    if (b === 0) return 0;
    tx.fresh(b, path.length === 1 ? DirtyKind.DATA : DirtyKind.META);
    raw = writeInode(tx, g, ino);
    put32(raw, I.BLOCK + 4 * path[0], b);
    addSectors(g, raw, 1);
  }
  for (let i = 1; i < path.length; i++) {
    const parent = b;
    b = checkPtr(g, u32(tx.read(parent), 4 * path[i]));
    if (b !== 0) continue;
    b = allocBlock(tx, g, parent + 1);
    if (b === 0) return 0;
    tx.fresh(b, i === path.length - 1 ? DirtyKind.DATA : DirtyKind.META);
    put32(tx.write(parent), 4 * path[i], b);
    addSectors(g, writeInode(tx, g, ino), 1);
  }
  return b;
}

/** Frees the subtree under indirect block `blk` at `level` (1 = points to data) covering logical blocks from `base`; true when it is now empty. */
function truncLevel(
  tx: Tx,
  g: Geometry,
  blk: number,
  level: number,
  base: number,
  from: number,
  count: number[],
): boolean {
  const p = g.blockSize / 4;
  const span = p ** (level - 1);
  const d = tx.read(blk);
  let empty = true;
  for (let i = 0; i < p; i++) {
    const child = checkPtr(g, u32(d, 4 * i));
    if (child === 0) continue;
    const childBase = base + i * span;
    if (childBase + span <= from) {
      empty = false;
      continue;
    }
    const gone = level === 1 || truncLevel(tx, g, child, level - 1, childBase, from, count);
    if (gone) {
      freeBlock(tx, g, child);
      count[0]++;
      put32(tx.write(blk), 4 * i, 0);
    } else {
      empty = false;
    }
  }
  return empty;
}

/** Frees every block of inode `ino` from logical block `from` on (including emptied indirect blocks). */
export function truncateBlocks(tx: Tx, g: Geometry, ino: number, from: number): void {
  const p = g.blockSize / 4;
  const raw = readInode(tx, g, ino);
  const count = [0];
  const zero: number[] = [];
  for (let slot = 0; slot < NDIR; slot++) {
    const b = checkPtr(g, u32(raw, I.BLOCK + 4 * slot));
    if (b === 0 || slot < from) continue;
    freeBlock(tx, g, b);
    count[0]++;
    zero.push(slot);
  }
  let base = NDIR;
  for (let level = 1; level <= 3; level++) {
    const slot = NDIR + level - 1;
    const span = p ** level;
    const b = checkPtr(g, u32(raw, I.BLOCK + 4 * slot));
    if (b !== 0 && base + span > from && truncLevel(tx, g, b, level, base, from, count)) {
      freeBlock(tx, g, b);
      count[0]++;
      zero.push(slot);
    }
    base += span;
  }
  if (count[0] === 0) return;
  const w = writeInode(tx, g, ino);
  for (const slot of zero) put32(w, I.BLOCK + 4 * slot, 0);
  const sectors = u32(w, I.BLOCKS) - count[0] * (g.blockSize / 512);
  if (sectors < 0) throw new Corrupt(`inode ${ino}: block count below zero`);
  put32(w, I.BLOCKS, sectors);
}
