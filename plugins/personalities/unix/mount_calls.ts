/**
 * mount(source, target, fstype, flags, data) and umount2(target, flags).
 *
 * - mount: root only (EPERM); MS_RDONLY mounts read-only; MS_REMOUNT,
 *   MS_BIND and MS_MOVE are not supported (EINVAL); the other MS_* flags
 *   (nosuid, nodev, noexec, noatime...) are accepted and have no effect.
 *   The file system type's factory answers ENODEV (unknown type), ENOTBLK,
 *   ENXIO, EROFS (a read-only disk mounted read-write), EINVAL (no valid
 *   superblock).
 * - umount2: root only; MNT_FORCE, MNT_DETACH, MNT_EXPIRE are refused with
 *   EINVAL (they are not implemented), UMOUNT_NOFOLLOW is accepted; EBUSY
 *   while files are open on it, EINVAL when the target is not a mount point.
 *
 * @module
 */

import { K, type KernelApi, type Process, type Thread } from "../../../kernel/api.ts";
import { readPath, uarg } from "./common.ts";

/** mount(2) flags. */
export const MS = { RDONLY: 1, REMOUNT: 32, BIND: 4096, MOVE: 8192 } as const;
/** umount2(2) flags. */
export const MNT = { FORCE: 1, DETACH: 2, EXPIRE: 4, NOFOLLOW: 8 } as const;

function absolute(api: KernelApi, p: Process, path: string): string {
  if (path.startsWith("/")) return path;
  const cwd = api.cwd(p).path;
  return cwd === "/" ? `/${path}` : `${cwd}/${path}`;
}

/** mount(source, target, fstype, flags, data). */
export function sysMount(t: Thread, api: KernelApi): number {
  const p = t.process;
  if (p.uid !== 0) return K.PERM;
  const flags = uarg(t, 3);
  if (flags & (MS.REMOUNT | MS.BIND | MS.MOVE)) return K.INVAL;
  const source = uarg(t, 0) === 0 ? "none" : api.readString(p, uarg(t, 0), 4096);
  if (typeof source === "number") return source;
  const target = readPath(api, p, uarg(t, 1));
  if (typeof target === "number") return target;
  if (uarg(t, 2) === 0) return K.INVAL;
  const type = api.readString(p, uarg(t, 2), 256);
  if (typeof type === "number") return type;
  const data = uarg(t, 4) === 0 ? "" : api.readString(p, uarg(t, 4), 4096);
  if (typeof data === "number") return data;
  return api.mount(source, absolute(api, p, target), type, (flags & MS.RDONLY) !== 0, data);
}

/** umount2(target, flags). */
export function sysUmount2(t: Thread, api: KernelApi): number {
  const p = t.process;
  const flags = uarg(t, 1);
  if (flags & ~MNT.NOFOLLOW) return K.INVAL;
  if (p.uid !== 0) return K.PERM;
  const target = readPath(api, p, uarg(t, 0));
  if (typeof target === "number") return target;
  return api.umount(absolute(api, p, target));
}
