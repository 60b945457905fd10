/**
 * NS16550A-compatible UART on the simulated clock.
 *
 * Registers are one byte apart (QEMU `virt` layout, register shift 0):
 * RBR/THR/DLL (0), IER/DLM (1), IIR/FCR (2), LCR (3), MCR (4), LSR (5),
 * MSR (6), SCR (7). DLL/DLM replace RBR/THR/IER while LCR.DLAB is set.
 *
 * Timing: one character (start bit, 5-8 data bits, optional parity, 1, 1.5
 * or 2 stop bits) takes
 * `ceil(bits * 16 * divisor * cpuFrequency / inputClockHz)` CPU cycles.
 * Transmission moves a byte from THR (or the TX FIFO) into the shift
 * register, which sends it to the console when the character time has
 * passed; THRE follows the holding register/FIFO and TEMT the shift
 * register. Received bytes are taken from the console back-end one
 * character time apart. The back-end is held off while the receive FIFO is
 * full (as QEMU does), so host input is never lost; overruns happen only in
 * loopback mode, where the transmitter feeds the receiver directly.
 *
 * Parity, framing and break errors never occur: the back-ends carry bytes,
 * not line signals. `docs/hardware.md` has the full register table.
 *
 * @module
 */

import type { AccessWidth, MmioDevice } from "./bus.ts";
import type { EventId, SimClock } from "./clock.ts";
import type { ConsoleIo } from "./console_io.ts";
import type { IrqLine } from "./irq.ts";

import {
  UART_DEFAULT_INPUT_CLOCK,
  UART_FCR,
  UART_FIFO_SIZE,
  UART_IER,
  UART_IIR,
  UART_LCR,
  UART_LSR,
  UART_MCR,
  UART_MSR,
} from "./uart_regs.ts";

export * from "./uart_regs.ts";

const TRIGGER_LEVELS = [1, 4, 8, 14] as const;
// Modem inputs when not in loopback: the host end is always "connected".
const MSR_CONNECTED = UART_MSR.CTS | UART_MSR.DSR | UART_MSR.DCD;
const LSR_ERRORS = UART_LSR.OE | UART_LSR.PE | UART_LSR.FE | UART_LSR.BI;

/** Options of {@link Uart16550}. */
export interface UartOptions {
  /** The simulated clock (CPU cycles). */
  clock: SimClock;
  /** The interrupt line (a PLIC source). */
  irq: IrqLine;
  /** The console back-end. */
  console: ConsoleIo;
  /** UART input clock in Hz (default 1.8432 MHz). */
  inputClockHz?: number;
}

/** Traffic counters of a UART. */
export interface UartStats {
  /** Bytes sent by the shift register (to the console or, in loopback, the receiver). */
  txBytes: number;
  /** Bytes placed in the receive FIFO. */
  rxBytes: number;
  /** Overrun errors. */
  overruns: number;
}

/** An NS16550A UART. See the module documentation for behaviour and timing. */
export class Uart16550 implements MmioDevice {
  /** Device name on the bus. */
  readonly name = "uart16550";
  /** Traffic counters. */
  readonly stats: UartStats = { txBytes: 0, rxBytes: 0, overruns: 0 };
  /** The console back-end. */
  readonly console: ConsoleIo;
  readonly #clock: SimClock;
  readonly #irq: IrqLine;
  readonly #inputClock: number;

  #ier = 0;
  #lcr = 0;
  #mcr = 0;
  #scr = 0;
  #dll = 1;
  #dlm = 0;
  #fifoEnabled = false;
  #trigger = 1;
  #lsrErrors = 0;
  #msrDelta = 0;
  #msrInputs = MSR_CONNECTED;

  #rx = new Uint8Array(UART_FIFO_SIZE);
  #rxHead = 0;
  #rxCount = 0;
  #rbr = 0;
  #tx = new Uint8Array(UART_FIFO_SIZE);
  #txHead = 0;
  #txCount = 0;

  #tsrBusy = false;
  #tsr = 0;
  #thrInterrupt = false;
  #timeoutInterrupt = false;
  #rxBusy = false;
  #rsr = 0;
  #irqLevel = false;

  #txEvent: EventId = 0;
  #rxEvent: EventId = 0;
  #timeoutEvent: EventId = 0;

  readonly #txDone = (): void => {
    this.#txEvent = 0;
    this.#tsrBusy = false;
    const byte = this.#tsr & this.#wordMask();
    this.stats.txBytes++;
    if (this.#mcr & UART_MCR.LOOP) this.#receive(byte);
    else this.console.write(byte);
    if (this.#txCount > 0) this.#startTx();
    this.#update();
  };
  readonly #rxDone = (): void => {
    this.#rxEvent = 0;
    this.#rxBusy = false;
    this.#receive(this.#rsr & this.#wordMask());
    this.#kickRx();
    this.#update();
  };
  readonly #timeout = (): void => {
    this.#timeoutEvent = 0;
    if (this.#fifoEnabled && this.#rxCount > 0) {
      this.#timeoutInterrupt = true;
      this.#update();
    }
  };

  /** Creates the UART; it starts receiving as soon as the back-end has input. */
  constructor(options: UartOptions) {
    this.#clock = options.clock;
    this.#irq = options.irq;
    this.console = options.console;
    const hz = options.inputClockHz ?? UART_DEFAULT_INPUT_CLOCK;
    if (!(hz > 0) || !Number.isFinite(hz)) throw new RangeError(`bad UART input clock ${hz}`);
    this.#inputClock = hz;
    this.console.onInput = () => {
      this.#kickRx();
      this.#update();
    };
    this.#kickRx();
  }

  /** The divisor latch (0 counts as 65536). */
  get divisor(): number {
    const d = (this.#dlm << 8) | this.#dll;
    return d === 0 ? 0x1_0000 : d;
  }

  /** Bits per character under the current LCR: start + data + parity + stop. */
  get bitsPerChar(): number {
    const data = 5 + (this.#lcr & UART_LCR.WLEN_MASK);
    const parity = this.#lcr & UART_LCR.PARITY ? 1 : 0;
    const stop = this.#lcr & UART_LCR.STOP ? (data === 5 ? 1.5 : 2) : 1;
    return 1 + data + parity + stop;
  }

  /** Baud rate: input clock / (16 * divisor). */
  get baud(): number {
    return this.#inputClock / (16 * this.divisor);
  }

  /** CPU cycles one character takes on the line under the current settings. */
  get charCycles(): number {
    const c = this.bitsPerChar * 16 * this.divisor * this.#clock.frequency / this.#inputClock;
    return Math.max(1, Math.ceil(c - 1e-9));
  }

  /** True while bytes wait in the transmit FIFO or holding register, or the shift register sends one. */
  get transmitting(): boolean {
    return this.#tsrBusy || this.#txCount > 0;
  }

  /** True while the interrupt output is asserted. */
  get irqAsserted(): boolean {
    return this.#irqLevel;
  }

  /** Restores the data-sheet reset state (divisor 1); the back-end is kept. */
  reset(): void {
    for (const id of [this.#txEvent, this.#rxEvent, this.#timeoutEvent]) {
      if (id !== 0) this.#clock.cancel(id);
    }
    this.#txEvent = this.#rxEvent = this.#timeoutEvent = 0;
    this.#ier =
      this.#lcr =
      this.#mcr =
      this.#scr =
        0;
    this.#dll = 1;
    this.#dlm = 0;
    this.#fifoEnabled = false;
    this.#trigger = 1;
    this.#lsrErrors = this.#msrDelta = 0;
    this.#msrInputs = MSR_CONNECTED;
    this.#rxHead =
      this.#rxCount =
      this.#txHead =
      this.#txCount =
        0;
    this.#rbr = 0;
    this.#tsrBusy = this.#rxBusy = false;
    this.#thrInterrupt = this.#timeoutInterrupt = false;
    this.#kickRx();
    this.#update();
  }

  /** Reads the byte register at `offset` (0..7; above reads 0); wider reads see the same byte. */
  read(offset: number, _width: AccessWidth): number {
    switch (offset) {
      case 0:
        if (this.#lcr & UART_LCR.DLAB) return this.#dll;
        return this.#readRbr();
      case 1:
        return this.#lcr & UART_LCR.DLAB ? this.#dlm : this.#ier;
      case 2: {
        const iir = this.#iir();
        // Reading IIR acknowledges a THR-empty interrupt it reports.
        if ((iir & 0x0f) === UART_IIR.THR_EMPTY) {
          this.#thrInterrupt = false;
          this.#update();
        }
        return iir;
      }
      case 3:
        return this.#lcr;
      case 4:
        return this.#mcr;
      case 5: {
        const lsr = this.#lsr();
        if (this.#lsrErrors !== 0) {
          this.#lsrErrors = 0; // Reading LSR clears the error bits.
          this.#update();
        }
        return lsr;
      }
      case 6: {
        const msr = this.#msrInputs | this.#msrDelta;
        if (this.#msrDelta !== 0) {
          this.#msrDelta = 0;
          this.#update();
        }
        return msr;
      }
      case 7:
        return this.#scr;
      default:
        return 0;
    }
  }

  /** Writes the low byte of `value` to register `offset`. */
  write(offset: number, _width: AccessWidth, value: number): void {
    value &= 0xff;
    switch (offset) {
      case 0:
        if (this.#lcr & UART_LCR.DLAB) this.#dll = value;
        else this.#writeThr(value);
        return;
      case 1:
        if (this.#lcr & UART_LCR.DLAB) {
          this.#dlm = value;
          return;
        }
        // Enabling ETBEI while THR is empty raises the THR-empty interrupt.
        if ((value & UART_IER.ETBEI) && !(this.#ier & UART_IER.ETBEI) && this.#txCount === 0) {
          this.#thrInterrupt = true;
        }
        this.#ier = value & 0x0f;
        this.#update();
        return;
      case 2:
        this.#writeFcr(value);
        return;
      case 3:
        this.#lcr = value;
        return;
      case 4:
        this.#writeMcr(value & 0x1f);
        return;
      case 7:
        this.#scr = value;
        return;
      default:
        return; // LSR and MSR are read-only; writes to them are ignored.
    }
  }

  /** The current LSR value, without the read side effect. */
  #lsr(): number {
    let lsr = this.#lsrErrors;
    if (this.#rxCount > 0) lsr |= UART_LSR.DR;
    if (this.#txCount === 0) {
      lsr |= UART_LSR.THRE;
      if (!this.#tsrBusy) lsr |= UART_LSR.TEMT;
    }
    return lsr;
  }

  /** The current IIR value, in the 16550's priority order. */
  #iir(): number {
    const ier = this.#ier;
    let id: number = UART_IIR.NONE;
    if ((ier & UART_IER.ELSI) && (this.#lsrErrors & LSR_ERRORS)) id = UART_IIR.LINE_STATUS;
    else if ((ier & UART_IER.ERBFI) && this.#rxCount >= this.#rxTrigger()) id = UART_IIR.RX_DATA;
    else if ((ier & UART_IER.ERBFI) && this.#timeoutInterrupt) id = UART_IIR.TIMEOUT;
    else if ((ier & UART_IER.ETBEI) && this.#thrInterrupt) id = UART_IIR.THR_EMPTY;
    else if ((ier & UART_IER.EDSSI) && (this.#msrDelta & 0x0f)) id = UART_IIR.MODEM_STATUS;
    return this.#fifoEnabled ? id | UART_IIR.FIFO_ENABLED : id;
  }

  #update(): void {
    const level = (this.#iir() & 1) === 0;
    if (level !== this.#irqLevel) {
      this.#irqLevel = level;
      this.#irq.set(level);
    }
  }

  /** Receive trigger level: FCR's choice in FIFO mode, else one byte. */
  #rxTrigger(): number {
    return this.#fifoEnabled ? this.#trigger : 1;
  }

  #wordMask(): number {
    return (1 << (5 + (this.#lcr & UART_LCR.WLEN_MASK))) - 1;
  }

  #capacity(): number {
    return this.#fifoEnabled ? UART_FIFO_SIZE : 1;
  }

  #readRbr(): number {
    if (this.#rxCount > 0) {
      this.#rbr = this.#rx[this.#rxHead];
      this.#rxHead = (this.#rxHead + 1) & (UART_FIFO_SIZE - 1);
      this.#rxCount--;
      this.#timeoutInterrupt = false;
      this.#armTimeout();
      this.#kickRx();
      this.#update();
    }
    return this.#rbr;
  }

  #writeThr(value: number): void {
    if (this.#txCount < this.#capacity()) {
      this.#tx[(this.#txHead + this.#txCount) & (UART_FIFO_SIZE - 1)] = value;
      this.#txCount++;
    } else if (!this.#fifoEnabled) {
      this.#tx[this.#txHead] = value; // The 8250 holding register is simply overwritten.
    } // A write to a full FIFO is lost, as on the chip.
    this.#thrInterrupt = false;
    if (!this.#tsrBusy) this.#startTx();
    this.#update();
  }

  #startTx(): void {
    this.#tsr = this.#tx[this.#txHead];
    this.#txHead = (this.#txHead + 1) & (UART_FIFO_SIZE - 1);
    this.#txCount--;
    this.#tsrBusy = true;
    if (this.#txCount === 0) this.#thrInterrupt = true;
    this.#txEvent = this.#clock.schedule(this.charCycles, this.#txDone);
  }

  /** A complete character arrives at the receiver. */
  #receive(byte: number): void {
    if (this.#rxCount < this.#capacity()) {
      this.#rx[(this.#rxHead + this.#rxCount) & (UART_FIFO_SIZE - 1)] = byte;
      this.#rxCount++;
      this.stats.rxBytes++;
    } else {
      this.#lsrErrors |= UART_LSR.OE;
      this.stats.overruns++;
      // Without FIFOs the new character overwrites RBR; with them it is lost.
      if (!this.#fifoEnabled) this.#rx[this.#rxHead] = byte;
    }
    this.#armTimeout();
  }

  /** Starts taking the next byte from the back-end if the receiver can accept it. */
  #kickRx(): void {
    if (this.#rxBusy || (this.#mcr & UART_MCR.LOOP)) return;
    if (this.#rxCount >= this.#capacity()) return;
    const byte = this.console.pollInput();
    if (byte < 0) return;
    this.#rsr = byte;
    this.#rxBusy = true;
    this.#rxEvent = this.#clock.schedule(this.charCycles, this.#rxDone);
  }

  /** (Re)starts the 4-character timeout after FIFO activity. */
  #armTimeout(): void {
    if (this.#timeoutEvent !== 0) {
      this.#clock.cancel(this.#timeoutEvent);
      this.#timeoutEvent = 0;
    }
    if (this.#fifoEnabled && this.#rxCount > 0) {
      this.#timeoutEvent = this.#clock.schedule(4 * this.charCycles, this.#timeout);
    }
  }

  #writeFcr(value: number): void {
    const enable = (value & UART_FCR.ENABLE) !== 0;
    if (enable !== this.#fifoEnabled) {
      // Switching FIFO mode clears both FIFOs (16550A data sheet).
      this.#fifoEnabled = enable;
      this.#resetRx();
      this.#resetTx();
    }
    // The other FCR bits are only programmed while FCR0 is set.
    if (enable) {
      if (value & UART_FCR.RX_RESET) this.#resetRx();
      if (value & UART_FCR.TX_RESET) this.#resetTx();
      this.#trigger = TRIGGER_LEVELS[value >> 6];
    }
    this.#kickRx();
    this.#update();
  }

  #resetRx(): void {
    this.#rxHead = this.#rxCount = 0;
    this.#timeoutInterrupt = false;
    this.#armTimeout();
  }

  #resetTx(): void {
    if (this.#txCount > 0) this.#thrInterrupt = true;
    this.#txHead = this.#txCount = 0;
  }

  #writeMcr(value: number): void {
    this.#mcr = value;
    let inputs = MSR_CONNECTED;
    if (value & UART_MCR.LOOP) {
      // Loopback wires the modem outputs back to the inputs.
      inputs = 0;
      if (value & UART_MCR.RTS) inputs |= UART_MSR.CTS;
      if (value & UART_MCR.DTR) inputs |= UART_MSR.DSR;
      if (value & UART_MCR.OUT1) inputs |= UART_MSR.RI;
      if (value & UART_MCR.OUT2) inputs |= UART_MSR.DCD;
    }
    const changed = inputs ^ this.#msrInputs;
    if (changed & UART_MSR.CTS) this.#msrDelta |= UART_MSR.DCTS;
    if (changed & UART_MSR.DSR) this.#msrDelta |= UART_MSR.DDSR;
    if (changed & UART_MSR.DCD) this.#msrDelta |= UART_MSR.DDCD;
    if ((this.#msrInputs & UART_MSR.RI) && !(inputs & UART_MSR.RI)) {
      this.#msrDelta |= UART_MSR.TERI;
    }
    this.#msrInputs = inputs;
    this.#kickRx();
    this.#update();
  }
}
