/**
 * Round-robin scheduling: one FIFO ready queue; every thread runs for one
 * quantum (the boot configuration's, or the one given to the constructor)
 * and then goes to the back of the queue. A thread that blocks keeps the
 * rest of its slice for its next turn; a woken thread joins the back.
 *
 * @module
 */

import {
  API_VERSION,
  type KernelApi,
  type ModuleDescriptor,
  type SchedulerPolicy,
  type Thread,
} from "../../kernel/api.ts";

/** The round-robin policy. */
export class RoundRobinPolicy implements SchedulerPolicy {
  /** Policy name. */
  readonly name = "round_robin";
  /** Quantum in cycles, or 0 to use the kernel's default. */
  readonly fixedQuantum: number;
  // Ring of queued threads; null marks a removed entry (removal is rare).
  #q: (Thread | null)[] = [];
  #head = 0;
  #count = 0;

  /** Creates the policy; `quantum` 0 means "the boot configuration's quantum". */
  constructor(quantum = 0) {
    this.fixedQuantum = quantum;
  }

  /** Ready threads. */
  get readyCount(): number {
    return this.#count;
  }

  /** Appends `t` to the back of the queue (a thread is queued at most once). */
  enqueue(t: Thread, _reason: number): void {
    if (t.schedData === this) return;
    t.schedData = this;
    this.#q.push(t);
    this.#count++;
  }

  /** Takes `t` out of the queue. */
  remove(t: Thread): void {
    if (t.schedData !== this) return;
    const i = this.#q.indexOf(t, this.#head);
    if (i >= 0) this.#q[i] = null;
    t.schedData = null;
    this.#count--;
  }

  /** The thread at the front of the queue. */
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

  /** Every slice is one quantum. */
  quantum(_t: Thread, defaultQuantum: number): number {
    return this.fixedQuantum > 0 ? this.fixedQuantum : defaultQuantum;
  }

  /** Empties the queue, front first. */
  drain(): Thread[] {
    const out: Thread[] = [];
    for (let t = this.pickNext(0); t !== null; t = this.pickNext(0)) out.push(t);
    return out;
  }
}

/** The scheduler module: installs round robin when loaded. */
export const module: ModuleDescriptor = {
  name: "round_robin",
  version: "1.0.0",
  apiVersion: API_VERSION,
  kind: "scheduler",
  description: "round-robin scheduling with the boot quantum",
  init(api: KernelApi): void {
    api.setScheduler(new RoundRobinPolicy());
  },
  exit(_api: KernelApi): void {
    // The kernel falls back to its FIFO policy when the active policy's module goes away.
  },
};
