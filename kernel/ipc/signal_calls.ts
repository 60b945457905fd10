/**
 * The signal, process-group and process-handle calls of the kernel API
 * (`KernelApi` in `kernel/api.ts`): each delegates to the signal service, the
 * group rules of `proc/groups.ts` or the process table. The kernel facade
 * inherits them (with the memory calls below them and the descriptor calls
 * above).
 *
 * @module
 */

import type { KStatus } from "../errors.ts";
import { GuestMemoryCalls } from "../mm/memory_calls.ts";
import { getpgid, getsid, setpgid, setsid } from "../proc/groups.ts";
import type { Process, SigAction, Thread } from "../proc/process.ts";
import type { ProcessTable } from "../proc/process_table.ts";
import type { SignalService } from "./signal_service.ts";
import type { WaitQueue } from "./wait_queue.ts";

/** Signal and process-group operations, for the kernel facade to inherit. */
export abstract class SignalCalls extends GuestMemoryCalls {
  /** The signal service the calls go to. */
  protected abstract signalService(): SignalService;
  /** The process table (groups, handles). */
  protected abstract processTable(): ProcessTable;

  /** kill(2) semantics without permission checks. */
  kill(sender: Process | null, pid: number, sig: number): KStatus {
    return this.signalService().kill(sender, pid, sig);
  }

  /** Sends to one thread. */
  tgkill(sender: Process | null, tgid: number, tid: number, sig: number): KStatus {
    return this.signalService().tgkill(sender, tgid, tid, sig);
  }

  /** Signals a process group. */
  killGroup(pgid: number, sig: number): KStatus {
    return this.signalService().killGroup(pgid, sig);
  }

  /** A synchronous fault signal. */
  forceSignal(t: Thread, sig: number, code: number, address: number): void {
    this.signalService().forceSignal(t, sig, code, address);
  }

  /** Takes a handle-style reference to `p`. */
  retainProcess(p: Process): void {
    this.processTable().retain(p);
  }

  /** Drops a reference from {@link retainProcess}. */
  releaseProcess(p: Process): void {
    this.processTable().release(p);
  }

  /** The queue woken when `p` exits. */
  processExitQueue(p: Process): WaitQueue | null {
    return this.processTable().exitEvent(p) as WaitQueue | null;
  }

  /** setpgid with the POSIX checks. */
  setpgid(caller: Process, pid: number, pgid: number): KStatus {
    return setpgid(this.processTable(), caller, pid, pgid);
  }

  /** getpgid. */
  getpgid(caller: Process, pid: number): number {
    return getpgid(this.processTable(), caller, pid);
  }

  /** setsid. */
  setsid(caller: Process): number {
    return setsid(this.processTable(), caller);
  }

  /** getsid. */
  getsid(caller: Process, pid: number): number {
    return getsid(this.processTable(), caller, pid);
  }

  /** The action of `sig`. */
  sigAction(p: Process, sig: number): SigAction {
    return this.signalService().sigAction(p, sig);
  }

  /** Sets an action. */
  setSigAction(p: Process, sig: number, action: SigAction): KStatus {
    return this.signalService().setSigAction(p, sig, action);
  }

  /** Sets the blocked mask. */
  setSignalMask(t: Thread, lo: number, hi: number): void {
    this.signalService().setSignalMask(t, lo, hi);
  }

  /** sigsuspend. */
  sigSuspend(t: Thread, lo: number, hi: number): number {
    return this.signalService().sigSuspend(t, lo, hi);
  }

  /** Ends rt_sigreturn. */
  finishSigreturn(t: Thread, lo: number, hi: number): number {
    return this.signalService().finishSigreturn(t, lo, hi);
  }
}
