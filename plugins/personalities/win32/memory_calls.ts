/**
 * Virtual memory of the calling process (NtAllocateVirtualMemory,
 * NtFreeVirtualMemory, NtProtectVirtualMemory over the kernel's mmap,
 * munmap and mprotect; only the current process) and the Strata-specific
 * calls: NtStrataLoadDll / NtStrataUnloadDll (the loader's run-time
 * mapping), NtStrataConsoleMode and NtStrataQueryName.
 *
 * @module
 */

import { type KernelApi, PROT, type Thread } from "../../../kernel/api.ts";
import { nargs } from "./args.ts";
import { objectOf, win32Of } from "./context.ts";
import type { Executive, Win32Process } from "./executive.ts";
import type { FileObject } from "./objects.ts";
import { nt, ntFromK, STATUS } from "./ntstatus.ts";
import { LDR_ADDR, ldrFlags, ldrTable, SIZES } from "./peb.ts";

/** MEM_* allocation types. */
export const MEM = { COMMIT: 0x1000, RESERVE: 0x2000, DECOMMIT: 0x4000, RELEASE: 0x8000 } as const;

/** PAGE_* protections and their PROT bits. */
const PAGE_PROT = new Map<number, number>([
  [0x01, PROT.NONE],
  [0x02, PROT.READ],
  [0x04, PROT.READ | PROT.WRITE],
  [0x08, PROT.READ | PROT.WRITE],
  [0x10, PROT.EXEC],
  [0x20, PROT.READ | PROT.EXEC],
  [0x40, PROT.READ | PROT.WRITE | PROT.EXEC],
]);

const allocations = new WeakMap<Win32Process, Map<number, { size: number; protect: number }>>();

function allocsOf(w: Win32Process) {
  let m = allocations.get(w);
  if (m === undefined) {
    m = new Map();
    allocations.set(w, m);
  }
  return m;
}

function isSelf(h: number): boolean {
  return h >>> 0 === 0xffff_ffff;
}

/** NtAllocateVirtualMemory(ProcessHandle, BaseAddress*, ZeroBits, RegionSize*, AllocationType, Protect). */
export function ntAllocateVirtualMemory(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 6);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  if (!isSelf(a[0])) return nt(STATUS.NOT_IMPLEMENTED);
  const p = t.process;
  const prot = PAGE_PROT.get(a[5]);
  if (prot === undefined || !(a[4] & (MEM.COMMIT | MEM.RESERVE))) {
    return nt(STATUS.INVALID_PARAMETER);
  }
  const base = api.readU32(p, a[1]), size = api.readU32(p, a[3]);
  if (base < 0 || size < 0) return nt(STATUS.ACCESS_VIOLATION);
  if (size === 0) return nt(STATUS.INVALID_PARAMETER);
  const start = base & ~0xfff;
  const len = Math.ceil((base + size - start) / 4096) * 4096;
  const allocs = allocsOf(win32Of(ex, t));
  let addr: number;
  if (base !== 0 && !(a[4] & MEM.RESERVE)) {
    const st = api.mprotect(p, start, len, prot); // commit inside a reservation
    if (st < 0) return nt(STATUS.CONFLICTING_ADDRESSES);
    addr = start;
  } else {
    addr = api.mmap(p, start, len, prot, false);
    if (addr < 0 && addr >= -4095) return nt(STATUS.NO_MEMORY);
    addr >>>= 0;
    if (base !== 0 && addr !== start) {
      api.munmap(p, addr, len);
      return nt(STATUS.CONFLICTING_ADDRESSES);
    }
    allocs.set(addr, { size: len, protect: a[5] });
  }
  api.writeU32(p, a[1], addr);
  api.writeU32(p, a[3], len);
  return STATUS.SUCCESS;
}

/** NtFreeVirtualMemory(ProcessHandle, BaseAddress*, RegionSize*, FreeType). */
export function ntFreeVirtualMemory(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 4);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  if (!isSelf(a[0])) return nt(STATUS.NOT_IMPLEMENTED);
  const p = t.process;
  const base = api.readU32(p, a[1]), size = api.readU32(p, a[2]);
  if (base < 0 || size < 0) return nt(STATUS.ACCESS_VIOLATION);
  const allocs = allocsOf(win32Of(ex, t));
  if (a[3] === MEM.RELEASE) {
    const al = allocs.get(base);
    if (al === undefined || size !== 0) return nt(STATUS.INVALID_PARAMETER);
    allocs.delete(base);
    api.munmap(p, base, al.size);
    api.writeU32(p, a[2], al.size);
    return STATUS.SUCCESS;
  }
  if (a[3] !== MEM.DECOMMIT || size === 0) return nt(STATUS.INVALID_PARAMETER);
  const len = Math.ceil(size / 4096) * 4096;
  api.munmap(p, base & ~0xfff, len);
  const r = api.mmap(p, base & ~0xfff, len, PROT.NONE, true);
  return r < 0 && r >= -4095 ? nt(ntFromK(r)) : STATUS.SUCCESS;
}

/** NtProtectVirtualMemory(ProcessHandle, BaseAddress*, RegionSize*, NewProtect, OldProtect*). */
export function ntProtectVirtualMemory(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 5);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  if (!isSelf(a[0])) return nt(STATUS.NOT_IMPLEMENTED);
  const p = t.process;
  const prot = PAGE_PROT.get(a[3]);
  if (prot === undefined) return nt(STATUS.INVALID_PARAMETER);
  const base = api.readU32(p, a[1]), size = api.readU32(p, a[2]);
  if (base < 0 || size < 0) return nt(STATUS.ACCESS_VIOLATION);
  const start = base & ~0xfff;
  const len = Math.ceil((base + size - start) / 4096) * 4096;
  const al = allocsOf(win32Of(ex, t)).get(start);
  const st = api.mprotect(p, start, len, prot);
  if (st < 0) return nt(STATUS.CONFLICTING_ADDRESSES);
  if (a[4] !== 0) api.writeU32(p, a[4], al?.protect ?? 0x04);
  if (al !== undefined && len === al.size) al.protect = a[3];
  return STATUS.SUCCESS;
}

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

/** NtStrataConsoleMode(Handle, Set, Mode, OldMode*). */
export function ntStrataConsoleMode(t: Thread, api: KernelApi, ex: Executive): number {
  const o = objectOf(win32Of(ex, t), t.regs[10], "File", 0);
  if (typeof o === "number") return nt(o);
  const f = o as FileObject;
  if (f.kind !== "console") return nt(STATUS.INVALID_HANDLE);
  const out = t.regs[13] >>> 0;
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
