/**
 * The hart's inner loop (`fastLoop`): decoded instructions from the
 * per-page cache, with the state it needs in locals, inline TLB hits, and
 * page functions of the translator where a page is hot. It returns to
 * `run` (`hw/cpu_run.ts`) for everything else.
 *
 * The simple instructions' cases are generated from `hw/cpu_ops.ts`
 * (`deno task gen:cpu`).
 *
 * Longer than the project's files otherwise are, and not split: the loop is
 * one function on purpose (a call per instruction, or a second function
 * for some cases, is what it exists to avoid), and the op numbers its
 * `switch` names must be literal constants of this module for V8 to
 * compile the dispatch to a jump table.
 *
 * @module
 */

import { ACCESS, TLB_BITS, TLB_MASK } from "./mmu.ts";
import { decodeHalf } from "./decode.ts";
import { div, divu, mulh, mulhsu, mulhu, rem, remu } from "./alu.ts";
import { MENVCFGH, MSTATUS, MSTATUS_MPP_SHIFT } from "./csr.ts";
import {
  EcallOutcome,
  EMPTY_HEAT,
  FS_DIRTY,
  type HartState,
  M_MODE,
  NO_PAGE,
} from "./hart_state.ts";
import { codeWritten, fastEcallAllowed, hostEcall, roomBefore } from "./cpu_slow.ts";
import {
  ENTER_LEAVE,
  ENTER_NONE,
  ENTER_RAN,
  ENTER_STOP,
  enterPage,
  entryMap,
} from "./cpu_enter.ts";
import { refillAccess } from "./tlb_refill.ts";

/** The translator's page kinds of a hart without one. */
const NO_KIND = new Uint8Array(0);

// `slow` markers besides a decoded word (whose op bits are never 0x7f or 0x7e):
/** The pc left the cached page and the fetch TLB missed. */
export const SLOW_FETCH = -1;
/** The host's ecall hook wants control: `run` returns `runStop`. */
export const SLOW_STOP = -2;
/**
 * A page reached its heat threshold at a control point: `run` asks the
 * translator (`hotPage`: the RAM page, `slowImm`: the pc where its
 * interpreted run began) and enters the loop again. Leaving for it, rather
 * than calling the translator from the loop, keeps a call that V8's
 * optimized code of the loop has never seen out of it (reaching one
 * deoptimizes the whole loop, which V8 then compiles again).
 */
export const SLOW_HOT = -3;

// The decoded op numbers again, as literal module constants: V8 turns
// `switch` over literal-initialised local consts into a jump table, but not
// over imported bindings (measured: 2x on the hot loop). Generated from
// `OP` of ./decode.ts by tools/gen_cpu.ts (see ./cpu_ops.ts).
// <generated:op-constants>
const OP_LUI = 2;
const OP_AUIPC = 3;
const OP_JAL = 4;
const OP_JALR = 5;
const OP_BEQ = 6;
const OP_BNE = 7;
const OP_BLT = 8;
const OP_BGE = 9;
const OP_BLTU = 10;
const OP_BGEU = 11;
const OP_LB = 12;
const OP_LH = 13;
const OP_LW = 14;
const OP_LBU = 15;
const OP_LHU = 16;
const OP_SB = 17;
const OP_SH = 18;
const OP_SW = 19;
const OP_ADDI = 20;
const OP_SLTI = 21;
const OP_SLTIU = 22;
const OP_XORI = 23;
const OP_ORI = 24;
const OP_ANDI = 25;
const OP_SLLI = 26;
const OP_SRLI = 27;
const OP_SRAI = 28;
const OP_ADD = 29;
const OP_SUB = 30;
const OP_SLL = 31;
const OP_SLT = 32;
const OP_SLTU = 33;
const OP_XOR = 34;
const OP_SRL = 35;
const OP_SRA = 36;
const OP_OR = 37;
const OP_AND = 38;
const OP_MUL = 39;
const OP_MULH = 40;
const OP_MULHSU = 41;
const OP_MULHU = 42;
const OP_DIV = 43;
const OP_DIVU = 44;
const OP_REM = 45;
const OP_REMU = 46;
const OP_FENCE = 47;
const OP_ECALL = 66;
const OP_FLW = 72;
const OP_FLD = 73;
const OP_FSW = 74;
const OP_FSD = 75;
const OP_FP = 76;
const OP_FMA = 77;
const OP_FDIV = 78;
// </generated:op-constants>

// The heat of the running fastLoop (count, page, control point): in memory,
// not three locals held in registers across every instruction for a check at
// control points only (-6 % under jit on untranslated code). Were a call
// nested, only when a page gets translated would change. Doubles: a count
// may pass 2^31.
const HEAT = new Float64Array(3);
const HN = 0, HP = 1, HPC = 2;

/**
 * The inner loop: runs decoded instructions (and page functions) from
 * `s.pc` until one needs the slow path, the pc leaves the cached page and
 * the fetch TLB misses, the clock reaches its next event or the count
 * reaches `stepLimit` (a load or store that misses the data TLB is
 * refilled and run again without leaving, see `hw/tlb_refill.ts`). Leaves
 * the state in `s` (the count in `runCount`, the cycle count in `jitIo[1]`
 * for `run` to move the clock to) and returns 0, SLOW_FETCH, SLOW_STOP
 * (return `runStop` from `run`), SLOW_HOT or the decoded word of the
 * instruction the slow path must run (its immediate in `slowImm`).
 *
 * A function of its own, entered afresh after every exit, so that V8 runs
 * it as a normally optimized function and not in on-stack-replacement code
 * compiled for one long call of `run`.
 */
export function fastLoop(s: HartState, nIn: number, stepLimit: number): number {
  // The instruction count: n0 (at entry, or where a page function or a
  // thread switch left it) plus the small integer k, checked against kLim,
  // the instructions left before stepLimit (capped as the cycle room is).
  let n0 = nIn;
  let k = 0;
  let kLim = roomBefore(stepLimit, n0);
  const clock = s.clock;
  const mmu = s.mmu;
  let r = s.regs;
  const i32 = s.i32, u8 = s.u8, i8 = s.i8, u16 = s.u16, i16 = s.i16;
  const tags = mmu.tags, deltas = mmu.deltas;
  const codeMark = s.codeMark;
  const opCost = s.opCost;
  const takenCost = s.costs.branchTaken;
  const jit = s.translator;
  const jitKind = jit !== null ? jit.kind : NO_KIND;
  const heat = jit !== null ? jit.heat : EMPTY_HEAT;
  const threshold = jit !== null ? jit.threshold : 0;
  // The translator's checks run only at control points (`enter`).
  const jitOn = jit !== null;
  let enter = jitOn;
  let probe = jitOn;
  // Heat: instructions since HEAT[HN] ran on page HEAT[HP] from HEAT[HPC].
  const hs = HEAT;
  hs[HN] = n0;
  hs[HP] = 0;
  hs[HPC] = 0;
  const jio = s.jitIo;
  // Enter the fast loop with everything it needs in locals.
  const priv = s.priv;
  const st = s.mstatus;
  // The CSR fields are public: keep the MMU in step even if the host
  // assigned them directly instead of through writeCsr.
  mmu.setSumMxr((st & MSTATUS.SUM) !== 0, (st & MSTATUS.MXR) !== 0);
  mmu.adue = (s.menvcfgh & MENVCFGH.ADUE) !== 0;
  const dataPriv = priv === M_MODE && (st & MSTATUS.MPRV) !== 0
    ? (st >>> MSTATUS_MPP_SHIFT) & 3
    : priv;
  const fBase = (mmu.regimeFor(priv) * 3 + ACCESS.FETCH) << TLB_BITS;
  const dataRegime = mmu.regimeFor(dataPriv) * 3;
  const ldBase = (dataRegime + ACCESS.LOAD) << TLB_BITS;
  const stBase = (dataRegime + ACCESS.STORE) << TLB_BITS;
  let asid = mmu.asid;
  let ah = mmu.asidHash;
  let pc = s.pc | 0;
  // The cycle count: the clock's (a double) plus a small integer, checked
  // against the room before the next event (see roomBefore).
  let c0 = clock.now;
  let dc = 0;
  let nextAt = clock.nextEventAt;
  let room = roomBefore(nextAt, c0);
  // FP arithmetic runs in the loop while FS is not Off.
  const fpu = (st & MSTATUS.FS) !== 0 ? s.fpu : null;
  const fw = fpu !== null ? fpu.words : null;
  // U-mode ecalls go straight to the host's fast path (see ecallHook).
  const fastEcall = fastEcallAllowed(s);
  let fVa = s.fVa | 0; // an int32 (the field is a double: past 2^30 no small integer)
  let ops = s.fOps;
  let fHalf = s.fHalf;
  // The fetch page's entries (see entryMap), taken where fHalf changes.
  let ents = entryMap(jit, fHalf >> 11);
  // Instructions retired since the last sync of s.instret: n - nBase
  // (an instruction counts in n when it starts, as in instret).
  let nBase = n0;
  let hits = 0;
  let slow = 0;
  let slowImm = 0;
  let switches = 0;
  for (;;) {
    fast: for (;;) {
      if ((pc & -4096) !== fVa) {
        const vpn = pc >>> 12;
        const ti = fBase + ((vpn ^ ah) & TLB_MASK);
        if ((pc & 1) === 0 && tags[ti] === ((vpn << 9) | asid)) {
          const off = ((pc & -4096) + deltas[ti]) | 0;
          const page = s.codePages[off >>> 12];
          if (page !== null) {
            ops = page;
            fVa = pc & -4096;
            fHalf = off >> 1;
            ents = entryMap(jit, off >>> 12);
            hits++;
            enter = jitOn;
          } else {
            slow = SLOW_FETCH;
            break;
          }
        } else {
          slow = SLOW_FETCH;
          break;
        }
      }
      if (enter) {
        // A control point: the loop's entry, a taken branch or jump, a new
        // fetch page, a page function's return. Straight-line code between
        // two of them runs on one page, so the heat it earned is credited
        // here at once (no per-instruction cost where nothing is
        // translated), and only here can a block head be reached.
        const jp = fHalf >> 11;
        const hn = hs[HN];
        const n = n0 + k;
        if (n !== hn) {
          // (n below hn: the count started over, nothing to credit.)
          hs[HN] = n;
          if (n > hn && (heat[hs[HP] | 0] += n - hn) >= threshold) {
            // Only moves here: an operation V8's optimized code has no
            // feedback for would deoptimize the loop when it first runs.
            slow = SLOW_HOT;
            break fast;
          }
        }
        hs[HP] = jp;
        hs[HPC] = pc;
        // In a translated page every instruction is a control point (a head
        // may follow an exit or a not-taken branch); elsewhere the next
        // control point is the next jump or page change.
        const kind = jitKind[jp];
        enter = kind !== 0;
        // (Loaded at every control point, so that V8 has seen it run.)
        const entry = ents[pc & 4095];
        if ((kind !== 0 && entry === 1) || probe) {
          // The page-function entry (hw/cpu_enter.ts). At the first
          // control point of each run of the loop it is called even on a
          // page the translator does not know (kind 0: a probe that runs
          // nothing), so that this path has run before V8 optimizes the loop.
          jio[1] = c0 + dc;
          jio[3] = nextAt;
          const code = enterPage(
            s,
            jit!,
            kind,
            jp,
            pc,
            n0 + k,
            stepLimit,
            nBase,
            hits,
            fVa,
            ops,
            ldBase,
            stBase,
            asid,
            ah,
            fBase,
          );
          probe = false;
          if (code !== ENTER_NONE) {
            if (code === ENTER_STOP) return SLOW_STOP; // the host took control at an ecall
            pc = jio[0] | 0;
            c0 = jio[1];
            dc = 0;
            // A call resumed inside may have scheduled an earlier clock event.
            nextAt = clock.nextEventAt;
            room = roomBefore(nextAt, c0);
            hits = jio[2] | 0;
            fVa = jio[5] | 0;
            fHalf = jio[6] << 11;
            ents = entryMap(jit, fHalf >> 11);
            ops = s.fOps;
            n0 = s.runCount;
            k = 0;
            kLim = roomBefore(stepLimit, n0);
            hs[HN] = n0; // translated instructions earn no heat
            nBase = s.jitBase;
            // (Another thread's after a switch inside.)
            r = s.regs;
            asid = jio[9] | 0;
            ah = jio[10] | 0;
            if (code === ENTER_LEAVE) break;
            // On at the loop's head, never on to the dispatch below, where
            // the values set here would meet those of the straight path (V8
            // then moved registers on that path at every instruction). After
            // a page function ran, the pc is a control point; after a call
            // that ran nothing (ENTER_NOTHING: the probe, or a function that
            // ran no instruction), the interpreter runs the instruction there.
            enter = code === ENTER_RAN;
            continue;
          }
        }
      }
      const i = pc & 0xffe;
      let w = ops[i];
      if (w === 0) {
        decodeHalf(u16, fHalf + (i >> 1), i === 0xffe, ops, i, opCost);
        w = ops[i];
      }
      const imm = ops[i + 1];
      dc += w >>> 24;
      k++;
      switch (w & 0x7f) {
        case OP_ECALL: {
          if (!fastEcall) {
            slow = w;
            slowImm = imm;
            break fast;
          }
          // Architectural trap entry (the ecall does not retire; medeleg
          // sends it to S), then the host handles the call in place.
          const n = n0 + k;
          s.instret += n - nBase - 1;
          nBase = n;
          mmu.hits += hits;
          hits = 0;
          const flushes = mmu.flushes;
          if (((jio[1] = c0 + dc), hostEcall(s, pc, n)) !== EcallOutcome.RESUMED) {
            return SLOW_STOP; // the trap entry synced the state: no write-back
          }
          // Back in U-mode in the same address space. If the host flushed
          // translations (it changed mappings), look the fetch page up again.
          pc = s.pc | 0;
          c0 = clock.now;
          dc = 0;
          nextAt = clock.nextEventAt;
          room = roomBefore(nextAt, c0);
          if (mmu.flushes !== flushes) fVa = NO_PAGE;
          const stop = (s.mip & s.mie) !== 0 || s.halt || room === 0 || k >= kLim;
          if (s.regs !== r) {
            // The host switched threads (another register file and address
            // space): a fresh budget, as for a new `run`, and the new
            // thread's registers, ASID and fetch page. Every eighth switch
            // leaves to `run` all the same: a ping-pong of threads would
            // otherwise keep one call of this loop for thousands of
            // switches, and V8 would run it in on-stack-replacement or
            // unoptimized code that boxes the cycle count past 2^31 (about
            // 190 bytes per `sched_yield` at 2^32 cycles, measured).
            fVa = NO_PAGE;
            n0 = nBase = k = 0;
            kLim = roomBefore(stepLimit, 0);
            if (stop || (s.mstatus & MSTATUS.FS) === 0 || (++switches & 7) === 0) break fast;
            r = s.regs;
            asid = mmu.asid;
            ah = mmu.asidHash;
            continue;
          }
          if (stop) break fast;
          continue;
        }
        case OP_FENCE:
          break;
        case OP_FLD:
        case OP_FLW: {
          if (fw !== null) {
            const va = (r[(w >> 14) & 31] + imm) | 0;
            const vpn = va >>> 12;
            const ti = ldBase + ((vpn ^ ah) & TLB_MASK);
            const dbl = (w & 0x7f) === OP_FLD;
            if ((va & (dbl ? 7 : 3)) === 0 && tags[ti] === ((vpn << 9) | asid)) {
              const o = ((va + deltas[ti]) | 0) >> 2;
              const k = ((w >> 19) & 31) << 1;
              fw[k] = i32[o];
              fw[k + 1] = dbl ? i32[o + 1] : -1;
              s.mstatus = (s.mstatus | FS_DIRTY) >>> 0;
              hits++;
              break;
            }
          }
          slow = w;
          slowImm = imm;
          break fast;
        }
        case OP_FSD:
        case OP_FSW: {
          if (fw !== null) {
            const va = (r[(w >> 14) & 31] + imm) | 0;
            const vpn = va >>> 12;
            const ti = stBase + ((vpn ^ ah) & TLB_MASK);
            const dbl = (w & 0x7f) === OP_FSD;
            if ((va & (dbl ? 7 : 3)) === 0 && tags[ti] === ((vpn << 9) | asid)) {
              const off = (va + deltas[ti]) | 0;
              const k = ((w >> 19) & 31) << 1;
              i32[off >> 2] = fw[k];
              if (dbl) i32[(off >> 2) + 1] = fw[k + 1];
              if (codeMark[off >>> 12] !== 0) {
                codeWritten(s, off);
                if (dbl) codeWritten(s, off + 4);
              }
              hits++;
              break;
            }
          }
          slow = w;
          slowImm = imm;
          break fast;
        }
        case OP_FP:
        case OP_FMA:
        case OP_FDIV:
          if (fpu !== null) {
            const res = fpu.exec(imm, r);
            if (res > 0) s.mstatus = (s.mstatus | FS_DIRTY) >>> 0;
            if (res >= 0) break;
          }
          slow = w;
          slowImm = imm;
          break fast;
        // <generated:fast-cases>
        case OP_ADDI:
          r[(w >> 8) & 63] = (r[(w >> 14) & 31] + imm) | 0;
          break;
        case OP_ADD:
          r[(w >> 8) & 63] = (r[(w >> 14) & 31] + r[(w >> 19) & 31]) | 0;
          break;
        case OP_LUI:
          r[(w >> 8) & 63] = imm;
          break;
        case OP_AUIPC:
          r[(w >> 8) & 63] = (pc + imm) | 0;
          break;
        case OP_SUB:
          r[(w >> 8) & 63] = (r[(w >> 14) & 31] - r[(w >> 19) & 31]) | 0;
          break;
        case OP_SLTI:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] < imm ? 1 : 0;
          break;
        case OP_SLTIU:
          r[(w >> 8) & 63] = (r[(w >> 14) & 31] >>> 0) < (imm >>> 0) ? 1 : 0;
          break;
        case OP_XORI:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] ^ imm;
          break;
        case OP_ORI:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] | imm;
          break;
        case OP_ANDI:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] & imm;
          break;
        case OP_SLLI:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] << imm;
          break;
        case OP_SRLI:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] >>> imm;
          break;
        case OP_SRAI:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] >> imm;
          break;
        case OP_SLL:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] << r[(w >> 19) & 31];
          break;
        case OP_SLT:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] < r[(w >> 19) & 31] ? 1 : 0;
          break;
        case OP_SLTU:
          r[(w >> 8) & 63] = (r[(w >> 14) & 31] >>> 0) < (r[(w >> 19) & 31] >>> 0) ? 1 : 0;
          break;
        case OP_XOR:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] ^ r[(w >> 19) & 31];
          break;
        case OP_SRL:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] >>> r[(w >> 19) & 31];
          break;
        case OP_SRA:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] >> r[(w >> 19) & 31];
          break;
        case OP_OR:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] | r[(w >> 19) & 31];
          break;
        case OP_AND:
          r[(w >> 8) & 63] = r[(w >> 14) & 31] & r[(w >> 19) & 31];
          break;
        case OP_MUL:
          r[(w >> 8) & 63] = Math.imul(r[(w >> 14) & 31], r[(w >> 19) & 31]);
          break;
        case OP_MULH:
          r[(w >> 8) & 63] = mulh(r[(w >> 14) & 31], r[(w >> 19) & 31]);
          break;
        case OP_MULHSU:
          r[(w >> 8) & 63] = mulhsu(r[(w >> 14) & 31], r[(w >> 19) & 31]);
          break;
        case OP_MULHU:
          r[(w >> 8) & 63] = mulhu(r[(w >> 14) & 31], r[(w >> 19) & 31]);
          break;
        case OP_DIV:
          r[(w >> 8) & 63] = div(r[(w >> 14) & 31], r[(w >> 19) & 31]);
          break;
        case OP_DIVU:
          r[(w >> 8) & 63] = divu(r[(w >> 14) & 31], r[(w >> 19) & 31]);
          break;
        case OP_REM:
          r[(w >> 8) & 63] = rem(r[(w >> 14) & 31], r[(w >> 19) & 31]);
          break;
        case OP_REMU:
          r[(w >> 8) & 63] = remu(r[(w >> 14) & 31], r[(w >> 19) & 31]);
          break;
        // Jumps and taken branches set pc and go straight to the next
        // instruction (no length arithmetic). Targets are always 2-byte
        // aligned (C is on), so there is no misaligned-target check.
        case OP_JAL: {
          const t = (pc + imm) | 0;
          r[(w >> 8) & 63] = (w & 0x80) === 0 ? pc + 4 : pc + 2;
          pc = t;
          enter = jitOn;
          if (dc >= room || k >= kLim) break fast;
          continue;
        }
        case OP_JALR: {
          const t = (r[(w >> 14) & 31] + imm) & -2;
          r[(w >> 8) & 63] = (w & 0x80) === 0 ? pc + 4 : pc + 2;
          pc = t;
          enter = jitOn;
          if (dc >= room || k >= kLim) break fast;
          continue;
        }
        case OP_BEQ:
          if (r[(w >> 14) & 31] === r[(w >> 19) & 31]) {
            pc = (pc + imm) | 0;
            dc += takenCost;
            enter = jitOn;
            if (dc >= room || k >= kLim) break fast;
            continue;
          }
          break;
        case OP_BNE:
          if (r[(w >> 14) & 31] !== r[(w >> 19) & 31]) {
            pc = (pc + imm) | 0;
            dc += takenCost;
            enter = jitOn;
            if (dc >= room || k >= kLim) break fast;
            continue;
          }
          break;
        case OP_BLT:
          if (r[(w >> 14) & 31] < r[(w >> 19) & 31]) {
            pc = (pc + imm) | 0;
            dc += takenCost;
            enter = jitOn;
            if (dc >= room || k >= kLim) break fast;
            continue;
          }
          break;
        case OP_BGE:
          if (r[(w >> 14) & 31] >= r[(w >> 19) & 31]) {
            pc = (pc + imm) | 0;
            dc += takenCost;
            enter = jitOn;
            if (dc >= room || k >= kLim) break fast;
            continue;
          }
          break;
        case OP_BLTU:
          if ((r[(w >> 14) & 31] >>> 0) < (r[(w >> 19) & 31] >>> 0)) {
            pc = (pc + imm) | 0;
            dc += takenCost;
            enter = jitOn;
            if (dc >= room || k >= kLim) break fast;
            continue;
          }
          break;
        case OP_BGEU:
          if ((r[(w >> 14) & 31] >>> 0) >= (r[(w >> 19) & 31] >>> 0)) {
            pc = (pc + imm) | 0;
            dc += takenCost;
            enter = jitOn;
            if (dc >= room || k >= kLim) break fast;
            continue;
          }
          break;
        case OP_LW: {
          const va = (r[(w >> 14) & 31] + imm) | 0;
          const vpn = va >>> 12;
          const ti = ldBase + ((vpn ^ ah) & TLB_MASK);
          if ((va & 3) === 0 && tags[ti] === ((vpn << 9) | asid)) {
            r[(w >> 8) & 63] = i32[((va + deltas[ti]) | 0) >> 2];
            hits++;
            break;
          }
          slow = w;
          slowImm = imm;
          break fast;
        }
        case OP_LBU: {
          const va = (r[(w >> 14) & 31] + imm) | 0;
          const vpn = va >>> 12;
          const ti = ldBase + ((vpn ^ ah) & TLB_MASK);
          if (tags[ti] === ((vpn << 9) | asid)) {
            r[(w >> 8) & 63] = u8[(va + deltas[ti]) | 0];
            hits++;
            break;
          }
          slow = w;
          slowImm = imm;
          break fast;
        }
        case OP_LB: {
          const va = (r[(w >> 14) & 31] + imm) | 0;
          const vpn = va >>> 12;
          const ti = ldBase + ((vpn ^ ah) & TLB_MASK);
          if (tags[ti] === ((vpn << 9) | asid)) {
            r[(w >> 8) & 63] = i8[(va + deltas[ti]) | 0];
            hits++;
            break;
          }
          slow = w;
          slowImm = imm;
          break fast;
        }
        case OP_LHU: {
          const va = (r[(w >> 14) & 31] + imm) | 0;
          const vpn = va >>> 12;
          const ti = ldBase + ((vpn ^ ah) & TLB_MASK);
          if ((va & 1) === 0 && tags[ti] === ((vpn << 9) | asid)) {
            r[(w >> 8) & 63] = u16[((va + deltas[ti]) | 0) >> 1];
            hits++;
            break;
          }
          slow = w;
          slowImm = imm;
          break fast;
        }
        case OP_LH: {
          const va = (r[(w >> 14) & 31] + imm) | 0;
          const vpn = va >>> 12;
          const ti = ldBase + ((vpn ^ ah) & TLB_MASK);
          if ((va & 1) === 0 && tags[ti] === ((vpn << 9) | asid)) {
            r[(w >> 8) & 63] = i16[((va + deltas[ti]) | 0) >> 1];
            hits++;
            break;
          }
          slow = w;
          slowImm = imm;
          break fast;
        }
        case OP_SW: {
          const va = (r[(w >> 14) & 31] + imm) | 0;
          const vpn = va >>> 12;
          const ti = stBase + ((vpn ^ ah) & TLB_MASK);
          if ((va & 3) === 0 && tags[ti] === ((vpn << 9) | asid)) {
            const off = (va + deltas[ti]) | 0;
            i32[off >> 2] = r[(w >> 19) & 31];
            if (codeMark[off >>> 12] !== 0) codeWritten(s, off);
            hits++;
            break;
          }
          slow = w;
          slowImm = imm;
          break fast;
        }
        case OP_SB: {
          const va = (r[(w >> 14) & 31] + imm) | 0;
          const vpn = va >>> 12;
          const ti = stBase + ((vpn ^ ah) & TLB_MASK);
          if (tags[ti] === ((vpn << 9) | asid)) {
            const off = (va + deltas[ti]) | 0;
            u8[off] = r[(w >> 19) & 31];
            if (codeMark[off >>> 12] !== 0) codeWritten(s, off);
            hits++;
            break;
          }
          slow = w;
          slowImm = imm;
          break fast;
        }
        case OP_SH: {
          const va = (r[(w >> 14) & 31] + imm) | 0;
          const vpn = va >>> 12;
          const ti = stBase + ((vpn ^ ah) & TLB_MASK);
          if ((va & 1) === 0 && tags[ti] === ((vpn << 9) | asid)) {
            const off = (va + deltas[ti]) | 0;
            u16[off >> 1] = r[(w >> 19) & 31];
            if (codeMark[off >>> 12] !== 0) codeWritten(s, off);
            hits++;
            break;
          }
          slow = w;
          slowImm = imm;
          break fast;
        }
        // </generated:fast-cases>
        default:
          slow = w;
          slowImm = imm;
          break fast;
      }
      // Compressed instructions (bit 7) advance by 2: a well-predicted
      // branch is cheaper here than computing the length from w.
      if ((w & 0x80) === 0) pc = (pc + 4) | 0;
      else pc = (pc + 2) | 0;
      if (dc >= room || k >= kLim) break;
    }
    // A load or store whose TLB lookup missed, with no event due by its
    // end: refilled here (hw/tlb_refill.ts) and run again, without leaving
    // the loop. Here, after the loop, not in the cases: code there made
    // V8 allocate the whole loop's registers worse (11 % more host
    // instructions on bench_mix, interpreted; 1 % fewer from here). A fetch
    // miss goes to the slow path: its refill here cost 14 %.
    if (slow > 0 && dc < room) {
      const c = refillAccess(s, slow, slowImm, dataPriv, ldBase, stBase);
      if (c >= 0) {
        dc += c - (slow >>> 24);
        k--;
        slow = 0;
        continue;
      }
    }
    break;
  }
  // Back to field state.
  const n = n0 + k;
  s.pc = pc >>> 0;
  s.instret += n - nBase;
  mmu.hits += hits;
  s.fVa = fVa;
  if (s.fetchStep) {
    s.fetchStep = false;
    s.fVa = NO_PAGE;
  }
  s.fOps = ops;
  s.fHalf = fHalf;
  const hn = hs[HN], hp = hs[HP] | 0;
  if (jitOn && n > hn) heat[hp] += n - hn;
  s.hotPage = hp;
  // The cycle count: `run` moves the clock to it (and fires the events
  // due), so that the call of the clock's events, which a run may first
  // reach late, is not in this function (see SLOW_HOT).
  jio[1] = c0 + dc;
  s.runCount = n;
  // The entry of a hot page: its control point, read on every exit so
  // that the loop's first SLOW_HOT has nothing new for V8 to deoptimize on.
  const hpc = hs[HPC] | 0;
  s.slowImm = slow === SLOW_HOT ? hpc : slowImm;
  return slow;
}
