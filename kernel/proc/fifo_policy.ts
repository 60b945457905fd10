/**
 * The kernel's built-in fallback policy: first come, first served with the
 * boot quantum. It schedules only until a scheduler module installs the real
 * policy (the boot configuration loads `round_robin`), and again if the
 * active policy's module is force-unloaded.
 *
 * @module
 */

import type { Thread } from "./process.ts";
import type { SchedulerPolicy } from "./scheduler.ts";

/** FIFO ready queue with the default quantum. */
export class FifoPolicy implements SchedulerPolicy {
  /** Policy name. */
  readonly name: string = "fifo";
  // A ring buffer (power-of-two size, grown by doubling) so that enqueueing
  // and picking allocate nothing on a context switch. Removed threads leave
  // a null slot that pickNext skips.
  #q: (Thread | null)[] = new Array<Thread | null>(16).fill(null);
  #head = 0;
  #slots = 0;
  #count = 0;

  /** Ready threads. */
  get readyCount(): number {
    return this.#count;
  }

  /** Appends `t` (once). */
  enqueue(t: Thread, _reason: number): void {
    if (t.schedData === this) return;
    t.schedData = this;
    if (this.#slots === this.#q.length) this.#grow();
    const q = this.#q;
    q[(this.#head + this.#slots) & (q.length - 1)] = t;
    this.#slots++;
    this.#count++;
  }

  /** Takes `t` out if queued. */
  remove(t: Thread): void {
    if (t.schedData !== this) return;
    const q = this.#q, mask = q.length - 1;
    for (let k = 0; k < this.#slots; k++) {
      const i = (this.#head + k) & mask;
      if (q[i] === t) {
        q[i] = null;
        break;
      }
    }
    t.schedData = null;
    this.#count--;
  }

  /** Oldest ready thread. */
  pickNext(_now: number): Thread | null {
    const q = this.#q, mask = q.length - 1;
    while (this.#slots > 0) {
      const t = q[this.#head];
      q[this.#head] = null;
      this.#head = (this.#head + 1) & mask;
      this.#slots--;
      if (t !== null) {
        t.schedData = null;
        this.#count--;
        return t;
      }
    }
    return null;
  }

  #grow(): void {
    const old = this.#q, mask = old.length - 1;
    const q = new Array<Thread | null>(old.length * 2).fill(null);
    for (let k = 0; k < this.#slots; k++) q[k] = old[(this.#head + k) & mask];
    this.#q = q;
    this.#head = 0;
  }

  /** The default quantum. */
  quantum(_t: Thread, defaultQuantum: number): number {
    return defaultQuantum;
  }

  /** Empties the queue in order. */
  drain(): Thread[] {
    const out: Thread[] = [];
    for (let t = this.pickNext(0); t !== null; t = this.pickNext(0)) out.push(t);
    return out;
  }
}
