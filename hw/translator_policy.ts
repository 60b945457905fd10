/**
 * The translator's policy, in numbers: when a page is hot enough to
 * translate, how often it is translated again or linked to other pages,
 * and how much translated code a hart keeps. `hw/translator.ts` applies
 * them; `docs/cpu.md` ("The translator") explains how they were chosen.
 *
 * @module
 */

/**
 * Executions of instructions of a page, interpreted, before it is
 * translated, for a page with up to {@link HOT_CODE_UNIT} instructions of
 * code that has run; more code needs proportionally more (see
 * `Translator.hot`).
 */
export const HOT_THRESHOLD = 32768;

/**
 * Instructions of a page's code (that has run) that one
 * {@link HOT_THRESHOLD} of interpreted executions pays for: V8's cost of
 * compiling a page function grows with its size.
 */
export const HOT_CODE_UNIT = 16;

/**
 * {@link HOT_CODE_UNIT} for a page translated again under the WebAssembly
 * back end (`JitBackend` "auto" or "wasm"), whose compile costs much less
 * than V8's of a JavaScript function: a page translated before its later
 * paths had run (a function called through a pointer, a path taken later)
 * gets them sooner. (A first translation keeps {@link HOT_CODE_UNIT}: with
 * 128, a cold `bench_pipe 102000` translated two more pages and ran
 * longer.) With {@link MAX_RETRANSLATIONS_WASM}, on `awk`'s loop of 300,000
 * iterations the inner loop entered page functions 1.8 million times with
 * 16, 0.5 million with 128; the host instructions of the whole cold run
 * (V8's compiles on the main thread, `cold-compare --cachegrind`) went from
 * 39.4 G to 36.7 G, and of `sort` of 20,000 lines, which translates more
 * pages, from 10.6 G to 12.7 G (the interpreter: 76.6 G and 14.0 G).
 */
export const HOT_CODE_UNIT_WASM = 128;

/**
 * Instructions a hart with the default threshold retires before it
 * translates anything. In a fresh process V8 is still compiling the inner
 * loop and the kernel then (its background compiler busy with them), and a
 * new page function runs in V8's bytecode interpreter until its own compile
 * is done, slower than the interpreter it replaces: a short run (a
 * command, a boot) gains nothing from a translation it cannot pay back.
 * Heat still counts meanwhile, so a page hot by then translates at its
 * next crossing.
 */
export const JIT_WARMUP = 1 << 20;

/**
 * Instructions a JavaScript page function runs, at most, per call: it
 * leaves at the first block check past them, and the inner loop enters it
 * again at the same pc (a block head, so the interpreter runs nothing in
 * between). Without the cap a function that holds a loop (of instructions,
 * or of system calls answered inside it) is called only when a slice ends
 * (getpid's loop: once per 7,600 calls), and in some processes V8 then
 * compiles it only for on-stack replacement, whose code ran that loop 20 %
 * slower than the regular compile V8 makes of a function called often.
 * (2^13 and 2^15 ran getpid no faster; 2^18 kept the slow processes.)
 * WebAssembly page functions are not capped: V8 does not compile them
 * on-stack, and the cap made `bench_mix`'s WebAssembly loop 6 % slower.
 */
export const ENTRY_SPAN = 1 << 16;

/** Translations of a page, after its first, while it stays in the cache. */
export const MAX_RETRANSLATIONS = 8;

/**
 * {@link MAX_RETRANSLATIONS} under the WebAssembly back end, which
 * translates a page again sooner ({@link HOT_CODE_UNIT_WASM}): with 8, a
 * run of `test_signal`, `test_threads` and `test_preempt` at a threshold of
 * 64 spent them early and answered 512 system calls from page functions,
 * 1,694 with 32.
 */
export const MAX_RETRANSLATIONS_WASM = 32;

/**
 * The most translations of a page after its first.
 *
 * @param wasm whether the hart has the WebAssembly back end
 * @returns {@link MAX_RETRANSLATIONS_WASM} or {@link MAX_RETRANSLATIONS}
 */
export function maxRetranslations(wasm: boolean): number {
  return wasm ? MAX_RETRANSLATIONS_WASM : MAX_RETRANSLATIONS;
}

/** Direct jumps out of a page's function before the page is linked (again). */
export const LINK_AFTER = 32;

/** Times a page is linked again while it stays in the cache. */
export const MAX_LINKS = 4;

/**
 * Characters of JavaScript source a hart's live page functions may hold
 * (16 MiB) before the translator empties its cache and starts again, as
 * QEMU flushes its translation buffer when it is full. V8 keeps each
 * function's source and its compiled code, so this bounds what a guest
 * can make the host hold: a heavy shell session (`ls`, `sort`, `awk`, the
 * CPU benchmarks, 20,000 forks) translates 38 pages with 1.4 MiB of
 * source, the largest page 124 KiB.
 */
export const JIT_CACHE_SIZE = 16 << 20;

/**
 * Characters of source above which a page is not translated (80 KiB).
 * V8's optimizing compiler takes no function of more than 60 KiB of
 * bytecode (`--max-optimized-bytecode-size`), about 84 KiB of page-function
 * source (0.73 bytes of bytecode per character, measured on `awk`'s
 * pages); such a function runs in Maglev's code or V8's baseline tiers,
 * slower than the interpreter it would replace (`awk` 1.8 times as long).
 * A unit too large with its linked pages' blocks is first made without
 * them.
 */
export const MAX_UNIT_SOURCE = 80 << 10;

/**
 * Doublings, at most, of the heat a page needs before it is scanned again
 * after scans that found no block head worth entering (`worthEntering` of
 * `hw/translator_scan.ts`): such a page is not translated (the inner loop
 * would never call its function, and a translated page makes every
 * instruction of it a control point), and it is scanned again, with the
 * pc where its heat began as one more head, once it has earned twice the
 * heat of the scan before.
 */
export const MAX_IDLE_SCANS = 8;
