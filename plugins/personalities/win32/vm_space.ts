/**
 * The NT view of a Win32 process's address space: allocations (VADs in NT
 * terms) with per-page state and protection, kept by the executive beside
 * the kernel's own mappings.
 *
 * - An allocation is a reservation on 64 KiB granularity (private memory
 *   from NtAllocateVirtualMemory) or a region the executive mapped itself:
 *   the image of each loaded module (MEM_IMAGE, one allocation a module,
 *   protections from its section table), the first thread's stack and the
 *   PEB/TEB block (MEM_PRIVATE). The latter are "system" allocations that
 *   NtFreeVirtualMemory does not release.
 * - `pages[i]` is 0 for a reserved page and the PAGE_* protection (with
 *   PAGE_GUARD) of a committed page. The kernel mapping follows it: a
 *   reservation is one PROT_NONE mapping and committing changes the
 *   protection of its pages (demand-zero), so a reserved page faults.
 * - `VmSpace` holds the allocations in address order; `runAt` answers what
 *   NtQueryVirtualMemory reports for an address (the run of pages with
 *   equal attributes, or the free gap up to the next allocation).
 *
 * @module
 */

import { PROT } from "../../../kernel/api.ts";

/** Page size and allocation granularity. */
export const PAGE = 0x1000, GRANULARITY = 0x1_0000;
/** Lowest and highest (exclusive) address of the user part of a 32-bit NT process. */
export const VM_LOW = 0x1_0000, VM_HIGH = 0x7fff_0000;

/** MEM_* states and types. */
export const MEM = {
  COMMIT: 0x1000,
  RESERVE: 0x2000,
  DECOMMIT: 0x4000,
  RELEASE: 0x8000,
  FREE: 0x1_0000,
  PRIVATE: 0x2_0000,
  MAPPED: 0x4_0000,
  TOP_DOWN: 0x10_0000,
  IMAGE: 0x100_0000,
} as const;

/** PAGE_* protections. */
export const PAGE_PROT = {
  NOACCESS: 0x01,
  READONLY: 0x02,
  READWRITE: 0x04,
  WRITECOPY: 0x08,
  EXECUTE: 0x10,
  EXECUTE_READ: 0x20,
  EXECUTE_READWRITE: 0x40,
  EXECUTE_WRITECOPY: 0x80,
  GUARD: 0x100,
  NOCACHE: 0x200,
  WRITECOMBINE: 0x400,
} as const;

/** Kernel PROT bits of each base protection. */
const KERNEL_PROT = new Map<number, number>([
  [0x01, PROT.NONE],
  [0x02, PROT.READ],
  [0x04, PROT.READ | PROT.WRITE],
  [0x08, PROT.READ | PROT.WRITE],
  [0x10, PROT.EXEC],
  [0x20, PROT.READ | PROT.EXEC],
  [0x40, PROT.READ | PROT.WRITE | PROT.EXEC],
  [0x80, PROT.READ | PROT.WRITE | PROT.EXEC],
]);

/**
 * True if `protect` is one base protection with at most one of the
 * modifiers (GUARD, NOCACHE, WRITECOMBINE), and no modifier on NOACCESS;
 * write-copy protections only where `writeCopy` allows them (images).
 */
export function validProtect(protect: number, writeCopy: boolean): boolean {
  const base = protect & 0xff, mods = protect & ~0xff;
  if (!KERNEL_PROT.has(base)) return false;
  if (mods !== 0 && mods !== 0x100 && mods !== 0x200 && mods !== 0x400) return false;
  if (base === PAGE_PROT.NOACCESS && mods !== 0) return false;
  return writeCopy || (base !== PAGE_PROT.WRITECOPY && base !== PAGE_PROT.EXECUTE_WRITECOPY);
}

/** The kernel protection of a committed page's PAGE_* value (guard pages: none). */
export function kernelProt(protect: number): number {
  if (protect & PAGE_PROT.GUARD) return PROT.NONE;
  return KERNEL_PROT.get(protect & 0xff) ?? PROT.NONE;
}

/** One allocation (NT: a VAD). */
export class VmAllocation {
  /** Per page: 0 reserved, else the committed page's PAGE_* protection. */
  readonly pages: Uint16Array;

  /** A region of `size` bytes (page multiple) at `base`. */
  constructor(
    readonly base: number,
    readonly size: number,
    readonly allocProtect: number,
    readonly type: number,
    readonly system: boolean,
  ) {
    this.pages = new Uint16Array(size / PAGE);
  }

  /** End address (exclusive). */
  get end(): number {
    return this.base + this.size;
  }

  /** True if every page of `[first, first+count)` is committed. */
  allCommitted(first: number, count: number): boolean {
    for (let i = first; i < first + count; i++) if (this.pages[i] === 0) return false;
    return true;
  }
}

/** What NtQueryVirtualMemory reports for one address (MEMORY_BASIC_INFORMATION). */
export interface VmRun {
  /** First page of the run. */
  base: number;
  /** Allocation base (0 when free). */
  allocationBase: number;
  /** Protection given at reservation (0 when free). */
  allocationProtect: number;
  /** Bytes of pages with equal state and protection from `base`. */
  size: number;
  /** MEM_COMMIT, MEM_RESERVE or MEM_FREE. */
  state: number;
  /** PAGE_* of committed pages; 0 reserved; PAGE_NOACCESS free. */
  protect: number;
  /** MEM_PRIVATE, MEM_MAPPED, MEM_IMAGE; 0 when free. */
  type: number;
}

/** The allocations of one process, in address order. */
export class VmSpace {
  /** Sorted by base, never overlapping. */
  readonly allocations: VmAllocation[] = [];

  /** Index of the first allocation whose end is above `addr`. */
  #lowerBound(addr: number): number {
    let lo = 0, hi = this.allocations.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.allocations[mid].end <= addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The allocation containing `addr`, or null. */
  find(addr: number): VmAllocation | null {
    const a = this.allocations[this.#lowerBound(addr)];
    return a !== undefined && a.base <= addr ? a : null;
  }

  /** True if no allocation meets `[start, end)`. */
  isFree(start: number, end: number): boolean {
    const a = this.allocations[this.#lowerBound(start)];
    return a === undefined || a.base >= end;
  }

  /** Adds an allocation (the range must be free). */
  insert(a: VmAllocation): void {
    this.allocations.splice(this.#lowerBound(a.base), 0, a);
  }

  /** Removes an allocation. */
  remove(a: VmAllocation): void {
    const i = this.allocations.indexOf(a);
    if (i >= 0) this.allocations.splice(i, 1);
  }

  /** The run of equal pages (or the free gap) at `addr` (VM_LOW <= addr < VM_HIGH not required). */
  runAt(addr: number): VmRun {
    const page = addr - (addr % PAGE);
    const a = this.find(page);
    if (a === null) {
      const next = this.allocations[this.#lowerBound(page)];
      const end = next === undefined ? VM_HIGH : Math.min(next.base, VM_HIGH);
      return {
        base: page,
        allocationBase: 0,
        allocationProtect: 0,
        size: Math.max(end - page, PAGE),
        state: MEM.FREE,
        protect: PAGE_PROT.NOACCESS,
        type: 0,
      };
    }
    const first = (page - a.base) / PAGE, v = a.pages[first];
    let n = first + 1;
    while (n < a.pages.length && a.pages[n] === v) n++;
    return {
      base: page,
      allocationBase: a.base,
      allocationProtect: a.allocProtect,
      size: (n - first) * PAGE,
      state: v === 0 ? MEM.RESERVE : MEM.COMMIT,
      protect: v,
      type: a.type,
    };
  }
}
