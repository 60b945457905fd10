/**
 * ext2 block and inode allocation through the group bitmaps.
 *
 * - allocBlock: the first free block at or after a goal (the inode's group,
 *   or the block after the file's previous one), then the other groups
 * - freeBlock, freeInode: clear a bit and give it back to the counts
 * - allocInode: a directory goes to a group with more free inodes than
 *   average and the fewest directories (spreading the tree, as ext2's
 *   Orlov-like policy does); a file goes to its parent's group, then to
 *   groups found by quadratic probing, then to any group with a free inode
 *
 * Every change keeps the group descriptor's and the superblock's free
 * counts and the used-directory count exact.
 *
 * @module
 */

import { Corrupt, type Tx } from "./block_source.ts";
import { adjustFree, GD, gdAdd16, gdField16, gdField32, type Geometry } from "./superblock.ts";

function blocksInGroup(g: Geometry, group: number): number {
  return Math.min(g.blocksPerGroup, g.blocksCount - g.firstDataBlock - group * g.blocksPerGroup);
}

/** Index of the first clear bit in `bits` from `start` below `limit`, or -1. */
function findClear(bits: Uint8Array, start: number, limit: number): number {
  let i = start;
  while (i < limit) {
    if ((i & 7) === 0 && bits[i >> 3] === 0xff) {
      i += 8;
      continue;
    }
    if ((bits[i >> 3] & (1 << (i & 7))) === 0) return i;
    i++;
  }
  return -1;
}

/** Allocates a block near `goal` (a block number, 0 for none); 0 when the file system is full. */
export function allocBlock(tx: Tx, g: Geometry, goal: number): number {
  if (goal < g.firstDataBlock || goal >= g.blocksCount) goal = g.firstDataBlock;
  const rel = goal - g.firstDataBlock;
  const first = Math.floor(rel / g.blocksPerGroup);
  for (let k = 0; k <= g.groups; k++) {
    const group = (first + k) % g.groups;
    if (gdField16(tx, g, group, GD.FREE_BLOCKS) === 0) continue;
    const start = k === 0 ? rel % g.blocksPerGroup : 0;
    const bitmapBlock = gdField32(tx, g, group, GD.BLOCK_BITMAP);
    const n = blocksInGroup(g, group);
    let bit = findClear(tx.read(bitmapBlock), start, n);
    if (bit < 0 && start > 0) bit = findClear(tx.read(bitmapBlock), 0, start);
    if (bit < 0) continue;
    const bits = tx.write(bitmapBlock);
    bits[bit >> 3] |= 1 << (bit & 7);
    adjustFree(tx, g, group, "blocks", -1);
    return g.firstDataBlock + group * g.blocksPerGroup + bit;
  }
  return 0;
}

/** Frees block `b` (Corrupt when it is outside the file system or already free). */
export function freeBlock(tx: Tx, g: Geometry, b: number): void {
  if (b < g.firstDataBlock || b >= g.blocksCount) {
    throw new Corrupt(`freeing block ${b} outside the file system`);
  }
  const rel = b - g.firstDataBlock;
  const group = Math.floor(rel / g.blocksPerGroup);
  const bit = rel % g.blocksPerGroup;
  const bits = tx.write(gdField32(tx, g, group, GD.BLOCK_BITMAP));
  if ((bits[bit >> 3] & (1 << (bit & 7))) === 0) throw new Corrupt(`block ${b} freed twice`);
  bits[bit >> 3] &= ~(1 << (bit & 7));
  adjustFree(tx, g, group, "blocks", 1);
}

/** The group of inode `ino`. */
export function inodeGroup(g: Geometry, ino: number): number {
  return Math.floor((ino - 1) / g.inodesPerGroup);
}

function pickDirGroup(tx: Tx, g: Geometry, parentGroup: number): number {
  let freeTotal = 0;
  for (let i = 0; i < g.groups; i++) freeTotal += gdField16(tx, g, i, GD.FREE_INODES);
  const avg = freeTotal / g.groups;
  let best = -1;
  let bestDirs = Infinity;
  for (let k = 0; k < g.groups; k++) {
    const i = (parentGroup + k) % g.groups;
    const free = gdField16(tx, g, i, GD.FREE_INODES);
    if (free === 0 || free < avg) continue;
    const dirs = gdField16(tx, g, i, GD.USED_DIRS);
    if (dirs < bestDirs) {
      best = i;
      bestDirs = dirs;
    }
  }
  return best;
}

function pickFileGroup(tx: Tx, g: Geometry, parentGroup: number): number {
  if (gdField16(tx, g, parentGroup, GD.FREE_INODES) > 0) return parentGroup;
  for (let step = 1; step < g.groups; step <<= 1) {
    const i = (parentGroup + step) % g.groups;
    if (gdField16(tx, g, i, GD.FREE_INODES) > 0) return i;
  }
  for (let k = 1; k < g.groups; k++) {
    const i = (parentGroup + k) % g.groups;
    if (gdField16(tx, g, i, GD.FREE_INODES) > 0) return i;
  }
  return -1;
}

/** Allocates an inode for a new file or directory under a parent in `parentGroup`; 0 when none is free. */
export function allocInode(tx: Tx, g: Geometry, parentGroup: number, isDir: boolean): number {
  let group = isDir ? pickDirGroup(tx, g, parentGroup) : pickFileGroup(tx, g, parentGroup);
  if (group < 0) group = pickFileGroup(tx, g, parentGroup);
  if (group < 0) return 0;
  const bitmapBlock = gdField32(tx, g, group, GD.INODE_BITMAP);
  const start = group === 0 ? g.firstIno - 1 : 0;
  const bit = findClear(tx.read(bitmapBlock), start, g.inodesPerGroup);
  if (bit < 0) throw new Corrupt(`group ${group}: free inode count disagrees with the bitmap`);
  const bits = tx.write(bitmapBlock);
  bits[bit >> 3] |= 1 << (bit & 7);
  adjustFree(tx, g, group, "inodes", -1);
  if (isDir) gdAdd16(tx, g, group, GD.USED_DIRS, 1);
  return group * g.inodesPerGroup + bit + 1;
}

/** Frees inode `ino` (a directory also leaves its group's directory count). */
export function freeInode(tx: Tx, g: Geometry, ino: number, isDir: boolean): void {
  const group = inodeGroup(g, ino);
  const bit = (ino - 1) % g.inodesPerGroup;
  const bits = tx.write(gdField32(tx, g, group, GD.INODE_BITMAP));
  if ((bits[bit >> 3] & (1 << (bit & 7))) === 0) throw new Corrupt(`inode ${ino} freed twice`);
  bits[bit >> 3] &= ~(1 << (bit & 7));
  adjustFree(tx, g, group, "inodes", 1);
  if (isDir) gdAdd16(tx, g, group, GD.USED_DIRS, -1);
}
