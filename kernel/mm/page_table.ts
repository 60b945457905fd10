/**
 * Sv32 page tables kept in guest RAM, where the CPU's MMU walks them.
 *
 * Two levels of 1024 four-byte entries; only 4 KiB leaves are created (no
 * megapages). Leaves are always written with A=1 and, when writable, D=1, so
 * the tables are correct whether the MMU updates A/D itself (Svadu) or faults
 * on them (Svade): the kernel does not use A/D for page replacement yet.
 *
 * @module
 */

import { PTE } from "../../hw/mmu.ts";
import { type FrameAllocator, PAGE_SHIFT, PAGE_SIZE } from "./frames.ts";
import { TypedSlab } from "../../lib/typed_slab.ts";

/** Sv32 PTE bits: the hardware's definition, which the kernel writes. */
export { PTE };

/** Mask of the flag bits (low 10 bits: flags and RSW). */
export const PTE_FLAGS_MASK = 0x3ff;

/** Raised when page-table memory runs out while mapping (turned into K.NOMEM by callers). */
export class PageTableError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PageTableError";
  }
}

// The bookkeeping arrays of page tables (one is made per fork): views of shared buffers.
const SLAB = new TypedSlab();

/** One Sv32 address space's tables: a root frame and its second-level frames. */
export class PageTable {
  /** Root table frame. */
  readonly root: number;
  readonly #frames: FrameAllocator;
  readonly #i32: Int32Array;
  /** Second-level table frame per root index, -1 when absent. */
  readonly #l2: Int32Array = SLAB.int32(1024).fill(-1);
  /**
   * Per root index, a bit per 32 leaf slots of its table: set once a slot
   * there was handed out for a leaf (`pteIndex` with `create`), the only
   * way a leaf becomes valid. {@link forEachLeaf} reads only those slots:
   * a fork or an exit no longer scans the empty slots of a sparse region
   * (a stack or a heap reserve), which were most of a fork's host work.
   */
  readonly #chunks: Uint32Array = SLAB.uint32(1024);
  /** Root indices that have a second-level table, in the order they got one. */
  readonly #present: number[] = [];
  /** Count of tables: the root and the second-level ones. */
  tables = 1;

  /** Allocates an empty root table; throws PageTableError when no frame is free. */
  constructor(frames: FrameAllocator) {
    this.#frames = frames;
    this.#i32 = frames.ram.i32;
    const r = frames.allocZeroed();
    if (r < 0) throw new PageTableError("out of frames for a page table");
    this.root = r;
  }

  /** Physical page number of the root (for satp). */
  get rootPpn(): number {
    return this.#frames.ppn(this.root);
  }

  /** Index in `ram.i32` of the leaf PTE for `va`, or -1 (with `create`, allocates the table; -2 when out of memory). */
  pteIndex(va: number, create: boolean): number {
    const vpn1 = va >>> 22;
    let l2 = this.#l2[vpn1];
    if (l2 < 0) {
      if (!create) return -1;
      l2 = this.#frames.allocZeroed();
      if (l2 < 0) return -2;
      this.#l2[vpn1] = l2;
      this.#present.push(vpn1);
      this.tables++;
      // Non-leaf PTE: V only, pointing at the second-level table.
      this.#i32[(this.root << 10) + vpn1] = (this.#frames.ppn(l2) << 10) | PTE.V;
    }
    const slot = (va >>> PAGE_SHIFT) & 0x3ff;
    if (create) this.#chunks[vpn1] |= 1 << (slot >>> 5);
    return (l2 << 10) + slot;
  }

  /** The leaf PTE of `va` (0 when unmapped). */
  get(va: number): number {
    const i = this.pteIndex(va, false);
    return i < 0 ? 0 : this.#i32[i];
  }

  /** Frame mapped at `va`, or -1. */
  frameAt(va: number): number {
    const pte = this.get(va);
    if ((pte & PTE.V) === 0) return -1;
    return this.#frames.frameOfPpn(pte >>> 10);
  }

  /** Maps page `va` to frame `f` with `flags` (V is added). Returns false when out of memory. */
  map(va: number, f: number, flags: number): boolean {
    const i = this.pteIndex(va, true);
    if (i < 0) return false;
    this.#i32[i] = (this.#frames.ppn(f) << 10) | flags | PTE.V;
    return true;
  }

  /** Rewrites the flags of an existing leaf (keeping its frame). */
  setFlags(va: number, flags: number): void {
    const i = this.pteIndex(va, false);
    if (i < 0) return;
    const pte = this.#i32[i];
    if ((pte & PTE.V) === 0) return;
    this.#i32[i] = (pte & ~PTE_FLAGS_MASK) | flags | PTE.V;
  }

  /** Clears the leaf for `va`; returns the frame that was mapped, or -1. Does not unref it. */
  unmap(va: number): number {
    const i = this.pteIndex(va, false);
    if (i < 0) return -1;
    const pte = this.#i32[i];
    if ((pte & PTE.V) === 0) return -1;
    this.#i32[i] = 0;
    return this.#frames.frameOfPpn(pte >>> 10);
  }

  /**
   * Calls `fn(va, pteIndex)` for every valid leaf in `[start, end)`, in
   * address order (`va` the page's start), reading only the slots of
   * tables that were ever handed out for a leaf.
   */
  forEachLeaf(start: number, end: number, fn: (va: number, index: number) => void): void {
    let va = start >>> 0;
    end = end >>> 0;
    const i32 = this.#i32;
    while (va < end) {
      const vpn1 = va >>> 22;
      const l2 = this.#l2[vpn1];
      const blockEnd = Math.min(end, (vpn1 + 1) * 0x40_0000);
      let chunks = this.#chunks[vpn1];
      // Slots [first, last) of this table lie in the range.
      const first = (va >>> PAGE_SHIFT) & 0x3ff;
      const last = Math.ceil(blockEnd / PAGE_SIZE) - vpn1 * 1024;
      const tableVa = vpn1 * 0x40_0000;
      while (l2 >= 0 && chunks !== 0) {
        const c = 31 - Math.clz32(chunks & -chunks);
        chunks &= chunks - 1;
        const from = Math.max(first, c << 5), to = Math.min(last, (c + 1) << 5);
        for (let slot = from; slot < to; slot++) {
          const i = (l2 << 10) + slot;
          if ((i32[i] & PTE.V) !== 0) fn(tableVa + slot * PAGE_SIZE, i);
        }
      }
      va = blockEnd;
    }
  }

  /** Frees the second-level tables and the root (leaves must have been released already). */
  destroy(): void {
    for (const i of this.#present) {
      this.#frames.unref(this.#l2[i]);
      this.#l2[i] = -1;
      this.#chunks[i] = 0;
    }
    this.#present.length = 0;
    this.#frames.unref(this.root);
    this.tables = 0;
  }
}
