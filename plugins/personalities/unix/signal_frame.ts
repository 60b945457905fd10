/**
 * The riscv `struct rt_sigframe` the personality builds on the user stack
 * when it runs a signal handler, and reads back in `rt_sigreturn`.
 *
 * Layout (rv32, offsets from the frame start, which is 16-byte aligned):
 *
 * | offset | size | field |
 * |---|---|---|
 * | 0 | 128 | `siginfo_t info` |
 * | 128 | 4 | `uc.uc_flags` |
 * | 132 | 4 | `uc.uc_link` |
 * | 136 | 12 | `uc.uc_stack` (ss_sp, ss_flags, ss_size) |
 * | 148 | 8 | `uc.uc_sigmask` (64 signals) |
 * | 156 | 120 | unused (sigset room up to 1024 bits) |
 * | 288 | 128 | `uc.uc_mcontext.sc_regs`: pc, x1 .. x31 |
 * | 416 | 528 | `uc.uc_mcontext.sc_fpregs`: the D state, f0..f31 (8 bytes each) then `fcsr` at 672; the rest zero |
 * | 944 | 8 | return trampoline: `li a7, 139` ; `ecall` |
 * | 960 | | end (size rounded to 16) |
 *
 * `uc_mcontext` sits at 160 inside the ucontext because `struct sigcontext`
 * is 16-byte aligned; the fp union is sized by its largest member (the Q
 * state, 528 bytes). riscv has no `sa_restorer`: Linux returns through its
 * vDSO. This kernel writes the two-instruction trampoline into the frame
 * (as no-MMU riscv Linux does) and also keeps a read-execute copy on a
 * per-process page, which is what `ra` points at, because the stack is
 * mapped without execute permission.
 *
 * @module
 */

import { encodeSiginfo, SIGINFO_SIZE, type SiginfoFields } from "./abi.ts";

/** Offsets and size of the frame. */
export const SIGFRAME = {
  INFO: 0,
  UC: SIGINFO_SIZE,
  UC_FLAGS: 128,
  UC_LINK: 132,
  UC_STACK: 136,
  UC_SIGMASK: 148,
  MCONTEXT: 288,
  FPREGS: 416,
  TRAMPOLINE: 944,
  SIZE: 960,
} as const;

/** `li a7, 139` (addi x17, x0, 139): rt_sigreturn's number. */
export const TRAMPOLINE_LI_A7 = (139 << 20) | (17 << 7) | 0x13;
/** `ecall`. */
export const TRAMPOLINE_ECALL = 0x00000073;

/** `SS_ONSTACK`: the thread is running on its alternate signal stack. */
export const SS_ONSTACK = 1;
/** `SS_DISABLE`: no alternate signal stack. */
export const SS_DISABLE = 2;
/** `SS_AUTODISARM` (flag bit accepted by sigaltstack). */
export const SS_AUTODISARM = 0x8000_0000;
/** Smallest alternate stack sigaltstack accepts (asm-generic MINSIGSTKSZ). */
export const MINSIGSTKSZ = 2048;

/** What a handler invocation needs. */
export interface SignalFrameInput {
  /** Register file at the interruption (x0..x31; x0 ignored). */
  regs: Int32Array;
  /** pc to resume at after the handler returns. */
  pc: number;
  /** The signal's info. */
  info: SiginfoFields;
  /** Signal mask to restore after the handler (low 32 signals). */
  savedMaskLo: number;
  /** Signal mask to restore (high 32 signals). */
  savedMaskHi: number;
  /** `uc_stack` contents: the alternate stack in force (omit for none: SS_DISABLE). */
  altStack?: { sp: number; flags: number; size: number };
  /** The F/D registers (raw 64-bit contents) and fcsr; omit when the thread has none (zeros). */
  fp?: { regs: Float64Array; fcsr: number } | null;
}

/** Where the frame goes and how the thread enters the handler. */
export interface SignalFramePlacement {
  /** Frame address (the handler's sp). */
  frame: number;
  /** Address of the return trampoline (the handler's ra). */
  trampoline: number;
  /** Address of the siginfo (a1). */
  infoAddr: number;
  /** Address of the ucontext (a2). */
  ucontextAddr: number;
}

/** Places a frame below `sp`: Linux's `(sp - size) & ~15`. */
export function placeSignalFrame(sp: number): SignalFramePlacement {
  const frame = ((sp >>> 0) - SIGFRAME.SIZE) & ~15;
  const f = frame >>> 0;
  return {
    frame: f,
    trampoline: f + SIGFRAME.TRAMPOLINE,
    infoAddr: f + SIGFRAME.INFO,
    ucontextAddr: f + SIGFRAME.UC,
  };
}

/** Encodes the frame's bytes (SIGFRAME.SIZE of them). */
export function encodeSignalFrame(input: SignalFrameInput): Uint8Array {
  const bytes = new Uint8Array(SIGFRAME.SIZE);
  const view = new DataView(bytes.buffer);
  encodeSiginfo(view, SIGFRAME.INFO, input.info);
  const alt = input.altStack;
  view.setUint32(SIGFRAME.UC_STACK, alt?.sp ?? 0, true);
  view.setUint32(SIGFRAME.UC_STACK + 4, alt?.flags ?? SS_DISABLE, true);
  view.setUint32(SIGFRAME.UC_STACK + 8, alt?.size ?? 0, true);
  view.setUint32(SIGFRAME.UC_SIGMASK, input.savedMaskLo >>> 0, true);
  view.setUint32(SIGFRAME.UC_SIGMASK + 4, input.savedMaskHi >>> 0, true);
  view.setUint32(SIGFRAME.MCONTEXT, input.pc >>> 0, true);
  for (let i = 1; i < 32; i++) view.setInt32(SIGFRAME.MCONTEXT + 4 * i, input.regs[i], true);
  const fp = input.fp;
  if (fp) {
    bytes.set(new Uint8Array(fp.regs.buffer, fp.regs.byteOffset, 256), SIGFRAME.FPREGS);
    view.setUint32(SIGFRAME.FPREGS + 256, fp.fcsr >>> 0, true);
  }
  view.setUint32(SIGFRAME.TRAMPOLINE, TRAMPOLINE_LI_A7, true);
  view.setUint32(SIGFRAME.TRAMPOLINE + 4, TRAMPOLINE_ECALL, true);
  return bytes;
}

/** The state rt_sigreturn restores. */
export interface RestoredContext {
  /** pc to resume at. */
  pc: number;
  /** Signal mask (low 32 signals). */
  maskLo: number;
  /** Signal mask (high 32 signals). */
  maskHi: number;
}

/** Reads the F/D state of a frame into `regs` (32 doubles) and returns fcsr. */
export function decodeSignalFrameFp(bytes: Uint8Array, regs: Float64Array): number {
  new Uint8Array(regs.buffer, regs.byteOffset, 256).set(
    bytes.subarray(SIGFRAME.FPREGS, SIGFRAME.FPREGS + 256),
  );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(SIGFRAME.FPREGS + 256, true) & 0xff;
}

/**
 * Reads the context back from a frame's bytes: writes x1..x31 into `regs`
 * (x0 stays 0) and returns pc and mask. The handler may have edited the
 * ucontext (that is how user-level context switching via signals works), so
 * everything is taken from memory, not from a host-side copy.
 */
export function decodeSignalFrame(bytes: Uint8Array, regs: Int32Array): RestoredContext {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  regs[0] = 0;
  for (let i = 1; i < 32; i++) regs[i] = view.getInt32(SIGFRAME.MCONTEXT + 4 * i, true);
  return {
    pc: view.getUint32(SIGFRAME.MCONTEXT, true),
    maskLo: view.getUint32(SIGFRAME.UC_SIGMASK, true),
    maskHi: view.getUint32(SIGFRAME.UC_SIGMASK + 4, true),
  };
}
