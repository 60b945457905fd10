/**
 * Console back-ends: where the UART's transmitted bytes go and where its
 * received bytes come from.
 *
 * - {@link BufferConsole}: scripted input, captured output; deterministic,
 *   for tests and scripted runs.
 * - {@link TerminalConsole}: the host terminal (stdout, and stdin in raw mode
 *   when it is a terminal).
 *
 * @module
 */

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
  /** Pushes buffered output to its destination. */
  flush(): void;
  /** Flushes output and releases host resources (terminal mode, readers). */
  close(): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A growable byte queue (FIFO) with amortised O(1) push and shift. */
class ByteQueue {
  #buf = new Uint8Array(256);
  #head = 0;
  #tail = 0;

  get length(): number {
    return this.#tail - this.#head;
  }

  push(bytes: Uint8Array): void {
    if (this.#tail + bytes.length > this.#buf.length) {
      const live = this.#tail - this.#head;
      let size = this.#buf.length;
      while (live + bytes.length > size) size *= 2;
      if (size === this.#buf.length) {
        this.#buf.copyWithin(0, this.#head, this.#tail);
      } else {
        const next = new Uint8Array(size);
        next.set(this.#buf.subarray(this.#head, this.#tail), 0);
        this.#buf = next;
      }
      this.#head = 0;
      this.#tail = live;
    }
    this.#buf.set(bytes, this.#tail);
    this.#tail += bytes.length;
  }

  shift(): number {
    if (this.#head === this.#tail) return -1;
    const b = this.#buf[this.#head++];
    if (this.#head === this.#tail) this.#head = this.#tail = 0;
    return b;
  }
}

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
  #input = new ByteQueue();
  #eof = false;
  #out = new Uint8Array(1024);
  #outLen = 0;
  #waiters: (() => void)[] = [];

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

/** Minimal view of a readable host stream (`Deno.stdin` fits), so tests can stand in for stdin. */
export interface ConsoleInputStream {
  /** The byte stream; read through a reader that {@link TerminalConsole.close} cancels. */
  readonly readable: ReadableStream<Uint8Array>;
  /** True when the stream is an interactive terminal. */
  isTerminal(): boolean;
  /** Switches raw mode (only called when {@link isTerminal} is true). */
  setRaw?(mode: boolean): void;
}

/** Minimal view of a writable host stream. */
export interface ConsoleOutputStream {
  /** Writes some of `p` synchronously; returns how many bytes were written. */
  writeSync(p: Uint8Array): number;
}

/** Options of {@link TerminalConsole}. */
export interface TerminalConsoleOptions {
  /** Input stream; default `Deno.stdin`. */
  input?: ConsoleInputStream;
  /** Output stream; default `Deno.stdout`. */
  output?: ConsoleOutputStream;
  /** Put a terminal input into raw mode (default true). */
  raw?: boolean;
  /**
   * Write the guest's CR LF line ends as plain LF (default true). A guest tty
   * turns "\n" into "\r\n" as a serial line wants; the host terminal adds
   * its own "\r" (raw mode in Deno keeps output processing), and files and
   * pipes want Unix line ends, so the extra CR only gets in the way.
   */
  lfLineEnds?: boolean;
}

/**
 * The host terminal as a console.
 *
 * Output is collected in a buffer and written with one `writeSync` when the
 * buffer fills, on {@link TerminalConsole.flush}, or from a microtask queued
 * when the buffer first becomes non-empty (which runs as soon as the
 * simulator loop yields).
 *
 * Input: when stdin is a terminal it is switched to raw mode (so keys,
 * including Ctrl-C, reach the guest unprocessed) and restored on
 * {@link TerminalConsole.close} and on process exit (`unload`). An async loop
 * reads stdin into a queue. When stdin is a pipe or file it is read the same
 * way; end of file sets {@link TerminalConsole.inputClosed}.
 *
 * The simulator loop is synchronous, and host input can only arrive while it
 * is suspended: whoever runs the CPU must `await` now and then, e.g.
 * `await console.waitForInput()` when the guest is idle (`wfi` with nothing
 * scheduled soon), and a zero-delay `setTimeout` yield every few
 * milliseconds of host time while it is busy.
 */
export class TerminalConsole implements ConsoleIo {
  /** See {@link ConsoleIo.onInput}. */
  onInput: (() => void) | null = null;
  readonly #input: ConsoleInputStream;
  readonly #output: ConsoleOutputStream;
  readonly #raw: boolean;
  readonly #lf: boolean;
  // A CR held back until the next byte shows whether it ends a line.
  #heldCr = false;
  #queue = new ByteQueue();
  #eof = false;
  #reading = false;
  #rawSet = false;
  #closed = false;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #waiters: (() => void)[] = [];
  #out = new Uint8Array(4096);
  #outLen = 0;
  #flushQueued = false;
  readonly #flushTask = (): void => {
    this.#flushQueued = false;
    this.flush();
  };
  readonly #restore = (): void => this.#restoreMode();

  /** Creates the console; stdin is only touched once input is first asked for. */
  constructor(options: TerminalConsoleOptions = {}) {
    this.#input = options.input ?? Deno.stdin;
    this.#output = options.output ?? Deno.stdout;
    this.#raw = options.raw ?? true;
    this.#lf = options.lfLineEnds ?? true;
  }

  /** See {@link ConsoleIo.inputClosed}. */
  get inputClosed(): boolean {
    return this.#eof && this.#queue.length === 0;
  }

  /** Buffers one output byte. */
  write(byte: number): void {
    if (this.#lf) {
      if (byte === 13) {
        if (this.#heldCr) this.#put(13);
        this.#heldCr = true;
        return;
      }
      if (this.#heldCr) {
        this.#heldCr = false;
        if (byte !== 10) this.#put(13);
      }
    }
    this.#put(byte);
  }

  #put(byte: number): void {
    this.#out[this.#outLen++] = byte;
    if (this.#outLen === this.#out.length) this.flush();
    else if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(this.#flushTask);
    }
  }

  /** Writes out everything buffered. */
  flush(): void {
    let off = 0;
    while (off < this.#outLen) {
      try {
        off += this.#output.writeSync(this.#out.subarray(off, this.#outLen));
      } catch {
        // A closed stdout (e.g. a broken pipe) must not bring the machine down.
        break;
      }
    }
    this.#outLen = 0;
  }

  /** Takes the next input byte, or -1. */
  pollInput(): number {
    this.#startReader();
    return this.#queue.shift();
  }

  /** True when input bytes are queued. */
  hasInput(): boolean {
    this.#startReader();
    return this.#queue.length > 0;
  }

  /** Resolves once input is queued or stdin has reached end of file. */
  waitForInput(): Promise<void> {
    this.#startReader();
    if (this.#queue.length > 0 || this.#eof) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Flushes output, restores the terminal mode and cancels the stdin reader
   * (on a terminal this lets the process exit; a pipe stays open until its
   * writer closes it).
   */
  close(): void {
    if (this.#heldCr) {
      this.#heldCr = false;
      this.#put(13);
    }
    this.flush();
    this.#closed = true;
    this.#restoreMode();
    if (this.#reader !== null) {
      this.#reader.cancel().catch(() => {});
      this.#reader = null;
    }
    this.#eof = true;
    this.#wake();
  }

  #startReader(): void {
    if (this.#reading || this.#closed) return;
    this.#reading = true;
    let terminal = false;
    try {
      terminal = this.#input.isTerminal();
    } catch {
      terminal = false;
    }
    if (terminal && this.#raw && this.#input.setRaw !== undefined) {
      try {
        this.#input.setRaw(true);
        this.#rawSet = true;
        globalThis.addEventListener("unload", this.#restore);
      } catch {
        // Raw mode is a comfort, not a requirement: carry on in cooked mode.
      }
    }
    this.#readLoop();
  }

  async #readLoop(): Promise<void> {
    let reader: ReadableStreamDefaultReader<Uint8Array>;
    try {
      reader = this.#input.readable.getReader();
    } catch {
      this.#eof = true; // stdin already taken or closed: no input, ever.
      this.#wake();
      return;
    }
    this.#reader = reader;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        chunk = { done: true, value: undefined }; // A broken stdin is end of file.
      }
      if (this.#closed) return;
      if (chunk.done) {
        this.#eof = true;
        this.#wake();
        return;
      }
      if (chunk.value.length > 0) {
        this.#queue.push(chunk.value);
        this.#wake();
      }
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
    if (this.onInput !== null) this.onInput();
  }

  #restoreMode(): void {
    if (!this.#rawSet) return;
    this.#rawSet = false;
    globalThis.removeEventListener("unload", this.#restore);
    try {
      this.#input.setRaw?.(false);
    } catch {
      // The terminal may already be gone at exit.
    }
  }
}
