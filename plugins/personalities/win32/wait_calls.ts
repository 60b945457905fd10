/**
 * Waits and time: NtWaitForSingleObject and NtWaitForMultipleObjects (any
 * or all, relative or absolute timeouts in 100 ns units, a zero timeout
 * polls), NtDelayExecution, NtYieldExecution, NtQuerySystemTime (FILETIME
 * from the RTC) and NtQueryPerformanceCounter (10 MHz from simulated
 * time). A blocked wait registers a wait block on its objects
 * (ob.ts's dispatcher) and parks until an object hands itself over, the
 * nearest timer expiry or the deadline; the block survives the call's
 * restarts.
 *
 * @module
 */

import { type KernelApi, type Thread, WaitQueue } from "../../../kernel/api.ts";
import { nargs, readI64, writeI64 } from "./args.ts";
import { objectOf, win32Of } from "./context.ts";
import type { Executive } from "./executive.ts";
import { ACCESS, type NtObject, trySatisfy, unregisterWait, type WaitBlock } from "./ob.ts";
import { nt, STATUS } from "./ntstatus.ts";
import { FILETIME_UNIX_EPOCH } from "./file_info.ts";

/** Performance counter frequency (Hz): 100 ns ticks. */
export const PERF_FREQUENCY = 10_000_000;
/** Most objects one wait takes (MAXIMUM_WAIT_OBJECTS). */
export const MAXIMUM_WAIT_OBJECTS = 64;

/**
 * The absolute monotonic deadline (ns) of a timeout argument, -1 for none;
 * kept in `t.restartState` so a restarted wait keeps the first deadline.
 */
export function deadlineOf(t: Thread, api: KernelApi, ptr: number): number | null {
  if (t.restartState >= 0) return t.restartState;
  if (ptr === 0) return -1;
  const v = readI64(api, t.process, ptr);
  if (v === null) return null;
  let d: number;
  if (v < 0n) d = api.nowNs() + Number(-v) * 100;
  else {
    const nowFt = api.realtimeNs() / 100n + FILETIME_UNIX_EPOCH;
    d = api.nowNs() + Math.max(0, Number(v - nowFt)) * 100;
  }
  t.restartState = d;
  return d;
}

/** The wait each blocked thread is in (kept across the restarts of its call). */
const pending = new WeakMap<Thread, WaitBlock>();
/** `t.restartState` of a wait that parked (its block is in `pending`). */
const PARKED = 1;

function finish(t: Thread, wb: WaitBlock, result: number): number {
  unregisterWait(wb);
  pending.delete(t);
  return result;
}

/** Parks on the block's queue and the kernel queues of the objects, until the nearest deadline. */
function park(t: Thread, api: KernelApi, wb: WaitBlock): number {
  const qs: WaitQueue[] = [wb.queue];
  let d = wb.deadline;
  for (const o of wb.objects) {
    const q = o.waitQueue();
    if (q !== null && !qs.includes(q)) qs.push(q);
    const due = o.nextDueNs();
    if (due >= 0 && (d < 0 || due < d)) d = due;
  }
  t.restartState = PARKED;
  return d >= 0 ? api.blockMany(t, qs, d) : api.blockMany(t, qs);
}

/** Drops the wait block of a thread that ends while waiting. */
export function dropWait(t: Thread): void {
  const wb = pending.get(t);
  if (wb !== undefined) finish(t, wb, 0);
}

/** True when `t` is back in a call that parked in a wait (not a fresh call). */
export function inParkedWait(t: Thread): boolean {
  return t.restartState === PARKED && pending.has(t);
}

/**
 * The wait itself (KeWaitForMultipleObjects): satisfied now, or parked on
 * a wait block until an object hands itself over, a timer or process
 * object becomes signalled (re-tested at each restart) or the deadline
 * passes (TIMEOUT). Returns the result, TIMEOUT, an error or BLOCK.
 */
export function waitForObjects(
  t: Thread,
  api: KernelApi,
  objs: NtObject[],
  all: boolean,
  timeoutPtr: number,
): number {
  let wb = pending.get(t);
  if (wb !== undefined && t.restartState !== PARKED) {
    finish(t, wb, 0); // a stale block of a call that did not come back
    wb = undefined;
  }
  if (wb !== undefined) {
    if (wb.result >= 0) return finish(t, wb, wb.result);
    const r = trySatisfy(wb.objects, wb.all, t);
    if (r >= 0) return finish(t, wb, r);
    if (wb.deadline >= 0 && api.nowNs() >= wb.deadline) return finish(t, wb, STATUS.TIMEOUT);
    return park(t, api, wb);
  }
  const r = trySatisfy(objs, all, t);
  if (r >= 0) return r;
  t.restartState = -1;
  const deadline = deadlineOf(t, api, timeoutPtr);
  t.restartState = -1;
  if (deadline === null) return nt(STATUS.ACCESS_VIOLATION);
  if (deadline >= 0 && api.nowNs() >= deadline) return STATUS.TIMEOUT;
  wb = { thread: t, objects: objs, all, deadline, result: -1, queue: new WaitQueue("win32 wait") };
  for (const o of objs) o.waitBlocks.push(wb);
  pending.set(t, wb);
  return park(t, api, wb);
}

/** The objects behind `handles` (SYNCHRONIZE access, waitable types), or an NTSTATUS. */
export function waitObjects(t: Thread, ex: Executive, handles: number[]): NtObject[] | number {
  const w = win32Of(ex, t);
  const out: NtObject[] = [];
  for (const h of handles) {
    const o = objectOf(w, h, null, ACCESS.SYNCHRONIZE);
    if (typeof o === "number") return o;
    if (!WAITABLE.has(o.type)) return STATUS.OBJECT_TYPE_MISMATCH;
    out.push(o);
  }
  return out;
}

/** The object types a wait accepts. */
const WAITABLE = new Set<string>(["Process", "Thread", "Event", "Mutant", "Semaphore", "Timer"]);

/** NtWaitForSingleObject(Handle, Alertable, Timeout*): 0, ABANDONED (0x80) or TIMEOUT (0x102). */
export function ntWaitForSingleObject(t: Thread, api: KernelApi, ex: Executive): number {
  const objs = waitObjects(t, ex, [t.regs[10] >>> 0]);
  if (typeof objs === "number") return nt(objs);
  return waitForObjects(t, api, objs, false, t.regs[12] >>> 0);
}

/**
 * NtWaitForMultipleObjects(Count, Handles*, WaitType (0 all, 1 any),
 * Alertable, Timeout*): any: STATUS_WAIT_0 + index of the first signalled;
 * all: SUCCESS once every one is signalled at the same time, acquired
 * together; + STATUS_ABANDONED_WAIT_0 when an abandoned mutex was taken.
 * Wait-all on one object twice is STATUS_INVALID_PARAMETER_MIX.
 */
export function ntWaitForMultipleObjects(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 5);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  if (a[0] === 0 || a[0] > MAXIMUM_WAIT_OBJECTS || a[2] > 1) return nt(STATUS.INVALID_PARAMETER);
  const raw = api.copyIn(t.process, a[1], a[0] * 4);
  if (raw === null) return nt(STATUS.ACCESS_VIOLATION);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const hs = Array.from({ length: a[0] }, (_, i) => v.getUint32(i * 4, true));
  const objs = waitObjects(t, ex, hs);
  if (typeof objs === "number") return nt(objs);
  if (a[2] === 0 && new Set(objs).size !== objs.length) {
    return nt(STATUS.INVALID_PARAMETER_MIX);
  }
  return waitForObjects(t, api, objs, a[2] === 0, a[4]);
}

/** NtDelayExecution(Alertable, DelayInterval*): sleeps (relative negative or absolute FILETIME). */
export function ntDelayExecution(t: Thread, api: KernelApi, _ex: Executive): number {
  const d = deadlineOf(t, api, t.regs[11] >>> 0);
  if (d === null) return nt(STATUS.ACCESS_VIOLATION);
  if (d < 0) return nt(STATUS.INVALID_PARAMETER);
  const r = api.sleepUntil(t, d);
  return r === 0 ? STATUS.SUCCESS : r;
}

/** NtYieldExecution(). */
export function ntYieldExecution(t: Thread, api: KernelApi, _ex: Executive): number {
  api.yield(t);
  return STATUS.SUCCESS;
}

/**
 * NtGetCurrentProcessorNumber(): the number of the processor the caller runs
 * on, 0 on this one-hart machine (a ULONG in a0, not an NTSTATUS). NT's
 * cheapest call: the Win32 null system call of the benchmarks.
 */
export function ntGetCurrentProcessorNumber(_t: Thread, _api: KernelApi, _ex: Executive): number {
  return 0;
}

/** NtQuerySystemTime(SystemTime*): FILETIME (UTC) of the RTC. */
export function ntQuerySystemTime(t: Thread, api: KernelApi, _ex: Executive): number {
  const ft = api.realtimeNs() / 100n + FILETIME_UNIX_EPOCH;
  return writeI64(api, t.process, t.regs[10] >>> 0, ft)
    ? STATUS.SUCCESS
    : nt(STATUS.ACCESS_VIOLATION);
}

/** NtQueryPerformanceCounter(Counter*, Frequency*): 100 ns ticks of simulated time, 10 MHz. */
export function ntQueryPerformanceCounter(t: Thread, api: KernelApi, _ex: Executive): number {
  const p = t.process;
  if (!writeI64(api, p, t.regs[10] >>> 0, BigInt(Math.floor(api.nowNs() / 100)))) {
    return nt(STATUS.ACCESS_VIOLATION);
  }
  const f = t.regs[11] >>> 0;
  if (f !== 0 && !writeI64(api, p, f, BigInt(PERF_FREQUENCY))) return nt(STATUS.ACCESS_VIOLATION);
  return STATUS.SUCCESS;
}
