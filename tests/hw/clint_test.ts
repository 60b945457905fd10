import assert from "node:assert/strict";
import { Clint, CLINT_REG } from "../../hw/clint.ts";
import { SimClock } from "../../hw/clock.ts";
import { MIP } from "../../hw/irq.ts";

/** An InterruptSink that records mip and the cycle of each change. */
class MipSink {
  mip = 0;
  log: [number, number, boolean][] = [];
  constructor(readonly clock: SimClock) {}
  setInterruptPending(mask: number, level: boolean): void {
    this.mip = level ? this.mip | mask : this.mip & ~mask;
    this.log.push([this.clock.now, mask, level]);
  }
}

function setup() {
  const clock = new SimClock(100_000_000, 10);
  const sink = new MipSink(clock);
  const clint = new Clint(clock, sink);
  return { clock, sink, clint };
}

Deno.test("clint: reset state: mtimecmp all ones, no interrupts", () => {
  const { clint, sink } = setup();
  assert.equal(clint.read(CLINT_REG.MTIMECMP_LO, 4), 0xffff_ffff);
  assert.equal(clint.read(CLINT_REG.MTIMECMP_HI, 4), 0xffff_ffff);
  assert.equal(clint.read(CLINT_REG.MSIP, 4), 0);
  assert.equal(sink.mip, 0);
});

Deno.test("clint: mtime follows the clock's timebase", () => {
  const { clock, clint } = setup();
  clock.advanceTo(12_345);
  assert.equal(clint.read(CLINT_REG.MTIME_LO, 4), 1234);
  assert.equal(clint.read(CLINT_REG.MTIME_HI, 4), 0);
});

Deno.test("clint: MTIP rises exactly when mtime reaches mtimecmp", () => {
  const { clock, sink, clint } = setup();
  clint.write(CLINT_REG.MTIMECMP_HI, 4, 0);
  clint.write(CLINT_REG.MTIMECMP_LO, 4, 500); // mtime 500 = cycle 5000
  assert.equal(clock.nextEventAt, 5000);
  clock.advanceTo(4999);
  assert.equal(sink.mip & MIP.MTIP, 0);
  clock.advanceTo(5000);
  assert.equal(sink.mip & MIP.MTIP, MIP.MTIP);
  assert.deepEqual(sink.log.at(-1), [5000, MIP.MTIP, true]);
  // Moving the compare into the future clears MTIP and schedules again.
  clint.write(CLINT_REG.MTIMECMP_LO, 4, 600);
  assert.equal(sink.mip & MIP.MTIP, 0);
  assert.equal(clock.nextEventAt, 6000);
  clock.advanceToNextEvent();
  assert.equal(clock.now, 6000);
  assert.equal(sink.mip & MIP.MTIP, MIP.MTIP);
});

Deno.test("clint: rescheduling cancels the earlier compare event", () => {
  const { clock, sink, clint } = setup();
  clint.write(CLINT_REG.MTIMECMP_HI, 4, 0);
  clint.write(CLINT_REG.MTIMECMP_LO, 4, 100);
  clint.write(CLINT_REG.MTIMECMP_LO, 4, 300);
  clock.advanceTo(2000);
  assert.equal(sink.mip, 0);
  assert.equal(clock.pendingCount, 1);
  clock.advanceTo(3000);
  assert.equal(sink.mip, MIP.MTIP);
  assert.equal(sink.log.filter(([, m, l]) => m === MIP.MTIP && l).length, 1);
});

Deno.test("clint: a compare already passed raises MTIP at once", () => {
  const { clock, sink, clint } = setup();
  clock.advanceTo(1000);
  clint.write(CLINT_REG.MTIMECMP_HI, 4, 0);
  clint.write(CLINT_REG.MTIMECMP_LO, 4, 100);
  assert.equal(sink.mip, MIP.MTIP);
});

Deno.test("clint: writing mtime moves the clock offset and the compare event", () => {
  const { clock, sink, clint } = setup();
  clint.write(CLINT_REG.MTIMECMP_HI, 4, 0);
  clint.write(CLINT_REG.MTIMECMP_LO, 4, 1000); // would fire at cycle 10000
  clint.write(CLINT_REG.MTIME_LO, 4, 900); // now mtime 900 at cycle 0
  assert.equal(clock.mtimeOffset, 900);
  assert.equal(clock.nextEventAt, 1000);
  clock.advanceTo(999);
  assert.equal(sink.mip, 0);
  clock.advanceTo(1000);
  assert.equal(sink.mip, MIP.MTIP);
  assert.equal(clint.read(CLINT_REG.MTIME_LO, 4), 1000);
  // High word writes keep the low word.
  clint.write(CLINT_REG.MTIME_HI, 4, 2);
  assert.equal(clint.mtime, 2 * 0x1_0000_0000 + 1000);
  assert.equal(clint.read(CLINT_REG.MTIME_HI, 4), 2);
});

Deno.test("clint: 64-bit compare with a high word", () => {
  const { clock, sink, clint } = setup();
  clint.mtime = 0xffff_fff0;
  clint.write(CLINT_REG.MTIMECMP_LO, 4, 0x10);
  clint.write(CLINT_REG.MTIMECMP_HI, 4, 1); // 0x1_0000_0010: 32 ticks away
  assert.equal(sink.mip, 0);
  clock.advanceTo(319);
  assert.equal(sink.mip, 0);
  clock.advanceTo(320);
  assert.equal(sink.mip, MIP.MTIP);
  assert.equal(clint.read(CLINT_REG.MTIME_LO, 4), 0x10);
  assert.equal(clint.read(CLINT_REG.MTIME_HI, 4), 1);
});

Deno.test("clint: msip drives MSIP; sub-word writes merge", () => {
  const { sink, clint } = setup();
  clint.write(CLINT_REG.MSIP, 4, 0xffff_ffff);
  assert.equal(clint.read(CLINT_REG.MSIP, 4), 1);
  assert.equal(sink.mip, MIP.MSIP);
  clint.write(CLINT_REG.MSIP, 1, 0);
  assert.equal(sink.mip, 0);
  clint.write(CLINT_REG.MTIMECMP_LO, 1, 0x12);
  assert.equal(clint.read(CLINT_REG.MTIMECMP_LO, 4), 0xffff_ff12);
  assert.equal(clint.read(CLINT_REG.MTIMECMP_LO + 1, 1), 0xff);
  assert.equal(clint.read(0x8000, 4), 0);
});
