/**
 * DMA buffers for drivers: physically contiguous runs of frames that a
 * device's DMA channel can address, tagged with the module that owns them.
 *
 * - {@link DmaBufferPool.alloc}: takes `ceil(size / 4096)` adjacent free
 *   frames ({@link FrameAllocator.allocRun}) and hands out their physical
 *   address and a byte view of them;
 * - {@link DmaBuffer.free} or {@link DmaBufferPool.dropOwner} (when the module
 *   unloads) give the frames back.
 *
 * @module
 */

import { type FrameAllocator, PAGE_SHIFT, PAGE_SIZE } from "./frames.ts";

/** A physically contiguous buffer a driver points a DMA channel at. */
export interface DmaBuffer {
  /** Physical (bus) address of the first byte. */
  readonly paddr: number;
  /** Size in bytes (whole pages). */
  readonly size: number;
  /** The buffer's bytes, a view of RAM: what the device wrote, or what it will read. */
  readonly bytes: Uint8Array;
  /** Gives the frames back (idempotent). */
  free(): void;
}

/** DMA buffers by owning module. */
export class DmaBufferPool {
  readonly #frames: FrameAllocator;
  readonly #byOwner = new Map<string, Set<DmaBuffer>>();

  /** Creates a pool over `frames`. */
  constructor(frames: FrameAllocator) {
    this.#frames = frames;
  }

  /** A contiguous buffer of at least `size` bytes for `owner`; null if RAM has no such run. */
  alloc(size: number, owner: string): DmaBuffer | null {
    if (!Number.isInteger(size) || size <= 0) return null;
    const pages = Math.ceil(size / PAGE_SIZE);
    const first = this.#frames.allocRun(pages);
    if (first < 0) return null;
    const frames = this.#frames;
    const off = frames.offset(first);
    const set = this.#byOwner.get(owner) ?? new Set<DmaBuffer>();
    this.#byOwner.set(owner, set);
    let live = true;
    const buf: DmaBuffer = {
      paddr: frames.paddr(first),
      size: pages << PAGE_SHIFT,
      bytes: frames.ram.u8.subarray(off, off + (pages << PAGE_SHIFT)),
      free() {
        if (!live) return;
        live = false;
        for (let i = 0; i < pages; i++) frames.unref(first + i);
        set.delete(buf);
      },
    };
    set.add(buf);
    return buf;
  }

  /** Frees every buffer of `owner` (its module unloaded or failed to start). */
  dropOwner(owner: string): void {
    const set = this.#byOwner.get(owner);
    if (set === undefined) return;
    for (const b of [...set]) b.free();
    this.#byOwner.delete(owner);
  }
}
