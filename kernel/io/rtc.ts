/**
 * The kernel's RTC service: reads the real-time clock once at boot to set the
 * wall-clock epoch; simulated time runs on from there (`docs/kernel.md`).
 * The kernel claims the RTC window, so no module can.
 *
 * @module
 */

import type { Bus } from "../../hw/bus.ts";
import { MEMORY_MAP } from "../../hw/memory_map.ts";
import { RTC_REG } from "../../hw/rtc.ts";

/**
 * Reads the RTC's time (ns since the Unix epoch). The low word is read first:
 * that latches the high word, so the two halves belong together.
 *
 * @param bus The system bus the RTC sits on.
 * @returns Nanoseconds since 1970-01-01 UTC.
 */
export function readRtcNs(bus: Bus): bigint {
  const lo = bus.read(MEMORY_MAP.RTC_BASE + RTC_REG.TIME_LOW, 4);
  const hi = bus.read(MEMORY_MAP.RTC_BASE + RTC_REG.TIME_HIGH, 4);
  return (BigInt(hi) << 32n) | BigInt(lo);
}
