/**
 * The memory calls of the kernel API (`KernelApi` in `kernel/api.ts`): brk,
 * anonymous mmap, munmap, mprotect, and checked copies in and out of a
 * process's address space. Each finds the process's space and delegates;
 * a process without one (a zombie) gets a failure, never an exception.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { GuestMemory, GuestSpan } from "../fs/types.ts";
import type { Process } from "../proc/process.ts";
import { type AddressSpace, pageUp, Prot } from "./address_space.ts";
import { RLIMIT } from "../proc/rlimits.ts";

/** Memory operations on a process's address space, for the kernel facade to inherit. */
export abstract class GuestMemoryCalls {
  /** The address space of `p`, or null when it has none. */
  protected abstract spaceOf(p: Process): AddressSpace | null;

  /**
   * brk: sets the break (0 queries); returns the new or current break. A
   * heap past RLIMIT_DATA or a space past RLIMIT_AS is refused (the break
   * stays).
   */
  brk(p: Process, addr: number): number {
    const sp = this.spaceOf(p);
    if (sp === null) return 0;
    addr >>>= 0;
    if (addr > sp.brk) {
      const lim = p.rlimits.soft;
      if (addr - sp.brkStart > lim[RLIMIT.DATA]) return sp.brk;
      if (sp.vsize + pageUp(addr) - pageUp(sp.brk) > lim[RLIMIT.AS]) return sp.brk;
    }
    return sp.setBrk(addr);
  }

  /**
   * Anonymous private mmap; the address or a negative status (K.NOMEM past
   * RLIMIT_AS, or past RLIMIT_DATA for a writable mapping).
   */
  mmap(
    p: Process,
    addr: number,
    length: number,
    prot: number,
    fixed: boolean,
    name?: string,
  ): number {
    const sp = this.spaceOf(p);
    if (sp === null) return K.NOMEM;
    const len = pageUp(length >>> 0);
    if (sp.vsize + len > p.rlimits.soft[RLIMIT.AS]) return K.NOMEM;
    if ((prot & Prot.WRITE) && dataSize(sp) + len > p.rlimits.soft[RLIMIT.DATA]) return K.NOMEM;
    return sp.mmapAnon(addr, length, prot & 7, fixed, name);
  }

  /** munmap. */
  munmap(p: Process, addr: number, length: number): KStatus {
    const sp = this.spaceOf(p);
    if (sp === null) return K.INVAL;
    if (!(length > 0)) return K.INVAL;
    return sp.unmap(addr, length);
  }

  /** mprotect. */
  mprotect(p: Process, addr: number, length: number, prot: number): KStatus {
    const sp = this.spaceOf(p);
    if (sp === null) return K.INVAL;
    return sp.protect(addr, length, prot & 7);
  }

  /** Copies guest bytes into a new array; null on a bad address. */
  copyIn(p: Process, addr: number, length: number): Uint8Array | null {
    const sp = this.spaceOf(p);
    return sp === null ? null : sp.copyIn(addr, length);
  }

  /** Copies guest bytes into `dst`; false on a bad address. */
  copyInto(p: Process, addr: number, dst: Uint8Array): boolean {
    const sp = this.spaceOf(p);
    return sp !== null && sp.copyInto(addr, dst);
  }

  /** Copies `data` out to the guest; false on a bad address. */
  copyOut(p: Process, addr: number, data: Uint8Array): boolean {
    const sp = this.spaceOf(p);
    return sp !== null && sp.copyOut(addr, data);
  }

  /** True if the range is accessible (faulting pages in as an access would). */
  checkAccess(p: Process, addr: number, length: number, write: boolean): boolean {
    const sp = this.spaceOf(p);
    return sp !== null && sp.check(addr, length, write);
  }

  /**
   * The guest range `[addr, addr+length)` of `p` checked and resolved for a
   * direct copy (see `GuestSpan`), faulting pages in as the access would;
   * null on a bad address. Valid until the next span of the same process.
   */
  userSpan(p: Process, addr: number, length: number, write: boolean): GuestSpan | null {
    const sp = this.spaceOf(p);
    return sp === null ? null : sp.span(addr, length, write);
  }

  /** Reads a NUL-terminated string. */
  readString(p: Process, addr: number, max = 4096): string | KStatus {
    const sp = this.spaceOf(p);
    if (sp === null) return K.FAULT;
    return sp.readCString(addr, max);
  }

  /** Reads a NULL-terminated array of string pointers (argv style). */
  readStringArray(
    p: Process,
    addr: number,
    maxCount = 4096,
    maxBytes = 256 * 1024,
  ): string[] | KStatus {
    const sp = this.spaceOf(p);
    if (sp === null) return K.FAULT;
    const out: string[] = [];
    if (addr === 0) return out;
    let bytes = 0;
    for (let i = 0;; i++) {
      if (i >= maxCount) return K.TOOBIG;
      const ptr = sp.readU32(addr + 4 * i);
      if (ptr < 0) return K.FAULT;
      if (ptr === 0) break;
      const s = sp.readCString(ptr, maxBytes - bytes);
      if (typeof s === "number") return s === K.NAMETOOLONG ? K.TOOBIG : s;
      bytes += s.length + 1;
      if (bytes > maxBytes) return K.TOOBIG;
      out.push(s);
    }
    return out;
  }

  /** Reads a u32 or K.FAULT. */
  readU32(p: Process, addr: number): number {
    const sp = this.spaceOf(p);
    return sp === null ? K.FAULT : sp.readU32(addr);
  }

  /** Writes a u32; false on a bad address. */
  writeU32(p: Process, addr: number, value: number): boolean {
    const sp = this.spaceOf(p);
    return sp !== null && sp.writeU32(addr, value);
  }

  /** The process's guest-memory accessor. */
  memoryOf(p: Process): GuestMemory {
    return p.memory;
  }
}

/** Linux's data size: the writable private mappings, the stack excepted (RLIMIT_DATA). */
function dataSize(sp: AddressSpace): number {
  let n = 0;
  for (const r of sp.regions) {
    if ((r.prot & Prot.WRITE) && r.name !== "[stack]") n += r.end - r.start;
  }
  return n;
}
