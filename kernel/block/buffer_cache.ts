/**
 * The buffer cache (xv6's bio.c, grown up): cached disk blocks of any size
 * (a multiple of 512), keyed by disk and first absolute sector.
 *
 * - lookup: `#get` finds or makes a buffer; a buffer that overlaps one of a
 *   different size is resolved first (dropped if clean and idle, written
 *   back if dirty, waited for while I/O is in flight), so a block is never
 *   cached twice under two sizes.
 * - reads: a missing buffer starts a read into a private array; its
 *   completion copies it in (unless the buffer was made `fresh` meanwhile)
 *   and wakes the disk's queue. Sequential misses start a read-ahead of the
 *   following blocks.
 * - pinning: a `gather` pins its buffers for the calling thread until that
 *   thread's next system call (xv6's brelse at the end of the operation), so
 *   nothing it gathered is evicted under it, even while it waits for the
 *   rest to arrive.
 * - eviction: least recently used first, skipping pinned, dirty and busy
 *   buffers; when only dirty ones are left their write-back starts and the
 *   cache runs over its size until they are clean.
 * - write-back: dirty buffers are written by a sync (data class first, then
 *   metadata, then a FLUSH CACHE) and by a periodic flush every
 *   {@link WRITEBACK_NS} of simulated time. A write sends a snapshot, so a
 *   buffer changed during its write stays dirty.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { Disk } from "./disk.ts";
import { BlockClass, SECTOR_SIZE } from "./types.ts";

/** Simulated ns between periodic write-backs of dirty buffers (Linux's dirty_writeback 5 s). */
export const WRITEBACK_NS = 5_000_000_000;
/** Default cache size in bytes. */
export const DEFAULT_CACHE_BYTES = 4 * 1024 * 1024;
/** Blocks read ahead after two consecutive misses. */
export const READAHEAD_BLOCKS = 8;

/** A cached block. */
export class Buf {
  /** Bytes of the block (valid once `valid`). */
  readonly data: Uint8Array;
  /** Holds the device's bytes (or fresh zeros). */
  valid = false;
  /** Changed since last written. */
  dirty = false;
  /** {@link BlockClass} of the last markDirty. */
  klass: number = BlockClass.DATA;
  /** A read is in flight. */
  reading = false;
  /** Writes in flight. */
  writing = 0;
  /** The last read failed. */
  error = false;
  /** Pins by waiting or running calls. */
  pins = 0;

  /** The block at absolute `sector` of `disk`, `size` bytes. */
  constructor(readonly disk: Disk, readonly sector: number, readonly size: number) {
    this.data = new Uint8Array(size);
  }

  /** Sectors covered. */
  get sectors(): number {
    return this.size / SECTOR_SIZE;
  }

  /** I/O in flight. */
  get busy(): boolean {
    return this.reading || this.writing > 0;
  }
}

/** What the cache needs from the kernel. */
export interface CacheDeps {
  /** Id of the calling thread (0 outside a call). */
  currentTid(): number;
  /** Changes with every system call (the pin epoch). */
  callEpoch(): number;
  /** Whether thread `tid` is parked (waiting; its call will restart). */
  threadParked(tid: number): boolean;
  /** Starts a kernel timer; returns its id. */
  startTimer(delayNs: number, callback: () => void): number;
}

/** Counters shown in /proc/meminfo and the tests. */
export interface CacheStats {
  /** Lookups that found a valid buffer. */
  hits: number;
  /** Lookups that started a read. */
  misses: number;
  /** Blocks read ahead. */
  readaheads: number;
  /** Buffers evicted. */
  evictions: number;
  /** Buffer writes started. */
  writebacks: number;
  /** The most bytes dirty at once. */
  peakDirty: number;
  /** The most bytes cached at once (over the capacity while writes are in flight). */
  peakBytes: number;
}

interface PinRecord {
  epoch: number;
  bufs: Buf[];
}

/** The buffer cache over every disk. */
export class BufferCache {
  /** Capacity in bytes (may be exceeded while only dirty or pinned buffers remain). */
  capacity: number;
  /** Counters. */
  readonly stats: CacheStats = {
    hits: 0,
    misses: 0,
    readaheads: 0,
    evictions: 0,
    writebacks: 0,
    peakDirty: 0,
    peakBytes: 0,
  };
  readonly #byDisk = new Map<Disk, Map<number, Buf>>();
  readonly #lru = new Set<Buf>();
  readonly #pins = new Map<number, PinRecord>();
  readonly #lastMiss = new Map<Disk, number>();
  readonly #d: CacheDeps;
  #bytes = 0;
  #dirtyBytes = 0;
  #writingBytes = 0;
  #timer = false;

  /** A cache of `capacity` bytes. */
  constructor(deps: CacheDeps, capacity = DEFAULT_CACHE_BYTES) {
    this.#d = deps;
    this.capacity = capacity;
  }

  /** Bytes cached. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Bytes dirty. */
  get dirtyBytes(): number {
    return this.#dirtyBytes;
  }

  /** The map of `disk`'s buffers. */
  #map(disk: Disk): Map<number, Buf> {
    let m = this.#byDisk.get(disk);
    if (m === undefined) {
      m = new Map();
      this.#byDisk.set(disk, m);
    }
    return m;
  }

  /**
   * The buffer at `sector` of `size` bytes, made if missing; null when an
   * overlapping buffer of another size must finish I/O first (its write-back
   * has been started; wait on the disk's queue).
   */
  #get(disk: Disk, sector: number, size: number): Buf | null {
    const m = this.#map(disk);
    const b = m.get(sector);
    if (b !== undefined && b.size === size) {
      this.#lru.delete(b);
      this.#lru.add(b);
      return b;
    }
    if (!this.#clearOverlaps(m, sector, size / SECTOR_SIZE)) return null;
    const nb = new Buf(disk, sector, size);
    m.set(sector, nb);
    this.#lru.add(nb);
    this.#bytes += size;
    this.#evict(nb);
    if (this.#bytes > this.stats.peakBytes) this.stats.peakBytes = this.#bytes;
    return nb;
  }

  /**
   * Removes buffers overlapping [sector, sector+n) of another size; false
   * while one cannot go yet (I/O in flight, dirty: its write is started,
   * pinned by a call in progress).
   */
  #clearOverlaps(m: Map<number, Buf>, sector: number, n: number): boolean {
    let clear = true, swept = false;
    for (const b of [...m.values()]) {
      if (b.sector >= sector + n || b.sector + b.sectors <= sector) continue;
      if (b.pins > 0 && !swept) {
        this.#sweepPins();
        swept = true;
      }
      if (b.dirty && !b.busy) this.#write(b);
      if (b.busy || b.dirty || b.pins > 0) clear = false;
      else this.#drop(m, b);
    }
    return clear;
  }

  #drop(m: Map<number, Buf>, b: Buf): void {
    m.delete(b.sector);
    this.#lru.delete(b);
    this.#bytes -= b.size;
    if (b.dirty) this.#dirtyBytes -= b.size;
  }

  /** Evicts least recently used idle buffers down to the capacity, never `keep`. */
  #evict(keep: Buf): void {
    if (this.#bytes <= this.capacity) return;
    this.#sweepPins();
    for (const b of this.#lru) {
      if (this.#bytes <= this.capacity) return;
      if (b === keep || b.busy || b.dirty || b.pins > 0) continue;
      this.#drop(this.#map(b.disk), b);
      this.stats.evictions++;
    }
    // Only dirty or pinned buffers remain: start writing the oldest dirty ones.
    let over = this.#bytes - this.capacity;
    for (const b of this.#lru) {
      if (over <= 0) break;
      if (b.dirty && !b.busy) {
        this.#write(b);
        over -= b.size;
      }
    }
  }

  /**
   * Releases the pins of calls that have ended: a record from an earlier
   * system call whose thread is not parked (a parked thread's call is still
   * waiting to restart and keeps its buffers).
   */
  #sweepPins(): void {
    const epoch = this.#d.callEpoch(), current = this.#d.currentTid();
    for (const [tid, rec] of [...this.#pins]) {
      if (rec.epoch === epoch && tid === current) continue;
      if (tid === current || !this.#d.threadParked(tid)) this.#release(tid);
    }
  }

  #release(tid: number): void {
    const rec = this.#pins.get(tid);
    if (rec === undefined) return;
    for (const b of rec.bufs) b.pins--;
    this.#pins.delete(tid);
  }

  /** Pins `b` for the calling thread until its next system call. */
  #pin(b: Buf): void {
    const tid = this.#d.currentTid(), epoch = this.#d.callEpoch();
    let rec = this.#pins.get(tid);
    if (rec !== undefined && rec.epoch !== epoch) {
      this.#release(tid);
      rec = undefined;
    }
    if (rec === undefined) {
      rec = { epoch, bufs: [] };
      this.#pins.set(tid, rec);
    }
    b.pins++;
    rec.bufs.push(b);
  }

  #read(b: Buf): void {
    b.reading = true;
    b.error = false;
    const into = new Uint8Array(b.size);
    b.disk.queue.submit("read", b.sector, into, (status) => {
      b.reading = false;
      if (status === K.OK) {
        if (!b.valid) b.data.set(into);
        b.valid = true;
      } else if (!b.valid) {
        b.error = true;
      }
      b.disk.wait.wakeAll();
    });
  }

  #write(b: Buf): void {
    const disk = b.disk;
    b.writing++;
    this.#writingBytes += b.size;
    this.#setDirty(b, false);
    this.stats.writebacks++;
    disk.queue.submit("write", b.sector, b.data.slice(), (status) => {
      b.writing--;
      this.#writingBytes -= b.size;
      disk.writeGen++;
      if (status !== K.OK) disk.ioError = true;
      disk.wait.wakeAll();
    });
  }

  #setDirty(b: Buf, on: boolean): void {
    if (b.dirty === on) return;
    b.dirty = on;
    this.#dirtyBytes += on ? b.size : -b.size;
    if (on) {
      if (this.#dirtyBytes > this.stats.peakDirty) this.stats.peakDirty = this.#dirtyBytes;
      this.#armWriteback();
    }
  }

  /** A missing or failed buffer: starts its read (and a read-ahead on a sequential miss). */
  #miss(b: Buf, limit: number, ahead: boolean): void {
    this.stats.misses++;
    this.#read(b);
    if (!ahead) return;
    const last = this.#lastMiss.get(b.disk);
    this.#lastMiss.set(b.disk, b.sector + b.sectors);
    if (last !== b.sector) return;
    for (let i = 1; i <= READAHEAD_BLOCKS; i++) {
      const s = b.sector + i * b.sectors;
      if (s + b.sectors > limit) break;
      const m = this.#map(b.disk);
      if (m.has(s)) continue;
      const r = this.#get(b.disk, s, b.size);
      if (r === null || r.valid || r.busy) continue;
      this.stats.readaheads++;
      this.#read(r);
    }
  }

  /** The valid buffer or null (its read started); `limit` is the end sector of the partition. */
  peek(disk: Disk, sector: number, size: number, limit: number): Uint8Array | null {
    const b = this.#get(disk, sector, size);
    if (b === null) return null;
    if (b.valid) {
      this.stats.hits++;
      return b.data;
    }
    if (!b.reading) this.#miss(b, limit, true);
    return null;
  }

  /**
   * K.OK when every (sector, size) is valid (pinned for the calling thread);
   * K.AGAIN when reads were started or are in flight (wait on the disk's
   * queue); K.IO when one failed (the failed buffer is dropped, so a retry
   * reads again).
   */
  gather(disk: Disk, sectors: readonly number[], size: number, limit: number): KStatus {
    if (disk.gone) return K.IO;
    let missing = false;
    for (const s of sectors) {
      const b = this.#get(disk, s, size);
      if (b === null) {
        missing = true;
        continue;
      }
      this.#pin(b);
      if (b.valid) {
        this.stats.hits++;
        continue;
      }
      if (b.error && !b.reading) {
        b.error = false;
        this.#drop(this.#map(disk), b);
        return K.IO;
      }
      missing = true;
      if (!b.reading) this.#miss(b, limit, sectors.length === 1);
    }
    return missing ? K.AGAIN : K.OK;
  }

  /**
   * A valid zero-filled buffer at `sector` that is not read (a pending
   * read's bytes are discarded). Idle buffers of another size overlapping it
   * are dropped (a dirty one is written first, as its other blocks may hold
   * changes): the new block replaces their bytes.
   */
  fresh(disk: Disk, sector: number, size: number): Uint8Array {
    const m = this.#map(disk);
    let b = m.get(sector);
    if (b === undefined || b.size !== size) {
      const n = size / SECTOR_SIZE;
      for (const o of [...m.values()]) {
        if (o.sector >= sector + n || o.sector + o.sectors <= sector || o.busy) continue;
        if (o.dirty) this.#write(o); // its other blocks' changes go out before it is forgotten
        this.#drop(m, o);
      }
      if (b !== undefined) this.#drop(m, b); // still busy: its I/O completes into a forgotten buffer
      b = new Buf(disk, sector, size);
      m.set(sector, b);
      this.#lru.add(b);
      this.#bytes += size;
      this.#evict(b);
      if (this.#bytes > this.stats.peakBytes) this.stats.peakBytes = this.#bytes;
    } else {
      this.#lru.delete(b);
      this.#lru.add(b);
    }
    b.data.fill(0);
    b.valid = true;
    b.error = false;
    this.#pin(b);
    return b.data;
  }

  /** Marks the buffer at `sector` dirty (ignored unless it is cached and valid). */
  markDirty(disk: Disk, sector: number, size: number, klass: number): void {
    const b = this.#map(disk).get(sector);
    if (b === undefined || b.size !== size || !b.valid) return;
    b.klass = klass;
    this.#setDirty(b, true);
  }

  /**
   * One step of a sync of [lo, hi) on `disk`: K.OK once every dirty buffer
   * there is written and the disk flushed; K.AGAIN while writes or the flush
   * run (data buffers go first, metadata only when no data write remains);
   * K.IO (once) when a write or flush failed.
   */
  sync(disk: Disk, lo: number, hi: number): KStatus {
    if (disk.gone) return K.IO;
    const m = this.#map(disk);
    let inFlight = false;
    const data: Buf[] = [], meta: Buf[] = [];
    for (const b of m.values()) {
      if (b.sector < lo || b.sector >= hi) continue;
      if (b.writing > 0) inFlight = true;
      if (b.dirty) (b.klass === BlockClass.META ? meta : data).push(b);
    }
    if (inFlight) return K.AGAIN;
    if (data.length > 0 || meta.length > 0) {
      for (const b of data.length > 0 ? data : meta) this.#write(b);
      return K.AGAIN;
    }
    if (disk.flushing) return K.AGAIN;
    if (disk.writeGen !== disk.flushedGen) {
      this.#flush(disk);
      return K.AGAIN;
    }
    if (disk.ioError) {
      disk.ioError = false;
      return K.IO;
    }
    return K.OK;
  }

  #flush(disk: Disk): void {
    const gen = disk.writeGen;
    disk.flushing = true;
    disk.queue.submit("flush", 0, new Uint8Array(0), (status) => {
      disk.flushing = false;
      if (status === K.OK) disk.flushedGen = gen;
      else {
        disk.ioError = true;
        disk.flushedGen = gen;
      }
      disk.wait.wakeAll();
    });
  }

  /**
   * Whether writers must wait (Linux's balance_dirty_pages): more than half
   * of the cache is dirty or being written. The write-back of every dirty
   * block is started then; a writer sleeps on its disk's queue until
   * requests complete.
   */
  throttle(): boolean {
    if (this.#dirtyBytes + this.#writingBytes <= this.capacity / 2) return false;
    this.writeBackAll();
    return true;
  }

  /** Starts the write-back of every dirty buffer (the periodic flush; no ordering, no FLUSH). */
  writeBackAll(): void {
    for (const m of this.#byDisk.values()) {
      for (const b of m.values()) if (b.dirty && !b.busy && !b.disk.gone) this.#write(b);
    }
  }

  #armWriteback(): void {
    if (this.#timer) return;
    this.#timer = true;
    this.#d.startTimer(WRITEBACK_NS, () => {
      this.#timer = false;
      this.writeBackAll();
      // Blocks changed during their write stay dirty: they go at the next turn.
      if (this.#dirtyBytes > 0) this.#armWriteback();
    });
  }

  /** Forgets every buffer of `disk` (its driver went away). */
  dropDisk(disk: Disk): void {
    const m = this.#byDisk.get(disk);
    if (m === undefined) return;
    for (const b of [...m.values()]) this.#drop(m, b);
    this.#byDisk.delete(disk);
    this.#lastMiss.delete(disk);
  }

  /** Forgets the clean, idle, unpinned buffers of `disk` in [lo, hi) (BLKFLSBUF, rescans). */
  invalidate(disk: Disk, lo: number, hi: number): void {
    const m = this.#map(disk);
    for (const b of [...m.values()]) {
      if (b.sector < lo || b.sector >= hi || b.busy || b.dirty || b.pins > 0) continue;
      this.#drop(m, b);
    }
  }
}
