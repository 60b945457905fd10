/**
 * The scheduling-class calls: sched_setscheduler/getscheduler,
 * sched_setparam/getparam, sched_setattr/getattr (SCHED_DEADLINE) and
 * sched_rr_get_interval, with Linux's checks and errors. They set a thread's
 * `SchedInfo`; what the class means is the active scheduler plugin's
 * business (see docs/kernel.md, "Scheduler plugins"). A new real-time class
 * is offered to the policy's admission control first (EBUSY when it would
 * overload the CPU); a policy without one applies EDF's bound (utilisation at
 * most 1), as Linux's global admission does.
 *
 * `pid` names a thread (Linux's calls are per thread): 0 is the caller, a
 * tid another thread.
 *
 * @module
 */

import {
  admitDeadline,
  K,
  type KernelApi,
  SCHED,
  SCHED_FLAG_RESET_ON_FORK,
  SchedInfo,
  TaskState,
  type Thread,
} from "../../../kernel/api.ts";
import { arg, uarg } from "./common.ts";

/** `SCHED_RESET_ON_FORK`, or'ed into sched_setscheduler's policy. */
const RESET_ON_FORK = 0x4000_0000;
/** sizeof(struct sched_attr), first version. */
const ATTR_SIZE_VER0 = 48;
/** sizeof(struct sched_attr) with util_min/util_max. */
const ATTR_SIZE_VER1 = 56;
/** Shortest SCHED_DEADLINE runtime Linux accepts (ns). */
const DL_MIN_RUNTIME = 1024;

/** The thread `pid` names for these calls, or a status. */
function target(t: Thread, api: KernelApi, pid: number): Thread | number {
  if (pid < 0) return K.INVAL;
  if (pid === 0) return t;
  const th = api.getThread(pid);
  return th === null || th.state === TaskState.ZOMBIE ? K.SRCH : th;
}

/** Linux's permission rule: root, or the same user (and no move into a real-time class). */
function mayChange(t: Thread, th: Thread, next: SchedInfo): number {
  const self = t.process;
  if (self.uid === 0) return 0;
  if (th.process.uid !== self.uid) return K.PERM;
  const rt = next.policy === SCHED.FIFO || next.policy === SCHED.RR ||
    next.policy === SCHED.DEADLINE;
  return rt && next.policy !== th.sched.policy ? K.PERM : 0;
}

/** Validates, admits and applies `next` to `th`. */
function apply(t: Thread, api: KernelApi, th: Thread, next: SchedInfo, nice: number): number {
  const perm = mayChange(t, th, next);
  if (perm !== 0) return perm;
  if (nice < th.priority && t.process.uid !== 0) return K.PERM;
  const threads = allThreads(api);
  const policy = api.scheduler;
  const verdict = policy.admit !== undefined
    ? policy.admit(th, next, threads)
    : admitDeadline(th, next, threads, () => 1);
  if (verdict !== 0) return verdict;
  const s = th.sched;
  const wasDeadline = s.policy === SCHED.DEADLINE;
  const hz = api.config.frequency;
  next.dlRuntimeCycles = Math.ceil(next.dlRuntime * hz / 1e9);
  next.dlDeadlineCycles = Math.ceil(next.dlDeadline * hz / 1e9);
  next.dlPeriodCycles = Math.ceil(next.dlPeriod * hz / 1e9);
  s.setAttributes(next);
  if (next.policy === SCHED.DEADLINE && !wasDeadline) {
    s.releasedAt = api.cycles();
    s.absDeadline = s.releasedAt + s.dlDeadlineCycles;
  } else if (next.policy !== SCHED.DEADLINE) {
    s.absDeadline = -1;
  }
  if (next.policy === SCHED.OTHER || next.policy === SCHED.BATCH || next.policy === SCHED.IDLE) {
    th.priority = nice;
  }
  return 0;
}

function allThreads(api: KernelApi): Thread[] {
  const out: Thread[] = [];
  for (const p of api.processes()) {
    if (p.state === TaskState.ZOMBIE) continue;
    for (const th of p.threads) out.push(th);
  }
  return out;
}

/** A SchedInfo for class `policy` with rt priority `prio`, or a status if they do not fit. */
function classOf(policy: number, prio: number, flags: number): SchedInfo | number {
  const next = new SchedInfo();
  next.policy = policy;
  next.flags = flags;
  switch (policy) {
    case SCHED.FIFO:
    case SCHED.RR:
      if (prio < 1 || prio > 99) return K.INVAL;
      next.rtPriority = prio;
      return next;
    case SCHED.OTHER:
    case SCHED.BATCH:
    case SCHED.IDLE:
      return prio === 0 ? next : K.INVAL;
    default:
      return K.INVAL;
  }
}

/** sched_setscheduler(pid, policy, param): FIFO/RR 1..99, the others priority 0; not DEADLINE. */
export function sysSchedSetscheduler(t: Thread, api: KernelApi): number {
  const raw = arg(t, 1);
  const paramPtr = uarg(t, 2);
  const th = target(t, api, arg(t, 0));
  if (typeof th === "number") return th;
  if (paramPtr === 0) return K.INVAL;
  const prio = api.readU32(t.process, paramPtr);
  if (prio < 0) return K.FAULT;
  const flags = (raw & RESET_ON_FORK) !== 0 ? SCHED_FLAG_RESET_ON_FORK : 0;
  const next = classOf(raw & ~RESET_ON_FORK, prio | 0, flags);
  if (typeof next === "number") return next;
  return apply(t, api, th, next, th.priority);
}

/** sched_getscheduler(pid): the class, with SCHED_RESET_ON_FORK or'ed in when set. */
export function sysSchedGetscheduler(t: Thread, api: KernelApi): number {
  const th = target(t, api, arg(t, 0));
  if (typeof th === "number") return th;
  const s = th.sched;
  return s.policy | ((s.flags & SCHED_FLAG_RESET_ON_FORK) !== 0 ? RESET_ON_FORK : 0);
}

/** sched_setparam(pid, param): a new rt priority within the current class. */
export function sysSchedSetparam(t: Thread, api: KernelApi): number {
  const th = target(t, api, arg(t, 0));
  if (typeof th === "number") return th;
  const paramPtr = uarg(t, 1);
  if (paramPtr === 0) return K.INVAL;
  const prio = api.readU32(t.process, paramPtr);
  if (prio < 0) return K.FAULT;
  if (th.sched.policy === SCHED.DEADLINE) return prio === 0 ? 0 : K.INVAL;
  const next = classOf(th.sched.policy, prio | 0, th.sched.flags);
  if (typeof next === "number") return next;
  return apply(t, api, th, next, th.priority);
}

/** sched_getparam(pid, param): writes the rt priority (0 outside FIFO/RR). */
export function sysSchedGetparam(t: Thread, api: KernelApi): number {
  const th = target(t, api, arg(t, 0));
  if (typeof th === "number") return th;
  const paramPtr = uarg(t, 1);
  if (paramPtr === 0) return K.INVAL;
  return api.writeU32(t.process, paramPtr, th.sched.rtPriority) ? 0 : K.FAULT;
}

/** Reads a struct sched_attr of `size` bytes (0 = the first version's). */
function readAttr(t: Thread, api: KernelApi, ptr: number): DataView | number {
  const head = api.copyIn(t.process, ptr, 4);
  if (head === null) return K.FAULT;
  let size = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
  if (size === 0) size = ATTR_SIZE_VER0;
  if (size < ATTR_SIZE_VER0 || size > 4096) {
    api.writeU32(t.process, ptr, ATTR_SIZE_VER1);
    return K.TOOBIG;
  }
  const bytes = api.copyIn(t.process, ptr, size);
  if (bytes === null) return K.FAULT;
  for (let i = ATTR_SIZE_VER1; i < size; i++) {
    if (bytes[i] !== 0) {
      api.writeU32(t.process, ptr, ATTR_SIZE_VER1);
      return K.TOOBIG;
    }
  }
  return new DataView(bytes.buffer, bytes.byteOffset, size);
}

/** A SchedInfo from a struct sched_attr, or a status. */
function attrToInfo(v: DataView): { next: SchedInfo; nice: number } | number {
  const policy = v.getUint32(4, true);
  const flags = Number(v.getBigUint64(8, true));
  const nice = v.getInt32(16, true);
  const prio = v.getUint32(20, true);
  if ((flags & ~SCHED_FLAG_RESET_ON_FORK) !== 0) return K.INVAL;
  if (policy !== SCHED.DEADLINE) {
    const next = classOf(policy, prio, flags);
    if (typeof next === "number") return next;
    return { next, nice: Math.max(-20, Math.min(19, nice)) };
  }
  const runtime = Number(v.getBigUint64(24, true));
  const deadline = Number(v.getBigUint64(32, true));
  let period = Number(v.getBigUint64(40, true));
  if (period === 0) period = deadline;
  if (deadline === 0 || runtime < DL_MIN_RUNTIME || runtime > deadline || deadline > period) {
    return K.INVAL;
  }
  const next = new SchedInfo();
  next.policy = SCHED.DEADLINE;
  next.flags = flags;
  next.dlRuntime = runtime;
  next.dlDeadline = deadline;
  next.dlPeriod = period;
  return { next, nice: 0 };
}

/** sched_setattr(pid, attr, flags): any class, including SCHED_DEADLINE with admission control. */
export function sysSchedSetattr(t: Thread, api: KernelApi): number {
  const ptr = uarg(t, 1);
  if (ptr === 0 || arg(t, 2) !== 0) return K.INVAL;
  const th = target(t, api, arg(t, 0));
  if (typeof th === "number") return th;
  const v = readAttr(t, api, ptr);
  if (typeof v === "number") return v;
  const r = attrToInfo(v);
  if (typeof r === "number") return r;
  const nice = r.next.policy === SCHED.DEADLINE ? th.priority : r.nice;
  return apply(t, api, th, r.next, nice);
}

/** sched_getattr(pid, attr, size, flags): fills min(size, 56) bytes; size at least 48. */
export function sysSchedGetattr(t: Thread, api: KernelApi): number {
  const ptr = uarg(t, 1);
  const size = uarg(t, 2);
  if (ptr === 0 || size < ATTR_SIZE_VER0 || size > 4096 || arg(t, 3) !== 0) return K.INVAL;
  const th = target(t, api, arg(t, 0));
  if (typeof th === "number") return th;
  const n = Math.min(size, ATTR_SIZE_VER1);
  const out = new Uint8Array(n);
  const v = new DataView(out.buffer);
  const s = th.sched;
  v.setUint32(0, n, true);
  v.setUint32(4, s.policy, true);
  v.setBigUint64(8, BigInt(s.flags), true);
  v.setInt32(16, s.policy === SCHED.DEADLINE ? 0 : th.priority, true);
  v.setUint32(20, s.rtPriority, true);
  v.setBigUint64(24, BigInt(s.dlRuntime), true);
  v.setBigUint64(32, BigInt(s.dlDeadline), true);
  v.setBigUint64(40, BigInt(s.dlPeriod), true);
  if (n >= ATTR_SIZE_VER1) v.setUint32(52, 1024, true); // util_max: the whole CPU
  return api.copyOut(t.process, ptr, out) ? 0 : K.FAULT;
}

/** sched_rr_get_interval (time64): the slice; 0 for SCHED_FIFO, which has none. */
export function sysSchedRrGetInterval(t: Thread, api: KernelApi): number {
  const th = target(t, api, arg(t, 0));
  if (typeof th === "number") return th;
  const ptr = uarg(t, 1);
  const ns = th.sched.policy === SCHED.FIFO
    ? 0
    : Math.round(api.scheduler.quantum(th, api.config.quantumCycles) * 1e9 / api.config.frequency);
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setBigInt64(0, BigInt(Math.floor(ns / 1e9)), true);
  v.setBigInt64(8, BigInt(ns % 1e9), true);
  return api.copyOut(t.process, ptr, out) ? 0 : K.FAULT;
}
