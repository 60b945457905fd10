/**
 * Thread calls of the Unix personality, as Linux has them on rv32:
 *
 * - clone(flags, newsp, parent_tid, tls, child_tid): a thread (CLONE_THREAD
 *   with CLONE_VM, CLONE_SIGHAND, CLONE_FS and CLONE_FILES) on the kernel's
 *   personality-neutral `createThread`, or a process (fork, vfork) on `fork`,
 *   with Linux's flag checks;
 * - exit (one thread) and exit_group (all), set_tid_address, the
 *   clear-child-tid futex wake and the robust futex list walk at thread exit;
 * - futex_time64 (the only futex call of rv32) on the kernel's futex table;
 * - set_robust_list and get_robust_list.
 *
 * @module
 */

import { K, type KernelApi, type Thread } from "../../../kernel/api.ts";
import { CLONE, readTimespec64, SIG, TIMESPEC64_SIZE } from "./abi.ts";
import { arg, scratch, scratchView, threadData, uarg } from "./common.ts";

/** Flags clone accepts. */
const CLONE_SUPPORTED = CLONE.CSIGNAL | CLONE.VM | CLONE.FS | CLONE.FILES | CLONE.SIGHAND |
  CLONE.THREAD | CLONE.SYSVSEM | CLONE.VFORK | CLONE.SETTLS | CLONE.PARENT_SETTID |
  CLONE.CHILD_SETTID | CLONE.CHILD_CLEARTID | CLONE.DETACHED;

/** What a thread shares with its creator (required with CLONE_THREAD here). */
const THREAD_SHARED = CLONE.VM | CLONE.FS | CLONE.FILES | CLONE.SIGHAND;

/** The register image of a new thread (copied by the kernel). */
const newRegs = new Int32Array(32);

/**
 * Linux's checks of the flag combination (copy_process), then what this
 * kernel can build: EINVAL for either.
 */
function checkCloneFlags(flags: number): number {
  if ((flags & CLONE.THREAD) !== 0 && (flags & CLONE.SIGHAND) === 0) return K.INVAL;
  if ((flags & CLONE.SIGHAND) !== 0 && (flags & CLONE.VM) === 0) return K.INVAL;
  if ((flags & ~CLONE_SUPPORTED) !== 0) return K.INVAL;
  if ((flags & CLONE.THREAD) !== 0) {
    // Threads with a private descriptor table or cwd are not built.
    return (flags & THREAD_SHARED) === THREAD_SHARED ? 0 : K.INVAL;
  }
  // A process: copied memory, descriptors and actions (fork), or vfork.
  if ((flags & (CLONE.FS | CLONE.FILES | CLONE.SIGHAND)) !== 0) return K.INVAL;
  if ((flags & CLONE.CSIGNAL) !== SIG.CHLD) return K.INVAL;
  if ((flags & CLONE.VM) !== 0 && (flags & CLONE.VFORK) === 0) return K.INVAL;
  return 0;
}

/**
 * clone(flags, newsp, parent_tid, tls, child_tid). A thread starts after
 * the `ecall` with a0 = 0, sp = newsp (when non-zero) and tp = tls
 * (CLONE_SETTLS); the caller gets its tid. A process is a copy-on-write
 * fork; vfork (CLONE_VM|CLONE_VFORK) is done the same way (correct for
 * children that only exec or _exit), and its parent sleeps until the child
 * execs or exits, as with vfork.
 */
export function sysClone(t: Thread, api: KernelApi): number {
  const flags = uarg(t, 0);
  const newsp = uarg(t, 1);
  const ptid = uarg(t, 2);
  const tls = uarg(t, 3);
  const ctid = uarg(t, 4);
  const bad = checkCloneFlags(flags);
  if (bad !== 0) return bad;
  const p = t.process;
  if ((flags & CLONE.VFORK) !== 0 && t.restartState >= 0) return vforkWait(t, api, t.restartState);
  let ct: Thread;
  if ((flags & CLONE.THREAD) !== 0) {
    newRegs.set(t.regs);
    newRegs[10] = 0;
    if (newsp !== 0) newRegs[2] = newsp | 0;
    if (flags & CLONE.SETTLS) newRegs[4] = tls | 0;
    const nt = api.createThread(t, t.pc, newRegs);
    if (typeof nt === "number") return nt;
    ct = nt;
  } else {
    const child = api.fork(t);
    if (typeof child === "number") return child;
    ct = child.mainThread;
    if (newsp !== 0) ct.regs[2] = newsp | 0;
    if (flags & CLONE.SETTLS) ct.regs[4] = tls | 0;
    // fork keeps the forking thread's alternate signal stack.
    const from = threadData(t), to = threadData(ct);
    to.altStackSp = from.altStackSp;
    to.altStackSize = from.altStackSize;
  }
  // Linux ignores faults on these stores (the child exists by then); so do we.
  if (flags & CLONE.PARENT_SETTID) api.writeU32(p, ptid, ct.tid);
  if (flags & CLONE.CHILD_SETTID) api.writeU32(ct.process, ctid, ct.tid);
  threadData(ct).clearChildTid = (flags & CLONE.CHILD_CLEARTID) ? ctid : 0;
  if ((flags & CLONE.VFORK) !== 0) {
    ct.process.vforkPending = true;
    return vforkWait(t, api, ct.tid);
  }
  return ct.tid;
}

/**
 * CLONE_VFORK: the parent sleeps until the child execs or exits; the child's
 * pid is kept in `restartState` so the restarted call does not fork again.
 */
function vforkWait(t: Thread, api: KernelApi, pid: number): number {
  const c = api.getProcess(pid);
  const q = c !== null && c.vforkPending ? api.processExitQueue(c) : null;
  if (q === null) return pid;
  t.restartState = pid;
  return api.block(t, q);
}

/** Robust futex word bits (linux/futex.h). */
const FUTEX_WAITERS = 0x8000_0000;
const FUTEX_OWNER_DIED = 0x4000_0000;
const FUTEX_TID_MASK = 0x3fff_ffff;
/** Most robust list entries walked (Linux's ROBUST_LIST_LIMIT). */
const ROBUST_LIST_LIMIT = 2048;
/** sizeof(struct robust_list_head) on rv32. */
const ROBUST_HEAD_SIZE = 12;

/** Marks one robust futex of the exiting thread owner-died and wakes a waiter. */
function releaseRobust(t: Thread, api: KernelApi, word: number): void {
  const v = api.readU32(t.process, word);
  if (v < 0 || (v & FUTEX_TID_MASK) !== t.tid) return;
  const nv = ((v & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0;
  if (!api.writeU32(t.process, word, nv)) return;
  if ((v & FUTEX_WAITERS) !== 0) api.futexWake(t, word, 1, -1);
}

/** Walks the robust list of an exiting thread (exit_robust_list). */
function walkRobustList(t: Thread, api: KernelApi, head: number): void {
  const p = t.process;
  const first = api.readU32(p, head);
  const offset = api.readU32(p, head + 4);
  const pending = api.readU32(p, head + 8);
  if (first < 0 || offset < 0 || pending < 0) return;
  let entry = first & ~1;
  for (let n = 0; entry !== head && n < ROBUST_LIST_LIMIT; n++) {
    const next = api.readU32(p, entry);
    if (next < 0) return;
    if (entry !== (pending & ~1)) releaseRobust(t, api, (entry + (offset | 0)) >>> 0);
    entry = next & ~1;
  }
  if ((pending & ~1) !== 0) releaseRobust(t, api, ((pending & ~1) + (offset | 0)) >>> 0);
}

/** What Linux does for a thread leaving (mm_release): robust list, clear_child_tid + wake. */
function threadLeaving(t: Thread, api: KernelApi): void {
  const d = threadData(t);
  if (d.robustHead !== 0) walkRobustList(t, api, d.robustHead);
  if (d.clearChildTid !== 0 && api.writeU32(t.process, d.clearChildTid, 0)) {
    api.futexWake(t, d.clearChildTid, 1, -1);
  }
}

/** exit(code): ends the calling thread; the last thread's exit ends the process. */
export function sysExit(t: Thread, api: KernelApi): number {
  if (t.process.liveThreads > 1) threadLeaving(t, api);
  return api.exitThread(t, arg(t, 0) & 0xff);
}

/** exit_group(code): ends every thread of the process with this status. */
export function sysExitGroup(t: Thread, api: KernelApi): number {
  return api.exit(t, arg(t, 0) & 0xff);
}

/** set_tid_address(tidptr): zeroed and futex-woken when the thread exits. */
export function sysSetTidAddress(t: Thread): number {
  threadData(t).clearChildTid = uarg(t, 0);
  return t.tid;
}

/** set_robust_list(head, len): len must be sizeof(struct robust_list_head). */
export function sysSetRobustList(t: Thread): number {
  if (uarg(t, 1) !== ROBUST_HEAD_SIZE) return K.INVAL;
  const d = threadData(t);
  d.robustHead = uarg(t, 0);
  d.robustLen = ROBUST_HEAD_SIZE;
  return 0;
}

/** get_robust_list(tid, head_ptr, len_ptr): 0 = the caller; other users' threads EPERM. */
export function sysGetRobustList(t: Thread, api: KernelApi): number {
  const tid = arg(t, 0);
  const target = tid === 0 ? t : api.getThread(tid);
  if (target === null || tid < 0) return K.SRCH;
  if (t.process.uid !== 0 && target.process.uid !== t.process.uid) return K.PERM;
  const d = threadData(target);
  if (!api.writeU32(t.process, uarg(t, 1), d.robustHead)) return K.FAULT;
  if (!api.writeU32(t.process, uarg(t, 2), ROBUST_HEAD_SIZE)) return K.FAULT;
  return 0;
}

/** futex operations (linux/futex.h). */
export const FUTEX = {
  WAIT: 0,
  WAKE: 1,
  FD: 2,
  REQUEUE: 3,
  CMP_REQUEUE: 4,
  WAKE_OP: 5,
  WAIT_BITSET: 9,
  WAKE_BITSET: 10,
  PRIVATE_FLAG: 128,
  CLOCK_REALTIME: 256,
  BITSET_MATCH_ANY: -1,
} as const;

/** `restartState` of a futex wait without a deadline. */
const NO_DEADLINE = Number.MAX_SAFE_INTEGER;

/**
 * The deadline (monotonic ns) of a futex wait, kept in `t.restartState`
 * across restarts; NO_DEADLINE for none, or a status. FUTEX_WAIT's timeout
 * is relative (monotonic); FUTEX_WAIT_BITSET's is absolute, on the realtime
 * clock with FUTEX_CLOCK_REALTIME.
 */
function futexDeadline(t: Thread, api: KernelApi, cmd: number, realtime: boolean): number {
  if (t.restartState >= 0) return t.restartState;
  const ts = uarg(t, 3);
  let deadline = NO_DEADLINE;
  if (ts !== 0) {
    if (!api.copyInto(t.process, ts, scratch.subarray(0, TIMESPEC64_SIZE))) return K.FAULT;
    const v = readTimespec64(scratchView, 0);
    if (v < 0n) return K.INVAL;
    const now = api.nowNs();
    if (cmd === FUTEX.WAIT) deadline = now + Number(v);
    else if (realtime) deadline = now + Number(v - api.realtimeNs());
    else deadline = Number(v);
    if (deadline < 0) deadline = 0;
  }
  t.restartState = deadline;
  return deadline;
}

/** Sign-extends a 12-bit field. */
function sext12(v: number): number {
  return (v << 20) >> 20;
}

/** FUTEX_WAKE_OP: operate on *uaddr2, wake on uaddr, then on uaddr2 if the comparison holds. */
function futexWakeOp(t: Thread, api: KernelApi): number {
  const addr = uarg(t, 0), n = arg(t, 2), n2 = uarg(t, 3), addr2 = uarg(t, 4), enc = arg(t, 5);
  let op = (enc >>> 28) & 15;
  const cmp = (enc >>> 24) & 15;
  let oparg = sext12(enc >>> 12);
  const cmparg = sext12(enc);
  if ((op & 8) !== 0) {
    oparg = 1 << (oparg & 31);
    op &= 7;
  }
  if (op > 4 || cmp > 5) return K.NOSYS;
  if ((addr2 & 3) !== 0) return K.INVAL;
  const old = api.readU32(t.process, addr2);
  if (old < 0) return K.FAULT;
  const ops = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg];
  if (!api.writeU32(t.process, addr2, ops[op] >>> 0)) return K.FAULT;
  let woken = api.futexWake(t, addr, n, -1);
  if (woken < 0) return woken;
  const o = old | 0;
  const hit = [o === cmparg, o !== cmparg, o < cmparg, o <= cmparg, o > cmparg, o >= cmparg][cmp];
  if (hit) {
    const w2 = api.futexWake(t, addr2, n2 | 0, -1);
    if (w2 > 0) woken += w2;
  }
  return woken;
}

/** futex_time64(uaddr, op, val, timeout | val2, uaddr2, val3). */
export function sysFutex(t: Thread, api: KernelApi): number {
  const op = arg(t, 1);
  const cmd = op & ~(FUTEX.PRIVATE_FLAG | FUTEX.CLOCK_REALTIME);
  const realtime = (op & FUTEX.CLOCK_REALTIME) !== 0;
  if (realtime && cmd !== FUTEX.WAIT_BITSET) return K.NOSYS;
  const addr = uarg(t, 0), val = uarg(t, 2);
  switch (cmd) {
    case FUTEX.WAIT:
    case FUTEX.WAIT_BITSET: {
      const bitset = cmd === FUTEX.WAIT ? -1 : arg(t, 5);
      if ((addr & 3) !== 0 || bitset === 0) return K.INVAL;
      const deadline = futexDeadline(t, api, cmd, realtime);
      if (deadline < 0) return deadline;
      return api.futexWait(t, addr, val, bitset, deadline === NO_DEADLINE ? -1 : deadline);
    }
    case FUTEX.WAKE:
    case FUTEX.WAKE_BITSET:
      return api.futexWake(t, addr, val | 0, cmd === FUTEX.WAKE ? -1 : arg(t, 5));
    case FUTEX.REQUEUE:
      return api.futexRequeue(t, addr, val | 0, uarg(t, 4), arg(t, 3), -1);
    case FUTEX.CMP_REQUEUE:
      return api.futexRequeue(t, addr, val | 0, uarg(t, 4), arg(t, 3), uarg(t, 5));
    case FUTEX.WAKE_OP:
      return futexWakeOp(t, api);
    default:
      return K.NOSYS;
  }
}
