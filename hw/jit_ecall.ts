/**
 * The fast ecall from translated code (`jitEcall`): a page function of the
 * translator (`hw/translator.ts`) that reaches a U-mode `ecall` calls this
 * instead of returning to the interpreter. It runs the inner loop's fast
 * ecall (`hostEcall` of `hw/cpu_slow.ts`: the architectural trap entry,
 * then the host's `ecallHook`) and tells the page function whether it may
 * go on in the same page, must leave, or must stop without writing back.
 *
 * The page function passes the cycle count in `s.jitIo[1]`. Results
 * besides the return value are in `s.jitIo`: `[0]` the next pc, `[1]` the
 * cycle count, `[3]` the next event time, `[4]` set when the
 * inner loop must leave to `run` (an interrupt, a halt, an event, the
 * instruction limit, a dropped translation or another page: 1; a TLB flush:
 * 2, the fetch page is looked up again; a switch of threads by the host, that
 * is another register file bound, with nothing else to stop for: 3, the
 * inner loop goes on with the new registers, ASID and a fresh budget).
 *
 * @module
 */

import type { HartState } from "./hart_state.ts";
import { fastEcallAllowed, hostEcall } from "./cpu_slow.ts";

/** `jitEcall` declined: the page function leaves before the ecall and the interpreter runs it. */
export const JIT_ECALL_DECLINED = -1;
/** The host wants control: the page function returns at once, registers already stored. */
export const JIT_ECALL_STOP = -2;
/** Resumed: the page function goes on at `jitIo[0]`. */
export const JIT_ECALL_GO_ON = 0;
/** Resumed, but the inner loop must leave to `run` (see `jitIo[4]`). */
export const JIT_ECALL_LEAVE = 1;

/**
 * The `ecall` at virtual `pc` of a page function, counted in the cycle
 * count (in `s.jitIo[1]`) and `n` (instruction count of the run, the ecall
 * included); `hits` are the page function's TLB hits not yet added; `lim`
 * is the run's instruction limit. The guest registers are already stored
 * in `s.regs`.
 */
export function jitEcall(s: HartState, pc: number, n: number, hits: number, lim: number): number {
  if (!fastEcallAllowed(s)) return -1; // JIT_ECALL_DECLINED
  // As the inner loop: the ecall does not retire, the trap entry follows.
  s.instret += n - s.jitBase - 1;
  s.jitBase = n;
  const mmu = s.mmu;
  mmu.hits += hits;
  const flushes = mmu.flushes;
  const tr = s.translator!;
  tr.ecalls++;
  const drops = tr.drops;
  const io = s.jitIo;
  const regs = s.regs;
  // EcallOutcome.RESUMED is 1 (literals here: a module constant costs a load
  // and a hole check in optimized code).
  if (hostEcall(s, pc, n) !== 1) return -2; // JIT_ECALL_STOP
  const clock = s.clock;
  const now = clock.now;
  const nextAt = clock.nextEventAt;
  io[0] = s.pc | 0;
  io[1] = now;
  io[3] = nextAt;
  const stop = (s.mip & s.mie) !== 0 || s.halt || now >= nextAt || n >= lim ||
    tr.drops !== drops;
  if (s.regs !== regs) {
    // The host switched threads (another register file and address
    // space): 3, the inner loop goes on with them, or 2 when it must leave.
    io[4] = stop ? 2 : 3;
    return 1; // JIT_ECALL_LEAVE
  }
  if (stop || mmu.flushes !== flushes || ((s.pc ^ pc) & -4096) !== 0) {
    // 2: the host flushed translations, the fetch page must be looked up again.
    io[4] = mmu.flushes !== flushes ? 2 : 1;
    return 1; // JIT_ECALL_LEAVE
  }
  return 0; // JIT_ECALL_GO_ON
}
