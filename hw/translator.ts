/**
 * The translator: one JavaScript function per hot physical 4 KiB page of
 * guest code, built with `new Function` from the instruction templates of
 * `hw/cpu_ops.ts` (the same text the interpreter's cases are generated from).
 *
 * Map of this file:
 * - {@link Translator}: the per-page cache, hotness counters and invalidation;
 * - `scan`: finds the page's block heads and decodes the instructions reachable
 *   from them;
 * - `emitPage` / `emitInstruction`: writes the function's source.
 *
 * Shape of a page function (`PageFn`): guest registers live in locals
 * `x1`..`x31` (reads of x0 are the literal 0, writes to x0 go to a dead `x32`);
 * a `for (;;) switch (pc >> 1)` dispatches on the halfword index of every block head;
 * branches and jumps to heads of the same page stay in the loop. Each block
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
 * @module
 */

import { COMPRESSED_BIT, decodeHalf, OP } from "./decode.ts";
import {
  ALU_OPS,
  BRANCH_OPS,
  expand,
  JUMP_OPS,
  LOAD_OPS,
  type Shape,
  STORE_OPS,
} from "./cpu_ops.ts";
import { div, divu, mulh, mulhsu, mulhu, rem, remu } from "./alu.ts";
import { TLB_MASK } from "./mmu.ts";

/**
 * A translated page. Arguments: the register file, an output array
 * (`[0]` next pc, `[1]` cycle count, `[2]` TLB hits), the pc, the cycle
 * count, the instruction count, the next event time, the instruction limit,
 * the page's virtual base, the load and store TLB table bases, the ASID tag
 * and the ASID hash. Returns the number of instructions it executed, or -1
 * when an `ecall` gave the host control (the registers are stored, the
 * state synced by `jitEcall`; the inner loop returns to `run` at once).
 */
export type PageFn = (
  r: Int32Array,
  io: Float64Array,
  pc: number,
  cyc: number,
  n: number,
  nextAt: number,
  lim: number,
  vb: number,
  ldBase: number,
  stBase: number,
  asid: number,
  ah: number,
) => number;

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
   * A U-mode `ecall` at virtual `pc` (counted in `cyc` and `n`), with the
   * page function's TLB hits not yet added and the instruction limit, the
   * registers already stored: one of the `JIT_ECALL_*` results of
   * `hw/jit_ecall.ts` (the next pc, cycle count and event time in `io`).
   */
  readonly ecall: (pc: number, cyc: number, n: number, hits: number, lim: number) => number;
}

/**
 * Executions of instructions of a page, interpreted, before it is
 * translated, for a page with up to {@link HOT_CODE_UNIT} instructions of
 * code that has run; more code needs proportionally more (see
 * {@link Translator.hot}).
 */
export const HOT_THRESHOLD = 32768;

/**
 * Instructions of a page's code (that has run) that one
 * {@link HOT_THRESHOLD} of interpreted executions pays for: V8's cost of
 * compiling a page function grows with its size.
 */
export const HOT_CODE_UNIT = 16;

/** Interpreted instructions per sample of heat (see {@link Translator.sample}). */
export const HOT_SAMPLE = 64;

/** Translations of a page, after its first, while it stays in the cache. */
export const MAX_RETRANSLATIONS = 8;

const OPS_LEN = 4096;
const ALU = new Map(ALU_OPS.map((o) => [OP[o.name as keyof typeof OP] as number, o]));
const JUMPS = new Map(JUMP_OPS.map((o) => [OP[o.name as keyof typeof OP] as number, o]));
const BRANCHES = new Map(BRANCH_OPS.map((o) => [OP[o.name as keyof typeof OP] as number, o]));
const LOADS = new Map(LOAD_OPS.map((o) => [OP[o.name as keyof typeof OP] as number, o]));
const STORES = new Map(STORE_OPS.map((o) => [OP[o.name as keyof typeof OP] as number, o]));

/** Whether the translator generates code for decoded op `op` (else the page function exits before it). */
function translatable(op: number): boolean {
  return ALU.has(op) || JUMPS.has(op) || BRANCHES.has(op) || LOADS.has(op) || STORES.has(op) ||
    op === OP.FENCE;
}

/** One decoded instruction of the page. */
interface Inst {
  readonly off: number;
  readonly w: number;
  readonly imm: number;
  readonly len: number;
}

/** Decoded instructions reachable from the heads, and the set of heads. */
interface Scan {
  readonly insts: Map<number, Inst>;
  readonly heads: Set<number>;
}

/**
 * Decodes from each head to the end of its block, collecting in-page branch
 * and jump targets, fall-through points and return points as further heads.
 * Only code the interpreter has run (a non-zero slot in `ran`, its decoded
 * page) is translated, besides `entry`: a block stops before the first
 * instruction that never ran, which stays the interpreter's until a later
 * translation of the page.
 */
function scan(
  env: TranslatorEnv,
  half: number,
  seeds: number[],
  ran: Int32Array,
  entry: number,
): Scan {
  const ops = new Int32Array(OPS_LEN);
  const insts = new Map<number, Inst>();
  const heads = new Set<number>();
  const work: number[] = [];
  const addHead = (o: number) => {
    if (o >= 0 && o < 4096 && !heads.has(o) && (ran[o] !== 0 || o === entry)) {
      heads.add(o);
      work.push(o);
    }
  };
  for (const s of seeds) addHead(s);
  while (work.length > 0) {
    let o = work.pop()!;
    for (let first = true; o < 4096; first = false) {
      if (!first && insts.has(o)) {
        addHead(o); // two blocks join here
        break;
      }
      if (first && insts.has(o)) break;
      if (!first && ran[o] === 0) break; // never ran: the block ends here
      decodeHalf(env.u16, half + (o >> 1), o === 0xffe, ops, o, env.opCost);
      const w = ops[o];
      const inst = { off: o, w, imm: ops[o + 1], len: (w & COMPRESSED_BIT) !== 0 ? 2 : 4 };
      insts.set(o, inst);
      const op = w & 0x7f;
      const next = o + inst.len;
      if (BRANCHES.has(op)) {
        addHead(o + inst.imm);
        addHead(next);
        break;
      }
      if (op === OP.JAL) addHead(o + inst.imm);
      if (JUMPS.has(op) || !translatable(op)) {
        addHead(next); // return point, or where the interpreter comes back
        break;
      }
      o = next;
    }
  }
  return { insts, heads };
}

/** Register operand: the local of a source register (x0 reads as 0). */
function src(reg: number): string {
  return reg === 0 ? "0" : `x${reg}`;
}

/** The template shape of one instruction at page offset `off`. */
function shapeOf(w: number, imm: number, off: number, len: number): Shape {
  return {
    rd: `x${(w >> 8) & 63}`,
    rs1: src((w >> 14) & 31),
    rs2: src((w >> 19) & 31),
    imm: String(imm),
    pc: `(vb + ${off})`,
    next: `(vb + ${off + len})`,
  };
}

/** The source lines of one segment's instructions, and how it ends. */
interface Emitted {
  lines: string[];
  ended: boolean;
}

// Markers for storing and reloading the register locals, filled in when the
// set of registers the page uses is known.
const SAVE = "/*save*/";
const LOAD = "/*load*/";

/** Code that leaves the function before the instruction at `off` (rest = cycles, count not run). */
function bail(off: number, restCyc: number, restN: number): string {
  return `{ pc = ${off}; cyc -= ${restCyc}; n -= ${restN}; break loop; }`;
}

/**
 * Emits `inst`, the last of its segment when it ends the segment. `restCyc`
 * and `restN` are the cycles and instructions from `inst` to the segment end.
 */
function emitInstruction(
  inst: Inst,
  env: TranslatorEnv,
  restCyc: number,
  restN: number,
  out: string[],
): boolean {
  const { w, imm, off, len } = inst;
  const op = w & 0x7f;
  const s = shapeOf(w, imm, off, len);
  const alu = ALU.get(op);
  if (alu !== undefined) {
    out.push(`${s.rd} = (${expand(alu.expr, s)}) | 0;`);
    return false;
  }
  if (op === OP.FENCE) return false;
  if (op === OP.ECALL) {
    // The host's fast syscall path without leaving (see hw/jit_ecall.ts):
    // -1 declined (the interpreter runs the ecall), -2 stop (no write-back),
    // 0 go on at the new pc, 1 go on but leave to the inner loop.
    out.push(
      `${SAVE} k = ecall((vb + ${off}) | 0, cyc, n, hits, lim);`,
      `if (k === -1) ${bail(off, restCyc, restN)}`,
      "if (k === -2) return -1;",
      `hits = 0; ${LOAD} cyc = io[1]; nextAt = io[3]; pc = (io[0] - vb) | 0;`,
      "if (k !== 0) break loop;",
      "continue loop;",
    );
    return true;
  }
  const jump = JUMPS.get(op);
  if (jump !== undefined) {
    out.push(
      `{ const t = ${
        expand(jump.target, s)
      }; ${s.rd} = ${s.next} | 0; pc = t - vb; continue loop; }`,
    );
    return true;
  }
  const br = BRANCHES.get(op);
  if (br !== undefined) {
    out.push(
      `if (${expand(br.cond, s)}) { cyc += ${env.takenCost}; pc = ${off + imm}; continue loop; }`,
      `pc = ${off + len}; continue loop;`,
    );
    return true;
  }
  const load = LOADS.get(op) ?? STORES.get(op);
  if (load !== undefined) {
    const isLoad = LOADS.has(op);
    const align = load.shift === 0 ? "" : `(va & ${(1 << load.shift) - 1}) !== 0 || `;
    out.push(
      `va = (${s.rs1} + ${imm}) | 0; vpn = va >>> 12;`,
      `ti = ${isLoad ? "ldBase" : "stBase"} + ((vpn ^ ah) & ${TLB_MASK});`,
      `if (${align}tags[ti] !== ((vpn << 9) | asid)) ${bail(off, restCyc, restN)}`,
      `off = (va + deltas[ti]) | 0;`,
    );
    const at = load.shift === 0 ? "off" : `off >> ${load.shift}`;
    if (isLoad) {
      out.push(`${s.rd} = ${load.view}[${at}]; hits++;`);
    } else {
      // A store into a page holding code: the hart drops what it overlaps;
      // if that was a translation, leave after the store (this function may
      // be stale now).
      const after = `{ pc = ${off + len}; cyc -= ${restCyc - (w >>> 24)}; n -= ${restN - 1}; ` +
        "break loop; }";
      out.push(
        `${load.view}[${at}] = ${s.rs2}; hits++;`,
        `if (codeMark[off >>> 12] !== 0 && codeStore(off) !== 0) ${after}`,
      );
    }
    return false;
  }
  out.push(bail(off, restCyc, restN));
  return true;
}

/** The instructions of the segment starting at head `h` (up to the next head or a block end). */
function segmentOf(sc: Scan, h: number): Inst[] {
  const seg: Inst[] = [];
  let o = h;
  for (;;) {
    const inst = sc.insts.get(o);
    if (inst === undefined) break;
    seg.push(inst);
    const op = inst.w & 0x7f;
    if (BRANCHES.has(op) || JUMPS.has(op) || !translatable(op)) break;
    o += inst.len;
    if (sc.heads.has(o)) break;
  }
  return seg;
}

/** The source of the body of a page function for `sc`. */
function emitPage(sc: Scan, env: TranslatorEnv): string {
  const out: string[] = [];
  const used = new Set<number>();
  // Registers some instruction may write (the rd field; for stores and
  // branches it holds immediate bits, which only adds registers): the
  // others' locals always equal the register file, so they are not stored.
  const written = new Set<number>();
  const sorted = [...sc.heads].sort((a, b) => a - b);
  const segments = sorted.map((h) => segmentOf(sc, h)).filter((seg) => seg.length > 0);
  for (let si = 0; si < segments.length; si++) {
    const seg = segments[si];
    const h = seg[0].off;
    let total = 0;
    for (const i of seg) total += i.w >>> 24;
    const lastOp = seg[seg.length - 1].w & 0x7f;
    const worst = total + (BRANCHES.has(lastOp) ? env.takenCost : 0);
    out.push(
      `case ${h >> 1}:`,
      `if (cyc + ${worst} >= nextAt || n + ${seg.length} >= lim) { pc = ${h}; break loop; }`,
      `cyc += ${total}; n += ${seg.length};`,
    );
    let rest = total;
    let ended = false;
    for (let k = 0; k < seg.length; k++) {
      const inst = seg[k];
      for (const reg of [(inst.w >> 8) & 63, (inst.w >> 14) & 31, (inst.w >> 19) & 31]) {
        if (reg !== 0 && reg !== 32) used.add(reg);
      }
      const rd = (inst.w >> 8) & 63;
      if (rd !== 0 && rd !== 32) written.add(rd);
      ended = emitInstruction(inst, env, rest, seg.length - k, out);
      rest -= inst.w >>> 24;
    }
    if (!ended) {
      const last = seg[seg.length - 1];
      out.push(`pc = ${last.off + last.len}; continue loop;`);
    }
    // Falling through to the next case is the same as dispatching to it.
    const next = si + 1 < segments.length ? segments[si + 1][0].off : -1;
    if (out[out.length - 1] === `pc = ${next}; continue loop;`) out.pop();
  }
  const regs = [...used].sort((a, b) => a - b);
  const dirty = regs.filter((x) => written.has(x));
  const save = dirty.map((x) => `r[${x}] = x${x};`).join(" ");
  const load = regs.map((x) => `x${x} = r[${x}];`).join(" ");
  for (let i = 0; i < out.length; i++) {
    out[i] = out[i].replace(SAVE, save).replace(LOAD, load);
  }
  return [
    `let ${regs.map((x) => `x${x} = r[${x}]`).concat("x32 = 0").join(", ")};`,
    "let hits = 0, va = 0, vpn = 0, ti = 0, off = 0, k = 0;",
    "const n0 = n;",
    "loop: for (;;) {",
    "switch (pc >> 1) {",
    ...out,
    "default: break loop;",
    "}",
    "}",
    save,
    "io[0] = (vb + pc) | 0; io[1] = cyc; io[2] = hits;",
    "return n - n0;",
  ].join("\n");
}

// Factories by page source, shared by all harts: closures made by one
// factory share V8's type feedback and optimized code, so the same code in
// another hart (or another machine in the same process) starts fast.
const FACTORIES = new Map<string, (...deps: unknown[]) => PageFn>();
const MAX_FACTORIES = 4096;

/** Builds the page function from its body. */
function build(body: string, env: TranslatorEnv): PageFn {
  let factory = FACTORIES.get(body);
  if (factory === undefined) {
    if (FACTORIES.size >= MAX_FACTORIES) FACTORIES.clear();
    factory = new Function(
      "u8, i8, u16, i16, i32, tags, deltas, codeMark, codeStore, mulh, mulhsu, mulhu, div, divu, " +
        "rem, remu, ecall",
      `"use strict"; return function page(r, io, pc, cyc, n, nextAt, lim, vb, ldBase, stBase, asid, ah) {\n${body}\n};`,
    ) as (...deps: unknown[]) => PageFn;
    FACTORIES.set(body, factory);
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
  );
}

/**
 * The translation cache of one hart: a function per physical RAM page, built
 * when the page has run {@link HOT_THRESHOLD} interpreted instructions, and
 * dropped when anything writes to the page or FENCE.I runs.
 */
export class Translator {
  /** Page functions by RAM page index (null: not translated). */
  readonly fns: (PageFn | null)[];
  /** Per translated page, a byte per page offset: non-zero at the block heads (entries). */
  readonly entries: (Uint8Array | null)[];
  /** Per translated page, a byte per halfword: non-zero where a translated instruction lies. */
  readonly covered: (Uint8Array | null)[];
  /** Interpreted instructions per RAM page since its last translation or invalidation. */
  readonly heat: Int32Array;
  /** Pages translated so far (statistics). */
  translations = 0;
  /** Times a translation (or all) was dropped: a page function that called the host compares it. */
  drops = 0;
  /** System calls the host answered from inside page functions (statistics). */
  ecalls = 0;
  /** Interpreted instructions of a page before it is translated. */
  readonly threshold: number;
  /**
   * The inner loop counts heat in samples: every `sample`-th interpreted
   * instruction adds `sample` to the heat of the page it is in
   * ({@link HOT_SAMPLE}, or 1 for thresholds below 64 samples).
   */
  readonly sample: number;
  readonly #env: TranslatorEnv;
  // Per RAM page: how many instructions had run in it when it was translated.
  readonly #ranAt: Int32Array;
  // Per RAM page: translations since it was first translated or dropped.
  readonly #again: Uint8Array;
  // Per RAM page: interpreted instructions counted since its last
  // translation or drop, up to the last call of hot(); and the value its
  // heat counter started from after that call.
  readonly #spent: Float64Array;
  readonly #start: Int32Array;

  /** Creates an empty cache for `pages` RAM pages. */
  constructor(env: TranslatorEnv, pages: number, threshold: number = HOT_THRESHOLD) {
    if (!Number.isInteger(threshold) || threshold < 1) {
      throw new RangeError(`hot threshold must be a positive integer, got ${threshold}`);
    }
    this.threshold = threshold;
    this.sample = Math.max(1, Math.min(HOT_SAMPLE, threshold >> 6));
    this.#env = env;
    this.fns = new Array<PageFn | null>(pages).fill(null);
    this.entries = new Array<Uint8Array | null>(pages).fill(null);
    this.covered = new Array<Uint8Array | null>(pages).fill(null);
    this.heat = new Int32Array(pages);
    this.#ranAt = new Int32Array(pages);
    this.#again = new Uint8Array(pages);
    this.#spent = new Float64Array(pages);
    this.#start = new Int32Array(pages);
  }

  /**
   * Interpreted executions page `page` needs before it is (re)translated
   * when `ran` instructions of its code have run: {@link threshold} for
   * every {@link HOT_CODE_UNIT} of them, at least {@link threshold}.
   */
  needed(ran: number): number {
    return this.threshold * Math.max(1, ran / HOT_CODE_UNIT);
  }

  /**
   * RAM page `page` (decoded slots `ops`) has run {@link threshold}
   * instructions in the interpreter since its last translation, or since it
   * was last dropped, or since the last call that found it not hot enough;
   * the interpreter is at page offset `entry`. Until the page has run
   * {@link needed} interpreted instructions for the code of it that has run
   * (a large page function costs V8 more to compile), only counts on.
   * Then translates the page, or translates it again when code that was not translated has
   * run since (a path that was cold then), or when `entry` is not a block
   * head of the translation (a target of an indirect jump) and holds an
   * instruction the translator handles, at most
   * {@link MAX_RETRANSLATIONS} times. Otherwise (the interpreter runs
   * instructions the translator leaves to it) only starts counting again.
   */
  hot(page: number, ops: Int32Array, entry: number): void {
    let ran = 0;
    for (let i = 0; i < OPS_LEN; i += 2) if (ops[i] !== 0) ran++;
    // The inner loop calls when the counter reaches the threshold; a page
    // whose code is larger has not earned its translation yet: the counter
    // starts lower, so the next call comes when it has.
    const spent = this.#spent[page] + this.heat[page] - this.#start[page];
    const rest = this.needed(ran) - spent;
    if (rest > 0) {
      this.#spent[page] = spent;
      this.#start[page] = this.heat[page] = this.threshold - Math.min(Math.ceil(rest), 1 << 30);
      return;
    }
    this.#spent[page] = 0;
    this.#start[page] = this.heat[page] = 0;
    const entries = this.entries[page];
    if (entries !== null) {
      // An instruction the translator leaves to the interpreter (a CSR
      // access) is no reason to translate again; an ecall that no segment
      // covers is (a page function makes it, see emitInstruction), e.g. in
      // a system call stub entered from another page. A covered one is
      // only reached by the interpreter after a segment's head check
      // declined, which a new translation would not change.
      const w = ops[entry & 0xffe];
      const ecall = (w & 0x7f) === OP.ECALL && this.covered[page]![entry >> 1] === 0;
      const missing = entries[entry] === 0 && (w === 0 || translatable(w & 0x7f) || ecall);
      const grew = ran > this.#ranAt[page] || missing;
      if (!grew || this.#again[page] >= MAX_RETRANSLATIONS) return;
      this.#again[page]++;
    }
    this.#ranAt[page] = ran;
    this.translate(page, ops, entry);
  }

  /**
   * Translates RAM page `page`, whose decoded slots are `ops` (non-zero
   * slots are instructions that have run), with `entry` (a page offset) as
   * one more block head.
   */
  translate(page: number, ops: Int32Array, entry: number): PageFn {
    const seeds = [entry];
    for (let i = 0; i < OPS_LEN; i += 2) {
      const w = ops[i];
      if (w === 0) continue;
      const op = w & 0x7f;
      if (BRANCHES.has(op) || op === OP.JAL) {
        const t = i + ops[i + 1];
        if (t >= 0 && t < 4096) seeds.push(t);
      }
      if (BRANCHES.has(op) || JUMPS.has(op) || !translatable(op)) {
        seeds.push(i + ((w & COMPRESSED_BIT) !== 0 ? 2 : 4));
      }
    }
    const sc = scan(this.#env, page << 11, seeds, ops, entry);
    const fn = build(emitPage(sc, this.#env), this.#env);
    const entries = new Uint8Array(4096);
    for (const h of sc.heads) if (sc.insts.has(h)) entries[h] = 1;
    const covered = new Uint8Array(2048);
    for (const i of sc.insts.values()) {
      covered[i.off >> 1] = 1;
      if (i.len === 4) covered[(i.off >> 1) + 1] = 1;
    }
    this.entries[page] = entries;
    this.covered[page] = covered;
    this.fns[page] = fn;
    this.translations++;
    return fn;
  }

  /** Drops the translation of RAM page `page`. */
  drop(page: number): void {
    if (this.fns[page] !== null) {
      this.drops++;
      this.fns[page] = null;
      this.entries[page] = null;
      this.covered[page] = null;
    }
    this.heat[page] = 0;
    this.#again[page] = 0;
    this.#spent[page] = 0;
    this.#start[page] = 0;
  }

  /**
   * A store touched RAM offset `off` (and the halfword after it): drops the
   * page's translation if the store overlaps a translated instruction.
   * Returns 1 when it dropped one.
   */
  stored(off: number): number {
    const page = off >>> 12;
    const cov = this.covered[page];
    if (cov === null) return 0;
    const h = (off & 0xfff) >> 1;
    if (cov[h] === 0 && (h === 2047 || cov[h + 1] === 0)) return 0;
    this.drop(page);
    return 1;
  }

  /** Drops the translation of `page` if `[start, end)` (offsets in the page) overlaps it. */
  rangeWritten(page: number, start: number, end: number): void {
    const cov = this.covered[page];
    if (cov === null) return;
    for (let h = start >> 1; h < (end + 1) >> 1; h++) {
      if (cov[h] !== 0) {
        this.drop(page);
        return;
      }
    }
  }

  /** Drops every translation. */
  dropAll(): void {
    this.drops++;
    this.fns.fill(null);
    this.entries.fill(null);
    this.covered.fill(null);
    this.heat.fill(0);
    this.#again.fill(0);
    this.#spent.fill(0);
    this.#start.fill(0);
  }
}
