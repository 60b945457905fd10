/**
 * One instruction outside the fast loop (`exec`): everything the inner loop
 * of `hw/cpu_fast.ts` leaves to the slow path (CSRs, system instructions,
 * atomics, TLB misses, device and misaligned accesses, FP with FS Off, an
 * instruction crossing a page end), over the plain hart state.
 *
 * The simple instructions' cases are generated from `hw/cpu_ops.ts`
 * (`deno task gen:cpu`).
 *
 * @module
 */

import type { AccessWidth } from "./bus.ts";
import { ACCESS } from "./mmu.ts";
import { decodeInto } from "./decode.ts";
import { div, divu, mulh, mulhsu, mulhu, rem, remu } from "./alu.ts";
import { compressFpMemory } from "./rvc.ts";
import { MCONTROL } from "./trigger.ts";
import { CAUSE, MSTATUS, MSTATUS_MPP_SHIFT } from "./csr.ts";
import { FS_DIRTY, type HartState, M_MODE, S_MODE, U_MODE } from "./hart_state.ts";
import { csrAccessible, csrRead, csrWrite } from "./csr_file.ts";
import {
  advance,
  branch,
  codeWritten,
  dataPriv,
  exception,
  faultTrap,
  illegal,
  invalidateAllCode,
  sretState,
  stopIf,
  translateData,
  wfi,
} from "./cpu_slow.ts";

// The decoded op numbers again, as literal module constants: V8 turns
// `switch` over literal-initialised local consts into a jump table, but not
// over imported bindings (measured: 2x on the hot loop). Generated from
// `OP` of ./decode.ts by tools/gen_cpu.ts (see ./cpu_ops.ts).
// <generated:op-constants>
const OP_ILLEGAL = 1;
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
const OP_FENCE_I = 48;
const OP_LR = 49;
const OP_SC = 50;
const OP_AMOSWAP = 51;
const OP_AMOADD = 52;
const OP_AMOXOR = 53;
const OP_AMOAND = 54;
const OP_AMOOR = 55;
const OP_AMOMIN = 56;
const OP_AMOMAX = 57;
const OP_AMOMINU = 58;
const OP_AMOMAXU = 59;
const OP_CSRRW = 60;
const OP_CSRRS = 61;
const OP_CSRRC = 62;
const OP_CSRRWI = 63;
const OP_CSRRSI = 64;
const OP_CSRRCI = 65;
const OP_ECALL = 66;
const OP_EBREAK = 67;
const OP_MRET = 68;
const OP_SRET = 69;
const OP_WFI = 70;
const OP_SFENCE_VMA = 71;
const OP_FLW = 72;
const OP_FLD = 73;
const OP_FSW = 74;
const OP_FSD = 75;
const OP_FP = 76;
const OP_FMA = 77;
const OP_FDIV = 78;
const OP_CROSS = 79;
// </generated:op-constants>

const CSR_FUNCT3: readonly number[] = [1, 2, 3, 5, 6, 7]; // CSRRW..CSRRCI

/**
 * Executes one instruction that the fast loop did not finish. The clock
 * is in sync and the instruction is already counted in `instret`.
 * Returns a {@link StopReason} to stop `run`, or -1 to go on.
 */
export function exec(s: HartState, w: number, imm: number): number {
  const r = s.regs;
  const op = w & 0x7f;
  const rd = (w >> 8) & 63;
  const rs1 = (w >> 14) & 31;
  const rs2 = (w >> 19) & 31;
  const pc = s.pc;
  const len = 4 - ((w >> 6) & 2);
  s.ilen = len;
  switch (op) {
    // <generated:slow-cases>
    case OP_ADDI:
      r[rd] = (r[rs1] + imm) | 0;
      break;
    case OP_ADD:
      r[rd] = (r[rs1] + r[rs2]) | 0;
      break;
    case OP_LUI:
      r[rd] = imm;
      break;
    case OP_AUIPC:
      r[rd] = (pc + imm) | 0;
      break;
    case OP_SUB:
      r[rd] = (r[rs1] - r[rs2]) | 0;
      break;
    case OP_SLTI:
      r[rd] = r[rs1] < imm ? 1 : 0;
      break;
    case OP_SLTIU:
      r[rd] = (r[rs1] >>> 0) < (imm >>> 0) ? 1 : 0;
      break;
    case OP_XORI:
      r[rd] = r[rs1] ^ imm;
      break;
    case OP_ORI:
      r[rd] = r[rs1] | imm;
      break;
    case OP_ANDI:
      r[rd] = r[rs1] & imm;
      break;
    case OP_SLLI:
      r[rd] = r[rs1] << imm;
      break;
    case OP_SRLI:
      r[rd] = r[rs1] >>> imm;
      break;
    case OP_SRAI:
      r[rd] = r[rs1] >> imm;
      break;
    case OP_SLL:
      r[rd] = r[rs1] << r[rs2];
      break;
    case OP_SLT:
      r[rd] = r[rs1] < r[rs2] ? 1 : 0;
      break;
    case OP_SLTU:
      r[rd] = (r[rs1] >>> 0) < (r[rs2] >>> 0) ? 1 : 0;
      break;
    case OP_XOR:
      r[rd] = r[rs1] ^ r[rs2];
      break;
    case OP_SRL:
      r[rd] = r[rs1] >>> r[rs2];
      break;
    case OP_SRA:
      r[rd] = r[rs1] >> r[rs2];
      break;
    case OP_OR:
      r[rd] = r[rs1] | r[rs2];
      break;
    case OP_AND:
      r[rd] = r[rs1] & r[rs2];
      break;
    case OP_MUL:
      r[rd] = Math.imul(r[rs1], r[rs2]);
      break;
    case OP_MULH:
      r[rd] = mulh(r[rs1], r[rs2]);
      break;
    case OP_MULHSU:
      r[rd] = mulhsu(r[rs1], r[rs2]);
      break;
    case OP_MULHU:
      r[rd] = mulhu(r[rs1], r[rs2]);
      break;
    case OP_DIV:
      r[rd] = div(r[rs1], r[rs2]);
      break;
    case OP_DIVU:
      r[rd] = divu(r[rs1], r[rs2]);
      break;
    case OP_REM:
      r[rd] = rem(r[rs1], r[rs2]);
      break;
    case OP_REMU:
      r[rd] = remu(r[rs1], r[rs2]);
      break;
    case OP_JAL: {
      const t = (pc + imm) | 0;
      r[rd] = pc + len;
      s.pc = t >>> 0;
      return -1;
    }
    case OP_JALR: {
      const t = (r[rs1] + imm) & -2;
      r[rd] = pc + len;
      s.pc = t >>> 0;
      return -1;
    }
    case OP_BEQ:
      return branch(s, r[rs1] === r[rs2], imm, len);
    case OP_BNE:
      return branch(s, r[rs1] !== r[rs2], imm, len);
    case OP_BLT:
      return branch(s, r[rs1] < r[rs2], imm, len);
    case OP_BGE:
      return branch(s, r[rs1] >= r[rs2], imm, len);
    case OP_BLTU:
      return branch(s, (r[rs1] >>> 0) < (r[rs2] >>> 0), imm, len);
    case OP_BGEU:
      return branch(s, (r[rs1] >>> 0) >= (r[rs2] >>> 0), imm, len);
    // </generated:slow-cases>
    case OP_CROSS:
      return crossPage(s);
    case OP_LB:
    case OP_LH:
    case OP_LW:
    case OP_LBU:
    case OP_LHU:
      return load(s, op, rd, (r[rs1] + imm) | 0);
    case OP_SB:
    case OP_SH:
    case OP_SW:
      return store(s, op, (r[rs1] + imm) | 0, r[rs2]);
    case OP_LR:
    case OP_SC:
    case OP_AMOSWAP:
    case OP_AMOADD:
    case OP_AMOXOR:
    case OP_AMOAND:
    case OP_AMOOR:
    case OP_AMOMIN:
    case OP_AMOMAX:
    case OP_AMOMINU:
    case OP_AMOMAXU:
      return amo(s, op, rd, r[rs1], r[rs2]);
    case OP_FENCE:
      break;
    case OP_FENCE_I:
      invalidateAllCode(s);
      break;
    case OP_CSRRW:
    case OP_CSRRS:
    case OP_CSRRC:
    case OP_CSRRWI:
    case OP_CSRRSI:
    case OP_CSRRCI:
      return csrInstruction(s, op, rd, rs1, imm, w);
    case OP_ECALL: {
      const cause = s.priv === U_MODE
        ? CAUSE.USER_ECALL
        : s.priv === S_MODE
        ? CAUSE.SUPERVISOR_ECALL
        : CAUSE.MACHINE_ECALL;
      return stopIf(exception(s, cause, 0));
    }
    case OP_EBREAK:
      return stopIf(exception(s, CAUSE.BREAKPOINT, pc));
    case OP_MRET: {
      if (s.priv !== M_MODE) return illegal(s, 0x30200073);
      let st = s.mstatus;
      const mpp = (st >>> MSTATUS_MPP_SHIFT) & 3;
      st = (st & MSTATUS.MPIE) !== 0 ? st | MSTATUS.MIE : st & ~MSTATUS.MIE;
      st = (st | MSTATUS.MPIE) & ~MSTATUS.MPP;
      if (mpp !== M_MODE) st &= ~MSTATUS.MPRV;
      s.mstatus = st >>> 0;
      s.priv = mpp;
      s.pc = s.mepc;
      s.reservation = -1;
      return -1;
    }
    case OP_SRET:
      if (
        s.priv === U_MODE || (s.priv === S_MODE && (s.mstatus & MSTATUS.TSR) !== 0)
      ) {
        return illegal(s, 0x10200073);
      }
      sretState(s);
      return -1;
    case OP_WFI:
      return wfi(s);
    case OP_FLW:
    case OP_FLD:
    case OP_FSW:
    case OP_FSD:
      return fpMemory(s, w, rs1, rs2, imm);
    case OP_FP:
    case OP_FMA:
    case OP_FDIV: {
      if ((s.mstatus & MSTATUS.FS) === 0) return illegal(s, imm);
      const res = s.fpu.exec(imm, r);
      if (res < 0) return illegal(s, imm);
      if (res > 0) s.mstatus = (s.mstatus | FS_DIRTY) >>> 0;
      break;
    }
    case OP_SFENCE_VMA:
      if (
        s.priv === U_MODE || (s.priv === S_MODE && (s.mstatus & MSTATUS.TVM) !== 0)
      ) {
        return illegal(s, 0x12000073 | (rs1 << 15) | (rs2 << 20));
      }
      s.mmu.flush(rs1 === 0 ? undefined : r[rs1], rs2 === 0 ? undefined : r[rs2]);
      break;
    case OP_ILLEGAL:
      // OP_ILLEGAL keeps the raw instruction bits in imm.
      return illegal(s, imm);
    default:
      return illegal(s, 0);
  }
  s.pc = (pc + len) >>> 0;
  return -1;
}

/**
 * A 32-bit instruction in the last halfword of a page: fetch its upper
 * half from the next page (a fault there has tval = that page's address,
 * epc = the instruction), decode it and run it.
 */
function crossPage(s: HartState): number {
  const pc = s.pc;
  const ram = s.ram;
  const pa1 = s.mmu.translate(pc, ACCESS.FETCH, s.priv);
  const hiVa = (pc + 2) >>> 0;
  const pa2 = s.mmu.translate(hiVa, ACCESS.FETCH, s.priv);
  if (pa1 < 0) return stopIf(exception(s, ~pa1, pc));
  if (pa2 < 0) return stopIf(exception(s, ~pa2, hiVa));
  const off1 = pa1 - ram.base, off2 = pa2 - ram.base;
  if (off2 < 0 || off2 + 2 > ram.size) {
    return stopIf(exception(s, CAUSE.FETCH_ACCESS, hiVa));
  }
  const inst = s.u16[off1 >> 1] | (s.u16[off2 >> 1] << 16);
  const ops = s.crossOps;
  decodeInto(inst, ops, 0, s.opCost);
  const w = ops[0];
  advance(s, w >>> 24);
  return exec(s, w, ops[1]);
}

/** An integer load outside the fast loop (TLB miss, misaligned, device). */
function load(s: HartState, op: number, rd: number, va: number): number {
  const width: AccessWidth = op === OP_LW ? 4 : op === OP_LH || op === OP_LHU ? 2 : 1;
  let v = s.data.read(va, width, width, dataPriv(s));
  if (s.data.fault >= 0) return faultTrap(s);
  if (op === OP_LB) v = (v << 24) >> 24;
  else if (op === OP_LH) v = (v << 16) >> 16;
  s.regs[rd] = v;
  s.pc = (s.pc + s.ilen) >>> 0;
  return -1;
}

/** An integer store outside the fast loop (TLB miss, misaligned, device). */
function store(s: HartState, op: number, va: number, value: number): number {
  const width = op === OP_SW ? 4 : op === OP_SH ? 2 : 1;
  s.data.write(va, width, value, 0, dataPriv(s));
  if (s.data.fault >= 0) return faultTrap(s);
  s.pc = (s.pc + s.ilen) >>> 0;
  return -1;
}

/** FLW, FLD (frd in the rs2 field), FSW, FSD. */
function fpMemory(s: HartState, w: number, rs1: number, freg: number, imm: number): number {
  const op = w & 0x7f;
  const isLoad = op === OP_FLW || op === OP_FLD;
  const dbl = op === OP_FLD || op === OP_FSD;
  if ((s.mstatus & MSTATUS.FS) === 0) {
    if ((w & 0x80) !== 0) return illegal(s, compressFpMemory(isLoad, dbl, rs1, freg, imm));
    const f3 = dbl ? 3 : 2;
    return illegal(
      s,
      isLoad
        ? (imm << 20) | (rs1 << 15) | (f3 << 12) | (freg << 7) | 0x07
        : ((imm >> 5) << 25) | (freg << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) |
          0x27,
    );
  }
  const va = (s.regs[rs1] + imm) | 0;
  const words = s.fpu.words;
  if (isLoad) {
    const lo = s.data.read(va, 4, dbl ? 8 : 4, dataPriv(s));
    if (s.data.fault >= 0) return faultTrap(s);
    const hi = dbl ? s.data.read((va + 4) | 0, 4, 8, dataPriv(s)) : -1;
    if (s.data.fault >= 0) return faultTrap(s);
    words[2 * freg] = lo;
    words[2 * freg + 1] = hi;
    s.mstatus = (s.mstatus | FS_DIRTY) >>> 0;
  } else {
    s.data.write(va, dbl ? 8 : 4, words[2 * freg], words[2 * freg + 1], dataPriv(s));
    if (s.data.fault >= 0) return faultTrap(s);
  }
  s.pc = (s.pc + s.ilen) >>> 0;
  return -1;
}

/** LR, SC and the AMOs (RAM only, naturally aligned). */
function amo(s: HartState, op: number, rd: number, va: number, src: number): number {
  const isLr = op === OP_LR;
  if (s.triggers.armed) {
    const kind = isLr
      ? MCONTROL.LOAD
      : op === OP_SC
      ? MCONTROL.STORE
      : MCONTROL.LOAD | MCONTROL.STORE;
    if (s.triggers.fires(kind, va, dataPriv(s))) {
      return stopIf(exception(s, CAUSE.BREAKPOINT, va));
    }
  }
  if ((va & 3) !== 0) {
    return stopIf(exception(s, isLr ? CAUSE.MISALIGNED_LOAD : CAUSE.MISALIGNED_STORE, va));
  }
  const access = isLr ? ACCESS.LOAD : ACCESS.STORE;
  const ram = s.ram;
  // A TLB hit is a RAM page the access may use; otherwise the walk (C library
  // locks make an atomic every few hundred instructions).
  let off = s.mmu.hitOffset(va, access, dataPriv(s));
  if (off < 0) {
    const pa = translateData(s, va, access);
    if (pa < 0) return stopIf(exception(s, ~pa, va));
    off = pa - ram.base;
    // Atomics are supported on RAM only; devices give an access fault.
    if (off < 0 || off + 4 > ram.size) {
      return stopIf(exception(s, isLr ? CAUSE.LOAD_ACCESS : CAUSE.STORE_ACCESS, va));
    }
  }
  const pa = off + ram.base;
  const i32 = s.i32;
  const idx = off >> 2;
  const old = i32[idx];
  let nv = 0;
  switch (op) {
    case OP_LR:
      s.reservation = pa;
      s.regs[rd] = old;
      s.pc = (s.pc + s.ilen) >>> 0;
      return -1;
    case OP_SC: {
      const ok = s.reservation === pa;
      s.reservation = -1;
      if (ok) {
        i32[idx] = src;
        if (s.codeMark[off >>> 12] !== 0) codeWritten(s, off);
      }
      s.regs[rd] = ok ? 0 : 1;
      s.pc = (s.pc + s.ilen) >>> 0;
      return -1;
    }
    // The AMOs' new words, generated from AMO_OPS of hw/cpu_ops.ts.
    // <generated:amo-cases>
    case OP_AMOSWAP:
      nv = src;
      break;
    case OP_AMOADD:
      nv = (old + src) | 0;
      break;
    case OP_AMOXOR:
      nv = old ^ src;
      break;
    case OP_AMOAND:
      nv = old & src;
      break;
    case OP_AMOOR:
      nv = old | src;
      break;
    case OP_AMOMIN:
      nv = old < src ? old : src;
      break;
    case OP_AMOMAX:
      nv = old > src ? old : src;
      break;
    case OP_AMOMINU:
      nv = (old >>> 0) < (src >>> 0) ? old : src;
      break;
    case OP_AMOMAXU:
      nv = (old >>> 0) > (src >>> 0) ? old : src;
      break;
      // </generated:amo-cases>
  }
  i32[idx] = nv;
  if (s.codeMark[off >>> 12] !== 0) codeWritten(s, off);
  s.regs[rd] = old;
  s.pc = (s.pc + s.ilen) >>> 0;
  return -1;
}

/** CSRRW/S/C and their immediate forms, with the privilege and access checks. */
function csrInstruction(
  s: HartState,
  op: number,
  rd: number,
  rs1: number,
  csr: number,
  w: number,
): number {
  const immForm = op >= OP_CSRRWI;
  const src = immForm ? rs1 : s.regs[rs1];
  const isWrite = op === OP_CSRRW || op === OP_CSRRWI;
  const writes = isWrite || rs1 !== 0;
  const priv = s.priv;
  const bits = csrBits(w, rs1, rd, csr);
  if (((csr >>> 8) & 3) > priv) return illegal(s, bits);
  if (writes && csr >>> 10 === 3) return illegal(s, bits);
  if (!csrAccessible(s, csr, priv)) return illegal(s, bits);
  const old = csrRead(s, csr);
  if (Number.isNaN(old)) return illegal(s, bits);
  if (writes) {
    const nv = isWrite ? src : op === OP_CSRRS || op === OP_CSRRSI ? old | src : old & ~src;
    csrWrite(s, csr, nv >>> 0);
  }
  s.regs[rd] = old;
  s.pc = (s.pc + s.ilen) >>> 0;
  return -1;
}

/** Re-encodes a CSR instruction (for tval of an illegal-instruction trap). */
function csrBits(w: number, rs1: number, rd: number, csr: number): number {
  const f3 = CSR_FUNCT3[(w & 0x7f) - OP_CSRRW];
  return (csr << 20) | (rs1 << 15) | (f3 << 12) | ((rd === 32 ? 0 : rd) << 7) | 0x73;
}
