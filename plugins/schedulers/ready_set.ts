/**
 * Building blocks shared by the scheduler plugins: an unordered ready set
 * with arrival order (for ties), and the real-time classes that every policy
 * here puts above ordinary threads the way Linux does (SCHED_FIFO and
 * SCHED_RR by their 1..99 priority; SCHED_DEADLINE where a policy has no
 * deadline rule of its own).
 *
 * Usage: a policy keeps a `ReadySet`, adds on `enqueue`, removes on
 * `remove`, and on `pickNext` calls `take(better)` with its own ordering;
 * `better(a, b)` says whether `a` should run before `b`. Sets are small (the
 * threads ready at one moment), so a linear scan is cheaper than a heap and
 * allocates nothing.
 *
 * @module
 */

import { SCHED, type SchedulerPolicy, type Thread } from "../../kernel/api.ts";

/** Rank of a real-time class: higher runs first; 0 for ordinary threads. */
export function rtRank(t: Thread): number {
  const s = t.sched;
  if (s.policy === SCHED.DEADLINE) return 200;
  if (s.policy === SCHED.FIFO || s.policy === SCHED.RR) return 100 + s.rtPriority;
  return 0;
}

/** A slice for real-time threads: FIFO runs until it blocks or yields (a very long slice). */
export function rtQuantum(t: Thread, defaultQuantum: number): number {
  return t.sched.policy === SCHED.FIFO ? 0x10_0000_0000 : defaultQuantum;
}

/** The unordered ready set of one policy, with an arrival sequence for FIFO ties. */
export class ReadySet {
  readonly #items: Thread[] = [];
  readonly #seq: number[] = [];
  #next = 0;

  /** Ready threads. */
  get size(): number {
    return this.#items.length;
  }

  /** Adds `t` (once); `front` gives it the oldest arrival (a preempted FIFO thread keeps its place). */
  add(t: Thread, front = false): void {
    if (t.schedData === this) return;
    t.schedData = this;
    this.#items.push(t);
    this.#seq.push(front ? -++this.#next : ++this.#next);
  }

  /** Takes `t` out if present. */
  remove(t: Thread): void {
    if (t.schedData !== this) return;
    const i = this.#items.indexOf(t);
    if (i >= 0) this.#drop(i);
    t.schedData = null;
  }

  /** Every ready thread, in arrival order (for aging and migration; does not remove). */
  forEach(f: (t: Thread) => void): void {
    for (const t of this.#items) f(t);
  }

  /**
   * Removes and returns the thread that `better` ranks first (real-time
   * classes first, then `better`, then arrival order), or null when empty.
   */
  take(better: (a: Thread, b: Thread) => number): Thread | null {
    const items = this.#items, seq = this.#seq;
    if (items.length === 0) return null;
    let best = 0;
    for (let i = 1; i < items.length; i++) {
      const a = items[i], b = items[best];
      const r = rtRank(a) - rtRank(b);
      const c = r !== 0 ? r : better(a, b);
      if (c > 0 || (c === 0 && seq[i] < seq[best])) best = i;
    }
    const t = items[best];
    this.#drop(best);
    t.schedData = null;
    return t;
  }

  /** Removes and returns everything in arrival order. */
  drain(): Thread[] {
    const order = this.#items.map((t, i) => ({ t, s: this.#seq[i] })).sort((a, b) => a.s - b.s);
    for (const { t } of order) t.schedData = null;
    this.#items.length = 0;
    this.#seq.length = 0;
    return order.map((o) => o.t);
  }

  #drop(i: number): void {
    const last = this.#items.length - 1;
    this.#items[i] = this.#items[last];
    this.#seq[i] = this.#seq[last];
    this.#items.pop();
    this.#seq.pop();
  }
}

/** True when `ready` should preempt `running` because of its real-time class alone. */
export function rtPreempts(ready: Thread, running: Thread): boolean {
  return rtRank(ready) > rtRank(running);
}

/**
 * The common part of the policies here: a {@link ReadySet}, real-time
 * slices, and preemption by a better real-time class. A policy supplies its
 * name and `pickNext`, and overrides what it does differently.
 */
export abstract class ReadySetPolicy implements SchedulerPolicy {
  /** Policy name. */
  abstract readonly name: string;
  /** The ready threads. */
  protected readonly ready: ReadySet = new ReadySet();

  /** Ready threads. */
  get readyCount(): number {
    return this.ready.size;
  }

  /** Adds a ready thread. */
  enqueue(t: Thread, _reason: number): void {
    this.ready.add(t);
  }

  /** Removes a thread that is no longer ready. */
  remove(t: Thread): void {
    this.ready.remove(t);
  }

  /** Removes and returns the thread to run next. */
  abstract pickNext(now: number): Thread | null;

  /** The boot quantum (FIFO threads: until they block). */
  quantum(t: Thread, defaultQuantum: number): number {
    return rtQuantum(t, defaultQuantum);
  }

  /** Only a better real-time class preempts. */
  preempts(ready: Thread, running: Thread): boolean {
    return rtPreempts(ready, running);
  }

  /** Everything ready, oldest first. */
  drain(): Thread[] {
    return this.ready.drain();
  }
}
