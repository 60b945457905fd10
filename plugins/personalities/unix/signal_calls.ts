/**
 * Signal calls of the Unix personality (rt_sigaction, rt_sigprocmask,
 * rt_sigpending, rt_sigsuspend, rt_sigreturn) and the delivery hook that
 * builds the riscv rt_sigframe on the user stack.
 *
 * The kernel decides when a signal is delivered, applies SA_NODEFER,
 * SA_RESETHAND and the handler's mask, and turns an interrupted blocking call
 * into EINTR or a restart (SA_RESTART); the personality owns the ABI: the
 * struct layouts, the frame and the return path.
 *
 * @module
 */

import {
  isValidSignal,
  K,
  type KernelApi,
  SA,
  SIG,
  type SigAction,
  type SignalInfo,
  type Thread,
} from "../../../kernel/api.ts";
import { decodeSigaction, encodeSigaction, SIG_HOW, SIGACTION_SIZE, SIGSET_SIZE } from "./abi.ts";
import { arg, procData, scratch, scratchView, threadData, uarg } from "./common.ts";
import { endInterruptedCall } from "./time_calls.ts";
import {
  decodeSignalFrame,
  decodeSignalFrameFp,
  encodeSignalFrame,
  MINSIGSTKSZ,
  placeSignalFrame,
  SIGFRAME,
  SS_AUTODISARM,
  SS_DISABLE,
  SS_ONSTACK,
} from "./signal_frame.ts";

/** SIGKILL and SIGSTOP can be neither caught nor blocked. */
const UNBLOCKABLE_LO = (1 << (SIG.KILL - 1)) | (1 << (SIG.STOP - 1));

/** rt_sigaction(sig, act, oact, sigsetsize). */
export function sysRtSigaction(t: Thread, api: KernelApi): number {
  const p = t.process;
  const sig = arg(t, 0);
  const act = uarg(t, 1);
  const oact = uarg(t, 2);
  if (uarg(t, 3) !== SIGSET_SIZE) return K.INVAL;
  if (!isValidSignal(sig)) return K.INVAL;
  if (act !== 0 && (sig === SIG.KILL || sig === SIG.STOP)) return K.INVAL;
  const cur = api.sigAction(p, sig);
  const old: SigAction = {
    handler: cur.handler,
    flags: cur.flags,
    maskLo: cur.maskLo,
    maskHi: cur.maskHi,
    restorer: cur.restorer,
  };
  if (act !== 0) {
    if (!api.copyInto(p, act, scratch.subarray(0, SIGACTION_SIZE))) return K.FAULT;
    const a = decodeSigaction(scratchView, 0);
    const r = api.setSigAction(p, sig, {
      handler: a.handler,
      flags: a.flags,
      maskLo: a.maskLo & ~UNBLOCKABLE_LO,
      maskHi: a.maskHi,
      restorer: 0,
    });
    if (r < 0) return r;
  }
  if (oact !== 0) {
    encodeSigaction(scratchView, 0, old);
    if (!api.copyOut(p, oact, scratch.subarray(0, SIGACTION_SIZE))) return K.FAULT;
  }
  return 0;
}

/** rt_sigprocmask(how, set, oset, sigsetsize). */
export function sysRtSigprocmask(t: Thread, api: KernelApi): number {
  const p = t.process;
  const how = arg(t, 0);
  const set = uarg(t, 1);
  const oset = uarg(t, 2);
  if (uarg(t, 3) !== SIGSET_SIZE) return K.INVAL;
  const oldLo = t.sigBlockedLo;
  const oldHi = t.sigBlockedHi;
  if (set !== 0) {
    if (!api.copyInto(p, set, scratch.subarray(0, 8))) return K.FAULT;
    const lo = scratchView.getInt32(0, true);
    const hi = scratchView.getInt32(4, true);
    switch (how) {
      case SIG_HOW.BLOCK:
        api.setSignalMask(t, oldLo | lo, oldHi | hi);
        break;
      case SIG_HOW.UNBLOCK:
        api.setSignalMask(t, oldLo & ~lo, oldHi & ~hi);
        break;
      case SIG_HOW.SETMASK:
        api.setSignalMask(t, lo, hi);
        break;
      default:
        return K.INVAL;
    }
  }
  if (oset !== 0) {
    scratchView.setInt32(0, oldLo, true);
    scratchView.setInt32(4, oldHi, true);
    if (!api.copyOut(p, oset, scratch.subarray(0, 8))) return K.FAULT;
  }
  return 0;
}

/** rt_sigpending(set, sigsetsize): blocked pending signals, the thread's and the process's. */
export function sysRtSigpending(t: Thread, api: KernelApi): number {
  const size = uarg(t, 1);
  if (size > SIGSET_SIZE) return K.INVAL;
  const p = t.process;
  scratchView.setInt32(0, (t.sigPendingLo | p.sigSharedLo) & t.sigBlockedLo, true);
  scratchView.setInt32(4, (t.sigPendingHi | p.sigSharedHi) & t.sigBlockedHi, true);
  return api.copyOut(t.process, uarg(t, 0), scratch.subarray(0, size)) ? 0 : K.FAULT;
}

/** rt_sigsuspend(mask, sigsetsize): waits for a signal with a temporary mask; returns EINTR. */
export function sysRtSigsuspend(t: Thread, api: KernelApi): number {
  if (uarg(t, 1) !== SIGSET_SIZE) return K.INVAL;
  if (!api.copyInto(t.process, uarg(t, 0), scratch.subarray(0, 8))) return K.FAULT;
  return api.sigSuspend(t, scratchView.getInt32(0, true), scratchView.getInt32(4, true));
}

/**
 * rt_sigreturn: restores the registers, pc and mask from the frame at sp
 * (where the handler's return left it). A frame that cannot be read kills
 * the process with SIGSEGV, as Linux does.
 */
export function sysRtSigreturn(t: Thread, api: KernelApi): number {
  const p = t.process;
  const frame = t.regs[2] >>> 0;
  const bytes = scratch.subarray(0, SIGFRAME.SIZE);
  if ((frame & 15) !== 0 || !api.copyInto(p, frame, bytes)) {
    api.tgkill(null, p.pid, t.tid, SIG.SEGV);
    return K.FAULT;
  }
  const ctx = decodeSignalFrame(bytes, t.regs);
  t.pc = ctx.pc;
  // FP state comes back from the frame too (the handler may have edited it).
  const fp = t.fp ?? (t.fp = { regs: new Float64Array(32), fcsr: 0, reload: false });
  fp.fcsr = decodeSignalFrameFp(bytes, fp.regs);
  fp.reload = true;
  return api.finishSigreturn(t, ctx.maskLo, ctx.maskHi);
}

/**
 * The personality's delivery hook: writes the rt_sigframe below the
 * interrupted sp and enters the handler with a0 = signal, a1 = &siginfo,
 * a2 = &ucontext, ra = the trampoline (`li a7, 139; ecall`) on the process's
 * sigreturn page.
 */
export function deliverUnixSignal(
  api: KernelApi,
  t: Thread,
  sig: number,
  action: SigAction,
  info: SignalInfo,
): boolean {
  endInterruptedCall(api, t);
  const d = threadData(t);
  const sp = t.regs[2] >>> 0;
  // SA_ONSTACK: switch to the alternate stack unless already on it.
  const useAlt = (action.flags & SA.ONSTACK) !== 0 && d.altStackSize !== 0 && !d.onAltStack(sp);
  const place = placeSignalFrame(useAlt ? d.altStackSp + d.altStackSize : sp);
  const bytes = encodeSignalFrame({
    regs: t.regs,
    pc: t.pc,
    info: {
      signo: sig,
      errno: 0,
      code: info.code,
      pid: info.pid,
      uid: info.uid,
      status: info.status,
      addr: info.addr,
    },
    savedMaskLo: t.sigBlockedLo,
    savedMaskHi: t.sigBlockedHi,
    altStack: { sp: d.altStackSp, flags: d.altStackFlags(sp), size: d.altStackSize },
    fp: t.fp,
  });
  if (!api.copyOut(t.process, place.frame, bytes)) return false;
  // Return through the process's read-execute trampoline page; the copy in
  // the frame is kept for layout fidelity but the stack is not executable.
  const page = procData(t.process, api).sigreturnPage;
  t.regs[1] = (page !== 0 ? page : place.trampoline) | 0;
  t.regs[2] = place.frame | 0;
  t.regs[10] = sig;
  t.regs[11] = place.infoAddr | 0;
  t.regs[12] = place.ucontextAddr | 0;
  t.pc = action.handler >>> 0;
  return true;
}

/**
 * sigaltstack(ss, old_ss): sets or queries the alternate signal stack used
 * by handlers installed with SA_ONSTACK. Changing it while running on it is
 * EPERM; a size below MINSIGSTKSZ (2048) is ENOMEM; SS_AUTODISARM is
 * accepted and ignored.
 */
export function sysSigaltstack(t: Thread, api: KernelApi): number {
  const p = t.process;
  const ss = uarg(t, 0);
  const old = uarg(t, 1);
  const d = threadData(t);
  const sp = t.regs[2] >>> 0;
  let newSp = 0, newFlags = 0, newSize = 0;
  if (ss !== 0) {
    if (!api.copyInto(p, ss, scratch.subarray(0, 12))) return K.FAULT;
    newSp = scratchView.getUint32(0, true);
    newFlags = scratchView.getUint32(4, true);
    newSize = scratchView.getUint32(8, true);
  }
  const oldSp = d.altStackSp, oldSize = d.altStackSize, oldFlags = d.altStackFlags(sp);
  if (ss !== 0) {
    if (d.onAltStack(sp)) return K.PERM;
    const mode = newFlags & ~SS_AUTODISARM;
    if (mode !== 0 && mode !== SS_ONSTACK && mode !== SS_DISABLE) return K.INVAL;
    if (mode === SS_DISABLE) {
      d.altStackSp = 0;
      d.altStackSize = 0;
    } else {
      if (newSize < MINSIGSTKSZ) return K.NOMEM;
      d.altStackSp = newSp;
      d.altStackSize = newSize;
    }
  }
  if (old !== 0) {
    scratchView.setUint32(0, oldSp, true);
    scratchView.setUint32(4, oldFlags, true);
    scratchView.setUint32(8, oldSize, true);
    if (!api.copyOut(p, old, scratch.subarray(0, 12))) return K.FAULT;
  }
  return 0;
}
