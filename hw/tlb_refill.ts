/**
 * TLB refills inside the inner loop (`hw/cpu_fast.ts`): a load or store
 * whose TLB lookup missed walks the page table here and the loop runs the
 * instruction again, instead of leaving for the slow path and entering
 * again (about 600 host instructions each way). A fork meets a dozen
 * misses: the child's new ASID and the parent's copy-on-write flush empty
 * its TLB. (Page functions leave on a miss, and the inner loop refills.)
 *
 * A refill does exactly the slow path's translation (`Mmu.translate`: the
 * walk, its A and D updates, the fill, the miss count) and hands the walk's
 * cycles to the loop, which counts them where the slow path would have
 * moved the clock. It declines (-1) whenever the slow path must run the
 * access: a misaligned access, a page or access fault, a page that is not
 * RAM or that the PMP allows only in part (no TLB fill), or armed debug
 * triggers. A declined refill leaves no trace: the miss count and walk
 * cycles are put back, so the slow path's own walk counts once, as it
 * always did (the walk's other effects, A and D bits, it makes anyway).
 *
 * - {@link refillData}: one access at a known TLB slot;
 * - {@link refillAccess}: the loop's, for the instruction it left on.
 *
 * @module
 */

import type { HartState } from "./hart_state.ts";
import { ACCESS, TLB_MASK } from "./mmu.ts";
import { OP } from "./decode.ts";

/**
 * Refills the data TLB for an aligned access of kind `access` (`ACCESS.LOAD`
 * or `ACCESS.STORE`) to `va` at effective privilege `priv`, whose lookup
 * missed at slot `ti`.
 *
 * @param s the hart
 * @param va the virtual address
 * @param access `ACCESS.LOAD` or `ACCESS.STORE`
 * @param priv the effective privilege of data accesses
 * @param ti the TLB slot the lookup used
 * @returns the walk's cycles when slot `ti` now maps `va`, or -1 when the
 *   slow path must run the access (nothing changed)
 * @example
 * ```ts ignore
 * const c = refillData(s, va, ACCESS.LOAD, dataPriv, ti);
 * if (c >= 0) dc += c; // and run the load again: it hits
 * ```
 */
export function refillData(
  s: HartState,
  va: number,
  access: number,
  priv: number,
  ti: number,
): number {
  if (s.triggers.armed) return -1;
  const mmu = s.mmu;
  const misses = mmu.misses;
  const walked = mmu.walkCycles;
  mmu.translate(va, access, priv);
  const c = mmu.walkCycles - walked;
  mmu.walkCycles = walked;
  if (mmu.tags[ti] !== (((va >>> 12) << 9) | mmu.asid)) {
    mmu.misses = misses;
    return -1;
  }
  return c;
}

/** log2 of the width of each integer load and store, by decoded op (-1: none). */
const WIDTH_LOG = new Int8Array(128).fill(-1);
WIDTH_LOG[OP.LW] = WIDTH_LOG[OP.SW] = 2;
WIDTH_LOG[OP.LH] = WIDTH_LOG[OP.LHU] = WIDTH_LOG[OP.SH] = 1;
WIDTH_LOG[OP.LB] = WIDTH_LOG[OP.LBU] = WIDTH_LOG[OP.SB] = 0;

/**
 * The inner loop's refill for the instruction it left on (decoded word `w`,
 * immediate `imm`): an aligned integer load or store whose TLB lookup
 * missed, refilled as {@link refillData} at data privilege `priv`, with the
 * loop's TLB table bases `ldBase` and `stBase`.
 *
 * @param s the hart
 * @param w the decoded word the loop left on
 * @param imm its immediate
 * @param priv the effective privilege of data accesses
 * @param ldBase the load table's base in the TLB
 * @param stBase the store table's base in the TLB
 * @returns the walk's cycles when the access now hits, or -1 when the slow
 *   path must run it (another instruction, a misaligned access, or a
 *   declined refill; nothing changed)
 * @example
 * ```ts ignore
 * const c = refillAccess(s, slow, slowImm, dataPriv, ldBase, stBase);
 * if (c >= 0) dc += c; // and run the instruction again
 * ```
 */
export function refillAccess(
  s: HartState,
  w: number,
  imm: number,
  priv: number,
  ldBase: number,
  stBase: number,
): number {
  const op = w & 0x7f;
  const shift = WIDTH_LOG[op];
  if (shift < 0) return -1;
  const va = (s.regs[(w >> 14) & 31] + imm) | 0;
  if ((va & ((1 << shift) - 1)) !== 0) return -1;
  const store = op === OP.SW || op === OP.SH || op === OP.SB;
  const ti = (store ? stBase : ldBase) + (((va >>> 12) ^ s.mmu.asidHash) & TLB_MASK);
  const c = refillData(s, va, store ? ACCESS.STORE : ACCESS.LOAD, priv, ti);
  if (c >= 0) s.loopRefills++;
  return c;
}
