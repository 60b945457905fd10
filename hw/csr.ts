/**
 * RISC-V control and status register numbers, `mstatus` fields and trap
 * cause codes, as the privileged specification defines them.
 *
 * @module
 */

/** CSR addresses implemented by the Strata CPU. */
export const CSR = {
  // Floating point (F and D).
  fflags: 0x001,
  frm: 0x002,
  fcsr: 0x003,
  // Unprivileged counters (read-only shadows).
  cycle: 0xc00,
  time: 0xc01,
  instret: 0xc02,
  cycleh: 0xc80,
  timeh: 0xc81,
  instreth: 0xc82,
  // Supervisor.
  sstatus: 0x100,
  sie: 0x104,
  stvec: 0x105,
  scounteren: 0x106,
  senvcfg: 0x10a,
  sscratch: 0x140,
  sepc: 0x141,
  scause: 0x142,
  stval: 0x143,
  sip: 0x144,
  stimecmp: 0x14d,
  stimecmph: 0x15d,
  satp: 0x180,
  /** Strata custom: base/limit relocation base (S-mode read/write). */
  sbase: 0x5c0,
  /** Strata custom: base/limit relocation limit (S-mode read/write). */
  slimit: 0x5c1,
  // Machine.
  mvendorid: 0xf11,
  marchid: 0xf12,
  mimpid: 0xf13,
  mhartid: 0xf14,
  mconfigptr: 0xf15,
  mstatus: 0x300,
  misa: 0x301,
  medeleg: 0x302,
  mideleg: 0x303,
  mie: 0x304,
  mtvec: 0x305,
  mcounteren: 0x306,
  menvcfg: 0x30a,
  mstatush: 0x310,
  menvcfgh: 0x31a,
  mcountinhibit: 0x320,
  mscratch: 0x340,
  mepc: 0x341,
  mcause: 0x342,
  mtval: 0x343,
  mip: 0x344,
  mcycle: 0xb00,
  minstret: 0xb02,
  mcycleh: 0xb80,
  minstreth: 0xb82,
} as const;

/** `mstatus` bit masks (RV32). */
export const MSTATUS = {
  SIE: 1 << 1,
  MIE: 1 << 3,
  SPIE: 1 << 5,
  MPIE: 1 << 7,
  SPP: 1 << 8,
  MPP: 3 << 11,
  MPRV: 1 << 17,
  SUM: 1 << 18,
  MXR: 1 << 19,
  TVM: 1 << 20,
  TW: 1 << 21,
  TSR: 1 << 22,
  /** Floating-point state: 0 Off, 1 Initial, 2 Clean, 3 Dirty. */
  FS: 3 << 13,
  /** Read-only summary: FS is Dirty. */
  SD: 0x8000_0000,
} as const;

/** Bit position of the FS field in `mstatus`. */
export const MSTATUS_FS_SHIFT = 13;

/** Bit position of the MPP field in `mstatus`. */
export const MSTATUS_MPP_SHIFT = 11;

/** Synchronous exception cause codes (`mcause`/`scause` with the interrupt bit clear). */
export const CAUSE = {
  MISALIGNED_FETCH: 0,
  FETCH_ACCESS: 1,
  ILLEGAL_INSTRUCTION: 2,
  BREAKPOINT: 3,
  MISALIGNED_LOAD: 4,
  LOAD_ACCESS: 5,
  MISALIGNED_STORE: 6,
  STORE_ACCESS: 7,
  USER_ECALL: 8,
  SUPERVISOR_ECALL: 9,
  MACHINE_ECALL: 11,
  FETCH_PAGE_FAULT: 12,
  LOAD_PAGE_FAULT: 13,
  STORE_PAGE_FAULT: 15,
} as const;

/** Interrupt cause codes (`mcause`/`scause` with bit 31 set). */
export const IRQ_CAUSE = {
  SSI: 1,
  MSI: 3,
  STI: 5,
  MTI: 7,
  SEI: 9,
  MEI: 11,
} as const;

/** Bit 31 of `mcause`/`scause`: the trap is an interrupt. */
export const CAUSE_INTERRUPT = 0x8000_0000;

/** `misa` of this CPU: RV32 (MXL=1) with A, C, D, F, I, M, S, U. */
export const MISA_VALUE = (0x4000_0000 | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) |
  (1 << 12) | (1 << 18) | (1 << 20)) >>> 0;

/**
 * The ISA string of this CPU as Linux prints it in /proc/cpuinfo: the
 * single-letter extensions of {@link MISA_VALUE} (I, M, A, F, D, C) followed by the
 * multi-letter ones it implements: Zicntr (cycle, time, instret), Zicsr,
 * Zifencei, Sstc (stimecmp) and Svadu (hardware A/D updates).
 */
export const ISA_STRING = "rv32imafdc_zicntr_zicsr_zifencei_sstc_svadu";

/** `menvcfgh` bits: STCE (Sstc enable, menvcfg bit 63) and ADUE (Svadu, bit 61). */
export const MENVCFGH = {
  STCE: 0x8000_0000,
  ADUE: 1 << 29,
} as const;
