/**
 * Physical frame allocator over guest RAM, with reference counts (shared
 * copy-on-write pages are counted, freed when the last user lets go).
 *
 * Frames are numbered from 0 at `ram.base`. Allocation is LIFO from a stack
 * that starts with the lowest frames on top, so the same sequence of calls
 * always hands out the same frames (deterministic runs). The stack's part
 * that no allocation has reached yet, frames `next` up to `end` in
 * ascending order from the top, is kept as those two numbers and written
 * out only when a run allocation must take frames from inside it, so
 * construction costs no pass over the whole RAM.
 *
 * @module
 */

import type { Ram } from "../../hw/ram.ts";

/** Page size in bytes. */
export const PAGE_SIZE = 4096;
/** log2 of the page size. */
export const PAGE_SHIFT = 12;

/** Raised on host-side misuse of the allocator (a bug in the kernel, never a guest mistake). */
export class FrameError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "FrameError";
  }
}

/** Allocates and reference-counts 4 KiB frames of a {@link Ram}. */
export class FrameAllocator {
  /** The RAM the frames live in. */
  readonly ram: Ram;
  /** Number of frames. */
  readonly total: number;
  /** Reference count per frame (0 = free). */
  readonly refs: Uint16Array;
  /** Freed frames, the last freed on top (above the untouched `#next`..`#end`). */
  readonly #stack: Int32Array;
  #top = 0;
  /** Lowest frame no allocation has reached (handed out after the stack is empty). */
  #next: number;
  /** End of the untouched frames. */
  #end: number;

  /** Makes every frame of `ram` from `firstFrame` on available. */
  constructor(ram: Ram, firstFrame = 0) {
    this.ram = ram;
    this.total = ram.size >>> PAGE_SHIFT;
    this.refs = new Uint16Array(this.total);
    this.#stack = new Int32Array(this.total);
    this.#next = Math.min(firstFrame, this.total);
    this.#end = this.total;
    for (let f = 0; f < firstFrame; f++) this.refs[f] = 1;
  }

  /** Free frames. */
  get free(): number {
    return this.#top + (this.#end - this.#next);
  }

  /** Allocates a frame (contents undefined) with one reference; -1 when RAM is exhausted. */
  alloc(): number {
    let f: number;
    if (this.#top > 0) f = this.#stack[--this.#top];
    else if (this.#next < this.#end) f = this.#next++;
    else return -1;
    this.refs[f] = 1;
    return f;
  }

  /**
   * Allocates `n` adjacent frames (one reference each) and returns the first;
   * -1 when no run of `n` free frames exists. It scans the whole RAM, so it
   * is meant for buffers set up once (DMA), not for page faults.
   */
  allocRun(n: number): number {
    let run = 0;
    let first = -1;
    for (let f = this.total - 1; f >= 0 && first < 0; f--) {
      run = this.refs[f] === 0 ? run + 1 : 0;
      if (run === n) first = f;
    }
    if (first < 0) return -1;
    for (let f = first; f < first + n; f++) this.refs[f] = 1;
    if (first >= this.#next && first + n === this.#end) {
      this.#end = first; // the top of the untouched frames: the stack keeps its order
      return first;
    }
    if (first + n > this.#next && first < this.#end) this.#writeOutUntouched();
    let w = 0;
    for (let r = 0; r < this.#top; r++) {
      const f = this.#stack[r];
      if (f < first || f >= first + n) this.#stack[w++] = f;
    }
    this.#top = w;
    return first;
  }

  /** Puts the untouched frames on the stack, under the freed ones, as the full stack holds them. */
  #writeOutUntouched(): void {
    const untouched = this.#end - this.#next;
    this.#stack.copyWithin(untouched, 0, this.#top);
    for (let i = 0; i < untouched; i++) this.#stack[i] = this.#end - 1 - i;
    this.#top += untouched;
    this.#next = this.#end = 0;
  }

  /** Allocates a zero-filled frame; -1 when RAM is exhausted. */
  allocZeroed(): number {
    const f = this.alloc();
    if (f >= 0) this.zero(f);
    return f;
  }

  /** Adds a reference to an allocated frame. */
  ref(f: number): void {
    if (this.refs[f] === 0) throw new FrameError(`ref of free frame ${f}`);
    if (this.refs[f] === 0xffff) throw new FrameError(`reference count overflow on frame ${f}`);
    this.refs[f]++;
  }

  /** Drops a reference; the frame returns to the free stack at zero. Returns the new count. */
  unref(f: number): number {
    const r = this.refs[f];
    if (r === 0) throw new FrameError(`double free of frame ${f}`);
    this.refs[f] = r - 1;
    if (r === 1) this.#stack[this.#top++] = f;
    return r - 1;
  }

  /** Byte offset of frame `f` in RAM. */
  offset(f: number): number {
    return f << PAGE_SHIFT;
  }

  /** Physical address of frame `f`. */
  paddr(f: number): number {
    return (this.ram.base + (f << PAGE_SHIFT)) >>> 0;
  }

  /** Physical page number (paddr >> 12) of frame `f`, as stored in PTEs. */
  ppn(f: number): number {
    return (this.ram.base >>> PAGE_SHIFT) + f;
  }

  /** Frame of a physical page number, or -1 if it is not in RAM. */
  frameOfPpn(ppn: number): number {
    const f = ppn - (this.ram.base >>> PAGE_SHIFT);
    return f >= 0 && f < this.total ? f : -1;
  }

  /** Fills frame `f` with zeros (and tells the code cache). */
  zero(f: number): void {
    const w = f << (PAGE_SHIFT - 2);
    this.ram.i32.fill(0, w, w + (PAGE_SIZE >>> 2));
    this.ram.notifyWrite(f << PAGE_SHIFT, PAGE_SIZE);
  }

  /** Copies frame `src` to frame `dst` (and tells the code cache). */
  copy(dst: number, src: number): void {
    const s = src << (PAGE_SHIFT - 2);
    this.ram.i32.copyWithin(dst << (PAGE_SHIFT - 2), s, s + (PAGE_SIZE >>> 2));
    this.ram.notifyWrite(dst << PAGE_SHIFT, PAGE_SIZE);
  }
}
