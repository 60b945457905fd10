/**
 * Memory calls of the Unix personality: brk, mmap2, munmap, mprotect.
 *
 * Only anonymous memory exists: MAP_PRIVATE is exact; MAP_SHARED anonymous
 * memory is mapped private (the difference shows only when a forked child
 * and its parent both write the area, and is documented); file mappings
 * answer ENODEV, the errno Linux gives for a file that cannot be mapped.
 *
 * @module
 */

import { K, type KernelApi, type Thread } from "../../../kernel/api.ts";
import { MMAP, PAGE_SIZE } from "./abi.ts";
import { arg, fileOf, uarg } from "./common.ts";

const PROT_MASK = MMAP.PROT_READ | MMAP.PROT_WRITE | MMAP.PROT_EXEC;
const PAGE_MASK = PAGE_SIZE - 1;

/** Flags mmap2 accepts (hints such as MAP_NORESERVE or MAP_POPULATE are accepted and ignored). */
const MMAP_KNOWN = MMAP.MAP_TYPE | MMAP.MAP_FIXED | MMAP.MAP_ANONYMOUS | MMAP.MAP_GROWSDOWN |
  MMAP.MAP_DENYWRITE | MMAP.MAP_EXECUTABLE | MMAP.MAP_LOCKED | MMAP.MAP_NORESERVE |
  MMAP.MAP_POPULATE | MMAP.MAP_NONBLOCK | MMAP.MAP_STACK | MMAP.MAP_FIXED_NOREPLACE;

/** brk(addr): the new break, or the current one when it cannot move (Linux's convention). */
export function sysBrk(t: Thread, api: KernelApi): number {
  return api.brk(t.process, uarg(t, 0));
}

/** mmap2(addr, length, prot, flags, fd, pgoffset). */
export function sysMmap2(t: Thread, api: KernelApi): number {
  const addr = uarg(t, 0);
  const length = uarg(t, 1);
  const prot = uarg(t, 2);
  const flags = uarg(t, 3);
  const fd = arg(t, 4);
  const type = flags & MMAP.MAP_TYPE;
  if (length === 0) return K.INVAL;
  if (type !== MMAP.MAP_PRIVATE && type !== MMAP.MAP_SHARED && type !== MMAP.MAP_SHARED_VALIDATE) {
    return K.INVAL;
  }
  if (type === MMAP.MAP_SHARED_VALIDATE && (flags & ~MMAP_KNOWN) !== 0) return K.NOTSUP;
  if ((prot & ~PROT_MASK) !== 0) return K.INVAL;
  if ((flags & MMAP.MAP_ANONYMOUS) === 0) {
    if (fileOf(api, t.process, fd) === null) return K.BADF;
    return K.NODEV;
  }
  if (length > 0xffff_f000) return K.NOMEM;
  const p = t.process;
  if (flags & MMAP.MAP_FIXED) {
    if ((addr & PAGE_MASK) !== 0) return K.INVAL;
    return api.mmap(p, addr, length, prot, true);
  }
  const r = api.mmap(p, addr & ~PAGE_MASK, length, prot, false);
  if (r < 0 && r >= -4095) return r;
  if ((flags & MMAP.MAP_FIXED_NOREPLACE) && (r >>> 0) !== (addr & ~PAGE_MASK) >>> 0) {
    // The hint was taken (something is mapped there): undo and report it.
    api.munmap(p, r >>> 0, length);
    return K.EXIST;
  }
  return r >>> 0;
}

/** munmap(addr, length). */
export function sysMunmap(t: Thread, api: KernelApi): number {
  const addr = uarg(t, 0);
  const length = uarg(t, 1);
  if ((addr & PAGE_MASK) !== 0 || length === 0) return K.INVAL;
  return api.munmap(t.process, addr, length);
}

/** mprotect(addr, length, prot). */
export function sysMprotect(t: Thread, api: KernelApi): number {
  const addr = uarg(t, 0);
  const length = uarg(t, 1);
  const prot = uarg(t, 2);
  if ((addr & PAGE_MASK) !== 0) return K.INVAL;
  if ((prot & ~PROT_MASK) !== 0) return K.INVAL;
  if (length === 0) return 0;
  return api.mprotect(t.process, addr, length, prot);
}
