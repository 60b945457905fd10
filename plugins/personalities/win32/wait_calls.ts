/**
 * Waits and time: NtWaitForSingleObject and NtWaitForMultipleObjects (any
 * or all, relative or absolute timeouts in 100 ns units, a zero timeout
 * polls), NtDelayExecution, NtYieldExecution, NtQuerySystemTime (FILETIME
 * from the RTC) and NtQueryPerformanceCounter (10 MHz from simulated
 * time). A blocked wait parks on every object's queue with the deadline
 * kept in the thread's restart state.
 *
 * @module
 */

import type { KernelApi, Thread, WaitQueue } from "../../../kernel/api.ts";
import { nargs, readI64, writeI64 } from "./args.ts";
import { objectOf, win32Of } from "./context.ts";
import type { Executive } from "./executive.ts";
import { ACCESS, type NtObject } from "./ob.ts";
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
function deadlineOf(t: Thread, api: KernelApi, ptr: number): number | null {
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

/** Parks on the objects' queues until the deadline (or returns TIMEOUT when it has passed). */
function park(t: Thread, api: KernelApi, objs: NtObject[], deadline: number): number {
  if (deadline >= 0 && api.nowNs() >= deadline) return STATUS.TIMEOUT;
  const qs = objs.map((o) => o.waitQueue()).filter((q): q is WaitQueue => q !== null);
  if (qs.length === 0 && deadline < 0) return STATUS.INVALID_PARAMETER;
  return deadline >= 0 ? api.blockMany(t, qs, deadline) : api.blockMany(t, qs);
}

function objects(t: Thread, ex: Executive, handles: number[]): NtObject[] | number {
  const w = win32Of(ex, t);
  const out: NtObject[] = [];
  for (const h of handles) {
    const o = objectOf(w, h, null, ACCESS.SYNCHRONIZE);
    if (typeof o === "number") return o;
    if (o.waitQueue() === null && !o.signaled(t.tid) && !isWaitable(o)) {
      return STATUS.OBJECT_TYPE_MISMATCH;
    }
    out.push(o);
  }
  return out;
}

function isWaitable(o: NtObject): boolean {
  return ["Process", "Thread", "Event", "Mutant", "Semaphore"].includes(o.type);
}

/** NtWaitForSingleObject(Handle, Alertable, Timeout*): SUCCESS (0) or TIMEOUT (0x102). */
export function ntWaitForSingleObject(t: Thread, api: KernelApi, ex: Executive): number {
  const objs = objects(t, ex, [t.regs[10] >>> 0]);
  if (typeof objs === "number") return nt(objs);
  const o = objs[0];
  if (o.signaled(t.tid)) {
    o.acquire(t.tid);
    return STATUS.SUCCESS;
  }
  const d = deadlineOf(t, api, t.regs[12] >>> 0);
  if (d === null) return nt(STATUS.ACCESS_VIOLATION);
  return park(t, api, objs, d);
}

/**
 * NtWaitForMultipleObjects(Count, Handles*, WaitType (0 all, 1 any),
 * Alertable, Timeout*): any: STATUS_WAIT_0 + index of the first signalled;
 * all: SUCCESS once every one is signalled at the same time.
 */
export function ntWaitForMultipleObjects(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 5);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  if (a[0] === 0 || a[0] > MAXIMUM_WAIT_OBJECTS || a[2] > 1) return nt(STATUS.INVALID_PARAMETER);
  const raw = api.copyIn(t.process, a[1], a[0] * 4);
  if (raw === null) return nt(STATUS.ACCESS_VIOLATION);
  const v = new DataView(raw.buffer);
  const hs = Array.from({ length: a[0] }, (_, i) => v.getUint32(i * 4, true));
  const objs = objects(t, ex, hs);
  if (typeof objs === "number") return nt(objs);
  if (a[2] === 1) {
    const i = objs.findIndex((o) => o.signaled(t.tid));
    if (i >= 0) {
      objs[i].acquire(t.tid);
      return i;
    }
  } else if (objs.every((o) => o.signaled(t.tid))) {
    objs.forEach((o) => o.acquire(t.tid));
    return STATUS.SUCCESS;
  }
  const d = deadlineOf(t, api, a[4]);
  if (d === null) return nt(STATUS.ACCESS_VIOLATION);
  return park(t, api, objs, d);
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
