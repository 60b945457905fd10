/**
 * Multi-level feedback queue, with the rules of the OSTEP book:
 *
 * 1. a thread at a higher level runs before one at a lower level;
 * 2. threads at the same level take turns (round robin);
 * 3. a new thread starts at the top level;
 * 4. once a thread has used its allotment at a level (however many times it
 *    gave up the CPU on the way), it moves down one level;
 * 5. every boost period, every thread moves back to the top level.
 *
 * Level k's slice is `quantum << k` and its allotment twice that. Real-time
 * threads (SCHED_FIFO/RR, SCHED_DEADLINE) run before every level.
 *
 * @module
 */

import { EnqueueReason, type Thread } from "../../kernel/api.ts";
import { policyModule } from "./policy_module.ts";
import { ReadySetPolicy, rtPreempts, rtQuantum, rtRank } from "./ready_set.ts";

/** Number of levels. */
export const MLFQ_LEVELS = 3;
/** Boost period, in quanta of the top level. */
export const BOOST_QUANTA = 50;

/** The multi-level feedback queue. */
export class MlfqPolicy extends ReadySetPolicy {
  /** Policy name. */
  override readonly name: string = "mlfq";
  #quantum = 0;
  #nextBoost = -1;
  /** Boost epoch: a thread whose `pass` is older than this is moved to the top when seen. */
  #epoch = 1;

  /** Rule 3 for new threads; rule 5 applied lazily by epoch. */
  override enqueue(t: Thread, reason: number): void {
    const s = t.sched;
    const fresh = reason === EnqueueReason.NEW || reason === EnqueueReason.MIGRATE;
    if (fresh || s.pass < this.#epoch) {
      s.level = 0;
      s.used = 0;
    }
    s.pass = this.#epoch;
    this.ready.add(t);
  }

  /** Highest level first, round robin within it. */
  override pickNext(now: number): Thread | null {
    if (this.#quantum > 0) {
      if (this.#nextBoost < 0) this.#nextBoost = now + this.#quantum * BOOST_QUANTA;
      if (now >= this.#nextBoost) this.#boost(now);
    }
    return this.ready.take((a, b) => b.sched.level - a.sched.level);
  }

  #boost(now: number): void {
    this.#epoch++;
    this.#nextBoost = now + this.#quantum * BOOST_QUANTA;
    this.ready.forEach((t) => {
      t.sched.level = 0;
      t.sched.used = 0;
      t.sched.pass = this.#epoch;
    });
  }

  /** Level k's slice: the quantum doubled k times. */
  override quantum(t: Thread, defaultQuantum: number): number {
    this.#quantum = defaultQuantum;
    if (rtRank(t) > 0) return rtQuantum(t, defaultQuantum);
    const s = t.sched;
    if (s.pass < this.#epoch) {
      s.level = 0;
      s.used = 0;
      s.pass = this.#epoch;
    }
    return defaultQuantum << s.level;
  }

  /** Rule 4: charge the allotment; demote when it is used up. */
  charge(t: Thread, cycles: number): void {
    const s = t.sched;
    if (rtRank(t) > 0 || this.#quantum <= 0) return;
    s.used += cycles;
    if (s.used >= (this.#quantum << s.level) * 2 && s.level < MLFQ_LEVELS - 1) {
      s.level++;
      s.used = 0;
    }
  }

  /** Real-time classes, or a thread at a higher level, preempt. */
  override preempts(ready: Thread, running: Thread): boolean {
    if (rtRank(ready) !== rtRank(running)) return rtPreempts(ready, running);
    return rtRank(ready) === 0 && ready.sched.level < running.sched.level;
  }
}

/** The module: installs {@link MlfqPolicy}. */
export const module = policyModule(
  "mlfq",
  "multi-level feedback queue (OSTEP rules) with periodic boost",
  () => new MlfqPolicy(),
);
