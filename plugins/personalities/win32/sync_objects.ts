/**
 * The timer and keyed-event object types.
 *
 * Map of the file:
 * - {@link TimerObject}: a waitable timer (notification = manual reset,
 *   synchronization = auto reset) over simulated time. Its state is worked
 *   out from the clock when asked (an expiry needs no event of its own): a
 *   wait parks until the timer's next due time ({@link NtObject.nextDueNs})
 *   and tests it again;
 * - {@link KeyedEventObject}: NT's keyed events, a rendezvous of one waiter
 *   and one releaser of the same process on a key (an even number, in
 *   practice an address): whichever comes first sleeps until the other
 *   arrives. Critical sections wait on them.
 *
 * @module
 */

import { TaskState, type Thread, WaitQueue } from "../../../kernel/api.ts";
import { NtObject } from "./ob.ts";

/** A waitable timer over simulated monotonic time. */
export class TimerObject extends NtObject {
  /** The type. */
  readonly type = "Timer" as const;
  /** Signal state (as of the last update). */
  #state = false;
  /** Next expiry (monotonic ns), -1 when not set. */
  #due = -1;
  /** Period (ns), 0 for a one-shot timer. */
  #period = 0;

  /** Creates a cancelled, non-signalled timer reading time from `now`. */
  constructor(readonly now: () => number, readonly manualReset: boolean) {
    super();
  }

  /** Applies the expiries up to now: signalled, and the next due time of a periodic timer. */
  #update(): void {
    const now = this.now();
    if (this.#due < 0 || now < this.#due) return;
    this.#state = true;
    if (this.#period > 0) {
      this.#due += (Math.floor((now - this.#due) / this.#period) + 1) * this.#period;
    } else this.#due = -1;
  }

  /**
   * Sets the timer to expire at `dueNs` and then every `periodNs` (0: once);
   * the timer becomes non-signalled. Returns the previous signal state.
   */
  set(dueNs: number, periodNs: number): boolean {
    this.#update();
    const old = this.#state;
    this.#state = false;
    this.#due = dueNs;
    this.#period = periodNs;
    this.#update();
    return old;
  }

  /** Cancels the timer (the signal state stays); returns the signal state. */
  cancel(): boolean {
    this.#update();
    this.#due = -1;
    this.#period = 0;
    return this.#state;
  }

  /** Signalled once expired. */
  override signaled(): boolean {
    this.#update();
    return this.#state;
  }

  /** A synchronization timer resets when a wait is satisfied. */
  override acquire(): boolean {
    if (!this.manualReset) this.#state = false;
    return false;
  }

  /** The next expiry (monotonic ns), -1 when not set. */
  override nextDueNs(): number {
    this.#update();
    return this.#due;
  }
}

/** One thread waiting or releasing on a keyed event. */
export interface KeyedEntry {
  /** The thread. */
  readonly thread: Thread;
  /** The key. */
  readonly key: number;
  /** True for NtWaitForKeyedEvent, false for NtReleaseKeyedEvent. */
  readonly waiter: boolean;
  /** Absolute monotonic deadline (ns), -1 for none. */
  readonly deadline: number;
  /** Set when the other side arrived. */
  done: boolean;
  /** Woken when `done` is set. */
  readonly queue: WaitQueue;
}

/** A keyed event: waiters and releasers meet by (process, key). */
export class KeyedEventObject extends NtObject {
  /** The type. */
  readonly type = "KeyedEvent" as const;
  readonly #entries: KeyedEntry[] = [];

  /** The entry `t` left in a call that parked, or undefined. */
  entryOf(t: Thread): KeyedEntry | undefined {
    return this.#entries.find((e) => e.thread === t);
  }

  /** Removes `e`. */
  remove(e: KeyedEntry): void {
    const i = this.#entries.indexOf(e);
    if (i >= 0) this.#entries.splice(i, 1);
  }

  /**
   * Completes the oldest pending entry of the other side (`waiter` tells
   * the caller's side) for `t`'s process and `key`; true when there was one.
   */
  meet(t: Thread, key: number, waiter: boolean): boolean {
    for (const e of this.#entries) {
      if (e.thread.state === TaskState.ZOMBIE) continue;
      if (e.done || e.waiter === waiter || e.key !== key) continue;
      if (e.thread.process !== t.process) continue;
      e.done = true;
      e.queue.wakeAll();
      return true;
    }
    return false;
  }

  /** Adds a pending entry for `t` (dropping entries of exited threads). */
  add(t: Thread, key: number, waiter: boolean, deadline: number): KeyedEntry {
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      if (this.#entries[i].thread.state === TaskState.ZOMBIE) this.#entries.splice(i, 1);
    }
    const e = {
      thread: t,
      key,
      waiter,
      deadline,
      done: false,
      queue: new WaitQueue("keyed event"),
    };
    this.#entries.push(e);
    return e;
  }

  /** Number of pending entries (for tests and /proc). */
  get pending(): number {
    return this.#entries.length;
  }
}
