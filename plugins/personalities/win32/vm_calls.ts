/**
 * NT virtual memory calls over the region map of `vm_space.ts`:
 *
 * - NtAllocateVirtualMemory: MEM_RESERVE maps a PROT_NONE reservation on
 *   64 KiB granularity (the base rounded down, the end up to pages);
 *   MEM_COMMIT inside a reservation changes the protection of its pages
 *   (demand-zero); both at once do both; MEM_COMMIT alone with no base is
 *   MEM_RESERVE | MEM_COMMIT, as in NT.
 * - NtFreeVirtualMemory: MEM_DECOMMIT maps fresh PROT_NONE pages over the
 *   range (the data is gone); MEM_RELEASE unmaps a whole reservation.
 * - NtProtectVirtualMemory: committed pages of one allocation; the old
 *   protection of the first page.
 * - NtQueryVirtualMemory: MemoryBasicInformation.
 * - `vmFault`: what an unresolved fault becomes (guard pages, exception codes).
 *
 * A process handle other than the current process must grant
 * PROCESS_VM_OPERATION (query: PROCESS_QUERY_INFORMATION) to a live Win32
 * process. The caller's pointers (base, size, old protection) are checked
 * before anything changes.
 *
 * @module
 */

import { CAUSE, K, type KernelApi, type Process, PROT, type Thread } from "../../../kernel/api.ts";
import { nargs } from "./args.ts";
import { objectOf, win32Of } from "./context.ts";
import type { Executive, Win32Process } from "./executive.ts";
import type { ProcessObject } from "./objects.ts";
import { nt, STATUS } from "./ntstatus.ts";
import { PEB_BASE, PEB_REGION, TEB_ADDR } from "./peb.ts";
import {
  GRANULARITY,
  kernelProt,
  MEM,
  PAGE,
  PAGE_PROT,
  validProtect,
  VM_HIGH,
  VM_LOW,
  VmAllocation,
  VmSpace,
} from "./vm_space.ts";

/** NTSTATUS values of the memory calls (beyond `ntstatus.ts`). */
export const VM_STATUS = {
  GUARD_PAGE_VIOLATION: 0x8000_0001,
  DATATYPE_MISALIGNMENT: 0x8000_0002,
  BREAKPOINT: 0x8000_0003,
  ACCESS_VIOLATION: 0xc000_0005,
  UNABLE_TO_FREE_VM: 0xc000_001a,
  ILLEGAL_INSTRUCTION: 0xc000_001d,
  NOT_COMMITTED: 0xc000_002d,
  STACK_OVERFLOW: 0xc000_00fd,
  INVALID_PAGE_PROTECTION: 0xc000_0045,
  FREE_VM_NOT_AT_BASE: 0xc000_009f,
  MEMORY_NOT_ALLOCATED: 0xc000_00a0,
} as const;

const PROCESS_VM_OPERATION = 0x8, PROCESS_QUERY_INFORMATION = 0x400;
/** Size of MEMORY_BASIC_INFORMATION for a 32-bit process. */
const MBI_SIZE = 28;

const spaces = new WeakMap<Win32Process, VmSpace>();

const pageDown = (a: number) => a - (a % PAGE);
const pageUp = (a: number) => Math.ceil(a / PAGE) * PAGE;

/** The region map of `w` (built on first use), its images in step with the loaded modules. */
export function vmSpaceOf(api: KernelApi, p: Process, w: Win32Process): VmSpace {
  let s = spaces.get(w);
  if (s === undefined) {
    s = new VmSpace();
    spaces.set(w, s);
    addSystem(s, PEB_BASE, PEB_REGION);
    const top = api.readU32(p, TEB_ADDR + 24), low = api.readU32(p, TEB_ADDR + 28);
    if (top > 0 && low > 0 && low < top && top - low < VM_HIGH) addSystem(s, low, top - low);
  }
  syncImages(api, p, w, s);
  return s;
}

/**
 * Records a region the executive mapped itself with the kernel's `mmap` (a
 * thread's stack) as a committed PAGE_READWRITE private allocation, its
 * first `noAccess` pages PAGE_NOACCESS (a guard gap), so that
 * NtQueryVirtualMemory reports it and no reservation is placed over it.
 */
export function vmTrack(
  api: KernelApi,
  p: Process,
  w: Win32Process,
  base: number,
  size: number,
  noAccess = 0,
): void {
  const s = vmSpaceOf(api, p, w);
  addSystem(s, base, size);
  const a = s.find(base);
  if (a !== null && a.base === base) a.pages.fill(PAGE_PROT.NOACCESS, 0, noAccess);
}

/** Forgets a region recorded with {@link vmTrack} (after the executive unmapped it). */
export function vmForget(w: Win32Process, base: number): void {
  const s = spaces.get(w);
  const a = s?.find(base) ?? null;
  if (s !== undefined && a !== null && a.base === base && a.system) s.remove(a);
}

/** A committed PAGE_READWRITE private region the executive mapped itself. */
function addSystem(s: VmSpace, base: number, size: number): void {
  if (!s.isFree(base, base + size)) return;
  const a = new VmAllocation(base, size, PAGE_PROT.READWRITE, MEM.PRIVATE, true);
  a.pages.fill(PAGE_PROT.READWRITE);
  s.insert(a);
}

/** One MEM_IMAGE allocation per loaded module; unloaded modules' allocations leave. */
function syncImages(api: KernelApi, p: Process, w: Win32Process, s: VmSpace): void {
  const mods = w.modules.modules;
  for (const a of s.allocations.slice()) {
    if (a.type === MEM.IMAGE && !mods.some((m) => m.base === a.base)) s.remove(a);
  }
  for (const m of mods) {
    const size = pageUp(m.size);
    if (s.find(m.base)?.base === m.base || !s.isFree(m.base, m.base + size)) continue;
    s.insert(imageAllocation(api, p, m.base, size));
  }
}

/** PAGE_* of a section from its characteristics (write: copy-on-write, as a fresh view). */
function sectionProtect(ch: number): number {
  const x = (ch & 0x2000_0000) !== 0, w = (ch & 0x8000_0000) !== 0;
  if (w) return x ? PAGE_PROT.EXECUTE_WRITECOPY : PAGE_PROT.WRITECOPY;
  return x ? PAGE_PROT.EXECUTE_READ : PAGE_PROT.READONLY;
}

/** The allocation of an image mapped at `base`, protections from its headers in memory. */
function imageAllocation(api: KernelApi, p: Process, base: number, size: number): VmAllocation {
  const a = new VmAllocation(base, size, PAGE_PROT.EXECUTE_WRITECOPY, MEM.IMAGE, true);
  const h = api.copyIn(p, base, PAGE);
  if (h === null) return a;
  const dv = new DataView(h.buffer);
  const fill = (rva: number, len: number, protect: number) => {
    const first = rva / PAGE, end = Math.min(pageUp(rva + len), size) / PAGE;
    if (rva % PAGE === 0 && first < end) a.pages.fill(protect, first, end);
  };
  const pe = dv.getUint32(0x3c, true);
  if (pe > PAGE - 24 - 64) return a;
  const nsec = dv.getUint16(pe + 6, true), optSize = dv.getUint16(pe + 20, true);
  fill(0, dv.getUint32(pe + 24 + 60, true), PAGE_PROT.READONLY);
  for (let i = 0; i < nsec; i++) {
    const off = pe + 24 + optSize + i * 40;
    if (off + 40 > PAGE) break;
    const vsize = dv.getUint32(off + 8, true), va = dv.getUint32(off + 12, true);
    const raw = dv.getUint32(off + 16, true);
    fill(va, Math.max(vsize, raw, 1), sectionProtect(dv.getUint32(off + 36, true)));
  }
  return a;
}

/** The target process of a memory call, or an NTSTATUS; `done` drops the handle's reference. */
function targetOf(
  t: Thread,
  api: KernelApi,
  ex: Executive,
  handle: number,
  want: number,
): { p: Process; s: VmSpace; done: () => void } | number {
  const me = win32Of(ex, t);
  if (handle >>> 0 === 0xffff_ffff) {
    return { p: t.process, s: vmSpaceOf(api, t.process, me), done: () => {} };
  }
  const o = objectOf(me, handle, "Process", want);
  if (typeof o === "number") return o;
  const po = o as ProcessObject;
  const w = ex.data(po.process);
  if (w === null || po.exited) {
    o.dereference();
    return po.exited ? STATUS.PROCESS_IS_TERMINATING : STATUS.INVALID_HANDLE;
  }
  return { p: po.process, s: vmSpaceOf(api, po.process, w), done: () => o.dereference() };
}

/** Runs `body` on the target of handle `h`, dropping the reference after. */
function withTarget(
  t: Thread,
  api: KernelApi,
  ex: Executive,
  h: number,
  want: number,
  body: (p: Process, s: VmSpace) => number,
): number {
  const tg = targetOf(t, api, ex, h, want);
  if (typeof tg === "number") return nt(tg);
  try {
    return nt(body(tg.p, tg.s));
  } finally {
    tg.done();
  }
}

/** True if the caller may write a u32 at each of `ptrs`. */
function writable(api: KernelApi, t: Thread, ...ptrs: number[]): boolean {
  return ptrs.every((ptr) => api.checkAccess(t.process, ptr, 4, true));
}

/** Maps a PROT_NONE reservation of `len` bytes at `start` (0: anywhere, 64 KiB aligned). */
function reserve(api: KernelApi, p: Process, s: VmSpace, start: number, len: number): number {
  if (start !== 0) {
    if (!s.isFree(start, start + len)) return -STATUS.CONFLICTING_ADDRESSES;
    const r = api.mmap(p, start, len, PROT.NONE, false);
    if (r < 0 && r >= -4095) return -STATUS.NO_MEMORY;
    if (r >>> 0 !== start) {
      api.munmap(p, r >>> 0, len);
      return -STATUS.CONFLICTING_ADDRESSES;
    }
    return start;
  }
  const extra = GRANULARITY - PAGE;
  if (len + extra > VM_HIGH - VM_LOW) return -STATUS.NO_MEMORY;
  const r = api.mmap(p, 0, len + extra, PROT.NONE, false);
  if (r < 0 && r >= -4095) return -STATUS.NO_MEMORY;
  const got = r >>> 0, at = Math.ceil(got / GRANULARITY) * GRANULARITY;
  if (at > got) api.munmap(p, got, at - got);
  if (got + len + extra > at + len) api.munmap(p, at + len, got + len + extra - (at + len));
  if (at + len > VM_HIGH || !s.isFree(at, at + len)) {
    api.munmap(p, at, len);
    return -STATUS.NO_MEMORY;
  }
  return at;
}

/** Commits (or re-protects) pages `[start, start+len)` of `a` with `protect`. NTSTATUS. */
function commit(
  api: KernelApi,
  p: Process,
  a: VmAllocation,
  start: number,
  len: number,
  protect: number,
): number {
  if (api.mprotect(p, start, len, kernelProt(protect)) < 0) return STATUS.NO_MEMORY;
  a.pages.fill(protect, (start - a.base) / PAGE, (start + len - a.base) / PAGE);
  return STATUS.SUCCESS;
}

/** NtAllocateVirtualMemory(ProcessHandle, BaseAddress*, ZeroBits, RegionSize*, AllocationType, Protect). */
export function ntAllocateVirtualMemory(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 6);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const [h, basePtr, zeroBits, sizePtr, type, protect] = a;
  const base = api.readU32(t.process, basePtr), size = api.readU32(t.process, sizePtr);
  if (base < 0 || size < 0 || !writable(api, t, basePtr, sizePtr)) {
    return nt(STATUS.ACCESS_VIOLATION);
  }
  if ((type & ~(MEM.COMMIT | MEM.RESERVE | MEM.TOP_DOWN)) || !(type & (MEM.COMMIT | MEM.RESERVE))) {
    return nt(STATUS.INVALID_PARAMETER);
  }
  if (zeroBits > 21 || size === 0) return nt(STATUS.INVALID_PARAMETER);
  if (base !== 0 && (base < VM_LOW || base >= VM_HIGH || size > VM_HIGH - base)) {
    return nt(STATUS.INVALID_PARAMETER);
  }
  if (size > VM_HIGH - VM_LOW) return nt(STATUS.INVALID_PARAMETER);
  if (!validProtect(protect, false)) return nt(VM_STATUS.INVALID_PAGE_PROTECTION);
  return withTarget(t, api, ex, h, PROCESS_VM_OPERATION, (p, s) => {
    let start: number, len: number, alloc: VmAllocation | null;
    if ((type & MEM.RESERVE) || base === 0) {
      start = base === 0 ? 0 : base - (base % GRANULARITY);
      len = pageUp(base + size) - start;
      const at = reserve(api, p, s, start, len);
      if (at < 0) return -at;
      start = at;
      alloc = new VmAllocation(at, len, protect, MEM.PRIVATE, false);
      s.insert(alloc);
    } else {
      start = pageDown(base);
      len = pageUp(base + size) - start;
      alloc = s.find(start);
      if (alloc === null || start + len > alloc.end || alloc.type !== MEM.PRIVATE) {
        return STATUS.CONFLICTING_ADDRESSES;
      }
    }
    if (type & MEM.COMMIT) {
      const st = commit(api, p, alloc, start, len, protect);
      if (st !== STATUS.SUCCESS) return st;
    }
    api.writeU32(t.process, basePtr, start);
    api.writeU32(t.process, sizePtr, len);
    return STATUS.SUCCESS;
  });
}

/** NtFreeVirtualMemory(ProcessHandle, BaseAddress*, RegionSize*, FreeType). */
export function ntFreeVirtualMemory(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 4);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const [h, basePtr, sizePtr, type] = a;
  const base = api.readU32(t.process, basePtr), size = api.readU32(t.process, sizePtr);
  if (base < 0 || size < 0 || !writable(api, t, basePtr, sizePtr)) {
    return nt(STATUS.ACCESS_VIOLATION);
  }
  if (type !== MEM.RELEASE && type !== MEM.DECOMMIT) return nt(STATUS.INVALID_PARAMETER);
  return withTarget(t, api, ex, h, PROCESS_VM_OPERATION, (p, s) => {
    const al = s.find(base);
    if (al === null) return VM_STATUS.MEMORY_NOT_ALLOCATED;
    if (al.system) return VM_STATUS.UNABLE_TO_FREE_VM;
    let start: number, len: number;
    if (type === MEM.RELEASE) {
      if (size !== 0) return STATUS.INVALID_PARAMETER;
      if (base !== al.base) return VM_STATUS.FREE_VM_NOT_AT_BASE;
      api.munmap(p, al.base, al.size);
      s.remove(al);
      start = al.base;
      len = al.size;
    } else {
      if (size === 0 && base !== al.base) return VM_STATUS.FREE_VM_NOT_AT_BASE;
      start = pageDown(base);
      len = (size === 0 ? al.end : pageUp(base + size)) - start;
      if (start + len > al.end) return VM_STATUS.UNABLE_TO_FREE_VM;
      const r = api.mmap(p, start, len, PROT.NONE, true);
      if (r < 0 && r >= -4095) return STATUS.NO_MEMORY;
      al.pages.fill(0, (start - al.base) / PAGE, (start + len - al.base) / PAGE);
    }
    api.writeU32(t.process, basePtr, start);
    api.writeU32(t.process, sizePtr, len);
    return STATUS.SUCCESS;
  });
}

/** NtProtectVirtualMemory(ProcessHandle, BaseAddress*, RegionSize*, NewProtect, OldProtect*). */
export function ntProtectVirtualMemory(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 5);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const [h, basePtr, sizePtr, protect, oldPtr] = a;
  const base = api.readU32(t.process, basePtr), size = api.readU32(t.process, sizePtr);
  if (base < 0 || size < 0 || !writable(api, t, basePtr, sizePtr, oldPtr)) {
    return nt(STATUS.ACCESS_VIOLATION);
  }
  return withTarget(t, api, ex, h, PROCESS_VM_OPERATION, (p, s) => {
    const start = pageDown(base), end = Math.max(pageUp(base + size), start + PAGE);
    const al = s.find(start);
    if (al === null || end > al.end) return STATUS.CONFLICTING_ADDRESSES;
    if (!validProtect(protect, al.type !== MEM.PRIVATE)) return VM_STATUS.INVALID_PAGE_PROTECTION;
    const first = (start - al.base) / PAGE;
    if (!al.allCommitted(first, (end - start) / PAGE)) return VM_STATUS.NOT_COMMITTED;
    const old = al.pages[first];
    const st = commit(api, p, al, start, end - start, protect);
    if (st !== STATUS.SUCCESS) return st;
    api.writeU32(t.process, oldPtr, old);
    api.writeU32(t.process, basePtr, start);
    api.writeU32(t.process, sizePtr, end - start);
    return STATUS.SUCCESS;
  });
}

/** NtQueryVirtualMemory(ProcessHandle, BaseAddress, Class, Buffer*, Length, ReturnLength*). */
export function ntQueryVirtualMemory(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 6);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const [h, addr, cls, buf, length, retPtr] = a;
  if (cls !== 0) return nt(STATUS.INVALID_INFO_CLASS);
  if (addr >= VM_HIGH) return nt(STATUS.INVALID_PARAMETER);
  if (length < MBI_SIZE) return nt(STATUS.INFO_LENGTH_MISMATCH);
  return withTarget(t, api, ex, h, PROCESS_QUERY_INFORMATION, (_p, s) => {
    const r = s.runAt(addr);
    const out = new Uint32Array([
      r.base,
      r.allocationBase,
      r.allocationProtect,
      r.size,
      r.state,
      r.protect,
      r.type,
    ]);
    if (!api.copyOut(t.process, buf, new Uint8Array(out.buffer))) return STATUS.ACCESS_VIOLATION;
    if (retPtr !== 0 && !api.writeU32(t.process, retPtr, MBI_SIZE)) {
      return STATUS.ACCESS_VIOLATION;
    }
    return STATUS.SUCCESS;
  });
}

/**
 * True if a fault at `address` is the thread running off the bottom of its
 * stack: within 64 KiB below the StackLimit of its TEB (`tp`), with the
 * stack pointer below the limit's next 64 KiB.
 */
function isStackOverflow(api: KernelApi, t: Thread, address: number): boolean {
  const limit = api.readU32(t.process, ((t.regs[4] >>> 0) + 28) >>> 0);
  if (limit <= 0 || address >= limit || address < limit - GRANULARITY) return false;
  return (t.regs[2] >>> 0) < limit + GRANULARITY;
}

/**
 * The NT exception an unresolved fault of `t` raises: a guard page loses
 * its guard and raises STATUS_GUARD_PAGE_VIOLATION; other page faults are
 * access violations (STATUS_STACK_OVERFLOW just below the thread's stack);
 * illegal instructions, breakpoints and misaligned
 * accesses have their own codes.
 */
export function vmFault(ex: Executive, t: Thread, cause: number, address: number): number {
  switch (cause) {
    case CAUSE.ILLEGAL_INSTRUCTION:
      return VM_STATUS.ILLEGAL_INSTRUCTION;
    case CAUSE.BREAKPOINT:
      return VM_STATUS.BREAKPOINT;
    case CAUSE.MISALIGNED_FETCH:
    case CAUSE.MISALIGNED_LOAD:
    case CAUSE.MISALIGNED_STORE:
      return VM_STATUS.DATATYPE_MISALIGNMENT;
  }
  if (isStackOverflow(ex.api, t, address >>> 0)) return VM_STATUS.STACK_OVERFLOW;
  const w = ex.data(t.process);
  const s = w === null ? undefined : spaces.get(w);
  const al = s?.find(address >>> 0) ?? null;
  if (al !== null) {
    const i = ((address >>> 0) - al.base - ((address >>> 0) % PAGE)) / PAGE;
    const v = al.pages[i];
    if (v & PAGE_PROT.GUARD) {
      const clear = v & ~PAGE_PROT.GUARD;
      if (ex.api.mprotect(t.process, al.base + i * PAGE, PAGE, kernelProt(clear)) === K.OK) {
        al.pages[i] = clear;
      }
      return VM_STATUS.GUARD_PAGE_VIOLATION;
    }
  }
  return VM_STATUS.ACCESS_VIOLATION;
}
