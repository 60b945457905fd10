/**
 * Waiting for readiness: ppoll_time64 and pselect6_time64.
 *
 * - POLL, pollRevents: the Linux poll bits of one open file
 * - pollQueues: the wait queues a poll that found nothing parks on
 * - readDeadline, readinessWait: the timeout, kept across restarts in
 *   t.restartState, and the block itself
 * - swapMask, finishPoll: the temporary signal mask, as sigsuspend does
 *
 * @module
 */

import {
  BLOCK,
  K,
  type KernelApi,
  type OpenFile,
  OpenFlags,
  PollState,
  type Thread,
  type WaitQueue,
} from "../../../kernel/api.ts";
import { readTimespec64, writeTimespec64 } from "./abi.ts";
import {
  arg,
  fileOf,
  isStreamFile,
  scratchBytes,
  scratchView,
  threadData,
  uarg,
} from "./common.ts";
import { markNoRestart } from "./time_calls.ts";

/** poll event bits. */
export const POLL = {
  IN: 0x1,
  PRI: 0x2,
  OUT: 0x4,
  ERR: 0x8,
  HUP: 0x10,
  NVAL: 0x20,
  RDNORM: 0x40,
  RDBAND: 0x80,
  WRNORM: 0x100,
  WRBAND: 0x200,
} as const;

/**
 * Linux poll bits of `file` right now, as pipe_poll and tty_poll report
 * them: POLLIN/POLLRDNORM and POLLOUT/POLLWRNORM as far as `events` asks
 * (a stream only through an end opened that way), POLLHUP and POLLERR
 * whatever was asked.
 */
function pollRevents(api: KernelApi, file: OpenFile, events: number): number {
  const state = api.vfs.pollState(file);
  const stream = isStreamFile(file);
  let rev = 0;
  if ((state & PollState.READABLE) !== 0 && (!stream || (file.flags & OpenFlags.READ) !== 0)) {
    rev |= events & (POLL.IN | POLL.RDNORM);
  }
  if ((state & PollState.WRITABLE) !== 0 && (!stream || (file.flags & OpenFlags.WRITE) !== 0)) {
    rev |= events & (POLL.OUT | POLL.WRNORM);
  }
  if ((state & PollState.HANGUP) !== 0) rev |= POLL.HUP;
  if ((state & PollState.ERROR) !== 0) rev |= POLL.ERR;
  return rev;
}

/**
 * Parks-to-be for a poll that found nothing on `file`: its read queue when
 * it can be read (data or a hang-up comes there), its write queue when
 * writing is asked for.
 */
function pollQueues(api: KernelApi, file: OpenFile, wantWrite: boolean, queues: WaitQueue[]): void {
  if ((file.flags & OpenFlags.READ) !== 0) {
    const q = api.vfs.waitQueue(file, "read");
    if (q !== null) queues.push(q);
  }
  if (wantWrite && (file.flags & OpenFlags.WRITE) !== 0) {
    const q = api.vfs.waitQueue(file, "write");
    if (q !== null && !queues.includes(q)) queues.push(q);
  }
}

/** Most descriptors one ppoll may watch. */
const POLL_MAX = 1024;
/** restartState of a ppoll without a timeout (any value above every real deadline). */
const NO_DEADLINE = Number.MAX_SAFE_INTEGER;

/**
 * ppoll_time64(fds, nfds, timeout, sigmask, sigsetsize). Readiness as
 * {@link pollRevents} reports it; a bad descriptor gives POLLNVAL. With `sigmask` the mask
 * is swapped for the wait, as sigsuspend does, and put back afterwards.
 * The deadline survives restarts in `t.restartState`.
 */
export function sysPpollTime64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const fdsAddr = uarg(t, 0);
  const nfds = uarg(t, 1);
  const tmo = uarg(t, 2);
  const sigmask = uarg(t, 3);
  if (nfds > POLL_MAX) return K.INVAL;
  const fresh = t.restartState < 0;
  if (fresh) {
    const deadline = readDeadline(t, api, tmo);
    if (deadline < 0) return deadline;
    if (sigmask !== 0) {
      if (uarg(t, 4) !== 8) return K.INVAL;
      if (!api.copyInto(p, sigmask, scratchBytes(8))) return K.FAULT;
      swapMask(t, api, scratchView.getInt32(0, true), scratchView.getInt32(4, true));
    }
    t.restartState = deadline;
  }
  const raw = api.copyIn(p, fdsAddr, nfds * 8);
  if (raw === null) return finishPoll(t, api, K.FAULT, sigmask);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let ready = 0;
  const queues: WaitQueue[] = [];
  for (let i = 0; i < nfds; i++) {
    const fd = v.getInt32(i * 8, true);
    const events = v.getUint16(i * 8 + 4, true);
    let rev = 0;
    if (fd >= 0) {
      const file = fileOf(api, p, fd);
      if (file === null) {
        rev = POLL.NVAL;
      } else {
        rev = pollRevents(api, file, events);
        if (rev === 0) pollQueues(api, file, (events & (POLL.OUT | POLL.WRNORM)) !== 0, queues);
      }
    }
    v.setUint16(i * 8 + 6, rev, true);
    if (rev !== 0) ready++;
  }
  const wait = readinessWait(t, api, ready, sigmask !== 0, queues);
  if (wait !== null) return wait;
  if (!api.copyOut(p, fdsAddr, raw)) return finishPoll(t, api, K.FAULT, sigmask);
  return finishPoll(t, api, ready, sigmask);
}

/** The deadline (monotonic ns) of a ppoll/pselect timeout at `tmo`, NO_DEADLINE for none, or a K status. */
function readDeadline(t: Thread, api: KernelApi, tmo: number): number {
  if (tmo === 0) return NO_DEADLINE;
  if (!api.copyInto(t.process, tmo, scratchBytes(16))) return K.FAULT;
  const ns = readTimespec64(scratchView, 0);
  if (ns < 0n) return K.INVAL;
  return api.nowNs() + Number(ns);
}

/**
 * The wait of ppoll and pselect6: BLOCK when nothing is ready and the
 * deadline (in `t.restartState`) is ahead, parked on `queues`; null when the
 * call finishes now. A handler ends the wait with EINTR, as on Linux.
 */
function readinessWait(
  t: Thread,
  api: KernelApi,
  ready: number,
  maskSwapped: boolean,
  queues: WaitQueue[],
): number | null {
  const data = threadData(t);
  if (ready === 0) {
    if (
      maskSwapped &&
      ((t.sigPendingLo & ~t.sigBlockedLo) | (t.sigPendingHi & ~t.sigBlockedHi)) !== 0
    ) {
      // The swapped mask lets a pending signal through: do not sleep; the
      // delivery that follows ends the call with EINTR (as sigsuspend does).
      markNoRestart(data, t);
      t.interrupted = true;
      return BLOCK;
    }
    const deadline = t.restartState;
    if (deadline === NO_DEADLINE || api.nowNs() < deadline) {
      markNoRestart(data, t);
      return deadline === NO_DEADLINE
        ? api.blockMany(t, queues)
        : api.blockMany(t, queues, deadline);
    }
  }
  data.noRestartPc = -1;
  return null;
}

/** Ends a ppoll: puts a swapped signal mask back. */
function finishPoll(t: Thread, api: KernelApi, result: number, sigmask: number): number {
  if (sigmask !== 0 && t.hasSavedMask) {
    t.hasSavedMask = false;
    api.setSignalMask(t, t.savedBlockedLo, t.savedBlockedHi);
  }
  return result;
}

/** Applies a ppoll/pselect signal mask for the wait (saving the old one, as sigsuspend does). */
function swapMask(t: Thread, api: KernelApi, lo: number, hi: number): void {
  if (!t.hasSavedMask) {
    t.savedBlockedLo = t.sigBlockedLo;
    t.savedBlockedHi = t.sigBlockedHi;
    t.hasSavedMask = true;
  }
  api.setSignalMask(t, lo, hi);
}

/** Bit `fd` of an fd_set held in `set`. */
function fdIsSet(set: Uint8Array | null, fd: number): boolean {
  return set !== null && (set[fd >>> 3] & (1 << (fd & 7))) !== 0;
}

/**
 * pselect6_time64(nfds, readfds, writefds, exceptfds, timeout, sigmaskarg)
 * where sigmaskarg points to {sigset pointer, size}. Readiness as for ppoll;
 * no exceptional conditions are ever reported; a descriptor in a set that is
 * not open gives EBADF. The sets are rewritten with the ready descriptors
 * and the timeout with the time left, as the raw Linux call does.
 */
export function sysPselect6Time64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const nfds = arg(t, 0);
  const addrs = [uarg(t, 1), uarg(t, 2), uarg(t, 3)];
  const tmo = uarg(t, 4);
  const sigArg = uarg(t, 5);
  if (nfds < 0 || nfds > POLL_MAX) return K.INVAL;
  // fd_set is an array of 32-bit longs on rv32.
  const setBytes = ((nfds + 31) >>> 5) * 4;
  if (t.restartState < 0) {
    const deadline = readDeadline(t, api, tmo);
    if (deadline < 0) return deadline;
    if (sigArg !== 0) {
      if (!api.copyInto(p, sigArg, scratchBytes(8))) return K.FAULT;
      const ss = scratchView.getUint32(0, true);
      const ssLen = scratchView.getUint32(4, true);
      if (ss !== 0) {
        if (ssLen !== 8) return K.INVAL;
        if (!api.copyInto(p, ss, scratchBytes(8))) return K.FAULT;
        swapMask(t, api, scratchView.getInt32(0, true), scratchView.getInt32(4, true));
      }
    }
    t.restartState = deadline;
  }
  const sets: (Uint8Array | null)[] = [];
  for (const a of addrs) {
    if (a === 0 || setBytes === 0) {
      sets.push(null);
      continue;
    }
    const b = api.copyIn(p, a, setBytes);
    if (b === null) return finishPoll(t, api, K.FAULT, sigArg);
    sets.push(b);
  }
  const out = sets.map((s) => (s === null ? null : new Uint8Array(s.length)));
  let ready = 0;
  const queues: WaitQueue[] = [];
  for (let fd = 0; fd < nfds; fd++) {
    const r = fdIsSet(sets[0], fd), w = fdIsSet(sets[1], fd), e = fdIsSet(sets[2], fd);
    if (!r && !w && !e) continue;
    const file = fileOf(api, p, fd);
    if (file === null) return finishPoll(t, api, K.BADF, sigArg);
    // Linux's select: readable on POLLIN, POLLHUP or POLLERR; writable on POLLOUT or POLLERR.
    const rev = pollRevents(api, file, POLL.IN | POLL.OUT);
    const readable = r && (rev & (POLL.IN | POLL.HUP | POLL.ERR)) !== 0;
    const writable = w && (rev & (POLL.OUT | POLL.ERR)) !== 0;
    if (readable) out[0]![fd >>> 3] |= 1 << (fd & 7);
    if (writable) out[1]![fd >>> 3] |= 1 << (fd & 7);
    // Like Linux, the count is of bits set: a descriptor in two sets counts twice.
    ready += (readable ? 1 : 0) + (writable ? 1 : 0);
    if (!readable && !writable) pollQueues(api, file, w, queues);
  }
  const wait = readinessWait(t, api, ready, t.hasSavedMask && sigArg !== 0, queues);
  if (wait !== null) return wait;
  const deadline = t.restartState;
  for (let i = 0; i < 3; i++) {
    const o = out[i];
    if (o !== null && !api.copyOut(p, addrs[i], o)) return finishPoll(t, api, K.FAULT, sigArg);
  }
  if (tmo !== 0) {
    const left = Math.max(0, deadline - api.nowNs());
    writeTimespec64(scratchView, 0, BigInt(Math.floor(left)));
    api.copyOut(p, tmo, scratchBytes(16));
  }
  return finishPoll(t, api, ready, sigArg);
}
