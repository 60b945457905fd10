/**
 * Lottery scheduling (Waldspurger and Weihl): each ready thread holds
 * tickets, and at every decision one ticket is drawn at random; its holder
 * runs for one quantum. A thread's tickets are the CFS weight of its nice
 * value (1024 at nice 0, about 1.25x per step: `nice`, `setpriority` or
 * `sched_setattr`'s `sched_nice` set them), so over time each thread gets
 * CPU in proportion to its tickets. The draw uses a fixed-seed generator,
 * so a run is deterministic. Real-time classes run first.
 *
 * @module
 */

import { niceToWeight, type Thread } from "../../kernel/api.ts";
import { policyModule } from "./policy_module.ts";
import { ReadySetPolicy, rtRank } from "./ready_set.ts";

/** Lottery scheduling with nice-derived tickets. */
export class LotteryPolicy extends ReadySetPolicy {
  /** Policy name. */
  override readonly name: string = "lottery";
  #rng = 0x2545f491;

  /** Draws a winning ticket among the ready threads (real-time threads first). */
  override pickNext(_now: number): Thread | null {
    let rt = false, total = 0;
    this.ready.forEach((t) => {
      if (rtRank(t) > 0) rt = true;
      else total += niceToWeight(t.priority);
    });
    if (rt || total === 0) return this.ready.take(() => 0);
    let winner = this.#next() % total;
    let chosen: Thread | null = null;
    this.ready.forEach((t) => {
      if (chosen !== null) return;
      winner -= niceToWeight(t.priority);
      if (winner < 0) chosen = t;
    });
    const w = chosen as Thread | null;
    if (w !== null) this.ready.remove(w);
    return w;
  }

  /** xorshift32. */
  #next(): number {
    let x = this.#rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#rng = x;
    return x >>> 0;
  }
}

/** The module: installs {@link LotteryPolicy}. */
export const module = policyModule(
  "lottery",
  "lottery scheduling; tickets = CFS weight of the nice value",
  () => new LotteryPolicy(),
);
