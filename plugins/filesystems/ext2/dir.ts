/**
 * ext2 directories: linked lists of variable-length entries in the
 * directory's blocks (inode u32, rec_len u16, name_len u8, file_type u8,
 * name), each block fully covered by its entries' rec_len.
 *
 * - dirBlocks: a directory's physical blocks, all fetched at once
 * - forEachEntry: walks the entries, checking every rec_len (Corrupt on a
 *   bad one, so a damaged block never loops or reads past its end)
 * - findEntry, listEntries, isEmptyDir
 * - addEntry: into the slack of an entry or a free entry, else a new block
 * - removeEntry (merged into the previous entry, or inode 0 at a block's
 *   start), setEntry (rename over an existing name)
 *
 * Indexed (dir_index) directories are read linearly: their index blocks look
 * like empty entries. A change to one clears its index flag, as Linux's ext2
 * does, which leaves a valid linear directory.
 *
 * @module
 */

import { Corrupt, type Tx } from "./block_source.ts";
import {
  bmap,
  bmapAlloc,
  fileSize,
  I,
  INDEX_FL,
  readInode,
  setFileSize,
  writeInode,
} from "./inode.ts";
import { type Geometry, put16, put32, u16, u32 } from "./superblock.ts";

const te = new TextEncoder();
const td = new TextDecoder();

/** Directory entry file types (the filetype feature). */
export const FT = { UNKNOWN: 0, REG: 1, DIR: 2, CHR: 3, BLK: 4, FIFO: 5, SOCK: 6, LNK: 7 } as const;
const FT_OF_MODE: Record<number, number> = {
  0o100000: FT.REG,
  0o040000: FT.DIR,
  0o020000: FT.CHR,
  0o060000: FT.BLK,
  0o010000: FT.FIFO,
  0o140000: FT.SOCK,
  0o120000: FT.LNK,
};
const MODE_OF_FT = [0, 0o100000, 0o040000, 0o020000, 0o060000, 0o010000, 0o140000, 0o120000];

/** The entry file type for a mode. */
export function ftOfMode(mode: number): number {
  return FT_OF_MODE[mode & 0o170000] ?? FT.UNKNOWN;
}
/** The S_IFMT bits for an entry file type (0 when unknown). */
export function modeOfFt(ft: number): number {
  return MODE_OF_FT[ft] ?? 0;
}

/** One entry as walked. */
export interface DirSlot {
  /** Physical block. */
  block: number;
  /** Byte offset in the block. */
  off: number;
  /** Offset of the previous entry in the block (-1 at its start). */
  prev: number;
  /** Inode (0: free). */
  ino: number;
  /** rec_len. */
  recLen: number;
  /** Name bytes. */
  name: Uint8Array;
  /** file_type byte. */
  ft: number;
}

/** Space an entry with a name of `len` bytes needs. */
export function entrySize(len: number): number {
  return (8 + len + 3) & ~3;
}

/** The physical blocks of directory `ino` (fetched together). */
export function dirBlocks(tx: Tx, g: Geometry, ino: number): number[] {
  const raw = readInode(tx, g, ino);
  const size = fileSize(raw);
  if (size % g.blockSize !== 0) {
    throw new Corrupt(`directory ${ino}: size ${size} not a whole number of blocks`);
  }
  if (size / 512 > u32(raw, I.BLOCKS)) {
    throw new Corrupt(`directory ${ino}: size ${size} larger than its blocks`);
  }
  const out: number[] = [];
  for (let lb = 0; lb < size / g.blockSize; lb++) {
    const b = bmap(tx, g, raw, lb);
    if (b === 0) throw new Corrupt(`directory ${ino}: hole at block ${lb}`);
    out.push(b);
  }
  tx.prefetch(out);
  return out;
}

/** Calls `visit` on every entry (free ones too); stops when it returns true. */
export function forEachEntry(
  tx: Tx,
  g: Geometry,
  ino: number,
  visit: (s: DirSlot) => boolean,
): boolean {
  for (const block of dirBlocks(tx, g, ino)) {
    const d = tx.read(block);
    let off = 0;
    let prev = -1;
    while (off < g.blockSize) {
      const recLen = u16(d, off + 4);
      const nameLen = d[off + 6];
      if (recLen < 12 || (recLen & 3) !== 0 || off + recLen > g.blockSize || 8 + nameLen > recLen) {
        throw new Corrupt(`directory ${ino}: bad entry at block ${block} offset ${off}`);
      }
      const slot: DirSlot = {
        block,
        off,
        prev,
        ino: u32(d, off),
        recLen,
        name: d.subarray(off + 8, off + 8 + nameLen),
        ft: d[off + 7],
      };
      if (visit(slot)) return true;
      prev = off;
      off += recLen;
    }
  }
  return false;
}

function sameName(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The entry `name` of directory `ino`, or null. */
export function findEntry(tx: Tx, g: Geometry, ino: number, name: string): DirSlot | null {
  const want = te.encode(name);
  let found: DirSlot | null = null;
  forEachEntry(tx, g, ino, (s) => {
    if (s.ino !== 0 && sameName(s.name, want)) found = s;
    return found !== null;
  });
  return found;
}

/** Every used entry: [inode, name, file type]. */
export function listEntries(tx: Tx, g: Geometry, ino: number): Array<[number, string, number]> {
  const out: Array<[number, string, number]> = [];
  forEachEntry(tx, g, ino, (s) => {
    if (s.ino !== 0) out.push([s.ino, td.decode(s.name), s.ft]);
    return false;
  });
  return out;
}

/** True when the directory holds only `.` and `..`. */
export function isEmptyDir(tx: Tx, g: Geometry, ino: number): boolean {
  return !forEachEntry(tx, g, ino, (s) => {
    if (s.ino === 0) return false;
    const n = s.name;
    return !(n.length === 1 && n[0] === 0x2e) &&
      !(n.length === 2 && n[0] === 0x2e && n[1] === 0x2e);
  });
}

function writeEntry(
  d: Uint8Array,
  off: number,
  ino: number,
  recLen: number,
  name: Uint8Array,
  ft: number,
): void {
  put32(d, off, ino);
  put16(d, off + 4, recLen);
  d[off + 6] = name.length;
  d[off + 7] = ft;
  d.set(name, off + 8);
}

function clearIndex(tx: Tx, g: Geometry, dir: number): void {
  const raw = readInode(tx, g, dir);
  const flags = u32(raw, I.FLAGS);
  if (flags & INDEX_FL) put32(writeInode(tx, g, dir), I.FLAGS, flags & ~INDEX_FL);
}

/** Adds `name` -> `ino` to directory `dir`; false when no block can be allocated. */
export function addEntry(
  tx: Tx,
  g: Geometry,
  dir: number,
  name: string,
  ino: number,
  ft: number,
): boolean {
  const nb = te.encode(name);
  const need = entrySize(nb.length);
  let spot: DirSlot | null = null;
  forEachEntry(tx, g, dir, (s) => {
    const used = s.ino === 0 ? 0 : entrySize(s.name.length);
    if (s.recLen - used >= need) spot = s;
    return spot !== null;
  });
  clearIndex(tx, g, dir);
  if (spot !== null) {
    const s: DirSlot = spot;
    const d = tx.write(s.block);
    if (s.ino === 0) {
      writeEntry(d, s.off, ino, s.recLen, nb, ft);
    } else {
      const used = entrySize(s.name.length);
      put16(d, s.off + 4, used);
      writeEntry(d, s.off + used, ino, s.recLen - used, nb, ft);
    }
    return true;
  }
  const size = fileSize(readInode(tx, g, dir));
  const lb = size / g.blockSize;
  const prev = lb > 0 ? bmap(tx, g, readInode(tx, g, dir), lb - 1) : 0;
  const b = bmapAlloc(tx, g, dir, lb, prev);
  if (b === 0) return false;
  const d = tx.fresh(b);
  writeEntry(d, 0, ino, g.blockSize, nb, ft);
  setFileSize(writeInode(tx, g, dir), size + g.blockSize);
  return true;
}

/** Removes the entry at `s` from its block. */
export function removeEntry(tx: Tx, g: Geometry, dir: number, s: DirSlot): void {
  clearIndex(tx, g, dir);
  const d = tx.write(s.block);
  if (s.prev < 0) {
    put32(d, s.off, 0);
    return;
  }
  put16(d, s.prev + 4, u16(d, s.prev + 4) + s.recLen);
}

/** Points the existing entry at `s` to another inode and type (rename over a name). */
export function setEntry(
  tx: Tx,
  g: Geometry,
  dir: number,
  s: DirSlot,
  ino: number,
  ft: number,
): void {
  clearIndex(tx, g, dir);
  const d = tx.write(s.block);
  put32(d, s.off, ino);
  d[s.off + 7] = ft;
}

/** Writes the first block of a new directory: `.` and `..`. */
export function initDirBlock(d: Uint8Array, self: number, parent: number): void {
  writeEntry(d, 0, self, 12, te.encode("."), FT.DIR);
  writeEntry(d, 12, parent, d.length - 12, te.encode(".."), FT.DIR);
}
