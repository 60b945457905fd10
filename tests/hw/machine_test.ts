import assert from "node:assert/strict";
import { BufferConsole } from "../../hw/console_io.ts";
import { CSR } from "../../hw/csr.ts";
import { MIP } from "../../hw/irq.ts";
import { createMachine, type MachineConfig, MachineConfigError } from "../../hw/machine.ts";
import { IRQ, MEMORY_MAP } from "../../hw/memory_map.ts";
import { PLIC_REG } from "../../hw/plic.ts";
import { RTC_REG } from "../../hw/rtc.ts";
import { UART_IER, UART_REG } from "../../hw/uart.ts";

const EPOCH = 1_767_225_600_000_000_000n;

Deno.test("machine: defaults and the memory map", () => {
  const m = createMachine({ rtcEpochNs: EPOCH });
  assert.equal(m.ram.size, MEMORY_MAP.RAM_SIZE_DEFAULT);
  assert.equal(m.ram.base, MEMORY_MAP.RAM_BASE);
  assert.equal(m.clock.frequency, 100_000_000);
  assert.equal(m.clock.timebaseDivider, 10);
  assert.ok(m.console instanceof BufferConsole);
  assert.equal(m.config.uartClockHz, 1_843_200);
  const at = (a: number) => m.bus.findDevice(a)?.device;
  assert.equal(at(MEMORY_MAP.CLINT_BASE), m.clint);
  assert.equal(at(MEMORY_MAP.PLIC_BASE + MEMORY_MAP.PLIC_SIZE - 4), m.plic);
  assert.equal(at(MEMORY_MAP.UART0_BASE + 7), m.uart);
  assert.equal(at(MEMORY_MAP.RTC_BASE), m.rtc);
  assert.equal(at(MEMORY_MAP.DMA_BASE), m.storage.dma);
  assert.equal(at(MEMORY_MAP.TAPE_BASE), m.storage.tape);
  assert.equal(m.storage.disks.length, 0);
  assert.deepEqual(
    m.bus.mappings.map((x) => x.device.name).slice(0, 4),
    ["clint", "plic", "uart16550", "rtc"],
  );
  m.close();
});

Deno.test("machine: storage config attaches disks at their addresses", () => {
  const m = createMachine({
    rtcEpochNs: EPOCH,
    storage: { disks: [{ sizeBytes: 1 << 20 }, { sizeBytes: 2 << 20 }], tape: null },
  });
  assert.equal(m.storage.disks.length, 2);
  const at = (a: number) => m.bus.findDevice(a)?.device;
  assert.equal(at(MEMORY_MAP.DISK_BASE), m.storage.disks[0]);
  assert.equal(at(MEMORY_MAP.DISK_BASE + MEMORY_MAP.DISK_STRIDE), m.storage.disks[1]);
  assert.equal(m.storage.tape, null);
  assert.equal(at(MEMORY_MAP.TAPE_BASE), undefined);
  m.close();
});

Deno.test("machine: host time is the default RTC epoch", () => {
  const before = BigInt(Date.now()) * 1_000_000n;
  const m = createMachine({ ramSize: 1 << 20 });
  const after = BigInt(Date.now()) * 1_000_000n;
  assert.ok(m.config.rtcEpochNs >= before && m.config.rtcEpochNs <= after);
});

Deno.test("machine: configuration errors are MachineConfigError with a clear message", () => {
  const bad: [MachineConfig, RegExp][] = [
    [{ ramSize: 1_000_000 }, /multiple of 4 KiB/],
    [{ ramSize: 512 * 1024 }, /between 1 MiB and 1 GiB/],
    [{ ramSize: 2 * 1024 * 1024 * 1024 }, /between 1 MiB and 1 GiB/],
    [{ ramSize: Number.NaN }, /ramSize/],
    [{ frequency: 0 }, /frequency/],
    [{ frequency: -100 }, /frequency/],
    [{ frequency: 1.5e6 + 0.5 }, /frequency/],
    [{ frequency: Infinity }, /frequency/],
    [{ timebaseDivider: 0 }, /timebaseDivider/],
    [{ timebaseDivider: 2.5 }, /timebaseDivider/],
    [{ frequency: 100, timebaseDivider: 1000 }, /timebaseDivider/],
    [{ rtcEpochNs: -1n }, /rtcEpochNs/],
    [{ rtcEpochNs: 5 as unknown as bigint }, /rtcEpochNs/],
    [{ uartClockHz: 0 }, /uartClockHz/],
    [{ console: {} as unknown as BufferConsole }, /ConsoleIo/],
    [{ ramsize: 4096 } as unknown as MachineConfig, /unknown machine config key "ramsize"/],
  ];
  for (const [config, message] of bad) {
    assert.throws(() => createMachine(config), (e: unknown) => {
      assert.ok(e instanceof MachineConfigError, `${Object.keys(config)}: ${e}`);
      assert.equal(e.name, "MachineConfigError");
      assert.match(e.message, message);
      return true;
    });
  }
  const m = createMachine({ ramSize: 1 << 30, frequency: 1000, timebaseDivider: 1000 });
  assert.equal(m.ram.size, 1 << 30);
});

Deno.test("machine: devices answer on the bus", () => {
  const m = createMachine({ ramSize: 1 << 20, rtcEpochNs: EPOCH });
  const uart = MEMORY_MAP.UART0_BASE;
  m.bus.write(uart + UART_REG.LCR, 1, 0x03);
  m.bus.write(uart + UART_REG.THR, 1, 0x4f);
  m.bus.write(uart + UART_REG.THR, 1, 0x4b);
  m.clock.advanceTo(2 * 8681);
  assert.equal((m.console as BufferConsole).text, "OK");
  const lo = BigInt(m.bus.read(MEMORY_MAP.RTC_BASE + RTC_REG.TIME_LOW, 4));
  const hi = BigInt(m.bus.read(MEMORY_MAP.RTC_BASE + RTC_REG.TIME_HIGH, 4));
  assert.equal((hi << 32n) | lo, EPOCH + 2n * 8681n * 10n);
  assert.equal(m.bus.read(MEMORY_MAP.CLINT_BASE + 0xbff8, 4), Math.floor(2 * 8681 / 10));
});

Deno.test("machine: UART interrupt reaches the CPU through the PLIC (chip reset state)", () => {
  const console = new BufferConsole();
  const m = createMachine({
    ramSize: 1 << 20,
    console,
    uartClockHz: 16_000_000,
    uartInit: "reset",
  });
  const plic = MEMORY_MAP.PLIC_BASE;
  m.bus.write(plic + 4 * IRQ.UART0, 4, 1);
  m.bus.write(plic + PLIC_REG.ENABLE + PLIC_REG.ENABLE_STRIDE, 4, 1 << IRQ.UART0); // S context
  m.bus.write(MEMORY_MAP.UART0_BASE + UART_REG.IER, 1, UART_IER.ERBFI);
  console.feed("!");
  assert.equal(m.cpu.readCsr(CSR.mip) & MIP.SEIP, 0);
  m.clock.advanceTo(m.uart.charCycles);
  assert.equal(m.cpu.readCsr(CSR.mip) & MIP.SEIP, MIP.SEIP);
  assert.equal(m.plic.claim(1), IRQ.UART0);
  assert.equal(m.cpu.readCsr(CSR.mip) & MIP.SEIP, 0);
  assert.equal(m.bus.read(MEMORY_MAP.UART0_BASE, 1), 0x21 & 0x1f); // LCR 0: 5-bit words
  m.plic.complete(1, IRQ.UART0);
  assert.equal(m.plic.counts[IRQ.UART0], 1);
});

Deno.test("machine: the UART starts as firmware leaves it (8N1, FIFO on, 115200 baud)", () => {
  const console = new BufferConsole();
  const m = createMachine({ ramSize: 1 << 20, console });
  const base = MEMORY_MAP.UART0_BASE;
  assert.equal(m.bus.read(base + UART_REG.LCR, 1), 0x03);
  assert.equal(m.bus.read(base + UART_REG.IER, 1), 0);
  assert.equal(m.bus.read(base + UART_REG.IIR, 1) & 0xc0, 0xc0); // FIFOs enabled
  m.bus.write(base, 1, 0xe9); // an 8-bit byte goes out whole
  m.clock.advanceTo(m.uart.charCycles * 2);
  assert.deepEqual([...console.output], [0xe9]);
  assert.throws(() => createMachine({ uartInit: "bogus" as "reset" }), /uartInit/);
});

Deno.test("machine: CLINT timer reaches the CPU's mip.MTIP", () => {
  const m = createMachine({ ramSize: 1 << 20 });
  m.bus.write(MEMORY_MAP.CLINT_BASE + 0x4004, 4, 0);
  m.bus.write(MEMORY_MAP.CLINT_BASE + 0x4000, 4, 50);
  m.clock.advanceTo(499);
  assert.equal(m.cpu.readCsr(CSR.mip) & MIP.MTIP, 0);
  m.clock.advanceTo(500);
  assert.equal(m.cpu.readCsr(CSR.mip) & MIP.MTIP, MIP.MTIP);
});
