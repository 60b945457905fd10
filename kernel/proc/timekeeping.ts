/**
 * Timekeeping: simulated time as the kernel and plugins see it, and kernel
 * timers on the machine's clock.
 *
 * - {@link Timekeeping.nowNs} / {@link Timekeeping.realtimeNs}: monotonic and
 *   wall-clock time (the RTC's epoch at boot plus simulated time);
 * - {@link Timekeeping.startTimer}: a one-shot callback after a delay, tagged
 *   with the module that started it, so that {@link Timekeeping.dropOwner}
 *   cancels a module's timers when it unloads;
 * - {@link Timekeeping.sleepUntil} / {@link Timekeeping.armWake}: a thread
 *   parked until a deadline.
 *
 * @module
 */

import type { SimClock } from "../../hw/clock.ts";
import { errorText } from "../errors.ts";
import { BLOCK } from "./call_result.ts";
import type { ParkingPlace, Thread } from "./process.ts";
import type { ProcessTable } from "./process_table.ts";

const SLEEP_PLACE: ParkingPlace = { name: "sleep", remove: () => {} };

/**
 * The last cycle the simulation reaches: 2^53 - 1, the largest integer a
 * float64 holds exactly (about 2.85 simulated years at 100 MHz). Simulated
 * time only jumps forward to a scheduled event, so no timer or sleep is
 * scheduled past it: such a deadline never comes (the sleeper sleeps on
 * until a signal wakes it, as a sleep of centuries would), and the clock
 * stays an exact integer.
 */
export const TIME_HORIZON_CYCLES = Number.MAX_SAFE_INTEGER;

/** The id of a timer that lies past {@link TIME_HORIZON_CYCLES}: never pending. */
export const NEVER = -1;

/** Simulated time and kernel timers over one clock. */
export class Timekeeping {
  readonly #clock: SimClock;
  readonly #table: ProcessTable;
  readonly #bootRealtimeNs: bigint;
  readonly #log: (line: string) => void;
  // Live timers started by a module: id -> owner (kernel timers are not listed).
  readonly #daemons = new Set<number>();
  readonly #owned = new Map<number, string>();

  /**
   * Creates the service.
   *
   * @param clock The machine's clock.
   * @param table The process table (to wake sleepers).
   * @param bootRealtimeNs Wall-clock time at cycle 0 (from the RTC).
   * @param log Receives a line when a timer callback throws.
   */
  constructor(
    clock: SimClock,
    table: ProcessTable,
    bootRealtimeNs: bigint,
    log: (line: string) => void,
  ) {
    this.#clock = clock;
    this.#table = table;
    this.#bootRealtimeNs = bootRealtimeNs;
    this.#log = log;
  }

  /** Monotonic simulated ns since boot. */
  nowNs(): number {
    const c = this.#clock;
    return Math.floor(c.now * (1e9 / c.frequency));
  }

  /** Wall-clock ns since the Unix epoch. */
  realtimeNs(): bigint {
    return this.#bootRealtimeNs + BigInt(this.nowNs());
  }

  /**
   * Calls `callback` once after `delayNs` of simulated time.
   *
   * @param delayNs Delay in simulated nanoseconds.
   * @param callback Runs in kernel context; an exception is logged, not thrown.
   * @param owner The module that owns the timer (null: the kernel).
   * @returns The timer id for {@link cancelTimer} ({@link NEVER} when the
   *   delay ends past {@link TIME_HORIZON_CYCLES}: the timer never fires).
   */
  startTimer(
    delayNs: number,
    callback: () => void,
    owner: string | null = null,
    daemon = false,
  ): number {
    const clock = this.#clock;
    const cycles = Math.max(0, Math.ceil(delayNs * clock.frequency / 1e9));
    if (!(clock.now + cycles <= TIME_HORIZON_CYCLES)) return NEVER;
    const id = clock.schedule(cycles, () => {
      if (owner !== null) this.#owned.delete(id);
      this.#daemons.delete(id);
      try {
        callback();
      } catch (e) {
        this.#log(`timer callback threw: ${errorText(e)}`);
      }
    });
    if (owner !== null) this.#owned.set(id, owner);
    if (daemon) this.#daemons.add(id);
    return id;
  }

  /**
   * Pending daemon timers: timers that do not keep an idle machine busy (a
   * polling driver's tick). When only they remain, the idle loop waits for
   * host input instead of running them back to back, and reports a deadlock
   * when no input can come.
   */
  get daemonTimers(): number {
    return this.#daemons.size;
  }

  /** Cancels a timer (harmless if it already fired). */
  cancelTimer(id: number): void {
    this.#owned.delete(id);
    this.#daemons.delete(id);
    this.#clock.cancel(id);
  }

  /** Cancels every pending timer of `owner`; returns how many there were. */
  dropOwner(owner: string): number {
    let n = 0;
    for (const [id, o] of this.#owned) {
      if (o !== owner) continue;
      this.#owned.delete(id);
      this.#daemons.delete(id);
      this.#clock.cancel(id);
      n++;
    }
    return n;
  }

  /** Wakes `t` at monotonic `deadlineNs` (it must be parked by the caller). */
  armWake(t: Thread, deadlineNs: number): void {
    const clock = this.#clock;
    const cyc = Math.max(clock.now, Math.ceil(deadlineNs * clock.frequency / 1e9));
    if (!(cyc <= TIME_HORIZON_CYCLES)) {
      t.timerEvent = NEVER;
      return;
    }
    t.timerEvent = clock.scheduleAt(cyc, () => {
      t.timerEvent = -1;
      this.#table.wakeThread(t);
    });
  }

  /** Parks `t` until `deadlineNs`; 0 once it has passed, else {@link BLOCK}. */
  sleepUntil(t: Thread, deadlineNs: number): number {
    if (this.nowNs() >= deadlineNs) return 0;
    this.#table.park(t, SLEEP_PLACE);
    this.armWake(t, deadlineNs);
    return BLOCK;
  }
}
