/**
 * Per-process handle tables. A handle is an index times four (the low two
 * bits are tag bits, ignored on lookup, as on NT); 0 is never a handle.
 * Each entry holds one reference on its object, the access granted when
 * the handle was made (checked by every call that uses it), and the
 * OBJ_INHERIT / protect-from-close flags.
 *
 * Also here: the pseudo-handles (-1 current process, -2 current thread) and
 * {@link duplicateHandle}, NtDuplicateObject's semantics.
 *
 * @module
 */

import type { NtObject, ObjectTypeName } from "./ob.ts";
import { STATUS } from "./ntstatus.ts";

/** Handle flags (HANDLE_FLAG_* of SetHandleInformation). */
export const HANDLE_FLAG = { INHERIT: 1, PROTECT_FROM_CLOSE: 2 } as const;

/** The current-process pseudo-handle (NtCurrentProcess), as an unsigned number. */
export const CURRENT_PROCESS = 0xffff_ffff;
/** The current-thread pseudo-handle (NtCurrentThread). */
export const CURRENT_THREAD = 0xffff_fffe;

/** Options of NtDuplicateObject. */
export const DUPLICATE = { CLOSE_SOURCE: 1, SAME_ACCESS: 2, SAME_ATTRIBUTES: 4 } as const;

/** Most handles one process may hold. */
export const MAX_HANDLES = 1 << 16;

/** One entry of a handle table. */
export interface HandleEntry {
  /** The object (one reference held). */
  readonly object: NtObject;
  /** Access mask granted. */
  readonly access: number;
  /** HANDLE_FLAG bits. */
  flags: number;
}

/** A process's handle table. */
export class HandleTable {
  readonly #slots: (HandleEntry | null)[] = [null];
  #free: number[] = [];

  /** Number of open handles. */
  get count(): number {
    return this.#slots.length - 1 - this.#free.length;
  }

  /** Adds a handle to `object` (taking a reference); the handle or INSUFFICIENT_RESOURCES as a negative int. */
  insert(object: NtObject, access: number, flags = 0): number {
    let idx: number;
    if (this.#free.length > 0) {
      this.#free.sort((a, b) => b - a);
      idx = this.#free.pop()!;
    } else {
      if (this.#slots.length >= MAX_HANDLES) return STATUS.INSUFFICIENT_RESOURCES | 0;
      idx = this.#slots.length;
      this.#slots.push(null);
    }
    this.#slots[idx] = { object: object.reference(), access: access >>> 0, flags };
    return idx * 4;
  }

  /** Puts `object` at exactly `handle` (inheritance keeps values); false if taken. */
  insertAt(handle: number, object: NtObject, access: number, flags: number): boolean {
    const idx = handle >>> 2;
    if (idx === 0 || idx >= MAX_HANDLES) return false;
    while (this.#slots.length <= idx) {
      this.#free.push(this.#slots.length);
      this.#slots.push(null);
    }
    if (this.#slots[idx] !== null) return false;
    this.#free = this.#free.filter((i) => i !== idx);
    this.#slots[idx] = { object: object.reference(), access: access >>> 0, flags };
    return true;
  }

  /** The entry of `handle`, or null. */
  entry(handle: number): HandleEntry | null {
    const idx = (handle >>> 0) >>> 2;
    return idx > 0 && idx < this.#slots.length ? this.#slots[idx] : null;
  }

  /**
   * The object behind `handle` if it has type `type` (any when null) and
   * the handle grants every bit of `want`; else INVALID_HANDLE,
   * OBJECT_TYPE_MISMATCH or ACCESS_DENIED (unsigned NTSTATUS numbers).
   */
  reference(handle: number, type: ObjectTypeName | null, want: number): NtObject | number {
    const e = this.entry(handle);
    if (e === null) return STATUS.INVALID_HANDLE;
    if (type !== null && e.object.type !== type) return STATUS.OBJECT_TYPE_MISMATCH;
    if ((e.access & want) >>> 0 !== want >>> 0) return STATUS.ACCESS_DENIED;
    return e.object;
  }

  /** Closes `handle`: INVALID_HANDLE, HANDLE_NOT_CLOSABLE (protected) or SUCCESS. */
  close(handle: number, force = false): number {
    const idx = (handle >>> 0) >>> 2;
    const e = this.entry(handle);
    if (e === null) return STATUS.INVALID_HANDLE;
    if (!force && (e.flags & HANDLE_FLAG.PROTECT_FROM_CLOSE)) return HANDLE_NOT_CLOSABLE;
    this.#slots[idx] = null;
    this.#free.push(idx);
    e.object.dereference();
    return STATUS.SUCCESS;
  }

  /** Closes every handle (process exit). */
  closeAll(): void {
    for (let i = 1; i < this.#slots.length; i++) {
      if (this.#slots[i] !== null) this.close(i * 4, true);
    }
  }

  /** Handles in ascending order with their entries. */
  list(): [number, HandleEntry][] {
    const out: [number, HandleEntry][] = [];
    this.#slots.forEach((e, i) => {
      if (e !== null) out.push([i * 4, e]);
    });
    return out;
  }

  /** Copies the inheritable handles of `parent` into this (empty) table at the same values. */
  inheritFrom(parent: HandleTable): void {
    for (const [h, e] of parent.list()) {
      if (e.flags & HANDLE_FLAG.INHERIT) this.insertAt(h, e.object, e.access, e.flags);
    }
  }
}

/** STATUS_HANDLE_NOT_CLOSABLE. */
export const HANDLE_NOT_CLOSABLE = 0xc000_0235;

/**
 * NtDuplicateObject between two tables: the new handle in `target` for the
 * object of `handle` in `source`, with `access` (mapped by the caller) or
 * the same access, `flags` or the same flags; CLOSE_SOURCE closes the
 * source handle even when the duplication fails. Objects carry no
 * security descriptors, so the access asked for is granted (as NT grants
 * it when the object's security allows). Returns the new handle (>= 4),
 * 0 when `target` is null (close only), or an NTSTATUS as a negative int32.
 */
export function duplicateHandle(
  source: HandleTable,
  handle: number,
  target: HandleTable | null,
  access: number,
  flags: number,
  options: number,
): number {
  const e = source.entry(handle);
  if (e === null) return STATUS.INVALID_HANDLE | 0;
  const object = e.object.reference();
  try {
    if (options & DUPLICATE.CLOSE_SOURCE) source.close(handle, true);
    if (target === null) return 0;
    const grant = options & DUPLICATE.SAME_ACCESS ? e.access : access >>> 0;
    const f = options & DUPLICATE.SAME_ATTRIBUTES ? e.flags : flags;
    return target.insert(object, grant, f & HANDLE_FLAG.INHERIT);
  } finally {
    object.dereference();
  }
}
