/**
 * The host terminal as a console back-end for the UART: stdout, and stdin in
 * raw mode when it is a terminal. The deterministic back-end for tests is
 * `BufferConsole` in `hw/console_io.ts`.
 *
 * @module
 */

import type { ConsoleIo } from "../hw/console_io.ts";
import { ByteQueue } from "../lib/byte_queue.ts";

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
 * scheduled soon), and a `setImmediate` yield (one host event-loop turn) every few
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
