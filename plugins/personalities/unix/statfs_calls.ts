/**
 * statfs64(path, size, buf) and fstatfs64(fd, size, buf): file-system usage
 * (`df`). `struct statfs64` of the rv32 ABI is 88 bytes: f_type, f_bsize
 * (u32), f_blocks, f_bfree, f_bavail, f_files, f_ffree (u64), f_fsid (two
 * i32), f_namelen, f_frsize, f_flags (u32, ST_VALID and ST_RDONLY), four
 * spare words and padding. A size other than 88 is EINVAL, as Linux.
 *
 * @module
 */

import {
  type FsUsageReport,
  K,
  type KernelApi,
  type KStatus,
  type Thread,
} from "../../../kernel/api.ts";
import { AT_FDCWD } from "./abi.ts";
import { arg, baseFor, credOf, fileOf, readPath, uarg } from "./common.ts";

/** sizeof(struct statfs64) on rv32. */
export const STATFS64_SIZE = 88;
const ST_RDONLY = 1;
const ST_VALID = 0x20;

/** Encodes `u` as struct statfs64. */
export function encodeStatfs64(u: FsUsageReport): Uint8Array {
  const out = new Uint8Array(STATFS64_SIZE);
  const v = new DataView(out.buffer);
  const u64 = (off: number, n: number) => v.setBigUint64(off, BigInt(Math.max(0, n)), true);
  v.setUint32(0, u.magic >>> 0, true);
  v.setUint32(4, u.blockSize, true);
  u64(8, u.blocks);
  u64(16, u.blocksFree);
  u64(24, u.blocksAvailable);
  u64(32, u.files);
  u64(40, u.filesFree);
  v.setUint32(56, u.nameMax, true);
  v.setUint32(60, u.blockSize, true);
  v.setUint32(64, ST_VALID | (u.readOnly ? ST_RDONLY : 0), true);
  return out;
}

function reply(t: Thread, api: KernelApi, u: FsUsageReport | KStatus): number {
  if (typeof u === "number") return u;
  return api.copyOut(t.process, uarg(t, 2), encodeStatfs64(u)) ? 0 : K.FAULT;
}

/** statfs64(path, size, buf). */
export function sysStatfs64(t: Thread, api: KernelApi): number {
  const p = t.process;
  if (uarg(t, 1) !== STATFS64_SIZE) return K.INVAL;
  const path = readPath(api, p, uarg(t, 0));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, AT_FDCWD, path);
  if (typeof base === "number") return base;
  return reply(t, api, api.vfs.statfs(base, path, credOf(p)));
}

/** fstatfs64(fd, size, buf). */
export function sysFstatfs64(t: Thread, api: KernelApi): number {
  if (uarg(t, 1) !== STATFS64_SIZE) return K.INVAL;
  const file = fileOf(api, t.process, arg(t, 0));
  if (file === null) return K.BADF;
  return reply(t, api, api.vfs.fstatfs(file));
}
