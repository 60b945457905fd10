/**
 * The fast ecall from translated code (`jitEcall`): a page function of the
 * translator (`hw/translator.ts`) that reaches a U-mode `ecall` calls this
 * instead of returning to the interpreter. It runs the inner loop's fast
 * ecall (`jitHostEcall` of `hw/cpu_slow.ts`, the same as the loop's
 * `hostEcall`: the architectural trap entry, then the host's `ecallHook`)
 * and tells the page function whether it may
 * go on in the same page, must leave, or must stop without writing back.
 *
 * The page function passes the cycle count in `s.jitIo[1]`. Results
 * besides the return value are in `s.jitIo`: `[0]` the next pc, `[1]` the
 * cycle count, `[3]` the next event time, `[4]` two flags
 * for the inner loop after the page function returns: bit 0, leave to
 * `run` (an interrupt, a halt, an event, the instruction limit, a dropped
 * translation); bit 1, look the fetch page up again (a TLB flush). With
 * neither, the call resumed on another page, which the loop looks up as
 * after its own ecall. (For a switch of threads, see below.)
 *
 * A thread switch returns `JIT_ECALL_SWITCH`: the page function takes the
 * new thread's registers from the hart, the ASID tag and hash from `[9]`
 * and `[10]`, and a fresh budget (`s.jitBase` 0, its count from 0, as the
 * inner loop does), and sets nothing but `[11]`, which tells the inner loop
 * to rebind too when the function returns. With `[4]` 0 it goes on at the
 * new thread's pc when that is in the unit and mapped to the same RAM page,
 * else returns with `[4]` 2 (the inner loop looks that pc up and goes on);
 * with 3 (an interrupt, event, halt or limit, FP off, or every 64th
 * switch, the translator's `switches` counting them) it returns and the
 * inner loop leaves to `run`. (The inner loop's own switches leave every eighth time, so that a
 * ping-pong does not keep one call of it running in on-stack-replacement
 * code; while a page function goes on through switches, the inner loop
 * waits in its call, and the page function leaves often enough to be
 * entered afresh: `tests/bench/late_clock_alloc_test.ts` finds no boxed
 * cycle counts past 2^32.)
 *
 * @module
 */

import type { HartState } from "./hart_state.ts";
import { fastEcallAllowed, jitHostEcall } from "./cpu_slow.ts";

/** `jitEcall` declined: the page function leaves before the ecall and the interpreter runs it. */
export const JIT_ECALL_DECLINED = -1;
/** The host wants control: the page function returns at once, registers already stored. */
export const JIT_ECALL_STOP = -2;
/** Resumed: the page function goes on at `jitIo[0]`. */
export const JIT_ECALL_GO_ON = 0;
/** Resumed, but the inner loop must leave to `run` (see `jitIo[4]`). */
export const JIT_ECALL_LEAVE = 1;
/** Resumed in another thread: the page function rebinds, then goes on at `jitIo[0]` or leaves (`jitIo[4]`). */
export const JIT_ECALL_SWITCH = 2;

/**
 * The `ecall` at virtual `pc` of a page function, counted in the cycle
 * count (in `s.jitIo[1]`) and `n` (instruction count of the run, the ecall
 * included); `hits` are the page function's TLB hits not yet added; `lim`
 * is the run's instruction limit. The guest registers are already stored
 * in `s.regs`.
 *
 * Keep it small: page functions inline it only while its bytecode is under
 * V8's limit for inlining (460 bytes; it is 443). At 462 they called it,
 * and a `sched_yield` took 5 % more host instructions.
 */
export function jitEcall(s: HartState, pc: number, n: number, hits: number, lim: number): number {
  if (!fastEcallAllowed(s)) return -1; // JIT_ECALL_DECLINED
  // As the inner loop: the ecall does not retire, the trap entry follows.
  s.instret += n - s.jitBase - 1;
  s.jitBase = n;
  const mmu = s.mmu;
  const io = s.jitIo;
  // With the hits chained WebAssembly page functions carried.
  mmu.hits += hits + io[12];
  io[12] = 0;
  const flushes = mmu.flushes;
  const tr = s.translator!;
  tr.ecalls++;
  const drops = tr.drops;
  const regs = s.regs;
  // EcallOutcome.RESUMED is 1 (literals here: a module constant costs a load
  // and a hole check in optimized code).
  if (jitHostEcall(s, pc, n) !== 1) return -2; // JIT_ECALL_STOP
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
    // space): the page function rebinds them and goes on (`[4]` 0) or
    // leaves (3). With FP off the inner loop's FP cases would not trap.
    const c = (tr.switches + 1) & 0x3fffffff;
    tr.switches = c;
    io[4] = stop || (s.mstatus & 0x6000) === 0 /* MSTATUS.FS */ || (c & 63) === 0 ? 3 : 0;
    io[9] = mmu.asid;
    io[10] = mmu.asidHash;
    io[11] = 1;
    s.jitBase = 0;
    return 2; // JIT_ECALL_SWITCH
  }
  const flushed = mmu.flushes !== flushes;
  if (stop || flushed || ((s.pc ^ pc) & -4096) !== 0) {
    // Bit 0: the inner loop leaves to `run`; bit 1: the host flushed
    // translations, the fetch page is looked up again. Neither: the pc is
    // on another page, which the inner loop looks up (as after its own ecall).
    io[4] = (stop ? 1 : 0) | (flushed ? 2 : 0);
    return 1; // JIT_ECALL_LEAVE
  }
  return 0; // JIT_ECALL_GO_ON
}
