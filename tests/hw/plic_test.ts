import assert from "node:assert/strict";
import { MIP } from "../../hw/irq.ts";
import { Plic, PLIC_REG } from "../../hw/plic.ts";

/** An InterruptSink that records mip as a bit mask. */
class MipSink {
  mip = 0;
  setInterruptPending(mask: number, level: boolean): void {
    this.mip = level ? this.mip | mask : this.mip & ~mask;
  }
}

const M = 0, S = 1;
const claimReg = (ctx: number) => PLIC_REG.CLAIM + PLIC_REG.CONTEXT_STRIDE * ctx;
const thresholdReg = (ctx: number) => PLIC_REG.THRESHOLD + PLIC_REG.CONTEXT_STRIDE * ctx;
const enableReg = (ctx: number) => PLIC_REG.ENABLE + PLIC_REG.ENABLE_STRIDE * ctx;

function setup() {
  const sink = new MipSink();
  const plic = new Plic(sink);
  return { sink, plic };
}

Deno.test("plic: priority registers are 3 bits and source 0 is hard-wired", () => {
  const { plic } = setup();
  plic.write(4 * 5, 4, 0xff);
  assert.equal(plic.read(4 * 5, 4), 7);
  plic.write(0, 4, 3);
  assert.equal(plic.read(0, 4), 0);
  plic.write(enableReg(M), 4, 0xffff_ffff);
  assert.equal(plic.read(enableReg(M), 4), 0xffff_fffe);
});

Deno.test("plic: a disabled or zero-priority source does not interrupt", () => {
  const { sink, plic } = setup();
  const line = plic.irqLine(3);
  line.set(true);
  assert.equal(plic.read(PLIC_REG.PENDING, 4), 1 << 3);
  assert.equal(sink.mip, 0); // not enabled
  plic.write(enableReg(M), 4, 1 << 3);
  assert.equal(sink.mip, 0); // priority 0 never exceeds threshold 0
  plic.write(4 * 3, 4, 1);
  assert.equal(sink.mip, MIP.MEIP);
  assert.equal(plic.read(claimReg(S), 4), 0); // context 1 has nothing enabled
});

Deno.test("plic: claim picks highest priority, ties go to lowest id", () => {
  const { sink, plic } = setup();
  plic.write(enableReg(M), 4, (1 << 2) | (1 << 4) | (1 << 6));
  plic.write(4 * 2, 4, 2);
  plic.write(4 * 4, 4, 5);
  plic.write(4 * 6, 4, 5);
  for (const src of [2, 4, 6]) plic.irqLine(src).set(true);
  assert.equal(sink.mip, MIP.MEIP);
  assert.equal(plic.read(claimReg(M), 4), 4);
  assert.equal(plic.read(PLIC_REG.PENDING, 4), (1 << 2) | (1 << 6));
  assert.equal(plic.read(claimReg(M), 4), 6);
  assert.equal(plic.read(claimReg(M), 4), 2);
  assert.equal(sink.mip, 0); // everything in service
  assert.equal(plic.read(claimReg(M), 4), 0);
  assert.deepEqual([...plic.counts.subarray(0, 7)], [0, 0, 1, 0, 1, 0, 1]);
});

Deno.test("plic: threshold masks priorities at or below it", () => {
  const { sink, plic } = setup();
  plic.write(enableReg(M), 4, 1 << 9);
  plic.write(4 * 9, 4, 3);
  plic.irqLine(9).set(true);
  plic.write(thresholdReg(M), 4, 3);
  assert.equal(plic.read(thresholdReg(M), 4), 3);
  assert.equal(sink.mip, 0);
  assert.equal(plic.read(claimReg(M), 4), 0);
  plic.write(thresholdReg(M), 4, 2);
  assert.equal(sink.mip, MIP.MEIP);
  assert.equal(plic.read(claimReg(M), 4), 9);
});

Deno.test("plic: level semantics: pending follows the line, complete re-arms", () => {
  const { sink, plic } = setup();
  const line = plic.irqLine(10);
  plic.write(enableReg(M), 4, 1 << 10);
  plic.write(4 * 10, 4, 1);
  line.set(true);
  line.set(false); // dropped before the claim: no longer pending
  assert.equal(plic.read(PLIC_REG.PENDING, 4), 0);
  assert.equal(sink.mip, 0);
  line.set(true);
  assert.equal(plic.read(claimReg(M), 4), 10);
  assert.equal(sink.mip, 0);
  // Line still high at completion: pending again at once.
  plic.write(claimReg(M), 4, 10);
  assert.equal(sink.mip, MIP.MEIP);
  assert.equal(plic.read(claimReg(M), 4), 10);
  line.set(false);
  plic.write(claimReg(M), 4, 10);
  assert.equal(sink.mip, 0);
  assert.equal(plic.claimed, 0);
  assert.equal(plic.counts[10], 2);
});

Deno.test("plic: completion of a source not enabled for the context is ignored", () => {
  const { plic } = setup();
  plic.write(enableReg(M), 4, 1 << 5);
  plic.write(4 * 5, 4, 1);
  plic.irqLine(5).set(true);
  assert.equal(plic.read(claimReg(M), 4), 5);
  plic.write(claimReg(S), 4, 5); // S context does not have it enabled
  assert.equal(plic.claimed, 1 << 5);
  plic.write(claimReg(M), 4, 5);
  assert.equal(plic.claimed, 0);
});

Deno.test("plic: both contexts drive their own mip bit", () => {
  const { sink, plic } = setup();
  plic.write(4 * 1, 4, 1);
  plic.write(4 * 2, 4, 1);
  plic.write(enableReg(M), 4, 1 << 1);
  plic.write(enableReg(S), 4, 1 << 2);
  assert.equal(plic.read(enableReg(S), 4), 1 << 2);
  plic.irqLine(2).set(true);
  assert.equal(sink.mip, MIP.SEIP);
  plic.irqLine(1).set(true);
  assert.equal(sink.mip, MIP.SEIP | MIP.MEIP);
  assert.equal(plic.read(claimReg(S), 4), 2);
  assert.equal(sink.mip, MIP.MEIP);
  assert.equal(plic.read(claimReg(M), 4), 1);
  assert.equal(sink.mip, 0);
  // A source enabled in both contexts is claimed once, by whoever asks first.
  plic.write(enableReg(S), 4, (1 << 2) | (1 << 1));
  plic.irqLine(2).set(false);
  plic.write(claimReg(M), 4, 1);
  assert.equal(sink.mip, MIP.MEIP | MIP.SEIP);
  assert.equal(plic.read(claimReg(S), 4), 1);
  assert.equal(sink.mip, 0);
});

Deno.test("plic: sub-word reads and bad sources", () => {
  const { plic } = setup();
  plic.write(enableReg(M), 4, 0x1234_5678 & ~1);
  assert.equal(plic.read(enableReg(M) + 2, 2), 0x1234);
  assert.equal(plic.read(enableReg(M) + 1, 1), 0x56);
  plic.write(enableReg(M), 1, 0); // narrow writes are ignored
  assert.equal(plic.read(enableReg(M), 4), 0x1234_5678);
  assert.throws(() => plic.irqLine(0), RangeError);
  assert.throws(() => plic.irqLine(32), RangeError);
  assert.equal(plic.read(0x3000, 4), 0); // hole inside the window
  assert.equal(plic.read(PLIC_REG.THRESHOLD + 5 * PLIC_REG.CONTEXT_STRIDE, 4), 0);
});
