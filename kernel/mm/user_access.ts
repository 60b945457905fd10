/**
 * The kernel's accesses to user memory (Linux's uaccess): copies in and
 * out, a check before a call consumes input, resolved spans for direct
 * transfers, u32 and C-string reads. Every one goes through `resolve` (the
 * address space's translation, faulting pages in as an access would), so a
 * bad address gives null/false/K.FAULT and never throws; copies charge
 * their simulated cost and keep the CPU's decoded-code cache coherent.
 * `AddressSpace` (`address_space.ts`) is the one implementation.
 *
 * @module
 */

import { copyBytes } from "../../lib/byte_copy.ts";
import { K, type KStatus } from "../errors.ts";
import { GUEST_SPAN_MAX, type GuestMemory } from "../fs/types.ts";
import type { MmContext } from "./address_space.ts";
import { PAGE_SIZE } from "./frames.ts";
import { pageDown, USER_LAYOUT } from "./regions.ts";
import { UserSpan } from "./user_span.ts";

/** Kind of access that faulted. */
export const Access = { READ: 0, WRITE: 1, EXEC: 2 } as const;

const td = new TextDecoder();

/** Copies to and from user memory, on top of a space's translation. */
export abstract class UserAccess implements GuestMemory {
  readonly #ctx: MmContext;
  readonly #ram: MmContext["frames"]["ram"];
  readonly #i32: Int32Array;
  readonly #u8: Uint8Array;
  #span: UserSpan | null = null;

  /**
   * Access to the RAM of `ctx`'s frame allocator.
   *
   * @param ctx the address space's kernel context
   */
  constructor(ctx: MmContext) {
    this.#ctx = ctx;
    this.#ram = ctx.frames.ram;
    this.#i32 = ctx.frames.ram.i32;
    this.#u8 = ctx.frames.ram.u8;
  }

  /**
   * The RAM byte offset of `va` for a kernel access ({@link Access}),
   * resolving demand-zero and COW faults like the MMU would; -1 for a bad
   * address.
   */
  abstract resolve(va: number, access: number): number;

  /** Copies `dst.length` bytes from `addr` into `dst`; false on a bad address. */
  copyInto(addr: number, dst: Uint8Array): boolean {
    let va = addr >>> 0;
    let done = 0;
    const n = dst.length;
    if (va + n > USER_LAYOUT.USER_END) return false;
    while (done < n) {
      const off = this.resolve(va, Access.READ);
      if (off < 0) return false;
      const chunk = Math.min(n - done, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
      copyBytes(dst, done, this.#u8, off, chunk);
      done += chunk;
      va += chunk;
    }
    this.#ctx.charge(((n + 63) >>> 6) * this.#ctx.costs.copyPer64Bytes);
    return true;
  }

  /**
   * True if every byte of `[addr, addr+length)` may be read (or written,
   * with `write`), resolving demand-zero and copy-on-write pages as an access
   * would. Lets a call check its destination before consuming input.
   */
  check(addr: number, length: number, write: boolean): boolean {
    let va = addr >>> 0;
    if (!(length >= 0) || va + length > USER_LAYOUT.USER_END) return false;
    const end = va + length;
    const access = write ? Access.WRITE : Access.READ;
    while (va < end) {
      if (this.resolve(va, access) < 0) return false;
      va = pageDown(va) + PAGE_SIZE;
    }
    return true;
  }

  /**
   * Resolves `[addr, addr+length)` for reading (or writing, with `write`) into
   * this space's reusable {@link UserSpan}, faulting pages in as the access
   * would, page by page in address order (as {@link check}); null on a bad
   * address or a length past {@link GUEST_SPAN_MAX}. The span is valid until
   * the next call.
   */
  span(addr: number, length: number, write: boolean): UserSpan | null {
    const va = addr >>> 0;
    // Within one page (most transfers): one piece. The bounds are literals
    // (USER_LAYOUT.USER_END 0x8000_0000 is page-aligned, so a range inside
    // one page below it ends below it; PAGE_SIZE 4096; Access.WRITE 1,
    // READ 0): a module object's field costs a map check and a load in
    // optimized code.
    if (length > 0 && (va & 4095) + length <= 4096 && va < 0x8000_0000) {
      const off = this.resolve(va, write ? 1 : 0);
      if (off < 0) return null;
      const s = this.#span ?? this.#newSpan();
      s.single(off, length);
      return s;
    }
    return this.#pagesSpan(va, length, write);
  }

  #newSpan(): UserSpan {
    return this.#span = new UserSpan(this.#ctx);
  }

  /** {@link span} of an empty range or one that crosses pages. */
  #pagesSpan(va: number, length: number, write: boolean): UserSpan | null {
    if (!(length >= 0 && length <= GUEST_SPAN_MAX) || va + length > USER_LAYOUT.USER_END) {
      return null;
    }
    const s = this.#span ?? this.#newSpan();
    const access = write ? Access.WRITE : Access.READ;
    s.reset();
    const end = va + length;
    while (va < end) {
      const off = this.resolve(va, access);
      if (off < 0) return null;
      const chunk = Math.min(end - va, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
      s.add(off, chunk);
      va += chunk;
    }
    return s;
  }

  /** Copies `length` bytes at `addr` into a new array; null on a bad address. */
  copyIn(addr: number, length: number): Uint8Array | null {
    if (!(length >= 0) || length > USER_LAYOUT.USER_END) return null;
    const out = new Uint8Array(length);
    return this.copyInto(addr, out) ? out : null;
  }

  /** Copies `data` to `addr`; false on a bad address (earlier pages may have been written). */
  copyOut(addr: number, data: Uint8Array): boolean {
    let va = addr >>> 0;
    let done = 0;
    const n = data.length;
    if (va + n > USER_LAYOUT.USER_END) return false;
    const ram = this.#ram;
    while (done < n) {
      const off = this.resolve(va, Access.WRITE);
      if (off < 0) return false;
      const chunk = Math.min(n - done, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
      copyBytes(this.#u8, off, data, done, chunk);
      ram.notifyWrite(off, chunk);
      done += chunk;
      va += chunk;
    }
    this.#ctx.charge(((n + 63) >>> 6) * this.#ctx.costs.copyPer64Bytes);
    return true;
  }

  /** Reads a u32 (unsigned) or returns K.FAULT. */
  readU32(addr: number): number {
    addr >>>= 0;
    if ((addr & 3) === 0) {
      const off = this.resolve(addr, Access.READ);
      if (off < 0) return K.FAULT;
      return this.#i32[off >>> 2] >>> 0;
    }
    let v = 0;
    for (let i = 3; i >= 0; i--) {
      const off = this.resolve(addr + i, Access.READ);
      if (off < 0) return K.FAULT;
      v = (v << 8) | this.#u8[off];
    }
    return v >>> 0;
  }

  /** Writes a u32; false on a bad address. */
  writeU32(addr: number, value: number): boolean {
    addr >>>= 0;
    if ((addr & 3) === 0) {
      const off = this.resolve(addr, Access.WRITE);
      if (off < 0) return false;
      this.#i32[off >>> 2] = value;
      this.#ram.notifyWrite(off, 4);
      return true;
    }
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0, true);
    return this.copyOut(addr, b);
  }

  /**
   * Reads a NUL-terminated UTF-8 string of at most `max` bytes (not counting
   * the NUL). Returns the string, K.FAULT, or K.NAMETOOLONG.
   */
  readCString(addr: number, max = 4096): string | KStatus {
    let va = addr >>> 0;
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const off = this.resolve(va, Access.READ);
      if (off < 0) return K.FAULT;
      const pageLeft = PAGE_SIZE - (va & (PAGE_SIZE - 1));
      const limit = Math.min(pageLeft, max + 1 - total);
      const seg = this.#u8.subarray(off, off + limit);
      const z = seg.indexOf(0);
      if (z >= 0) {
        parts.push(seg.subarray(0, z));
        total += z;
        break;
      }
      parts.push(seg);
      total += limit;
      if (total > max) return K.NAMETOOLONG;
      va += limit;
      if (va >= USER_LAYOUT.USER_END) return K.FAULT;
    }
    this.#ctx.charge(((total + 63) >>> 6) * this.#ctx.costs.copyPer64Bytes);
    if (parts.length === 1) return td.decode(parts[0]);
    const all = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      all.set(p, o);
      o += p.length;
    }
    return td.decode(all);
  }
}
