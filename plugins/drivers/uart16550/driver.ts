/**
 * Interrupt-driven driver for an NS16550A UART, feeding the kernel's tty line
 * discipline ({@link Tty}).
 *
 * It touches the device only through 8-bit register reads and writes (the
 * console driver plugin maps them onto the bus window it claimed), so the
 * same core runs against the simulated `hw/uart.ts` device or a test double.
 *
 * - {@link Uart16550Driver.init}: 8N1, divisor, FIFOs on (receive trigger 8 bytes),
 *   OUT2 (the interrupt gate on PC-style boards), IER = RX data + THR empty.
 * - {@link Uart16550Driver.handleInterrupt}: reads IIR until no interrupt is
 *   pending; drains received bytes into the tty; refills the transmitter
 *   (up to the 16-byte FIFO) from the transmit queue.
 * - {@link Uart16550Driver.flush}: polled, synchronous output for panic and
 *   shutdown (spins on LSR.THRE through `read8`, so the device model must
 *   advance time on its own or via `onPoll`).
 *
 * @module
 */

import {
  UART_FCR,
  UART_FIFO_SIZE,
  UART_IER,
  UART_IIR,
  UART_LCR,
  UART_LSR,
  UART_MCR,
  UART_REG,
} from "../../../hw/uart_regs.ts";
import type { Tty, TtyPort } from "../../../kernel/api.ts";

/** 8-bit register access to the UART's window. */
export interface UartRegisterAccess {
  /** Reads the register at byte offset `off`. */
  read8(off: number): number;
  /** Writes `v` to the register at byte offset `off`. */
  write8(off: number, v: number): void;
}

/** Options of the driver. */
export interface Uart16550DriverOptions {
  /** Baud divisor (default 1: 115200 baud at the standard 1.8432 MHz clock). */
  divisor?: number;
  /** Transmit queue limit in bytes (default 64 KiB); the tty blocks writers beyond it. */
  txQueueLimit?: number;
  /** Called on each spin of the polled {@link Uart16550Driver.flush} (e.g. to advance a clock). */
  onPoll?: () => void;
  /** Use the UART's interrupts (default true); false leaves IER at 0 for a polling driver. */
  interrupts?: boolean;
}

/** Counters of the driver. */
export interface UartDriverStats {
  /** Interrupts handled (calls that found one pending). */
  interrupts: number;
  /** Bytes received and passed to the tty. */
  rxBytes: number;
  /** Bytes written to THR. */
  txBytes: number;
  /** Line status errors seen (overrun, parity, framing, break). */
  lineErrors: number;
}

/** Raised when the polled flush cannot make progress (a device that never empties). */
export class UartTimeoutError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UartTimeoutError";
  }
}

const MAX_IIR_LOOPS = 64;
const FLUSH_SPIN_LIMIT = 10_000_000;
/** FIFO refills per poll tick at most (a transmitter that empties at once gets 1 KiB a tick). */
const MAX_POLL_REFILLS = 64;

/** The interrupt-driven 16550 driver core. */
export class Uart16550Driver implements TtyPort {
  /** Counters. */
  readonly stats: UartDriverStats = { interrupts: 0, rxBytes: 0, txBytes: 0, lineErrors: 0 };
  readonly #regs: UartRegisterAccess;
  readonly #tty: Tty | null;
  readonly #divisor: number;
  readonly #limit: number;
  readonly #onPoll: (() => void) | undefined;
  readonly #interrupts: boolean;
  // Transmit queue as a growable ring.
  #tx = new Uint8Array(1024);
  #txHead = 0;
  #txLen = 0;
  readonly #rx = new Uint8Array(256);

  /** Creates the driver and attaches it to `tty` as its output port. */
  constructor(regs: UartRegisterAccess, tty: Tty | null, options: Uart16550DriverOptions = {}) {
    this.#regs = regs;
    this.#tty = tty;
    this.#divisor = options.divisor ?? 1;
    if (!Number.isInteger(this.#divisor) || this.#divisor < 1 || this.#divisor > 0xffff) {
      throw new RangeError(`bad UART divisor ${this.#divisor}`);
    }
    this.#limit = options.txQueueLimit ?? 65536;
    this.#onPoll = options.onPoll;
    this.#interrupts = options.interrupts ?? true;
    tty?.attachPort(this);
  }

  /**
   * Programs the UART: 8N1, divisor, FIFOs (reset, trigger 8), modem
   * control, interrupts. `takeOver` (a driver replacement) keeps what the
   * FIFOs hold: bytes received and bytes on their way out are not lost.
   */
  init(takeOver = false): void {
    const r = this.#regs;
    r.write8(UART_REG.IER, 0);
    r.write8(UART_REG.LCR, UART_LCR.DLAB);
    r.write8(UART_REG.DLL, this.#divisor & 0xff);
    r.write8(UART_REG.DLM, (this.#divisor >> 8) & 0xff);
    r.write8(UART_REG.LCR, 0x03); // 8 data bits, no parity, 1 stop bit, DLAB off
    const reset = takeOver ? 0 : UART_FCR.RX_RESET | UART_FCR.TX_RESET;
    r.write8(UART_REG.FCR, UART_FCR.ENABLE | reset | 0x80);
    r.write8(UART_REG.MCR, UART_MCR.DTR | UART_MCR.RTS | UART_MCR.OUT2);
    // Clear stale conditions before enabling interrupts (not a byte a predecessor left).
    r.read8(UART_REG.LSR);
    if (!takeOver) r.read8(UART_REG.RBR);
    r.read8(UART_REG.IIR);
    r.read8(UART_REG.MSR);
    r.write8(UART_REG.IER, this.#interrupts ? UART_IER.ERBFI | UART_IER.ETBEI : 0);
    this.#refill();
  }

  /**
   * Services the UART without its interrupt (a polling driver's tick): takes
   * every received byte, and refills the transmitter once it is empty.
   */
  poll(): void {
    const r = this.#regs;
    let rxCount = 0;
    let lsr = r.read8(UART_REG.LSR);
    while (lsr & UART_LSR.DR) {
      this.#rx[rxCount++] = r.read8(UART_REG.RBR);
      if (rxCount === this.#rx.length) {
        this.#deliver(rxCount);
        rxCount = 0;
      }
      lsr = r.read8(UART_REG.LSR);
    }
    if (rxCount > 0) this.#deliver(rxCount);
    for (let n = 0; n < MAX_POLL_REFILLS && this.#txLen > 0; n++) {
      if ((r.read8(UART_REG.LSR) & UART_LSR.THRE) === 0) break;
      this.#refill();
    }
  }

  /**
   * Stops the UART's interrupts and hands over what was queued and not yet
   * written to the chip (for a driver replacement: the successor sends it).
   */
  suspend(): Uint8Array {
    this.#regs.write8(UART_REG.IER, 0);
    const out = new Uint8Array(this.#txLen);
    const cap = this.#tx.length;
    for (let i = 0; i < this.#txLen; i++) out[i] = this.#tx[(this.#txHead + i) % cap];
    this.#txLen = 0;
    this.#txHead = 0;
    return out;
  }

  /** Bytes waiting in the transmit queue. */
  outputQueued(): number {
    return this.#txLen;
  }

  /** Room left in the transmit queue. */
  outputRoom(): number {
    return Math.max(0, this.#limit - this.#txLen);
  }

  /** Queues bytes for output and starts the transmitter if it is idle (TtyPort). */
  transmit(bytes: Uint8Array): void {
    this.write(bytes);
  }

  /** Queues bytes for output and starts the transmitter if it is idle. */
  write(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#ensure(this.#txLen + bytes.length);
    const cap = this.#tx.length;
    let tail = (this.#txHead + this.#txLen) % cap;
    for (let i = 0; i < bytes.length; i++) {
      this.#tx[tail] = bytes[i];
      tail = tail + 1 === cap ? 0 : tail + 1;
    }
    this.#txLen += bytes.length;
    if (this.#regs.read8(UART_REG.LSR) & UART_LSR.THRE) this.#refill();
  }

  #ensure(size: number): void {
    if (size <= this.#tx.length) return;
    let cap = this.#tx.length;
    while (cap < size) cap *= 2;
    const next = new Uint8Array(cap);
    for (let i = 0; i < this.#txLen; i++) next[i] = this.#tx[(this.#txHead + i) % this.#tx.length];
    this.#tx = next;
    this.#txHead = 0;
  }

  /** Fills the (empty) transmitter FIFO from the queue. */
  #refill(): void {
    const n = Math.min(this.#txLen, UART_FIFO_SIZE);
    if (n === 0) return;
    const cap = this.#tx.length;
    for (let i = 0; i < n; i++) {
      this.#regs.write8(UART_REG.THR, this.#tx[this.#txHead]);
      this.#txHead = this.#txHead + 1 === cap ? 0 : this.#txHead + 1;
    }
    this.#txLen -= n;
    this.stats.txBytes += n;
    if (this.#txLen < this.#limit) this.#tty?.outputDrained();
  }

  /**
   * Services the UART's interrupt: returns true if the UART had one pending.
   * Called by the console driver when the PLIC routes the UART's line here.
   */
  handleInterrupt(): boolean {
    const r = this.#regs;
    let handled = false;
    let rxCount = 0;
    for (let loops = 0; loops < MAX_IIR_LOOPS; loops++) {
      const iir = r.read8(UART_REG.IIR) & 0x0f;
      if (iir & UART_IIR.NONE) break;
      handled = true;
      switch (iir) {
        case UART_IIR.LINE_STATUS:
          if (r.read8(UART_REG.LSR) & 0x1e) this.stats.lineErrors++;
          break;
        case UART_IIR.RX_DATA:
        case UART_IIR.TIMEOUT:
          while (r.read8(UART_REG.LSR) & UART_LSR.DR) {
            this.#rx[rxCount++] = r.read8(UART_REG.RBR);
            if (rxCount === this.#rx.length) {
              this.#deliver(rxCount);
              rxCount = 0;
            }
          }
          break;
        case UART_IIR.THR_EMPTY:
          this.#refill();
          break;
        default: // modem status: reading MSR clears it
          r.read8(UART_REG.MSR);
          break;
      }
    }
    if (rxCount > 0) this.#deliver(rxCount);
    if (handled) this.stats.interrupts++;
    return handled;
  }

  #deliver(count: number): void {
    this.stats.rxBytes += count;
    this.#tty?.receive(this.#rx.slice(0, count));
  }

  /**
   * Sends everything queued by polling LSR.THRE (interrupt-free; for panic
   * and shutdown). Throws {@link UartTimeoutError} if the device never empties.
   */
  flush(): void {
    let spins = 0;
    while (this.#txLen > 0) {
      if (this.#regs.read8(UART_REG.LSR) & UART_LSR.THRE) {
        this.#refill();
        continue;
      }
      if (++spins > FLUSH_SPIN_LIMIT) {
        throw new UartTimeoutError(`UART transmitter stuck with ${this.#txLen} bytes queued`);
      }
      this.#onPoll?.();
    }
  }
}
