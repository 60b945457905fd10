/**
 * Native calls of the synchronisation objects beyond events, mutants and
 * semaphores (those are in object_calls.ts):
 *
 * - timers: NtCreateTimer, NtOpenTimer, NtSetTimer (relative or absolute
 *   due time, period), NtCancelTimer, over simulated time (sync_objects.ts);
 * - keyed events: NtCreateKeyedEvent, NtOpenKeyedEvent,
 *   NtWaitForKeyedEvent, NtReleaseKeyedEvent. Handle 0 names the
 *   executive's own keyed event (as NT's \KernelObjects\CritSecOutOfMemoryEvent
 *   serves a NULL handle): critical sections wait there, keyed by their
 *   address;
 * - {@link syncThreadEnded}, the executive's thread-exit hook of this part:
 *   the thread's mutexes are abandoned and its pending wait dropped;
 * - NtSignalAndWaitForSingleObject: signals an event, semaphore or mutant
 *   and waits on a second object, the signal done once across the wait's
 *   restarts.
 *
 * @module
 */

import type { KernelApi, Thread, WaitQueue } from "../../../kernel/api.ts";
import { nargs, readI64 } from "./args.ts";
import { objectOf, win32Of } from "./context.ts";
import type { Executive } from "./executive.ts";
import { FILETIME_UNIX_EPOCH } from "./file_info.ts";
import { abandonMutants, EventObject, MutantObject, SemaphoreObject } from "./ob.ts";
import { createObject } from "./object_calls.ts";
import { nt, STATUS } from "./ntstatus.ts";
import { KeyedEventObject, TimerObject } from "./sync_objects.ts";
import { deadlineOf, dropWait, inParkedWait, waitForObjects, waitObjects } from "./wait_calls.ts";

/** STATUS_INVALID_PARAMETER_1: an odd key. */
const INVALID_PARAMETER_1 = 0xc000_00ef;
/** STATUS_INVALID_PARAMETER_6: a negative timer period. */
const INVALID_PARAMETER_6 = 0xc000_00f4;
/** TIMER_MODIFY_STATE / EVENT_MODIFY_STATE / SEMAPHORE_MODIFY_STATE. */
const MODIFY_STATE = 0x2;
/** KEYEDEVENT_WAIT and KEYEDEVENT_WAKE. */
const KEYEDEVENT = { WAIT: 0x1, WAKE: 0x2 } as const;
/** `t.restartState` of a keyed-event call that parked. */
const PARKED = 1;

/** NtCreateTimer(TimerHandle*, DesiredAccess, ObjectAttributes*, TimerType (0 notification, 1 synchronization)). */
export function ntCreateTimer(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 4)!;
  if (a[3] > 1) return nt(STATUS.INVALID_PARAMETER);
  return createObject(t, api, ex, a, "Timer", () => new TimerObject(() => api.nowNs(), a[3] === 0));
}

/** NtOpenTimer(TimerHandle*, DesiredAccess, ObjectAttributes*). */
export function ntOpenTimer(t: Thread, api: KernelApi, ex: Executive): number {
  const make = () => new TimerObject(() => api.nowNs(), true);
  return createObject(t, api, ex, nargs(t, api, 3)!, "Timer", make, true);
}

/** Monotonic ns of a due time: negative = relative 100 ns units, else an absolute FILETIME. */
function dueNs(api: KernelApi, v: bigint): number {
  if (v < 0n) return api.nowNs() + Number(-v) * 100;
  const nowFt = api.realtimeNs() / 100n + FILETIME_UNIX_EPOCH;
  return api.nowNs() + Math.max(0, Number(v - nowFt)) * 100;
}

function writeBool(t: Thread, api: KernelApi, ptr: number, v: boolean): number {
  if (ptr !== 0 && !api.copyOut(t.process, ptr, new Uint8Array([v ? 1 : 0]))) {
    return nt(STATUS.ACCESS_VIOLATION);
  }
  return STATUS.SUCCESS;
}

/**
 * NtSetTimer(TimerHandle, DueTime*, TimerApcRoutine, TimerContext,
 * ResumeTimer, Period (ms), PreviousState*): completion routines (APCs)
 * are not delivered: a routine is STATUS_NOT_SUPPORTED.
 */
export function ntSetTimer(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 7)!;
  const o = objectOf(win32Of(ex, t), a[0], "Timer", MODIFY_STATE);
  if (typeof o === "number") return nt(o);
  if ((a[5] | 0) < 0) return nt(INVALID_PARAMETER_6);
  if (a[2] !== 0) return nt(STATUS.NOT_SUPPORTED);
  const v = readI64(api, t.process, a[1]);
  if (v === null) return nt(STATUS.ACCESS_VIOLATION);
  const old = (o as TimerObject).set(dueNs(api, v), a[5] * 1_000_000);
  return writeBool(t, api, a[6], old);
}

/** NtCancelTimer(TimerHandle, CurrentState*). */
export function ntCancelTimer(t: Thread, api: KernelApi, ex: Executive): number {
  const o = objectOf(win32Of(ex, t), t.regs[10], "Timer", MODIFY_STATE);
  if (typeof o === "number") return nt(o);
  return writeBool(t, api, t.regs[11] >>> 0, (o as TimerObject).cancel());
}

/** NtCreateKeyedEvent(KeyedEventHandle*, DesiredAccess, ObjectAttributes*, Flags (0)). */
export function ntCreateKeyedEvent(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 4)!;
  if (a[3] !== 0) return nt(STATUS.INVALID_PARAMETER);
  return createObject(t, api, ex, a, "KeyedEvent", () => new KeyedEventObject());
}

/** NtOpenKeyedEvent(KeyedEventHandle*, DesiredAccess, ObjectAttributes*). */
export function ntOpenKeyedEvent(t: Thread, api: KernelApi, ex: Executive): number {
  const make = () => new KeyedEventObject();
  return createObject(t, api, ex, nargs(t, api, 3)!, "KeyedEvent", make, true);
}

/** The keyed event of each executive that handle 0 names. */
const defaultKeyed = new WeakMap<Executive, KeyedEventObject>();

function keyedOf(t: Thread, ex: Executive, h: number, want: number): KeyedEventObject | number {
  if (h === 0) {
    let k = defaultKeyed.get(ex);
    if (k === undefined) defaultKeyed.set(ex, k = new KeyedEventObject().reference());
    return k;
  }
  const o = objectOf(win32Of(ex, t), h, "KeyedEvent", want);
  return typeof o === "number" ? o : o as KeyedEventObject;
}

/** The common body of NtWaitForKeyedEvent (`waiter`) and NtReleaseKeyedEvent. */
function keyedCall(t: Thread, api: KernelApi, ex: Executive, waiter: boolean): number {
  const ke = keyedOf(t, ex, t.regs[10] >>> 0, waiter ? KEYEDEVENT.WAIT : KEYEDEVENT.WAKE);
  if (typeof ke === "number") return nt(ke);
  const key = t.regs[11] >>> 0;
  if (key & 1) return nt(INVALID_PARAMETER_1);
  const e = ke.entryOf(t);
  if (e !== undefined) {
    if (t.restartState !== PARKED) ke.remove(e); // a call that did not come back
    else if (e.done) {
      ke.remove(e);
      return STATUS.SUCCESS;
    } else if (e.deadline >= 0 && api.nowNs() >= e.deadline) {
      ke.remove(e);
      return STATUS.TIMEOUT;
    } else return parkKeyed(t, api, e.queue, e.deadline);
  }
  if (ke.meet(t, key, waiter)) return STATUS.SUCCESS;
  t.restartState = -1;
  const deadline = deadlineOf(t, api, t.regs[13] >>> 0);
  t.restartState = -1;
  if (deadline === null) return nt(STATUS.ACCESS_VIOLATION);
  if (deadline >= 0 && api.nowNs() >= deadline) return STATUS.TIMEOUT;
  const entry = ke.add(t, key, waiter, deadline);
  return parkKeyed(t, api, entry.queue, deadline);
}

function parkKeyed(t: Thread, api: KernelApi, q: WaitQueue, deadline: number): number {
  t.restartState = PARKED;
  return deadline >= 0 ? api.blockMany(t, [q], deadline) : api.block(t, q);
}

/** NtWaitForKeyedEvent(KeyedEventHandle, Key, Alertable, Timeout*): sleeps until a release of the key. */
export function ntWaitForKeyedEvent(t: Thread, api: KernelApi, ex: Executive): number {
  return keyedCall(t, api, ex, true);
}

/** NtReleaseKeyedEvent(KeyedEventHandle, Key, Alertable, Timeout*): wakes one waiter, waiting for one if none. */
export function ntReleaseKeyedEvent(t: Thread, api: KernelApi, ex: Executive): number {
  return keyedCall(t, api, ex, false);
}

/** Signals `h` for NtSignalAndWaitForSingleObject: an NTSTATUS. */
function signalObject(t: Thread, ex: Executive, h: number, check: boolean): number {
  const o = objectOf(win32Of(ex, t), h, null, 0);
  if (typeof o === "number") return o;
  const e = win32Of(ex, t).handles.entry(h);
  const access = e === null ? 0x1f_ffff : e.access;
  if (o instanceof EventObject || o instanceof SemaphoreObject) {
    if (!(access & MODIFY_STATE)) return STATUS.ACCESS_DENIED;
    if (o instanceof EventObject) {
      if (!check) o.set();
    } else if (check ? o.count >= o.maximum : o.release(1) < 0) {
      return STATUS.SEMAPHORE_LIMIT_EXCEEDED;
    }
    return STATUS.SUCCESS;
  }
  if (o instanceof MutantObject) {
    if (o.owner !== t) return STATUS.MUTANT_NOT_OWNED;
    if (!check) o.release(t);
    return STATUS.SUCCESS;
  }
  return STATUS.OBJECT_TYPE_MISMATCH;
}

/**
 * NtSignalAndWaitForSingleObject(SignalHandle, WaitHandle, Alertable,
 * Timeout*): both handles are checked first; the signal (set an event,
 * release a semaphore by one, release a mutant) happens once, then the
 * wait as NtWaitForSingleObject.
 */
export function ntSignalAndWaitForSingleObject(t: Thread, api: KernelApi, ex: Executive): number {
  const objs = waitObjects(t, ex, [t.regs[11] >>> 0]);
  if (typeof objs === "number") return nt(objs);
  if (!inParkedWait(t)) {
    const st = signalObject(t, ex, t.regs[10] >>> 0, true);
    if (st !== STATUS.SUCCESS) return nt(st);
    signalObject(t, ex, t.regs[10] >>> 0, false);
  }
  return waitForObjects(t, api, objs, false, t.regs[13] >>> 0);
}

/** Thread-exit hook: abandons the mutexes `t` owns and drops its pending wait. */
export function syncThreadEnded(t: Thread): void {
  abandonMutants(t.process, t);
  dropWait(t);
}
