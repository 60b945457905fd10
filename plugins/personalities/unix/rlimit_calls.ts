/**
 * Resource limits: prlimit64(pid, resource, new, old), the one limit call of
 * the rv32 ABI (libc's getrlimit and setrlimit use it). `struct rlimit64`
 * is two u64 (soft, hard); all ones is RLIM64_INFINITY. The kernel stores
 * and applies the limits ({@link KernelApi.setRlimit}); this file decodes
 * the call and applies Linux's rule for another process: the caller must be
 * root or have the target's uid and gid.
 *
 * @module
 */

import { K, type KernelApi, type Process, RLIM_NLIMITS, type Thread } from "../../../kernel/api.ts";
import { arg, uarg } from "./common.ts";

const TWO32 = 0x1_0000_0000;

/** Decodes one u64 limit (all ones, or anything from 2^63 up, is unlimited). */
function decode(v: DataView, off: number): number {
  const lo = v.getUint32(off, true), hi = v.getUint32(off + 4, true);
  if (hi >= 0x8000_0000) return Infinity;
  return hi * TWO32 + lo;
}

/** Encodes one limit as a u64 (Infinity as all ones). */
function encode(v: DataView, off: number, value: number): void {
  if (value === Infinity) {
    v.setUint32(off, 0xffff_ffff, true);
    v.setUint32(off + 4, 0xffff_ffff, true);
    return;
  }
  v.setUint32(off, value % TWO32, true);
  v.setUint32(off + 4, Math.floor(value / TWO32), true);
}

/** May `caller` read or change `target`'s limits? Root, or the same uid and gid. */
function mayPrlimit(caller: Process, target: Process): boolean {
  return caller === target || caller.uid === 0 ||
    (caller.uid === target.uid && caller.gid === target.gid);
}

/** prlimit64(pid, resource, new_limit, old_limit); pid 0 is the caller. */
export function sysPrlimit64(t: Thread, api: KernelApi): number {
  const pid = arg(t, 0), resource = uarg(t, 1), newAddr = uarg(t, 2), oldAddr = uarg(t, 3);
  const caller = t.process;
  let soft = 0, hard = 0;
  if (newAddr !== 0) {
    const b = api.copyIn(caller, newAddr, 16);
    if (b === null) return K.FAULT;
    const v = new DataView(b.buffer, b.byteOffset, 16);
    soft = decode(v, 0);
    hard = decode(v, 8);
  }
  if (pid < 0) return K.SRCH;
  const target = pid === 0 ? caller : api.getProcess(pid);
  if (target === null) return K.SRCH;
  if (!mayPrlimit(caller, target)) return K.PERM;
  if (resource >= RLIM_NLIMITS) return K.INVAL;
  const oldSoft = target.rlimits.soft[resource], oldHard = target.rlimits.hard[resource];
  if (newAddr !== 0) {
    const st = api.setRlimit(caller, target, resource, soft, hard);
    if (st < 0) return st;
  }
  if (oldAddr !== 0) {
    const out = new Uint8Array(16);
    const v = new DataView(out.buffer);
    encode(v, 0, oldSoft);
    encode(v, 8, oldHard);
    if (!api.copyOut(caller, oldAddr, out)) return K.FAULT;
  }
  return 0;
}
