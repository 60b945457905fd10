/**
 * The CSR file of the hart: reads and writes of every CSR with their WARL
 * masks and side effects, over the plain hart state (`hw/hart_state.ts`).
 *
 * - `csrRead` / `csrWrite`: one `switch` each over literal CSR numbers;
 * - the exact 64-bit `mcycle` / `minstret` (a written base plus what
 *   elapsed since the write);
 * - `mstatus` (WARL MPP, SD), effective `mip` (device, software, Sstc), the
 *   Sstc comparator and its clock event;
 * - `csrAccessible`: counter enables, TVM and Sstc rules of guest accesses.
 *
 * Constants and bit names shared with the rest of the system are in
 * `hw/csr.ts`.
 *
 * @module
 */

import { CSR, MENVCFGH, MISA_VALUE, MSTATUS, MSTATUS_FS_SHIFT, MSTATUS_MPP_SHIFT } from "./csr.ts";
import { FS_DIRTY, type HartState, M_MODE, NO_PAGE, S_MODE, TWO_32, U_MODE } from "./hart_state.ts";

// CSR numbers as literal constants for the same reason (checked against CSR).
const CSR_FFLAGS = 0x001;
const CSR_FRM = 0x002;
const CSR_FCSR = 0x003;
const CSR_CYCLE = 0xc00;
const CSR_TIME = 0xc01;
const CSR_INSTRET = 0xc02;
const CSR_CYCLEH = 0xc80;
const CSR_TIMEH = 0xc81;
const CSR_INSTRETH = 0xc82;
const CSR_SSTATUS = 0x100;
const CSR_SIE = 0x104;
const CSR_STVEC = 0x105;
const CSR_SCOUNTEREN = 0x106;
const CSR_SENVCFG = 0x10a;
const CSR_SSCRATCH = 0x140;
const CSR_SEPC = 0x141;
const CSR_SCAUSE = 0x142;
const CSR_STVAL = 0x143;
const CSR_SIP = 0x144;
const CSR_STIMECMP = 0x14d;
const CSR_STIMECMPH = 0x15d;
const CSR_SATP = 0x180;
const CSR_SBASE = 0x5c0;
const CSR_SLIMIT = 0x5c1;
const CSR_MVENDORID = 0xf11;
const CSR_MARCHID = 0xf12;
const CSR_MIMPID = 0xf13;
const CSR_MHARTID = 0xf14;
const CSR_MCONFIGPTR = 0xf15;
const CSR_MSTATUS = 0x300;
const CSR_MISA = 0x301;
const CSR_MEDELEG = 0x302;
const CSR_MIDELEG = 0x303;
const CSR_MIE = 0x304;
const CSR_MTVEC = 0x305;
const CSR_MCOUNTEREN = 0x306;
const CSR_MENVCFG = 0x30a;
const CSR_MSTATUSH = 0x310;
const CSR_MENVCFGH = 0x31a;
const CSR_MCOUNTINHIBIT = 0x320;
const CSR_MSCRATCH = 0x340;
const CSR_MEPC = 0x341;
const CSR_MCAUSE = 0x342;
const CSR_MTVAL = 0x343;
const CSR_MIP = 0x344;
const CSR_MCYCLE = 0xb00;
const CSR_MINSTRET = 0xb02;
const CSR_MCYCLEH = 0xb80;
const CSR_MINSTRETH = 0xb82;
const LOCAL_CSRS: Record<string, number> = {
  fflags: CSR_FFLAGS,
  frm: CSR_FRM,
  fcsr: CSR_FCSR,
  cycle: CSR_CYCLE,
  time: CSR_TIME,
  instret: CSR_INSTRET,
  cycleh: CSR_CYCLEH,
  timeh: CSR_TIMEH,
  instreth: CSR_INSTRETH,
  sstatus: CSR_SSTATUS,
  sie: CSR_SIE,
  stvec: CSR_STVEC,
  scounteren: CSR_SCOUNTEREN,
  senvcfg: CSR_SENVCFG,
  sscratch: CSR_SSCRATCH,
  sepc: CSR_SEPC,
  scause: CSR_SCAUSE,
  stval: CSR_STVAL,
  sip: CSR_SIP,
  stimecmp: CSR_STIMECMP,
  stimecmph: CSR_STIMECMPH,
  satp: CSR_SATP,
  sbase: CSR_SBASE,
  slimit: CSR_SLIMIT,
  mvendorid: CSR_MVENDORID,
  marchid: CSR_MARCHID,
  mimpid: CSR_MIMPID,
  mhartid: CSR_MHARTID,
  mconfigptr: CSR_MCONFIGPTR,
  mstatus: CSR_MSTATUS,
  misa: CSR_MISA,
  medeleg: CSR_MEDELEG,
  mideleg: CSR_MIDELEG,
  mie: CSR_MIE,
  mtvec: CSR_MTVEC,
  mcounteren: CSR_MCOUNTEREN,
  menvcfg: CSR_MENVCFG,
  mstatush: CSR_MSTATUSH,
  menvcfgh: CSR_MENVCFGH,
  mcountinhibit: CSR_MCOUNTINHIBIT,
  mscratch: CSR_MSCRATCH,
  mepc: CSR_MEPC,
  mcause: CSR_MCAUSE,
  mtval: CSR_MTVAL,
  mip: CSR_MIP,
  mcycle: CSR_MCYCLE,
  minstret: CSR_MINSTRET,
  mcycleh: CSR_MCYCLEH,
  minstreth: CSR_MINSTRETH,
};
for (const [name, value] of Object.entries(LOCAL_CSRS)) {
  if ((CSR as Record<string, number>)[name] !== value) {
    throw new Error(`hw/csr_file.ts CSR ${name} = ${value} disagrees with hw/csr.ts`);
  }
}

const MSTATUS_WRITABLE = MSTATUS.SIE | MSTATUS.MIE | MSTATUS.SPIE | MSTATUS.MPIE | MSTATUS.SPP |
  MSTATUS.MPP | MSTATUS.MPRV | MSTATUS.SUM | MSTATUS.MXR | MSTATUS.TVM | MSTATUS.TW | MSTATUS.TSR |
  MSTATUS.FS;
const SSTATUS_MASK = MSTATUS.SIE | MSTATUS.SPIE | MSTATUS.SPP | MSTATUS.SUM | MSTATUS.MXR |
  MSTATUS.FS | MSTATUS.SD;
const MEDELEG_MASK = 0xb3ff; // exceptions 0-9, 12, 13, 15 (not ecall from M)
const S_INTERRUPTS = 0x222; // SSIP | STIP | SEIP
const MIE_MASK = 0xaaa;
const STIP = 1 << 5;
const SSIP = 1 << 1;

/** Half (`high`) of the 64-bit value (hi:lo) + delta, delta a nonnegative safe integer. */
function counterHalf(hi: number, lo: number, delta: number, high: boolean): number {
  const sumLo = lo + (delta % TWO_32);
  const carry = sumLo >= TWO_32 ? 1 : 0;
  if (!high) return (sumLo - carry * TWO_32) >>> 0;
  return (hi + Math.floor(delta / TWO_32) + carry) % TWO_32 >>> 0;
}

/** Low or high half of `mcycle`. */
function cycleHalf(s: HartState, high: boolean): number {
  return counterHalf(s.cyHi, s.cyLo, s.clock.now - s.cyMark, high);
}

/** Low or high half of `minstret` (without the running CSR instruction). */
function instretHalf(s: HartState, high: boolean): number {
  const delta = s.instret - s.instretBias - s.irMark;
  return counterHalf(s.irHi, s.irLo, delta, high);
}

/** Reads a CSR; NaN when it does not exist. */
export function csrRead(s: HartState, csr: number): number {
  switch (csr) {
    case CSR_FFLAGS:
      return s.fpu.fflags;
    case CSR_FRM:
      return s.fpu.frm;
    case CSR_FCSR:
      return s.fpu.fcsr;
    case CSR_CYCLE:
    case CSR_MCYCLE:
      return cycleHalf(s, false);
    case CSR_CYCLEH:
    case CSR_MCYCLEH:
      return cycleHalf(s, true);
    case CSR_TIME:
      return s.clock.mtime % TWO_32 >>> 0;
    case CSR_TIMEH:
      return Math.floor(s.clock.mtime / TWO_32) >>> 0;
    case CSR_INSTRET:
    case CSR_MINSTRET:
      return instretHalf(s, false);
    case CSR_INSTRETH:
    case CSR_MINSTRETH:
      return instretHalf(s, true);
    case CSR_SSTATUS:
      return (s.mstatus & SSTATUS_MASK) >>> 0;
    case CSR_SIE:
      return (s.mie & s.mideleg) >>> 0;
    case CSR_STVEC:
      return s.stvec;
    case CSR_SCOUNTEREN:
      return s.scounteren;
    case CSR_SENVCFG:
      return s.senvcfg;
    case CSR_SSCRATCH:
      return s.sscratch;
    case CSR_SEPC:
      return s.sepc;
    case CSR_SCAUSE:
      return s.scause;
    case CSR_STVAL:
      return s.stval;
    case CSR_SIP:
      return (s.mip & s.mideleg) >>> 0;
    case CSR_STIMECMP:
      return s.stimecmpLo;
    case CSR_STIMECMPH:
      return s.stimecmpHi;
    case CSR_SATP:
      return s.mmu.satp >>> 0;
    case CSR_SBASE:
      return s.mmu.kind === "baselimit" ? s.mmu.base >>> 0 : NaN;
    case CSR_SLIMIT:
      return s.mmu.kind === "baselimit" ? s.mmu.limit >>> 0 : NaN;
    case CSR_MVENDORID:
    case CSR_MARCHID:
    case CSR_MIMPID:
    case CSR_MCONFIGPTR:
      return 0;
    case CSR_MHARTID:
      return s.hartId >>> 0;
    case CSR_MSTATUS:
      return s.mstatus >>> 0;
    case CSR_MISA:
      return MISA_VALUE;
    case CSR_MEDELEG:
      return s.medeleg;
    case CSR_MIDELEG:
      return s.mideleg;
    case CSR_MIE:
      return s.mie;
    case CSR_MTVEC:
      return s.mtvec;
    case CSR_MCOUNTEREN:
      return s.mcounteren;
    case CSR_MENVCFG:
      return s.menvcfg;
    case CSR_MENVCFGH:
      return s.menvcfgh >>> 0;
    case CSR_MSTATUSH:
    case CSR_MCOUNTINHIBIT:
      return 0;
    case CSR_MSCRATCH:
      return s.mscratch;
    case CSR_MEPC:
      return s.mepc;
    case CSR_MCAUSE:
      return s.mcause;
    case CSR_MTVAL:
      return s.mtval;
    case CSR_MIP:
      return s.mip >>> 0;
  }
  if (csr >= 0x3a0 && csr <= 0x3a3) return s.pmp.readCfg(csr - 0x3a0);
  if (csr >= 0x3b0 && csr <= 0x3bf) return s.pmp.readAddr(csr - 0x3b0);
  if (csr >= 0x7a0 && csr <= 0x7a4) return s.triggers.read(csr);
  // Hardwired-zero counters and event selectors.
  if (
    (csr >= 0xc03 && csr <= 0xc1f) || (csr >= 0xc83 && csr <= 0xc9f) ||
    (csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0xb83 && csr <= 0xb9f) ||
    (csr >= 0x323 && csr <= 0x33f)
  ) {
    return 0;
  }
  return NaN;
}

/** Writes a CSR with its WARL masks and side effects (no privilege checks). */
export function csrWrite(s: HartState, csr: number, v: number): void {
  switch (csr) {
    case CSR_FFLAGS:
    case CSR_FRM:
    case CSR_FCSR:
      if (csr === CSR_FFLAGS) s.fpu.fflags = v & 31;
      else if (csr === CSR_FRM) s.fpu.frm = v & 7;
      else s.fpu.fcsr = v;
      s.mstatus = (s.mstatus | FS_DIRTY) >>> 0;
      return;
    case CSR_MCYCLE:
    case CSR_MCYCLEH: {
      // The written half replaces that half of the current value (which
      // already includes the writing instruction's cycles).
      const lo = cycleHalf(s, false), hi = cycleHalf(s, true);
      s.cyHi = csr === CSR_MCYCLEH ? v : hi;
      s.cyLo = csr === CSR_MCYCLE ? v : lo;
      s.cyMark = s.clock.now;
      return;
    }
    case CSR_MINSTRET:
    case CSR_MINSTRETH: {
      // The write takes effect after the writing instruction retired (its
      // increment, with any carry, is in the current value) and replaces
      // one half; the next instruction sees exactly the written value.
      const bias = s.instretBias;
      s.instretBias = 0;
      const lo = instretHalf(s, false), hi = instretHalf(s, true);
      s.instretBias = bias;
      s.irHi = csr === CSR_MINSTRETH ? v : hi;
      s.irLo = csr === CSR_MINSTRET ? v : lo;
      s.irMark = s.instret;
      return;
    }
    case CSR_SSTATUS:
      setMstatus(s, (s.mstatus & ~SSTATUS_MASK) | (v & SSTATUS_MASK));
      return;
    case CSR_MSTATUS:
      setMstatus(s, v);
      return;
    case CSR_SIE:
      s.mie = ((s.mie & ~s.mideleg) | (v & s.mideleg & MIE_MASK)) >>> 0;
      return;
    case CSR_MIE:
      s.mie = v & MIE_MASK;
      return;
    case CSR_STVEC:
      s.stvec = (v & ~2) >>> 0;
      return;
    case CSR_MTVEC:
      s.mtvec = (v & ~2) >>> 0;
      return;
    case CSR_SCOUNTEREN:
      s.scounteren = v;
      return;
    case CSR_MCOUNTEREN:
      s.mcounteren = v;
      return;
    case CSR_SENVCFG:
      s.senvcfg = v & 1;
      return;
    case CSR_MENVCFG:
      s.menvcfg = v & 1;
      return;
    case CSR_MENVCFGH:
      s.menvcfgh = (v & (MENVCFGH.STCE | MENVCFGH.ADUE)) >>> 0;
      s.mmu.adue = (s.menvcfgh & MENVCFGH.ADUE) !== 0;
      updateStimer(s);
      return;
    case CSR_SSCRATCH:
      s.sscratch = v;
      return;
    case CSR_MSCRATCH:
      s.mscratch = v;
      return;
    case CSR_SEPC:
      s.sepc = (v & ~1) >>> 0;
      return;
    case CSR_MEPC:
      s.mepc = (v & ~1) >>> 0;
      return;
    case CSR_SCAUSE:
      s.scause = v;
      return;
    case CSR_MCAUSE:
      s.mcause = v;
      return;
    case CSR_STVAL:
      s.stval = v;
      return;
    case CSR_MTVAL:
      s.mtval = v;
      return;
    case CSR_SIP:
      // Only SSIP is writable through sip, and only when delegated.
      if ((s.mideleg & SSIP) !== 0) s.mipSw = (s.mipSw & ~SSIP) | (v & SSIP);
      updateMip(s);
      return;
    case CSR_MIP:
      s.mipSw = v & S_INTERRUPTS;
      updateMip(s);
      return;
    case CSR_MEDELEG:
      s.medeleg = v & MEDELEG_MASK;
      return;
    case CSR_MIDELEG:
      s.mideleg = v & S_INTERRUPTS;
      return;
    case CSR_STIMECMP:
      s.stimecmpLo = v;
      updateStimer(s);
      return;
    case CSR_STIMECMPH:
      s.stimecmpHi = v;
      updateStimer(s);
      return;
    case CSR_SATP:
      // Sv32 supports MODE 0 (bare) and 1; base/limit machines have no paging.
      if (s.mmu.kind === "sv32") s.mmu.setSatp(v);
      return;
    case CSR_SBASE:
      if (s.mmu.kind === "baselimit") s.mmu.setBaseLimit(v, s.mmu.limit);
      return;
    case CSR_SLIMIT:
      if (s.mmu.kind === "baselimit") s.mmu.setBaseLimit(s.mmu.base, v & ~0xfff);
      return;
  }
  if (csr >= 0x3a0 && csr <= 0x3bf) {
    if (csr <= 0x3a3) s.pmp.writeCfg(csr - 0x3a0, v);
    else if (csr >= 0x3b0) s.pmp.writeAddr(csr - 0x3b0, v);
    s.mmu.flush(); // cached translations carry PMP decisions
    return;
  }
  if (csr >= 0x7a0 && csr <= 0x7a4) {
    s.triggers.write(csr, v);
    // While armed, every access takes the slow path where triggers are checked.
    s.mmu.noFill = s.triggers.armed;
    s.mmu.flush();
    s.fVa = NO_PAGE;
    return;
  }
  // Everything else is read-only or hardwired to zero: writes are ignored.
}

/** `mstatus` write: WARL fields, SD, and the MMU's SUM/MXR. */
function setMstatus(s: HartState, v: number): void {
  let st = (s.mstatus & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
  st = (st & MSTATUS.FS) === MSTATUS.FS ? st | MSTATUS.SD : st & ~MSTATUS.SD;
  // MPP is WARL: the reserved value 2 keeps the old field.
  if (((st >>> MSTATUS_MPP_SHIFT) & 3) === 2) {
    st = (st & ~MSTATUS.MPP) | (s.mstatus & MSTATUS.MPP);
  }
  s.mstatus = st >>> 0;
  s.mmu.setSumMxr((st & MSTATUS.SUM) !== 0, (st & MSTATUS.MXR) !== 0);
}

/**
 * Sets `sstatus.FS` to `fs` (0 Off, 1 Initial, 2 Clean, 3 Dirty) and SD with
 * it: what an `sstatus` write changing only FS does, without passing the
 * whole register (bit 31, SD, makes it a heap number in V8) through calls.
 */
export function setFs(s: HartState, fs: number): void {
  const f = fs & 3;
  let st = (s.mstatus & ~MSTATUS.FS) | (f << MSTATUS_FS_SHIFT);
  st = f === 3 ? st | MSTATUS.SD : st & ~MSTATUS.SD;
  s.mstatus = st >>> 0;
}

/** Recomputes the effective `mip` from the device, software and Sstc bits. */
export function updateMip(s: HartState): void {
  let sw = s.mipSw;
  if ((s.menvcfgh & MENVCFGH.STCE) !== 0) sw &= ~STIP;
  s.mip = (s.mipHw | sw | s.mipSstc) >>> 0;
}

/** Sstc: STIP = (time >= stimecmp); schedules the clock event where it rises. */
export function updateStimer(s: HartState): void {
  const clock = s.clock;
  if (s.stimerEvent !== 0) {
    clock.cancel(s.stimerEvent);
    s.stimerEvent = 0;
  }
  if ((s.menvcfgh & MENVCFGH.STCE) === 0) {
    s.mipSstc = 0;
  } else {
    const cmp = s.stimecmpHi * TWO_32 + s.stimecmpLo;
    if (clock.mtime >= cmp) {
      s.mipSstc = STIP;
    } else {
      s.mipSstc = 0;
      if (cmp <= Number.MAX_SAFE_INTEGER) {
        const at = clock.cycleForMtime(cmp);
        if (Number.isSafeInteger(at)) s.stimerEvent = clock.scheduleAt(at, s.stimerFire);
      }
    }
  }
  updateMip(s);
}

/** Counter-enable, TVM and Sstc access rules for guest CSR instructions. */
export function csrAccessible(s: HartState, csr: number, priv: number): boolean {
  if ((csr >= 0xc00 && csr <= 0xc1f) || (csr >= 0xc80 && csr <= 0xc9f)) {
    const bit = 1 << (csr & 31);
    if (priv < M_MODE && (s.mcounteren & bit) === 0) return false;
    if (priv === U_MODE && (s.scounteren & bit) === 0) return false;
    return true;
  }
  if (csr === CSR.satp) return !(priv === S_MODE && (s.mstatus & MSTATUS.TVM) !== 0);
  if (csr <= CSR_FCSR) return (s.mstatus & MSTATUS.FS) !== 0;
  if (csr === CSR.stimecmp || csr === CSR.stimecmph) {
    if (priv === M_MODE) return true;
    return (s.mcounteren & 2) !== 0 && (s.menvcfgh & MENVCFGH.STCE) !== 0;
  }
  return true;
}
