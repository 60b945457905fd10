/**
 * The signal service: what the kernel API offers on top of the signal
 * engine (`signals.ts`, which queues and delivers).
 *
 * - sending: {@link SignalService.kill} (pid, group, everyone),
 *   {@link SignalService.tgkill} (one thread), {@link SignalService.killGroup};
 * - actions and masks: {@link SignalService.setSigAction},
 *   {@link SignalService.setSignalMask}, {@link SignalService.sigSuspend},
 *   {@link SignalService.finishSigreturn};
 * - faults: {@link SignalService.forceSignal}, a synchronous signal that can
 *   be neither blocked nor ignored (a personality's `onFault` uses it).
 *
 * No permission checks here: personalities apply their own rules.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import { BLOCK, NO_RESULT } from "../proc/call_result.ts";
import {
  type ParkingPlace,
  type Process,
  type SigAction,
  TaskState,
  type Thread,
} from "../proc/process.ts";
import type { ProcessTable } from "../proc/process_table.ts";
import { isValidSignal, SIG, SIG_DFL, SIG_IGN } from "./signal_numbers.ts";
import { SI, type SignalEngine } from "./signals.ts";

const PAUSE_PLACE: ParkingPlace = { name: "pause", remove: () => {} };

/** Signal operations of the kernel API over one engine and process table. */
export class SignalService {
  readonly #table: ProcessTable;
  readonly #engine: SignalEngine;

  /**
   * Creates the service.
   *
   * @param table The process table (targets by pid and group).
   * @param engine The engine that queues and delivers.
   */
  constructor(table: ProcessTable, engine: SignalEngine) {
    this.#table = table;
    this.#engine = engine;
  }

  /** kill(2) targets: pid > 0, the sender's group (0), all but init and the sender (-1), group -pid. */
  kill(sender: Process | null, pid: number, sig: number): KStatus {
    if (sig !== 0 && !isValidSignal(sig)) return K.INVAL;
    const from = sender?.pid ?? 0;
    if (pid > 0) {
      // A tid names its process too, as in Linux.
      const p = this.#table.get(pid) ?? this.#table.thread(pid)?.process;
      if (p === undefined) return K.SRCH;
      return this.#engine.send(p, sig, from);
    }
    if (pid === 0) {
      if (sender === null) return K.INVAL;
      return this.#sendGroup(sender.pgid, sig, from);
    }
    if (pid === -1) {
      let n = 0;
      for (const p of this.#table.list()) {
        if (p.pid === 1 || p === sender || p.state === TaskState.ZOMBIE) continue;
        this.#engine.send(p, sig, from);
        n++;
      }
      return n > 0 ? K.OK : K.SRCH;
    }
    return this.#sendGroup(-pid, sig, from);
  }

  /** Sends `sig` to thread `tid` of process `tgid` (-1: any process). */
  tgkill(sender: Process | null, tgid: number, tid: number, sig: number): KStatus {
    if (sig !== 0 && !isValidSignal(sig)) return K.INVAL;
    if (!(tid > 0)) return K.INVAL;
    const t = this.#table.thread(tid);
    if (
      t === undefined || (tgid !== -1 && t.process.pid !== tgid) ||
      (t.state === TaskState.ZOMBIE && t.process.state !== TaskState.ZOMBIE)
    ) {
      return K.SRCH;
    }
    return this.#engine.sendThread(t, sig, sender?.pid ?? 0, SI.TKILL);
  }

  /** Signals every live process of group `pgid` (the tty's job control). */
  killGroup(pgid: number, sig: number): KStatus {
    return this.#sendGroup(pgid, sig, 0);
  }

  #sendGroup(pgid: number, sig: number, from: number): KStatus {
    if (!(pgid > 0)) return K.INVAL;
    let n = 0;
    for (const p of this.#table.list()) {
      if (p.pgid !== pgid || p.state === TaskState.ZOMBIE) continue;
      this.#engine.send(p, sig, from);
      n++;
    }
    return n > 0 ? K.OK : K.SRCH;
  }

  /** The live action of `sig` (index 0 for a bad number). */
  sigAction(p: Process, sig: number): SigAction {
    return p.sigActions[isValidSignal(sig) ? sig : 0];
  }

  /** Sets an action; discards pending instances when the signal becomes ignored. */
  setSigAction(p: Process, sig: number, action: SigAction): KStatus {
    if (!isValidSignal(sig) || sig === SIG.KILL || sig === SIG.STOP) return K.INVAL;
    const a = p.sigActions[sig];
    a.handler = action.handler >>> 0;
    a.flags = action.flags >>> 0;
    a.maskLo = action.maskLo & ~((1 << (SIG.KILL - 1)) | (1 << (SIG.STOP - 1)));
    a.maskHi = action.maskHi;
    a.restorer = action.restorer >>> 0;
    if (this.#engine.isIgnored(p, sig)) {
      for (const t of p.threads) {
        if (sig <= 32) t.sigPendingLo &= ~(1 << (sig - 1));
        else t.sigPendingHi &= ~(1 << (sig - 33));
      }
      if (sig <= 32) p.sigSharedLo &= ~(1 << (sig - 1));
      else p.sigSharedHi &= ~(1 << (sig - 33));
    }
    return K.OK;
  }

  /** Sets the blocked mask of `t`. */
  setSignalMask(t: Thread, lo: number, hi: number): void {
    this.#engine.setMask(t, lo, hi);
  }

  /** sigsuspend: a temporary mask, then park until a signal is delivered. */
  sigSuspend(t: Thread, lo: number, hi: number): number {
    if (!t.hasSavedMask) {
      t.savedBlockedLo = t.sigBlockedLo;
      t.savedBlockedHi = t.sigBlockedHi;
      t.hasSavedMask = true;
    }
    this.#engine.setMask(t, lo, hi);
    t.noRestart = true;
    if (((t.sigPendingLo & ~t.sigBlockedLo) | (t.sigPendingHi & ~t.sigBlockedHi)) !== 0) {
      // Already deliverable: do not sleep, let delivery end the call with EINTR.
      t.interrupted = true;
      return BLOCK;
    }
    this.#table.park(t, PAUSE_PLACE);
    return BLOCK;
  }

  /** Ends a sigreturn: installs the frame's mask. */
  finishSigreturn(t: Thread, lo: number, hi: number): number {
    this.#engine.setMask(t, lo, hi);
    return NO_RESULT;
  }

  /**
   * Sends a synchronous fault signal to `t`: if it is ignored or blocked it
   * is reset to the default action and unblocked first, so that a fault
   * cannot recur forever inside a handler.
   */
  forceSignal(t: Thread, sig: number, code: number, addr: number): void {
    const act = t.process.sigActions[sig];
    const bit = 1 << (sig - 1);
    if (act.handler === SIG_IGN || (t.sigBlockedLo & bit) !== 0) {
      act.handler = SIG_DFL;
      t.sigBlockedLo &= ~bit;
    }
    this.#engine.sendThread(t, sig, 0, code, 0, addr);
  }
}
