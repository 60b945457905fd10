/**
 * The inner loop's entry into page functions (`enterPage`): at a control
 * point of a page the translator knows (`Translator.kind` not 0), finds
 * the page function that holds a block head at the pc, calls it and turns
 * its return into the state the loop reloads.
 *
 * A function of its own, not a part of `fastLoop` (`hw/cpu_fast.ts`): V8
 * compiles optimized code of a function with what it has seen run, and an
 * operation that had not run when it did deoptimizes the function when it
 * first does. The loop calls this at its first control point under the
 * translator (a probe, `kind` 0, that runs nothing), so the call and the
 * loop's reloads after it have run long before V8 optimizes the loop, and
 * the lookups and the page-function call that run only once a page is
 * translated deoptimize (and recompile) this small function, not the loop.
 *
 * Hand-off: the loop stores the cycle count and next event time in
 * `jitIo[1]` and `[3]` (as arguments they would be boxed past 2^30) and
 * passes the rest. Unless the result is `ENTER_NONE` or `ENTER_STOP`, the
 * loop then reloads: the pc from `jitIo[0]`, the cycle count from `[1]`,
 * TLB hits to add from `[2]`, the fetch page's virtual base and RAM page
 * from `[5]` and `[6]` (its decoded slots in `s.fOps`), the instruction
 * count from `s.runCount`, the count of the last instret sync from
 * `s.jitBase`, the ASID tag and hash from `[9]` and `[10]` (another
 * thread's after a switch inside) and the register file from the hart.
 *
 * @module
 */

import type { HartState } from "./hart_state.ts";
import { NO_PAGE } from "./hart_state.ts";
import { ENTRY, KIND_FN, KIND_VIA, type Translator } from "./translator.ts";

/** No page function starts at the pc: the loop interprets on (nothing to reload). */
export const ENTER_NONE = 0;
/** A page function ran: the loop reloads its state and goes on. */
export const ENTER_RAN = 1;
/** A page function ran and resumed after an ecall that changed something: the loop reloads and leaves to `run`. */
export const ENTER_LEAVE = 2;
/** The host took control at an ecall inside: the state is synced, the loop returns `SLOW_STOP`. */
export const ENTER_STOP = 3;
/** Nothing ran (the probe, or a page function that ran no instruction): the reload state is the loop's own, but TLB hits are flushed. */
export const ENTER_NOTHING = 4;

// What entryMap answers for a page with no entry.
const NO_ENTRIES = new Uint8Array(4096);

/**
 * The map the inner loop tests before it calls {@link enterPage} at a
 * control point of RAM page `jp` (a byte per page offset: 1 where a page
 * function may be entered): interpreted code in a translated page, where
 * every instruction is a control point, then costs a load per instruction
 * instead of a call. The loop takes it when its fetch page changes; a map
 * gone stale by a drop since only sends it into `enterPage` (which finds
 * nothing to run there), and a translation is made outside the loop.
 *
 * @param tr the hart's translator, or null
 * @param jp the RAM page
 * @returns the page's map of entries
 */
export function entryMap(tr: Translator | null, jp: number): Uint8Array {
  if (tr === null) return NO_ENTRIES;
  const kind = tr.kind[jp];
  if (kind === KIND_FN) return tr.entries[tr.slot[jp]] ?? NO_ENTRIES;
  if (kind === KIND_VIA) return tr.viaEntries[tr.slot[jp]] ?? NO_ENTRIES;
  return kind === 0 ? NO_ENTRIES : bothEntries(tr, tr.slot[jp]);
}

/**
 * The entries of record `rec`, whose page has a function and blocks in a
 * linked translation: the two maps in one, made once per change of either.
 * (A map of all offsets instead sent every interpreted instruction of such
 * a page into `enterPage`: 13 calls per fork that found nothing to run.)
 */
function bothEntries(tr: Translator, rec: number): Uint8Array {
  const both = tr.bothEntries[rec];
  if (both !== null) return both;
  const own = tr.entries[rec] ?? NO_ENTRIES, via = tr.viaEntries[rec] ?? NO_ENTRIES;
  const m = new Uint8Array(4096);
  for (let i = 0; i < 4096; i++) {
    if (own[i] === ENTRY || via[i] === ENTRY) m[i] = ENTRY;
  }
  return tr.bothEntries[rec] = m;
}

/**
 * At the control point `pc` on RAM page `jp` (translator kinds `kind`, or
 * 0 for the probe), runs the page function holding a block head there, if
 * any. `n`, `stepLimit`, `nBase`, `hits`, `fVa`, `ops`, the TLB table
 * bases and the ASID tag and hash are the loop's. Returns one of the `ENTER_*` codes.
 */
export function enterPage(
  s: HartState,
  tr: Translator,
  kind: number,
  jp: number,
  pc: number,
  n: number,
  stepLimit: number,
  nBase: number,
  hits: number,
  fVa: number,
  ops: Int32Array,
  ldBase: number,
  stBase: number,
  asid: number,
  ah: number,
  fBase: number,
): number {
  const jio = s.jitIo;
  if (kind === 0) return ranNothing(s, jp, pc, n, nBase, hits, fVa, ops, asid, ah, jio[1]);
  const rec = tr.slot[jp];
  let f = tr.fns[rec];
  // Blocks of this page that a linked translation of another page holds
  // are run there (rel: this page's base in it).
  let rel = 0;
  if ((kind & KIND_VIA) !== 0 && tr.viaEntries[rec]![pc & 4095] === 1 /* ENTRY */) {
    f = tr.fns[tr.slot[tr.via[jp]]];
    rel = tr.viaRel[jp];
  }
  if (f === null || (rel === 0 && tr.entries[rec]![pc & 4095] !== 1 /* ENTRY */)) return ENTER_NONE;
  jio[5] = fVa;
  jio[6] = jp;
  // For an ecall inside (hw/jit_ecall.ts): instret and TLB hits synced.
  s.jitBase = nBase;
  if (hits !== 0) s.mmu.hits += hits;
  const cyc = jio[1];
  tr.entered++;
  // Through `call`: its call feedback names no page function, so V8
  // compiles a generic call here instead of one specialized on the first
  // page function it saw, which the next page's function would deoptimize.
  const done = f.call(
    undefined,
    s.regs,
    jio,
    rel + (pc & 4095),
    n,
    stepLimit,
    (fVa - rel) | 0,
    ldBase,
    stBase,
    asid,
    ah,
    fBase,
  );
  if (done === 0 && jio[11] === 0) {
    return ranNothing(s, jp, pc, n, nBase, 0, fVa, ops, asid, ah, cyc);
  }
  return ranPage(s, tr, done, n, fVa, ops, asid, ah, fBase);
}

/**
 * Nothing ran: writes the loop's own state (`hits` left to add, cycle
 * count `cyc`, the rest as in {@link enterPage}) where the loop reloads it.
 */
function ranNothing(
  s: HartState,
  jp: number,
  pc: number,
  n: number,
  nBase: number,
  hits: number,
  fVa: number,
  ops: Int32Array,
  asid: number,
  ah: number,
  cyc: number,
): number {
  const jio = s.jitIo;
  jio[0] = pc;
  jio[1] = cyc;
  jio[2] = hits;
  jio[5] = fVa;
  jio[6] = jp;
  jio[9] = asid;
  jio[10] = ah;
  s.fOps = ops;
  s.runCount = n;
  s.jitBase = nBase;
  return ENTER_NOTHING;
}

/**
 * After a page function returned `done` (entered with count `n` on the
 * fetch page `fVa`, decoded slots `ops`, ASID tag `asid` and hash `ah`):
 * the reload state, a link of its exit, and the `ENTER_*` code.
 */
function ranPage(
  s: HartState,
  tr: Translator,
  done: number,
  n: number,
  fVa: number,
  ops: Int32Array,
  asid: number,
  ah: number,
  fBase: number,
): number {
  const jio = s.jitIo;
  if (jio[11] !== 0) {
    // A thread switch at an ecall inside (hw/jit_ecall.ts): the count
    // restarted, that thread's registers and ASID (the loop reloads them).
    jio[11] = 0;
    n = 0;
    asid = jio[9];
    ah = jio[10];
  }
  if (done < 0) return ENTER_STOP; // the host took control at an ecall
  if (jio[12] !== 0) {
    // Hits of WebAssembly page functions that chained into others.
    jio[2] += jio[12];
    jio[12] = 0;
  }
  jio[9] = asid;
  jio[10] = ah;
  s.runCount = n + done;
  // Stopped on another page of a linked translation: that is the fetch
  // page now (its TLB hit is counted), as in the interpreter.
  s.fOps = jio[5] !== fVa ? s.codePages[jio[6]]! : ops;
  if (jio[7] !== 0) {
    // Left its page through a direct jump to another: link the two?
    tr.linkExit(jio[6], s.fOps, jio[5], jio[0], fBase, asid, ah, s.codePages);
  }
  // A WebAssembly page function that runs a loop of system calls: as JavaScript from now on.
  if (tr.wasm !== null && tr.wasm.pending) syscallLoopsToJs(s, tr);
  const after = jio[4];
  if (after !== 0) {
    // Resumed after an ecall, but something changed (hw/jit_ecall.ts):
    // the fetch page is looked up again (bit 1), the loop leaves to `run` (bit 0).
    if ((after & 2) !== 0) jio[5] = NO_PAGE;
    jio[4] = 0;
    return (after & 1) !== 0 ? ENTER_LEAVE : ENTER_RAN;
  }
  return ENTER_RAN;
}

/**
 * Translates again, as JavaScript, the pages whose WebAssembly functions
 * have made `SYSCALL_LOOP` system calls (`hw/translator_wasm.ts`): after a
 * page function has returned, never while one runs.
 */
function syscallLoopsToJs(s: HartState, tr: Translator): void {
  const w = tr.wasm!;
  for (const page of w.takeLoops()) {
    const ops = s.codePages[page];
    if (ops === null || tr.pageFn(page) === null) continue;
    w.tierUps++;
    tr.translate(page, ops, -1);
  }
}
