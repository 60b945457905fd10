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
import { ALU_OPS, BRANCH_OPS, JUMP_OPS, LOAD_OPS, STORE_OPS } from "./cpu_ops.ts";

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
    op === OP.FENCE;
}

/** Whether decoded op `op` ends a block (a jump, a branch, or an instruction left to the interpreter). */
export function endsBlock(op: number): boolean {
  return BRANCHES.has(op) || JUMPS.has(op) || !translatable(op);
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
 * further heads. Only code the interpreter has run (a non-zero slot in
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

/** Adds the targets of `auipc; jalr` calls from the primary page to other pages to `sc.sites`. */
export function addCallSites(sc: Scan): void {
  for (const inst of sc.insts.values()) {
    if (inst.pg !== 0 || (inst.w & 0x7f) !== OP.JALR) continue;
    const t = pairTarget(sc.insts.get(inst.off - 4), inst);
    if (t !== undefined && (t < 0 || t >= 4096)) sc.sites.add(t);
  }
}
