/**
 * The quantum timer: the trap loop's one-shot supervisor timer (Sstc
 * `stimecmp`). `arm(cycles)` makes it fire at most that many cycles from
 * now, leaving an earlier deadline that is still ahead in place (it fires
 * early, the loop finds slice left and arms again: cheaper than writing
 * `stimecmp` on every switch, since each write reschedules a clock event);
 * `disarm()` stops it while the machine idles.
 *
 * @module
 */

import { CSR } from "../../hw/csr.ts";
import type { SimClock } from "../../hw/clock.ts";
import type { CpuPort } from "./trap_types.ts";

const MAX_U32 = 0xffff_ffff;

/** The supervisor timer the trap loop arms for each slice. */
export class QuantumTimer {
  readonly #cpu: CpuPort;
  readonly #clock: SimClock;
  // The stimecmp value last written (mtime ticks) and its high word.
  #armedTicks = Infinity;
  #armedHi = MAX_U32;
  // The same deadline as a cycle count ((ticks - mtime offset) * divider),
  // and the offset it was computed with.
  #armedCycle = Infinity;
  #armedOffset = 0;

  /**
   * A timer on `cpu`'s `stimecmp`, counted on `clock`.
   *
   * @param cpu the CPU whose CSRs it writes
   * @param clock the machine's clock
   */
  constructor(cpu: CpuPort, clock: SimClock) {
    this.#cpu = cpu;
    this.#clock = clock;
  }

  /**
   * Makes the timer fire at most `cycles` from now (in mtime ticks, rounded
   * up), unless an earlier deadline still ahead is armed.
   *
   * The common case (the armed deadline stays) is this method alone, small
   * enough for V8 to inline into the trap loop's switch; the write of
   * `stimecmp` is `#rearm`.
   *
   * @param cycles the longest wait, in cycles
   */
  arm(cycles: number): void {
    const clock = this.#clock;
    const div = clock.timebaseDivider;
    // The test of `#rearm` without its two divisions, in cycles: the armed
    // deadline is after now (exact), and before the one asked for (a bound:
    // floor(now / div) * div > now - div and the ticks asked for are at
    // least max(div, cycles) cycles). When this says keep, so does the test.
    const armedAt = this.#armedCycle;
    const at = clock.now;
    if (
      armedAt > at && armedAt <= at - div + (cycles > div ? cycles : div) &&
      clock.mtimeOffset === this.#armedOffset
    ) return;
    this.#rearm(cycles);
  }

  /** `arm` past its quick test: the exact test in mtime ticks, then the `stimecmp` write. */
  #rearm(cycles: number): void {
    const clock = this.#clock;
    const div = clock.timebaseDivider;
    const now = clock.mtime;
    const ticks = now + Math.max(1, Math.ceil(cycles / div));
    const armed = this.#armedTicks;
    if (armed > now && armed <= ticks) return;
    const cpu = this.#cpu;
    const hi = Math.floor(ticks / 0x1_0000_0000);
    const lo = ticks % 0x1_0000_0000;
    if (hi === this.#armedHi) {
      cpu.writeCsr(CSR.stimecmp, lo);
    } else {
      // High word to max first, so no transient compare value fires early.
      cpu.writeCsr(CSR.stimecmph, MAX_U32);
      cpu.writeCsr(CSR.stimecmp, lo);
      cpu.writeCsr(CSR.stimecmph, hi);
    }
    this.#armedTicks = ticks;
    this.#armedHi = hi;
    this.#armedOffset = clock.mtimeOffset;
    this.#armedCycle = (ticks - this.#armedOffset) * div;
  }

  /** Stops the timer (no compare value can fire). */
  disarm(): void {
    if (this.#armedTicks === Infinity) return;
    this.#cpu.writeCsr(CSR.stimecmph, MAX_U32);
    this.#cpu.writeCsr(CSR.stimecmp, MAX_U32);
    this.#armedTicks = Infinity;
    this.#armedHi = MAX_U32;
    this.#armedCycle = Infinity;
  }
}
