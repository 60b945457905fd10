import assert from "node:assert/strict";
import { SimClock } from "../../../../hw/clock.ts";
import { BufferConsole } from "../../../../hw/console_io.ts";
import { Uart16550, UART_REG } from "../../../../hw/uart.ts";
import { K } from "../../../../kernel/errors.ts";
import type { FileCaller, OpenFile } from "../../../../kernel/fs/types.ts";
import { OpenFlags } from "../../../../kernel/fs/types.ts";
import { SIG } from "../../../../kernel/ipc/signal_numbers.ts";
import { Tty } from "../../../../kernel/io/mod.ts";
import { Uart16550Driver, UartTimeoutError } from "../../../../plugins/drivers/uart16550/driver.ts";

const te = new TextEncoder();
const td = new TextDecoder();

const caller: FileCaller = {
  pid: 1,
  pgid: 1,
  sid: 1,
  memory: { copyIn: () => null, copyOut: () => false },
};
const file: OpenFile = {
  inode: null,
  flags: OpenFlags.READ | OpenFlags.WRITE,
  offset: 0,
  refs: 1,
  priv: null,
  path: "/dev/console",
};

function machine(input: string) {
  const clock = new SimClock();
  const console = new BufferConsole(input);
  let irqs = 0;
  const uart = new Uart16550({ clock, irq: { set: (l) => l && irqs++ }, console });
  const signals: [number, number][] = [];
  const tty = new Tty({ signalGroup: (p, s) => signals.push([p, s]) });
  tty.foregroundPgrp = 7;
  const driver = new Uart16550Driver(
    { read8: (o) => uart.read(o, 1), write8: (o, v) => uart.write(o, 1, v) },
    tty,
    { onPoll: () => void clock.advanceToNextEvent() },
  );
  driver.init();
  /** Runs the event loop, servicing the interrupt like the PLIC route would. */
  const run = (maxEvents = 100_000) => {
    for (let i = 0; i < maxEvents; i++) {
      if (uart.irqAsserted) driver.handleInterrupt();
      if (!clock.advanceToNextEvent()) break;
    }
    if (uart.irqAsserted) driver.handleInterrupt();
  };
  const read = () => {
    const buf = new Uint8Array(128);
    const n = tty.fileOps.read(file, buf, caller);
    return n < 0 ? n : td.decode(buf.subarray(0, n));
  };
  return { clock, console, uart, tty, driver, run, read, signals, irqs: () => irqs };
}

Deno.test("uart driver: init programs 8N1, divisor 1, FIFOs and interrupts", () => {
  const m = machine("");
  assert.equal(m.uart.divisor, 1);
  assert.equal(m.uart.bitsPerChar, 10);
  assert.equal(m.uart.read(UART_REG.IER, 1), 0x03);
  assert.equal(m.uart.read(UART_REG.LCR, 1), 0x03);
  assert.equal(m.uart.read(UART_REG.IIR, 1) & 0xc0, 0xc0); // FIFOs on
  assert.equal(m.driver.handleInterrupt(), false);
});

Deno.test("uart driver: input reaches the tty through interrupts, echo and output go out", () => {
  const m = machine("echo hi\r");
  m.run();
  assert.equal(m.read(), "echo hi\n");
  assert.equal(m.console.text, "echo hi\r\n");
  assert.ok(m.driver.stats.interrupts > 0);
  assert.equal(m.driver.stats.rxBytes, 8);
  m.console.clearOutput();
  const msg = "x".repeat(100) + "\n";
  assert.equal(m.tty.fileOps.write(file, te.encode(msg), caller), msg.length);
  m.run();
  assert.equal(m.console.text, "x".repeat(100) + "\r\n");
  assert.equal(m.driver.outputQueued(), 0);
  assert.equal(m.uart.stats.txBytes, 9 + 102);
});

Deno.test("uart driver: ^C from the line signals the foreground group", () => {
  const m = machine("abc\x03");
  m.run();
  assert.deepEqual(m.signals, [[7, SIG.INT]]);
  assert.equal(m.read(), K.AGAIN);
  assert.equal(m.console.text, "abc^C");
});

Deno.test("uart driver: simulated time is deterministic", () => {
  const once = () => {
    const m = machine("first line\rsecond\r");
    m.tty.fileOps.write(file, te.encode("banner\n"), caller);
    m.run();
    return [m.clock.now, m.irqs(), m.driver.stats.interrupts, m.console.text] as const;
  };
  const a = once();
  assert.deepEqual(once(), a);
  // 115200 baud, 10 bits per char at 100 MHz: about 8681 cycles per character
  assert.ok(a[0] >= 8681 * 17 && a[0] < 8681 * 40, `cycles ${a[0]}`);
});

Deno.test("uart driver: polled flush sends everything without interrupts", () => {
  const m = machine("");
  m.driver.write(te.encode("panic: " + "y".repeat(60)));
  m.driver.flush();
  assert.equal(m.driver.outputQueued(), 0);
  m.run();
  assert.equal(m.console.text, "panic: " + "y".repeat(60));
  // a device that never drains makes flush fail clearly instead of hanging
  const stuck = new Uart16550Driver({ read8: () => 0, write8: () => {} }, null, {
    onPoll: () => {},
  });
  stuck.write(te.encode("x"));
  assert.throws(() => stuck.flush(), UartTimeoutError);
});
