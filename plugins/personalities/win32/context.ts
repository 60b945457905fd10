/**
 * What every native call handler starts from: the calling process's Win32
 * data, handle lookups that understand the pseudo-handles, and the
 * handler signature the native call table binds to one executive.
 *
 * @module
 */

import type { KernelApi, Thread } from "../../../kernel/api.ts";
import type { Executive, Win32Process } from "./executive.ts";
import { CURRENT_PROCESS, CURRENT_THREAD } from "./handles.ts";
import type { NtObject, ObjectTypeName } from "./ob.ts";
import { ThreadObject } from "./objects.ts";
import { STATUS } from "./ntstatus.ts";

/** A native call handler: NTSTATUS (unsigned or int32) for a0, or BLOCK / NO_RESULT. */
export type NativeHandler = (t: Thread, api: KernelApi, ex: Executive) => number;

/** The calling process's Win32 data (a handler only runs in a Win32 process). */
export function win32Of(ex: Executive, t: Thread): Win32Process {
  const w = ex.data(t.process);
  if (w === null) throw new Error("native call outside a Win32 process");
  return w;
}

/** The calling thread's object (the thread running now; the first thread's as a fallback). */
export function callerThread(w: Win32Process): ThreadObject {
  const o = w.object.api.current?.pdata;
  return o instanceof ThreadObject ? o : w.thread;
}

/**
 * The object behind `handle` in the caller's table (pseudo-handles -1 and
 * -2 name the caller's process and thread with full access), checked for
 * `type` and `want` access; or an NTSTATUS (unsigned).
 */
export function objectOf(
  w: Win32Process,
  handle: number,
  type: ObjectTypeName | null,
  want: number,
): NtObject | number {
  const h = handle >>> 0;
  if (h === CURRENT_PROCESS || h === CURRENT_THREAD) {
    const o = h === CURRENT_PROCESS ? w.object : callerThread(w);
    if (type !== null && o.type !== type) return STATUS.OBJECT_TYPE_MISMATCH;
    return o;
  }
  return w.handles.reference(h, type, want);
}
