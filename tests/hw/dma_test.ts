import assert from "node:assert/strict";
import { Bus, type MmioDevice } from "../../hw/bus.ts";
import { SimClock } from "../../hw/clock.ts";
import { Ram } from "../../hw/ram.ts";
import {
  DMA_CONFIG,
  DMA_CONTROL,
  DMA_ERROR,
  DMA_ID,
  DMA_REG,
  DMA_STATUS,
  DmaConfigError,
  DmaController,
  type DmaPeripheral,
  type DmaRequestLine,
} from "../../hw/dma.ts";

const RAM = 0x8000_0000;

function setup(bandwidth = 10_000_000) {
  const ram = new Ram(RAM, 1 << 20);
  const bus = new Bus(ram);
  const clock = new SimClock(100_000_000);
  const dma = new DmaController(bus, clock, { bandwidth });
  const irqs: boolean[][] = [];
  for (let i = 0; i < 4; i++) {
    const levels: boolean[] = [];
    irqs.push(levels);
    dma.setIrq(i, { set: (l) => levels.push(l) });
  }
  const reg = (ch: number, r: number) => DMA_REG.CHANNEL_BASE + ch * DMA_REG.CHANNEL_STRIDE + r;
  const program = (
    ch: number,
    p: { maddr: number; daddr?: number; count: number; periph?: number; config?: number },
  ) => {
    dma.write(reg(ch, DMA_REG.MADDR), 4, p.maddr);
    dma.write(reg(ch, DMA_REG.DADDR), 4, p.daddr ?? 0);
    dma.write(reg(ch, DMA_REG.COUNT), 4, p.count);
    dma.write(reg(ch, DMA_REG.PERIPH), 4, p.periph ?? 0);
    dma.write(reg(ch, DMA_REG.CONFIG), 4, p.config ?? 0);
    dma.write(reg(ch, DMA_REG.CONTROL), 4, DMA_CONTROL.START | DMA_CONTROL.IE);
  };
  const run = () => {
    while (clock.advanceToNextEvent()) { /* drain */ }
  };
  return { ram, bus, clock, dma, irqs, reg, program, run };
}

/** A FIFO peripheral that offers or accepts up to `chunk` bytes at a time. */
class FifoPeripheral implements DmaPeripheral {
  readonly name = "fifo";
  data: number[] = [];
  ready = 0;
  line: DmaRequestLine | null = null;
  dmaAvailable(toMemory: boolean): number {
    return toMemory ? Math.min(this.ready, this.data.length) : this.ready;
  }
  dmaRead(dst: Uint8Array, length: number): void {
    for (let i = 0; i < length; i++) dst[i] = this.data.shift()!;
    this.ready -= length;
  }
  dmaWrite(src: Uint8Array, length: number): void {
    for (let i = 0; i < length; i++) this.data.push(src[i]);
    this.ready -= length;
  }
}

Deno.test("dma: identification registers", () => {
  const { dma } = setup();
  assert.equal(dma.read(DMA_REG.ID, 4), DMA_ID);
  assert.equal(dma.read(DMA_REG.CHANNELS, 4), 4);
  assert.equal(dma.read(DMA_REG.BANDWIDTH, 4), 10_000_000);
  assert.throws(
    () => new DmaController(new Bus(new Ram(RAM, 4096)), new SimClock(), { channels: 2 }),
    DmaConfigError,
  );
});

Deno.test("dma: memory to memory copy takes time from the bandwidth and interrupts", () => {
  const { ram, clock, dma, irqs, reg, program, run } = setup(10_000_000);
  for (let i = 0; i < 1000; i++) ram.u8[i] = i & 0xff;
  let written = 0;
  ram.onWrite = (_off, len) => written += len;
  program(1, { maddr: RAM + 0x1000, daddr: RAM, count: 1000, config: DMA_CONFIG.BLOCK });
  // DIR=0 moves device (DADDR) -> memory (MADDR).
  assert.equal(dma.read(reg(1, DMA_REG.STATUS), 4) & DMA_STATUS.BUSY, DMA_STATUS.BUSY);
  run();
  // 1000 bytes at 10 MB/s on a 100 MHz clock = 10 cycles per byte.
  assert.equal(clock.now, 10_000);
  assert.equal(dma.read(reg(1, DMA_REG.STATUS), 4), DMA_STATUS.DONE);
  assert.equal(dma.read(reg(1, DMA_REG.RESIDUAL), 4), 0);
  assert.equal(dma.read(reg(1, DMA_REG.MOVED), 4), 1000);
  assert.deepEqual(ram.u8.subarray(0x1000, 0x1000 + 1000), ram.u8.subarray(0, 1000));
  assert.equal(written, 1000, "RAM writes are reported to the code cache");
  assert.equal(irqs[1].at(-1), true);
  assert.equal(dma.read(DMA_REG.IRQSTAT, 4), 0b10);
  // Acknowledge: W1C on DONE drops the line.
  dma.write(reg(1, DMA_REG.STATUS), 4, DMA_STATUS.DONE);
  assert.equal(irqs[1].at(-1), false);
  assert.equal(dma.read(reg(1, DMA_REG.STATUS), 4), 0);
  assert.equal(dma.stats(1).bytes, 1000);
});

Deno.test("dma: single mode costs more than block mode", () => {
  const a = setup();
  a.program(0, { maddr: RAM + 0x2000, daddr: RAM, count: 4096, config: DMA_CONFIG.BLOCK });
  a.run();
  const b = setup();
  b.program(0, { maddr: RAM + 0x2000, daddr: RAM, count: 4096, config: 0 });
  b.run();
  assert.ok(b.clock.now > a.clock.now, `${b.clock.now} > ${a.clock.now}`);
  assert.equal(b.clock.now - a.clock.now, (4096 / 4) * 2);
});

Deno.test("dma: a hole in the memory side stops with an error and an interrupt", () => {
  const { ram, dma, irqs, reg, program, run } = setup();
  // RAM is 1 MiB: start 16 bytes before its end, so the copy runs into the hole.
  const end = RAM + ram.size;
  program(2, { maddr: end - 16, daddr: RAM, count: 64, config: DMA_CONFIG.BLOCK });
  run();
  const st = dma.read(reg(2, DMA_REG.STATUS), 4);
  assert.equal(st & 0xff, DMA_STATUS.ERROR);
  assert.equal(st >>> 8, DMA_ERROR.MEMORY_FAULT);
  assert.equal(dma.read(reg(2, DMA_REG.FAULTADDR), 4), end >>> 0);
  assert.equal(dma.read(reg(2, DMA_REG.RESIDUAL), 4), 48);
  assert.equal(irqs[2].at(-1), true);
  dma.write(reg(2, DMA_REG.STATUS), 4, DMA_STATUS.ERROR);
  assert.equal(dma.read(reg(2, DMA_REG.STATUS), 4), 0);
  assert.equal(irqs[2].at(-1), false);
});

Deno.test("dma: a hole on the device side reports DEVICE_FAULT", () => {
  const { dma, reg, program, run } = setup();
  program(0, { maddr: RAM, daddr: 0x4000_0000, count: 8, config: DMA_CONFIG.TO_DEVICE });
  run();
  const st = dma.read(reg(0, DMA_REG.STATUS), 4);
  assert.equal(st >>> 8, DMA_ERROR.DEVICE_FAULT);
  assert.equal(dma.read(reg(0, DMA_REG.FAULTADDR), 4), 0x4000_0000);
});

Deno.test("dma: fixed device address feeds a memory-mapped port", () => {
  const { ram, bus, dma, reg, program, run } = setup();
  const got: number[] = [];
  const port: MmioDevice = { name: "port", read: () => 0x5a, write: (_o, _w, v) => got.push(v) };
  bus.map(0x2000_0000, 0x10, port);
  ram.u8.set([1, 2, 3, 4, 5], 0);
  program(0, {
    maddr: RAM,
    daddr: 0x2000_0000,
    count: 5,
    config: DMA_CONFIG.TO_DEVICE | DMA_CONFIG.DFIXED,
  });
  run();
  assert.deepEqual(got, [1, 2, 3, 4, 5]);
  assert.equal(dma.read(reg(0, DMA_REG.DADDR), 4), 0x2000_0000);
  program(1, { maddr: RAM + 0x100, daddr: 0x2000_0000, count: 3, config: DMA_CONFIG.DFIXED });
  run();
  assert.deepEqual([...ram.u8.subarray(0x100, 0x103)], [0x5a, 0x5a, 0x5a]);
});

Deno.test("dma: peripheral transfers wait for the request line", () => {
  const { ram, clock, dma, reg, program, run } = setup();
  const fifo = new FifoPeripheral();
  fifo.line = dma.attach(3, fifo);
  assert.throws(() => dma.attach(3, fifo), DmaConfigError);
  program(0, { maddr: RAM + 0x400, count: 8, periph: 3, config: DMA_CONFIG.BLOCK });
  run();
  assert.equal(dma.read(reg(0, DMA_REG.STATUS), 4), DMA_STATUS.BUSY, "nothing ready yet");
  assert.equal(clock.now, 0);
  fifo.data = [9, 8, 7, 6, 5, 4, 3, 2];
  fifo.ready = 4;
  fifo.line.request();
  run();
  assert.equal(dma.read(reg(0, DMA_REG.RESIDUAL), 4), 4);
  fifo.ready = 4;
  fifo.line.request();
  run();
  assert.equal(dma.read(reg(0, DMA_REG.STATUS), 4), DMA_STATUS.DONE);
  assert.deepEqual([...ram.u8.subarray(0x400, 0x408)], [9, 8, 7, 6, 5, 4, 3, 2]);
  // And the other way.
  fifo.data = [];
  fifo.ready = 100;
  program(1, { maddr: RAM + 0x400, count: 8, periph: 3, config: DMA_CONFIG.TO_DEVICE });
  run();
  assert.deepEqual(fifo.data, [9, 8, 7, 6, 5, 4, 3, 2]);
});

Deno.test("dma: unknown peripheral and abort", () => {
  const { dma, irqs, reg, program, run } = setup();
  program(0, { maddr: RAM, count: 8, periph: 5 });
  assert.equal(dma.read(reg(0, DMA_REG.STATUS), 4) >>> 8, DMA_ERROR.NO_PERIPHERAL);
  program(1, { maddr: RAM, daddr: RAM + 0x1000, count: 4096 });
  dma.write(reg(1, DMA_REG.CONTROL), 4, DMA_CONTROL.ABORT | DMA_CONTROL.IE);
  run();
  assert.equal(dma.read(reg(1, DMA_REG.STATUS), 4), DMA_STATUS.ABORTED);
  assert.equal(dma.read(reg(1, DMA_REG.RESIDUAL), 4), 4096);
  assert.equal(irqs[1].at(-1), true);
  assert.equal(dma.stats(1).aborts, 1);
});

Deno.test("dma: without IE the line stays low; registers are frozen while busy", () => {
  const { dma, irqs, reg, run } = setup();
  dma.write(reg(3, DMA_REG.MADDR), 4, RAM);
  dma.write(reg(3, DMA_REG.DADDR), 4, RAM + 0x800);
  dma.write(reg(3, DMA_REG.COUNT), 4, 16);
  dma.write(reg(3, DMA_REG.CONTROL), 4, DMA_CONTROL.START);
  dma.write(reg(3, DMA_REG.COUNT), 4, 9999);
  assert.equal(dma.read(reg(3, DMA_REG.COUNT), 4), 16);
  run();
  assert.equal(dma.read(reg(3, DMA_REG.STATUS), 4), DMA_STATUS.DONE);
  assert.ok(!irqs[3].includes(true));
});

Deno.test("dma: the same program gives the same cycle counts", () => {
  const once = () => {
    const s = setup(33_000_000);
    s.program(0, { maddr: RAM, daddr: RAM + 0x8000, count: 10_000 });
    s.program(1, {
      maddr: RAM + 0x4000,
      daddr: RAM + 0x9000,
      count: 777,
      config: DMA_CONFIG.BLOCK,
    });
    const ends: number[] = [];
    while (s.clock.advanceToNextEvent()) ends.push(s.clock.now);
    return ends;
  };
  assert.deepEqual(once(), once());
});
