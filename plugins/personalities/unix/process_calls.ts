/**
 * Process calls of the Unix personality: execve, waitid, ids, process groups and sessions, sched_yield, kill/tkill/tgkill.
 *
 * @module
 */

import {
  BLOCK,
  isValidSignal,
  K,
  type KernelApi,
  type Process,
  TaskState,
  type Thread,
  WaitKind,
  type WaitRecord,
} from "../../../kernel/api.ts";
import { encodeRusage, encodeSiginfo, RUSAGE_SIZE, SI_CODE, SIG, WAIT } from "./abi.ts";
import { arg, readPath, scratch, scratchView, uarg } from "./common.ts";

/** Most argv/envp entries execve accepts. */
const EXEC_MAX_STRINGS = 4096;
/** Most argv+envp bytes execve accepts (then E2BIG). */
const EXEC_MAX_BYTES = 120 * 1024;

/** execve(path, argv, envp). A NULL argv or envp counts as empty (as Linux does). */
export function sysExecve(t: Thread, api: KernelApi): number {
  const p = t.process;
  const path = readPath(api, p, uarg(t, 0));
  if (typeof path === "number") return path;
  const argvPtr = uarg(t, 1);
  const envpPtr = uarg(t, 2);
  const argv = argvPtr === 0
    ? []
    : api.readStringArray(p, argvPtr, EXEC_MAX_STRINGS, EXEC_MAX_BYTES);
  if (typeof argv === "number") return argv;
  const envp = envpPtr === 0
    ? []
    : api.readStringArray(p, envpPtr, EXEC_MAX_STRINGS, EXEC_MAX_BYTES);
  if (typeof envp === "number") return envp;
  let total = 0;
  for (const s of argv) total += s.length + 1;
  for (const s of envp) total += s.length + 1;
  if (total > EXEC_MAX_BYTES) return K.TOOBIG;
  return api.exec(t, path, argv, envp);
}

const WAITID_OPTIONS = WAIT.WNOHANG | WAIT.WSTOPPED | WAIT.WEXITED | WAIT.WCONTINUED |
  WAIT.WNOWAIT | WAIT.__WALL | WAIT.__WNOTHREAD | WAIT.__WCLONE;

/** Writes the siginfo of a waitid result (all zero for "nothing yet" under WNOHANG). */
function putWaitInfo(api: KernelApi, t: Thread, infop: number, rec: WaitRecord | null): boolean {
  if (rec === null) {
    scratch.fill(0, 0, 128);
  } else {
    let code: number;
    let status: number;
    switch (rec.kind) {
      case WaitKind.EXITED:
        code = SI_CODE.CLD_EXITED;
        status = rec.code;
        break;
      case WaitKind.KILLED:
        code = rec.core ? SI_CODE.CLD_DUMPED : SI_CODE.CLD_KILLED;
        status = rec.signal;
        break;
      case WaitKind.STOPPED:
        code = SI_CODE.CLD_STOPPED;
        status = rec.signal;
        break;
      default:
        code = SI_CODE.CLD_CONTINUED;
        status = SIG.CONT;
    }
    const child = api.getProcess(rec.pid);
    encodeSiginfo(scratchView, 0, {
      signo: SIG.CHLD,
      errno: 0,
      code,
      pid: rec.pid,
      uid: child?.uid ?? 0,
      status,
      addr: 0,
    });
  }
  return api.copyOut(t.process, infop, scratch.subarray(0, 128));
}

/**
 * waitid(idtype, id, infop, options, rusage). rv32 has no wait4 (it is a
 * time32 call), so libc's waitpid is built on this. P_PIDFD gives EINVAL
 * (no pidfds).
 */
export function sysWaitid(t: Thread, api: KernelApi): number {
  const idtype = arg(t, 0);
  const id = arg(t, 1);
  const infop = uarg(t, 2);
  const options = uarg(t, 3);
  const rusage = uarg(t, 4);
  if ((options & ~WAITID_OPTIONS) !== 0) return K.INVAL;
  if ((options & (WAIT.WEXITED | WAIT.WSTOPPED | WAIT.WCONTINUED)) === 0) return K.INVAL;
  let pid: number;
  switch (idtype) {
    case WAIT.P_ALL:
      pid = -1;
      break;
    case WAIT.P_PID:
      if (id <= 0) return K.INVAL;
      pid = id;
      break;
    case WAIT.P_PGID:
      if (id < 0) return K.INVAL;
      pid = id === 0 ? 0 : -id;
      break;
    default:
      return K.INVAL;
  }
  const r = api.wait(
    t,
    pid,
    options & (WAIT.WNOHANG | WAIT.WSTOPPED | WAIT.WEXITED | WAIT.WCONTINUED | WAIT.WNOWAIT),
  );
  if (typeof r === "number") {
    if (r === BLOCK || r < 0) return r;
    // WNOHANG and nothing ready: Linux reports a zeroed siginfo.
    if (infop !== 0 && !putWaitInfo(api, t, infop, null)) return K.FAULT;
    if (rusage !== 0) {
      encodeRusage(scratchView, 0, 0, 0);
      if (!api.copyOut(t.process, rusage, scratch.subarray(0, RUSAGE_SIZE))) return K.FAULT;
    }
    return 0;
  }
  if (infop !== 0 && !putWaitInfo(api, t, infop, r)) return K.FAULT;
  if (rusage !== 0) {
    const f = api.config.frequency;
    encodeRusage(scratchView, 0, (r.userCycles / f) * 1e9, (r.systemCycles / f) * 1e9);
    if (!api.copyOut(t.process, rusage, scratch.subarray(0, RUSAGE_SIZE))) return K.FAULT;
  }
  return 0;
}

/** getpid. */
export function sysGetpid(t: Thread): number {
  return t.process.pid;
}

/** getppid. */
export function sysGetppid(t: Thread): number {
  return t.process.ppid;
}

/** gettid. */
export function sysGettid(t: Thread): number {
  return t.tid;
}

/** getuid / geteuid (real = effective: no set-uid programs). */
export function sysGetuid(t: Thread): number {
  return t.process.uid;
}

/** getgid / getegid. */
export function sysGetgid(t: Thread): number {
  return t.process.gid;
}

/** setpgid(pid, pgid). */
export function sysSetpgid(t: Thread, api: KernelApi): number {
  const pid = arg(t, 0);
  const pgid = arg(t, 1);
  if (pgid < 0) return K.INVAL;
  return api.setpgid(t.process, pid, pgid);
}

/** getpgid(pid). */
export function sysGetpgid(t: Thread, api: KernelApi): number {
  return api.getpgid(t.process, arg(t, 0));
}

/** getsid(pid). */
export function sysGetsid(t: Thread, api: KernelApi): number {
  return api.getsid(t.process, arg(t, 0));
}

/** setsid(). */
export function sysSetsid(t: Thread, api: KernelApi): number {
  return api.setsid(t.process);
}

/** umask(mask): returns the previous mask. */
export function sysUmask(t: Thread): number {
  const old = t.process.umask;
  t.process.umask = uarg(t, 0) & 0o777;
  return old;
}

/** sched_yield. */
export function sysSchedYield(t: Thread, api: KernelApi): number {
  return api.yield(t);
}

/**
 * May `sender` signal `target`? Root may signal anyone; others only
 * processes of their own user id, and SIGCONT within their session (Linux's
 * rule, with one user id per process).
 */
function maySignal(sender: Process, target: Process, sig: number): boolean {
  return sender.uid === 0 || sender.uid === target.uid ||
    (sig === SIG.CONT && sender.sid === target.sid);
}

/**
 * kill(pid, sig). Signal 0 checks existence and permission. Root's signals
 * go straight to the kernel; a non-root sender's are checked per target: if
 * none of the targets may be signalled the answer is EPERM, otherwise the
 * permitted ones get the signal.
 */
export function sysKill(t: Thread, api: KernelApi): number {
  const pid = arg(t, 0);
  const sig = arg(t, 1);
  if (sig !== 0 && !isValidSignal(sig)) return K.INVAL;
  const sender = t.process;
  if (sender.uid === 0) return api.kill(sender, pid, sig);
  if (pid > 0) {
    const target = api.getProcess(pid) ?? api.getThread(pid)?.process ?? null;
    if (target === null) return K.SRCH;
    return maySignal(sender, target, sig) ? api.kill(sender, pid, sig) : K.PERM;
  }
  let found = 0, sent = 0;
  for (const p of api.processes()) {
    const inSet = pid === -1
      ? p.pid !== 1 && p !== sender
      : p.pgid === (pid === 0 ? sender.pgid : -pid);
    if (!inSet || p.state === TaskState.ZOMBIE) continue;
    found++;
    if (!maySignal(sender, p, sig)) continue;
    sent++;
    if (sig !== 0) api.kill(sender, p.pid, sig);
  }
  if (found === 0) return K.SRCH;
  return sent === 0 ? K.PERM : 0;
}

/** tkill(tid, sig). */
export function sysTkill(t: Thread, api: KernelApi): number {
  const tid = arg(t, 0);
  const sig = arg(t, 1);
  if (tid <= 0) return K.INVAL;
  if (sig !== 0 && !isValidSignal(sig)) return K.INVAL;
  const target = api.getThread(tid);
  if (target !== null && !maySignal(t.process, target.process, sig)) return K.PERM;
  return api.tgkill(t.process, -1, tid, sig);
}

/** tgkill(tgid, tid, sig). */
export function sysTgkill(t: Thread, api: KernelApi): number {
  const tgid = arg(t, 0);
  const tid = arg(t, 1);
  const sig = arg(t, 2);
  if (tgid <= 0 || tid <= 0) return K.INVAL;
  if (sig !== 0 && !isValidSignal(sig)) return K.INVAL;
  const target = api.getThread(tid);
  if (
    target !== null && target.process.pid === tgid && !maySignal(t.process, target.process, sig)
  ) {
    return K.PERM;
  }
  return api.tgkill(t.process, tgid, tid, sig);
}

/**
 * The process has one user id and one group id (real = effective = saved),
 * so the set-id calls accept only changes that keep the three equal: root
 * (uid 0) may move to any id, others only to their own; different real,
 * effective and saved values give EINVAL (documented). -1 leaves a value as is.
 */
function setIds(t: Thread, values: number[], group: boolean): number {
  const p = t.process;
  const current = group ? p.gid : p.uid;
  let target = -1;
  for (const v of values) {
    if (v === -1) continue;
    if (v < 0) return K.INVAL;
    if (target !== -1 && v !== target) return K.INVAL;
    target = v;
  }
  if (target === -1 || target === current) return 0;
  if (p.uid !== 0) return K.PERM;
  if (group) p.gid = target;
  else p.uid = target;
  return 0;
}

/** setuid(uid). */
export function sysSetuid(t: Thread): number {
  return setIds(t, [arg(t, 0)], false);
}

/** setgid(gid). */
export function sysSetgid(t: Thread): number {
  return setIds(t, [arg(t, 0)], true);
}

/** setreuid(ruid, euid). */
export function sysSetreuid(t: Thread): number {
  return setIds(t, [arg(t, 0), arg(t, 1)], false);
}

/** setregid(rgid, egid). */
export function sysSetregid(t: Thread): number {
  return setIds(t, [arg(t, 0), arg(t, 1)], true);
}

/** setresuid(ruid, euid, suid). */
export function sysSetresuid(t: Thread): number {
  return setIds(t, [arg(t, 0), arg(t, 1), arg(t, 2)], false);
}

/** setresgid(rgid, egid, sgid). */
export function sysSetresgid(t: Thread): number {
  return setIds(t, [arg(t, 0), arg(t, 1), arg(t, 2)], true);
}

/** getresuid / getresgid: writes the one id three times. */
function getIds(t: Thread, api: KernelApi, id: number): number {
  const p = t.process;
  for (let i = 0; i < 3; i++) {
    if (!api.writeU32(p, uarg(t, i), id)) return K.FAULT;
  }
  return 0;
}

/** getresuid(ruid*, euid*, suid*). */
export function sysGetresuid(t: Thread, api: KernelApi): number {
  return getIds(t, api, t.process.uid);
}

/** getresgid(rgid*, egid*, sgid*). */
export function sysGetresgid(t: Thread, api: KernelApi): number {
  return getIds(t, api, t.process.gid);
}

/** getpriority/setpriority `which` values. */
const PRIO = { PROCESS: 0, PGRP: 1, USER: 2 } as const;

/** The processes `which`/`who` name (who 0 = the caller's process, group or user). */
function prioTargets(t: Thread, api: KernelApi, which: number, who: number): Process[] | number {
  const self = t.process;
  switch (which) {
    case PRIO.PROCESS: {
      const p = who === 0 ? self : api.getProcess(who);
      return p === null || p.state === TaskState.ZOMBIE ? [] : [p];
    }
    case PRIO.PGRP: {
      const g = who === 0 ? self.pgid : who;
      return api.processes().filter((p) => p.pgid === g && p.state !== TaskState.ZOMBIE);
    }
    case PRIO.USER: {
      const u = who === 0 ? self.uid : who;
      return api.processes().filter((p) => p.uid === u && p.state !== TaskState.ZOMBIE);
    }
    default:
      return K.INVAL;
  }
}

/**
 * getpriority(which, who): 20 - nice of the highest-priority target (the
 * raw Linux call's encoding, so the result is never negative). The nice
 * value is the thread's `priority` field, which priority-based scheduler
 * plugins use (0 = normal, lower = more urgent).
 */
export function sysGetpriority(t: Thread, api: KernelApi): number {
  const targets = prioTargets(t, api, arg(t, 0), arg(t, 1));
  if (typeof targets === "number") return targets;
  if (targets.length === 0) return K.SRCH;
  let best = 19;
  for (const p of targets) best = Math.min(best, p.mainThread?.priority ?? 0);
  return 20 - best;
}

/**
 * setpriority(which, who, nice): nice clamped to [-20, 19]; only root may
 * lower it (raise the priority) or change another user's processes.
 */
export function sysSetpriority(t: Thread, api: KernelApi): number {
  const targets = prioTargets(t, api, arg(t, 0), arg(t, 1));
  if (typeof targets === "number") return targets;
  if (targets.length === 0) return K.SRCH;
  const nice = Math.max(-20, Math.min(19, arg(t, 2)));
  const self = t.process;
  for (const p of targets) {
    if (self.uid !== 0 && p.uid !== self.uid) return K.PERM;
    for (const th of p.threads) {
      if (self.uid !== 0 && nice < th.priority) return K.ACCES;
    }
  }
  for (const p of targets) for (const th of p.threads) th.priority = nice;
  return 0;
}

/** sched_getaffinity(pid, size, mask): one CPU, so the mask is {CPU 0} in one 32-bit word. */
export function sysSchedGetaffinity(t: Thread, api: KernelApi): number {
  const pid = arg(t, 0);
  const size = uarg(t, 1);
  if (size < 4 || (size & 3) !== 0) return K.INVAL;
  if (pid !== 0 && api.getProcess(pid) === null) return K.SRCH;
  return api.writeU32(t.process, uarg(t, 2), 1) ? 4 : K.FAULT;
}

/** sched_setaffinity(pid, size, mask): the mask must include CPU 0, the only one. */
export function sysSchedSetaffinity(t: Thread, api: KernelApi): number {
  const pid = arg(t, 0);
  const size = uarg(t, 1);
  if (pid !== 0 && api.getProcess(pid) === null) return K.SRCH;
  if (size < 1) return K.INVAL;
  const first = api.copyIn(t.process, uarg(t, 2), 1);
  if (first === null) return K.FAULT;
  return (first[0] & 1) !== 0 ? 0 : K.INVAL;
}

/** sched_get_priority_max / _min(policy): 0 for SCHED_OTHER, SCHED_BATCH, SCHED_IDLE; 99/1 for FIFO, RR. */
export function sysSchedPriorityMax(t: Thread): number {
  const policy = arg(t, 0);
  if (policy === 1 || policy === 2) return 99;
  return policy === 0 || policy === 3 || policy === 5 ? 0 : K.INVAL;
}

/** sched_get_priority_min(policy). */
export function sysSchedPriorityMin(t: Thread): number {
  const policy = arg(t, 0);
  if (policy === 1 || policy === 2) return 1;
  return policy === 0 || policy === 3 || policy === 5 ? 0 : K.INVAL;
}
