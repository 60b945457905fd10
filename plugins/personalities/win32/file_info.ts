/**
 * File attributes and the file information records: FILETIME conversion,
 * FILE_ATTRIBUTE_* from a VFS stat (DIRECTORY, READONLY from the mode's
 * write bits, HIDDEN for dot files, ARCHIVE for the other files), and the
 * byte layouts of the information classes the executive answers
 * (FileBasic, FileStandard, FileNetworkOpen, FileAttributeTag, the
 * directory records).
 *
 * @module
 */

import { S_IFDIR, S_IFMT, type Stat } from "../../../kernel/api.ts";
import { toUtf16 } from "./args.ts";

/** FILE_ATTRIBUTE_* values. */
export const FILE_ATTRIBUTE = {
  READONLY: 0x1,
  HIDDEN: 0x2,
  SYSTEM: 0x4,
  DIRECTORY: 0x10,
  ARCHIVE: 0x20,
  NORMAL: 0x80,
} as const;

/** File information classes. */
export const FILE_INFO = {
  DIRECTORY: 1,
  FULL_DIRECTORY: 2,
  BOTH_DIRECTORY: 3,
  BASIC: 4,
  STANDARD: 5,
  NAME: 9,
  RENAME: 10,
  NAMES: 12,
  DISPOSITION: 13,
  POSITION: 14,
  MODE: 16,
  ALLOCATION: 19,
  END_OF_FILE: 20,
  PIPE_LOCAL: 24,
  NETWORK_OPEN: 34,
  ATTRIBUTE_TAG: 35,
} as const;

/** 100 ns intervals between 1601-01-01 and 1970-01-01. */
export const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;

/** FILETIME (100 ns since 1601) of a time in ns since 1970. */
export function toFiletime(ns: bigint): bigint {
  return ns / 100n + FILETIME_UNIX_EPOCH;
}

/** ns since 1970 of a FILETIME. */
export function fromFiletime(ft: bigint): bigint {
  return (ft - FILETIME_UNIX_EPOCH) * 100n;
}

/** FILE_ATTRIBUTE_* of a file named `name` with `st`. */
export function attributesOf(st: Stat, name: string): number {
  let a = 0;
  const dir = (st.mode & S_IFMT) === S_IFDIR;
  if (dir) a |= FILE_ATTRIBUTE.DIRECTORY;
  if ((st.mode & 0o222) === 0) a |= FILE_ATTRIBUTE.READONLY;
  if (name.startsWith(".") && name !== "." && name !== "..") a |= FILE_ATTRIBUTE.HIDDEN;
  if (!dir) a |= FILE_ATTRIBUTE.ARCHIVE;
  return a;
}

/** The four times: creation (ctime stands in), access, write, change. */
function times(st: Stat): bigint[] {
  return [st.ctimeNs, st.atimeNs, st.mtimeNs, st.ctimeNs].map(toFiletime);
}

/** Allocation size: whole 4 KiB clusters. */
function allocation(st: Stat): bigint {
  return BigInt(Math.ceil(st.size / 4096) * 4096);
}

/**
 * FILE_BASIC_INFORMATION: its 36 meaningful bytes (NT pads it to 40 for the
 * 8-byte alignment of LARGE_INTEGER; Strata's `STRATA_LARGE_INTEGER` is
 * 4-byte aligned, so callers may pass 36-byte structures and the padding
 * is never written).
 */
export function basicInfo(st: Stat, name: string): Uint8Array {
  const b = new Uint8Array(36);
  const v = new DataView(b.buffer);
  times(st).forEach((t, i) => v.setBigInt64(i * 8, t, true));
  v.setUint32(32, attributesOf(st, name), true);
  return b;
}

/** FILE_STANDARD_INFORMATION (24 bytes). */
export function standardInfo(st: Stat, deletePending: boolean): Uint8Array {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  const dir = (st.mode & S_IFMT) === S_IFDIR;
  v.setBigInt64(0, dir ? 0n : allocation(st), true);
  v.setBigInt64(8, dir ? 0n : BigInt(st.size), true);
  v.setUint32(16, st.nlink, true);
  b[20] = deletePending ? 1 : 0;
  b[21] = dir ? 1 : 0;
  return b;
}

/** FILE_NETWORK_OPEN_INFORMATION: its 52 meaningful bytes (56 with NT's padding). */
export function networkOpenInfo(st: Stat, name: string): Uint8Array {
  const b = new Uint8Array(52);
  const v = new DataView(b.buffer);
  const dir = (st.mode & S_IFMT) === S_IFDIR;
  times(st).forEach((t, i) => v.setBigInt64(i * 8, t, true));
  v.setBigInt64(32, dir ? 0n : allocation(st), true);
  v.setBigInt64(40, dir ? 0n : BigInt(st.size), true);
  v.setUint32(48, attributesOf(st, name), true);
  return b;
}

/** One directory record of `cls` (unaligned length; the caller aligns to 8). */
export function directoryRecord(cls: number, st: Stat, name: string, index: number): Uint8Array {
  const wname = toUtf16(name);
  if (cls === FILE_INFO.NAMES) {
    const b = new Uint8Array(12 + wname.length);
    const v = new DataView(b.buffer);
    v.setUint32(4, index, true);
    v.setUint32(8, wname.length, true);
    b.set(wname, 12);
    return b;
  }
  const head = cls === FILE_INFO.DIRECTORY ? 64 : cls === FILE_INFO.FULL_DIRECTORY ? 68 : 94;
  const b = new Uint8Array(head + wname.length);
  const v = new DataView(b.buffer);
  const dir = (st.mode & S_IFMT) === S_IFDIR;
  v.setUint32(4, index, true);
  times(st).forEach((t, i) => v.setBigInt64(8 + i * 8, t, true));
  v.setBigInt64(40, dir ? 0n : BigInt(st.size), true);
  v.setBigInt64(48, dir ? 0n : allocation(st), true);
  v.setUint32(56, attributesOf(st, name), true);
  v.setUint32(60, wname.length, true);
  b.set(wname, head);
  return b;
}

/**
 * True if `name` matches the NT wildcard `pattern` without case: `*` and
 * `<` any run, `?` and `>` one character, `"` a dot.
 */
export function wildcardMatch(pattern: string, name: string): boolean {
  const p = pattern.toUpperCase(), n = name.toUpperCase();
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * 4096 + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === p.length) r = j === n.length;
    else if (p[i] === "*" || p[i] === "<") r = go(i + 1, j) || (j < n.length && go(i, j + 1));
    else if (p[i] === "?" || p[i] === ">") r = j < n.length ? go(i + 1, j + 1) : go(i + 1, j);
    else if (p[i] === '"') r = (j < n.length && n[j] === ".") ? go(i + 1, j + 1) : go(i + 1, j);
    else r = j < n.length && p[i] === n[j] && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}
