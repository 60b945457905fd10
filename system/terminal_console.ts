/**
 * The host terminal as a console back-end for the UART: stdout, and stdin in
 * raw mode when it is a terminal. The deterministic back-end for tests is
 * `BufferConsole` in `hw/console_io.ts`.
 *
 * @module
 */

import type { ConsoleIo, ConsoleSize } from "../hw/console_io.ts";
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

/** A host key typed after Ctrl-A. */
export interface EscapeKey {
  /** The key (one character, e.g. "x"). */
  key: string;
  /** One line of help for Ctrl-A h. */
  help: string;
  /** What it does. */
  action: () => void;
}

/** The escape character, Ctrl-A (0x01), as QEMU's `-serial mon:stdio`. */
export const ESCAPE_CHAR = 0x01;

/** Host signals after which the terminal mode is restored before the process ends. */
const FATAL_SIGNALS: Record<string, number> = { SIGTERM: 15, SIGINT: 2, SIGHUP: 1 };

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
  /**
   * The host window size (TIOCGWINSZ of the guest console). Default: the
   * host terminal's (`Deno.consoleSize`) when output is the default stdout
   * and a terminal, else none.
   */
  size?: () => ConsoleSize | null;
}

/** The size of the host terminal on stdout, or null when stdout is no terminal. */
export function hostTerminalSize(): ConsoleSize | null {
  try {
    if (!Deno.stdout.isTerminal()) return null;
    const { rows, columns } = Deno.consoleSize();
    return rows > 0 && columns > 0 ? { rows, cols: columns } : null;
  } catch {
    return null;
  }
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
 * Host keys: on a terminal in raw mode Ctrl-A is the escape character, as
 * in QEMU: Ctrl-A x quits ({@link TerminalConsole.onQuit}), Ctrl-A h lists
 * the keys, Ctrl-A Ctrl-A sends one Ctrl-A to the guest; other keys can be
 * added with {@link TerminalConsole.addEscape}, and a key with no meaning is
 * dropped. The terminal mode is also restored when the host process is
 * ended by SIGTERM, SIGINT or SIGHUP (it then exits with 128 + the signal).
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
  /** See {@link ConsoleIo.onResize}; called on the host's SIGWINCH. */
  onResize: (() => void) | null = null;
  readonly #size: () => ConsoleSize | null;
  /**
   * Ctrl-A x: default ends the host process (status 0) after restoring the
   * terminal; a boot sets it to stop the machine cleanly.
   */
  onQuit: () => void = () => {
    this.close();
    Deno.exit(0);
  };
  readonly #escapes = new Map<number, EscapeKey>();
  #escapeArmed = false;
  // The monitor (C-a c): while on, typed lines go to it, not to the guest.
  #monitor: ((line: string) => Promise<string>) | null = null;
  #monitorOn = false;
  #monitorLine = "";
  #monitorBusy: Promise<void> = Promise.resolve();
  #escapesOn = false;
  readonly #signalHandlers: [Deno.Signal, () => void][] = [];
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
    this.#size = options.size ?? (options.output === undefined ? hostTerminalSize : () => null);
    this.addEscape("h", "print this help", () => this.#printEscapeHelp());
    this.addEscape("x", "exit the machine", () => {
      this.#writeText("\nstrata: terminated (C-a x)\n");
      this.onQuit();
    });
  }

  /** The host window size (see {@link TerminalConsoleOptions.size}). */
  size(): ConsoleSize | null {
    return this.#size();
  }

  /** Adds (or replaces) the host key `key` typed after Ctrl-A. */
  addEscape(key: string, help: string, action: () => void): void {
    this.#escapes.set(key.charCodeAt(0), { key, help, action });
  }

  /**
   * Installs the monitor: Ctrl-A c switches the keyboard between the guest
   * and the monitor, which gets each typed line and answers with text (as
   * QEMU's `-serial mon:stdio`). The guest keeps running meanwhile.
   */
  setMonitor(run: (line: string) => Promise<string>): void {
    this.#monitor = run;
    this.addEscape("c", "switch between the console and the monitor", () => {
      this.#monitorOn = !this.#monitorOn;
      this.#monitorLine = "";
      this.#writeText(this.#monitorOn ? "\nStrata monitor - type 'help'\n(strata) " : "\n");
    });
  }

  /** A key typed while the monitor has the keyboard: line editing, Enter runs the line. */
  #monitorKey(b: number): void {
    if (b === 0x0d || b === 0x0a) {
      const line = this.#monitorLine;
      this.#monitorLine = "";
      this.#writeText("\n");
      const run = this.#monitor!;
      this.#monitorBusy = this.#monitorBusy.then(async () => {
        const out = await run(line);
        this.#writeText((out === "" ? "" : out + "\n") + (this.#monitorOn ? "(strata) " : ""));
      });
    } else if (b === 0x7f || b === 0x08) {
      if (this.#monitorLine.length > 0) {
        this.#monitorLine = this.#monitorLine.slice(0, -1);
        this.#writeText("\b \b");
      }
    } else if (b >= 0x20 && b < 0x7f) {
      this.#monitorLine += String.fromCharCode(b);
      this.#writeText(String.fromCharCode(b));
    }
  }

  #printEscapeHelp(): void {
    const lines = [...this.#escapes.values()].sort((a, b) => a.key.localeCompare(b.key))
      .map((e) => `C-a ${e.key}    ${e.help}`);
    lines.push("C-a C-a  send C-a");
    this.#writeText(`\n${lines.join("\n")}\n`);
  }

  /** Writes host text to the terminal (whose output processing, kept in Deno's raw mode, adds CR). */
  #writeText(text: string): void {
    for (const b of new TextEncoder().encode(text)) this.#put(b);
    this.flush();
  }

  /** Takes the host keys out of a raw terminal's input (see the class notes). */
  #filterEscapes(chunk: Uint8Array): Uint8Array {
    if (!this.#escapeArmed && !this.#monitorOn && chunk.indexOf(ESCAPE_CHAR) < 0) return chunk;
    const out: number[] = [];
    for (const b of chunk) {
      if (this.#escapeArmed) {
        this.#escapeArmed = false;
        if (b === ESCAPE_CHAR && !this.#monitorOn) out.push(b);
        else this.#escapes.get(b)?.action();
      } else if (b === ESCAPE_CHAR) this.#escapeArmed = true;
      else if (this.#monitorOn) this.#monitorKey(b);
      else out.push(b);
    }
    return Uint8Array.from(out);
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
        this.#escapesOn = true;
        globalThis.addEventListener("unload", this.#restore);
        this.#watchSignals();
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
      const data = this.#escapesOn ? this.#filterEscapes(chunk.value) : chunk.value;
      if (this.#closed) return; // Ctrl-A x
      if (data.length > 0) this.#queue.push(data);
      // Woken even when host keys took every byte: Ctrl-A x may have stopped the machine.
      this.#wake();
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
    if (this.onInput !== null) this.onInput();
  }

  /** Restores the terminal on the host signals that end the process (see the class notes). */
  #watchSignals(): void {
    const winch = () => this.onResize?.();
    try {
      Deno.addSignalListener("SIGWINCH", winch);
      this.#signalHandlers.push(["SIGWINCH", winch]);
    } catch {
      // Not a Unix host: the size stays as it was at boot.
    }
    for (const [name, number] of Object.entries(FATAL_SIGNALS)) {
      const sig = name as Deno.Signal;
      const handler = () => {
        this.close();
        Deno.exit(128 + number);
      };
      try {
        Deno.addSignalListener(sig, handler);
        this.#signalHandlers.push([sig, handler]);
      } catch {
        // Not a Unix host: nothing to watch.
      }
    }
  }

  #restoreMode(): void {
    if (!this.#rawSet) return;
    this.#rawSet = false;
    globalThis.removeEventListener("unload", this.#restore);
    for (const [sig, handler] of this.#signalHandlers.splice(0)) {
      try {
        Deno.removeSignalListener(sig, handler);
      } catch {
        // not registered
      }
    }
    try {
      this.#input.setRaw?.(false);
    } catch {
      // The terminal may already be gone at exit.
    }
  }
}
