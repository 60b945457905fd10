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
 * @module
 */

import type { HartState } from "./hart_state.ts";
import { ACCESS, TLB_MASK } from "./mmu.ts";
import { OP } from "./decode.ts";
import { LOAD_OPS, STORE_OPS } from "./cpu_ops.ts";

/**
 * Per decoded op: for each integer load and store of the op table
 * (`hw/cpu_ops.ts`), log2 of its width plus 1, negated for a store; 0 for
 * any other op.
 */
const ACCESS_OF = new Int8Array(128);
for (const m of LOAD_OPS) ACCESS_OF[OP[m.name as keyof typeof OP]] = m.shift + 1;
for (const m of STORE_OPS) ACCESS_OF[OP[m.name as keyof typeof OP]] = -(m.shift + 1);

/**
 * The inner loop's refill for the instruction it left on (decoded word `w`,
 * immediate `imm`): an aligned integer load or store whose TLB lookup
 * missed, translated at data privilege `priv` into the loop's load or store
 * table (bases `ldBase` and `stBase`).
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
 * if (c >= 0) dc += c; // and run the instruction again: it hits
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
  const kind = ACCESS_OF[w & 0x7f];
  if (kind === 0 || s.triggers.armed) return -1;
  const store = kind < 0;
  const va = (s.regs[(w >> 14) & 31] + imm) | 0;
  if ((va & ((1 << ((store ? -kind : kind) - 1)) - 1)) !== 0) return -1;
  const mmu = s.mmu;
  const ti = (store ? stBase : ldBase) + (((va >>> 12) ^ mmu.asidHash) & TLB_MASK);
  const misses = mmu.misses;
  const walked = mmu.walkCycles;
  mmu.translate(va, store ? ACCESS.STORE : ACCESS.LOAD, priv);
  const c = mmu.walkCycles - walked;
  mmu.walkCycles = walked;
  if (mmu.tags[ti] !== (((va >>> 12) << 9) | mmu.asid)) {
    mmu.misses = misses;
    return -1;
  }
  s.loopRefills++;
  return c;
}
