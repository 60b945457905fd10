/**
 * The end of a run and kernel work outside any process: waiting for
 * devices with no process running.
 *
 * - {@link settleIo}: repeats a step that waits for a disk (the partition
 *   scan and the root mount at boot, the sync at shutdown), running device
 *   events and interrupts in between, up to a simulated-time limit;
 * - {@link syncForShutdown}: a clean shutdown syncs every file system, then
 *   every disk ({@link CLEAN_SHUTDOWN} says which halts are clean);
 * - {@link drainDevices}: after the halt, devices finish what they were
 *   given (the console's queued output).
 *
 * @module
 */

import { CSR } from "../hw/csr.ts";
import { MIP } from "../hw/irq.ts";
import type { SimClock } from "../hw/clock.ts";
import { K, type KStatus } from "./errors.ts";
import type { Vfs } from "./fs/vfs.ts";
import type { InterruptService } from "./io/interrupts.ts";
import type { CpuPort } from "./proc/trap_loop.ts";

/** Halt reasons after which the disks are synced (a cut by a limit or a deadlock is not clean). */
export const CLEAN_SHUTDOWN: ReadonlySet<string> = new Set(["init-exit", "poweroff", "halt"]);

/** What settling needs of the kernel. */
export interface SettleDeps {
  /** The simulated clock (its events are the devices' work). */
  readonly clock: SimClock;
  /** The CPU, for the pending external interrupt (sip.SEIP). */
  readonly cpu: CpuPort;
  /** The PLIC service that dispatches an external interrupt. */
  readonly irq: InterruptService;
  /** Drops the queue a step asked to wait on (nothing waits here but the clock). */
  takeIoWait(): unknown;
}

/**
 * Calls `step` until it stops answering K.RESTART or K.AGAIN, running
 * device events and interrupts in between (no process runs), for at most
 * `seconds` of simulated time. Returns its last status, or K.TIMEDOUT.
 */
export function settleIo(d: SettleDeps, step: () => KStatus, seconds: number): KStatus {
  const clock = d.clock;
  const cpu = d.cpu;
  const limit = clock.now + seconds * clock.frequency;
  for (let i = 0; i < 100_000_000; i++) {
    const r = step();
    d.takeIoWait();
    if (r !== K.RESTART && r !== K.AGAIN) return r;
    if ((cpu.readCsr(CSR.sip) & MIP.SEIP) !== 0) {
      d.irq.dispatch();
      continue;
    }
    if (clock.nextEventAt > limit) break;
    clock.advanceToNextEvent();
  }
  return K.TIMEDOUT;
}

/**
 * A clean shutdown (init exited, poweroff) syncs: every mounted file
 * system, then every disk (dirty blocks written, drives flushed), for at
 * most 60 simulated seconds.
 */
export function syncForShutdown(
  d: SettleDeps,
  vfs: Vfs,
  syncDisks: () => KStatus,
  log: (line: string) => void,
): void {
  const r = settleIo(d, () => {
    const fs = vfs.syncAll();
    return fs === K.RESTART ? fs : syncDisks();
  }, 60);
  if (r === K.TIMEDOUT) log("shutdown: disks not synced in time");
}

/**
 * After the halt no user code runs, but devices finish what they were
 * given (the console transmits its queued output), as a real machine's
 * shutdown flushes the console: device events and interrupts are processed
 * for at most 10 simulated seconds.
 */
export function drainDevices(d: SettleDeps): void {
  settleIo(d, () => K.AGAIN, 10);
  if ((d.cpu.readCsr(CSR.sip) & MIP.SEIP) !== 0) d.irq.dispatch();
}
