/**
 * Threads of the Win32 executive: each Win32 thread is a kernel thread of
 * its process whose `Thread.pdata` is its {@link ThreadObject} (TEB address,
 * stack region, suspend count and queue, exit status).
 *
 * Map of the file:
 * - {@link startWin32Thread}: a new thread in the caller's process: a stack
 *   region (a PROT_NONE guard page, the stack, the TEB page on top), the TEB,
 *   and a kernel thread starting at ntdll's `RtlUserThreadStart(start, arg)`
 *   with tp = TEB; also used for the console control thread (console_ctrl.ts);
 * - native calls: NtCreateThreadEx, NtSuspendThread, NtResumeThread,
 *   NtTerminateThread, NtQueryInformationThread (ThreadBasicInformation),
 *   NtOpenThread and NtSetInformationThread (ThreadZeroTlsCell, TlsFree's
 *   clearing of one TLS slot in every thread);
 * - suspension: a suspended thread that is ready is parked on its object's
 *   suspend queue at once; one that is blocked in a call parks when its call
 *   restarts ({@link suspendedAtEntry} runs before every native call), so a
 *   suspended thread never runs user code until its count is back to 0;
 *   while suspended it blocks SIGINT and SIGQUIT, so a console control
 *   event is taken by a running thread of the process;
 * - {@link threadEnded}: the executive's thread-exit hook: the object
 *   becomes signalled with its exit status and the thread's stack is freed.
 *
 * @module
 */

import { vmForget, vmTrack } from "./vm_calls.ts";
import { type KernelApi, PROT, TaskState, type Thread } from "../../../kernel/api.ts";
import { findExport } from "../../../lib/pe.ts";
import { nargs, OBJ_INHERIT } from "./args.ts";
import { objectOf, win32Of } from "./context.ts";
import type { Executive, Win32Process } from "./executive.ts";
import { CURRENT_THREAD, HANDLE_FLAG } from "./handles.ts";
import { mapGenericAccess } from "./ob.ts";
import { type ProcessObject, ThreadObject } from "./objects.ts";
import { nt, STATUS } from "./ntstatus.ts";
import { PEB_BASE, SIZES } from "./peb.ts";

/** Thread access rights used here. */
export const THREAD_ACCESS = {
  TERMINATE: 0x1,
  SUSPEND_RESUME: 0x2,
  QUERY_INFORMATION: 0x40,
  SET_INFORMATION: 0x20,
  QUERY_LIMITED: 0x800,
  ALL: 0x1f_ffff,
} as const;
/** MAXIMUM_SUSPEND_COUNT. */
export const MAXIMUM_SUSPEND_COUNT = 127;
/** THREAD_CREATE_FLAGS_CREATE_SUSPENDED. */
const CREATE_SUSPENDED = 0x1;
/** Stack reserve limits and the rounding of a commit larger than the reserve (bytes). */
const STACK_MIN = 64 * 1024, STACK_ROUND = 1024 * 1024, STACK_MAX = 256 * 1024 * 1024;
/** Offset of STRATA_TEB.TlsSlots and the slot count. */
const TEB_TLS = 32, TLS_SLOTS = 64;
/** SIGCONT (resumes a created-suspended process). */
const SIGCONT = 18;
/** Marks a self-suspension's restart (the call completes once resumed). */
const SELF_SUSPENDED = 0x5e1f;
/** SIGINT and SIGQUIT (console control events) as mask bits: a suspended thread blocks them. */
const CTRL_SIGNAL_BITS = (1 << 1) | (1 << 2);
/** Thread information classes. */
const THREAD_BASIC_INFORMATION = 0, THREAD_ZERO_TLS_CELL = 10;

/** The thread object of `t`, or null for a thread that is not a Win32 thread. */
export function threadObjectOf(t: Thread | null): ThreadObject | null {
  const o = t?.pdata;
  return o instanceof ThreadObject ? o : null;
}

/**
 * Runs before every native call: a suspended caller parks on its suspend
 * queue and the call restarts once it is resumed. Returns the BLOCK value,
 * or 0 when the call may run.
 */
export function suspendedAtEntry(t: Thread, api: KernelApi): number {
  const o = t.pdata;
  if (!(o instanceof ThreadObject) || o.suspendCount === 0 || o.stoppedProcess) return 0;
  return api.block(t, o.suspendQueue);
}

/** What {@link startWin32Thread} needs. */
export interface ThreadStart {
  /** Start routine and its argument. */
  start: number;
  /** The argument (a0 of the routine). */
  arg: number;
  /** Stack reserve in bytes (0: the exe's default). */
  reserve: number;
  /** Committed size asked for (a larger one raises the reserve). */
  commit: number;
  /** Start suspended (count 1). */
  suspended: boolean;
}

/** The stack reserve for a new thread (bytes, page multiple), or -1 when too large. */
function reserveOf(w: Win32Process, s: ThreadStart): number {
  let r = s.reserve !== 0 ? s.reserve : w.modules.exeStackReserve;
  if (s.commit > r) r = Math.ceil(s.commit / STACK_ROUND) * STACK_ROUND;
  r = Math.max(Math.ceil(r / 4096) * 4096, STACK_MIN);
  return r > STACK_MAX ? -1 : r;
}

/** The TEB bytes of a new thread. */
function tebBytes(teb: number, pid: number, tid: number, top: number, limit: number): Uint8Array {
  const b = new Uint8Array(SIZES.TEB);
  const v = new DataView(b.buffer);
  [teb, PEB_BASE, pid, tid, 0, 0, top, limit].forEach((x, i) => v.setUint32(i * 4, x >>> 0, true));
  return b;
}

/** The address of export `name` of the loaded module `dll` (lower case) of `w` (0 if missing). */
export function ntdllExport(w: Win32Process, dll: string, name: string): number {
  const m = w.modules.modules.find((x) => x.baseName.toLowerCase() === dll);
  if (m === undefined || m.exports === null) return 0;
  const e = findExport(m.exports, name, 0);
  return e === null || e.forwarder !== null ? 0 : (m.base + e.rva) >>> 0;
}

/**
 * Starts a Win32 thread in the process of `t` (which it inherits its
 * priority and signal mask from): its object (one reference held by the
 * thread itself until it ends), or an NTSTATUS.
 */
export function startWin32Thread(
  ex: Executive,
  t: Thread,
  s: ThreadStart,
): ThreadObject | number {
  const api = ex.api;
  const p = t.process;
  const w = win32Of(ex, t);
  const entry = ntdllExport(w, "ntdll.dll", "RtlUserThreadStart");
  if (entry === 0) return STATUS.ENTRYPOINT_NOT_FOUND;
  const reserve = reserveOf(w, s);
  if (reserve < 0) return STATUS.NO_MEMORY;
  const size = 4096 + reserve + 4096;
  const base = api.mmap(p, 0, size, PROT.READ | PROT.WRITE, false, "[thread stack]");
  if (base < 0 && base >= -4095) return STATUS.NO_MEMORY;
  const teb = (base + size - 4096) >>> 0;
  const fail = (st: number) => {
    api.munmap(p, base >>> 0, size);
    vmForget(w, base >>> 0);
    return st;
  };
  if (api.mprotect(p, base >>> 0, 4096, PROT.NONE) < 0) return fail(STATUS.NO_MEMORY);
  vmTrack(api, p, w, base >>> 0, size, 1);
  const regs = new Int32Array(32);
  regs[2] = teb | 0;
  regs[3] = t.regs[3];
  regs[4] = teb | 0;
  regs[10] = s.start | 0;
  regs[11] = s.arg | 0;
  const nt0 = api.createThread(t, entry, regs);
  if (typeof nt0 === "number") return fail(STATUS.INSUFFICIENT_RESOURCES);
  const o = new ThreadObject(w.object, nt0).reference();
  o.teb = teb;
  o.stackBase = base >>> 0;
  o.stackSize = size;
  nt0.pdata = o;
  api.copyOut(p, teb, tebBytes(teb, p.pid, nt0.tid, teb, (base + 4096) >>> 0));
  if (s.suspended) {
    o.suspendCount = 1;
    holdCtrlSignals(api, nt0, true);
    api.block(nt0, o.suspendQueue);
  }
  return o;
}

/**
 * NtCreateThreadEx(ThreadHandle*, DesiredAccess, ObjectAttributes*,
 * ProcessHandle, StartRoutine, Argument, CreateFlags, ZeroBits, StackSize,
 * MaximumStackSize, AttributeList): a thread in the caller's own process
 * (another process: STATUS_NOT_SUPPORTED). CreateFlags:
 * THREAD_CREATE_FLAGS_CREATE_SUSPENDED (1). StackSize is the commit,
 * MaximumStackSize the reserve (0: the exe's SizeOfStackReserve).
 * AttributeList is not read (the thread id comes from
 * NtQueryInformationThread).
 */
export function ntCreateThreadEx(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 11);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const w = win32Of(ex, t);
  const po = objectOf(w, a[3], "Process", 0x2);
  if (typeof po === "number") return nt(po);
  if ((po as ProcessObject).process !== t.process) return nt(STATUS.NOT_SUPPORTED);
  if (a[4] === 0) return nt(STATUS.INVALID_PARAMETER);
  if (!api.checkAccess(t.process, a[0], 4, true)) return nt(STATUS.ACCESS_VIOLATION);
  const flags = handleFlagsOf(api, t, a[2]);
  if (flags > HANDLE_FLAG.INHERIT) return nt(flags);
  const o = startWin32Thread(ex, t, {
    start: a[4],
    arg: a[5],
    reserve: a[9],
    commit: a[8],
    suspended: (a[6] & CREATE_SUSPENDED) !== 0,
  });
  if (typeof o === "number") return nt(o);
  const h = w.handles.insert(o, mapGenericAccess("Thread", a[1] || THREAD_ACCESS.ALL), flags);
  if (h < 0) {
    api.exitThread(o.thread, 0);
    return h;
  }
  api.writeU32(t.process, a[0], h);
  return STATUS.SUCCESS;
}

/**
 * The handle flags an optional OBJECT_ATTRIBUTES asks for (OBJ_INHERIT ->
 * HANDLE_FLAG_INHERIT); 0 without one; an NTSTATUS (unsigned) when unreadable.
 */
function handleFlagsOf(api: KernelApi, t: Thread, oa: number): number {
  if (oa === 0) return 0;
  const attributes = api.readU32(t.process, oa + 12);
  if (attributes < 0) return STATUS.ACCESS_VIOLATION;
  return (attributes & OBJ_INHERIT) !== 0 ? HANDLE_FLAG.INHERIT : 0;
}

/** The thread object a handle names, with `access`; or an NTSTATUS. */
function threadArg(
  ex: Executive,
  t: Thread,
  handle: number,
  access: number,
): ThreadObject | number {
  const o = objectOf(win32Of(ex, t), handle, "Thread", access);
  return typeof o === "number" ? o : o as ThreadObject;
}

/** Blocks (`on`) or unblocks the console control signals of a suspended thread. */
function holdCtrlSignals(api: KernelApi, th: Thread, on: boolean): void {
  const lo = on ? th.sigBlockedLo | CTRL_SIGNAL_BITS : th.sigBlockedLo & ~CTRL_SIGNAL_BITS;
  api.setSignalMask(th, lo, th.sigBlockedHi);
}

/** Stops another thread whose count went from 0 to 1. */
function suspend(api: KernelApi, o: ThreadObject): void {
  const th = o.thread;
  holdCtrlSignals(api, th, true);
  if (th.state === TaskState.READY) api.block(th, o.suspendQueue);
  // A blocked thread parks when its call restarts (suspendedAtEntry).
}

/**
 * NtSuspendThread(ThreadHandle, PreviousSuspendCount*): raises the count;
 * at MAXIMUM_SUSPEND_COUNT: STATUS_SUSPEND_COUNT_EXCEEDED; an ended thread:
 * STATUS_THREAD_IS_TERMINATING. The caller suspending itself stops until
 * another thread resumes it.
 */
export function ntSuspendThread(t: Thread, api: KernelApi, ex: Executive): number {
  if (t.restartState === SELF_SUSPENDED) return STATUS.SUCCESS;
  const o = threadArg(ex, t, t.regs[10], THREAD_ACCESS.SUSPEND_RESUME);
  if (typeof o === "number") return nt(o);
  if (!o.alive) return nt(STATUS.THREAD_IS_TERMINATING);
  if (o.suspendCount >= MAXIMUM_SUSPEND_COUNT) return nt(STATUS.SUSPEND_COUNT_EXCEEDED);
  const out = t.regs[11] >>> 0;
  if (out !== 0 && !api.writeU32(t.process, out, o.suspendCount)) {
    return nt(STATUS.ACCESS_VIOLATION);
  }
  if (o.suspendCount++ > 0 || o.teb === 0) return STATUS.SUCCESS;
  if (o.thread !== t) {
    suspend(api, o);
    return STATUS.SUCCESS;
  }
  t.restartState = SELF_SUSPENDED;
  holdCtrlSignals(api, t, true);
  return api.block(t, o.suspendQueue);
}

/**
 * NtResumeThread(ThreadHandle, PreviousSuspendCount*): lowers the count;
 * at 0 the thread runs again (a created-suspended process gets SIGCONT).
 */
export function ntResumeThread(t: Thread, api: KernelApi, ex: Executive): number {
  const o = threadArg(ex, t, t.regs[10], THREAD_ACCESS.SUSPEND_RESUME);
  if (typeof o === "number") return nt(o);
  const prev = o.suspendCount;
  const out = t.regs[11] >>> 0;
  if (out !== 0 && !api.writeU32(t.process, out, prev)) return nt(STATUS.ACCESS_VIOLATION);
  if (prev > 0 && --o.suspendCount === 0) {
    if (o.stoppedProcess) {
      o.stoppedProcess = false;
      api.kill(null, o.owner.process.pid, SIGCONT);
    } else if (o.alive) {
      holdCtrlSignals(api, o.thread, false);
      o.suspendQueue.wakeAll();
    }
  }
  return STATUS.SUCCESS;
}

/**
 * NtTerminateThread(ThreadHandle, ExitStatus): the thread ends with the
 * status (0 or -2: the caller). The last thread of a process ends the
 * process with that status. An ended thread: STATUS_THREAD_IS_TERMINATING.
 */
export function ntTerminateThread(t: Thread, api: KernelApi, ex: Executive): number {
  const h = t.regs[10] >>> 0;
  const code = t.regs[11] >>> 0;
  let o = threadObjectOf(t);
  if (h !== 0 && h !== CURRENT_THREAD) {
    const r = threadArg(ex, t, h, THREAD_ACCESS.TERMINATE);
    if (typeof r === "number") return nt(r);
    o = r;
  }
  const target = o?.thread ?? t;
  if (o !== null && !o.alive) return nt(STATUS.THREAD_IS_TERMINATING);
  const p = target.process;
  if (p.liveThreads <= 1) {
    const w = ex.data(p);
    if (w !== null) w.object.exitStatus = code;
  }
  if (o !== null) o.exitStatus = code;
  const r = api.exitThread(target, code);
  return target === t ? r : STATUS.SUCCESS;
}

/**
 * NtQueryInformationThread(ThreadHandle, ThreadInformationClass,
 * ThreadInformation*, Length, ReturnLength*): ThreadBasicInformation (0),
 * 28 bytes: {ExitStatus (STILL_ACTIVE while it runs), TebBaseAddress,
 * ClientId {UniqueProcess, UniqueThread}, AffinityMask, Priority,
 * BasePriority}. Other classes: STATUS_INVALID_INFO_CLASS.
 */
export function ntQueryInformationThread(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 5);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const want = THREAD_ACCESS.QUERY_LIMITED;
  const o = threadArg(ex, t, a[0], 0);
  if (typeof o === "number") return nt(o);
  const e = win32Of(ex, t).handles.entry(a[0]);
  const acc = e === null ? THREAD_ACCESS.ALL : e.access;
  if (!(acc & (want | THREAD_ACCESS.QUERY_INFORMATION))) return nt(STATUS.ACCESS_DENIED);
  if (a[1] !== THREAD_BASIC_INFORMATION) return nt(STATUS.INVALID_INFO_CLASS);
  if (a[3] !== 28) return nt(STATUS.INFO_LENGTH_MISMATCH);
  const out = new Uint8Array(28);
  const v = new DataView(out.buffer);
  v.setUint32(0, o.exitCode(), true);
  v.setUint32(4, o.teb, true);
  v.setUint32(8, o.owner.process.pid, true);
  v.setUint32(12, o.thread.tid, true);
  v.setUint32(16, 1, true);
  v.setInt32(20, 8, true);
  v.setInt32(24, 8, true);
  if (!api.copyOut(t.process, a[2], out)) return nt(STATUS.ACCESS_VIOLATION);
  if (a[4] !== 0) api.writeU32(t.process, a[4], 28);
  return STATUS.SUCCESS;
}

/**
 * NtOpenThread(ThreadHandle*, DesiredAccess, ObjectAttributes*, ClientId*):
 * a handle to the Win32 thread with ClientId.UniqueThread (UniqueProcess,
 * when not 0, must be its process); none: STATUS_INVALID_CID.
 */
export function ntOpenThread(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 4);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  if (a[3] === 0) return nt(STATUS.INVALID_PARAMETER);
  const cid = api.copyIn(t.process, a[3], 8);
  if (cid === null) return nt(STATUS.ACCESS_VIOLATION);
  const v = new DataView(cid.buffer);
  const pid = v.getUint32(0, true), tid = v.getUint32(4, true);
  const flags = handleFlagsOf(api, t, a[2]);
  if (flags > HANDLE_FLAG.INHERIT) return nt(flags);
  const th = tid === 0 ? null : api.getThread(tid);
  const o = threadObjectOf(th);
  if (o === null || !o.alive || (pid !== 0 && pid !== o.owner.process.pid)) {
    return nt(STATUS.INVALID_CID);
  }
  const w = win32Of(ex, t);
  const h = w.handles.insert(o, mapGenericAccess("Thread", a[1]), flags);
  if (h < 0) return h;
  if (!api.writeU32(t.process, a[0], h)) {
    w.handles.close(h, true);
    return nt(STATUS.ACCESS_VIOLATION);
  }
  return STATUS.SUCCESS;
}

/**
 * NtSetInformationThread(ThreadHandle, ThreadInformationClass,
 * ThreadInformation*, Length): ThreadZeroTlsCell (10), a ULONG slot index
 * (below 64): that TLS slot becomes 0 in every thread of the process (what
 * TlsFree asks for). Other classes: STATUS_INVALID_INFO_CLASS.
 */
export function ntSetInformationThread(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 4);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const o = threadArg(ex, t, a[0], THREAD_ACCESS.SET_INFORMATION);
  if (typeof o === "number") return nt(o);
  if (a[1] !== THREAD_ZERO_TLS_CELL) return nt(STATUS.INVALID_INFO_CLASS);
  if (a[3] !== 4) return nt(STATUS.INFO_LENGTH_MISMATCH);
  const index = api.readU32(t.process, a[2]);
  if (index < 0) return nt(STATUS.ACCESS_VIOLATION);
  if (index >= TLS_SLOTS) return nt(STATUS.INVALID_PARAMETER);
  for (const th of o.owner.process.threads) {
    const to = threadObjectOf(th);
    if (to !== null && to.alive && to.teb !== 0) {
      api.writeU32(o.owner.process, to.teb + TEB_TLS + index * 4, 0);
    }
  }
  return STATUS.SUCCESS;
}

/**
 * The executive's thread-exit hook: the object is signalled with its exit
 * status (the process's when a process exit ended it), the executive's
 * stack region of the thread is unmapped and the thread's own reference
 * dropped (the first thread's object stays with the process data).
 */
export function threadEnded(ex: Executive, t: Thread): void {
  const o = threadObjectOf(t);
  if (o === null) return;
  o.end(o.owner.exitStatus);
  const w = ex.data(t.process);
  if (o.stackSize > 0 && t.process.space !== null) {
    ex.api.munmap(t.process, o.stackBase, o.stackSize);
    if (w !== null) vmForget(w, o.stackBase);
  }
  if (w === null || o !== w.thread) {
    t.pdata = null;
    o.dereference();
  }
}
