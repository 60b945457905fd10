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
  #q: (Thread | null)[] = [];
  #head = 0;
  #count = 0;

  /** Ready threads. */
  get readyCount(): number {
    return this.#count;
  }

  /** Appends `t` (once). */
  enqueue(t: Thread, _reason: number): void {
    if (t.schedData === this) return;
    t.schedData = this;
    this.#q.push(t);
    this.#count++;
  }

  /** Takes `t` out if queued. */
  remove(t: Thread): void {
    if (t.schedData !== this) return;
    const i = this.#q.indexOf(t, this.#head);
    if (i >= 0) this.#q[i] = null;
    t.schedData = null;
    this.#count--;
  }

  /** Oldest ready thread. */
  pickNext(_now: number): Thread | null {
    const q = this.#q;
    while (this.#head < q.length) {
      const t = q[this.#head++];
      if (t !== null) {
        t.schedData = null;
        this.#count--;
        if (this.#head > 256 && this.#head * 2 > q.length) {
          this.#q = q.slice(this.#head);
          this.#head = 0;
        }
        return t;
      }
    }
    this.#q = [];
    this.#head = 0;
    return null;
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
