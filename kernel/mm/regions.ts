/**
 * The region list (VMAs) of a user address space, as plain data: the user
 * layout, page rounding, and the list operations an address space builds
 * mmap, munmap, mprotect and brk from. Regions are kept sorted by start and
 * never overlap; nothing here touches page tables.
 *
 * - regionAt, rangeFree, rangeCovered: queries
 * - insertRegion, cutRange, reprotectRange: changes (the last two return a
 *   new list, split at the range's edges; reprotect merges equal neighbours)
 * - findFreeRange: where an mmap without MAP_FIXED goes
 *
 * @module
 */

import { PAGE_SIZE } from "./frames.ts";

/** Protection bits of a region (same values as PROT_* in the API). */
export const Prot = { NONE: 0, READ: 1, WRITE: 2, EXEC: 4 } as const;

/** Layout constants of user space. */
export const USER_LAYOUT = {
  /** Lowest address a mapping may use (page 0 stays unmapped to catch NULL). */
  MIN_ADDR: 0x1000,
  /** Top of the user stack (exclusive). */
  STACK_TOP: 0x8000_0000,
  /** Maximum stack size. */
  STACK_SIZE: 8 * 1024 * 1024,
  /** Highest end of anonymous mmap areas (below the stack, with a guard gap). */
  MMAP_TOP: 0x7f00_0000,
  /** Upper bound of user space (exclusive). */
  USER_END: 0x8000_0000,
} as const;

/** A virtual memory area. */
export interface Region {
  /** First address (page aligned). */
  start: number;
  /** End address (exclusive, page aligned). */
  end: number;
  /** {@link Prot} bits. */
  prot: number;
  /** Name for /proc/PID/maps: "[heap]", "[stack]", the program path, or "" (anonymous, as Linux). */
  name: string;
}

/** Page-aligns down. */
export function pageDown(a: number): number {
  return (a & ~(PAGE_SIZE - 1)) >>> 0;
}

/** Page-aligns up (may return 2^32 for addresses in the last page). */
export function pageUp(a: number): number {
  return (Math.ceil(a / PAGE_SIZE) * PAGE_SIZE);
}

/** The region of `rs` holding `va` (an unsigned address), or undefined. */
export function regionAt(rs: readonly Region[], va: number): Region | undefined {
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i];
    if (va < r.start) return undefined;
    if (va < r.end) return r;
  }
  return undefined;
}

/** True when no region intersects `[start, end)`. */
export function rangeFree(rs: readonly Region[], start: number, end: number): boolean {
  for (const r of rs) {
    if (r.start < end && start < r.end) return false;
  }
  return true;
}

/** True when regions cover every byte of `[start, end)`. */
export function rangeCovered(rs: readonly Region[], start: number, end: number): boolean {
  let covered = start;
  for (const r of rs) {
    if (r.end <= covered) continue;
    if (r.start > covered) break;
    covered = r.end;
    if (covered >= end) break;
  }
  return covered >= end;
}

/** Inserts `r` (which must not overlap any region) in start order. */
export function insertRegion(rs: Region[], r: Region): void {
  let i = 0;
  while (i < rs.length && rs[i].start < r.start) i++;
  rs.splice(i, 0, r);
}

/**
 * The regions of `rs` with those crossing `[start, end)` split at its
 * edges; the part inside becomes `inside(part)`, or is dropped for null.
 */
function splitRange(
  rs: readonly Region[],
  start: number,
  end: number,
  inside: (part: Region) => Region | null,
): Region[] {
  const out: Region[] = [];
  for (const r of rs) {
    if (r.end <= start || r.start >= end) {
      out.push(r);
      continue;
    }
    if (r.start < start) out.push({ ...r, end: start });
    const kept = inside({ ...r, start: Math.max(r.start, start), end: Math.min(r.end, end) });
    if (kept !== null) out.push(kept);
    if (r.end > end) out.push({ ...r, start: end });
  }
  return out;
}

/** The regions of `rs` with `[start, end)` cut out (regions across an edge are split). */
export function cutRange(rs: readonly Region[], start: number, end: number): Region[] {
  return splitRange(rs, start, end, () => null);
}

/** The regions of `rs` with `[start, end)` given `prot`, neighbours that became equal merged. */
export function reprotectRange(
  rs: readonly Region[],
  start: number,
  end: number,
  prot: number,
): Region[] {
  return merge(splitRange(rs, start, end, (part) => ({ ...part, prot })));
}

/** Copies of `rs` with adjacent regions of the same protection and name joined. */
function merge(rs: readonly Region[]): Region[] {
  const out: Region[] = [];
  for (const r of rs) {
    const last = out[out.length - 1];
    if (
      last !== undefined && last.end === r.start && last.prot === r.prot && last.name === r.name
    ) {
      last.end = r.end;
    } else out.push({ ...r });
  }
  return out;
}

/**
 * A free range of `length` bytes for mmap: at `hint` if free, else the
 * highest free range below MMAP_TOP. Returns the address or -1.
 */
export function findFreeRange(rs: readonly Region[], length: number, hint: number): number {
  const len = pageUp(length);
  hint = pageDown(hint >>> 0);
  if (
    hint >= USER_LAYOUT.MIN_ADDR && hint + len <= USER_LAYOUT.MMAP_TOP &&
    rangeFree(rs, hint, hint + len)
  ) return hint;
  let top: number = USER_LAYOUT.MMAP_TOP;
  for (let i = rs.length - 1; i >= 0; i--) {
    const r = rs[i];
    if (r.start >= top) continue;
    if (r.end <= top && top - r.end >= len) return top - len;
    top = r.start;
  }
  if (top - USER_LAYOUT.MIN_ADDR >= len) return top - len;
  return -1;
}
