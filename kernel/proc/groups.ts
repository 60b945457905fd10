/**
 * Process groups and sessions (POSIX job control): setpgid, getpgid,
 * setsid and getsid over the process table, with the POSIX checks.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import { type Process, TaskState } from "./process.ts";
import type { ProcessTable } from "./process_table.ts";

/**
 * setpgid(pid, pgid): moves `pid` (0: the caller) into group `pgid` (0: its
 * own pid), within the caller's session.
 *
 * @returns K.OK, K.INVAL, K.SRCH or K.PERM as POSIX specifies.
 */
export function setpgid(table: ProcessTable, caller: Process, pid: number, pgid: number): KStatus {
  if (pgid < 0) return K.INVAL;
  const target = pid === 0 ? caller : table.get(pid);
  if (target === undefined || target.state === TaskState.ZOMBIE) return K.SRCH;
  if (target !== caller && target.parent !== caller) return K.SRCH;
  if (target.sid !== caller.sid) return K.PERM;
  if (target.sid === target.pid) return K.PERM;
  const g = pgid === 0 ? target.pid : pgid;
  if (g !== target.pid && !groupExists(table, g, caller.sid)) return K.PERM;
  target.pgid = g;
  return K.OK;
}

function groupExists(table: ProcessTable, pgid: number, sid: number): boolean {
  for (const p of table.byPid.values()) {
    if (p.pgid === pgid && p.sid === sid && p.state !== TaskState.ZOMBIE) return true;
  }
  return false;
}

/** getpgid(pid) (0: the caller): the group id or K.SRCH. */
export function getpgid(table: ProcessTable, caller: Process, pid: number): number {
  const p = pid === 0 ? caller : table.get(pid);
  return p === undefined ? K.SRCH : p.pgid;
}

/** setsid(): a new session and group led by the caller; its pid or K.PERM (already a leader). */
export function setsid(table: ProcessTable, caller: Process): number {
  for (const p of table.byPid.values()) {
    if (p.pgid === caller.pid && p.state !== TaskState.ZOMBIE) return K.PERM;
  }
  caller.sid = caller.pid;
  caller.pgid = caller.pid;
  return caller.pid;
}

/** getsid(pid) (0: the caller): the session id or K.SRCH. */
export function getsid(table: ProcessTable, caller: Process, pid: number): number {
  const p = pid === 0 ? caller : table.get(pid);
  return p === undefined ? K.SRCH : p.sid;
}
