/**
 * Signals: generation (kill, faults, the tty), job-control side effects
 * (stop, continue, SIGCHLD to the parent) and delivery when a thread is
 * about to return to user mode: the default action, or the personality's
 * frame builder for a caught signal.
 *
 * Pending and blocked sets are per thread, as two 32-bit words each (bit
 * n-1 of `Lo` is signal n, bit n-33 of `Hi` is signal n). Actions are per
 * process. SIGKILL and SIGSTOP can be neither caught, ignored nor blocked,
 * and act on every thread of the process.
 *
 * Choosing a thread: a thread-directed signal (tgkill, a fault) is pending
 * on its thread. A process-directed signal (kill, SIGCHLD, the tty) goes to
 * the first live thread that does not block it; when every thread blocks it,
 * it waits in the process's shared set and moves to the first thread whose
 * mask changes to let it through ({@link SignalEngine.setMask}).
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { Process, SigAction, Thread } from "../proc/process.ts";
import { TaskState } from "../proc/process.ts";
import type { ProcessTable } from "../proc/process_table.ts";
import {
  DefaultAction,
  defaultAction,
  isValidSignal,
  SA,
  SIG,
  SIG_DFL,
  SIG_IGN,
} from "./signal_numbers.ts";

/** si_code values used by the kernel (Linux numbering). */
export const SI = {
  /** Sent by kill(). */
  USER: 0,
  /** Sent by the kernel. */
  KERNEL: 0x80,
  /** Sent by tgkill(). */
  TKILL: -6,
} as const;

/** SIGCHLD si_code values. */
export const CLD = { EXITED: 1, KILLED: 2, DUMPED: 3, STOPPED: 5, CONTINUED: 6 } as const;

/** SIGSEGV si_code values. */
export const SEGV = { MAPERR: 1, ACCERR: 2 } as const;

/** Details of a signal being delivered (valid only during the `deliverSignal` call). */
export interface SignalInfo {
  /** Signal number. */
  signo: number;
  /** si_code (0 = SI_USER from kill, 0x80 = SI_KERNEL, CLD_* for SIGCHLD, SEGV_* for faults). */
  code: number;
  /** Sending pid (0 for the kernel), or the child's pid for SIGCHLD. */
  pid: number;
  /** Sending uid. */
  uid: number;
  /** Exit status or signal for SIGCHLD. */
  status: number;
  /** Faulting address for SIGSEGV/SIGBUS/SIGILL. */
  addr: number;
}

/** What the signal engine needs from the layers above it. */
export interface SignalHooks {
  /** Terminates `p` by signal `sig` (`core`: default action dumps core). */
  terminate(p: Process, sig: number, core: boolean): void;
  /** Builds a handler frame through the process's personality; false if it failed. */
  deliverToHandler(t: Thread, sig: number, action: SigAction, info: SignalInfo): boolean;
  /** The a0 value of a call interrupted by a signal (the personality's EINTR). */
  interruptedResult(t: Thread): number;
  /** Charges kernel work (cycles). */
  charge(cycles: number): void;
  /** Cycle cost of building a frame. */
  readonly deliveryCost: number;
}

const STOP_MASK_LO = bit(SIG.STOP) | bit(SIG.TSTP) | bit(SIG.TTIN) | bit(SIG.TTOU);
const UNBLOCKABLE_LO = bit(SIG.KILL) | bit(SIG.STOP);

/** The bit of `sig` within its word. */
function bit(sig: number): number {
  return sig <= 32 ? (1 << (sig - 1)) : (1 << (sig - 33));
}

/** True if `sig` is in the (lo, hi) set. */
export function sigIsMember(lo: number, hi: number, sig: number): boolean {
  return sig <= 32 ? (lo & bit(sig)) !== 0 : (hi & bit(sig)) !== 0;
}

/** Signal generation and delivery for one kernel. */
export class SignalEngine {
  /** Signals delivered to handlers. */
  delivered = 0;
  readonly #table: ProcessTable;
  readonly #hooks: SignalHooks;
  readonly #info: SignalInfo = { signo: 0, code: 0, pid: 0, uid: 0, status: 0, addr: 0 };

  /** Creates the engine over a process table. */
  constructor(table: ProcessTable, hooks: SignalHooks) {
    this.#table = table;
    this.#hooks = hooks;
  }

  /** True if `sig` would be discarded by `p` right now (SIG_IGN, or default action ignore). */
  isIgnored(p: Process, sig: number): boolean {
    const h = p.sigActions[sig].handler;
    if (h === SIG_IGN) return true;
    if (h !== SIG_DFL) return false;
    const d = defaultAction(sig);
    return d === DefaultAction.IGNORE || d === DefaultAction.CONTINUE;
  }

  /** True if `t` blocks `sig`. */
  isBlocked(t: Thread, sig: number): boolean {
    return sigIsMember(t.sigBlockedLo, t.sigBlockedHi, sig);
  }

  /** Sends a process-directed signal (to its first thread that does not block it). */
  send(
    p: Process,
    sig: number,
    senderPid: number,
    code: number = SI.USER,
    status = 0,
    addr = 0,
  ): KStatus {
    if (sig === 0) return K.OK;
    if (!isValidSignal(sig)) return K.INVAL;
    if (p.state === TaskState.ZOMBIE || p.threads.length === 0) return K.OK;
    let target: Thread | null = null;
    let live: Thread | null = null;
    for (const t of p.threads) {
      if (t.state === TaskState.ZOMBIE) continue;
      if (live === null) live = t;
      if (!this.isBlocked(t, sig)) {
        target = t;
        break;
      }
    }
    if (target === null && live !== null && p.liveThreads > 1 && !this.#jobControl(sig)) {
      // Every thread blocks it: it waits for the first one that unblocks it.
      if (this.isIgnored(p, sig)) return K.OK;
      if (sig <= 32) p.sigSharedLo |= bit(sig);
      else p.sigSharedHi |= bit(sig);
      const i = sig * 4;
      p.sharedInfo[i] = senderPid;
      p.sharedInfo[i + 1] = code;
      p.sharedInfo[i + 2] = status;
      p.sharedInfo[i + 3] = addr;
      return K.OK;
    }
    return this.sendThread(target ?? live ?? p.threads[0], sig, senderPid, code, status, addr);
  }

  /** SIGKILL, SIGCONT and the stop signals act on the whole process at generation. */
  #jobControl(sig: number): boolean {
    return sig === SIG.KILL || sig === SIG.CONT || (sig <= 32 && (bit(sig) & STOP_MASK_LO) !== 0);
  }

  /** Moves shared pending signals that `t` does not block into its own pending set. */
  #claimShared(t: Thread): void {
    const p = t.process;
    const lo = p.sigSharedLo & ~t.sigBlockedLo;
    const hi = p.sigSharedHi & ~t.sigBlockedHi;
    if ((lo | hi) === 0 || t.state === TaskState.ZOMBIE) return;
    p.sigSharedLo &= ~lo;
    p.sigSharedHi &= ~hi;
    for (let sig = 1; sig <= 64; sig++) {
      if (!sigIsMember(lo, hi, sig)) continue;
      const i = sig * 4;
      t.sigInfo.set(p.sharedInfo.subarray(i, i + 4), i);
      if (sig <= 32) t.sigPendingLo |= bit(sig);
      else t.sigPendingHi |= bit(sig);
    }
    if (t.state === TaskState.BLOCKED) this.#table.interrupt(t);
  }

  /** Sends a signal to one thread. */
  sendThread(
    t: Thread,
    sig: number,
    senderPid: number,
    code: number = SI.USER,
    status = 0,
    addr = 0,
  ): KStatus {
    if (sig === 0) return K.OK;
    if (!isValidSignal(sig)) return K.INVAL;
    const p = t.process;
    if (p.state === TaskState.ZOMBIE) return K.OK;
    if (sig === SIG.KILL) {
      this.#hooks.terminate(p, SIG.KILL, false);
      return K.OK;
    }
    if (sig === SIG.CONT) {
      for (const th of p.threads) th.sigPendingLo &= ~STOP_MASK_LO;
      p.sigSharedLo &= ~STOP_MASK_LO;
      if (this.#table.resume(p)) {
        p.stopReportPending = false;
        p.continueReportPending = true;
        this.notifyParent(p, CLD.CONTINUED, SIG.CONT);
      }
    } else if (sig <= 32 && (bit(sig) & STOP_MASK_LO) !== 0) {
      for (const th of p.threads) th.sigPendingLo &= ~bit(SIG.CONT);
      p.sigSharedLo &= ~bit(SIG.CONT);
    }
    const blocked = this.isBlocked(t, sig);
    if (!blocked && this.isIgnored(p, sig)) return K.OK;
    if (sig <= 32) t.sigPendingLo |= bit(sig);
    else t.sigPendingHi |= bit(sig);
    const i = sig * 4;
    t.sigInfo[i] = senderPid;
    t.sigInfo[i + 1] = code;
    t.sigInfo[i + 2] = status;
    t.sigInfo[i + 3] = addr;
    if (blocked) return K.OK;
    const act = p.sigActions[sig];
    if (act.handler === SIG_DFL && p.state !== TaskState.STOPPED) {
      const d = defaultAction(sig);
      if (d === DefaultAction.TERMINATE || d === DefaultAction.CORE) {
        // Fatal and not blocked: no need to wait for the target to run.
        this.#clear(t, sig);
        this.#hooks.terminate(p, sig, d === DefaultAction.CORE);
        return K.OK;
      }
      if (d === DefaultAction.STOP && t !== this.#table.current) {
        this.#clear(t, sig);
        this.#stop(p, sig);
        return K.OK;
      }
    }
    if (t.state === TaskState.BLOCKED) this.#table.interrupt(t);
    return K.OK;
  }

  #clear(t: Thread, sig: number): void {
    if (sig <= 32) t.sigPendingLo &= ~bit(sig);
    else t.sigPendingHi &= ~bit(sig);
  }

  #stop(p: Process, sig: number): void {
    if (p.state === TaskState.ZOMBIE) return;
    this.#table.stop(p);
    p.stopSignal = sig;
    p.stopReportPending = true;
    p.continueReportPending = false;
    if (this.#table.current !== null && this.#table.current.process === p) {
      this.#table.current = null;
    }
    this.notifyParent(p, CLD.STOPPED, sig);
  }

  /**
   * Tells `p`'s parent about a state change: wakes its wait() and sends
   * SIGCHLD (not for stop/continue when the parent asked SA_NOCLDSTOP).
   */
  notifyParent(p: Process, code: number, status: number): void {
    const parent = p.parent;
    if (parent === null || parent.state === TaskState.ZOMBIE) return;
    this.#table.childEvents(parent).wakeAll();
    const act = parent.sigActions[SIG.CHLD];
    if ((code === CLD.STOPPED || code === CLD.CONTINUED) && (act.flags & SA.NOCLDSTOP) !== 0) {
      return;
    }
    this.send(parent, SIG.CHLD, p.pid, code, status);
  }

  /**
   * Sets the blocked mask; SIGKILL and SIGSTOP stay unblocked. Shared
   * process-directed signals the new mask lets through become the thread's.
   */
  setMask(t: Thread, lo: number, hi: number): void {
    t.sigBlockedLo = lo & ~UNBLOCKABLE_LO;
    t.sigBlockedHi = hi;
    const p = t.process;
    if ((p.sigSharedLo | p.sigSharedHi) !== 0) this.#claimShared(t);
  }

  /**
   * Delivers pending unblocked signals to `t` (about to return to user mode):
   * default actions are applied, one caught signal gets a frame.
   */
  deliver(t: Thread): void {
    const p = t.process;
    const hooks = this.#hooks;
    for (;;) {
      const lo = t.sigPendingLo & ~t.sigBlockedLo;
      const hi = t.sigPendingHi & ~t.sigBlockedHi;
      if ((lo | hi) === 0) break;
      const sig = lo !== 0 ? 32 - Math.clz32(lo & -lo) : 64 - Math.clz32(hi & -hi);
      this.#clear(t, sig);
      const act = p.sigActions[sig];
      if (act.handler === SIG_IGN) continue;
      if (act.handler === SIG_DFL) {
        const d = defaultAction(sig);
        if (d === DefaultAction.IGNORE || d === DefaultAction.CONTINUE) continue;
        if (d === DefaultAction.STOP) {
          this.#stop(p, sig);
          return;
        }
        hooks.terminate(p, sig, d === DefaultAction.CORE);
        return;
      }
      // A call that already did part of its work (and is parked or about to
      // restart) returns that part when a handler runs, even under SA_RESTART.
      if (t.interrupted || t.partialResult >= 0) {
        t.interrupted = false;
        if ((act.flags & SA.RESTART) === 0 || t.noRestart || t.partialResult >= 0) {
          t.regs[10] = hooks.interruptedResult(t);
          t.pc = (t.restartPc + 4) >>> 0;
        }
      }
      if (t.hasSavedMask) {
        t.hasSavedMask = false;
        this.setMask(t, t.savedBlockedLo, t.savedBlockedHi);
      }
      const info = this.#info;
      const i = sig * 4;
      info.signo = sig;
      info.pid = t.sigInfo[i];
      info.code = t.sigInfo[i + 1];
      info.status = t.sigInfo[i + 2];
      info.addr = t.sigInfo[i + 3] >>> 0;
      info.uid = 0;
      hooks.charge(hooks.deliveryCost);
      if (!hooks.deliverToHandler(t, sig, act, info)) {
        hooks.terminate(p, SIG.SEGV, true);
        return;
      }
      this.delivered++;
      let mlo = t.sigBlockedLo | act.maskLo, mhi = t.sigBlockedHi | act.maskHi;
      if ((act.flags & SA.NODEFER) === 0) {
        if (sig <= 32) mlo |= bit(sig);
        else mhi |= bit(sig);
      }
      this.setMask(t, mlo, mhi);
      if ((act.flags & SA.RESETHAND) !== 0) {
        act.handler = SIG_DFL;
        act.flags &= ~SA.RESETHAND;
      }
      t.noRestart = false;
      return;
    }
    if (t.interrupted) {
      t.interrupted = false;
      if (t.noRestart) {
        // sigsuspend/pause end with EINTR even when the signal needed no handler.
        t.regs[10] = hooks.interruptedResult(t);
        t.pc = (t.restartPc + 4) >>> 0;
        t.noRestart = false;
        if (t.hasSavedMask) {
          t.hasSavedMask = false;
          this.setMask(t, t.savedBlockedLo, t.savedBlockedHi);
        }
      }
    }
  }
}
