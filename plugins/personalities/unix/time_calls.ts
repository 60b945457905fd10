/**
 * Time calls of the Unix personality: clock_gettime64, clock_getres_time64,
 * clock_nanosleep_time64, times. rv32 has only the 64-bit-time calls
 * (no nanosleep 101, no clock_gettime 113, no gettimeofday 169).
 *
 * CLOCK_REALTIME (and _COARSE, TAI) come from the RTC's epoch plus
 * simulated time; CLOCK_MONOTONIC, _RAW, _COARSE and BOOTTIME are simulated
 * time since boot; the CPU-time clocks count the caller's user and system
 * cycles. All are deterministic.
 *
 * @module
 */

import { K, type KernelApi, type Thread } from "../../../kernel/api.ts";
import {
  CLK_TCK,
  CLOCK,
  encodeRusage,
  readTimespec64,
  RUSAGE_SIZE,
  TIMESPEC64_SIZE,
  TMS_SIZE,
  writeTimespec64,
} from "./abi.ts";
import { arg, scratch, scratchView, threadData, uarg, type UnixThreadData } from "./common.ts";

/** Nanoseconds of `cycles` at the machine's frequency. */
function cyclesToNs(api: KernelApi, cycles: number): number {
  return Math.floor((cycles * 1e9) / api.config.frequency);
}

/** Time of `clock` in ns, or -1n for an unknown clock. */
function clockNow(api: KernelApi, t: Thread, clock: number): bigint {
  switch (clock) {
    case CLOCK.REALTIME:
    case CLOCK.REALTIME_COARSE:
    case CLOCK.TAI:
    case CLOCK.REALTIME_ALARM:
      return api.realtimeNs();
    case CLOCK.MONOTONIC:
    case CLOCK.MONOTONIC_RAW:
    case CLOCK.MONOTONIC_COARSE:
    case CLOCK.BOOTTIME:
    case CLOCK.BOOTTIME_ALARM:
      return BigInt(Math.floor(api.nowNs()));
    case CLOCK.PROCESS_CPUTIME_ID: {
      const p = t.process;
      let c = p.exitedUserCycles + p.exitedSystemCycles;
      for (const th of p.threads) c += api.cpuCycles(th);
      return BigInt(cyclesToNs(api, c));
    }
    case CLOCK.THREAD_CPUTIME_ID:
      return BigInt(cyclesToNs(api, api.cpuCycles(t)));
    default:
      return -1n;
  }
}

/** clock_gettime64(clock, tp). */
export function sysClockGettime64(t: Thread, api: KernelApi): number {
  const ns = clockNow(api, t, arg(t, 0));
  if (ns < 0n) return K.INVAL;
  writeTimespec64(scratchView, 0, ns);
  return api.copyOut(t.process, uarg(t, 1), scratch.subarray(0, TIMESPEC64_SIZE)) ? 0 : K.FAULT;
}

/** clock_getres_time64(clock, res): one CPU cycle (10 ns at 100 MHz), rounded up. */
export function sysClockGetres64(t: Thread, api: KernelApi): number {
  if (clockNow(api, t, arg(t, 0)) < 0n) return K.INVAL;
  const res = uarg(t, 1);
  if (res === 0) return 0;
  writeTimespec64(scratchView, 0, BigInt(Math.ceil(1e9 / api.config.frequency)));
  return api.copyOut(t.process, res, scratch.subarray(0, TIMESPEC64_SIZE)) ? 0 : K.FAULT;
}

/**
 * clock_nanosleep_time64(clock, flags, request, remain). Relative or
 * TIMER_ABSTIME sleeps on the realtime and monotonic clocks; the CPU-time
 * clocks give EINVAL (Linux supports the process clock; this kernel does
 * not). The deadline is kept in `t.restartState` across restarts, so a
 * sleep resumed after a stop and continue ends at the original time. A
 * handler ends it with EINTR and the time left in `remain`, through the
 * delivery hook ({@link endInterruptedCall}).
 */
export function sysClockNanosleep64(t: Thread, api: KernelApi): number {
  const clock = arg(t, 0);
  const flags = uarg(t, 1);
  if (t.restartState < 0) {
    const isReal = clock === CLOCK.REALTIME || clock === CLOCK.TAI;
    const isMono = clock === CLOCK.MONOTONIC || clock === CLOCK.BOOTTIME;
    if (!isReal && !isMono) return K.INVAL;
    if (!api.copyInto(t.process, uarg(t, 2), scratch.subarray(0, TIMESPEC64_SIZE))) {
      return K.FAULT;
    }
    const req = readTimespec64(scratchView, 0);
    if (req < 0n) return K.INVAL;
    const now = api.nowNs();
    let deadline: number;
    if (flags & CLOCK.TIMER_ABSTIME) {
      deadline = isReal ? now + Number(req - api.realtimeNs()) : Number(req);
    } else {
      deadline = now + Number(req);
    }
    if (!(deadline > now)) return 0;
    t.restartState = deadline;
    // Remembered so that the delivery of a signal that interrupts the sleep
    // can end it with EINTR and store the time left (see endInterruptedCall).
    const d = threadData(t);
    markNoRestart(d, t);
    d.sleepRemAddr = (flags & CLOCK.TIMER_ABSTIME) ? 0 : uarg(t, 3);
    d.sleepDeadline = deadline;
  }
  const r = api.sleepUntil(t, t.restartState);
  if (r === 0) threadData(t).noRestartPc = -1;
  return r;
}

/** Records `t`'s current call (pc past its `ecall`) as one that a handler ends with EINTR. */
export function markNoRestart(d: UnixThreadData, t: Thread): void {
  d.noRestartPc = (t.pc - 4) >>> 0;
  d.noRestartNr = t.regs[17];
}

/**
 * Called when a signal is delivered to a handler. Linux ends an interrupted
 * clock_nanosleep or ppoll with EINTR after a handler even when the action
 * has SA_RESTART (they return -ERESTART_RESTARTBLOCK / -ERESTARTNOHAND);
 * the kernel would restart them, so the call is turned into EINTR here,
 * before the frame records the pc. A relative sleep also gets the time left
 * stored in its `remain`. Signals that run no handler (stop, continue) still
 * restart the call transparently, as on Linux.
 */
export function endInterruptedCall(api: KernelApi, t: Thread): void {
  const d = threadData(t);
  const at = d.noRestartPc;
  if (at < 0) return;
  d.noRestartPc = -1;
  const pc = t.pc >>> 0;
  if (pc === at && t.regs[17] === d.noRestartNr) {
    // About to be restarted after the handler: answer EINTR instead.
    t.pc = (at + 4) >>> 0;
    t.regs[10] = -EINTR;
  } else if (pc !== ((at + 4) >>> 0) || t.regs[10] !== -EINTR) {
    return; // the call is not the one being interrupted
  }
  if (d.noRestartNr === NR_CLOCK_NANOSLEEP && d.sleepRemAddr !== 0) {
    const left = Math.max(0, d.sleepDeadline - api.nowNs());
    writeTimespec64(scratchView, 0, BigInt(Math.floor(left)));
    api.copyOut(t.process, d.sleepRemAddr, scratch.subarray(0, TIMESPEC64_SIZE));
  }
}

/** clock_nanosleep_time64's number. */
const NR_CLOCK_NANOSLEEP = 407;

/** EINTR as the kernel leaves it in a0 for an interrupted call. */
const EINTR = 4;

/** times(buf): user and system clock ticks of the process and its reaped children. */
export function sysTimes(t: Thread, api: KernelApi): number {
  const p = t.process;
  let user = p.exitedUserCycles, sys = p.exitedSystemCycles;
  for (const th of p.threads) {
    user += th.userCycles;
    sys += th.systemCycles;
  }
  const perTick = api.config.frequency / CLK_TCK;
  const buf = uarg(t, 0);
  if (buf !== 0) {
    scratchView.setUint32(0, Math.floor(user / perTick), true);
    scratchView.setUint32(4, Math.floor(sys / perTick), true);
    scratchView.setUint32(8, Math.floor(p.childUserCycles / perTick), true);
    scratchView.setUint32(12, Math.floor(p.childSystemCycles / perTick), true);
    if (!api.copyOut(p, buf, scratch.subarray(0, TMS_SIZE))) return K.FAULT;
  }
  return Math.floor(api.cycles() / perTick) >>> 0;
}

/** getrusage `who` values. */
const RUSAGE = { SELF: 0, CHILDREN: -1, THREAD: 1 } as const;

/**
 * getrusage(who, usage): user and system times of the process, its reaped
 * children or the calling thread; the other fields (page faults, context
 * switches, ...) are reported as zero.
 */
export function sysGetrusage(t: Thread, api: KernelApi): number {
  const p = t.process;
  const who = arg(t, 0);
  let user = 0, sys = 0;
  if (who === RUSAGE.SELF) {
    user = p.exitedUserCycles;
    sys = p.exitedSystemCycles;
    for (const th of p.threads) {
      user += th.userCycles;
      sys += th.systemCycles;
    }
  } else if (who === RUSAGE.CHILDREN) {
    user = p.childUserCycles;
    sys = p.childSystemCycles;
  } else if (who === RUSAGE.THREAD) {
    user = t.userCycles;
    sys = t.systemCycles;
  } else {
    return K.INVAL;
  }
  encodeRusage(scratchView, 0, cyclesToNs(api, user), cyclesToNs(api, sys));
  return api.copyOut(p, uarg(t, 1), scratch.subarray(0, RUSAGE_SIZE)) ? 0 : K.FAULT;
}
