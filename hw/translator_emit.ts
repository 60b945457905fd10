/**
 * The translator's code generator: from the decoded instructions of a
 * translation unit (`hw/translator_scan.ts`, re-exported here) to the
 * source of its page function (`hw/translator.ts` builds and caches the
 * functions).
 *
 * Map of this file:
 * - `emitUnit` / `emitSegment` / `emitInstruction` / `jumpTo`: write the
 *   function's source;
 * - `Chain`, `goTo`, `resumeAt`: the copies of segments a case goes on to
 *   (the call, system call and return path of a libc stub) under one
 *   budget check;
 * - `switchTo`: going on in another thread after a switch at an `ecall`;
 * - `hw/translator_source.ts`: the function around the cases.
 *
 * A unit is one physical page (the primary page, whose virtual base `vb`
 * the function receives) and, when linked, blocks of other pages reached by
 * direct jumps and calls from it (foreign pages, e.g. a libc stub). Every
 * instruction is named by its pc relative to `vb` (`rel`): the primary
 * page's offsets are 0..4095, a foreign page's are its offsets plus the
 * page's distance from the primary page (a multiple of 4096, fixed by the
 * pc-relative code). The function dispatches on `rel >> 1`.
 *
 * Control moves between the unit's pages only through {@link jumpTo} (and
 * the return of a foreign block to the primary page), which does what the
 * inner loop does when the pc leaves the fetch page: it looks the target
 * page up in the fetch TLB, counts the hit, and checks that the page is
 * still the physical page the code was translated from; otherwise the
 * function returns and the inner loop takes the jump's target (a TLB miss,
 * another mapping). The function reports the page it stands on when it
 * returns (`io[5]` virtual base, `io[6]` RAM page), so the inner loop's
 * fetch page and TLB hit count stay what the interpreter's would be.
 *
 * @module
 */

import { OP } from "./decode.ts";
import { expand } from "./cpu_ops.ts";
import { TLB_MASK } from "./mmu.ts";
import { ROOM_CAP } from "./cpu_slow.ts";
import {
  ALU,
  ATOMIC_OPS,
  BRANCHES,
  type EmitEnv,
  endsBlock,
  FP_OPS,
  hasTarget,
  type Inst,
  JUMPS,
  LOADS,
  pairTarget,
  type Scan,
  STORES,
} from "./translator_scan.ts";
import {
  aluValue,
  bail,
  bailAfter,
  emitAmo,
  emitFp,
  plus,
  shapeOf,
  tlbHit,
} from "./translator_emit_ops.ts";
import { assembleUnit, FOUND, FS_AGAIN, LOAD, SAVE, type UnitSource } from "./translator_source.ts";

export {
  addCallSites,
  type EmitEnv,
  endsBlock,
  hasTarget,
  type Inst,
  newScan,
  type Scan,
  scanPage,
  translatable,
  worthEntering,
} from "./translator_scan.ts";

/**
 * Sets `room`, the cycles a page function may spend before the next clock
 * event, from the event time in `io[3]` and its base cycle count `c0`. The
 * function counts its cycles in the small integer `dc` on top of `c0` (a
 * double: past 2^31 the count is no small integer), so that the budget
 * check of each block is one integer compare, not a check that the double
 * is a safe integer and a conversion. The inner loop's `roomBefore` of
 * `hw/cpu_slow.ts`, written out: capped at `ROOM_CAP` so that `dc` stays a
 * small integer; with no event that near, the function leaves when `room`
 * is used up and the inner loop enters it again.
 */
export const ROOM = `room = Math.max(0, Math.min(io[3] - c0, ${ROOM_CAP})) | 0;`;

/** What the emitter knows about the unit as a whole. */
interface Unit {
  readonly sc: Scan;
  readonly env: EmitEnv;
  /** RAM page by relative page base, for every page of the unit (0: the primary page). */
  readonly pages: ReadonlyMap<number, number>;
  /** The RAM pages in the order the source names them (`P0`, `P1`, ...). */
  readonly phys: readonly number[];
  /** Whether the unit has foreign pages. */
  readonly linked: boolean;
  /** Segment index by relative pc of its head. */
  readonly index: ReadonlyMap<number, number>;
  /** The index of the dispatch on `pc` (after an indirect jump, at entry). */
  readonly dyn: number;
  /** The segments by index. */
  readonly segs: readonly Inst[][];
  /** Instructions the unit may still copy into other segments' cases (see {@link Chain}). */
  inlineLeft: number;
  /** The locals that mark a page of the unit found in the fetch TLB (see {@link fetchHit}). */
  readonly found: Set<string>;
}

/**
 * A segment's case copies the segments it goes on to straight, when they
 * stand on a linked page or end in an `ecall` (the call, system call and
 * return path of a libc stub), instead of dispatching to their cases: the
 * copies run without a budget check and without a dispatch, and the
 * case's one check covers the worst path through them all (leaving earlier
 * than needed is exact, the interpreter runs those instructions). `path`:
 * the heads of the copies being written (no segment is copied into
 * itself); `left`: the instructions one case may still copy; `cyc` and `n`:
 * the worst cycles and count of the copies made from the segment being
 * written; `ret`: the return point of the last call copied on the way
 * (-1: none), where a `ret` of a copy goes straight, its segment copied,
 * when the return address is still that one; `tail`: set from there on, the
 * caller's code after the call is copied too (until the budgets end or it
 * comes back to a segment on the path).
 */
interface Chain {
  readonly path: number[];
  left: number;
  cyc: number;
  n: number;
  ret: number;
  tail: boolean;
}

/** Instructions one case may copy from the segments it chains to. */
const CHAIN_INSTS = 12;

/**
 * The dispatch after a resumed `ecall` in chain `c`: most often to the next
 * instruction, whose segment is copied here, with a check of its own (the
 * ecall moved the clock), when the chain's budgets allow.
 */
function resumeAt(u: Unit, next: number, c: Chain): string {
  const i = u.index.get(next);
  const dyn = `bi = ${u.dyn}; continue loop;`;
  if (i === undefined) return dyn;
  const seg = u.segs[i];
  if (seg.length > c.left || seg.length > u.inlineLeft || c.path.includes(next)) {
    return `if (pc === ${next}) { bi = ${i}; continue loop; } ${dyn}`;
  }
  u.inlineLeft -= seg.length;
  const out: string[] = [];
  const sub: Chain = {
    path: c.path,
    left: c.left - seg.length,
    cyc: 0,
    n: 0,
    ret: c.ret,
    tail: false,
  };
  c.path.push(next);
  checkedSegment(u, seg, out, sub);
  c.path.pop();
  c.left = sub.left;
  return `if (pc === ${next}) { ${out.join(" ")} } ${dyn}`;
}

/**
 * The code that goes on at segment `i` (head `t`) from a chain `c`: a copy
 * of it when it qualifies (on a linked page, ending in an `ecall` or the
 * chain's return point; not on the path; within the budgets), else the
 * dispatch to its case.
 */
function goTo(u: Unit, t: number, i: number, c: Chain | null): string {
  const seg = u.segs[i];
  const last = seg[seg.length - 1];
  const back = c !== null && t === c.ret;
  const wanted = last.pg !== 0 || (last.w & 0x7f) === OP.ECALL || back || (c !== null && c.tail);
  if (
    c === null || !wanted || c.path.includes(t) || seg.length > c.left ||
    seg.length > u.inlineLeft
  ) {
    return `bi = ${i}; continue loop;`;
  }
  c.left -= seg.length;
  u.inlineLeft -= seg.length;
  const out: string[] = [];
  c.path.push(t);
  const sub: Chain = {
    path: c.path,
    left: c.left,
    cyc: 0,
    n: 0,
    ret: back ? -1 : c.ret,
    tail: back || c.tail,
  };
  const w = segmentBody(u, seg, out, sub);
  c.path.pop();
  c.left = sub.left;
  c.cyc = Math.max(c.cyc, w.cyc);
  c.n = Math.max(c.n, w.n);
  return out.join(" ");
}

/**
 * The inner loop's fetch-TLB lookup of the unit's page at relative base
 * `tp` (RAM page `ph`): on a hit that maps it to that page, counts the hit,
 * makes it the page the function stands on (in a linked unit) and runs `go`.
 */
function fetchHit(u: Unit, tp: number, ph: number, go: string): string {
  // The RAM page by its name (see UnitSource.phys): the same code in other
  // RAM pages has the same source, and shares V8's compiled code.
  const p = `P${u.phys.indexOf(ph)}`;
  const at = u.linked ? `cva = (vb + ${tp}) | 0; cph = ${p}; ` : "";
  // Once found, a page stays in the fetch TLB for the rest of the call:
  // only the inner loop refills it, and a flush (counted in the MMU's
  // `flushes`) makes `jitEcall` leave. A thread switch clears the marks.
  const f = `f${tp < 0 ? `m${-tp >> 12}` : tp >> 12}`;
  u.found.add(f);
  return `if (${f} !== 0 || ((vpn = (vb + ${tp}) >>> 12), (ti = fb + ((vpn ^ ah) & ${TLB_MASK})), ` +
    `tags[ti] === ((vpn << 9) | asid) && ((vb + ${tp} + deltas[ti]) | 0) === (${p} << 12))) ` +
    `{ ${f} = 1; hits++; ${at}${go} continue loop; } `;
}

/**
 * Code that enters the unit's page at relative base `tp` (RAM page `ph`)
 * from code of page `pg`: the inner loop's fetch-TLB lookup and hit, then
 * `go`; otherwise it leaves at relative pc `t` (already in `pc` if null).
 */
function enter(u: Unit, tp: number, ph: number, pg: number, go: string, t: number | null): string {
  // Another mapping from the primary page: a candidate for linking again.
  return `${fetchHit(u, tp, ph, go)}${t === null ? "" : `pc = ${t}; `}${
    pg === 0 ? "xs = 1; " : ""
  }break loop;`;
}

/**
 * After an `ecall` that switched threads (the registers, ASID and budget
 * rebound): goes on at the new thread's relative pc (in `pc`) when its page
 * is one of the unit's and maps to the same RAM page, as the inner loop
 * would look it up; otherwise leaves, and the inner loop looks it up again.
 */
function switchTo(u: Unit): string {
  const tests: string[] = [];
  for (const [tp, ph] of u.pages) {
    // Straight to the head, without a second trip through the dispatch.
    let go = LOOKUP;
    if (tp !== 0) {
      const cases: string[] = [];
      for (const [h, i] of u.index) {
        if ((h & -4096) === tp) cases.push(`case ${h >> 1}: bi = ${i}; continue loop;`);
      }
      go = `switch (pc >> 1) { ${cases.join(" ")} } break loop;`;
    }
    tests.push(`if ((pc & -4096) === ${tp}) { ${fetchHit(u, tp, ph, go)}}`);
  }
  return `${tests.join(" ")} io[4] = 2;`;
}

/** Code that goes on at the static relative target `t` from code of page `pg` (in chain `c`). */
function jumpTo(u: Unit, t: number, pg: number, c: Chain | null): string {
  const tp = t & -4096;
  const i = u.index.get(t);
  if (tp === pg) return i !== undefined ? goTo(u, t, i, c) : `pc = ${t}; break loop;`;
  const ph = u.pages.get(tp);
  if (ph !== undefined && i !== undefined) return enter(u, tp, ph, pg, goTo(u, t, i, c), t);
  // Out of the unit: the inner loop takes the jump (from the primary page,
  // it also counts the jump as a candidate for linking, io[7]).
  return `pc = ${t}; ${pg === 0 ? "xs = 1; " : ""}break loop;`;
}

/** The primary page's dispatch table lookup of the relative pc in `pc` (a head, or out). */
const LOOKUP = "bi = HX[pc >> 1]; if (bi >= 0) continue loop; break loop;";

/** An indirect jump's dispatch from code of page `pg` to the relative pc in `pc`. */
function jumpDynamic(u: Unit, pg: number): string {
  // In the primary page through its table; from a linked page, within it
  // through the dispatch on pc, and back to the primary page (a return)
  // through the TLB check; elsewhere out.
  if (pg === 0) return `if ((pc >>> 12) === 0) { ${LOOKUP} } break loop;`;
  const home = `if ((pc & -4096) === 0) { ${enter(u, 0, u.pages.get(0)!, pg, LOOKUP, null)} } `;
  return `if ((pc & -4096) !== ${pg}) { ${home}break loop; } bi = ${u.dyn}; continue loop;`;
}

/**
 * Emits `inst`, the last of its segment when it ends the segment. `restCyc`
 * and `restN` are the cycles and instructions from `inst` to the segment
 * end; `c` the chain its static jumps may copy segments into.
 */
function emitInstruction(
  u: Unit,
  inst: Inst,
  restCyc: number,
  restN: number,
  out: string[],
  c: Chain,
): boolean {
  const { w, imm, off, len, pg } = inst;
  const op = w & 0x7f;
  const s = shapeOf(inst);
  const alu = ALU.get(op);
  if (alu !== undefined) {
    out.push(`${s.rd} = ${aluValue(alu, s, inst)};`);
    return false;
  }
  if (op === OP.FENCE) return false;
  if (op === OP.ECALL) {
    // The host's fast syscall path without leaving (see hw/jit_ecall.ts):
    // -1 declined (the interpreter runs the ecall), -2 stop (no write-back),
    // 0 go on at the new pc (in the same page), 1 go on but leave to the
    // inner loop, 2 another thread (its registers, ASID and a fresh budget:
    // the count restarts at 0, as in the inner loop), then go on or leave.
    out.push(
      `${SAVE} io[1] = c0 + dc; k = ecall((vb + ${off}) | 0, n, hits, lim);`,
      `if (k === -1) ${bail(off, restCyc, restN)}`,
      "if (k === -2) return -1;",
      `if (k === 2) { r = regsOf(); asid = io[9] | 0; ah = io[10] | 0; n = n0 = 0; ${FOUND} }`,
      `hits = 0; ${FS_AGAIN} ${LOAD} c0 = io[1]; dc = 0; ${ROOM} pc = (io[0] - vb) | 0;`,
      `if (k !== 0) { if (k === 2 && io[4] === 0) { bi = ${
        u.dyn + 1
      }; continue loop; } break loop; }`,
      resumeAt(u, off + len, c),
    );
    return true;
  }
  const jump = JUMPS.get(op);
  if (jump !== undefined) {
    const link = `${s.rd} = ${s.next} | 0;`;
    const rd = (w >> 8) & 63, rs1 = (w >> 14) & 31;
    // A call (rd ra): copies of the callee return to its next instruction.
    const outer = c.ret;
    if (rd === 1) c.ret = off + len;
    if (op === OP.JAL) {
      out.push(`${link} ${jumpTo(u, off + imm, pg, c)}`);
      c.ret = outer;
      return true;
    }
    // After an AUIPC of its base register (a call): its target, when
    // reached from there (it may be a block head, reached from elsewhere).
    // A return (jalr x0, 0(ra); x0 decodes as the sink x32) in a copy: the
    // chain's return point.
    const pair = pairTarget(u.sc.insts.get(off - 4), inst) ??
      ((rd === 0 || rd === 32) && rs1 === 1 && imm === 0 && outer >= 0 ? outer : undefined);
    const known = pair !== undefined && ((pair & -4096) !== pg || u.index.has(pair))
      ? `if (t === ((vb + ${pair}) | 0)) { ${jumpTo(u, pair, pg, c)} } `
      : "";
    c.ret = outer;
    out.push(
      `{ const t = ${expand(jump.target, s)}; ${link} ${known}pc = (t - vb) | 0; ` +
        `${jumpDynamic(u, pg)} }`,
    );
    return true;
  }
  const br = BRANCHES.get(op);
  if (br !== undefined) {
    out.push(
      `if (${expand(br.cond, s)}) { dc += ${u.env.takenCost}; ${jumpTo(u, off + imm, pg, c)} }`,
      jumpTo(u, off + len, pg, c),
    );
    return true;
  }
  const load = LOADS.get(op) ?? STORES.get(op);
  if (load !== undefined) {
    const isLoad = LOADS.has(op);
    out.push(
      ...tlbHit(plus(s.rs1, imm), !isLoad, (1 << load.shift) - 1, bail(off, restCyc, restN)),
    );
    const at = load.shift === 0 ? "off" : `off >> ${load.shift}`;
    if (isLoad) {
      out.push(`${s.rd} = ${load.view}[${at}]; hits++;`);
    } else {
      // A store into a page holding code: the hart drops what it overlaps;
      // if that was a translation, leave after the store (this function may
      // be stale now).
      const after = bailAfter(inst, restCyc, restN);
      out.push(
        `${load.view}[${at}] = ${s.rs2}; hits++;`,
        `if (codeMark[off >>> 12] !== 0 && codeStore(off) !== 0) ${after}`,
      );
    }
    return false;
  }
  if (FP_OPS.has(op)) {
    emitFp(inst, restCyc, restN, out);
    return false;
  }
  if (ATOMIC_OPS.has(op)) {
    emitAmo(inst, restCyc, restN, out);
    return false;
  }
  out.push(bail(off, restCyc, restN));
  return true;
}

/** The instructions of the segment starting at head `h` (up to the next head, a block end or its page's end). */
function segmentOf(sc: Scan, h: number): Inst[] {
  const seg: Inst[] = [];
  let o = h;
  for (;;) {
    const inst = sc.insts.get(o);
    if (inst === undefined) break;
    seg.push(inst);
    if (endsBlock(inst.w & 0x7f)) break;
    o += inst.len;
    if (sc.heads.has(o) || (o & -4096) !== inst.pg) break;
  }
  return seg;
}

/**
 * Emits the instructions of `seg` (without its budget check), copying the
 * segments it chains to (`c`); returns the worst cycles and count of the
 * segment and its copies, which the check before it must cover.
 */
function segmentBody(u: Unit, seg: Inst[], out: string[], c: Chain): { cyc: number; n: number } {
  let total = 0;
  for (const i of seg) total += i.w >>> 24;
  const lastOp = seg[seg.length - 1].w & 0x7f;
  const worst = total + (BRANCHES.has(lastOp) ? u.env.takenCost : 0);
  out.push(`dc += ${total}; n += ${seg.length};`);
  let rest = total;
  let ended = false;
  for (let k = 0; k < seg.length; k++) {
    const inst = seg[k];
    ended = emitInstruction(u, inst, rest, seg.length - k, out, c);
    rest -= inst.w >>> 24;
  }
  if (!ended) {
    const last = seg[seg.length - 1];
    out.push(jumpTo(u, last.off + last.len, last.pg, c));
  }
  return { cyc: worst + c.cyc, n: seg.length + c.n };
}

/**
 * Emits `seg` with the budget check that covers it and the segments copied
 * into it (chain `c`, whose path holds `seg`).
 */
function checkedSegment(u: Unit, seg: Inst[], out: string[], c: Chain): void {
  const h = seg[0].off;
  const body: string[] = [];
  const w = segmentBody(u, seg, body, c);
  out.push(
    `if (dc + ${w.cyc} >= room || n + ${w.n} >= lim) { pc = ${h}; break loop; }`,
    ...body,
  );
}

/** Emits one segment's case. */
function emitSegment(u: Unit, seg: Inst[], out: string[]) {
  out.push(`case ${u.index.get(seg[0].off)}:`);
  const h = seg[0].off;
  checkedSegment(u, seg, out, { path: [h], left: CHAIN_INSTS, cyc: 0, n: 0, ret: -1, tail: false });
}

/**
 * The order in which segments' cases are written (and so get the unit's
 * budget of copies): loop heads (targets of a static jump or branch from
 * an instruction at or after them on their page) first, then the others,
 * each in address order.
 */
function copyOrder(segments: readonly Inst[][]): number[] {
  const loops = new Set<number>();
  for (const seg of segments) {
    const last = seg[seg.length - 1];
    const op = last.w & 0x7f;
    if (!hasTarget(op)) continue;
    const t = last.off + last.imm;
    if (t <= last.off && (t & -4096) === last.pg) loops.add(t);
  }
  const order = segments.map((_, i) => i);
  const rank = (i: number) => (loops.has(segments[i][0].off) ? 0 : 1);
  return order.sort((a, b) => rank(a) - rank(b) || a - b);
}

/**
 * The source of a page function for `sc`; `pages` maps each relative page
 * base of the unit to its RAM page (0: the primary page).
 */
export function emitUnit(
  sc: Scan,
  env: EmitEnv,
  pages: ReadonlyMap<number, number>,
): UnitSource {
  const sorted = [...sc.heads].sort((a, b) => a - b);
  const segments = sorted.map((h) => segmentOf(sc, h)).filter((seg) => seg.length > 0);
  const index = new Map(segments.map((seg, i) => [seg[0].off, i]));
  const dyn = segments.length;
  const u: Unit = {
    sc,
    env,
    pages,
    phys: [...pages.values()],
    linked: pages.size > 1,
    index,
    dyn,
    segs: segments,
    inlineLeft: Math.max(16, sc.insts.size >> 2),
    found: new Set(),
  };
  const out: string[] = [];
  const cases: string[][] = [];
  for (const si of copyOrder(segments)) {
    const c: string[] = [];
    emitSegment(u, segments[si], c);
    // Falling through to the next case is the same as dispatching to it.
    if (c[c.length - 1] === `bi = ${si + 1}; continue loop;`) c.pop();
    cases[si] = c;
  }
  for (const c of cases) out.push(...c);
  // The dispatch on the pc: at entry, after an indirect jump or a resumed
  // ecall; through a table (HX, by halfword, -1: no head) in the primary
  // page, through a switch in the others.
  out.push(
    `case ${dyn}:`,
    `if ((pc >>> 12) === 0) { ${LOOKUP} }`,
  );
  if (u.linked) {
    out.push("switch (pc >> 1) {");
    for (const [h, i] of index) {
      if (h < 0 || h >= 4096) out.push(`case ${h >> 1}: bi = ${i}; continue loop;`);
    }
    out.push("}");
  }
  out.push("break loop;");
  // Going on after a thread switch at an ecall.
  out.push(`case ${dyn + 1}:`, `${switchTo(u)} break loop;`);
  return assembleUnit(out, u);
}
