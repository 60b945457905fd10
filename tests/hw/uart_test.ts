import assert from "node:assert/strict";
import { SimClock } from "../../hw/clock.ts";
import { BufferConsole } from "../../hw/console_io.ts";
import { TerminalConsole } from "../../system/terminal_console.ts";
import {
  Uart16550,
  UART_FCR,
  UART_IER,
  UART_IIR,
  UART_LCR,
  UART_LSR,
  UART_MCR,
  UART_MSR,
  UART_REG,
} from "../../hw/uart.ts";

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

/**
 * A UART whose 8N1 character takes exactly 1000 cycles: 100 MHz CPU,
 * 16 MHz input clock, divisor 1 (1 Mbaud, 100 cycles per bit).
 */
function setup(input = "", inputClockHz = 16_000_000) {
  const clock = new SimClock(100_000_000, 10);
  const console = new BufferConsole();
  const irq = new RecordingLine(clock);
  const uart = new Uart16550({ clock, irq, console, inputClockHz });
  uart.write(UART_REG.LCR, 1, 0x03); // 8N1
  if (input !== "") console.feed(input);
  return { clock, console, irq, uart };
}

const rd = (u: Uart16550, reg: number) => u.read(reg, 1);
const wr = (u: Uart16550, reg: number, v: number) => u.write(reg, 1, v);

Deno.test("uart: reset values follow the 16550 data sheet", () => {
  const clock = new SimClock();
  const uart = new Uart16550({
    clock,
    irq: new RecordingLine(clock),
    console: new BufferConsole(),
  });
  assert.equal(rd(uart, UART_REG.IER), 0x00);
  assert.equal(rd(uart, UART_REG.IIR), 0x01);
  assert.equal(rd(uart, UART_REG.LCR), 0x00);
  assert.equal(rd(uart, UART_REG.MCR), 0x00);
  assert.equal(rd(uart, UART_REG.LSR), 0x60);
  assert.equal(rd(uart, UART_REG.MSR), 0xb0);
  assert.equal(rd(uart, UART_REG.SCR), 0x00);
  assert.equal(uart.bitsPerChar, 7); // LCR 0: 5 data bits, 1 stop bit
  wr(uart, UART_REG.SCR, 0x5a);
  assert.equal(rd(uart, UART_REG.SCR), 0x5a);
  assert.equal(rd(uart, 0x20), 0);
});

Deno.test("uart: DLAB divisor sets baud rate and the cycles a character takes", () => {
  const clock = new SimClock(100_000_000, 10);
  const console = new BufferConsole();
  const uart = new Uart16550({ clock, irq: new RecordingLine(clock), console });
  wr(uart, UART_REG.IER, 0x05);
  wr(uart, UART_REG.LCR, UART_LCR.DLAB | 0x03);
  wr(uart, UART_REG.DLL, 12);
  wr(uart, UART_REG.DLM, 0);
  assert.equal(rd(uart, UART_REG.DLL), 12);
  assert.equal(rd(uart, UART_REG.DLM), 0);
  wr(uart, UART_REG.LCR, 0x03);
  assert.equal(rd(uart, UART_REG.IER), 0x05); // IER untouched by DLM writes
  assert.equal(uart.baud, 9600);
  // 10 bits * 16 * 12 * 100e6 / 1.8432e6 = 104166.67 -> 104167 cycles.
  assert.equal(uart.charCycles, 104_167);
  wr(uart, UART_REG.THR, 0x41);
  assert.equal(rd(uart, UART_REG.LSR), UART_LSR.THRE); // in the shift register
  clock.advanceTo(104_166);
  assert.equal(console.text, "");
  clock.advanceTo(104_167);
  assert.equal(console.text, "A");
  assert.equal(rd(uart, UART_REG.LSR), UART_LSR.THRE | UART_LSR.TEMT);
  // 7 data bits, even parity, 2 stop bits: 11 bits; 5 bits with "2" stop bits is 1.5.
  wr(uart, UART_REG.LCR, 0x02 | UART_LCR.STOP | UART_LCR.PARITY | UART_LCR.EVEN);
  assert.equal(uart.bitsPerChar, 11);
  wr(uart, UART_REG.LCR, UART_LCR.STOP);
  assert.equal(uart.bitsPerChar, 7.5);
  // The standard 115200 baud setting at 100 MHz, 8N1: 8680.56 -> 8681 cycles.
  wr(uart, UART_REG.LCR, UART_LCR.DLAB | 0x03);
  wr(uart, UART_REG.DLL, 1);
  wr(uart, UART_REG.LCR, 0x03);
  assert.equal(uart.baud, 115_200);
  assert.equal(uart.charCycles, 8681);
});

Deno.test("uart: word length masks transmitted data", () => {
  const { clock, console, uart } = setup();
  wr(uart, UART_REG.LCR, 0x00); // 5 bits
  wr(uart, UART_REG.THR, 0xff);
  clock.advanceTo(10_000);
  assert.deepEqual([...console.output], [0x1f]);
});

Deno.test("uart: TX FIFO drains one character time apart; THRE and TEMT follow", () => {
  const { clock, console, uart, irq } = setup();
  wr(uart, UART_REG.FCR, UART_FCR.ENABLE);
  wr(uart, UART_REG.IER, UART_IER.ETBEI);
  // Enabling ETBEI with THR empty raises the THR-empty interrupt.
  assert.equal(irq.level, true);
  assert.equal(rd(uart, UART_REG.IIR), UART_IIR.FIFO_ENABLED | UART_IIR.THR_EMPTY);
  assert.equal(irq.level, false); // reading IIR acknowledged it
  for (const c of "xyz") wr(uart, UART_REG.THR, c.charCodeAt(0));
  assert.equal(rd(uart, UART_REG.LSR) & (UART_LSR.THRE | UART_LSR.TEMT), 0);
  clock.advanceTo(1000);
  assert.equal(console.text, "x");
  assert.equal(rd(uart, UART_REG.LSR) & UART_LSR.THRE, 0);
  clock.advanceTo(1999);
  assert.equal(irq.level, false);
  clock.advanceTo(2000); // last byte moves to the shift register: FIFO empty
  assert.equal(console.text, "xy");
  assert.equal(rd(uart, UART_REG.LSR) & (UART_LSR.THRE | UART_LSR.TEMT), UART_LSR.THRE);
  assert.equal(irq.level, true);
  // The first byte left THR at once (a brief rise at 0, cleared by the next write).
  assert.deepEqual(irq.rises, [0, 0, 2000]);
  clock.advanceTo(3000);
  assert.equal(console.text, "xyz");
  assert.equal(rd(uart, UART_REG.LSR), UART_LSR.THRE | UART_LSR.TEMT);
  // Writing THR also clears a pending THR-empty interrupt (the second byte stays in the FIFO).
  wr(uart, UART_REG.THR, 0x21);
  wr(uart, UART_REG.THR, 0x22);
  assert.equal(irq.level, false);
});

Deno.test("uart: TX FIFO holds 16 bytes and drops writes beyond that", () => {
  const { clock, console, uart } = setup();
  wr(uart, UART_REG.FCR, UART_FCR.ENABLE);
  for (let i = 0; i < 20; i++) wr(uart, UART_REG.THR, 0x41 + i);
  clock.advanceTo(100_000);
  // One in the shift register, 16 in the FIFO, 3 lost.
  assert.equal(console.text, "ABCDEFGHIJKLMNOPQ");
  assert.equal(uart.stats.txBytes, 17);
});

Deno.test("uart: without FIFOs the holding register takes one byte", () => {
  const { clock, console, uart } = setup();
  wr(uart, UART_REG.THR, 0x31); // to the shift register
  wr(uart, UART_REG.THR, 0x32); // waits in THR
  assert.equal(rd(uart, UART_REG.LSR) & UART_LSR.THRE, 0);
  wr(uart, UART_REG.THR, 0x33); // overwrites THR
  clock.advanceTo(5000);
  assert.equal(console.text, "13");
});

Deno.test("uart: receive without FIFO: DR, RX-data interrupt, back-end held off", () => {
  const { clock, uart, irq, console } = setup("ok");
  wr(uart, UART_REG.IER, UART_IER.ERBFI);
  clock.advanceTo(999);
  assert.equal(rd(uart, UART_REG.LSR) & UART_LSR.DR, 0);
  clock.advanceTo(1000);
  assert.equal(rd(uart, UART_REG.LSR) & UART_LSR.DR, UART_LSR.DR);
  assert.equal(irq.level, true);
  assert.equal(rd(uart, UART_REG.IIR), UART_IIR.RX_DATA);
  clock.advanceTo(50_000); // nobody reads: the second byte waits at the host
  assert.equal(console.pendingInput, 1);
  assert.equal(rd(uart, UART_REG.LSR) & UART_LSR.OE, 0);
  assert.equal(rd(uart, UART_REG.RBR), 0x6f);
  assert.equal(irq.level, false);
  clock.advanceTo(51_000);
  assert.equal(rd(uart, UART_REG.RBR), 0x6b);
  assert.equal(rd(uart, UART_REG.LSR), UART_LSR.THRE | UART_LSR.TEMT);
  assert.deepEqual(irq.rises, [1000, 51_000]);
});

Deno.test("uart: RX FIFO trigger levels 1, 4, 8, 14", () => {
  for (const [bits, level] of [[0, 1], [1, 4], [2, 8], [3, 14]]) {
    const { clock, uart, irq, console } = setup("abcdefghijklmnopqrst");
    wr(uart, UART_REG.FCR, UART_FCR.ENABLE | (bits << 6));
    wr(uart, UART_REG.IER, UART_IER.ERBFI);
    clock.advanceTo(level * 1000 - 1);
    assert.equal(irq.level, false, `trigger ${level}`);
    clock.advanceTo(level * 1000);
    assert.equal(irq.level, true, `trigger ${level}`);
    assert.equal(rd(uart, UART_REG.IIR), UART_IIR.FIFO_ENABLED | UART_IIR.RX_DATA);
    // The FIFO fills to 16 and the back-end is held off: no overrun.
    clock.advanceTo(40_000);
    assert.equal(console.pendingInput, 4);
    assert.equal(rd(uart, UART_REG.LSR) & UART_LSR.OE, 0);
    let got = "";
    while (rd(uart, UART_REG.LSR) & UART_LSR.DR) got += String.fromCharCode(rd(uart, 0));
    assert.equal(got, "abcdefghijklmnop");
    clock.advanceTo(60_000);
    got = "";
    while (rd(uart, UART_REG.LSR) & UART_LSR.DR) got += String.fromCharCode(rd(uart, 0));
    assert.equal(got, "qrst");
  }
});

Deno.test("uart: character timeout after four idle character times", () => {
  const { clock, uart, irq } = setup("abc");
  wr(uart, UART_REG.FCR, UART_FCR.ENABLE | (2 << 6)); // trigger 8: never reached
  wr(uart, UART_REG.IER, UART_IER.ERBFI);
  clock.advanceTo(6999); // last byte at 3000, timeout at 3000 + 4 * 1000
  assert.equal(irq.level, false);
  clock.advanceTo(7000);
  assert.equal(irq.level, true);
  assert.equal(rd(uart, UART_REG.IIR), UART_IIR.FIFO_ENABLED | UART_IIR.TIMEOUT);
  assert.equal(rd(uart, UART_REG.RBR), 0x61); // reading clears the timeout...
  assert.equal(irq.level, false);
  clock.advanceTo(10_999);
  assert.equal(irq.level, false);
  clock.advanceTo(11_000); // ...and restarts it while data remains
  assert.equal(irq.level, true);
  rd(uart, UART_REG.RBR);
  rd(uart, UART_REG.RBR);
  clock.advanceTo(100_000);
  assert.equal(irq.level, false);
  assert.deepEqual(irq.rises, [7000, 11_000]);
});

Deno.test("uart: FCR resets clear the FIFOs", () => {
  const { clock, uart, console } = setup("abcd");
  wr(uart, UART_REG.FCR, UART_FCR.ENABLE);
  clock.advanceTo(2500); // a, b received; c on the wire
  wr(uart, UART_REG.FCR, UART_FCR.ENABLE | UART_FCR.RX_RESET);
  assert.equal(rd(uart, UART_REG.LSR) & UART_LSR.DR, 0);
  for (const c of "123") wr(uart, UART_REG.THR, c.charCodeAt(0));
  wr(uart, UART_REG.FCR, UART_FCR.ENABLE | UART_FCR.TX_RESET);
  assert.equal(rd(uart, UART_REG.LSR) & (UART_LSR.THRE | UART_LSR.TEMT), UART_LSR.THRE);
  clock.advanceTo(10_000);
  assert.equal(console.text, "1"); // only the shift register's byte went out
  let got = "";
  while (rd(uart, UART_REG.LSR) & UART_LSR.DR) got += String.fromCharCode(rd(uart, 0));
  assert.equal(got, "cd");
});

Deno.test("uart: loopback feeds the receiver, mirrors modem lines, overruns", () => {
  const { clock, uart, console } = setup("host");
  assert.equal(rd(uart, UART_REG.MSR), 0xb0);
  wr(uart, UART_REG.MCR, UART_MCR.LOOP | UART_MCR.DTR | UART_MCR.RTS);
  assert.equal(
    rd(uart, UART_REG.MSR),
    UART_MSR.CTS | UART_MSR.DSR | UART_MSR.DDCD, // DCD dropped: OUT2 is low
  );
  assert.equal(rd(uart, UART_REG.MSR), UART_MSR.CTS | UART_MSR.DSR);
  wr(uart, UART_REG.MCR, UART_MCR.LOOP | UART_MCR.OUT1);
  wr(uart, UART_REG.MCR, UART_MCR.LOOP | UART_MCR.OUT2);
  assert.equal(
    rd(uart, UART_REG.MSR),
    UART_MSR.DCD | UART_MSR.TERI | UART_MSR.DCTS | UART_MSR.DDSR | UART_MSR.DDCD,
  );
  // The receiver took one host byte at cycle 0 (before loopback); it lands at 1000.
  clock.advanceTo(1000);
  assert.equal(rd(uart, UART_REG.RBR), 0x68);
  wr(uart, UART_REG.THR, 0x51);
  wr(uart, UART_REG.THR, 0x52);
  clock.advanceTo(2000);
  assert.equal(rd(uart, UART_REG.LSR), UART_LSR.DR | UART_LSR.THRE);
  clock.advanceTo(3000); // second byte overruns the unread first (no FIFO)
  assert.equal(rd(uart, UART_REG.LSR), UART_LSR.DR | UART_LSR.OE | UART_LSR.THRE | UART_LSR.TEMT);
  assert.equal(rd(uart, UART_REG.LSR), UART_LSR.DR | UART_LSR.THRE | UART_LSR.TEMT);
  assert.equal(rd(uart, UART_REG.RBR), 0x52);
  assert.equal(console.text, ""); // nothing reached the host
  assert.equal(console.pendingInput, 3); // host input is disconnected in loopback
  assert.equal(uart.stats.overruns, 1);
  wr(uart, UART_REG.MCR, 0);
  clock.advanceTo(4000);
  assert.equal(rd(uart, UART_REG.RBR), 0x6f);
});

Deno.test("uart: interrupt identification follows the 16550 priorities", () => {
  const { clock, uart, irq } = setup();
  wr(uart, UART_REG.FCR, UART_FCR.ENABLE);
  wr(uart, UART_REG.MCR, UART_MCR.LOOP); // DCD, DSR, CTS drop: modem status change
  wr(uart, UART_REG.IER, 0x0f);
  for (let i = 0; i < 17; i++) wr(uart, UART_REG.THR, 0x30 + i);
  clock.advanceTo(17_000); // 17 bytes looped back into a 16-byte FIFO: one overrun
  const iir = () => rd(uart, UART_REG.IIR) & 0x0f;
  assert.equal(irq.level, true);
  assert.equal(iir(), UART_IIR.LINE_STATUS);
  assert.equal(rd(uart, UART_REG.LSR) & UART_LSR.OE, UART_LSR.OE);
  assert.equal(iir(), UART_IIR.RX_DATA);
  for (let i = 0; i < 16; i++) assert.equal(rd(uart, UART_REG.RBR), 0x30 + i);
  assert.equal(iir(), UART_IIR.THR_EMPTY);
  assert.equal(iir(), UART_IIR.MODEM_STATUS); // the IIR read acknowledged THRE
  assert.equal(rd(uart, UART_REG.MSR) & 0x0f, UART_MSR.DCTS | UART_MSR.DDSR | UART_MSR.DDCD);
  assert.equal(iir(), UART_IIR.NONE);
  assert.equal(irq.level, false);
});

Deno.test("uart: host input arriving later restarts an idle receiver", () => {
  const { clock, uart, console } = setup();
  clock.advanceTo(5000);
  console.feed("z");
  assert.equal(clock.nextEventAt, 6000);
  clock.advanceTo(6000);
  assert.equal(rd(uart, UART_REG.RBR), 0x7a);
  assert.equal(uart.stats.rxBytes, 1);
});

Deno.test("uart: identical inputs give identical cycle traces", () => {
  const trace = () => {
    const { clock, uart, irq } = setup("deterministic");
    wr(uart, UART_REG.FCR, UART_FCR.ENABLE | (1 << 6));
    wr(uart, UART_REG.IER, UART_IER.ERBFI | UART_IER.ETBEI);
    const log: number[] = [];
    while (clock.advanceToNextEvent()) {
      while (rd(uart, UART_REG.LSR) & UART_LSR.DR) {
        const b = rd(uart, UART_REG.RBR);
        wr(uart, UART_REG.THR, b);
        log.push(clock.now, b);
      }
    }
    return [...log, ...irq.rises];
  };
  assert.deepEqual(trace(), trace());
});

Deno.test("console: BufferConsole scripts input, captures output, signals end of input", async () => {
  const con = new BufferConsole("hé");
  assert.equal(con.hasInput(), true);
  assert.deepEqual([con.pollInput(), con.pollInput(), con.pollInput()], [0x68, 0xc3, 0xa9]);
  assert.equal(con.pollInput(), -1);
  assert.equal(con.inputClosed, false);
  let woke = false;
  const waiting = con.waitForInput().then(() => woke = true);
  await Promise.resolve();
  assert.equal(woke, false);
  con.feed([1, 2]);
  await waiting;
  assert.equal(woke, true);
  con.endInput();
  assert.equal(con.inputClosed, false); // bytes still queued
  con.pollInput();
  con.pollInput();
  assert.equal(con.inputClosed, true);
  for (const b of new TextEncoder().encode("ok\n")) con.write(b);
  assert.equal(con.text, "ok\n");
  con.clearOutput();
  assert.equal(con.output.length, 0);
});

/** Fake host streams for TerminalConsole. */
function fakeTerminal(chunks: string[], terminal: boolean) {
  const modes: boolean[] = [];
  const written: number[] = [];
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const readable = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const input = {
    readable,
    isTerminal: () => terminal,
    setRaw: (mode: boolean) => void modes.push(mode),
  };
  // Writes at most 3 bytes per call, as a slow pipe may.
  const output = {
    writeSync(p: Uint8Array): number {
      const n = Math.min(3, p.length);
      written.push(...p.subarray(0, n));
      return n;
    },
  };
  const send = () => {
    const c = chunks.shift();
    if (c === undefined) controller.close();
    else controller.enqueue(new TextEncoder().encode(c));
  };
  return { input, output, modes, written, send };
}

Deno.test("console: TerminalConsole raw mode, async input queue, batched output", async () => {
  const fake = fakeTerminal(["ab", "c"], true);
  const con = new TerminalConsole({ input: fake.input, output: fake.output });
  assert.deepEqual(fake.modes, []); // stdin untouched until input is wanted
  assert.equal(con.hasInput(), false);
  assert.deepEqual(fake.modes, [true]);
  fake.send();
  await con.waitForInput();
  assert.equal(con.pollInput(), 0x61);
  assert.equal(con.pollInput(), 0x62);
  assert.equal(con.pollInput(), -1);
  for (const b of new TextEncoder().encode("hello")) con.write(b);
  assert.deepEqual(fake.written, []); // batched...
  await Promise.resolve();
  assert.equal(String.fromCharCode(...fake.written), "hello"); // ...flushed by a microtask
  con.close();
  assert.deepEqual(fake.modes, [true, false]);
  assert.equal(con.inputClosed, true);
});

Deno.test("console: TerminalConsole on a pipe reaches end of file", async () => {
  const fake = fakeTerminal(["x"], false);
  const con = new TerminalConsole({ input: fake.input, output: fake.output });
  const wait = con.waitForInput();
  fake.send();
  await wait;
  assert.equal(con.pollInput(), 0x78);
  fake.send(); // closes the stream
  await con.waitForInput();
  assert.equal(con.inputClosed, true);
  assert.deepEqual(fake.modes, []); // never raw: not a terminal
  con.close();
});

Deno.test("uart: host input from an async back-end wakes the receiver", async () => {
  const clock = new SimClock(100_000_000, 10);
  const fake = fakeTerminal(["q"], false);
  const console = new TerminalConsole({ input: fake.input, output: fake.output });
  const irq = new RecordingLine(clock);
  const uart = new Uart16550({ clock, irq, console, inputClockHz: 16_000_000 });
  uart.write(UART_REG.LCR, 1, 0x03);
  uart.write(UART_REG.IER, 1, UART_IER.ERBFI);
  clock.advanceTo(300);
  fake.send();
  await console.waitForInput();
  assert.equal(clock.nextEventAt, 1300);
  clock.advanceTo(1300);
  assert.equal(irq.level, true);
  assert.equal(uart.read(UART_REG.RBR, 1), 0x71);
  console.close();
});
