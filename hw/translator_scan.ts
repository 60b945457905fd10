/**
 * What the translator's code generator works from: the decoded
 * instructions of a translation unit and its block heads (`scanPage`,
 * `addCallSites`), and which decoded ops it translates, how they end a
 * block and where they jump (`translatable`, `endsBlock`, `hasTarget`,
 * `pairTarget`). `hw/translator_emit.ts` writes the page function from a
 * {@link Scan}.
 *
 * @module
 */

import { COMPRESSED_BIT, decodeHalf, OP } from "./decode.ts";
import { ALU_OPS, AMO_OPS, BRANCH_OPS, JUMP_OPS, LOAD_OPS, STORE_OPS } from "./cpu_ops.ts";

/** What the code generator reads: RAM halfwords, cycle costs. */
export interface EmitEnv {
  /** RAM as halfwords. */
  readonly u16: Uint16Array;
  /** Cycle cost by decoded op. */
  readonly opCost: Uint8Array;
  /** Extra cycles of a taken branch. */
  readonly takenCost: number;
}

const OPS_LEN = 4096;
/** ALU ops by decoded op. */
export const ALU = new Map(ALU_OPS.map((o) => [OP[o.name as keyof typeof OP] as number, o]));
/** Jumps by decoded op. */
export const JUMPS = new Map(JUMP_OPS.map((o) => [OP[o.name as keyof typeof OP] as number, o]));
/** Conditional branches by decoded op. */
export const BRANCHES = new Map(
  BRANCH_OPS.map((o) => [OP[o.name as keyof typeof OP] as number, o]),
);
/** Loads by decoded op. */
export const LOADS = new Map(LOAD_OPS.map((o) => [OP[o.name as keyof typeof OP] as number, o]));
/** Stores by decoded op. */
export const STORES = new Map(STORE_OPS.map((o) => [OP[o.name as keyof typeof OP] as number, o]));

/** Whether the translator generates code for decoded op `op` (else the page function exits before it). */
export function translatable(op: number): boolean {
  return ALU.has(op) || JUMPS.has(op) || BRANCHES.has(op) || LOADS.has(op) || STORES.has(op) ||
    op === OP.FENCE || FP_OPS.has(op) || ATOMIC_OPS.has(op);
}

/** The F and D instructions a page function runs: FP loads and stores, OP-FP, FMA, FDIV/FSQRT. */
export const FP_OPS: ReadonlySet<number> = new Set([
  OP.FLW,
  OP.FLD,
  OP.FSW,
  OP.FSD,
  OP.FP,
  OP.FMA,
  OP.FDIV,
]);

/** The AMOs by decoded op (the new word's template). */
export const AMOS = new Map(AMO_OPS.map((o) => [OP[o.name as keyof typeof OP] as number, o]));

/** LR, SC and the AMOs, which a page function runs on an aligned TLB hit (LR: load; else store). */
export const ATOMIC_OPS: ReadonlySet<number> = new Set([OP.LR, OP.SC, ...AMOS.keys()]);

/** Whether decoded op `op` ends a block (a jump, a branch, or an instruction left to the interpreter). */
export function endsBlock(op: number): boolean {
  return BRANCHES.has(op) || JUMPS.has(op) || !translatable(op);
}

/**
 * The first instruction of the run of decoded, untranslated, straight-line
 * instructions on a page (decoded slots `ops`, halfword map `covered` of
 * its translation) that ends at page offset `off`: the instructions before
 * `off` back to a block end, a slot never decoded or translated code. An
 * entry made there covers the run; one made at `off` would leave the
 * instructions before it to the interpreter, and the next pc the
 * interpreter resumed at inside the run (after a fault of one of them, at
 * a different one each time) would ask for the page to be translated again.
 *
 * @param ops the page's decoded slots
 * @param covered a byte per halfword, non-zero where the translation covers it
 * @param off the page offset
 * @returns the page offset of the run's first instruction (`off` at most)
 */
export function runStart(ops: Int32Array, covered: Uint8Array, off: number): number {
  let at = off;
  for (;;) {
    // The instruction before: compressed (bit 7 of the decoded word) at
    // at - 2, or a full one at at - 4.
    let prev = -1;
    if (at >= 2 && ops[at - 2] !== 0 && (ops[at - 2] & 0x80) !== 0) prev = at - 2;
    else if (at >= 4 && ops[at - 4] !== 0 && (ops[at - 4] & 0x80) === 0) prev = at - 4;
    if (prev < 0 || covered[prev >> 1] !== 0 || endsBlock(ops[prev] & 0x7f)) return at;
    at = prev;
  }
}

/** Whether decoded op `op` has a pc-relative target (a conditional branch or JAL). */
export function hasTarget(op: number): boolean {
  return BRANCHES.has(op) || op === OP.JAL;
}

/** One decoded instruction of the unit. */
export interface Inst {
  /** The pc relative to the primary page's virtual base. */
  readonly off: number;
  /** Decoded word. */
  readonly w: number;
  /** Decoded immediate. */
  readonly imm: number;
  /** Length in bytes (2 or 4). */
  readonly len: number;
  /** The relative base of its page (0: the primary page). */
  readonly pg: number;
}

/** Decoded instructions of a unit, its block heads, and its direct jumps out of the primary page. */
export interface Scan {
  /** Instructions by relative pc. */
  readonly insts: Map<number, Inst>;
  /** Block heads (relative pcs). */
  readonly heads: Set<number>;
  /** Relative targets of direct jumps and calls from the primary page to other pages. */
  readonly sites: Set<number>;
}

/** An empty scan. */
export function newScan(): Scan {
  return { insts: new Map(), heads: new Set(), sites: new Set() };
}

/** The static target of the JALR `inst` when `prev` is an AUIPC of its base register (a call `auipc; jalr`). */
export function pairTarget(prev: Inst | undefined, inst: Inst): number | undefined {
  if (prev === undefined || (prev.w & 0x7f) !== OP.AUIPC || (inst.w & 0x7f) !== OP.JALR) {
    return undefined;
  }
  const rs1 = (inst.w >> 14) & 31;
  if (rs1 === 0 || ((prev.w >> 8) & 63) !== rs1 || prev.off + prev.len !== inst.off) {
    return undefined;
  }
  return (prev.off + prev.imm + inst.imm) & -2;
}

/**
 * Decodes from each seed (a page offset) of RAM page `page`, whose offsets
 * are `rel` + offset in the unit, to the end of its block, adding in-page
 * branch and jump targets, fall-through points and return points as
 * further heads (with the targets of `auipc; jalr` calls within the page).
 * Only code the interpreter has run (a non-zero slot in
 * `ran`, the page's decoded slots) is translated, besides `entry` (-1:
 * none): a block stops before the first instruction that never ran. Direct
 * jumps from the primary page (`rel` 0) to other pages go to `sc.sites`.
 */
export function scanPage(
  env: EmitEnv,
  sc: Scan,
  page: number,
  rel: number,
  seeds: readonly number[],
  ran: Int32Array,
  entry: number,
): void {
  const ops = new Int32Array(OPS_LEN);
  const { insts, heads } = sc;
  const half = page << 11;
  const work: number[] = [];
  const addHead = (o: number) => {
    if (o >= 0 && o < 4096 && !heads.has(rel + o) && (ran[o] !== 0 || o === entry)) {
      heads.add(rel + o);
      work.push(o);
    }
  };
  const site = (t: number) => {
    if (t >= 0 && t < 4096) addHead(t);
    else if (rel === 0) sc.sites.add(t);
  };
  for (const s of seeds) addHead(s);
  while (work.length > 0) {
    let o = work.pop()!;
    for (let first = true; o < 4096; first = false) {
      if (insts.has(rel + o)) {
        if (!first) addHead(o); // two blocks join here
        break;
      }
      if (!first && ran[o] === 0) break; // never ran: the block ends here
      decodeHalf(env.u16, half + (o >> 1), o === 0xffe, ops, o, env.opCost);
      const w = ops[o];
      const len = (w & COMPRESSED_BIT) !== 0 ? 2 : 4;
      const inst = { off: rel + o, w, imm: ops[o + 1], len, pg: rel };
      insts.set(rel + o, inst);
      const op = w & 0x7f;
      const next = o + len;
      if (BRANCHES.has(op)) {
        site(o + inst.imm);
        addHead(next);
        break;
      }
      if (op === OP.JAL) site(o + inst.imm);
      if (op === OP.JALR) {
        // A call `auipc; jalr` within the page: its target is a head too.
        const t = pairTarget(insts.get(rel + o - 4), inst);
        if (t !== undefined) addHead(t - rel);
      }
      // In a linked page, an ecall is a head too: a thread whose system
      // call is restarted resumes there, and enters the unit (Translator.via).
      if (op === OP.ECALL && rel !== 0 && !first) addHead(o);
      if (endsBlock(op)) {
        addHead(next); // return point, or where the interpreter comes back
        break;
      }
      o = next;
    }
  }
}

/** `Translator.entries`: a block head where the inner loop enters the page function. */
export const ENTRY = 1;
/** `Translator.entries`: a block head the inner loop does not enter (see {@link worthEntering}). */
export const HEAD_ONLY = 2;

/**
 * The primary page's maps of a scanned unit: a byte per page offset,
 * {@link ENTRY} or {@link HEAD_ONLY} at its block heads, else 0; a byte per
 * halfword its instructions cover; and the first head the inner loop
 * enters (-1: none).
 */
export function headMaps(sc: Scan): { entries: Uint8Array; covered: Uint8Array; head: number } {
  const entries = new Uint8Array(4096);
  const covered = new Uint8Array(2048);
  let head = -1;
  for (const i of sc.insts.values()) {
    if (i.pg !== 0) continue;
    if (sc.heads.has(i.off)) {
      const enter = worthEntering(sc, i.off);
      entries[i.off] = enter ? ENTRY : HEAD_ONLY;
      if (head < 0 && enter) head = i.off;
    }
    covered[i.off >> 1] = 1;
    if (i.len === 4) covered[(i.off >> 1) + 1] = 1;
  }
  return { entries, covered, head };
}

/**
 * Straight-line instructions a page function must run from a head before
 * it reaches one it leaves to the interpreter, for the head to be entered
 * from the inner loop: an entry costs far more than interpreting a few
 * instructions (FP and atomic code has such an instruction every few).
 */
export const MIN_ENTRY_RUN = 8;

/**
 * Whether the inner loop should enter the unit at head `off` (a relative
 * pc of `sc`): the block from there reaches a branch, a jump or an `ecall`
 * (the page function goes on or serves the call), or runs at least
 * {@link MIN_ENTRY_RUN} instructions before one the interpreter runs (or
 * the end of the code that has run). Jumps inside the unit still reach
 * every head.
 */
export function worthEntering(sc: Scan, off: number): boolean {
  let n = 0;
  for (let o = off;;) {
    const i = sc.insts.get(o);
    if (i === undefined) return n >= MIN_ENTRY_RUN;
    const op = i.w & 0x7f;
    if (op === OP.ECALL || BRANCHES.has(op) || op === OP.JAL) return true;
    // An indirect jump (most often a return to another page) leaves.
    if (op === OP.JALR) return n + 1 >= MIN_ENTRY_RUN;
    if (!translatable(op)) return n >= MIN_ENTRY_RUN;
    n++;
    o += i.len;
  }
}

/** Adds the targets of `auipc; jalr` calls from the primary page to other pages to `sc.sites`. */
export function addCallSites(sc: Scan): void {
  for (const inst of sc.insts.values()) {
    if (inst.pg !== 0 || (inst.w & 0x7f) !== OP.JALR) continue;
    const t = pairTarget(sc.insts.get(inst.off - 4), inst);
    if (t !== undefined && (t < 0 || t >= 4096)) sc.sites.add(t);
  }
}

/** A page another page's translation links to: its RAM page and decoded slots. */
export interface Link {
  readonly page: number;
  readonly ops: Int32Array;
  /** The page offsets there that the page's direct jumps left for (the blocks' entries). */
  readonly entries: Set<number>;
}

/**
 * The blocks of a translation of RAM page `page` (decoded slots `ops`):
 * from every head the slots show (branch and jump targets, the instruction
 * after each block end), `entry` (a page offset, -1 for none), and the
 * heads of the translation it replaces (`old`, its entries) that the scan
 * does not reach; then the blocks of the linked pages (`links`) that its
 * direct jumps reach. Returns the scan and the unit's pages by relative base.
 */
export function scanUnit(
  env: EmitEnv,
  page: number,
  ops: Int32Array,
  old: Uint8Array | null,
  links: Map<number, Link> | undefined,
  entry: number,
): { sc: Scan; pages: Map<number, number> } {
  const seeds = [entry];
  for (let i = 0; i < OPS_LEN; i += 2) {
    const w = ops[i];
    if (w === 0) continue;
    const op = w & 0x7f;
    if (hasTarget(op)) {
      const t = i + ops[i + 1];
      if (t >= 0 && t < 4096) seeds.push(t);
    }
    if (endsBlock(op)) seeds.push(i + ((w & COMPRESSED_BIT) !== 0 ? 2 : 4));
  }
  const sc = newScan();
  scanPage(env, sc, page, 0, seeds, ops, entry);
  // The heads of the translation this one replaces that the scan left
  // out (an entry an earlier translation was made for, reached only from
  // outside) stay heads, or two such entries would take turns, each
  // translation dropping the other's. A head the scan covers is not kept:
  // it would split a segment for nothing.
  if (old !== null) {
    const kept: number[] = [];
    for (let o = 0; o < 4096; o += 2) if (old[o] !== 0 && !sc.insts.has(o)) kept.push(o);
    if (kept.length > 0) scanPage(env, sc, page, 0, kept, ops, entry);
  }
  addCallSites(sc);
  const pages = new Map<number, number>([[0, page]]);
  if (links !== undefined) {
    for (const [rel, link] of links) {
      const linkSeeds: number[] = [];
      for (const o of link.entries) if (sc.sites.has(rel + o)) linkSeeds.push(o);
      const before = sc.insts.size;
      scanPage(env, sc, link.page, rel, linkSeeds, link.ops, -1);
      if (sc.insts.size > before) pages.set(rel, link.page);
    }
  }
  return { sc, pages };
}
