/**
 * Console control events (Ctrl+C, Ctrl+Break) of Win32 processes. The
 * console's Ctrl+C is the terminal's SIGINT to its foreground process group
 * (Ctrl+\, SIGQUIT, stands for Ctrl+Break). A Win32 process catches both
 * (set up at its start, {@link CTRL_SIGNAL_ACTION}); delivering one starts a
 * new thread at kernel32's exported `CtrlRoutine(event)`, as Windows' console
 * does, which calls the handlers SetConsoleCtrlHandler registered, the last
 * registered first, and ends the process with STATUS_CONTROL_C_EXIT when none
 * returns TRUE. A process whose kernel32 has no CtrlRoutine ends with that
 * status at once.
 *
 * @module
 */

import type { Process, SigAction, Thread } from "../../../kernel/api.ts";
import type { Executive } from "./executive.ts";
import { STATUS } from "./ntstatus.ts";
import { ntdllExport, startWin32Thread } from "./thread_calls.ts";

/** CTRL_C_EVENT and CTRL_BREAK_EVENT. */
export const CTRL_EVENT = { C: 0, BREAK: 1 } as const;
/** SIGINT and SIGQUIT. */
const SIGINT = 2, SIGQUIT = 3, SIGKILL = 9;
/** SA_RESTART | SA_NODEFER: the interrupted call restarts; the thread's mask is left alone. */
const SA_RESTART = 0x1000_0000, SA_NODEFER = 0x4000_0000;
/** The handler value marking the signals the executive turns into control events. */
const CTRL_HANDLER = 2;
/** Stack reserve of a control thread (bytes). */
const CTRL_STACK = 64 * 1024;

/** The signal action a Win32 process gets for SIGINT and SIGQUIT. */
export const CTRL_SIGNAL_ACTION: SigAction = {
  handler: CTRL_HANDLER,
  flags: SA_RESTART | SA_NODEFER,
  maskLo: 0,
  maskHi: 0,
  restorer: 0,
};

/** Catches SIGINT and SIGQUIT in a new Win32 process. */
export function catchCtrlSignals(ex: Executive, p: Process): void {
  for (const sig of [SIGINT, SIGQUIT]) ex.api.setSigAction(p, sig, { ...CTRL_SIGNAL_ACTION });
}

/**
 * The personality's deliverSignal: SIGINT / SIGQUIT start the control
 * thread of the process of `t`; any other caught signal cannot be delivered
 * to a Win32 process (false: the kernel ends it).
 */
export function deliverCtrl(ex: Executive, t: Thread, sig: number): boolean {
  if (sig !== SIGINT && sig !== SIGQUIT) return false;
  const w = ex.data(t.process);
  if (w === null) return false;
  const routine = ntdllExport(w, "kernel32.dll", "CtrlRoutine");
  const event = sig === SIGINT ? CTRL_EVENT.C : CTRL_EVENT.BREAK;
  const o = routine === 0 ? STATUS.ENTRYPOINT_NOT_FOUND : startWin32Thread(ex, t, {
    start: routine,
    arg: event,
    reserve: CTRL_STACK,
    commit: 0,
    suspended: false,
  });
  if (typeof o === "number") {
    w.object.exitStatus = STATUS.CONTROL_C_EXIT;
    ex.api.kill(null, t.process.pid, SIGKILL);
  }
  return true;
}
