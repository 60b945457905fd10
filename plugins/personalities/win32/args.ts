/**
 * Argument access for native calls (the Strata native ABI: arguments 1..7
 * in a0..a6, argument 8 in t0, arguments 9+ on the user stack at sp+0,
 * sp+4, ...) and readers for the NT structures passed by pointer
 * (UNICODE_STRING, OBJECT_ATTRIBUTES, LARGE_INTEGER, IO_STATUS_BLOCK).
 *
 * @module
 */

import type { KernelApi, Process, Thread } from "../../../kernel/api.ts";
import { STATUS } from "./ntstatus.ts";

/** Argument `i` (0-based) as an unsigned 32-bit number; -1 when a stack argument is unreadable. */
export function narg(t: Thread, api: KernelApi, i: number): number {
  if (i < 7) return t.regs[10 + i] >>> 0;
  if (i === 7) return t.regs[5] >>> 0;
  const v = api.readU32(t.process, ((t.regs[2] >>> 0) + (i - 8) * 4) >>> 0);
  return v < 0 ? -1 : v;
}

/** The first `n` arguments; null when a stack argument cannot be read. */
export function nargs(t: Thread, api: KernelApi, n: number): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = narg(t, api, i);
    if (v < 0) return null;
    out.push(v);
  }
  return out;
}

/** Decodes UTF-16LE code units. */
export function utf16(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    s += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
  }
  return s;
}

/** Encodes a string as UTF-16LE. */
export function toUtf16(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i * 2] = c & 0xff;
    out[i * 2 + 1] = c >>> 8;
  }
  return out;
}

/** Reads a UNICODE_STRING at `addr`: the string, or an NTSTATUS (ACCESS_VIOLATION, INVALID_PARAMETER). */
export function readUnicodeString(api: KernelApi, p: Process, addr: number): string | number {
  const hdr = api.copyIn(p, addr, 8);
  if (hdr === null) return STATUS.ACCESS_VIOLATION;
  const v = new DataView(hdr.buffer);
  const len = v.getUint16(0, true);
  const buf = v.getUint32(4, true);
  if (len & 1 || len > v.getUint16(2, true) && v.getUint16(2, true) !== 0) {
    return STATUS.INVALID_PARAMETER;
  }
  if (len === 0) return "";
  const data = api.copyIn(p, buf, len);
  return data === null ? STATUS.ACCESS_VIOLATION : utf16(data);
}

/** OBJECT_ATTRIBUTES as read from the guest. */
export interface ObjectAttributes {
  /** RootDirectory handle (0: none). */
  root: number;
  /** ObjectName ("" when absent). */
  name: string;
  /** Attributes (OBJ_INHERIT 0x2, OBJ_CASE_INSENSITIVE 0x40...). */
  attributes: number;
}

/** OBJ_INHERIT. */
export const OBJ_INHERIT = 0x2;

/** Reads OBJECT_ATTRIBUTES at `addr`, or an NTSTATUS. */
export function readObjectAttributes(
  api: KernelApi,
  p: Process,
  addr: number,
): ObjectAttributes | number {
  if (addr === 0) return STATUS.INVALID_PARAMETER;
  const raw = api.copyIn(p, addr, 24);
  if (raw === null) return STATUS.ACCESS_VIOLATION;
  const v = new DataView(raw.buffer);
  if (v.getUint32(0, true) !== 24) return STATUS.INVALID_PARAMETER;
  const namePtr = v.getUint32(8, true);
  const name = namePtr === 0 ? "" : readUnicodeString(api, p, namePtr);
  if (typeof name === "number") return name;
  return { root: v.getUint32(4, true), name, attributes: v.getUint32(12, true) };
}

/** Reads a signed 64-bit LARGE_INTEGER at `addr` as a bigint, or null. */
export function readI64(api: KernelApi, p: Process, addr: number): bigint | null {
  const raw = api.copyIn(p, addr, 8);
  if (raw === null) return null;
  return new DataView(raw.buffer).getBigInt64(0, true);
}

/** Writes a 64-bit value at `addr`; false on a bad pointer. */
export function writeI64(api: KernelApi, p: Process, addr: number, value: bigint): boolean {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt.asIntN(64, value), true);
  return api.copyOut(p, addr, b);
}

/** Writes an IO_STATUS_BLOCK (status, information) at `addr` (0: none). */
export function writeIosb(
  api: KernelApi,
  p: Process,
  addr: number,
  status: number,
  info: number,
): void {
  if (addr === 0) return;
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint32(0, status >>> 0, true);
  v.setUint32(4, info >>> 0, true);
  api.copyOut(p, addr, b);
}

/** Reads a NUL-terminated ANSI string of at most `max` bytes, or an NTSTATUS. */
export function readAnsi(api: KernelApi, p: Process, addr: number, max = 32768): string | number {
  const s = api.readString(p, addr, max);
  return typeof s === "number" ? STATUS.ACCESS_VIOLATION : s;
}
