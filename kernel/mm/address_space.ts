/**
 * A user address space: a sorted list of regions (VMAs) and the Sv32 page
 * tables that back them lazily. Pages are created on first touch
 * (demand-zero), shared read-only after fork (copy-on-write), and checked on
 * every kernel access to guest memory (copyIn/copyOut never throw: a bad
 * address gives null/false, i.e. K.FAULT). The region list arithmetic and
 * the user layout are in `regions.ts`.
 *
 * @module
 */

import { copyBytes } from "../../lib/byte_copy.ts";
import { K, type KStatus } from "../errors.ts";
import { GUEST_SPAN_MAX, type GuestMemory } from "../fs/types.ts";
import type { KernelCosts } from "../proc/costs.ts";
import type { AsidAllocator } from "./asid.ts";
import { type FrameAllocator, PAGE_SHIFT, PAGE_SIZE } from "./frames.ts";
import { PageTable, PTE } from "./page_table.ts";
import { UserSpan } from "./user_span.ts";
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

/** Kind of access that faulted. */
export const Access = { READ: 0, WRITE: 1, EXEC: 2 } as const;

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

const td = new TextDecoder();

/** PTE flags for a region's protection (valid, user, accessed, dirty when writable). */
function leafFlags(prot: number): number {
  let f = PTE.U | PTE.A;
  if (prot & (Prot.READ | Prot.WRITE)) f |= PTE.R;
  if (prot & Prot.WRITE) f |= PTE.W | PTE.D;
  if (prot & Prot.EXEC) f |= PTE.X;
  return f;
}

/** One process's user address space. Implements the file layer's GuestMemory. */
export class AddressSpace implements GuestMemory {
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
  #span: UserSpan | null = null;
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
    const page = va >>> PAGE_SHIFT;
    const write = access === Access.WRITE;
    if (page === this.#hitPage && (write ? this.#hitWrite : this.#hitRead)) {
      return this.#hitBase | (va & (PAGE_SIZE - 1));
    }
    if (va >= USER_LAYOUT.USER_END) return -1;
    const want = write ? PTE.W : PTE.R;
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

  /** Copies `dst.length` bytes from `addr` into `dst`; false on a bad address. */
  copyInto(addr: number, dst: Uint8Array): boolean {
    let va = addr >>> 0;
    let done = 0;
    const n = dst.length;
    if (va + n > USER_LAYOUT.USER_END) return false;
    while (done < n) {
      const off = this.resolve(va, Access.READ);
      if (off < 0) return false;
      const chunk = Math.min(n - done, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
      copyBytes(dst, done, this.#u8, off, chunk);
      done += chunk;
      va += chunk;
    }
    this.#ctx.charge(((n + 63) >>> 6) * this.#ctx.costs.copyPer64Bytes);
    return true;
  }

  /**
   * True if every byte of `[addr, addr+length)` may be read (or written,
   * with `write`), resolving demand-zero and copy-on-write pages as an access
   * would. Lets a call check its destination before consuming input.
   */
  check(addr: number, length: number, write: boolean): boolean {
    let va = addr >>> 0;
    if (!(length >= 0) || va + length > USER_LAYOUT.USER_END) return false;
    const end = va + length;
    const access = write ? Access.WRITE : Access.READ;
    while (va < end) {
      if (this.resolve(va, access) < 0) return false;
      va = pageDown(va) + PAGE_SIZE;
    }
    return true;
  }

  /**
   * Resolves `[addr, addr+length)` for reading (or writing, with `write`) into
   * this space's reusable {@link UserSpan}, faulting pages in as the access
   * would, page by page in address order (as {@link check}); null on a bad
   * address or a length past {@link GUEST_SPAN_MAX}. The span is valid until
   * the next call.
   */
  span(addr: number, length: number, write: boolean): UserSpan | null {
    let va = addr >>> 0;
    if (!(length >= 0 && length <= GUEST_SPAN_MAX) || va + length > USER_LAYOUT.USER_END) {
      return null;
    }
    let s = this.#span;
    if (s === null) s = this.#span = new UserSpan(this.#ctx);
    const access = write ? Access.WRITE : Access.READ;
    const inPage = va & (PAGE_SIZE - 1);
    if (length !== 0 && inPage + length <= PAGE_SIZE) {
      // Within one page (most transfers): one piece.
      const off = this.resolve(va, access);
      if (off < 0) return null;
      s.single(off, length);
      return s;
    }
    s.reset();
    const end = va + length;
    while (va < end) {
      const off = this.resolve(va, access);
      if (off < 0) return null;
      const chunk = Math.min(end - va, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
      s.add(off, chunk);
      va += chunk;
    }
    return s;
  }

  /** Copies `length` bytes at `addr` into a new array; null on a bad address. */
  copyIn(addr: number, length: number): Uint8Array | null {
    if (!(length >= 0) || length > USER_LAYOUT.USER_END) return null;
    const out = new Uint8Array(length);
    return this.copyInto(addr, out) ? out : null;
  }

  /** Copies `data` to `addr`; false on a bad address (earlier pages may have been written). */
  copyOut(addr: number, data: Uint8Array): boolean {
    let va = addr >>> 0;
    let done = 0;
    const n = data.length;
    if (va + n > USER_LAYOUT.USER_END) return false;
    const ram = this.#frames.ram;
    while (done < n) {
      const off = this.resolve(va, Access.WRITE);
      if (off < 0) return false;
      const chunk = Math.min(n - done, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
      copyBytes(this.#u8, off, data, done, chunk);
      ram.notifyWrite(off, chunk);
      done += chunk;
      va += chunk;
    }
    this.#ctx.charge(((n + 63) >>> 6) * this.#ctx.costs.copyPer64Bytes);
    return true;
  }

  /** Reads a u32 (unsigned) or returns K.FAULT. */
  readU32(addr: number): number {
    addr >>>= 0;
    if ((addr & 3) === 0) {
      const off = this.resolve(addr, Access.READ);
      if (off < 0) return K.FAULT;
      return this.#i32[off >>> 2] >>> 0;
    }
    let v = 0;
    for (let i = 3; i >= 0; i--) {
      const off = this.resolve(addr + i, Access.READ);
      if (off < 0) return K.FAULT;
      v = (v << 8) | this.#u8[off];
    }
    return v >>> 0;
  }

  /** Writes a u32; false on a bad address. */
  writeU32(addr: number, value: number): boolean {
    addr >>>= 0;
    if ((addr & 3) === 0) {
      const off = this.resolve(addr, Access.WRITE);
      if (off < 0) return false;
      this.#i32[off >>> 2] = value;
      this.#frames.ram.notifyWrite(off, 4);
      return true;
    }
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0, true);
    return this.copyOut(addr, b);
  }

  /**
   * Reads a NUL-terminated UTF-8 string of at most `max` bytes (not counting
   * the NUL). Returns the string, K.FAULT, or K.NAMETOOLONG.
   */
  readCString(addr: number, max = 4096): string | KStatus {
    let va = addr >>> 0;
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const off = this.resolve(va, Access.READ);
      if (off < 0) return K.FAULT;
      const pageLeft = PAGE_SIZE - (va & (PAGE_SIZE - 1));
      const limit = Math.min(pageLeft, max + 1 - total);
      const seg = this.#u8.subarray(off, off + limit);
      const z = seg.indexOf(0);
      if (z >= 0) {
        parts.push(seg.subarray(0, z));
        total += z;
        break;
      }
      parts.push(seg);
      total += limit;
      if (total > max) return K.NAMETOOLONG;
      va += limit;
      if (va >= USER_LAYOUT.USER_END) return K.FAULT;
    }
    this.#ctx.charge(((total + 63) >>> 6) * this.#ctx.costs.copyPer64Bytes);
    if (parts.length === 1) return td.decode(parts[0]);
    const all = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      all.set(p, o);
      o += p.length;
    }
    return td.decode(all);
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
