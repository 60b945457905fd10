/**
 * Real-time clock with Goldfish-RTC-style registers: nanoseconds since the
 * Unix epoch, a one-shot alarm and an interrupt.
 *
 * The wall-clock time starts at a configured epoch (the machine passes host
 * time by default, tests a fixed value) and then advances with simulated
 * time, so a run is deterministic once its start time is fixed.
 *
 * Register map (32-bit registers):
 *
 * | offset | register        | access | meaning                                        |
 * | ------ | --------------- | ------ | ---------------------------------------------- |
 * | 0x00   | TIME_LOW        | R/W    | low word of the time; a read latches TIME_HIGH |
 * | 0x04   | TIME_HIGH       | R/W    | high word latched by the last TIME_LOW read    |
 * | 0x08   | ALARM_LOW       | R/W    | low word of the alarm; a write arms the alarm  |
 * | 0x0C   | ALARM_HIGH      | R/W    | high word of the alarm                         |
 * | 0x10   | IRQ_ENABLED     | R/W    | bit 0: alarm raises the interrupt line         |
 * | 0x14   | CLEAR_ALARM     | W      | disarms the alarm                              |
 * | 0x18   | ALARM_STATUS    | R      | bit 0: alarm armed                             |
 * | 0x1C   | CLEAR_INTERRUPT | W      | acknowledges the interrupt                     |
 *
 * @module
 */

import type { AccessWidth, MmioDevice } from "./bus.ts";
import type { EventId, SimClock } from "./clock.ts";
import type { IrqLine } from "./irq.ts";

/** Register offsets of the RTC. */
export const RTC_REG = {
  /** Low word of the current time (read latches the high word). */
  TIME_LOW: 0x00,
  /** High word of the time as latched by the last TIME_LOW read. */
  TIME_HIGH: 0x04,
  /** Low word of the alarm time; writing it arms the alarm. */
  ALARM_LOW: 0x08,
  /** High word of the alarm time. */
  ALARM_HIGH: 0x0c,
  /** Bit 0 enables the alarm interrupt. */
  IRQ_ENABLED: 0x10,
  /** Any write disarms the alarm. */
  CLEAR_ALARM: 0x14,
  /** Bit 0 reads 1 while the alarm is armed. */
  ALARM_STATUS: 0x18,
  /** Any write clears the pending interrupt. */
  CLEAR_INTERRUPT: 0x1c,
} as const;

const NS_PER_S = 1_000_000_000n;
const MASK32 = 0xffff_ffffn;

/** Options of {@link Rtc}. */
export interface RtcOptions {
  /** The simulated clock. */
  clock: SimClock;
  /** The interrupt line (a PLIC source). */
  irq: IrqLine;
  /** Wall-clock time at simulated cycle 0, in nanoseconds since the Unix epoch. */
  epochNs: bigint;
}

/** The real-time clock. */
export class Rtc implements MmioDevice {
  /** Device name on the bus. */
  readonly name = "rtc";
  /** Number of alarms that have fired since creation. */
  alarmsFired = 0;
  readonly #clock: SimClock;
  readonly #irq: IrqLine;
  readonly #freq: bigint;
  // Wall-clock time at cycle 0; writes to the time registers move it.
  #baseNs: bigint;
  #latchedHigh = 0;
  #alarmNs = 0n;
  #alarmHigh = 0;
  #armed = false;
  #irqEnabled = false;
  #irqPending = false;
  #irqLevel = false;
  #event: EventId = 0;
  readonly #fire = (): void => {
    this.#event = 0;
    this.#ring();
  };

  /** Creates the RTC. */
  constructor(options: RtcOptions) {
    this.#clock = options.clock;
    this.#irq = options.irq;
    // The cycle/ns conversion is exact in bigint arithmetic on an integer frequency.
    this.#freq = BigInt(Math.max(1, Math.round(options.clock.frequency)));
    this.#baseNs = options.epochNs;
  }

  /** Current wall-clock time in nanoseconds since the Unix epoch. */
  get nowNs(): bigint {
    return this.#baseNs + BigInt(this.#clock.now) * NS_PER_S / this.#freq;
  }

  /** Sets the wall-clock time (as a guest write to TIME_HIGH/TIME_LOW would). */
  set nowNs(ns: bigint) {
    this.#baseNs = ns - BigInt(this.#clock.now) * NS_PER_S / this.#freq;
    if (this.#armed) this.#arm();
  }

  /** The alarm time in nanoseconds since the epoch. */
  get alarmNs(): bigint {
    return this.#alarmNs;
  }

  /** True while the alarm is armed. */
  get alarmArmed(): boolean {
    return this.#armed;
  }

  /** Arms the alarm for `ns` (fires at once if that time has passed). */
  setAlarm(ns: bigint): void {
    this.#alarmNs = ns;
    this.#arm();
  }

  /** Reads a 32-bit register (narrower reads see the addressed bytes). */
  read(offset: number, width: AccessWidth): number {
    const word = this.#readWord(offset & ~3);
    if (width === 4) return word >>> 0;
    const shift = (offset & 3) * 8;
    return (word >>> shift) & (width === 1 ? 0xff : 0xffff);
  }

  /** Writes a 32-bit register; narrower writes are ignored (the device is word-wide). */
  write(offset: number, width: AccessWidth, value: number): void {
    if (width !== 4 || (offset & 3) !== 0) return;
    const v = BigInt(value >>> 0);
    switch (offset) {
      case RTC_REG.TIME_LOW:
        this.nowNs = (this.nowNs & ~MASK32) | v;
        return;
      case RTC_REG.TIME_HIGH:
        this.nowNs = (v << 32n) | (this.nowNs & MASK32);
        return;
      case RTC_REG.ALARM_LOW:
        this.setAlarm((BigInt(this.#alarmHigh) << 32n) | v);
        return;
      case RTC_REG.ALARM_HIGH:
        this.#alarmHigh = value >>> 0;
        return;
      case RTC_REG.IRQ_ENABLED:
        this.#irqEnabled = (value & 1) !== 0;
        this.#update();
        return;
      case RTC_REG.CLEAR_ALARM:
        this.#disarm();
        return;
      case RTC_REG.CLEAR_INTERRUPT:
        this.#irqPending = false;
        this.#update();
        return;
    }
  }

  #readWord(offset: number): number {
    switch (offset) {
      case RTC_REG.TIME_LOW: {
        const t = this.nowNs;
        this.#latchedHigh = Number((t >> 32n) & MASK32);
        return Number(t & MASK32);
      }
      case RTC_REG.TIME_HIGH:
        return this.#latchedHigh;
      case RTC_REG.ALARM_LOW:
        return Number(this.#alarmNs & MASK32);
      case RTC_REG.ALARM_HIGH:
        return Number((this.#alarmNs >> 32n) & MASK32);
      case RTC_REG.IRQ_ENABLED:
        return this.#irqEnabled ? 1 : 0;
      case RTC_REG.ALARM_STATUS:
        return this.#armed ? 1 : 0;
      default:
        return 0;
    }
  }

  #arm(): void {
    this.#disarm();
    this.#armed = true;
    const clock = this.#clock;
    const delta = this.#alarmNs - this.#baseNs;
    // First cycle c with floor(c * 1e9 / f) >= delta.
    const cycle = delta <= 0n ? 0n : (delta * this.#freq + NS_PER_S - 1n) / NS_PER_S;
    if (cycle <= BigInt(clock.now)) {
      this.#ring();
      return;
    }
    // Alarms beyond 2^53 cycles (years at 100 MHz) are armed but never scheduled.
    if (cycle <= BigInt(Number.MAX_SAFE_INTEGER)) {
      this.#event = clock.scheduleAt(Number(cycle), this.#fire);
    }
  }

  #disarm(): void {
    this.#armed = false;
    if (this.#event !== 0) {
      this.#clock.cancel(this.#event);
      this.#event = 0;
    }
  }

  #ring(): void {
    this.#armed = false;
    this.#irqPending = true;
    this.alarmsFired++;
    this.#update();
  }

  #update(): void {
    const level = this.#irqPending && this.#irqEnabled;
    if (level !== this.#irqLevel) {
      this.#irqLevel = level;
      this.#irq.set(level);
    }
  }
}
