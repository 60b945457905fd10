/**
 * File status and attributes: statx, faccessat, fchmodat, fchmod,
 * utimensat_time64, truncate64, ftruncate64.
 *
 * - statAt: the (dirfd, path, flags) lookup of statx
 * - openedPath: the path a descriptor was opened by (fchmod, utimensat on an fd)
 * - utimeOf: one utimensat time
 *
 * @module
 */

import {
  K,
  type KernelApi,
  type KStatus,
  type PathLoc,
  type Process,
  type Stat,
  type Thread,
} from "../../../kernel/api.ts";
import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_NO_AUTOMOUNT,
  AT_STATX_SYNC_TYPE,
  AT_SYMLINK_NOFOLLOW,
  encodeStatx,
  STATX_SIZE,
} from "./abi.ts";
import {
  arg,
  baseFor,
  credOf,
  fileOf,
  length64,
  readPath,
  scratch,
  scratchBytes,
  scratchView,
  uarg,
} from "./common.ts";

const STATX_FLAGS = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE;

/** Resolves the stat of (dirfd, path, flags) the way statx does. */
function statAt(
  api: KernelApi,
  p: Process,
  dirfd: number,
  pathAddr: number,
  flags: number,
): Stat | KStatus {
  const path = readPath(api, p, pathAddr, (flags & AT_EMPTY_PATH) !== 0);
  if (typeof path === "number") return path;
  if (path === "") {
    if (dirfd === AT_FDCWD) return api.vfs.stat(api.cwd(p), ".", credOf(p));
    const file = fileOf(api, p, dirfd);
    return file === null ? K.BADF : api.vfs.fstat(file);
  }
  const base = baseFor(api, p, dirfd, path);
  if (typeof base === "number") return base;
  return (flags & AT_SYMLINK_NOFOLLOW)
    ? api.vfs.lstat(base, path, credOf(p))
    : api.vfs.stat(base, path, credOf(p));
}

/** statx(dirfd, path, flags, mask, buf). The basic stats are always filled; no birth time. */
export function sysStatx(t: Thread, api: KernelApi): number {
  const p = t.process;
  const flags = uarg(t, 2);
  const mask = uarg(t, 3);
  const buf = uarg(t, 4);
  if ((flags & ~STATX_FLAGS) !== 0) return K.INVAL;
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) return K.INVAL;
  if ((mask & 0x8000_0000) !== 0) return K.INVAL; // STATX__RESERVED
  const st = statAt(api, p, arg(t, 0), uarg(t, 1), flags);
  if (typeof st === "number") return st;
  encodeStatx(scratchView, 0, st);
  return api.copyOut(p, buf, scratch.subarray(0, STATX_SIZE)) ? 0 : K.FAULT;
}

/** faccessat(dirfd, path, mode): mode is F_OK (0) or a mask of R_OK 4, W_OK 2, X_OK 1. */
export function sysFaccessat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const mode = uarg(t, 2);
  if ((mode & ~7) !== 0) return K.INVAL;
  const path = readPath(api, p, uarg(t, 1));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 0), path);
  if (typeof base === "number") return base;
  return api.vfs.access(base, path, mode, credOf(p));
}

/** ftruncate64(fd, length_lo, length_hi). */
export function sysFtruncate64(t: Thread, api: KernelApi): number {
  const file = fileOf(api, t.process, arg(t, 0));
  if (file === null) return K.BADF;
  const len = length64(uarg(t, 1), arg(t, 2));
  if (len < 0 || !Number.isSafeInteger(len)) return K.INVAL;
  return api.vfs.ftruncate(file, len);
}

/** truncate64(path, length_lo, length_hi). */
export function sysTruncate64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const path = readPath(api, p, uarg(t, 0));
  if (typeof path === "number") return path;
  const len = length64(uarg(t, 1), arg(t, 2));
  if (len < 0 || !Number.isSafeInteger(len)) return K.INVAL;
  const base = baseFor(api, p, AT_FDCWD, path);
  if (typeof base === "number") return base;
  return api.vfs.truncate(base, path, len, credOf(p));
}

/** fchmodat(dirfd, path, mode). */
export function sysFchmodat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const path = readPath(api, p, uarg(t, 1));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 0), path);
  if (typeof base === "number") return base;
  return api.vfs.setAttr(base, path, { mode: uarg(t, 2) & 0o7777 }, true, credOf(p));
}

/** fchmod(fd, mode): applied through the path the file was opened by. */
export function sysFchmod(t: Thread, api: KernelApi): number {
  const p = t.process;
  const path = openedPath(api, p, arg(t, 0));
  if (typeof path === "number") return path;
  return api.vfs.setAttr(null, path, { mode: uarg(t, 1) & 0o7777 }, true, credOf(p));
}

/**
 * The absolute path `fd` was opened by, for calls that change a file's
 * attributes through a descriptor; K.BADF, or K.INVAL for pipes and other
 * anonymous files.
 */
function openedPath(api: KernelApi, p: Process, fd: number): string | KStatus {
  const file = fileOf(api, p, fd);
  if (file === null) return K.BADF;
  return file.path.startsWith("/") ? file.path : K.INVAL;
}

/** utimensat tv_nsec values: the current time, or leave the time alone. */
const UTIME_NOW = (1 << 30) - 1;
const UTIME_OMIT = (1 << 30) - 2;

/** One utimensat time: ns, undefined to leave it, "now", or a K status. */
function utimeOf(sec: bigint, nsec: bigint): bigint | undefined | "now" | KStatus {
  if (nsec === BigInt(UTIME_NOW)) return "now";
  if (nsec === BigInt(UTIME_OMIT)) return undefined;
  if (nsec < 0n || nsec >= 1_000_000_000n) return K.INVAL;
  return sec * 1_000_000_000n + nsec;
}

/**
 * utimensat_time64(dirfd, path, times, flags): sets access and modification
 * times (times NULL: both now); a NULL path means dirfd itself (through the
 * path it was opened by). Only the owner or root may set explicit times;
 * setting both to now also needs only write permission, as on Linux.
 */
export function sysUtimensatTime64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const dirfd = arg(t, 0);
  const pathAddr = uarg(t, 1);
  const timesAddr = uarg(t, 2);
  const flags = uarg(t, 3);
  if ((flags & ~AT_SYMLINK_NOFOLLOW) !== 0) return K.INVAL;
  let atime: bigint | undefined | "now" = "now";
  let mtime: bigint | undefined | "now" = "now";
  if (timesAddr !== 0) {
    if (!api.copyInto(p, timesAddr, scratchBytes(32))) return K.FAULT;
    const a = utimeOf(scratchView.getBigInt64(0, true), scratchView.getBigInt64(8, true));
    const m = utimeOf(scratchView.getBigInt64(16, true), scratchView.getBigInt64(24, true));
    if (typeof a === "number") return a;
    if (typeof m === "number") return m;
    // Linux answers 0 at once, before looking the path up.
    if (a === undefined && m === undefined) return 0;
    atime = a;
    mtime = m;
  }
  let base: PathLoc | null;
  let path: string;
  let follow = (flags & AT_SYMLINK_NOFOLLOW) === 0;
  if (pathAddr === 0) {
    if (dirfd === AT_FDCWD) return K.FAULT;
    const opened = openedPath(api, p, dirfd);
    if (typeof opened === "number") return opened;
    base = null;
    path = opened;
    follow = true;
  } else {
    const read = readPath(api, p, pathAddr);
    if (typeof read === "number") return read;
    const b = baseFor(api, p, dirfd, read);
    if (typeof b === "number") return b;
    base = b;
    path = read;
  }
  const cred = credOf(p);
  const now = api.realtimeNs();
  const change = {
    atimeNs: atime === "now" ? now : atime,
    mtimeNs: mtime === "now" ? now : mtime,
  };
  const r = api.vfs.setAttr(base, path, change, follow, cred);
  if (r !== K.PERM || atime !== "now" || mtime !== "now") return r;
  // Not the owner: setting both to now is also allowed with write permission.
  const w = api.vfs.access(base, path, 2, cred);
  if (w < 0) return w === K.ROFS ? w : K.ACCES;
  return api.vfs.setAttr(base, path, change, follow, { uid: 0, gid: 0 });
}
