/**
 * The machine's single simulated clock.
 *
 * Every instruction and every device action is measured in cycles of this
 * clock. Devices schedule events at future cycle counts; the CPU runs until
 * the next event is due, then calls {@link SimClock.advanceTo}, which fires
 * due events in (time, sequence) order. Ties are broken by scheduling order,
 * so a run with the same inputs always produces the same trace.
 *
 * @module
 */

import { asDouble } from "../lib/double_field.ts";

/** Callback fired when a scheduled event comes due. */
export type ClockCallback = (now: number) => void;

/** Error raised when an event is scheduled in the past or with a bad delay. */
export class ClockError extends Error {
  /** Creates the error with a description of the bad request. */
  constructor(message: string) {
    super(message);
    this.name = "ClockError";
  }
}

/** A handle for a scheduled event, usable with {@link SimClock.cancel}. */
export type EventId = number;

/**
 * Discrete-event clock with a binary min-heap of pending events.
 *
 * Times are plain numbers (exact integers up to 2^53 cycles: at 100 MHz that
 * is more than two years of simulated time).
 */
export class SimClock {
  /** Current simulated time in cycles. */
  now: number = asDouble(0);
  /** Cycle count of the earliest pending event, or Infinity. */
  nextEventAt: number = Infinity;
  /** Cycles per simulated second (the CPU clock frequency). */
  readonly frequency: number;
  /** CPU cycles per tick of the platform timer (`mtime`/`time`). */
  readonly timebaseDivider: number;
  /** Added to the derived `mtime`, so that software writes to `mtime` take effect. */
  mtimeOffset = 0;

  // Heap of event slots, kept as parallel arrays to avoid an object per event.
  #times: number[] = [];
  #seqs: number[] = [];
  #ids: number[] = [];
  #callbacks = new Map<EventId, ClockCallback>();
  #seq = 0;
  #nextId = 1;

  /**
   * Creates a clock at time 0 running at `frequency` cycles per second, with
   * a platform timer (`mtime`) ticking once every `timebaseDivider` cycles
   * (defaults: 100 MHz CPU, 10 MHz timebase).
   */
  constructor(frequency = 100_000_000, timebaseDivider = 10) {
    if (!(frequency > 0)) throw new ClockError(`bad clock frequency ${frequency}`);
    if (!(timebaseDivider >= 1) || !Number.isInteger(timebaseDivider)) {
      throw new ClockError(`bad timebase divider ${timebaseDivider}`);
    }
    this.frequency = frequency;
    this.timebaseDivider = timebaseDivider;
  }

  /** The platform timer value (`mtime`, the `time` CSR): floor(now / divider) + offset. */
  get mtime(): number {
    return Math.floor(this.now / this.timebaseDivider) + this.mtimeOffset;
  }

  /** The cycle count at which `mtime` reaches `value` (now, if already reached). */
  cycleForMtime(value: number): number {
    const t = (value - this.mtimeOffset) * this.timebaseDivider;
    return t > this.now ? t : this.now;
  }

  /** Schedules `callback` to run `delay` cycles from now; returns its id. */
  schedule(delay: number, callback: ClockCallback): EventId {
    if (!(delay >= 0) || !Number.isFinite(delay)) {
      throw new ClockError(`cannot schedule an event with delay ${delay}`);
    }
    return this.scheduleAt(this.now + Math.ceil(delay), callback);
  }

  /** Schedules `callback` at absolute cycle `time` (not before now). */
  scheduleAt(time: number, callback: ClockCallback): EventId {
    if (time < this.now || !Number.isFinite(time)) {
      throw new ClockError(`cannot schedule an event at ${time} (now is ${this.now})`);
    }
    const id = this.#nextId++;
    this.#callbacks.set(id, callback);
    this.#push(time, this.#seq++, id);
    return id;
  }

  /** Cancels a pending event; cancelling a fired or unknown id is harmless. */
  cancel(id: EventId): void {
    // Lazy deletion: the slot stays in the heap and is skipped when popped.
    this.#callbacks.delete(id);
  }

  /** True when `id` is still pending. */
  isPending(id: EventId): boolean {
    return this.#callbacks.has(id);
  }

  /** Number of pending (not cancelled) events. */
  get pendingCount(): number {
    return this.#callbacks.size;
  }

  /**
   * Moves time forward to `time` (never backward), firing every event due at
   * or before it, each with the clock set to the event's own time.
   */
  advanceTo(time: number): void {
    while (this.#times.length > 0 && this.#times[0] <= time) {
      const at = this.#times[0];
      const id = this.#ids[0];
      this.#pop();
      const callback = this.#callbacks.get(id);
      if (callback === undefined) continue;
      this.#callbacks.delete(id);
      if (at > this.now) this.now = at;
      // Through `call`: its feedback names no callback, so V8 compiles a
      // generic call here. A direct call, inlined into the hot code that
      // advances the clock (a page function's trap entry, the kernel's
      // charge), is specialized on the first callback seen, and each new
      // kind of event would deoptimize all of that code.
      callback.call(undefined, this.now);
    }
    if (time > this.now) this.now = time;
    this.#refreshNext();
  }

  /** Advances to the next pending event and fires it; false if none is pending. */
  advanceToNextEvent(): boolean {
    this.#dropCancelledHead();
    if (this.#times.length === 0) return false;
    this.advanceTo(this.#times[0]);
    return true;
  }

  /** Time of the earliest pending (not cancelled) event, or Infinity. */
  peekNextEventTime(): number {
    this.#dropCancelledHead();
    return this.#times.length > 0 ? this.#times[0] : Infinity;
  }

  /** Simulated seconds elapsed since time 0. */
  get seconds(): number {
    return this.now / this.frequency;
  }

  #dropCancelledHead(): void {
    while (this.#ids.length > 0 && !this.#callbacks.has(this.#ids[0])) this.#pop();
  }

  #refreshNext(): void {
    this.#dropCancelledHead();
    this.nextEventAt = this.#times.length > 0 ? this.#times[0] : Infinity;
  }

  #less(i: number, j: number): boolean {
    const ti = this.#times[i], tj = this.#times[j];
    return ti < tj || (ti === tj && this.#seqs[i] < this.#seqs[j]);
  }

  #swap(i: number, j: number): void {
    // Plain temporaries: a destructuring swap allocates when V8 does not optimise it away.
    const t = this.#times, s = this.#seqs, d = this.#ids;
    const ti = t[i], si = s[i], di = d[i];
    t[i] = t[j];
    t[j] = ti;
    s[i] = s[j];
    s[j] = si;
    d[i] = d[j];
    d[j] = di;
  }

  #push(time: number, seq: number, id: number): void {
    this.#times.push(time);
    this.#seqs.push(seq);
    this.#ids.push(id);
    let i = this.#times.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
    if (time < this.nextEventAt) this.nextEventAt = time;
  }

  #pop(): void {
    const last = this.#times.length - 1;
    this.#swap(0, last);
    this.#times.pop();
    this.#seqs.pop();
    this.#ids.pop();
    let i = 0;
    const n = this.#times.length;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < n && this.#less(l, m)) m = l;
      if (r < n && this.#less(r, m)) m = r;
      if (m === i) break;
      this.#swap(i, m);
      i = m;
    }
  }
}
