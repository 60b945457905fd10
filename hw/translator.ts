/**
 * The translator: one JavaScript function per hot physical 4 KiB page of
 * guest code, built with `new Function` from the instruction templates of
 * `hw/cpu_ops.ts` (the same text the interpreter's cases are generated from).
 *
 * Map of this file:
 * - {@link Translator}: the per-page cache, hotness counters, links to
 *   other pages and invalidation;
 * - `hw/translator_links.ts`: which exits of a page's function link it to
 *   the blocks they reach;
 * - `hw/page_fn.ts`: the page function's type and how it is built from
 *   its source (one factory per distinct source);
 * - `hw/translator_emit.ts` finds the blocks and writes the source.
 *
 * Shape of a page function (`PageFn`): guest registers live in locals
 * `x1`..`x31` (reads of x0 are the literal 0, writes to x0 go to a dead `x32`);
 * a `for (;;) switch (bi)` dispatches on the index of a segment (indirect
 * jumps look the pc up in a table of the heads); branches and jumps to heads
 * of the same page stay in the loop. Each block
 * head checks that its whole segment (up to the next head or a jump) can run
 * without reaching the next clock event (`nextAt`) or the instruction limit,
 * exactly where the interpreter would stop after an instruction; otherwise the
 * function returns and the interpreter runs the segment. A segment's cycles and
 * instruction count are added at its head; an exit inside it (a TLB miss, a
 * misaligned or device access, a store into a page holding code, or an
 * instruction the translator leaves to the interpreter: CSR, AMO, FP, system)
 * takes back what did not run, so `pc`, the instruction count and the cycle
 * count are exact and the interpreter executes that instruction itself.
 *
 * Linking: a page whose function keeps leaving through direct jumps or calls
 * to other pages (a call of a libc stub on another page) is translated again
 * with the blocks it reaches there (`hw/translator_emit.ts`), so the call and
 * the return stay inside one function; a write to either page drops it.
 *
 * @module
 */

import { asDouble } from "../lib/double_field.ts";
import { OP } from "./decode.ts";
import { emitUnit, type Scan, translatable, worthEntering } from "./translator_emit.ts";
import type { UnitSource } from "./translator_source.ts";
import { ENTRY, HEAD_ONLY, headMaps, runStart, scanUnit } from "./translator_scan.ts";
import { buildPageFn, type PageFn, type TranslatorEnv, warmPageFn } from "./page_fn.ts";
import type { WasmHart, WasmPage } from "./page_fn_wasm.ts";
import { WasmBackend } from "./translator_wasm.ts";
import { ExitLinks } from "./translator_links.ts";
import {
  HOT_CODE_UNIT,
  HOT_CODE_UNIT_WASM,
  HOT_THRESHOLD,
  JIT_CACHE_SIZE,
  MAX_IDLE_SCANS,
  MAX_UNIT_SOURCE,
  maxRetranslations,
} from "./translator_policy.ts";

export type { PageArgs, PageFn, TranslatorEnv } from "./page_fn.ts";
export { ENTRY, HEAD_ONLY } from "./translator_scan.ts";
export {
  HOT_CODE_UNIT,
  HOT_THRESHOLD,
  JIT_CACHE_SIZE,
  JIT_WARMUP,
  LINK_AFTER,
  MAX_IDLE_SCANS,
  MAX_LINKS,
  MAX_RETRANSLATIONS,
  MAX_UNIT_SOURCE,
} from "./translator_policy.ts";

const OPS_LEN = 4096;

/** Characters of a unit's source. */
function unitSize(src: UnitSource): number {
  return src.pre.length + src.body.length;
}

/** {@link Translator.kind}: the page has a page function. */
export const KIND_FN = 1;
/** {@link Translator.kind}: a linked translation of another page holds blocks of the page. */
export const KIND_VIA = 2;

/**
 * The translation cache of one hart: a function per physical RAM page, built
 * when the page has run {@link HOT_THRESHOLD} interpreted instructions, and
 * dropped when anything writes to the page (or to a page it links to) or
 * FENCE.I runs.
 */
export class Translator {
  /**
   * Per RAM page: {@link KIND_FN} when it has a page function, plus
   * {@link KIND_VIA} when a linked translation of another page holds
   * blocks of it; 0 for a page the tables below know nothing of. The inner
   * loop reads the tables only where this is not 0.
   */
  readonly kind: Uint8Array;
  // An array of objects with a slot per RAM page costs V8 about 0.5 ms per
  // 16,384 slots (64 MiB) to create or clear, a typed array a tenth of that:
  // a page's objects (function, maps) sit in small arrays by record index
  // (`slot`: 0 for none, whose entries are all null), and the typed tables
  // by RAM page are created (see #ready) when the first page gets hot.
  /** Per RAM page: the index of its record in the arrays below (0: none). */
  slot: Int32Array = new Int32Array(0);
  /** Page functions by record (null: the page is not translated). */
  readonly fns: (PageFn | null)[] = [null];
  /** Per record of a translated page, a byte per page offset: {@link ENTRY} or {@link HEAD_ONLY} at the block heads, else 0. */
  readonly entries: (Uint8Array | null)[] = [null];
  /** Per record of a translated page, a byte per halfword: non-zero where a translated instruction lies. */
  readonly covered: (Uint8Array | null)[] = [null];
  /** Interpreted instructions per RAM page since its last translation or invalidation. */
  readonly heat: Int32Array;
  /**
   * Per RAM page: the page whose linked translation holds blocks of it and
   * is entered for them (-1: none), e.g. a stub's `ret` where a thread
   * resumes after a system call that switched threads.
   */
  via: Int32Array = new Int32Array(0);
  /** Per RAM page with a {@link via}: its relative base in that translation. */
  viaRel: Int32Array = new Int32Array(0);
  /** Per record of a page with a {@link via}: a byte per page offset, non-zero at the heads held there. */
  readonly viaEntries: (Uint8Array | null)[] = [null];
  /**
   * Per record of a page with both a function and a {@link via}: the two
   * maps' entries in one (made by `entryMap` in `hw/cpu_enter.ts` when
   * first needed; null again whenever either changes).
   */
  readonly bothEntries: (Uint8Array | null)[] = [null];
  /** Pages translated so far (statistics). */
  translations = 0;
  /** Translations that include blocks of other pages (statistics). */
  linkedTranslations = 0;
  /** Times a translation (or all) was dropped: a page function that called the host compares it. */
  drops = 0;
  /** System calls the host answered from inside page functions (statistics). */
  ecalls = 0;
  /** Calls of page functions from the inner loop, chained calls not counted (statistics). */
  entered: number = asDouble(0);
  /** Thread switches at page functions' ecalls, modulo 2^30 (every 64th leaves to `run`). */
  switches = 0;
  /** Translations not made because the unit was too large for V8 to optimize (statistics). */
  tooLarge = 0;
  /**
   * Translations not made because the inner loop would enter none of the
   * page's block heads (see `worthEntering`; statistics).
   */
  noEntry = 0;
  /** Times the cache was full and was emptied ({@link cacheSize}; statistics). */
  cacheFlushes = 0;
  /** Characters of source the live page functions may hold before the cache is emptied. */
  readonly cacheSize: number;
  /** Interpreted instructions of a page before it is translated. */
  readonly threshold: number;
  /** Instructions the hart retires before its first translation ({@link JIT_WARMUP}). */
  readonly warmup: number;
  readonly #env: TranslatorEnv;
  readonly #pages: number;
  #tables = false; // whether the per-page tables exist (see #ready)
  // Per RAM page: how many instructions had run in it when it was translated.
  #ranAt = new Int32Array(0);
  // Per RAM page: translations since it was first translated or dropped.
  #again = new Uint8Array(0);
  // Per RAM page: interpreted instructions counted since its last translation
  // or drop, up to the last hot(); and its heat counter's start after that.
  #spent = new Float64Array(0);
  #start = new Int32Array(0);
  // The per-page tables below that hold objects are maps by RAM page, not
  // arrays over all of RAM (16,384 slots, 64 MiB, cost about half a ms to
  // create or clear, paid by a short run or a FENCE.I). The translated pages:
  readonly #live = new Set<number>();
  // Per translated page: its direct-jump sites, exits and links.
  #links = new ExitLinks(0);
  // Per RAM page: the translations holding blocks of it (RAM page -> halfwords they cover).
  readonly #heldBy = new Map<number, Map<number, Uint8Array>>();
  // Per RAM page: the pages its current translation holds blocks of.
  readonly #holds = new Map<number, number[]>();
  // Per RAM page: 1 while it is interpreted only (too large to translate).
  #banned = new Uint8Array(0);
  // Per RAM page: scans in a row that found no head worth entering (at most
  // MAX_IDLE_SCANS); each doubles the heat the next one needs.
  #idle = new Uint8Array(0);
  // Per RAM page: the characters of its page function's source; and their sum.
  #source = new Int32Array(0);
  #liveSource = 0;
  /** The WebAssembly back end and its counts (null: JavaScript page functions only). */
  readonly wasm: WasmBackend | null;
  #wasmFn: WasmPage | null = null; // the export of #build's last function, if WebAssembly

  /** Creates an empty cache for `pages` RAM pages. */
  constructor(
    env: TranslatorEnv,
    pages: number,
    threshold: number = HOT_THRESHOLD,
    warmup: number = 0,
    cacheSize: number = JIT_CACHE_SIZE,
    wasm: WasmHart | null = null,
  ) {
    if (!Number.isInteger(threshold) || threshold < 1) {
      throw new RangeError(`hot threshold must be a positive integer, got ${threshold}`);
    }
    if (!Number.isSafeInteger(cacheSize) || cacheSize < 1) {
      throw new RangeError(`translation cache size must be a positive integer, got ${cacheSize}`);
    }
    this.threshold = threshold;
    this.warmup = warmup;
    this.cacheSize = cacheSize;
    this.#env = env;
    this.wasm = wasm !== null ? new WasmBackend(wasm) : null;
    this.#pages = pages;
    this.kind = new Uint8Array(pages);
    this.heat = new Int32Array(pages);
  }

  /** Creates the per-page tables, once: before the first translation. */
  #ready(): void {
    if (this.#tables) return;
    this.#tables = true;
    const pages = this.#pages;
    this.slot = new Int32Array(pages);
    this.via = new Int32Array(pages).fill(-1);
    this.viaRel = new Int32Array(pages);
    this.#ranAt = new Int32Array(pages);
    this.#again = new Uint8Array(pages);
    this.#spent = new Float64Array(pages);
    this.#start = new Int32Array(pages);
    this.#links = new ExitLinks(pages);
    this.#source = new Int32Array(pages);
    this.#banned = new Uint8Array(pages);
    this.#idle = new Uint8Array(pages);
  }

  /** The record index of RAM page `page`, made if it has none. */
  #record(page: number): number {
    let k = this.slot[page];
    if (k === 0) {
      k = this.slot[page] = this.fns.length;
      this.fns.push(null);
      this.entries.push(null);
      this.covered.push(null);
      this.viaEntries.push(null);
      this.bothEntries.push(null);
    }
    return k;
  }

  /** The function of RAM page `page`, or null. */
  pageFn(page: number): PageFn | null {
    return this.#tables ? this.fns[this.slot[page]] : null;
  }

  /** The halfword map of RAM page `page`'s translation (non-zero: translated), or null. */
  coverage(page: number): Uint8Array | null {
    return this.#tables ? this.covered[this.slot[page]] : null;
  }

  /**
   * Interpreted executions a page needs before it is translated (`again`:
   * again) when `ran` instructions of its code have run: {@link threshold}
   * for every {@link HOT_CODE_UNIT} (again under WebAssembly, {@link HOT_CODE_UNIT_WASM}).
   */
  needed(ran: number, again = false): number {
    const unit = again && this.wasm !== null ? HOT_CODE_UNIT_WASM : HOT_CODE_UNIT;
    return this.threshold * Math.max(1, ran / unit);
  }

  /**
   * RAM page `page` (decoded slots `ops`) has run {@link threshold}
   * instructions in the interpreter since its last translation, or since it
   * was last dropped, or since the last call that found it not hot enough;
   * the interpreter is at page offset `entry`; the hart has retired
   * `retired` instructions (before {@link warmup} of them, the heat is
   * kept and nothing is translated). Until the page has run
   * {@link needed} interpreted instructions for the code of it that has run
   * (a large page function costs V8 more to compile), only counts on.
   * Then translates the page, or again (at most {@link maxRetranslations}
   * times) when code not translated has run since (a path cold then), or
   * when `entry` is not a head of the translation (a target of an indirect
   * jump) and holds an instruction the translator handles. Otherwise (the
   * interpreter runs instructions left to it) only starts counting again.
   */
  hot(page: number, ops: Int32Array, entry: number, retired: number = Infinity): void {
    this.#ready();
    // The inner loop calls when the counter reaches the threshold; a page
    // whose code is larger has not earned its translation yet: the counter
    // starts lower, so the next call comes when it has.
    const spent = this.#spent[page] + this.heat[page] - this.#start[page];
    if (retired < this.warmup) {
      this.#spent[page] = spent;
      this.#start[page] = this.heat[page] = 0;
      return;
    }
    if (this.#banned[page] !== 0) {
      this.#start[page] = this.heat[page] = 0;
      return;
    }
    let ran = 0;
    for (let i = 0; i < OPS_LEN; i += 2) if (ops[i] !== 0) ran++;
    // Each scan that found nothing worth entering doubles what the next one needs.
    const rest = this.needed(ran, this.fns[this.slot[page]] !== null) * (1 << this.#idle[page]) -
      spent;
    if (rest > 0) {
      this.#spent[page] = spent;
      this.#start[page] = this.heat[page] = this.threshold - Math.min(Math.ceil(rest), 1 << 30);
      return;
    }
    this.#spent[page] = 0;
    this.#start[page] = this.heat[page] = 0;
    const rec = this.slot[page];
    const entries = this.entries[rec];
    if (entries !== null) {
      // The page is translated again for a pc no segment covers where an
      // instruction the translator takes starts (e.g. a function called
      // through a pointer), or an ecall (a page function makes it, see
      // emitInstruction; e.g. in a system call stub entered from another
      // page). Not for an instruction it leaves to the interpreter (a CSR
      // access), nor for a pc inside a segment (a head, reached when its
      // check declined; or where execution goes on after a timer
      // interrupt, a fault or an exit of the page function, at a different
      // pc each time: a fork's pages were translated again every 25,000
      // forks for those, each time a compile of tens of milliseconds).
      const w = ops[entry & 0xffe];
      const op = w & 0x7f;
      const missing = this.covered[rec]![entry >> 1] === 0 &&
        (w === 0 || translatable(op) || op === OP.ECALL);
      const grew = ran > this.#ranAt[page] || missing;
      if (!grew || this.#again[page] >= maxRetranslations(this.wasm !== null)) return;
      this.#again[page]++;
      // Entered at the start of the untranslated run that holds the pc.
      if (missing) entry = runStart(ops, this.covered[rec]!, entry & 0xffe);
    }
    if (this.#liveSource >= this.cacheSize) {
      // Full: start again with an empty cache (the pages still hot soon
      // translate again), rather than hold ever more code for the guest.
      this.cacheFlushes++;
      this.dropAll();
    }
    this.#ranAt[page] = ran;
    this.translate(page, ops, entry);
  }

  /**
   * Translates RAM page `page`, whose decoded slots are `ops` (non-zero
   * slots are instructions that have run), with `entry` (a page offset, -1
   * for none) as one more block head, and with the blocks of the pages it
   * links to that its direct jumps reach and that have run.
   */
  translate(page: number, ops: Int32Array, entry: number): PageFn | null {
    this.#ready();
    const env = this.#env;
    let { sc, pages } = scanUnit(
      env,
      page,
      ops,
      this.entries[this.slot[page]],
      this.#links.links.get(page),
      entry,
    );
    let maps = headMaps(sc);
    if (maps.head < 0) return this.#noEntry(page);
    let src = emitUnit(sc, env, pages);
    if (unitSize(src) > MAX_UNIT_SOURCE && pages.size > 1) {
      // Too large with the linked pages' blocks: the page alone, linked no more.
      this.#links.close(page);
      ({ sc, pages } = scanUnit(env, page, ops, this.entries[this.slot[page]], undefined, entry));
      maps = headMaps(sc);
      if (maps.head < 0) return this.#noEntry(page);
      src = emitUnit(sc, env, pages);
    }
    if (unitSize(src) > MAX_UNIT_SOURCE) {
      // V8 would never optimize it: the page keeps the translation it has
      // (if any) and is not translated again; without one it is interpreted.
      this.tooLarge++;
      this.#again[page] = maxRetranslations(this.wasm !== null);
      if (this.fns[this.slot[page]] === null) this.#banned[page] = 1;
      return null;
    }
    const { entries, covered, head } = maps;
    this.#idle[page] = 0;
    const fn = this.#build(src, page);
    const size = unitSize(src);
    this.#liveSource += size - this.#source[page];
    this.#source[page] = size;
    if (this.#wasmFn === null) warmPageFn(fn, head);
    this.#hold(page, sc, pages);
    this.#links.sites.set(page, sc.sites);
    this.#live.add(page);
    const rec = this.#record(page);
    this.entries[rec] = entries;
    this.bothEntries[rec] = null;
    this.covered[rec] = covered;
    this.fns[rec] = fn;
    this.wasm?.install(page, rec, this.#wasmFn);
    this.kind[page] |= KIND_FN;
    this.translations++;
    if (pages.size > 1) this.linkedTranslations++;
    return fn;
  }

  /**
   * A scan of `page` found no block head the inner loop would enter: no
   * function (it would never be called, and a translated page makes every
   * instruction of it a control point); the page keeps the translation it
   * has, if any, and its next scan needs twice the heat.
   */
  #noEntry(page: number): null {
    this.noEntry++;
    if (this.#idle[page] < MAX_IDLE_SCANS) this.#idle[page]++;
    return null;
  }

  /** The page function of `src` (RAM page `page`): WebAssembly where the back end makes one. */
  #build(src: UnitSource, page: number): PageFn {
    const built = this.wasm?.build(src, page, this.#env) ?? null;
    this.#wasmFn = built?.wasm ?? null;
    return built?.fn ?? buildPageFn(src, this.#env);
  }

  /** Records which pages' blocks the new translation of `page` holds. */
  #hold(page: number, sc: Scan, pages: Map<number, number>): void {
    this.#release(page);
    if (pages.size === 1) return;
    const held: number[] = [];
    for (const [rel, q] of pages) {
      if (rel === 0) continue;
      const cov = new Uint8Array(2048);
      for (const i of sc.insts.values()) {
        if (i.pg !== rel) continue;
        const h = (i.off - rel) >> 1;
        cov[h] = 1;
        if (i.len === 4) cov[h + 1] = 1;
      }
      let by = this.#heldBy.get(q);
      if (by === undefined) this.#heldBy.set(q, by = new Map());
      by.set(page, cov);
      held.push(q);
      const heads = new Uint8Array(4096);
      for (const h of sc.heads) {
        if ((h & -4096) === rel && sc.insts.has(h)) {
          heads[h - rel] = worthEntering(sc, h) ? ENTRY : HEAD_ONLY;
        }
      }
      this.via[q] = page;
      this.viaRel[q] = rel;
      const rq = this.#record(q);
      this.viaEntries[rq] = heads;
      this.bothEntries[rq] = null;
      this.kind[q] |= KIND_VIA;
      this.wasm?.hold(q, this.#wasmFn !== null ? this.#record(page) : 0, rel);
    }
    this.#holds.set(page, held);
  }

  /** Forgets which pages' blocks the translation of `page` holds. */
  #release(page: number): void {
    const held = this.#holds.get(page);
    if (held === undefined) return;
    for (const q of held) {
      this.#heldBy.get(q)?.delete(page);
      if (this.via[q] === page) {
        this.via[q] = -1;
        this.viaEntries[this.slot[q]] = this.bothEntries[this.slot[q]] = null;
        this.kind[q] &= ~KIND_VIA;
        this.wasm?.hold(q, 0, 0);
      }
    }
    this.#holds.delete(page);
  }

  /**
   * The function of RAM page `page` (decoded slots `ops`, virtual base `vb`)
   * left through a direct jump to virtual `target` on another page: counted
   * by {@link ExitLinks}, which may link the page to the blocks its exits
   * reach (the fetch TLB: table base `fb`, ASID tag `asid`, hash `ah`;
   * `codePages` the hart's decoded pages); the page is then translated again.
   */
  linkExit(
    page: number,
    ops: Int32Array,
    vb: number,
    target: number,
    fb: number,
    asid: number,
    ah: number,
    codePages: readonly (Int32Array | null)[],
  ): void {
    if (!this.#links.open(page) || this.#liveSource >= this.cacheSize) return;
    if (this.#links.exit(page, vb, target, this.#env, fb, asid, ah, codePages)) {
      this.translate(page, ops, -1);
    }
  }

  /** Drops the translation of RAM page `page`. */
  drop(page: number): void {
    this.heat[page] = 0;
    if (!this.#tables) return;
    const rec = this.slot[page];
    const translated = this.fns[rec] !== null;
    this.#links.drop(page, translated);
    if (translated) {
      this.drops++;
      this.fns[rec] = null;
      this.wasm?.drop(page, rec);
      this.kind[page] &= ~KIND_FN;
      this.entries[rec] = this.bothEntries[rec] = null;
      this.covered[rec] = null;
      this.#release(page);
      this.#live.delete(page);
      this.#liveSource -= this.#source[page];
      this.#source[page] = 0;
    }
    this.#again[page] = 0;
    this.#spent[page] = 0;
    this.#start[page] = 0;
  }

  /** Drops the translations holding blocks of `page` that overlap halfwords `[h0, h1)`; 1 if any. */
  #dropHolders(page: number, h0: number, h1: number): number {
    const by = this.#heldBy.get(page);
    if (by === undefined || by.size === 0) return 0;
    let dropped = 0;
    for (const [p, cov] of [...by]) {
      for (let h = h0; h < h1; h++) {
        if (cov[h] !== 0) {
          this.drop(p);
          dropped = 1;
          break;
        }
      }
    }
    return dropped;
  }

  /**
   * A store touched RAM offset `off` (and the halfword after it): drops the
   * page's translation, and those linked to it, that the store overlaps.
   * Returns 1 when it dropped one.
   */
  stored(off: number): number {
    const page = off >>> 12;
    this.#banned[page] = this.#idle[page] = 0;
    if (this.#live.size === 0) return 0;
    const h = (off & 0xfff) >> 1;
    const h1 = h === 2047 ? 2048 : h + 2;
    let dropped = this.#dropHolders(page, h, h1);
    const cov = this.covered[this.slot[page]];
    if (cov !== null && (cov[h] !== 0 || (h < 2047 && cov[h + 1] !== 0))) {
      this.drop(page);
      dropped = 1;
    }
    return dropped;
  }

  /** Drops the translation of `page`, and those linked to it, if `[start, end)` (offsets in the page) overlaps them. */
  rangeWritten(page: number, start: number, end: number): void {
    this.#banned[page] = this.#idle[page] = 0;
    if (this.#live.size === 0) return;
    const h0 = start >> 1, h1 = (end + 1) >> 1;
    this.#dropHolders(page, h0, h1);
    const cov = this.covered[this.slot[page]];
    if (cov === null) return;
    for (let h = h0; h < h1; h++) {
      if (cov[h] !== 0) {
        this.drop(page);
        return;
      }
    }
  }

  /** Drops every translation. */
  dropAll(): void {
    this.drops++;
    this.heat.fill(0);
    if (!this.#tables) return;
    this.kind.fill(0);
    // Only the translated pages' slots hold objects (see #live).
    this.slot.fill(0);
    this.wasm?.dropAll();
    for (const a of [this.fns, this.entries, this.covered, this.viaEntries, this.bothEntries]) {
      a.length = 1;
    }
    this.#live.clear();
    this.#again.fill(0);
    this.#spent.fill(0);
    this.#start.fill(0);
    this.#links.clear();
    this.#heldBy.clear();
    this.#holds.clear();
    this.via.fill(-1);
    this.#source.fill(0);
    this.#liveSource = 0;
    this.#banned.fill(0);
    this.#idle.fill(0);
  }
}
