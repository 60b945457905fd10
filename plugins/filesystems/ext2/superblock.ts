/**
 * ext2 superblock and group descriptors: the fixed geometry read at mount
 * and the counters kept while the file system runs.
 *
 * - readGeometry: checks the superblock (magic, revision, sizes, features,
 *   group descriptors) and answers the geometry or why the mount fails
 * - SB_* and GD_* offsets, u16/u32 little-endian helpers
 * - group descriptor access through a {@link Tx} (free counts, used dirs)
 * - adjustCounts: the superblock's and a group's free counts together
 *
 * The superblock lives at byte 1024 of the device, in block 1 with 1 KiB
 * blocks and block 0 otherwise; the descriptor table follows it. Backup
 * copies in the sparse groups are left as mke2fs wrote them, as Linux does.
 *
 * @module
 */

import { K, type KStatus } from "../../../kernel/api.ts";
import { Corrupt, type Tx } from "./block_source.ts";

/** The ext2 magic number (also statfs's `f_type`). */
export const EXT2_MAGIC = 0xef53;
/** Superblock field offsets (bytes from the superblock's start). */
export const SB = {
  INODES_COUNT: 0,
  BLOCKS_COUNT: 4,
  R_BLOCKS_COUNT: 8,
  FREE_BLOCKS: 12,
  FREE_INODES: 16,
  FIRST_DATA_BLOCK: 20,
  LOG_BLOCK_SIZE: 24,
  BLOCKS_PER_GROUP: 32,
  INODES_PER_GROUP: 40,
  MTIME: 44,
  WTIME: 48,
  MNT_COUNT: 52,
  MAGIC: 56,
  STATE: 58,
  REV_LEVEL: 76,
  FIRST_INO: 84,
  INODE_SIZE: 88,
  FEATURE_COMPAT: 92,
  FEATURE_INCOMPAT: 96,
  FEATURE_RO_COMPAT: 100,
  LAST_MOUNTED: 136,
} as const;
/** Group descriptor field offsets (32-byte descriptors). */
export const GD = {
  BLOCK_BITMAP: 0,
  INODE_BITMAP: 4,
  INODE_TABLE: 8,
  FREE_BLOCKS: 12,
  FREE_INODES: 14,
  USED_DIRS: 16,
  SIZE: 32,
} as const;
/** s_state: cleanly unmounted. */
export const STATE_VALID = 1;
/** Incompatible features implemented: filetype in directory entries. */
export const INCOMPAT_SUPPORTED = 0x0002;
/** Read-only-compatible features implemented: sparse_super, large_file, (unused) btree_dir. */
export const RO_COMPAT_SUPPORTED = 0x0001 | 0x0002 | 0x0004;
/** ro_compat large_file: some file is 2 GiB or larger. */
export const RO_COMPAT_LARGE_FILE = 0x0002;

/** Reads a little-endian u16. */
export function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
/** Reads a little-endian u32. */
export function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
/** Writes a little-endian u16. */
export function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}
/** Writes a little-endian u32. */
export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

/** The fixed shape of a mounted ext2 file system. */
export interface Geometry {
  /** Block size in bytes (1024, 2048 or 4096). */
  blockSize: number;
  /** Blocks in the file system. */
  blocksCount: number;
  /** Inodes in the file system. */
  inodesCount: number;
  /** Blocks reserved for root. */
  reservedBlocks: number;
  /** First data block (1 with 1 KiB blocks, else 0). */
  firstDataBlock: number;
  /** Blocks per group. */
  blocksPerGroup: number;
  /** Inodes per group. */
  inodesPerGroup: number;
  /** Number of block groups. */
  groups: number;
  /** Bytes per on-disk inode. */
  inodeSize: number;
  /** First inode for ordinary files. */
  firstIno: number;
  /** Block holding the superblock, and its byte offset there. */
  sbBlock: number;
  /** Byte offset of the superblock in {@link Geometry.sbBlock}. */
  sbOffset: number;
  /** First block of the group descriptor table. */
  gdtBlock: number;
  /** Incompatible, read-only-compatible feature words. */
  incompat: number;
  /** Read-only-compatible features. */
  roCompat: number;
  /** True when some ro_compat feature is unknown: mount read-only only. */
  forceReadOnly: boolean;
}

/** Why a mount fails: the status (K.INVAL) and a log line. */
export interface MountRefusal {
  /** Status for the mount call. */
  status: KStatus;
  /** One line for the kernel log. */
  reason: string;
}

/** Parses the superblock bytes (1024 of them) into a geometry, or a refusal. */
export function parseSuperblock(sb: Uint8Array, deviceBytes: number): Geometry | MountRefusal {
  const bad = (reason: string): MountRefusal => ({ status: K.INVAL, reason });
  if (u16(sb, SB.MAGIC) !== EXT2_MAGIC) return bad("no ext2 superblock (bad magic)");
  const rev = u32(sb, SB.REV_LEVEL);
  if (rev > 1) return bad(`revision ${rev} is not supported`);
  const log = u32(sb, SB.LOG_BLOCK_SIZE);
  if (log > 2) return bad(`block size 1024<<${log} is not supported`);
  const blockSize = 1024 << log;
  const incompat = rev === 1 ? u32(sb, SB.FEATURE_INCOMPAT) : 0;
  const roCompat = rev === 1 ? u32(sb, SB.FEATURE_RO_COMPAT) : 0;
  const unknown = incompat & ~INCOMPAT_SUPPORTED;
  if (unknown !== 0) {
    return bad(`unsupported incompatible features 0x${unknown.toString(16)}`);
  }
  const g = {
    blockSize,
    blocksCount: u32(sb, SB.BLOCKS_COUNT),
    inodesCount: u32(sb, SB.INODES_COUNT),
    reservedBlocks: u32(sb, SB.R_BLOCKS_COUNT),
    firstDataBlock: u32(sb, SB.FIRST_DATA_BLOCK),
    blocksPerGroup: u32(sb, SB.BLOCKS_PER_GROUP),
    inodesPerGroup: u32(sb, SB.INODES_PER_GROUP),
    groups: 0,
    inodeSize: rev === 1 ? u16(sb, SB.INODE_SIZE) : 128,
    firstIno: rev === 1 ? u32(sb, SB.FIRST_INO) : 11,
    sbBlock: blockSize === 1024 ? 1 : 0,
    sbOffset: blockSize === 1024 ? 0 : 1024,
    gdtBlock: blockSize === 1024 ? 2 : 1,
    incompat,
    roCompat,
    forceReadOnly: (roCompat & ~RO_COMPAT_SUPPORTED) !== 0,
  };
  const why = checkGeometry(g, deviceBytes);
  if (why !== null) return bad(why);
  g.groups = Math.ceil((g.blocksCount - g.firstDataBlock) / g.blocksPerGroup);
  if (g.groups * g.inodesPerGroup !== g.inodesCount) {
    return bad("inode count does not match groups");
  }
  if (g.gdtBlock + Math.ceil(g.groups * GD.SIZE / blockSize) > g.blocksCount) {
    return bad("group descriptors outside the file system");
  }
  return g;
}

function checkGeometry(g: Geometry, deviceBytes: number): string | null {
  const bs = g.blockSize;
  if (g.firstDataBlock !== (bs === 1024 ? 1 : 0)) return "bad first data block";
  if (g.blocksCount <= g.firstDataBlock + 2) return "too few blocks";
  if (g.blocksCount * bs > deviceBytes) return "file system larger than the device";
  if (g.blocksPerGroup === 0 || g.blocksPerGroup > 8 * bs) return "bad blocks per group";
  if (g.inodesPerGroup === 0 || g.inodesPerGroup > 8 * bs) return "bad inodes per group";
  const isz = g.inodeSize;
  if (isz < 128 || isz > bs || (isz & (isz - 1)) !== 0) return `bad inode size ${isz}`;
  if (g.firstIno < 11 || g.firstIno >= g.inodesCount) return "bad first inode";
  if (g.reservedBlocks > g.blocksCount) return "bad reserved block count";
  return null;
}

/** Checks every group descriptor's bitmaps and inode table lie inside the file system. */
export function checkDescriptors(tx: Tx, g: Geometry): string | null {
  const tableBlocks = Math.ceil(g.inodesPerGroup * g.inodeSize / g.blockSize);
  for (let i = 0; i < g.groups; i++) {
    const [blk, off] = gdLocation(g, i);
    const d = tx.read(blk);
    const bb = u32(d, off + GD.BLOCK_BITMAP);
    const ib = u32(d, off + GD.INODE_BITMAP);
    const it = u32(d, off + GD.INODE_TABLE);
    const inside = (b: number, n: number) => b >= g.firstDataBlock && b + n <= g.blocksCount;
    if (!inside(bb, 1) || !inside(ib, 1) || !inside(it, tableBlocks)) {
      return `group ${i}: descriptor points outside the file system`;
    }
    if (u16(d, off + GD.FREE_BLOCKS) > g.blocksPerGroup) return `group ${i}: bad free block count`;
    if (u16(d, off + GD.FREE_INODES) > g.inodesPerGroup) return `group ${i}: bad free inode count`;
  }
  return null;
}

/** Block and byte offset of group `i`'s descriptor. */
export function gdLocation(g: Geometry, i: number): [number, number] {
  const perBlock = g.blockSize / GD.SIZE;
  return [g.gdtBlock + Math.floor(i / perBlock), (i % perBlock) * GD.SIZE];
}

/** A u32 field of group `i`'s descriptor. */
export function gdField32(tx: Tx, g: Geometry, i: number, field: number): number {
  const [blk, off] = gdLocation(g, i);
  return u32(tx.read(blk), off + field);
}

/** A u16 field of group `i`'s descriptor. */
export function gdField16(tx: Tx, g: Geometry, i: number, field: number): number {
  const [blk, off] = gdLocation(g, i);
  return u16(tx.read(blk), off + field);
}

/** Adds `delta` to a u16 field of group `i`'s descriptor. */
export function gdAdd16(tx: Tx, g: Geometry, i: number, field: number, delta: number): void {
  const [blk, off] = gdLocation(g, i);
  const d = tx.write(blk);
  const v = u16(d, off + field) + delta;
  if (v < 0 || v > 0xffff) throw new Corrupt(`group ${i}: counter out of range`);
  put16(d, off + field, v);
}

/** The superblock bytes (read-only view). */
export function superblock(tx: Tx, g: Geometry): Uint8Array {
  return tx.read(g.sbBlock).subarray(g.sbOffset, g.sbOffset + 1024);
}

/** A writable view of the superblock. */
export function superblockForWrite(tx: Tx, g: Geometry): Uint8Array {
  return tx.write(g.sbBlock).subarray(g.sbOffset, g.sbOffset + 1024);
}

/** Changes the free block or inode counts of group `i` and of the superblock together. */
export function adjustFree(
  tx: Tx,
  g: Geometry,
  i: number,
  what: "blocks" | "inodes",
  delta: number,
): void {
  gdAdd16(tx, g, i, what === "blocks" ? GD.FREE_BLOCKS : GD.FREE_INODES, delta);
  const sb = superblockForWrite(tx, g);
  const field = what === "blocks" ? SB.FREE_BLOCKS : SB.FREE_INODES;
  put32(sb, field, u32(sb, field) + delta);
}
