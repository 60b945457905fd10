/**
 * The Strata-specific native calls: NtStrataLoadDll / NtStrataUnloadDll
 * (the loader's run-time mapping), NtStrataConsoleMode and
 * NtStrataQueryName. The NT virtual memory calls are in `vm_calls.ts`.
 *
 * @module
 */

import type { KernelApi, Thread } from "../../../kernel/api.ts";
import { nargs } from "./args.ts";
import { objectOf, win32Of } from "./context.ts";
import type { Executive, Win32Process } from "./executive.ts";
import { FILE_ACCESS, type FileObject } from "./objects.ts";
import { nt, STATUS } from "./ntstatus.ts";
import { LDR_ADDR, ldrFlags, ldrTable, SIZES } from "./peb.ts";

/** Rewrites the module table in the process's PEB block, keeping the flags ntdll set. */
export function writeLdr(api: KernelApi, t: Thread, w: Win32Process): boolean {
  const old = api.copyIn(t.process, LDR_ADDR, 8 + SIZES.MAX_MODULES * SIZES.MODULE);
  const flags = old === null ? new Map<number, number>() : ldrFlags(old);
  return api.copyOut(t.process, LDR_ADDR, ldrTable(w.modules.modules, flags));
}

/** NtStrataLoadDll(Name*, NameLength, Base*, FirstNew*): see `strata/peb.h`. */
export function ntStrataLoadDll(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 4);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const p = t.process;
  const raw = api.copyIn(p, a[0], Math.min(a[1], 260));
  if (raw === null) return nt(STATUS.ACCESS_VIOLATION);
  const name = String.fromCharCode(...raw).replace(/\0.*$/, "");
  if (name === "") return nt(STATUS.INVALID_PARAMETER);
  const w = win32Of(ex, t);
  const set = w.modules;
  const before = set.modules.length;
  const m = set.load(name);
  if (typeof m === "number") {
    set.modules.splice(before);
    return nt(m);
  }
  if (set.modules.length > SIZES.MAX_MODULES) {
    for (const x of set.modules.slice(before)) x.loadCount = 1;
    for (const x of set.modules.slice(before).reverse()) set.unload(x.base);
    return nt(STATUS.INSUFFICIENT_RESOURCES);
  }
  for (const x of set.modules.slice(before)) x.loadCount = 1;
  if (set.modules.indexOf(m) < before && m.loadCount >= 0) m.loadCount++;
  if (!writeLdr(api, t, w)) return nt(STATUS.ACCESS_VIOLATION);
  api.writeU32(p, a[2], m.base);
  if (a[3] !== 0) api.writeU32(p, a[3], before);
  return STATUS.SUCCESS;
}

/** NtStrataUnloadDll(Base). */
export function ntStrataUnloadDll(t: Thread, api: KernelApi, ex: Executive): number {
  const w = win32Of(ex, t);
  const st = w.modules.unload(t.regs[10] >>> 0);
  if (st === STATUS.SUCCESS && !writeLdr(api, t, w)) return nt(STATUS.ACCESS_VIOLATION);
  return nt(st);
}

/**
 * NtStrataConsoleMode(Handle, Set, Mode, OldMode*). Reading or setting the
 * mode needs read access (GENERIC_READ, as Windows documents; Wine answers
 * STATUS_INVALID_HANDLE without it); with neither (Set 0, OldMode NULL) the
 * call only tells whether the handle is a console.
 */
export function ntStrataConsoleMode(t: Thread, api: KernelApi, ex: Executive): number {
  const w = win32Of(ex, t);
  const o = objectOf(w, t.regs[10], "File", 0);
  if (typeof o === "number") return nt(o);
  const f = o as FileObject;
  if (f.kind !== "console") return nt(STATUS.INVALID_HANDLE);
  const out = t.regs[13] >>> 0;
  const granted = w.handles.entry(t.regs[10] >>> 0)?.access ?? 0;
  if ((out !== 0 || t.regs[11] !== 0) && !(granted & FILE_ACCESS.READ_DATA)) {
    return nt(STATUS.INVALID_HANDLE);
  }
  if (out !== 0 && !api.writeU32(t.process, out, f.consoleMode)) return nt(STATUS.ACCESS_VIOLATION);
  if (t.regs[11] !== 0) f.consoleMode = t.regs[12] >>> 0;
  return STATUS.SUCCESS;
}

/** The user name of `uid` from /etc/passwd ("root" for 0 without one). */
function userName(api: KernelApi, uid: number): string {
  const data = api.vfs.readWholeFile("/etc/passwd");
  if (typeof data !== "number") {
    for (const line of new TextDecoder().decode(data).split("\n")) {
      const f = line.split(":");
      if (f.length > 2 && Number(f[2]) === uid) return f[0];
    }
  }
  return uid === 0 ? "root" : `user${uid}`;
}

/** NtStrataQueryName(Which, Buffer*, Size, Needed*). */
export function ntStrataQueryName(t: Thread, api: KernelApi, _ex: Executive): number {
  const a = nargs(t, api, 4);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  let name: string;
  if (a[0] === 0) name = api.systemInfo().nodename;
  else if (a[0] === 1) name = userName(api, t.process.uid);
  else return nt(STATUS.INVALID_PARAMETER);
  const bytes = new TextEncoder().encode(name + "\0");
  if (a[3] !== 0 && !api.writeU32(t.process, a[3], bytes.length)) {
    return nt(STATUS.ACCESS_VIOLATION);
  }
  if (a[2] < bytes.length) return nt(STATUS.BUFFER_TOO_SMALL);
  return api.copyOut(t.process, a[1], bytes) ? STATUS.SUCCESS : nt(STATUS.ACCESS_VIOLATION);
}
