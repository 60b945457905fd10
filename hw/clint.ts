/**
 * Core-Local Interruptor (CLINT) for one hart, in the SiFive / QEMU `virt`
 * layout: `msip` at 0x0000, `mtimecmp` at 0x4000 (low word, high word at
 * 0x4004) and `mtime` at 0xBFF8 (low, high at 0xBFFC).
 *
 * `mtime` is the clock's platform timer ({@link SimClock.mtime}); writing it
 * moves {@link SimClock.mtimeOffset}. MTIP is level: high exactly while
 * `mtime >= mtimecmp`. Rather than comparing on every tick, the CLINT
 * schedules one clock event at the cycle where `mtime` reaches `mtimecmp`
 * and reschedules it whenever either register is written.
 *
 * @module
 */

import type { AccessWidth, MmioDevice } from "./bus.ts";
import type { EventId, SimClock } from "./clock.ts";
import { type InterruptSink, MIP } from "./irq.ts";

/** Register offsets of the CLINT. */
export const CLINT_REG = {
  /** Machine software interrupt pending for hart 0 (bit 0). */
  MSIP: 0x0000,
  /** Low word of hart 0's `mtimecmp`. */
  MTIMECMP_LO: 0x4000,
  /** High word of hart 0's `mtimecmp`. */
  MTIMECMP_HI: 0x4004,
  /** Low word of `mtime`. */
  MTIME_LO: 0xbff8,
  /** High word of `mtime`. */
  MTIME_HI: 0xbffc,
} as const;

const TWO_32 = 0x1_0000_0000;

/**
 * The CLINT: software interrupt and timer compare for hart 0, driving MSIP
 * and MTIP on the {@link InterruptSink}.
 */
export class Clint implements MmioDevice {
  /** Device name on the bus. */
  readonly name = "clint";
  readonly #clock: SimClock;
  readonly #sink: InterruptSink;
  #msip = 0;
  // mtimecmp is kept as two 32-bit halves: its reset value (all ones) is beyond 2^53.
  #cmpLo = 0xffff_ffff;
  #cmpHi = 0xffff_ffff;
  #mtip = false;
  #event: EventId = 0;
  readonly #fire = (): void => {
    this.#event = 0;
    this.#setMtip(true);
  };

  /** Creates a CLINT on `clock` that drives MSIP/MTIP on `sink`. */
  constructor(clock: SimClock, sink: InterruptSink) {
    this.#clock = clock;
    this.#sink = sink;
  }

  /** The current `mtime` value. */
  get mtime(): number {
    return this.#clock.mtime;
  }

  /** Sets `mtime` (through the clock's offset) and re-evaluates MTIP. */
  set mtime(value: number) {
    const clock = this.#clock;
    clock.mtimeOffset = value - Math.floor(clock.now / clock.timebaseDivider);
    this.#rearm();
  }

  /** `mtimecmp` as a number (values above 2^53 are rounded but never reached). */
  get mtimecmp(): number {
    return this.#cmpHi * TWO_32 + this.#cmpLo;
  }

  /** Sets `mtimecmp` and re-evaluates MTIP. */
  set mtimecmp(value: number) {
    this.#cmpLo = value % TWO_32 >>> 0;
    this.#cmpHi = Math.floor(value / TWO_32) >>> 0;
    this.#rearm();
  }

  /** True while the timer interrupt is pending. */
  get mtip(): boolean {
    return this.#mtip;
  }

  /** True while the software interrupt is pending. */
  get msip(): boolean {
    return this.#msip !== 0;
  }

  /** Resets msip to 0 and mtimecmp to all ones (no timer interrupt). */
  reset(): void {
    this.#setMsip(0);
    this.#cmpLo = 0xffff_ffff;
    this.#cmpHi = 0xffff_ffff;
    this.#rearm();
  }

  /** Reads a register; sub-word reads return the addressed bytes of the word. */
  read(offset: number, width: AccessWidth): number {
    const word = this.#readWord(offset & ~3);
    if (width === 4) return word >>> 0;
    const shift = (offset & 3) * 8;
    return (word >>> shift) & (width === 1 ? 0xff : 0xffff);
  }

  /** Writes a register; sub-word writes merge into the addressed word. */
  write(offset: number, width: AccessWidth, value: number): void {
    const aligned = offset & ~3;
    let word = value >>> 0;
    if (width !== 4) {
      const shift = (offset & 3) * 8;
      const mask = (width === 1 ? 0xff : 0xffff) << shift;
      word = ((this.#readWord(aligned) & ~mask) | ((value << shift) & mask)) >>> 0;
    }
    switch (aligned) {
      case CLINT_REG.MSIP:
        this.#setMsip(word & 1);
        return;
      case CLINT_REG.MTIMECMP_LO:
        this.#cmpLo = word;
        this.#rearm();
        return;
      case CLINT_REG.MTIMECMP_HI:
        this.#cmpHi = word;
        this.#rearm();
        return;
      case CLINT_REG.MTIME_LO: {
        const hi = Math.floor(this.#clock.mtime / TWO_32);
        this.mtime = hi * TWO_32 + word;
        return;
      }
      case CLINT_REG.MTIME_HI:
        this.mtime = word * TWO_32 + (this.#clock.mtime % TWO_32);
        return;
    }
  }

  #readWord(offset: number): number {
    switch (offset) {
      case CLINT_REG.MSIP:
        return this.#msip;
      case CLINT_REG.MTIMECMP_LO:
        return this.#cmpLo;
      case CLINT_REG.MTIMECMP_HI:
        return this.#cmpHi;
      case CLINT_REG.MTIME_LO:
        return this.#clock.mtime % TWO_32 >>> 0;
      case CLINT_REG.MTIME_HI:
        return Math.floor(this.#clock.mtime / TWO_32) >>> 0;
      default:
        return 0;
    }
  }

  #setMsip(bit: number): void {
    if (bit === this.#msip) return;
    this.#msip = bit;
    this.#sink.setInterruptPending(MIP.MSIP, bit !== 0);
  }

  #setMtip(level: boolean): void {
    if (level === this.#mtip) return;
    this.#mtip = level;
    this.#sink.setInterruptPending(MIP.MTIP, level);
  }

  /** Drops any pending compare event and computes MTIP afresh. */
  #rearm(): void {
    const clock = this.#clock;
    if (this.#event !== 0) {
      clock.cancel(this.#event);
      this.#event = 0;
    }
    const cmp = this.mtimecmp;
    if (clock.mtime >= cmp) {
      this.#setMtip(true);
      return;
    }
    this.#setMtip(false);
    // Compares beyond exact integer range are never reached in practice.
    if (cmp <= Number.MAX_SAFE_INTEGER) {
      const at = clock.cycleForMtime(cmp);
      if (Number.isSafeInteger(at)) this.#event = clock.scheduleAt(at, this.#fire);
    }
  }
}
