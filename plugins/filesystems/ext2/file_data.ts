/**
 * ext2 file contents: reading, writing and resizing regular files (and the
 * data block of slow symbolic links).
 *
 * - readData: copies from the blocks under a byte range (holes read as
 *   zeros), after fetching all of them at once
 * - writeData: allocates missing blocks near the previous one, overwrites
 *   whole blocks without reading them, grows the size; stops at a full file
 *   system with what fitted
 * - resize: truncate up (a hole) or down (blocks past the end freed, the
 *   tail of the last block zeroed so a later extension reads zeros)
 *
 * @module
 */

import { K, type KStatus } from "../../../kernel/api.ts";
import { DirtyKind, type Tx } from "./block_source.ts";
import {
  bmap,
  bmapAlloc,
  fileSize,
  maxBlocks,
  readInode,
  setFileSize,
  truncateBlocks,
  writeInode,
} from "./inode.ts";
import type { Geometry } from "./superblock.ts";

/** Largest file: what the block map addresses, capped where i_blocks (sectors, u32) would overflow. */
export function maxFileBytes(g: Geometry): number {
  return Math.min(maxBlocks(g) * g.blockSize, 0xffff_ffff * 512 / 2);
}

/** Reads up to `buf.length` bytes at `pos`; the count read. */
export function readData(tx: Tx, g: Geometry, ino: number, pos: number, buf: Uint8Array): number {
  const raw = readInode(tx, g, ino);
  const size = fileSize(raw);
  if (pos >= size) return 0;
  const n = Math.min(buf.length, size - pos);
  const bs = g.blockSize;
  const first = Math.floor(pos / bs);
  const last = Math.floor((pos + n - 1) / bs);
  const phys: number[] = [];
  for (let lb = first; lb <= last; lb++) phys.push(bmap(tx, g, raw, lb));
  tx.prefetch(phys);
  let done = 0;
  for (let i = 0; i < phys.length; i++) {
    const at = (pos + done) % bs;
    const take = Math.min(bs - at, n - done);
    if (phys[i] === 0) buf.fill(0, done, done + take);
    else buf.set(tx.read(phys[i]).subarray(at, at + take), done);
    done += take;
  }
  return n;
}

/** Writes `data` at `pos`; the count written, or K.NOSPC / K.FBIG when nothing fitted. */
export function writeData(
  tx: Tx,
  g: Geometry,
  ino: number,
  pos: number,
  data: Uint8Array,
  nowSec: number,
): number {
  if (data.length === 0) return 0;
  const limit = maxFileBytes(g);
  if (pos >= limit) return K.FBIG;
  const n = Math.min(data.length, limit - pos);
  const bs = g.blockSize;
  const raw = readInode(tx, g, ino);
  const first = Math.floor(pos / bs);
  const last = Math.floor((pos + n - 1) / bs);
  const partial: number[] = [];
  for (let lb = first; lb <= last; lb++) {
    const whole = lb * bs >= pos && (lb + 1) * bs <= pos + n;
    if (!whole) partial.push(bmap(tx, g, raw, lb));
  }
  tx.prefetch(partial);
  let done = 0;
  let prev = first > 0 ? bmap(tx, g, raw, first - 1) : 0;
  for (let lb = first; lb <= last; lb++) {
    const at = (pos + done) % bs;
    const take = Math.min(bs - at, n - done);
    const had = bmap(tx, g, readInode(tx, g, ino), lb);
    const b = had !== 0 ? had : bmapAlloc(tx, g, ino, lb, prev);
    if (b === 0) break;
    const block = had !== 0 && take < bs
      ? tx.write(b, DirtyKind.DATA)
      : tx.fresh(b, DirtyKind.DATA);
    block.set(data.subarray(done, done + take), at);
    done += take;
    prev = b;
  }
  if (done === 0) return K.NOSPC;
  const w = writeInode(tx, g, ino);
  if (pos + done > fileSize(w)) setFileSize(w, pos + done);
  stampTimes(w, nowSec, false);
  return done;
}

/** Sets mtime and ctime (and atime too when `all`). */
export function stampTimes(raw: Uint8Array, sec: number, all: boolean): void {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  v.setUint32(12, sec >>> 0, true);
  v.setUint32(16, sec >>> 0, true);
  if (all) v.setUint32(8, sec >>> 0, true);
}

/** Sets the size of regular file `ino` (freeing or leaving holes). */
export function resize(tx: Tx, g: Geometry, ino: number, size: number, nowSec: number): KStatus {
  if (size < 0) return K.INVAL;
  if (size > maxFileBytes(g)) return K.FBIG;
  const bs = g.blockSize;
  const raw = readInode(tx, g, ino);
  const old = fileSize(raw);
  if (size < old) {
    const keep = Math.ceil(size / bs);
    if (size % bs !== 0) {
      const b = bmap(tx, g, raw, keep - 1);
      if (b !== 0) tx.write(b, DirtyKind.DATA).fill(0, size % bs);
    }
    truncateBlocks(tx, g, ino, keep);
  } else if (size > old && old % bs !== 0) {
    const b = bmap(tx, g, raw, Math.floor(old / bs));
    if (b !== 0) tx.write(b, DirtyKind.DATA).fill(0, old % bs);
  }
  const w = writeInode(tx, g, ino);
  setFileSize(w, size);
  stampTimes(w, nowSec, false);
  return K.OK;
}
