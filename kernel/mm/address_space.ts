/**
 * A user address space: a sorted list of regions (VMAs) and the Sv32 page
 * tables that back them lazily. Pages are created on first touch
 * (demand-zero), shared read-only after fork (copy-on-write), and checked on
 * every kernel access to guest memory through `resolve` (the copies built on
 * it, which never throw, are in `user_access.ts`). The region list
 * arithmetic and the user layout are in `regions.ts`.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { KernelCosts } from "../proc/costs.ts";
import type { AsidAllocator } from "./asid.ts";
import { type FrameAllocator, PAGE_SHIFT, PAGE_SIZE } from "./frames.ts";
import { PageTable, PTE } from "./page_table.ts";
import { Access, UserAccess } from "./user_access.ts";
import {
  cutRange,
  findFreeRange,
  insertRegion,
  pageDown,
  pageUp,
  Prot,
  rangeCovered,
  rangeFree,
  type Region,
  regionAt,
  reprotectRange,
  USER_LAYOUT,
} from "./regions.ts";

export { pageDown, pageUp, Prot, type Region, USER_LAYOUT } from "./regions.ts";

export { Access } from "./user_access.ts";

/** Result of {@link AddressSpace.handleFault}. */
export const FaultResult = {
  /** Resolved: retry the access. */
  OK: 0,
  /** No region at that address (SIGSEGV, SEGV_MAPERR). */
  MAPERR: 1,
  /** Region does not allow the access (SIGSEGV, SEGV_ACCERR). */
  ACCERR: 2,
  /** No frame left to resolve it (the process is killed). */
  NOMEM: 3,
} as const;

/** Counters the address spaces update (shared by the kernel). */
export interface MmStats {
  /** Page faults handled (guest and kernel-access faults). */
  pageFaults: number;
  /** Demand-zero pages created. */
  zeroFills: number;
  /** Copy-on-write copies made. */
  cowCopies: number;
}

/** What an address space needs from the rest of the kernel. */
export interface MmContext {
  /** Frame allocator. */
  readonly frames: FrameAllocator;
  /** ASID allocator. */
  readonly asids: AsidAllocator;
  /** TLB shootdown: one page of one ASID, a whole ASID (vaddr undefined), or everything. */
  flush(vaddr?: number, asid?: number): void;
  /** Charges kernel work to simulated time. */
  charge(cycles: number): void;
  /** The kernel cost table. */
  readonly costs: KernelCosts;
  /** Shared counters. */
  readonly stats: MmStats;
}

/** PTE flags for a region's protection (valid, user, accessed, dirty when writable). */
function leafFlags(prot: number): number {
  let f = PTE.U | PTE.A;
  if (prot & (Prot.READ | Prot.WRITE)) f |= PTE.R;
  if (prot & Prot.WRITE) f |= PTE.W | PTE.D;
  if (prot & Prot.EXEC) f |= PTE.X;
  return f;
}

/** One process's user address space (the file layer's GuestMemory, through {@link UserAccess}). */
export class AddressSpace extends UserAccess {
  /** The page tables. */
  readonly pt: PageTable;
  /** ASID (0 = shared, flush on switch). */
  readonly asid: number;
  /** The satp value selecting this space. */
  readonly satp: number;
  /** Physical page number of the root page table (the PPN field of {@link satp}). */
  readonly rootPpn: number;
  /** Regions, sorted by start, never overlapping. */
  readonly regions: Region[] = [];
  /** Start of the heap (initial break). */
  brkStart = 0;
  /** Current break. */
  brk = 0;
  /** Resident pages (mapped leaves). */
  resident = 0;
  readonly #ctx: MmContext;
  readonly #frames: FrameAllocator;
  readonly #i32: Int32Array;
  readonly #u8: Uint8Array;
  // The last page resolve() translated (a one-entry TLB for kernel accesses):
  // its page number (-1: none), RAM offset, and whether its PTE allows reads
  // and writes. Every PTE change is followed by a flush (#flush), which
  // forgets it, as it does the CPU's TLB entries.
  #hitPage = -1;
  #hitBase = 0;
  #hitRead = false;
  #hitWrite = false;
  #destroyed = false;

  /** Creates an empty space; throws PageTableError when no frame is left for the root table. */
  constructor(ctx: MmContext) {
    super(ctx);
    this.#ctx = ctx;
    this.#frames = ctx.frames;
    this.#i32 = ctx.frames.ram.i32;
    this.#u8 = ctx.frames.ram.u8;
    this.pt = new PageTable(ctx.frames);
    this.asid = ctx.asids.alloc();
    this.rootPpn = this.pt.rootPpn;
    this.satp = ((1 << 31) | (this.asid << 22) | this.rootPpn) >>> 0;
    // A recycled ASID may still have entries of its previous owner in the TLB.
    ctx.flush(undefined, this.asid);
    ctx.charge(ctx.costs.zeroPage);
  }

  /** True after {@link destroy}. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Total size of the regions in bytes. */
  get vsize(): number {
    let n = 0;
    for (const r of this.regions) n += r.end - r.start;
    return n;
  }

  /** The region holding `va`, or undefined. */
  findRegion(va: number): Region | undefined {
    return regionAt(this.regions, va >>> 0);
  }

  /** True when no region intersects `[start, end)`. */
  isFree(start: number, end: number): boolean {
    return rangeFree(this.regions, start, end);
  }

  /**
   * Adds a region `[start, start+length)` (page aligned, must be free).
   * Pages appear on first touch. K status.
   */
  mapRegion(start: number, length: number, prot: number, name: string): KStatus {
    start >>>= 0;
    if ((start & (PAGE_SIZE - 1)) !== 0 || length <= 0) return K.INVAL;
    const end = pageUp(start + length);
    if (start < USER_LAYOUT.MIN_ADDR || end > USER_LAYOUT.USER_END) return K.NOMEM;
    if (!this.isFree(start, end)) return K.EXIST;
    insertRegion(this.regions, { start, end, prot, name });
    return K.OK;
  }

  /** Removes every mapping in `[start, start+length)`, splitting regions. K status. */
  unmap(start: number, length: number): KStatus {
    start >>>= 0;
    if ((start & (PAGE_SIZE - 1)) !== 0 || length <= 0) return K.INVAL;
    const end = Math.min(pageUp(start + length), USER_LAYOUT.USER_END);
    const out = cutRange(this.regions, start, end);
    this.regions.length = 0;
    this.regions.push(...out);
    this.#releasePages(start, end);
    return K.OK;
  }

  /** Changes protection of `[start, start+length)`; K.NOMEM if part of it is unmapped. */
  protect(start: number, length: number, prot: number): KStatus {
    start >>>= 0;
    if ((start & (PAGE_SIZE - 1)) !== 0) return K.INVAL;
    if (length === 0) return K.OK;
    const end = pageUp(start + length);
    if (!rangeCovered(this.regions, start, end)) return K.NOMEM;
    const out = reprotectRange(this.regions, start, end, prot);
    this.regions.length = 0;
    this.regions.push(...out);
    const flags = leafFlags(prot);
    const frames = this.#frames;
    this.pt.forEachLeaf(start, end, (va, idx) => {
      const pte = this.#i32[idx];
      const f = frames.frameOfPpn(pte >>> 10);
      let fl = flags;
      // A shared frame stays read-only: the next write copies it.
      if (f >= 0 && frames.refs[f] > 1) fl &= ~(PTE.W | PTE.D);
      this.#i32[idx] = (pte & ~0x3ff) | fl | PTE.V;
      this.#flush(va);
    });
    return K.OK;
  }

  #releasePages(start: number, end: number): void {
    let n = 0;
    this.pt.forEachLeaf(start, end, (va) => {
      const f = this.pt.unmap(va);
      if (f >= 0) this.#frames.unref(f);
      this.resident--;
      n++;
      this.#flush(va);
    });
    if (n > 0) this.#ctx.charge(n * this.#ctx.costs.pteUpdate);
  }

  /**
   * Finds a free range of `length` bytes for mmap: at `hint` if free, else
   * the highest free range below MMAP_TOP. Returns the address or -1.
   */
  findFree(length: number, hint: number): number {
    return findFreeRange(this.regions, length, hint);
  }

  /**
   * Anonymous private mmap, shown as `name` in /proc/PID/maps. Returns the
   * address or a negative status.
   */
  mmapAnon(addr: number, length: number, prot: number, fixed: boolean, name = ""): number {
    if (!(length > 0) || length > USER_LAYOUT.USER_END) return K.INVAL;
    const len = pageUp(length);
    let at: number;
    if (fixed) {
      addr >>>= 0;
      if ((addr & (PAGE_SIZE - 1)) !== 0) return K.INVAL;
      if (addr < USER_LAYOUT.MIN_ADDR || addr + len > USER_LAYOUT.USER_END) return K.NOMEM;
      this.unmap(addr, len);
      at = addr;
    } else {
      at = this.findFree(len, addr);
      if (at < 0) return K.NOMEM;
    }
    const st = this.mapRegion(at, len, prot, name);
    return st < 0 ? st : at;
  }

  /** Sets up the heap at `start` (the page-aligned end of the program image). */
  initBrk(start: number): void {
    this.brkStart = this.brk = pageUp(start);
  }

  /** brk semantics: moves the break if possible; returns the resulting break. */
  setBrk(addr: number): number {
    addr >>>= 0;
    if (addr === 0 || addr < this.brkStart) return this.brk;
    const oldEnd = pageUp(this.brk), newEnd = pageUp(addr);
    if (newEnd > oldEnd) {
      if (newEnd > USER_LAYOUT.MMAP_TOP || !this.isFree(oldEnd, newEnd)) return this.brk;
      const heap = this.regions.find((r) => r.name === "[heap]" && r.end === oldEnd);
      if (heap !== undefined) heap.end = newEnd;
      else if (this.mapRegion(oldEnd, newEnd - oldEnd, Prot.READ | Prot.WRITE, "[heap]") < 0) {
        return this.brk;
      }
    } else if (newEnd < oldEnd) {
      this.unmap(newEnd, oldEnd - newEnd);
    }
    this.brk = addr;
    return addr;
  }

  /**
   * Resolves a fault at `va` for `access` ({@link Access}): demand-zero fill
   * or copy-on-write. Returns a {@link FaultResult}.
   */
  handleFault(va: number, access: number): number {
    va >>>= 0;
    const ctx = this.#ctx;
    ctx.stats.pageFaults++;
    ctx.charge(ctx.costs.pageFault);
    const r = this.findRegion(va);
    if (r === undefined) return FaultResult.MAPERR;
    const need = access === Access.WRITE
      ? Prot.WRITE
      : access === Access.EXEC
      ? Prot.EXEC
      : Prot.READ | Prot.WRITE;
    if ((r.prot & need) === 0) return FaultResult.ACCERR;
    const page = pageDown(va);
    const idx = this.pt.pteIndex(page, true);
    if (idx < 0) return FaultResult.NOMEM;
    const pte = this.#i32[idx];
    const frames = this.#frames;
    if ((pte & PTE.V) === 0) {
      const f = frames.allocZeroed();
      if (f < 0) return FaultResult.NOMEM;
      this.#i32[idx] = (frames.ppn(f) << 10) | leafFlags(r.prot) | PTE.V;
      this.resident++;
      ctx.stats.zeroFills++;
      ctx.charge(ctx.costs.zeroPage);
      this.#flush(page);
      return FaultResult.OK;
    }
    if (access === Access.WRITE && (pte & PTE.W) === 0) {
      const f = frames.frameOfPpn(pte >>> 10);
      if (f < 0) return FaultResult.ACCERR;
      if (frames.refs[f] === 1) {
        this.#i32[idx] = pte | PTE.W | PTE.D;
      } else {
        const n = frames.alloc();
        if (n < 0) return FaultResult.NOMEM;
        frames.copy(n, f);
        frames.unref(f);
        this.#i32[idx] = (frames.ppn(n) << 10) | leafFlags(r.prot) | PTE.V;
        ctx.stats.cowCopies++;
        ctx.charge(ctx.costs.copyPage);
      }
      this.#flush(page);
      return FaultResult.OK;
    }
    // The PTE already allows the access (a stale TLB entry): refresh it.
    this.#flush(page);
    return FaultResult.OK;
  }

  /**
   * The RAM byte offset of `va` for a kernel access, resolving demand-zero
   * and COW faults like the MMU would; -1 for a bad address.
   */
  resolve(va: number, access: number): number {
    va >>>= 0;
    // The last page's test first, in literals (PAGE_SHIFT 12, Access.WRITE
    // 1): a module constant costs a load and a hole check in optimized code.
    const page = va >>> 12;
    const write = access === 1;
    if (page === this.#hitPage && (write ? this.#hitWrite : this.#hitRead)) {
      return this.#hitBase | (va & 4095);
    }
    return this.#resolveMiss(va, page, access);
  }

  /**
   * {@link resolve} past the last page's test: the page table walk (and a
   * fault, as the MMU would take it), which then becomes the last page. Apart,
   * so that the test is small enough for V8 to inline into the copies.
   */
  #resolveMiss(va: number, page: number, access: number): number {
    if (va >= USER_LAYOUT.USER_END) return -1;
    const want = access === Access.WRITE ? PTE.W : PTE.R;
    const idx = this.pt.pteIndex(va, false);
    let pte = idx < 0 ? 0 : this.#i32[idx];
    if ((pte & (PTE.V | PTE.U | want)) !== (PTE.V | PTE.U | want)) {
      if (this.handleFault(va, access) !== FaultResult.OK) return -1;
      pte = this.pt.get(va);
      if ((pte & (PTE.V | PTE.U | want)) !== (PTE.V | PTE.U | want)) return -1;
    }
    const f = this.#frames.frameOfPpn(pte >>> 10);
    if (f < 0) return -1;
    this.#hitPage = page;
    this.#hitBase = f << PAGE_SHIFT;
    this.#hitRead = (pte & PTE.R) !== 0;
    this.#hitWrite = (pte & PTE.W) !== 0;
    return (f << PAGE_SHIFT) | (va & (PAGE_SIZE - 1));
  }

  /** TLB shootdown of one page (or, undefined, the whole space); forgets the last translation too. */
  #flush(va: number | undefined): void {
    this.#hitPage = -1;
    this.#ctx.flush(va, this.asid);
  }

  /**
   * Writes `data` at `va` whatever the region's protection (program
   * loading: text is read-only to the guest). Every page must lie in a
   * region. False when a page is outside the regions or RAM is exhausted.
   */
  populate(va: number, data: Uint8Array): boolean {
    va >>>= 0;
    const frames = this.#frames;
    let done = 0;
    while (done < data.length) {
      const page = pageDown(va);
      const r = this.findRegion(page);
      if (r === undefined) return false;
      const idx = this.pt.pteIndex(page, true);
      if (idx < 0) return false;
      const pte = this.#i32[idx];
      let f: number;
      if ((pte & PTE.V) === 0) {
        f = frames.allocZeroed();
        if (f < 0) return false;
        this.#i32[idx] = (frames.ppn(f) << 10) | leafFlags(r.prot) | PTE.V;
        this.resident++;
      } else {
        f = frames.frameOfPpn(pte >>> 10);
        if (f < 0 || frames.refs[f] !== 1) return false;
      }
      const chunk = Math.min(data.length - done, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
      const off = (f << PAGE_SHIFT) | (va & (PAGE_SIZE - 1));
      this.#u8.set(data.subarray(done, done + chunk), off);
      frames.ram.notifyWrite(off, chunk);
      this.#flush(page);
      done += chunk;
      va += chunk;
    }
    this.#ctx.charge(Math.ceil(data.length / PAGE_SIZE) * this.#ctx.costs.copyPage);
    return true;
  }

  /**
   * Copy-on-write duplicate: regions are copied, every resident page is
   * shared and made read-only in both spaces. Returns null when out of frames.
   */
  fork(): AddressSpace | null {
    let child: AddressSpace;
    try {
      child = new AddressSpace(this.#ctx);
    } catch {
      return null;
    }
    for (const r of this.regions) child.regions.push({ ...r });
    child.brkStart = this.brkStart;
    child.brk = this.brk;
    const frames = this.#frames;
    const i32 = this.#i32;
    let ok = true;
    let pages = 0;
    for (const r of this.regions) {
      if (!ok) break;
      this.pt.forEachLeaf(r.start, r.end, (va, idx) => {
        if (!ok) return;
        let pte = i32[idx];
        if (pte & PTE.W) {
          pte &= ~(PTE.W | PTE.D);
          i32[idx] = pte;
        }
        const f = frames.frameOfPpn(pte >>> 10);
        const cidx = child.pt.pteIndex(va, true);
        if (cidx < 0) {
          ok = false;
          return;
        }
        if (f >= 0) frames.ref(f);
        i32[cidx] = pte;
        child.resident++;
        pages++;
      });
    }
    this.#flush(undefined);
    this.#ctx.charge(pages * this.#ctx.costs.pteUpdate);
    if (!ok) {
      child.destroy();
      return null;
    }
    return child;
  }

  /** Releases every page, the tables and the ASID. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const r of this.regions) {
      this.pt.forEachLeaf(r.start, r.end, (va) => {
        const f = this.pt.unmap(va);
        if (f >= 0) this.#frames.unref(f);
      });
    }
    this.regions.length = 0;
    this.resident = 0;
    this.pt.destroy();
    this.#flush(undefined);
    this.#ctx.asids.free(this.asid);
  }
}
