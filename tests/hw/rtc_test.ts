import assert from "node:assert/strict";
import { SimClock } from "../../hw/clock.ts";
import { Rtc, RTC_REG } from "../../hw/rtc.ts";

/** An IRQ line that remembers its level and the cycles at which it rose. */
class RecordingLine {
  level = false;
  rises: number[] = [];
  constructor(readonly clock: SimClock) {}
  set(level: boolean): void {
    if (level && !this.level) this.rises.push(this.clock.now);
    this.level = level;
  }
}

// 2026-01-01T00:00:00Z in nanoseconds.
const EPOCH = 1_767_225_600_000_000_000n;

function setup() {
  const clock = new SimClock(100_000_000, 10);
  const irq = new RecordingLine(clock);
  const rtc = new Rtc({ clock, irq, epochNs: EPOCH });
  return { clock, irq, rtc };
}

/** Reads the 64-bit time as a guest does: TIME_LOW first (latching), then TIME_HIGH. */
function readTime(rtc: Rtc): bigint {
  const lo = BigInt(rtc.read(RTC_REG.TIME_LOW, 4));
  const hi = BigInt(rtc.read(RTC_REG.TIME_HIGH, 4));
  return (hi << 32n) | lo;
}

Deno.test("rtc: time starts at the configured epoch and follows simulated time", () => {
  const { clock, rtc } = setup();
  assert.equal(readTime(rtc), EPOCH);
  clock.advanceTo(150_000_000); // 1.5 s at 100 MHz
  assert.equal(readTime(rtc), EPOCH + 1_500_000_000n);
  clock.advanceTo(150_000_001); // one cycle is 10 ns
  assert.equal(readTime(rtc), EPOCH + 1_500_000_010n);
});

Deno.test("rtc: TIME_HIGH is latched by the TIME_LOW read", () => {
  const { clock, rtc } = setup();
  const lo = rtc.read(RTC_REG.TIME_LOW, 4);
  clock.advanceTo(100_000_000 * 60); // a minute later the high word has moved on
  assert.equal(rtc.read(RTC_REG.TIME_HIGH, 4), Number(EPOCH >> 32n));
  assert.equal(BigInt(lo), EPOCH & 0xffff_ffffn);
  rtc.read(RTC_REG.TIME_LOW, 4);
  assert.equal(rtc.read(RTC_REG.TIME_HIGH, 4), Number((EPOCH + 60_000_000_000n) >> 32n));
});

Deno.test("rtc: guest writes set the time", () => {
  const { clock, rtc } = setup();
  const t = 1_000_000_000_000_000_000n;
  rtc.write(RTC_REG.TIME_HIGH, 4, Number(t >> 32n));
  rtc.write(RTC_REG.TIME_LOW, 4, Number(t & 0xffff_ffffn));
  assert.equal(readTime(rtc), t);
  clock.advanceTo(1000);
  assert.equal(readTime(rtc), t + 10_000n);
});

Deno.test("rtc: alarm raises the IRQ at the right cycle when enabled", () => {
  const { clock, irq, rtc } = setup();
  const alarm = EPOCH + 2_000_005n; // 2 ms + 5 ns: first cycle at or after is 200_001
  rtc.write(RTC_REG.IRQ_ENABLED, 4, 1);
  rtc.write(RTC_REG.ALARM_HIGH, 4, Number(alarm >> 32n));
  rtc.write(RTC_REG.ALARM_LOW, 4, Number(alarm & 0xffff_ffffn));
  assert.equal(rtc.read(RTC_REG.ALARM_STATUS, 4), 1);
  assert.equal(BigInt(rtc.read(RTC_REG.ALARM_HIGH, 4)), alarm >> 32n);
  assert.equal(clock.nextEventAt, 200_001);
  clock.advanceTo(200_000);
  assert.equal(irq.level, false);
  clock.advanceTo(200_001);
  assert.equal(irq.level, true);
  assert.ok(rtc.nowNs >= alarm);
  assert.equal(rtc.read(RTC_REG.ALARM_STATUS, 4), 0);
  rtc.write(RTC_REG.CLEAR_INTERRUPT, 4, 1);
  assert.equal(irq.level, false);
  assert.equal(rtc.alarmsFired, 1);
});

Deno.test("rtc: alarm with the IRQ disabled latches until enabled", () => {
  const { clock, irq, rtc } = setup();
  rtc.setAlarm(EPOCH + 1000n);
  clock.advanceTo(1000);
  assert.equal(irq.level, false);
  rtc.write(RTC_REG.IRQ_ENABLED, 4, 1);
  assert.equal(rtc.read(RTC_REG.IRQ_ENABLED, 4), 1);
  assert.equal(irq.level, true);
  assert.deepEqual(irq.rises, [1000]);
});

Deno.test("rtc: CLEAR_ALARM disarms; a past alarm fires at once", () => {
  const { clock, irq, rtc } = setup();
  rtc.write(RTC_REG.IRQ_ENABLED, 4, 1);
  rtc.setAlarm(EPOCH + 50_000n);
  rtc.write(RTC_REG.CLEAR_ALARM, 4, 1);
  assert.equal(rtc.read(RTC_REG.ALARM_STATUS, 4), 0);
  clock.advanceTo(1_000_000);
  assert.equal(irq.level, false);
  assert.equal(clock.pendingCount, 0);
  rtc.setAlarm(EPOCH);
  assert.equal(irq.level, true);
  assert.deepEqual(irq.rises, [1_000_000]);
});

Deno.test("rtc: setting the time moves an armed alarm", () => {
  const { clock, irq, rtc } = setup();
  rtc.write(RTC_REG.IRQ_ENABLED, 4, 1);
  rtc.setAlarm(EPOCH + 1_000_000n); // cycle 100_000
  rtc.nowNs = EPOCH + 500_000n; // half-way there at cycle 0
  assert.equal(clock.nextEventAt, 50_000);
  clock.advanceTo(50_000);
  assert.equal(irq.level, true);
});

Deno.test("rtc: narrow accesses", () => {
  const { rtc } = setup();
  rtc.write(RTC_REG.IRQ_ENABLED, 1, 1); // ignored: the device is word-wide
  assert.equal(rtc.read(RTC_REG.IRQ_ENABLED, 4), 0);
  const lo = rtc.read(RTC_REG.TIME_LOW, 4);
  assert.equal(rtc.read(RTC_REG.TIME_LOW + 1, 1), (lo >>> 8) & 0xff);
  assert.equal(rtc.read(0x100, 4), 0);
});
