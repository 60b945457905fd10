/**
 * The input side of the tty line discipline (N_TTY): what the line typed,
 * held until a process reads it, and the echo it causes.
 *
 * - non-canonical input is one queue of bytes (`raw`, consumed from
 *   `rawHead`);
 * - canonical input is edited in `editing` (VERASE and ^H and DEL, VKILL,
 *   VWERASE with IEXTEN; with IUTF8 a multi-byte character is erased as one)
 *   and becomes a line in `lines` at a newline, VEOL, VEOL2 or VEOF (a line
 *   ended by VEOF is marked `eof`: a read stops there, an empty one reads 0);
 * - switching modes keeps pending input (lines become raw bytes, raw bytes
 *   one line);
 * - echo (ECHO, ECHONL, ECHOCTL as ^X, ECHOE/ECHOKE erasing with BS SP BS,
 *   ECHOK) collects in `echo` for the tty to send out;
 * - input beyond {@link TTY_BUF_SIZE} bytes is dropped and counted.
 *
 * @module
 */

import { IFLAG, LFLAG, type Termios, VCC } from "./termios.ts";
import type { TtyStats } from "./tty_port.ts";

/** Largest input held (Linux N_TTY_BUF_SIZE). */
export const TTY_BUF_SIZE = 4096;

const NL = 10, BS = 8, DEL = 127, TAB = 9;

interface InputLine {
  bytes: number[];
  /** Ends in an EOF (^D): a read stops here, and an empty one reads as 0. */
  eof: boolean;
}

/** The pending input of one tty, and the echo its editing produced. */
export class TtyInput {
  /** Bytes to echo, collected while input is processed (the tty sends and clears them). */
  readonly echo: number[] = [];
  readonly #stats: TtyStats;
  #editing: number[] = [];
  #lines: InputLine[] = [];
  #raw: number[] = [];
  #rawHead = 0;

  /** Empty input, counting dropped bytes in `stats`. */
  constructor(stats: TtyStats) {
    this.#stats = stats;
  }

  /** Bytes in the non-canonical queue. */
  rawLength(): number {
    return this.#raw.length - this.#rawHead;
  }

  /** True when a completed line (or EOF) waits. */
  hasLine(): boolean {
    return this.#lines.length > 0;
  }

  /** Bytes a read could return now (FIONREAD): completed lines, or the raw queue. */
  available(canonical: boolean): number {
    if (canonical) {
      let n = 0;
      for (const l of this.#lines) n += l.bytes.length;
      return n;
    }
    return this.rawLength();
  }

  /** Discards all pending input. */
  flush(): void {
    this.#editing = [];
    this.#lines = [];
    this.#raw = [];
    this.#rawHead = 0;
  }

  /** Non-canonical input of one byte; false when the queue is full (the byte is dropped). */
  receiveRaw(c: number, t: Termios): boolean {
    if (this.rawLength() >= TTY_BUF_SIZE) {
      this.#stats.dropped++;
      return false;
    }
    this.#raw.push(c);
    this.echoInput(c, t.lflag);
    return true;
  }

  /** Canonical-mode editing of one byte; true when a line (or EOF) became readable. */
  receiveCanonical(c: number, t: Termios): boolean {
    const cc = t.cc;
    if (c !== 0 && (c === cc[VCC.VERASE] || c === BS || c === DEL)) {
      this.#erase(1, t);
      return false;
    }
    if (c !== 0 && c === cc[VCC.VKILL]) {
      this.#erase(2, t);
      return false;
    }
    if (c !== 0 && c === cc[VCC.VWERASE] && (t.lflag & LFLAG.IEXTEN)) {
      this.#erase(3, t);
      return false;
    }
    if (c !== 0 && c === cc[VCC.VEOF]) {
      this.#lines.push({ bytes: this.#editing, eof: true });
      this.#editing = [];
      return true;
    }
    const eol = c === NL || (c !== 0 && (c === cc[VCC.VEOL] || c === cc[VCC.VEOL2]));
    if (this.#editing.length >= TTY_BUF_SIZE - 1 && !eol) {
      this.#stats.dropped++;
      return false;
    }
    this.#editing.push(c);
    this.echoInput(c, t.lflag);
    if (!eol) return false;
    this.#lines.push({ bytes: this.#editing, eof: false });
    this.#editing = [];
    return true;
  }

  /** kind 1: one character, 2: the whole line (VKILL), 3: one word (VWERASE). */
  #erase(kind: number, t: Termios): void {
    const lflag = t.lflag;
    const line = this.#editing;
    if (line.length === 0) return;
    if (kind === 2 && (lflag & LFLAG.ECHO) && !(lflag & LFLAG.ECHOKE)) {
      line.length = 0;
      if (lflag & LFLAG.ECHOK) {
        this.echoChar(t.cc[VCC.VKILL], lflag);
        this.echoChar(NL, lflag);
      }
      return;
    }
    let seenWord = false;
    while (line.length > 0) {
      const c = line[line.length - 1];
      if (kind === 3) {
        const space = c === 32 || c === TAB;
        if (space && seenWord) break;
        if (!space) seenWord = true;
      }
      line.pop();
      // With IUTF8 a multi-byte character goes as one (its continuation bytes take no column).
      const utf8 = (t.iflag & IFLAG.IUTF8) !== 0;
      if (utf8 && (c & 0xc0) === 0x80) {
        while (line.length > 0 && (line[line.length - 1] & 0xc0) === 0x80) line.pop();
        if (line.length > 0 && line[line.length - 1] >= 0xc0) line.pop();
      }
      if ((lflag & LFLAG.ECHO) && (lflag & (LFLAG.ECHOE | LFLAG.ECHOKE))) {
        const width = isControl(c) && (lflag & LFLAG.ECHOCTL) ? 2 : 1;
        for (let k = 0; k < width; k++) this.echo.push(BS, 32, BS);
      }
      if (kind === 1) break;
    }
  }

  /** Echoes an input byte (ECHO, or ECHONL for a newline). */
  echoInput(c: number, lflag: number): void {
    if (lflag & LFLAG.ECHO) this.echoChar(c, lflag);
    else if (c === NL && (lflag & LFLAG.ECHONL)) this.echoChar(c, lflag);
  }

  /** Echoes `c`, a control character as ^X with ECHOCTL. */
  echoChar(c: number, lflag: number): void {
    if (isControl(c) && (lflag & LFLAG.ECHOCTL)) {
      this.echo.push(94, c === DEL ? 63 : c + 64);
    } else {
      this.echo.push(c);
    }
  }

  /** Reads from the first completed line into `buf`; -1 when there is none. */
  readLine(buf: Uint8Array): number {
    const line = this.#lines[0];
    if (line === undefined) return -1;
    const n = Math.min(buf.length, line.bytes.length);
    for (let i = 0; i < n; i++) buf[i] = line.bytes[i];
    if (n === line.bytes.length) this.#lines.shift();
    else line.bytes.splice(0, n);
    return n;
  }

  /** Takes `n` bytes (at most {@link rawLength}) of the raw queue into `buf`. */
  readRaw(buf: Uint8Array, n: number): void {
    for (let i = 0; i < n; i++) buf[i] = this.#raw[this.#rawHead + i];
    this.#rawHead += n;
    if (this.#rawHead === this.#raw.length) {
      this.#raw = [];
      this.#rawHead = 0;
    } else if (this.#rawHead > 1024) {
      this.#raw = this.#raw.slice(this.#rawHead);
      this.#rawHead = 0;
    }
  }

  /** Canonical to raw: completed lines, then the line being edited, join the raw queue. */
  toRaw(): void {
    const bytes: number[] = [];
    for (const l of this.#lines) bytes.push(...l.bytes);
    bytes.push(...this.#editing);
    this.#lines = [];
    this.#editing = [];
    this.#raw = this.#raw.slice(this.#rawHead).concat(bytes);
    this.#rawHead = 0;
  }

  /** Raw to canonical: pending raw bytes become one completed line. */
  toCanonical(): void {
    if (this.rawLength() === 0) return;
    this.#lines.push({ bytes: this.#raw.slice(this.#rawHead), eof: false });
    this.#raw = [];
    this.#rawHead = 0;
  }
}

/** A control character for echo: below space (but newline and tab) and DEL. */
function isControl(c: number): boolean {
  return (c < 32 && c !== NL && c !== TAB) || c === DEL;
}
