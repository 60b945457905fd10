/**
 * Supplementary groups: getgroups(size, list) and setgroups(size, list).
 * The list is the process's `groups` (inherited by fork, kept by exec) and
 * the file permission check counts it with the effective gid.
 *
 * @module
 */

import { K, type KernelApi, type Thread } from "../../../kernel/api.ts";
import { arg, uarg } from "./common.ts";

/** Most supplementary groups a process may have (Linux's NGROUPS_MAX). */
export const NGROUPS_MAX = 65536;

/** getgroups(size, list): size 0 gives the count; a smaller size than the count is EINVAL. */
export function sysGetgroups(t: Thread, api: KernelApi): number {
  const size = arg(t, 0);
  const groups = t.process.groups;
  if (size < 0) return K.INVAL;
  if (size === 0) return groups.length;
  if (size < groups.length) return K.INVAL;
  const list = uarg(t, 1);
  for (let i = 0; i < groups.length; i++) {
    if (!api.writeU32(t.process, list + 4 * i, groups[i])) return K.FAULT;
  }
  return groups.length;
}

/** setgroups(size, list): root only (EPERM), at most {@link NGROUPS_MAX} (EINVAL). */
export function sysSetgroups(t: Thread, api: KernelApi): number {
  const size = arg(t, 0);
  if (size < 0 || size > NGROUPS_MAX) return K.INVAL;
  if (t.process.uid !== 0) return K.PERM;
  const list = uarg(t, 1);
  const groups: number[] = [];
  for (let i = 0; i < size; i++) {
    const g = api.readU32(t.process, list + 4 * i);
    if (g < 0) return K.FAULT;
    groups.push(g >>> 0);
  }
  t.process.groups = groups;
  return 0;
}
