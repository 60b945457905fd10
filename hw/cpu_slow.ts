/**
 * The hart outside its fast loop: trap entry, interrupts, fetch misses,
 * WFI and the decoded-code cache, as functions over the plain hart state
 * (`hw/hart_state.ts`).
 *
 * - code cache: `invalidateOffsets` (ranges, `Ram.onWrite`),
 *   `invalidateAllCode` (FENCE.I), `codeWritten` (a guest store into a page
 *   holding decoded code);
 * - `fetchMiss`: the pc left the cached page and the fetch TLB missed;
 * - `trap` / `exception` / `pendingInterrupt`: the one trap entry;
 * - `advance` / `chargeWalks`: moving the clock from the slow path.
 *
 * @module
 */

import { ACCESS } from "./mmu.ts";
import { CAUSE, CAUSE_INTERRUPT, MSTATUS, MSTATUS_MPP_SHIFT } from "./csr.ts";
import {
  type HartState,
  M_MODE,
  NO_PAGE,
  PAGE_OPS_LEN,
  S_MODE,
  StopReason,
  U_MODE,
} from "./hart_state.ts";

/** Picks the highest-priority interrupt in `bits` (MEI, MSI, MTI, SEI, SSI, STI). */
function pickInterrupt(bits: number): number {
  if (bits & (1 << 11)) return 11;
  if (bits & (1 << 3)) return 3;
  if (bits & (1 << 7)) return 7;
  if (bits & (1 << 9)) return 9;
  if (bits & (1 << 1)) return 1;
  return 5;
}

/** Drops decoded (and translated) code of RAM offsets `[off, off + length)`. */
export function invalidateOffsets(s: HartState, off: number, length: number): void {
  // A write within one page that holds no decoded code (a small copy into a
  // guest buffer by the kernel, nearly every one) has nothing to drop.
  const first = off >>> 12;
  if (off >= 0 && length > 0 && ((off + length - 1) >>> 12) === first && s.codeMark[first] === 0) {
    return;
  }
  invalidateRange(s, off, length);
}

/** {@link invalidateOffsets} of any range: page by page. */
function invalidateRange(s: HartState, off: number, length: number): void {
  const size = s.ram.size;
  let start = off < 0 ? 0 : off;
  const end = Math.min(off + length, size);
  const mark = s.codeMark;
  while (start < end) {
    const page = start >>> 12;
    const pageEnd = Math.min((page + 1) * 4096, end);
    if (mark[page] !== 0) {
      s.translator?.rangeWritten(page, start & 0xfff, pageEnd - (page << 12));
      const ops = s.codePages[page]!;
      // Slots are per halfword; a 32-bit instruction starting 2 bytes
      // before the range overlaps it too.
      ops.fill(0, Math.max(0, (start & 0xffe) - 2), ((pageEnd - 1) & 0xffe) + 2);
    }
    start = pageEnd;
  }
}

/** Drops every decoded and translated instruction (FENCE.I). */
export function invalidateAllCode(s: HartState): void {
  const mark = s.codeMark;
  for (let p = 0; p < mark.length; p++) if (mark[p] !== 0) s.codePages[p]!.fill(0);
  s.translator?.dropAll();
}

/** Slot invalidation for a guest store into a page that holds decoded code. */
export function codeWritten(s: HartState, off: number): number {
  const ops = s.codePages[off >>> 12]!;
  const h = off & 0xffe;
  ops[h] = 0;
  if (h >= 2) ops[h - 2] = 0;
  if (h < 0xffe) ops[h + 2] = 0;
  return s.translator !== null ? s.translator.stored(off) : 0;
}

/** Moves the clock `cycles` forward, firing events only if one comes due. */
export function advance(s: HartState, cycles: number): void {
  const clock = s.clock;
  const t = clock.now + cycles;
  if (t >= clock.nextEventAt) clock.advanceTo(t);
  else clock.now = t;
}

/**
 * Moves the clock to the inner loop's (or a page function's) cycle count,
 * which they leave in `s.jitIo[1]` (read here, not passed: past 2^30 a
 * cycle count passed to a call V8 does not inline is boxed), firing events
 * only when one is due.
 */
export function clockToLoop(s: HartState): void {
  const clock = s.clock;
  const cyc = s.jitIo[1];
  if (cyc >= clock.nextEventAt) clock.advanceTo(cyc);
  else clock.now = cyc;
}

/** The most cycles {@link roomBefore} gives: 2^30 - 1, so that a count below it plus one instruction's stays a small integer. */
export const ROOM_CAP = 0x3fff_ffff;

/**
 * The room from count `c0` to the limit `nextAt`, as a small integer
 * capped at {@link ROOM_CAP} (0 when it is reached): the cycles before the
 * next clock event, or (in the inner loop) the instructions before the
 * step limit. The inner loop and page functions add each instruction's
 * cost to a small integer and compare it with this, where a double count
 * cost V8 a safe-integer check and conversions on every instruction; past
 * the cap they leave early and are entered again. (The cap is a literal
 * here: a module constant costs a load and a hole check in optimized code.)
 */
export function roomBefore(nextAt: number, c0: number): number {
  // Without branches: every operation runs on every call, so V8 has type
  // feedback for all of them whatever the first calls' values were.
  return Math.max(0, Math.min(nextAt - c0, 0x3fff_ffff)) | 0;
}

/** Moves the clock by the cycles of the MMU's page-table walks since the last charge. */
export function chargeWalks(s: HartState): void {
  const c = s.mmu.walkCycles;
  if (c !== 0) {
    s.mmu.walkCycles = 0;
    advance(s, c);
  }
}

/**
 * The pc left the cached page and the TLB had no usable entry: translate,
 * set up the decoded page, or take the fetch exception. Returns 0 when the
 * page is ready, 1 after a trap, 2 after a trap to S under hostSupervisor.
 */
export function fetchMiss(s: HartState): number {
  const pc = s.pc;
  let cause = -1;
  let off = 0;
  if ((pc & 1) !== 0) {
    cause = CAUSE.MISALIGNED_FETCH;
  } else {
    const pa = s.mmu.translate(pc, ACCESS.FETCH, s.priv);
    if (pa < 0) {
      cause = ~pa;
    } else {
      off = pa - s.ram.base;
      if (off < 0 || off + 2 > s.ram.size) cause = CAUSE.FETCH_ACCESS;
    }
  }
  if (cause >= 0) return exception(s, cause, pc, false) ? 2 : 1;
  const pmp = s.pmp;
  if (pmp.active && !pmp.check((off & ~0xfff) + s.ram.base, 4096, ACCESS.FETCH, s.priv)) {
    s.fetchStep = true;
  }
  const page = off >>> 12;
  let ops = s.codePages[page];
  if (ops === null) {
    ops = new Int32Array(PAGE_OPS_LEN);
    s.codePages[page] = ops;
    s.codeMark[page] = 1;
  }
  s.fVa = pc & -4096;
  s.fOps = ops;
  s.fHalf = (off & ~0xfff) >> 1;
  return 0;
}

/** Highest-priority pending and enabled interrupt, or -1. */
export function pendingInterrupt(s: HartState): number {
  const pend = s.mip & s.mie;
  if (pend === 0) return -1;
  const priv = s.priv;
  const st = s.mstatus;
  const mBits = priv < M_MODE || (st & MSTATUS.MIE) !== 0 ? pend & ~s.mideleg : 0;
  if (mBits !== 0) return pickInterrupt(mBits);
  const sBits = priv < S_MODE || (priv === S_MODE && (st & MSTATUS.SIE) !== 0)
    ? pend & s.mideleg
    : 0;
  if (sBits !== 0) return pickInterrupt(sBits);
  return -1;
}

/** Raises a synchronous exception for the current instruction (which does not retire). */
export function exception(
  s: HartState,
  cause: number,
  tval: number,
  retiredCounted = true,
): boolean {
  if (retiredCounted) s.instret--;
  return trap(s, cause, false, tval);
}

/**
 * Architectural trap entry with epc = this.pc. Returns true when the trap
 * went to S-mode and the host kernel is the supervisor.
 */
export function trap(s: HartState, code: number, interrupt: boolean, tval: number): boolean {
  s.reservation = -1;
  s.fVa = NO_PAGE;
  const priv = s.priv;
  const deleg = priv !== M_MODE &&
    (((interrupt ? s.mideleg : s.medeleg) >>> code) & 1) !== 0;
  const cause = interrupt ? (code | CAUSE_INTERRUPT) >>> 0 : code;
  let st = s.mstatus;
  if (deleg) {
    s.scause = cause;
    s.sepc = s.pc;
    s.stval = tval >>> 0;
    st = priv === S_MODE ? st | MSTATUS.SPP : st & ~MSTATUS.SPP;
    st = (st & MSTATUS.SIE) !== 0 ? st | MSTATUS.SPIE : st & ~MSTATUS.SPIE;
    st &= ~MSTATUS.SIE;
    s.priv = S_MODE;
    const vec = s.stvec;
    s.pc = ((vec & ~3) + (interrupt && (vec & 1) !== 0 ? 4 * code : 0)) >>> 0;
  } else {
    s.mcause = cause;
    s.mepc = s.pc;
    s.mtval = tval >>> 0;
    st = (st & ~MSTATUS.MPP) | (priv << MSTATUS_MPP_SHIFT);
    st = (st & MSTATUS.MIE) !== 0 ? st | MSTATUS.MPIE : st & ~MSTATUS.MPIE;
    st &= ~MSTATUS.MIE;
    s.priv = M_MODE;
    const vec = s.mtvec;
    s.pc = ((vec & ~3) + (interrupt && (vec & 1) !== 0 ? 4 * code : 0)) >>> 0;
  }
  s.mstatus = st >>> 0;
  advance(s, s.trapCost);
  if (s.trapObserver !== null) s.trapObserver(cause, s.priv);
  return deleg && s.hostSupervisor;
}

/**
 * Whether a U-mode `ecall` may go to the host's `ecallHook` in place (from
 * the inner loop or a page function): a hook is set, the host is the
 * supervisor and user ecalls are delegated to S-mode.
 */
export function fastEcallAllowed(s: HartState): boolean {
  // U_MODE is 0 and CAUSE.USER_ECALL 8 (literals: see sretState).
  return s.ecallHook !== null && s.priv === 0 && s.hostSupervisor && (s.medeleg & 0x100) !== 0;
}

/**
 * The fast ecall of the inner loop: time moves to the cycle count in
 * `s.jitIo[1]` (not an argument: past 2^30 a cycle count passed to a call
 * V8 does not inline is boxed as a heap number), the trap enters at the
 * ecall's `pc` (it does not retire: the caller has synced `instret` and the
 * TLB hits up to it), then the host's hook runs. Unless the hook resumed,
 * `runStop` and `runCount` (`n`) are set for `run` and the caller leaves
 * without writing its state back. Returns the hook's `EcallOutcome`.
 */
export function hostEcall(s: HartState, pc: number, n: number): number {
  ecallEnter(s, pc);
  return ecallOutcome(s, s.ecallHook!(), n);
}

/**
 * {@link hostEcall} for translated code (`hw/jit_ecall.ts`). The hook is
 * called through `Function.prototype.call`, whose feedback names no
 * target, so V8 does not inline the host's handler here. Inlined, that
 * handler would take this function's optimized code past V8's inlining
 * budget for one function (920 bytes of bytecode), and the page functions
 * that make system calls would then call this function instead of
 * inlining it. Whether they did depended on the order of V8's compiles,
 * which made getpid's time per call differ from one process to another.
 */
export function jitHostEcall(s: HartState, pc: number, n: number): number {
  ecallEnter(s, pc);
  return ecallOutcome(s, s.ecallHook!.call(undefined), n);
}

/** The trap entry of {@link hostEcall}: the clock and the state changes. */
function ecallEnter(s: HartState, pc: number): void {
  const clock = s.clock;
  const at = s.jitIo[1] + s.trapCost;
  if (at < clock.nextEventAt && s.trapObserver === null) {
    // No event before the trap entry's cost is paid and no observer: the
    // clock moves once, to where the two steps below would take it.
    clock.now = at;
    userEcallState(s, pc >>> 0);
  } else {
    clockToLoop(s);
    userEcallEntry(s, pc >>> 0);
  }
}

/** The hook's `outcome`, and unless it resumed, the state `run` reads (`n`: the run's count). */
function ecallOutcome(s: HartState, outcome: number, n: number): number {
  // Literals for EcallOutcome.RESUMED (1), .SERVICED (2) and StopReason.SERVICED
  // (4), .HOST_TRAP (1): see sretState.
  if (outcome !== 1) {
    s.runStop = outcome === 2 ? 4 : 1;
    s.runCount = n;
  }
  return outcome;
}

/**
 * `trap` for a U-mode ecall delegated to S-mode, as `fastEcallAllowed`
 * guarantees: the same state changes without the cause, delegation and
 * vector arithmetic of the general entry. Its constants are literals (see
 * `sretState`): NO_PAGE 1, CAUSE.USER_ECALL 8, S_MODE 1, and the mstatus
 * bits SPP 0x100, SPIE 0x20, SIE 0x2.
 */
function userEcallEntry(s: HartState, pc: number): void {
  userEcallState(s, pc);
  advance(s, s.trapCost);
  if (s.trapObserver !== null) s.trapObserver(8, 1);
}

/** The state changes of {@link userEcallEntry}, without its cost and observer. */
function userEcallState(s: HartState, pc: number): void {
  s.reservation = -1;
  s.fVa = 1; // NO_PAGE
  s.scause = 8; // CAUSE.USER_ECALL
  s.sepc = pc;
  s.stval = 0;
  // From U: SPP = 0, SPIE = SIE (bit 1 moved to bit 5), SIE = 0.
  const st = s.mstatus;
  s.mstatus = ((st & ~0x122) | ((st & 0x2) << 4)) >>> 0;
  s.priv = 1; // S_MODE
  s.pc = (s.stvec & ~3) >>> 0;
}

/**
 * SRET: priv = SPP, SIE = SPIE, SPIE = 1, SPP = U, pc = sepc (the host's and the guest's).
 * The masks are literals (SPP bit 8, SPIE bit 5, SIE bit 1, MPRV bit 17; S_MODE
 * 1, U_MODE 0): a module constant costs a context load and a hole check in
 * optimized code, and an object constant such as `MSTATUS.SPP` a map check and
 * a field load besides, on every system call's return.
 */
export function sretState(s: HartState): void {
  const st = s.mstatus;
  s.priv = (st >>> 8) & 1; // SPP: 1 = S_MODE, 0 = U_MODE
  // SIE = SPIE (bit 5 to bit 1), SPIE = 1, SPP = 0, MPRV = 0.
  s.mstatus = (((st & ~(0x100 | 0x20000 | 0x2)) | 0x20) | ((st & 0x20) >>> 4)) >>> 0;
  s.pc = s.sepc;
  s.reservation = -1;
}

/** Effective privilege of loads and stores (MPRV). */
export function dataPriv(s: HartState): number {
  const st = s.mstatus;
  return s.priv === M_MODE && (st & MSTATUS.MPRV) !== 0 ? (st >>> MSTATUS_MPP_SHIFT) & 3 : s.priv;
}

/** A conditional branch of the slow path: taken to pc + imm, else to pc + len. */
export function branch(s: HartState, taken: boolean, imm: number, len: number): number {
  const pc = s.pc;
  if (!taken) {
    s.pc = (pc + len) >>> 0;
    return -1;
  }
  s.pc = (pc + imm) >>> 0;
  advance(s, s.costs.branchTaken);
  return -1;
}

/** HOST_TRAP when a trap went to the host supervisor, else -1 (go on). */
export function stopIf(hostTrap: boolean): number {
  return hostTrap ? StopReason.HOST_TRAP : -1;
}

/** Raises an illegal-instruction exception with tval `bits`. */
export function illegal(s: HartState, bits: number): number {
  return stopIf(exception(s, CAUSE.ILLEGAL_INSTRUCTION, bits));
}

/** Translates a data address; returns the physical address or ~cause. */
export function translateData(s: HartState, va: number, access: number): number {
  return s.mmu.translate(va, access, dataPriv(s));
}

/** Raises the exception of the last faulting data access. */
export function faultTrap(s: HartState): number {
  return stopIf(exception(s, s.data.fault, s.data.faultVa));
}

/** WFI: completes at once with an interrupt pending, else sleeps to the next clock event. */
export function wfi(s: HartState): number {
  const priv = s.priv;
  if (priv === U_MODE || (priv !== M_MODE && (s.mstatus & MSTATUS.TW) !== 0)) {
    return illegal(s, 0x10500073);
  }
  if ((s.mip & s.mie) !== 0) {
    s.pc = (s.pc + s.ilen) >>> 0;
    return -1;
  }
  // Sleep until the next event; stay on the wfi (not retired) unless it woke us.
  if (!s.clock.advanceToNextEvent()) {
    s.pc = (s.pc + s.ilen) >>> 0;
    return StopReason.WFI;
  }
  if ((s.mip & s.mie) !== 0) s.pc = (s.pc + s.ilen) >>> 0;
  else s.instret--;
  return -1;
}
