/**
 * Memory management unit: Sv32 paging or a base/limit relocation unit, with
 * a software TLB that the CPU's fast path reads directly.
 *
 * The TLB is direct-mapped and split into nine tables: three translation
 * regimes (U-mode paged, S-mode paged, bare) times three access kinds
 * (fetch, load, store). An entry is filled only after the permission check
 * for its regime and access kind has passed (and, under Svadu behaviour,
 * after A, and D for stores, are set in the PTE), so a hit needs no further
 * checks. Entries are tagged `vpn << 9 | asid`, so `satp` writes need no
 * flush. An entry maps one 4 KiB virtual page to an offset into RAM
 * (`deltas`: RAM byte offset = vaddr + delta); pages that are not RAM
 * (devices) are never cached.
 *
 * @module
 */

import { asDouble } from "../lib/double_field.ts";
import type { Pmp } from "./pmp.ts";
import type { Ram } from "./ram.ts";
import { CAUSE } from "./csr.ts";

/** Access kinds, the index of the TLB table within a regime. */
export const ACCESS = { FETCH: 0, LOAD: 1, STORE: 2 } as const;

/** Translation regimes, each with three TLB tables. */
export const REGIME = { USER: 0, SUPERVISOR: 1, BARE: 2 } as const;

/** log2 of the number of entries per TLB table. */
export const TLB_BITS = 10;
/** Number of entries per TLB table (one table per regime and access kind). */
export const TLB_ENTRIES = 1 << TLB_BITS;
/** Mask for the table index. */
export const TLB_MASK = TLB_ENTRIES - 1;

/** Sv32 PTE bits. */
export const PTE = {
  V: 1,
  R: 2,
  W: 4,
  X: 8,
  U: 16,
  G: 32,
  A: 64,
  D: 128,
} as const;

/** Kind of MMU a CPU is built with. */
export type MmuKind = "sv32" | "baselimit";

const FAULT_PAGE = [CAUSE.FETCH_PAGE_FAULT, CAUSE.LOAD_PAGE_FAULT, CAUSE.STORE_PAGE_FAULT];
const FAULT_ACCESS = [CAUSE.FETCH_ACCESS, CAUSE.LOAD_ACCESS, CAUSE.STORE_ACCESS];
const INVALID_TAG = -1;
/** TLB fills remembered per ASID for a flush of that ASID (more: it scans all). */
const FILL_LOG = 128;

/**
 * The MMU of one hart. The CPU owns the privilege state and passes the
 * effective privilege; the MMU owns `satp`, the base/limit registers, the
 * `SUM`/`MXR`/Svadu switches it needs for permission checks, and the TLB.
 */
export class Mmu {
  /** Which translation hardware this MMU models. */
  readonly kind: MmuKind;
  /** TLB tags (`vpn << 9 | asid`, -1 = invalid), 9 tables of {@link TLB_ENTRIES}. */
  readonly tags: Int32Array;
  /** TLB data: RAM byte offset minus virtual address, per entry. */
  readonly deltas: Int32Array;
  /** Lookups answered by the TLB (the CPU adds its fast-path hits on exit from `run`). */
  hits: number = asDouble(0);
  /** Lookups that needed a page walk (or a base/limit or bare refill). */
  misses = 0;
  /** Number of flush operations (`flush` calls, SFENCE.VMA, root changes). */
  flushes = 0;
  /** Cycles spent walking page tables since the CPU last collected them. */
  walkCycles = 0;
  /** Cycles charged per page-table level read. */
  walkCost: number;
  /** The `satp` register (Sv32: MODE bit 31, ASID bits 30..22, PPN bits 21..0). */
  satp: number = asDouble(0);
  /** Current ASID (from `satp`). */
  asid = 0;
  /**
   * Current ASID scrambled into a table index offset: entries live at
   * `(vpn ^ asidHash) & TLB_MASK`, so address spaces that use the same
   * virtual pages do not evict each other.
   */
  asidHash = 0;
  /** Base/limit unit: physical base added to U-mode addresses (page aligned). */
  base = 0;
  /** Base/limit unit: U-mode addresses at or above this fault. */
  limit = 0;
  /** mstatus.SUM: S-mode may load/store U pages. */
  sum = false;
  /** mstatus.MXR: loads from execute-only pages allowed. */
  mxr = false;
  /** Svadu: hardware sets A/D (true, reset value) instead of raising page faults. */
  adue = true;
  /** The hart's PMP, checked on every translation and PTE read (set by the CPU). */
  pmp: Pmp | null = null;
  /** When true nothing enters the TLB (the CPU sets it while debug triggers are armed). */
  noFill = false;
  readonly #ram: Ram;
  // ASIDs with entries since the last full flush (flush by address visits only these).
  readonly #asidUsed = new Uint8Array(512);
  #asidList: number[] = [];
  // Per ASID, the TLB slots filled since its last flush (FILL_LOG of them;
  // a count past that means "scan everything"): a flush of one ASID visits
  // these instead of all 9 tables. Slots refilled for another ASID since are
  // recognised by their tag.
  readonly #fillLog = new Int32Array(512 * FILL_LOG);
  readonly #fillCount = new Int32Array(512);
  // Root PPN last used with each ASID: a satp write that gives an ASID a new
  // root flushes that ASID, so kernels that recycle ASIDs cannot see stale entries.
  readonly #rootOfAsid = new Float64Array(512).fill(-1);

  /**
   * Creates an MMU reading page tables from `ram`; its TLB in `tlb` (two
   * arrays of 9 * {@link TLB_ENTRIES}, e.g. in a hart's WebAssembly memory)
   * or in arrays of its own.
   */
  constructor(
    ram: Ram,
    kind: MmuKind = "sv32",
    walkCost = 10,
    tlb?: { readonly tags: Int32Array; readonly deltas: Int32Array },
  ) {
    const n = 9 * TLB_ENTRIES;
    if (tlb !== undefined && (tlb.tags.length !== n || tlb.deltas.length !== n)) {
      throw new RangeError(`TLB arrays must hold ${n} entries`);
    }
    this.tags = (tlb?.tags ?? new Int32Array(n)).fill(INVALID_TAG);
    this.deltas = tlb?.deltas ?? new Int32Array(n);
    this.#ram = ram;
    this.kind = kind;
    this.walkCost = walkCost;
  }

  /** The translation regime used for privilege `priv` (0 U, 1 S, 3 M). */
  regimeFor(priv: number): number {
    if (priv === 3) return REGIME.BARE;
    if (this.kind === "sv32") return this.satp < 0 || this.satp >= 0x8000_0000 ? priv : REGIME.BARE;
    return priv === 0 ? REGIME.USER : REGIME.BARE;
  }

  /**
   * The RAM offset of `vaddr` when the TLB holds its page for `access` in
   * the regime of `priv` (a hit, counted), else -1: then {@link translate}.
   * An entry exists only for a page wholly in RAM that the access may use.
   */
  hitOffset(vaddr: number, access: number, priv: number): number {
    const vpn = vaddr >>> 12;
    const i = this.tableBase(this.regimeFor(priv), access) + ((vpn ^ this.asidHash) & TLB_MASK);
    if (this.tags[i] !== ((vpn << 9) | this.asid)) return -1;
    this.hits++;
    return (vaddr + this.deltas[i]) | 0;
  }

  /** First TLB index of the table for `regime` and `access`. */
  tableBase(regime: number, access: number): number {
    return (regime * 3 + access) << TLB_BITS;
  }

  /** Writes `satp` (Sv32 only keeps MODE 0 or 1). */
  setSatp(value: number): void {
    value >>>= 0;
    this.satp = value;
    this.#setAsid((value >>> 22) & 0x1ff);
    if (value >>> 31) this.#bindRoot(value & 0x3f_ffff);
  }

  /**
   * The same as `setSatp` with MODE 1 (Sv32), `asid` and the root page
   * number `rootPpn`, given as two small integers: the 32-bit `satp` value
   * (MODE bit set) is above V8's small-integer range, and passing it as an
   * argument boxes a heap number at each call level. A host kernel switching
   * address spaces calls this.
   */
  setSv32(asid: number, rootPpn: number): void {
    const a = asid & 0x1ff;
    const root = rootPpn & 0x3f_ffff;
    // Stored into the field in place: no argument carries the large value.
    this.satp = (0x8000_0000 | (a << 22) | root) >>> 0;
    this.#setAsid(a);
    this.#bindRoot(root);
  }

  #setAsid(asid: number): void {
    this.asid = asid;
    this.asidHash = Math.imul(asid, 0x2c5) & TLB_MASK;
  }

  // A new root for the current ASID flushes that ASID's entries.
  #bindRoot(root: number): void {
    const asid = this.asid;
    if (this.#rootOfAsid[asid] !== root) {
      if (this.#rootOfAsid[asid] !== -1) this.flush(undefined, asid);
      this.#rootOfAsid[asid] = root;
    }
  }

  /** Sets the base/limit registers and drops U-mode translations. */
  setBaseLimit(base: number, limit: number): void {
    this.base = (base & ~0xfff) >>> 0;
    this.limit = (limit & ~0xfff) >>> 0;
    this.#flushRegime(REGIME.USER);
    this.flushes++;
  }

  /** Changes SUM/MXR; drops paged translations when they change. */
  setSumMxr(sum: boolean, mxr: boolean): void {
    if (sum === this.sum && mxr === this.mxr) return;
    this.sum = sum;
    this.mxr = mxr;
    this.#flushRegime(REGIME.USER);
    this.#flushRegime(REGIME.SUPERVISOR);
    this.flushes++;
  }

  /**
   * Flushes translations, as SFENCE.VMA does: all of them, those of one
   * virtual address, those of one ASID, or one address in one ASID. Global
   * mappings are flushed too (allowed: a flush may drop more than asked).
   */
  flush(vaddr?: number, asid?: number): void {
    this.flushes++;
    const tags = this.tags;
    if (vaddr === undefined) {
      if (asid === undefined) {
        tags.fill(INVALID_TAG);
        for (const a of this.#asidList) {
          this.#asidUsed[a] = 0;
          this.#fillCount[a] = 0;
        }
        this.#asidList.length = 0;
        return;
      }
      const a = asid & 0x1ff;
      // An ASID without entries since the last full flush needs no scan.
      if (this.#asidUsed[a] === 0) return;
      this.#flushAsid(a);
      this.#asidUsed[a] = 0;
      const list = this.#asidList;
      const k = list.indexOf(a);
      list[k] = list[list.length - 1];
      list.length--;
      return;
    }
    const vpn = (vaddr >>> 12) & 0xfffff;
    if (asid !== undefined) {
      this.#flushSlot(vpn, asid & 0x1ff);
      return;
    }
    for (const a of this.#asidList) this.#flushSlot(vpn, a);
  }

  /** Drops every entry of ASID `a`: the logged slots, or all of them after an overflow. */
  #flushAsid(a: number): void {
    const tags = this.tags;
    const count = this.#fillCount[a];
    if (count <= FILL_LOG) {
      const log = this.#fillLog;
      for (let k = a * FILL_LOG, end = k + count; k < end; k++) {
        const i = log[k];
        if (tags[i] !== INVALID_TAG && (tags[i] & 0x1ff) === a) tags[i] = INVALID_TAG;
      }
    } else {
      for (let i = 0; i < tags.length; i++) {
        if (tags[i] !== INVALID_TAG && (tags[i] & 0x1ff) === a) tags[i] = INVALID_TAG;
      }
    }
    this.#fillCount[a] = 0;
  }

  #flushSlot(vpn: number, asid: number): void {
    const tags = this.tags;
    const slot = (vpn ^ (Math.imul(asid, 0x2c5) & TLB_MASK)) & TLB_MASK;
    const tag = (vpn << 9) | asid;
    for (let t = 0; t < 9; t++) {
      const i = (t << TLB_BITS) + slot;
      if (tags[i] === tag) tags[i] = INVALID_TAG;
    }
  }

  #flushRegime(regime: number): void {
    const start = regime * 3 << TLB_BITS;
    this.tags.fill(INVALID_TAG, start, start + 3 * TLB_ENTRIES);
  }

  /**
   * Translates `vaddr` for an access of kind `access` at effective privilege
   * `priv`. Returns the physical address (a number that may exceed 32 bits
   * for Sv32's 34-bit physical space) or, on a fault, the bitwise NOT of the
   * exception cause (a negative number). Fills the TLB when the page is RAM.
   */
  translate(vaddr: number, access: number, priv: number): number {
    vaddr >>>= 0;
    const pmp = this.pmp;
    this.misses++;
    const regime = this.regimeFor(priv);
    let pa: number;
    if (regime === REGIME.BARE) {
      pa = vaddr;
    } else if (this.kind === "baselimit") {
      if (vaddr >= this.limit) return ~FAULT_ACCESS[access];
      pa = this.base + vaddr;
      if (pa >= 0x1_0000_0000) return ~FAULT_ACCESS[access];
      // Only cache the page if all of it is below the limit.
      if ((vaddr | 0xfff) >= this.limit) return pa;
    } else {
      pa = this.#walk(vaddr, access, priv);
      if (pa < 0) return pa;
    }
    const ram = this.#ram;
    const pageOff = (pa - (pa % 4096)) - ram.base;
    if (pmp !== null && pmp.active) {
      if (!pmp.check(pa, 1, access, priv)) return ~FAULT_ACCESS[access];
      // Cache the page only if the PMP allows this access kind on all of it.
      if (!pmp.check(pa - (pa % 4096), 4096, access, priv)) return pa;
    }
    if (!this.noFill && pageOff >= 0 && pageOff + 4096 <= ram.size) {
      const asid = this.asid;
      const i = ((regime * 3 + access) << TLB_BITS) + (((vaddr >>> 12) ^ this.asidHash) & TLB_MASK);
      this.tags[i] = ((vaddr >>> 12) << 9) | asid;
      if (this.#asidUsed[asid] === 0) {
        this.#asidUsed[asid] = 1;
        this.#asidList.push(asid);
      }
      const c = this.#fillCount[asid];
      if (c < FILL_LOG) this.#fillLog[asid * FILL_LOG + c] = i;
      if (c <= FILL_LOG) this.#fillCount[asid] = c + 1;
      this.deltas[i] = (pageOff - (vaddr & ~0xfff)) | 0;
    }
    return pa;
  }

  /** Sv32 page walk; returns the physical address or ~cause. */
  #walk(vaddr: number, access: number, priv: number): number {
    const ram = this.#ram;
    const i32 = ram.i32;
    let table = (this.satp & 0x3f_ffff) * 4096;
    let level = 1;
    for (;;) {
      const vpnPart = level === 1 ? vaddr >>> 22 : (vaddr >>> 12) & 0x3ff;
      const pteAddr = table + vpnPart * 4;
      this.walkCycles += this.walkCost;
      const off = pteAddr - ram.base;
      if (off < 0 || off + 4 > ram.size) return ~FAULT_ACCESS[access];
      // PTE reads are S-mode loads for the PMP.
      const pmp = this.pmp;
      if (pmp !== null && pmp.active && !pmp.check(pteAddr, 4, ACCESS.LOAD, 1)) {
        return ~FAULT_ACCESS[access];
      }
      const pte = i32[off >> 2];
      if ((pte & PTE.V) === 0 || ((pte & PTE.R) === 0 && (pte & PTE.W) !== 0)) {
        return ~FAULT_PAGE[access];
      }
      if ((pte & (PTE.R | PTE.X)) === 0) {
        if (level === 0) return ~FAULT_PAGE[access];
        level = 0;
        table = (pte >>> 10) * 4096;
        continue;
      }
      // Leaf: permissions for the privilege and access kind.
      if (priv === 0) {
        if ((pte & PTE.U) === 0) return ~FAULT_PAGE[access];
      } else if ((pte & PTE.U) !== 0 && (access === ACCESS.FETCH || !this.sum)) {
        return ~FAULT_PAGE[access];
      }
      if (access === ACCESS.FETCH) {
        if ((pte & PTE.X) === 0) return ~FAULT_PAGE[access];
      } else if (access === ACCESS.LOAD) {
        if ((pte & PTE.R) === 0 && !(this.mxr && (pte & PTE.X) !== 0)) {
          return ~FAULT_PAGE[access];
        }
      } else if ((pte & PTE.W) === 0) {
        return ~FAULT_PAGE[access];
      }
      const ppn = pte >>> 10;
      if (level === 1 && (ppn & 0x3ff) !== 0) return ~FAULT_PAGE[access]; // misaligned superpage
      const need = access === ACCESS.STORE ? PTE.A | PTE.D : PTE.A;
      if ((pte & need) !== need) {
        if (!this.adue) return ~FAULT_PAGE[access];
        const updated = pte | need;
        i32[off >> 2] = updated;
        ram.notifyWrite(off, 4);
      }
      return level === 1
        ? (ppn >>> 10) * 0x40_0000 + (vaddr & 0x3f_ffff)
        : ppn * 4096 + (vaddr & 0xfff);
    }
  }
}
