/**
 * The translator's WebAssembly side (`WasmBackend`): which units it
 * compiles to WebAssembly (`hw/page_fn_wasm.ts`) and what it counts, the
 * hart's function table and slots that chaining page functions use, and
 * the pages whose WebAssembly function has looped on system calls, which
 * the translator makes JavaScript again (`JitBackend` "auto").
 *
 * ```ts
 * const built = backend.build(src, page, env);   // null: the unit stays JavaScript
 * backend.install(page, rec, built?.wasm ?? null);
 * ```
 *
 * @module
 */

import type { TranslatorEnv } from "./page_fn.ts";
import { buildWasmPageFn, type WasmHart, type WasmPage, type WasmPageFn } from "./page_fn_wasm.ts";
import type { UnitSource } from "./translator_source.ts";
import { WasmCompileError } from "./wasm_compile.ts";

/**
 * A hart's WebAssembly back end.
 *
 * @example
 * ```ts ignore
 * const w = new WasmBackend(hart);
 * if (w.pending) for (const page of w.takeLoops()) translator.translate(page, ops, -1);
 * ```
 */
export class WasmBackend {
  /** Translations compiled to WebAssembly. */
  units = 0;
  /** Translations outside what the back end compiles (kept as JavaScript). */
  declined = 0;
  /** Translations whose module V8 refused or could not make (kept as JavaScript). */
  failed = 0;
  /** WebAssembly units translated again as JavaScript after `SYSCALL_LOOP` system calls. */
  tierUps = 0;
  /** Set when a function has looped on system calls (see {@link takeLoops}). */
  pending = false;
  readonly #hart: WasmHart;
  // Pages whose function has looped on system calls, and pages translated
  // again as JavaScript for it (they stay so while they stay in the cache).
  readonly #loops = new Set<number>();
  readonly #asJs = new Set<number>();

  /** The back end of a hart with these memories. */
  constructor(hart: WasmHart) {
    this.#hart = hart;
  }

  /**
   * The WebAssembly page function of `src` (RAM page `page`), or null when
   * the unit stays JavaScript: the page went JavaScript for its system
   * calls, the source is outside the subset, or V8 refused the module.
   */
  build(src: UnitSource, page: number, env: TranslatorEnv): WasmPageFn | null {
    const w = this.#hart;
    if (this.#asJs.has(page)) return null;
    try {
      const built = buildWasmPageFn(
        src,
        env,
        w,
        w.keep ? () => {} : () => {
          this.#loops.add(page);
          this.pending = true;
        },
      );
      this.units++;
      return built;
    } catch (e) {
      if (e instanceof WasmCompileError) this.declined++;
      else if (
        e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError ||
        e instanceof RangeError // (out of memory for a module or an instance)
      ) this.failed++;
      else throw e;
      return null;
    }
  }

  /**
   * Puts the WebAssembly function of RAM page `page` (record `rec`) in the
   * hart's table where chaining page functions find it, or takes the
   * page's out (`fn` null: a JavaScript translation, or none).
   */
  install(page: number, rec: number, fn: WasmPage | null): void {
    const { table, slots } = this.#hart.hart;
    if (fn !== null && rec >= table.length) {
      table.grow(Math.max(rec + 1 - table.length, table.length));
    }
    // (A dropped function leaves the table too, so that its instance can go.)
    if (rec < table.length) table.set(rec, fn);
    slots[page] = fn !== null ? rec : 0;
  }

  /**
   * Records that the translation of record `rec` holds blocks of RAM page
   * `page` at relative base `rel` (`rec` 0: none, or not WebAssembly), so
   * that page functions chain into it for that page when it has no
   * WebAssembly function of its own.
   */
  hold(page: number, rec: number, rel: number): void {
    const held = this.#hart.hart.held;
    held[2 * page] = rec;
    held[2 * page + 1] = rel;
  }

  /** The slot of the linked translation page functions chain into for RAM page `page` (0: none). */
  heldBy(page: number): number {
    return this.#hart.hart.held[2 * page];
  }

  /** Forgets RAM page `page` (record `rec`), whose translation was dropped. */
  drop(page: number, rec: number): void {
    this.install(page, rec, null);
    this.#asJs.delete(page);
    this.#loops.delete(page);
  }

  /** Forgets every page (the translator emptied its cache). */
  dropAll(): void {
    this.#hart.hart.slots.fill(0);
    this.#hart.hart.held.fill(0);
    this.#asJs.clear();
    this.#loops.clear();
    this.pending = false;
  }

  /**
   * The pages whose function has looped on system calls, to translate again
   * as JavaScript (from now on {@link build} declines them); clears
   * {@link pending}.
   */
  takeLoops(): number[] {
    const pages = [...this.#loops];
    this.#loops.clear();
    this.pending = false;
    for (const page of pages) this.#asJs.add(page);
    return pages;
  }
}
