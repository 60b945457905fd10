/**
 * Structured exceptions, the unhandled path only: a fault the kernel cannot
 * resolve becomes an NT exception (`vmFault` picks the code). If the
 * process's ntdll exports `KiUserExceptionDispatcher`, the faulting thread
 * continues there with an EXCEPTION_RECORD and a CONTEXT (x0..x31 and the
 * pc, the RISC-V layout of `windows.h`) pushed on its stack:
 * `KiUserExceptionDispatcher(record, context)`. ntdll calls the filter of
 * SetUnhandledExceptionFilter, then either NtContinue(context) (the filter
 * answered EXCEPTION_CONTINUE_EXECUTION) or ends the process with the code.
 * A fault while a thread is dispatching (before its NtContinue) ends the
 * process at once, as does a stack the frame cannot be written to.
 * Frame-based handlers (__try/__except) are not supported; floating-point
 * registers are not part of the CONTEXT.
 *
 * @module
 */

import { CAUSE, type KernelApi, NO_RESULT, type Thread } from "../../../kernel/api.ts";
import { findExport } from "../../../lib/pe.ts";
import type { Executive } from "./executive.ts";
import { nt, STATUS } from "./ntstatus.ts";
import { VM_STATUS } from "./vm_calls.ts";

/** Bytes of the CONTEXT (ContextFlags, X[32], Pc) and of the EXCEPTION_RECORD. */
const CONTEXT_SIZE = 136, RECORD_SIZE = 80;
/** Threads between the redirection and their NtContinue. */
const dispatching = new WeakSet<Thread>();

/** The address of ntdll's KiUserExceptionDispatcher in `t`'s process, or 0. */
function dispatcherOf(ex: Executive, t: Thread): number {
  const w = ex.data(t.process);
  const ntdll = w?.modules.modules.find((m) => m.baseName.toLowerCase() === "ntdll.dll");
  if (ntdll === undefined || ntdll.exports === null) return 0;
  const e = findExport(ntdll.exports, "KiUserExceptionDispatcher", 0);
  return e === null || e.forwarder !== null ? 0 : (ntdll.base + e.rva) >>> 0;
}

/** ExceptionInformation[0] of an access violation: 0 read, 1 write, 8 execute. */
function accessKind(cause: number): number {
  if (cause === CAUSE.STORE_PAGE_FAULT || cause === CAUSE.STORE_ACCESS) return 1;
  if (cause === CAUSE.FETCH_PAGE_FAULT || cause === CAUSE.FETCH_ACCESS) return 8;
  return 0;
}

/**
 * Sends `t` to the dispatcher with exception `code` raised at its pc;
 * false when the process must end instead (no dispatcher, a nested fault,
 * a stack that cannot take the frame).
 */
export function dispatchException(
  ex: Executive,
  t: Thread,
  code: number,
  cause: number,
  address: number,
): boolean {
  const target = dispatcherOf(ex, t);
  if (target === 0 || dispatching.has(t)) return false;
  const sp = ((t.regs[2] >>> 0) - 128 - CONTEXT_SIZE - RECORD_SIZE) & ~15;
  const rec = new Uint32Array(RECORD_SIZE / 4);
  rec[0] = code;
  rec[3] = t.pc >>> 0;
  if (code === VM_STATUS.ACCESS_VIOLATION || code === VM_STATUS.GUARD_PAGE_VIOLATION) {
    rec[4] = 2;
    rec[5] = accessKind(cause);
    rec[6] = address >>> 0;
  }
  const ctx = new Uint32Array(CONTEXT_SIZE / 4);
  ctx[0] = 1;
  for (let i = 1; i < 32; i++) ctx[1 + i] = t.regs[i] >>> 0;
  ctx[33] = t.pc >>> 0;
  const api = ex.api;
  if (
    !api.copyOut(t.process, sp, new Uint8Array(rec.buffer)) ||
    !api.copyOut(t.process, sp + RECORD_SIZE, new Uint8Array(ctx.buffer))
  ) return false;
  dispatching.add(t);
  t.regs[1] = 0;
  t.regs[2] = sp | 0;
  t.regs[10] = sp | 0;
  t.regs[11] = (sp + RECORD_SIZE) | 0;
  t.pc = target;
  return true;
}

/** NtContinue(Context*, TestAlert): resumes the caller with the registers and pc of a CONTEXT. */
export function ntContinue(t: Thread, api: KernelApi, _ex: Executive): number {
  const raw = api.copyIn(t.process, t.regs[10] >>> 0, CONTEXT_SIZE);
  if (raw === null) return nt(STATUS.ACCESS_VIOLATION);
  const ctx = new Uint32Array(raw.buffer);
  for (let i = 1; i < 32; i++) t.regs[i] = ctx[1 + i] | 0;
  t.pc = ctx[33];
  dispatching.delete(t);
  return NO_RESULT;
}
