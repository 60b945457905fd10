/**
 * Native calls on handles and named objects: NtDuplicateObject,
 * NtQueryObject / NtSetInformationObject (ObjectHandleFlagInformation: the
 * inherit and protect-from-close flags), and events, mutants and
 * semaphores, named in `\BaseNamedObjects` (or unnamed): create, open,
 * set / reset / pulse / release ({@link createObject} is shared with the
 * timer and keyed-event calls of sync_calls.ts).
 *
 * @module
 */

import type { KernelApi, Thread } from "../../../kernel/api.ts";
import { nargs, OBJ_INHERIT, readObjectAttributes } from "./args.ts";
import { callerThread, objectOf, win32Of } from "./context.ts";
import type { Executive } from "./executive.ts";
import { DUPLICATE, duplicateHandle, HANDLE_FLAG } from "./handles.ts";
import {
  EventObject,
  mapGenericAccess,
  MutantObject,
  type NtObject,
  type ObjectTypeName,
  SemaphoreObject,
} from "./ob.ts";
import type { ProcessObject } from "./objects.ts";
import { nt, STATUS } from "./ntstatus.ts";

/** STATUS_OBJECT_NAME_EXISTS: a create that opened an existing named object (success). */
export const OBJECT_NAME_EXISTS = 0x4000_0000;
/** OBJ_CASE_INSENSITIVE: names compare without case. */
const OBJ_CASE_INSENSITIVE = 0x40;
/** OBJ_OPENIF: a create opens an object that already has the name. */
const OBJ_OPENIF = 0x80;
/** PROCESS_DUP_HANDLE. */
const PROCESS_DUP_HANDLE = 0x40;

/** The handle table of the Win32 process behind a process handle, or an NTSTATUS. */
function tableOf(t: Thread, ex: Executive, h: number) {
  const o = objectOf(win32Of(ex, t), h, "Process", PROCESS_DUP_HANDLE);
  if (typeof o === "number") return o;
  const w = ex.data((o as ProcessObject).process);
  return w === null ? STATUS.ACCESS_DENIED : w;
}

/**
 * NtDuplicateObject(SourceProcessHandle, SourceHandle, TargetProcessHandle,
 * TargetHandle*, DesiredAccess, HandleAttributes, Options). A
 * pseudo-handle source duplicates into a real handle to the caller's
 * process or thread.
 */
export function ntDuplicateObject(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 7);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const src = tableOf(t, ex, a[0]);
  if (typeof src === "number") return nt(src);
  const dst = a[2] === 0 ? null : tableOf(t, ex, a[2]);
  if (typeof dst === "number") return nt(dst);
  if (dst === null && !(a[6] & DUPLICATE.CLOSE_SOURCE)) return nt(STATUS.INVALID_HANDLE);
  let h: number;
  if (a[1] >= 0xffff_fffe) {
    if (dst === null) return STATUS.SUCCESS;
    const o: NtObject = a[1] === 0xffff_ffff ? src.object : callerThread(src);
    const access = a[6] & DUPLICATE.SAME_ACCESS ? 0x1f_ffff : mapGenericAccess(o.type, a[4]);
    h = dst.handles.insert(o, access, (a[5] & OBJ_INHERIT) ? HANDLE_FLAG.INHERIT : 0);
  } else {
    const e = src.handles.entry(a[1]);
    if (e === null) return nt(STATUS.INVALID_HANDLE);
    const access = mapGenericAccess(e.object.type, a[4]);
    const flags = (a[5] & OBJ_INHERIT) ? HANDLE_FLAG.INHERIT : 0;
    h = duplicateHandle(src.handles, a[1], dst?.handles ?? null, access, flags, a[6]);
  }
  if (h < 0) return h;
  if (dst !== null && a[3] !== 0 && !api.writeU32(t.process, a[3], h)) {
    return nt(STATUS.ACCESS_VIOLATION);
  }
  return STATUS.SUCCESS;
}

/** ObjectHandleFlagInformation. */
const OBJECT_HANDLE_FLAG_INFORMATION = 4;

/** NtQueryObject(Handle, ObjectInformationClass, ObjectInformation*, Length, ReturnLength*). */
export function ntQueryObject(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 5);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  if (a[1] !== OBJECT_HANDLE_FLAG_INFORMATION) return nt(STATUS.INVALID_INFO_CLASS);
  const e = win32Of(ex, t).handles.entry(a[0]);
  if (e === null) return nt(STATUS.INVALID_HANDLE);
  if (a[3] < 2) return nt(STATUS.INFO_LENGTH_MISMATCH);
  const out = new Uint8Array([
    e.flags & HANDLE_FLAG.INHERIT ? 1 : 0,
    e.flags & HANDLE_FLAG.PROTECT_FROM_CLOSE ? 1 : 0,
  ]);
  if (!api.copyOut(t.process, a[2], out)) return nt(STATUS.ACCESS_VIOLATION);
  if (a[4] !== 0) api.writeU32(t.process, a[4], 2);
  return STATUS.SUCCESS;
}

/** NtSetInformationObject(Handle, ObjectInformationClass, ObjectInformation*, Length). */
export function ntSetInformationObject(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 4);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  if (a[1] !== OBJECT_HANDLE_FLAG_INFORMATION) return nt(STATUS.INVALID_INFO_CLASS);
  const e = win32Of(ex, t).handles.entry(a[0]);
  if (e === null) return nt(STATUS.INVALID_HANDLE);
  if (a[3] < 2) return nt(STATUS.INFO_LENGTH_MISMATCH);
  const b = api.copyIn(t.process, a[2], 2);
  if (b === null) return nt(STATUS.ACCESS_VIOLATION);
  e.flags = (b[0] ? HANDLE_FLAG.INHERIT : 0) | (b[1] ? HANDLE_FLAG.PROTECT_FROM_CLOSE : 0);
  return STATUS.SUCCESS;
}

/**
 * Creates a named or unnamed object and puts a handle at `out`. An
 * existing name is opened with OBJ_OPENIF (STATUS_OBJECT_NAME_EXISTS, or
 * STATUS_OBJECT_TYPE_MISMATCH for another type) and is
 * STATUS_OBJECT_NAME_COLLISION without it. NTSTATUS.
 */
export function createObject(
  t: Thread,
  api: KernelApi,
  ex: Executive,
  a: number[],
  type: ObjectTypeName,
  make: () => NtObject,
  openOnly = false,
): number {
  const w = win32Of(ex, t);
  let name = "", inherit = false, existed = false, caseless = false, openIf = false;
  if (a[2] !== 0) {
    const oa = readObjectAttributes(api, t.process, a[2]);
    if (typeof oa === "number") return nt(oa);
    name = oa.name;
    inherit = (oa.attributes & OBJ_INHERIT) !== 0;
    caseless = (oa.attributes & OBJ_CASE_INSENSITIVE) !== 0;
    openIf = (oa.attributes & OBJ_OPENIF) !== 0;
  }
  let obj: NtObject;
  if (name === "") {
    if (openOnly) return nt(STATUS.OBJECT_NAME_INVALID);
    obj = make();
  } else {
    const r = ex.ns.resolve(name, ex.ns.root, caseless);
    if (typeof r === "number") return nt(r);
    if (r.missingIn === undefined) {
      if (!openOnly && !openIf) return nt(STATUS.OBJECT_NAME_COLLISION);
      if (r.object.type !== type) return nt(STATUS.OBJECT_TYPE_MISMATCH);
      obj = r.object;
      existed = true;
    } else {
      if (openOnly) return nt(STATUS.OBJECT_NAME_NOT_FOUND);
      obj = make();
      const st = r.missingIn.insert(r.missingName!, obj, caseless);
      if (st !== STATUS.SUCCESS) return nt(st);
    }
  }
  const h = w.handles.insert(obj, mapGenericAccess(type, a[1]), inherit ? HANDLE_FLAG.INHERIT : 0);
  if (h < 0) return h;
  if (!api.writeU32(t.process, a[0], h)) {
    w.handles.close(h, true);
    return nt(STATUS.ACCESS_VIOLATION);
  }
  return existed && !openOnly ? OBJECT_NAME_EXISTS : STATUS.SUCCESS;
}

/** NtCreateEvent(EventHandle*, DesiredAccess, ObjectAttributes*, EventType, InitialState). */
export function ntCreateEvent(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 5)!;
  if (a[3] > 1) return nt(STATUS.INVALID_PARAMETER);
  return createObject(t, api, ex, a, "Event", () => new EventObject(a[3] === 0, a[4] !== 0));
}

/** NtOpenEvent(EventHandle*, DesiredAccess, ObjectAttributes*). */
export function ntOpenEvent(t: Thread, api: KernelApi, ex: Executive): number {
  return createObject(
    t,
    api,
    ex,
    nargs(t, api, 3)!,
    "Event",
    () => new EventObject(true, false),
    true,
  );
}

function previous(t: Thread, api: KernelApi, ptr: number, value: number): number {
  if (ptr !== 0 && !api.writeU32(t.process, ptr, value)) return nt(STATUS.ACCESS_VIOLATION);
  return STATUS.SUCCESS;
}

/** NtSetEvent(EventHandle, PreviousState*). */
export function ntSetEvent(t: Thread, api: KernelApi, ex: Executive): number {
  const o = objectOf(win32Of(ex, t), t.regs[10], "Event", 0x2);
  if (typeof o === "number") return nt(o);
  return previous(t, api, t.regs[11] >>> 0, (o as EventObject).set() ? 1 : 0);
}

/** NtResetEvent(EventHandle, PreviousState*). */
export function ntResetEvent(t: Thread, api: KernelApi, ex: Executive): number {
  const o = objectOf(win32Of(ex, t), t.regs[10], "Event", 0x2);
  if (typeof o === "number") return nt(o);
  return previous(t, api, t.regs[11] >>> 0, (o as EventObject).reset() ? 1 : 0);
}

/** NtPulseEvent(EventHandle, PreviousState*): satisfies the threads waiting now, leaves it reset. */
export function ntPulseEvent(t: Thread, api: KernelApi, ex: Executive): number {
  const o = objectOf(win32Of(ex, t), t.regs[10], "Event", 0x2);
  if (typeof o === "number") return nt(o);
  return previous(t, api, t.regs[11] >>> 0, (o as EventObject).pulse() ? 1 : 0);
}

/** NtCreateMutant(MutantHandle*, DesiredAccess, ObjectAttributes*, InitialOwner). */
export function ntCreateMutant(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 4)!;
  return createObject(t, api, ex, a, "Mutant", () => new MutantObject(a[3] !== 0 ? t : null));
}

/** NtOpenMutant(MutantHandle*, DesiredAccess, ObjectAttributes*). */
export function ntOpenMutant(t: Thread, api: KernelApi, ex: Executive): number {
  return createObject(t, api, ex, nargs(t, api, 3)!, "Mutant", () => new MutantObject(null), true);
}

/** NtReleaseMutant(MutantHandle, PreviousCount*): STATUS_MUTANT_NOT_OWNED unless the caller owns it. */
export function ntReleaseMutant(t: Thread, api: KernelApi, ex: Executive): number {
  const o = objectOf(win32Of(ex, t), t.regs[10], "Mutant", 0);
  if (typeof o === "number") return nt(o);
  const prev = (o as MutantObject).release(t);
  if (prev < 0) return nt(STATUS.MUTANT_NOT_OWNED);
  return previous(t, api, t.regs[11] >>> 0, prev);
}

/** NtCreateSemaphore(SemaphoreHandle*, DesiredAccess, ObjectAttributes*, InitialCount, MaximumCount). */
export function ntCreateSemaphore(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 5)!;
  const init = a[3] | 0, max = a[4] | 0;
  if (max <= 0 || init < 0 || init > max) return nt(STATUS.INVALID_PARAMETER);
  return createObject(t, api, ex, a, "Semaphore", () => new SemaphoreObject(init, max));
}

/** NtOpenSemaphore(SemaphoreHandle*, DesiredAccess, ObjectAttributes*). */
export function ntOpenSemaphore(t: Thread, api: KernelApi, ex: Executive): number {
  return createObject(
    t,
    api,
    ex,
    nargs(t, api, 3)!,
    "Semaphore",
    () => new SemaphoreObject(0, 1),
    true,
  );
}

/** NtReleaseSemaphore(SemaphoreHandle, ReleaseCount, PreviousCount*). */
export function ntReleaseSemaphore(t: Thread, api: KernelApi, ex: Executive): number {
  const o = objectOf(win32Of(ex, t), t.regs[10], "Semaphore", 0x2);
  if (typeof o === "number") return nt(o);
  if ((t.regs[11] | 0) <= 0) return nt(STATUS.INVALID_PARAMETER);
  const prev = (o as SemaphoreObject).release(t.regs[11] | 0);
  if (prev < 0) return nt(STATUS.SEMAPHORE_LIMIT_EXCEEDED);
  return previous(t, api, t.regs[12] >>> 0, prev);
}
