/**
 * Page functions: their type (`PageFn`), what they are built with
 * (`TranslatorEnv`), and `buildPageFn`, which makes one from the source the
 * translator wrote (`hw/translator_emit.ts`). Functions come from one
 * factory per distinct source, shared by every hart in the process, so the
 * same code in another hart or machine shares V8's type feedback and
 * optimized code.
 *
 * @module
 */

import { div, divu, mulh, mulhsu, mulhu, rem, remu } from "./alu.ts";
import { ROOM } from "./translator_emit.ts";
import type { UnitSource } from "./translator_source.ts";
import { ENTRY_SPAN, JIT_CACHE_SIZE } from "./translator_policy.ts";

/**
 * A translated page. Arguments: the register file, an output array
 * (`[0]` next pc, `[1]` cycle count, `[2]` TLB hits, `[5]` the virtual base
 * and `[6]` the RAM page of the page it stands on when it returns, and of
 * the page it starts on when it is called, `[7]` non-zero when it left
 * through a direct jump to another page; on the way in `[1]` and `[3]` hold
 * the cycle count and the next event time, which past 2^30 would be boxed
 * as arguments), the pc relative to the page's virtual base, the
 * instruction count, the instruction limit, the page's virtual
 * base, the load and store TLB table bases, the ASID tag, the ASID hash and
 * the fetch TLB table base. Returns the number of instructions it executed,
 * or -1 when an `ecall` gave the host control (the registers are stored,
 * the state synced by `jitEcall`; the inner loop returns to `run` at once).
 */
export type PageFn = (r: Int32Array, io: Float64Array, ...args: PageArgs) => number;

/** A page function's arguments after the register file and `io` (see {@link PageFn}). */
export type PageArgs = [
  pc: number,
  n: number,
  lim: number,
  vb: number,
  ldBase: number,
  stBase: number,
  asid: number,
  ah: number,
  fb: number,
];

/** What the generated code reads from the machine (captured when a page is built). */
export interface TranslatorEnv {
  /** RAM as bytes. */
  readonly u8: Uint8Array;
  /** RAM as signed bytes. */
  readonly i8: Int8Array;
  /** RAM as halfwords. */
  readonly u16: Uint16Array;
  /** RAM as signed halfwords. */
  readonly i16: Int16Array;
  /** RAM as words. */
  readonly i32: Int32Array;
  /** TLB tags of the MMU. */
  readonly tags: Int32Array;
  /** TLB deltas of the MMU. */
  readonly deltas: Int32Array;
  /** A byte per RAM page, non-zero when the page holds decoded code. */
  readonly codeMark: Uint8Array;
  /** Cycle cost by decoded op. */
  readonly opCost: Uint8Array;
  /** Extra cycles of a taken branch. */
  readonly takenCost: number;
  /**
   * Called after a store at RAM offset `off` into a page holding code:
   * drops the decoded and translated code it overlaps; non-zero when a
   * translation was dropped.
   */
  readonly codeStore: (off: number) => number;
  /**
   * A U-mode `ecall` at virtual `pc` (counted in the cycle count, which is
   * in `io[1]`, and in `n`), with the page function's TLB hits not yet
   * added and the instruction limit, the registers already stored: one of
   * the `JIT_ECALL_*` results of `hw/jit_ecall.ts` (the next pc, cycle
   * count and event time in `io`). The cycle count goes through `io`, not
   * as an argument: past 2^30 it would be boxed at every call.
   */
  readonly ecall: (pc: number, n: number, hits: number, lim: number) => number;
  /** The hart's register file now bound (after an `ecall` that switched threads). */
  readonly regs: () => Int32Array;
  /** The FP registers as 32-bit words (`Fpu.words`: f[i] is words 2i and 2i + 1). */
  readonly fw: Int32Array;
  /** 1 when `mstatus.FS` is not Off (FP instructions may run), else 0. */
  readonly fsOn: () => number;
  /** Sets `mstatus.FS` to Dirty (after an FP load). */
  readonly fsDirty: () => void;
  /**
   * Runs OP-FP or FMA instruction `inst` (raw bits) on integer registers
   * `x` as the inner loop does: -1 with nothing changed when FS is Off or
   * the encoding is illegal, else 0 or 1 (FS made Dirty).
   */
  readonly fpExec: (inst: number, x: Int32Array) => number;
  /** LR: reserves RAM offset `off`. */
  readonly lrSet: (off: number) => void;
  /** SC at RAM offset `off`: 1 when the reservation holds it, else 0; the reservation is cleared. */
  readonly scTry: (off: number) => number;
}

// Factories by page source, shared by all harts: closures made by one
// factory share V8's type feedback and optimized code, so the same code in
// another hart (or another machine in the same process) starts fast.
// At most JIT_CACHE_SIZE characters of source in all (V8 keeps each
// factory's source and code): when full, the map starts again.
const FACTORIES = new Map<string, (...deps: unknown[]) => PageFn>();
const MAX_FACTORIES = 4096;
let factoryChars = 0;
const made = { factories: 0 };

/**
 * JavaScript factories compiled in this process (a unit whose source a
 * factory already has reuses it; statistics).
 *
 * @returns the count
 */
export function factoriesMade(): number {
  return made.factories;
}

/**
 * Builds the page function of `src`, bound to the memory and helpers of `env`.
 *
 * @param src the page's source (`emitUnit` of `hw/translator_emit.ts`)
 * @param env the hart's memory views and callbacks
 * @returns the page function
 */
export function buildPageFn(src: UnitSource, env: TranslatorEnv): PageFn {
  const names = physNames(src.phys.length);
  const key = `${names}\n${src.pre}\n${src.body}`;
  let factory = FACTORIES.get(key);
  if (factory === undefined) {
    if (FACTORIES.size >= MAX_FACTORIES || factoryChars + key.length > JIT_CACHE_SIZE) {
      FACTORIES.clear();
      factoryChars = 0;
    }
    factory = new Function(
      "u8, i8, u16, i16, i32, tags, deltas, codeMark, codeStore, mulh, mulhsu, mulhu, div, divu, " +
        "rem, remu, ecall, regsOf, fw, fsOn, fsDirty, fpExec, lrSet, scTry, phys",
      `"use strict"; ${names}\n${src.pre}\nreturn ${pageFnText(src, ENTRY_SPAN)};`,
    ) as (...deps: unknown[]) => PageFn;
    FACTORIES.set(key, factory);
    made.factories++;
    factoryChars += key.length;
  }
  return factory(
    env.u8,
    env.i8,
    env.u16,
    env.i16,
    env.i32,
    env.tags,
    env.deltas,
    env.codeMark,
    env.codeStore,
    mulh,
    mulhsu,
    mulhu,
    div,
    divu,
    rem,
    remu,
    env.ecall,
    env.regs,
    env.fw,
    env.fsOn,
    env.fsDirty,
    env.fpExec,
    env.lrSet,
    env.scTry,
    src.phys,
  );
}

/** The declarations of the unit's RAM pages, `P0` to `P{count - 1}`, from the factory's `phys`. */
function physNames(count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += `const P${i} = phys[${i}] | 0; `;
  return out;
}

/**
 * The whole page function of `src`, `function page(r, io, pc, n, lim, vb,
 * ldBase, stBase, asid, ah, fb) { ... }`: the prologue that sets up its
 * budget and makes its arguments small integers, then the unit's body.
 * The JavaScript factory returns it, its limit at most `span`
 * instructions past `n` ({@link ENTRY_SPAN}); the WebAssembly back end
 * compiles it with no span (0).
 *
 * @param src the unit's source
 * @param span the most instructions per call, or 0 for the run's limit
 * @returns the function's text
 */
export function pageFnText(src: UnitSource, span: number): string {
  return "function page(r, io, pc, n, lim, vb, ldBase, stBase, asid, ah, fb) {\n" +
    `let c0 = io[1], dc = 0, room = 0; ${ROOM}\n` +
    // Small integers from here on: as arguments they are tagged, untagged
    // at every use. Past 2^30 instructions in one run the interpreter goes on.
    "if (n > 1073741822) return 0; n |= 0; lim = lim < 1073741823 ? lim | 0 : 1073741823;\n" +
    (span > 0 ? `if (lim - n > ${span}) lim = (n + ${span}) | 0;\n` : "") +
    "vb |= 0; ldBase |= 0; stBase |= 0; asid |= 0; ah |= 0; fb |= 0;\n" +
    `${src.body}\n}`;
}

/** Calls of {@link warmPageFn}: past V8's count for a function's first feedback. */
const WARM_CALLS = 12;
const WARM_REGS = new Int32Array(33);
const WARM_IO = new Float64Array(12);

/**
 * Runs a new page function's way in and out a few times, with nothing to
 * run: entered at the block head `pc` of its page with no room before
 * the next event (scratch registers and `io`), it leaves at that head's
 * budget check. V8 keeps no type feedback for a function's first calls,
 * and a page function that holds a loop may run for millions of
 * instructions in its first call: compiled then, its code would lack
 * feedback for the entry dispatch and the exit, and the next call's entry
 * would deoptimize it (a compile of 10-20 ms thrown away, the function
 * slower until the next one is done).
 *
 * @param fn the page function
 * @param pc a block head on its page (page offset)
 */
export function warmPageFn(fn: PageFn, pc: number): void {
  WARM_IO.fill(0);
  for (let i = 0; i < WARM_CALLS; i++) fn(WARM_REGS, WARM_IO, pc, 0, 0, 0, 0, 0, 0, 0, 0);
}
