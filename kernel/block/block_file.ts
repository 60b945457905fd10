/**
 * Block device nodes opened as files (`/dev/hda`, `/dev/hda1`): reads and
 * writes at any byte offset through the buffer cache, in blocks of
 * {@link rawBlockSize} bytes. A write that covers part of a block reads the
 * block first (read-modify-write); a write of whole blocks takes fresh
 * buffers without reading. Each call gathers every block it touches before
 * copying anything, so a call that waits for the disk restarts cleanly.
 * Reads at or past the end give 0 (end of file), writes there K.NOSPC, as on
 * Linux. A writer waits while more than half of the cache is dirty or
 * being written (the write-back runs meanwhile). fsync writes the device's
 * dirty blocks and flushes the drive.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { FileOps, OpenFile } from "../fs/types.ts";
import { OpenFlags } from "../fs/types.ts";
import type { BufferCache } from "./buffer_cache.ts";
import type { WaitForIo } from "./block_device.ts";
import type { Partition } from "./disk.ts";
import { BlockClass, SECTOR_SIZE } from "./types.ts";

/** Largest transfer of one read or write call on a node (the rest is a short count). */
export const MAX_NODE_IO = 64 * 1024;

/** The cache block size used for node I/O on `part`: 4 KiB when it is aligned to it, else 512. */
export function rawBlockSize(part: Partition): number {
  return part.start % 8 === 0 && part.sectors % 8 === 0 ? 4096 : SECTOR_SIZE;
}

/** The file operations of `part`'s node. */
export function blockNodeOps(
  part: Partition,
  cache: BufferCache,
  waitForIo: WaitForIo,
): FileOps {
  const disk = part.disk;
  const limit = () => part.start + part.sectors;
  /** Gathers the blocks under [pos, pos+n): K.OK, K.RESTART (waiting) or K.IO. */
  const gatherRange = (pos: number, n: number, bs: number, whole: boolean): KStatus => {
    const per = bs / SECTOR_SIZE;
    const sectors: number[] = [];
    for (let b = Math.floor(pos / bs); b * bs < pos + n; b++) {
      const covered = whole && b * bs >= pos && (b + 1) * bs <= pos + n;
      if (!covered) sectors.push(part.start + b * per);
    }
    if (sectors.length === 0) return K.OK;
    const r = cache.gather(disk, sectors, bs, limit());
    return r === K.AGAIN ? waitForIo(disk.wait) : r;
  };
  return {
    read(file: OpenFile, buf: Uint8Array): number {
      if (disk.gone) return K.IO;
      const pos = file.offset, size = part.sizeBytes;
      const n = Math.min(buf.length, MAX_NODE_IO, size - pos);
      if (n <= 0) return 0;
      const bs = rawBlockSize(part);
      const r = gatherRange(pos, n, bs, false);
      if (r !== K.OK) return r;
      for (let done = 0; done < n;) {
        const at = pos + done, b = Math.floor(at / bs), off = at - b * bs;
        const k = Math.min(bs - off, n - done);
        const data = cache.peek(disk, part.start + b * (bs / SECTOR_SIZE), bs, limit());
        if (data === null) return done > 0 ? done : K.IO;
        buf.set(data.subarray(off, off + k), done);
        done += k;
      }
      file.offset = pos + n;
      return n;
    },
    write(file: OpenFile, data: Uint8Array): number {
      if (disk.gone) return K.IO;
      if (disk.readOnly) return K.ROFS;
      const pos = file.offset, size = part.sizeBytes;
      if (data.length === 0) return 0;
      const n = Math.min(data.length, MAX_NODE_IO, size - pos);
      if (n <= 0) return K.NOSPC;
      // Too much of the cache is dirty: wait for the write-back before adding more.
      if (cache.throttle()) return waitForIo(disk.wait);
      const bs = rawBlockSize(part), per = bs / SECTOR_SIZE;
      const r = gatherRange(pos, n, bs, true);
      if (r !== K.OK) return r;
      for (let done = 0; done < n;) {
        const at = pos + done, b = Math.floor(at / bs), off = at - b * bs;
        const k = Math.min(bs - off, n - done);
        const sector = part.start + b * per;
        const block = off === 0 && k === bs
          ? cache.fresh(disk, sector, bs)
          : cache.peek(disk, sector, bs, limit());
        if (block === null) return done > 0 ? done : K.IO;
        block.set(data.subarray(done, done + k), off);
        cache.markDirty(disk, sector, bs, BlockClass.DATA);
        done += k;
      }
      file.offset = pos + n;
      return n;
    },
    fsync(_file: OpenFile, _dataOnly: boolean): KStatus {
      const r = cache.sync(disk, part.start, limit());
      return r === K.AGAIN ? waitForIo(disk.wait) : r;
    },
    seekSize: () => part.sizeBytes,
  };
}

/** The open check of a node: K.ROFS for writing a read-only medium. */
export function blockNodeOpen(part: Partition, file: OpenFile): KStatus {
  if (part.disk.gone) return K.NXIO;
  if ((file.flags & OpenFlags.WRITE) && part.disk.readOnly) return K.ROFS;
  return K.OK;
}
