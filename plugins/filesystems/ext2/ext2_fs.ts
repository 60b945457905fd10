/**
 * The mounted ext2 file system: the FileSystem the VFS sees.
 *
 * - Ext2Fs.mount: reads and checks the superblock and descriptors, refuses
 *   unknown incompatible features, forces read-only for unknown ro_compat
 *   ones, and on a read-write mount counts the mount and marks the state
 *   "not clean" until unmount
 * - run: executes one operation as a {@link Tx}: a block that is not cached
 *   ends the attempt, every block it touched is gathered (a wait, then a
 *   restart of the system call); a finished operation commits, one that
 *   answers an error status is dropped whole; a corrupt structure answers
 *   K.UCLEAN (logged once per operation)
 * - the inode objects (one per inode number while referenced), statfs,
 *   sync and unmount (state back to clean, everything written and flushed)
 *
 * @module
 */

import { type FileSystem, type FsUsage, K, type KStatus } from "../../../kernel/api.ts";
import { type BlockSource, Corrupt, NeedBlock, Tx } from "./block_source.ts";
import { destroyInode } from "./names.ts";
import {
  checkDescriptors,
  EXT2_MAGIC,
  type Geometry,
  parseSuperblock,
  put16,
  put32,
  SB,
  STATE_VALID,
  superblock,
  superblockForWrite,
  u16,
  u32,
} from "./superblock.ts";
import { Ext2Inode } from "./ext2_inode.ts";

/** How a mount is made. */
export interface Ext2Options {
  /** Mount read-only. */
  readOnly: boolean;
  /** Wall-clock time (ns since the epoch). */
  now: () => bigint;
  /** Device id for stat. */
  dev?: number;
  /** Kernel log. */
  log?: (line: string) => void;
  /** The device it is mounted from, for /proc/mounts. */
  source?: string;
  /** Called once the unmount has written everything (the kernel module closes the device). */
  onUnmount?: () => void;
}

const ROOT_INO = 2;
const MAX_ATTEMPTS = 16;

/** A mounted ext2 file system. */
export class Ext2Fs implements FileSystem {
  /** Type name. */
  readonly type = "ext2";
  /** Read-only mount (asked for, or forced by features). */
  readonly readOnly: boolean;
  /** Geometry from the superblock. */
  readonly geometry: Geometry;
  /** Device id for stat. */
  readonly dev: number;
  /** Mounted from (for /proc/mounts). */
  readonly source: string;
  /** The block source. */
  readonly device: BlockSource;
  readonly #now: () => bigint;
  readonly #log: (line: string) => void;
  readonly #onUnmount: () => void;
  readonly #inodes = new Map<number, Ext2Inode>();
  /** Inodes without links still open: freed at their last close (or at unmount). */
  readonly #orphans = new Set<number>();
  #root: Ext2Inode | null = null;

  private constructor(src: BlockSource, g: Geometry, opts: Ext2Options, readOnly: boolean) {
    this.device = src;
    this.source = opts.source ?? "ext2";
    this.geometry = g;
    this.readOnly = readOnly;
    this.dev = opts.dev ?? 0;
    this.#now = opts.now;
    this.#log = opts.log ?? (() => {});
    this.#onUnmount = opts.onUnmount ?? (() => {});
  }

  /** Mounts the file system on `src`: the instance, or K.INVAL (bad superblock) / K.ROFS / K.RESTART. */
  static mount(src: BlockSource, opts: Ext2Options): Ext2Fs | KStatus {
    const log = opts.log ?? (() => {});
    const sbBlock = src.peek(1, 1024);
    if (sbBlock === null) {
      const r = src.gather([1], 1024);
      return r === K.OK ? Ext2Fs.mount(src, opts) : r;
    }
    const g = parseSuperblock(sbBlock, src.sizeBytes);
    if ("reason" in g) {
      log(`ext2: ${g.reason}`);
      return g.status;
    }
    if (g.forceReadOnly && !opts.readOnly) {
      log(`ext2: unsupported ro_compat features 0x${g.roCompat.toString(16)}: mounting read-only`);
    }
    const fs = new Ext2Fs(src, g, opts, opts.readOnly || g.forceReadOnly || src.readOnly);
    const r = fs.run((tx) => fs.#mountTx(tx), true, true);
    if (typeof r === "string") {
      log(`ext2: ${r}`);
      return K.INVAL;
    }
    if (r < 0) return r === K.UCLEAN ? K.INVAL : r;
    return fs;
  }

  #mountTx(tx: Tx): number | string {
    const why = checkDescriptors(tx, this.geometry);
    if (why !== null) return why;
    const root = this.inodeFor(tx, ROOT_INO);
    if ((root.mode & 0o170000) !== 0o040000) return "root inode is not a directory";
    this.#root = root;
    if (this.readOnly) return K.OK;
    const sb = superblockForWrite(tx, this.geometry);
    put16(sb, SB.MNT_COUNT, u16(sb, SB.MNT_COUNT) + 1);
    put32(sb, SB.MTIME, this.nowSec());
    put32(sb, SB.WTIME, this.nowSec());
    put16(sb, SB.STATE, u16(sb, SB.STATE) & ~STATE_VALID);
    return K.OK;
  }

  /** Root directory. */
  get root(): Ext2Inode {
    return this.#root!;
  }

  /** Current time in whole seconds (ext2 keeps seconds). */
  nowSec(): number {
    return Number(this.#now() / 1_000_000_000n) >>> 0;
  }

  /**
   * Runs `op` as one transaction (see the module comment). With `wait`
   * false a missing block answers K.AGAIN instead of parking the caller.
   */
  run<T>(op: (tx: Tx) => T, wait = true, allowReadOnly = false): T | KStatus {
    const g = this.geometry;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const tx = new Tx(this.device, g.blockSize, g.blocksCount);
      try {
        const r = op(tx);
        if (typeof r === "number" && r < 0) return r;
        if (tx.dirty) {
          if (this.readOnly && !allowReadOnly) return K.ROFS;
          tx.commit();
          this.#refresh(tx);
        }
        return r;
      } catch (e) {
        if (e instanceof NeedBlock) {
          if (!wait) return K.AGAIN;
          const s = this.device.gather([...new Set(tx.touched)], g.blockSize);
          if (s !== K.OK) return s;
          continue;
        }
        if (e instanceof Corrupt) {
          this.#log(`ext2: ${e.message}`);
          return e.status;
        }
        throw e;
      }
    }
    this.#log("ext2: blocks keep leaving the cache; the buffer cache is too small");
    return K.IO;
  }

  #refresh(tx: Tx): void {
    for (const node of this.#inodes.values()) if (tx.wrote(node.block)) node.load(tx);
  }

  /** The inode object for `ino` (read through `tx`). */
  inodeFor(tx: Tx, ino: number): Ext2Inode {
    let node = this.#inodes.get(ino);
    if (node === undefined) {
      node = new Ext2Inode(this, ino);
      this.#inodes.set(ino, node);
    }
    node.load(tx);
    return node;
  }

  /** Called when the last name of `ino` went away: freed now, or at its last close. */
  dropped(tx: Tx, ino: number): void {
    const node = this.#inodes.get(ino);
    if (node !== undefined && node.opens > 0) {
      this.#orphans.add(ino);
      return;
    }
    destroyInode(tx, this.geometry, ino, this.nowSec());
    this.#inodes.delete(ino);
  }

  /** Called at the last close of `node`: frees it if it has no links left. */
  closed(node: Ext2Inode): void {
    if (node.opens > 0 || !this.#orphans.has(node.ino)) return;
    const r = this.run((tx) => {
      destroyInode(tx, this.geometry, node.ino, this.nowSec());
      return K.OK;
    }, false);
    if (r === K.OK) {
      this.#orphans.delete(node.ino);
      this.#inodes.delete(node.ino);
    }
  }

  /** statfs figures from the superblock. */
  statfs(): FsUsage {
    const g = this.geometry;
    const sb = this.device.peek(g.sbBlock, g.blockSize);
    const freeBlocks = sb === null ? 0 : u32(sb, g.sbOffset + SB.FREE_BLOCKS);
    const freeInodes = sb === null ? 0 : u32(sb, g.sbOffset + SB.FREE_INODES);
    return {
      magic: EXT2_MAGIC,
      blockSize: g.blockSize,
      blocks: g.blocksCount - g.firstDataBlock,
      blocksFree: freeBlocks,
      blocksAvailable: Math.max(0, freeBlocks - g.reservedBlocks),
      files: g.inodesCount,
      filesFree: freeInodes,
      nameMax: 255,
    };
  }

  /**
   * Writes everything dirty and flushes the device (K.RESTART while
   * waiting). It changes nothing itself, so a restarted sync only waits.
   */
  sync(): KStatus {
    return this.readOnly ? K.OK : this.device.sync();
  }

  /**
   * Unmount: frees open orphans, writes and flushes everything, and only
   * then marks the state clean (written and flushed last, so a cut before
   * it leaves a "not clean" image that e2fsck checks).
   */
  unmount(): KStatus {
    const r = this.#unmount();
    if (r === K.OK) this.#onUnmount();
    return r;
  }

  #unmount(): KStatus {
    if (this.readOnly) return K.OK;
    const g = this.geometry;
    const r = this.run((tx) => {
      for (const ino of this.#orphans) destroyInode(tx, g, ino, this.nowSec());
      return K.OK;
    });
    if (r < 0) return r;
    this.#orphans.clear();
    const s = this.device.sync();
    if (s !== K.OK) return s;
    const c = this.run((tx) => {
      const state = u16(superblock(tx, g), SB.STATE);
      if (state & STATE_VALID) return K.OK; // a restarted unmount: already marked
      const sb = superblockForWrite(tx, g);
      put16(sb, SB.STATE, state | STATE_VALID);
      put32(sb, SB.WTIME, this.nowSec());
      return K.OK;
    });
    return c < 0 ? c : this.device.sync();
  }
}
