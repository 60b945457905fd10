/**
 * Directories and names: getdents64, chdir, fchdir, getcwd, mkdirat,
 * unlinkat, readlinkat, symlinkat, linkat, renameat2.
 *
 * - pathPair: the two resolved (dirfd, path) pairs of linkat and renameat2
 *
 * @module
 */

import { K, type KernelApi, type KStatus, type PathLoc, type Thread } from "../../../kernel/api.ts";
import { AT_REMOVEDIR, AT_SYMLINK_FOLLOW, encodeDirent64 } from "./abi.ts";
import { arg, baseFor, credOf, fileOf, readPath, scratch, SCRATCH_SIZE, uarg } from "./common.ts";

const te = new TextEncoder();

/** getdents64(fd, dirp, count). */
export function sysGetdents64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const file = fileOf(api, p, arg(t, 0));
  if (file === null) return K.BADF;
  const dirp = uarg(t, 1);
  const count = Math.min(uarg(t, 2), SCRATCH_SIZE);
  const entries = api.vfs.readdir(file);
  if (typeof entries === "number") return entries;
  let used = 0;
  let consumed = 0;
  for (const e of entries) {
    const n = encodeDirent64(
      scratch,
      used,
      count,
      e.ino,
      file.offset + consumed + 1,
      e.type,
      te.encode(e.name),
    );
    if (n === 0) break;
    used += n;
    consumed++;
  }
  if (consumed === 0 && entries.length > 0) return K.INVAL; // buffer too small for one entry
  if (used > 0 && !api.copyOut(p, dirp, scratch.subarray(0, used))) return K.FAULT;
  file.offset += consumed;
  return used;
}

/** chdir(path). */
export function sysChdir(t: Thread, api: KernelApi): number {
  const path = readPath(api, t.process, uarg(t, 0));
  if (typeof path === "number") return path;
  return api.chdir(t.process, path);
}

/** fchdir(fd). */
export function sysFchdir(t: Thread, api: KernelApi): number {
  const p = t.process;
  const file = fileOf(api, p, arg(t, 0));
  if (file === null) return K.BADF;
  const loc = api.vfs.chdir(null, file.path, credOf(p));
  if (typeof loc === "number") return loc;
  api.setCwd(p, loc);
  return 0;
}

/** getcwd(buf, size): returns the length including the NUL, as the raw syscall does. */
export function sysGetcwd(t: Thread, api: KernelApi): number {
  const p = t.process;
  const buf = uarg(t, 0);
  const size = uarg(t, 1);
  const bytes = te.encode(api.cwd(p).path);
  if (bytes.length + 1 > size) return K.RANGE;
  if (bytes.length + 1 > SCRATCH_SIZE) return K.NAMETOOLONG;
  scratch.set(bytes, 0);
  scratch[bytes.length] = 0;
  return api.copyOut(p, buf, scratch.subarray(0, bytes.length + 1)) ? bytes.length + 1 : K.FAULT;
}

/** mkdirat(dirfd, path, mode). */
export function sysMkdirat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const path = readPath(api, p, uarg(t, 1));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 0), path);
  if (typeof base === "number") return base;
  return api.vfs.mkdir(base, path, uarg(t, 2) & 0o7777 & ~p.umask, credOf(p));
}

/** unlinkat(dirfd, path, flags): AT_REMOVEDIR removes a directory. */
export function sysUnlinkat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const flags = uarg(t, 2);
  if ((flags & ~AT_REMOVEDIR) !== 0) return K.INVAL;
  const path = readPath(api, p, uarg(t, 1));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 0), path);
  if (typeof base === "number") return base;
  return (flags & AT_REMOVEDIR)
    ? api.vfs.rmdir(base, path, credOf(p))
    : api.vfs.unlink(base, path, credOf(p));
}

/** readlinkat(dirfd, path, buf, size): the target, not NUL-terminated, truncated to size. */
export function sysReadlinkat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const size = arg(t, 3);
  if (size <= 0) return K.INVAL;
  const path = readPath(api, p, uarg(t, 1));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 0), path);
  if (typeof base === "number") return base;
  const target = api.vfs.readlink(base, path, credOf(p));
  if (typeof target === "number") return target;
  const bytes = te.encode(target).subarray(0, Math.min(size, SCRATCH_SIZE));
  return api.copyOut(p, uarg(t, 2), bytes) ? bytes.length : K.FAULT;
}

/** symlinkat(target, newdirfd, linkpath). */
export function sysSymlinkat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const target = readPath(api, p, uarg(t, 0));
  if (typeof target === "number") return target;
  const path = readPath(api, p, uarg(t, 2));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 1), path);
  if (typeof base === "number") return base;
  return api.vfs.symlink(target, base, path, credOf(p));
}

/** The (olddirfd, oldpath, newdirfd, newpath) arguments of linkat and renameat2, resolved. */
function pathPair(
  t: Thread,
  api: KernelApi,
):
  | { oldBase: PathLoc | null; oldPath: string; newBase: PathLoc | null; newPath: string }
  | KStatus {
  const p = t.process;
  const oldPath = readPath(api, p, uarg(t, 1));
  if (typeof oldPath === "number") return oldPath;
  const newPath = readPath(api, p, uarg(t, 3));
  if (typeof newPath === "number") return newPath;
  const oldBase = baseFor(api, p, arg(t, 0), oldPath);
  if (typeof oldBase === "number") return oldBase;
  const newBase = baseFor(api, p, arg(t, 2), newPath);
  if (typeof newBase === "number") return newBase;
  return { oldBase, oldPath, newBase, newPath };
}

/** linkat(olddirfd, oldpath, newdirfd, newpath, flags): AT_SYMLINK_FOLLOW supported; AT_EMPTY_PATH EINVAL. */
export function sysLinkat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const flags = uarg(t, 4);
  if ((flags & ~AT_SYMLINK_FOLLOW) !== 0) return K.INVAL;
  const paths = pathPair(t, api);
  if (typeof paths === "number") return paths;
  const { oldBase, oldPath, newBase, newPath } = paths;
  if (flags & AT_SYMLINK_FOLLOW) {
    const loc = api.vfs.lookup(oldBase, oldPath, true, credOf(p));
    if (typeof loc === "number") return loc;
    return api.vfs.link(null, loc.path, newBase, newPath, credOf(p));
  }
  return api.vfs.link(oldBase, oldPath, newBase, newPath, credOf(p));
}

/** renameat2 flags. */
const RENAME_NOREPLACE = 1;

/** renameat2(olddirfd, oldpath, newdirfd, newpath, flags): RENAME_NOREPLACE; EXCHANGE/WHITEOUT EINVAL. */
export function sysRenameat2(t: Thread, api: KernelApi): number {
  const p = t.process;
  const flags = uarg(t, 4);
  if ((flags & ~RENAME_NOREPLACE) !== 0) return K.INVAL;
  const paths = pathPair(t, api);
  if (typeof paths === "number") return paths;
  const { oldBase, oldPath, newBase, newPath } = paths;
  if (flags & RENAME_NOREPLACE) {
    // The kernel is single-threaded, so check-then-rename cannot race.
    const st = api.vfs.lstat(newBase, newPath, credOf(p));
    if (typeof st !== "number") return K.EXIST;
  }
  return api.vfs.rename(oldBase, oldPath, newBase, newPath, credOf(p));
}
