/**
 * Console back-ends: where the UART's transmitted bytes go and where its
 * received bytes come from.
 *
 * - {@link BufferConsole}: scripted input, captured output; deterministic,
 *   for tests and scripted runs.
 * - `TerminalConsole` (in `system/terminal_console.ts`, host side): the host
 *   terminal.
 *
 * @module
 */

/** A console's window size in character cells. */
export interface ConsoleSize {
  /** Lines. */
  rows: number;
  /** Columns. */
  cols: number;
}

/**
 * A byte-stream console as seen by a serial port.
 *
 * Input is pulled: the UART calls {@link ConsoleIo.pollInput} when its
 * receiver is ready for a byte. A back-end whose input arrives later calls
 * {@link ConsoleIo.onInput} so that an idle receiver starts again.
 */
export interface ConsoleIo {
  /** Sends one byte (0..255) to the outside world. */
  write(byte: number): void;
  /** Takes the next input byte, or returns -1 if none is available now. */
  pollInput(): number;
  /** True when {@link ConsoleIo.pollInput} would return a byte. */
  hasInput(): boolean;
  /** Resolves when input is available or the input has closed. */
  waitForInput(): Promise<void>;
  /** True once the input has reached end of file and every byte was taken. */
  readonly inputClosed: boolean;
  /** Called (by the back-end) when new input arrives; set by the consumer. */
  onInput: (() => void) | null;
  /** The window size of the host side (a terminal's), or null when there is none. */
  size?(): ConsoleSize | null;
  /** Set by the kernel: called by the back-end when {@link size} changes. */
  onResize?: (() => void) | null;
  /** Pushes buffered output to its destination. */
  flush(): void;
  /** Flushes output and releases host resources (terminal mode, readers). */
  close(): void;
}

import { ByteQueue } from "../lib/byte_queue.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Converts console input given as text or bytes into bytes (text as UTF-8). */
function toBytes(data: string | Uint8Array | readonly number[]): Uint8Array {
  if (typeof data === "string") return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  return Uint8Array.from(data, (b) => b & 0xff);
}

/**
 * The test back-end: input is scripted with {@link BufferConsole.feed}, and
 * output is captured in memory. Nothing depends on host time.
 */
export class BufferConsole implements ConsoleIo {
  /** See {@link ConsoleIo.onInput}. */
  onInput: (() => void) | null = null;
  /** See {@link ConsoleIo.onResize}. */
  onResize: (() => void) | null = null;
  #size: ConsoleSize | null = null;
  #input = new ByteQueue();
  #eof = false;
  #out = new Uint8Array(1024);
  #outLen = 0;
  #waiters: (() => void)[] = [];

  /** The window size set by {@link setSize} (null: none, the tty keeps 24x80). */
  size(): ConsoleSize | null {
    return this.#size === null ? null : { ...this.#size };
  }

  /** Sets the window size, as a resized host terminal would (scripted resizes in tests). */
  setSize(rows: number, cols: number): void {
    this.#size = { rows, cols };
    this.onResize?.();
  }

  /**
   * Creates a console with optional initial input. With `closeInput` the
   * input ends after those bytes (end of file), as a pipe would.
   */
  constructor(input: string | Uint8Array | readonly number[] = "", closeInput = false) {
    const bytes = toBytes(input);
    if (bytes.length > 0) this.#input.push(bytes);
    this.#eof = closeInput;
  }

  /** Appends input bytes (text is UTF-8 encoded) and wakes the receiver. */
  feed(data: string | Uint8Array | readonly number[]): void {
    const bytes = toBytes(data);
    if (bytes.length === 0) return;
    this.#input.push(bytes);
    this.#wake();
  }

  /** Marks the end of input: after the queued bytes, {@link inputClosed} becomes true. */
  endInput(): void {
    this.#eof = true;
    this.#wake();
  }

  /** Everything written so far, as bytes. */
  get output(): Uint8Array {
    return this.#out.slice(0, this.#outLen);
  }

  /** Everything written so far, decoded as UTF-8. */
  get text(): string {
    return decoder.decode(this.#out.subarray(0, this.#outLen));
  }

  /** Forgets the captured output. */
  clearOutput(): void {
    this.#outLen = 0;
  }

  /** Input bytes not yet taken. */
  get pendingInput(): number {
    return this.#input.length;
  }

  /** See {@link ConsoleIo.inputClosed}. */
  get inputClosed(): boolean {
    return this.#eof && this.#input.length === 0;
  }

  /** Captures one output byte. */
  write(byte: number): void {
    if (this.#outLen === this.#out.length) {
      const next = new Uint8Array(this.#out.length * 2);
      next.set(this.#out);
      this.#out = next;
    }
    this.#out[this.#outLen++] = byte & 0xff;
  }

  /** Takes the next scripted input byte, or -1. */
  pollInput(): number {
    return this.#input.shift();
  }

  /** True while scripted input remains. */
  hasInput(): boolean {
    return this.#input.length > 0;
  }

  /** Resolves once input is queued or has ended. */
  waitForInput(): Promise<void> {
    if (this.#input.length > 0 || this.#eof) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Nothing to flush: output is already in memory. */
  flush(): void {}

  /** Ends input and releases anyone waiting for it. */
  close(): void {
    this.endInput();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
    if (this.onInput !== null) this.onInput();
  }
}
