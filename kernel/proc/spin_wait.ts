/**
 * Kernel busy-waiting for drivers ({@link ModuleContext.spinWait}): a
 * condition is tested once per poll period of simulated CPU time, and every
 * period is charged as kernel work. A polled register can only change when
 * a clock event fires, so the periods in which no event falls due are
 * charged in one step instead of being iterated on the host: the time spent
 * is exactly what a real poll loop of that period would burn, and host time
 * stays proportional to the number of device events.
 *
 * @module
 */

import type { SimClock } from "../../hw/clock.ts";

/**
 * Polls `cond` every `pollCycles`, charging the time through `charge`, until
 * it holds (answers the cycles spent) or `maxCycles` have passed without it
 * (answers -1). `cond` is tested first without delay.
 */
export function spinWait(
  clock: SimClock,
  charge: (cycles: number) => void,
  cond: () => boolean,
  pollCycles: number,
  maxCycles: number,
): number {
  const poll = Math.max(1, Math.ceil(pollCycles));
  let spent = 0;
  for (;;) {
    if (cond()) return spent;
    if (spent >= maxCycles) return -1;
    const gap = clock.peekNextEventTime() - clock.now;
    // Whole poll periods up to the first poll at or after the next event.
    let step = gap > poll ? Math.ceil(gap / poll) * poll : poll;
    const left = Math.ceil((maxCycles - spent) / poll) * poll;
    if (step > left) step = left;
    charge(step);
    spent += step;
  }
}
