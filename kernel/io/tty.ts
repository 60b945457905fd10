/**
 * The tty line discipline (N_TTY): input editing, echo, signals, job
 * control, termios and window size, between a serial driver and the
 * processes that read and write the terminal.
 *
 * The driver pushes received bytes with {@link Tty.receive} (interrupt
 * context) and takes output through the {@link TtyPort} it attaches.
 * Processes reach the tty through {@link Tty.fileOps}. Reads that cannot be
 * satisfied return K.AGAIN without consuming input (see
 * `kernel/ipc/wait_queue.ts`); the caller sleeps on the read queue.
 *
 * Supported: ICRNL, INLCR, IGNCR, ISTRIP on input; OPOST with ONLCR and OCRNL on
 * output; ISIG (VINTR, VQUIT, VSUSP), ICANON with VERASE (and ^H),
 * VKILL, VWERASE (IEXTEN), VEOF, VEOL, VEOL2, IUTF8 erase; ECHO, ECHOE, ECHOK, ECHOKE,
 * ECHONL, ECHOCTL; NOFLSH; TOSTOP; non-canonical VMIN/VTIME. Not supported:
 * IXON/IXOFF flow control, VREPRINT, VLNEXT, VDISCARD, parity and baud
 * settings (stored and reported, no effect).
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import { SIG } from "../ipc/signal_numbers.ts";
import { WaitQueue } from "../ipc/wait_queue.ts";
import type { FileCaller, FileOps, OpenFile } from "../fs/types.ts";
import { OpenFlags, PollState } from "../fs/types.ts";

/** Input mode flags (c_iflag, Linux asm-generic values). */
export const IFLAG = {
  IGNBRK: 0o1,
  BRKINT: 0o2,
  IGNPAR: 0o4,
  PARMRK: 0o10,
  INPCK: 0o20,
  ISTRIP: 0o40,
  INLCR: 0o100,
  IGNCR: 0o200,
  ICRNL: 0o400,
  IUCLC: 0o1000,
  IXON: 0o2000,
  IXANY: 0o4000,
  IXOFF: 0o10000,
  IMAXBEL: 0o20000,
  IUTF8: 0o40000,
} as const;

/** Output mode flags (c_oflag). */
export const OFLAG = {
  OPOST: 0o1,
  OLCUC: 0o2,
  ONLCR: 0o4,
  OCRNL: 0o10,
  ONOCR: 0o20,
  ONLRET: 0o40,
} as const;

/** Control mode flags (c_cflag). */
export const CFLAG = {
  CBAUD: 0o10017,
  B9600: 0o15,
  B38400: 0o17,
  CSIZE: 0o60,
  CS8: 0o60,
  CSTOPB: 0o100,
  CREAD: 0o200,
  PARENB: 0o400,
  PARODD: 0o1000,
  HUPCL: 0o2000,
  CLOCAL: 0o4000,
} as const;

/** Local mode flags (c_lflag). */
export const LFLAG = {
  ISIG: 0o1,
  ICANON: 0o2,
  XCASE: 0o4,
  ECHO: 0o10,
  ECHOE: 0o20,
  ECHOK: 0o40,
  ECHONL: 0o100,
  NOFLSH: 0o200,
  TOSTOP: 0o400,
  ECHOCTL: 0o1000,
  ECHOPRT: 0o2000,
  ECHOKE: 0o4000,
  FLUSHO: 0o10000,
  PENDIN: 0o40000,
  IEXTEN: 0o100000,
} as const;

/** Indices into c_cc. */
export const VCC = {
  VINTR: 0,
  VQUIT: 1,
  VERASE: 2,
  VKILL: 3,
  VEOF: 4,
  VTIME: 5,
  VMIN: 6,
  VSWTC: 7,
  VSTART: 8,
  VSTOP: 9,
  VSUSP: 10,
  VEOL: 11,
  VREPRINT: 12,
  VDISCARD: 13,
  VWERASE: 14,
  VLNEXT: 15,
  VEOL2: 16,
} as const;

/** Number of control characters in the asm-generic struct termios. */
export const NCCS = 19;
/** Size of the asm-generic struct termios (4 x u32, c_line, c_cc[19]). */
export const TERMIOS_SIZE = 36;

/** tty ioctl numbers (asm-generic). */
export const TtyIoctl = {
  TCGETS: 0x5401,
  TCSETS: 0x5402,
  TCSETSW: 0x5403,
  TCSETSF: 0x5404,
  TCFLSH: 0x540b,
  TIOCSCTTY: 0x540e,
  TIOCGPGRP: 0x540f,
  TIOCSPGRP: 0x5410,
  TIOCOUTQ: 0x5411,
  TIOCGWINSZ: 0x5413,
  TIOCSWINSZ: 0x5414,
  FIONREAD: 0x541b,
  FIONBIO: 0x5421,
  TIOCNOTTY: 0x5422,
  TIOCGSID: 0x5429,
} as const;

/** A terminal's settings, as struct termios holds them. */
export interface Termios {
  /** Input modes. */
  iflag: number;
  /** Output modes. */
  oflag: number;
  /** Control modes. */
  cflag: number;
  /** Local modes. */
  lflag: number;
  /** Line discipline number (0 = N_TTY). */
  line: number;
  /** Control characters (NCCS bytes). */
  cc: Uint8Array;
}

/** The settings of Linux's `tty_std_termios` (what `stty sane` gives, near enough). */
export function defaultTermios(): Termios {
  return {
    iflag: IFLAG.ICRNL | IFLAG.IXON,
    oflag: OFLAG.OPOST | OFLAG.ONLCR,
    cflag: CFLAG.B38400 | CFLAG.CS8 | CFLAG.CREAD | CFLAG.HUPCL,
    lflag: LFLAG.ISIG | LFLAG.ICANON | LFLAG.ECHO | LFLAG.ECHOE | LFLAG.ECHOK |
      LFLAG.ECHOCTL | LFLAG.ECHOKE | LFLAG.IEXTEN,
    line: 0,
    // ^C ^\ DEL ^U ^D 0 1 0 ^Q ^S ^Z 0 ^R ^O ^W ^V 0 (Linux INIT_C_CC)
    cc: Uint8Array.of(3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0),
  };
}

/** Encodes termios as the 36-byte asm-generic struct (little-endian). */
export function encodeTermios(t: Termios): Uint8Array {
  const out = new Uint8Array(TERMIOS_SIZE);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, t.iflag >>> 0, true);
  dv.setUint32(4, t.oflag >>> 0, true);
  dv.setUint32(8, t.cflag >>> 0, true);
  dv.setUint32(12, t.lflag >>> 0, true);
  out[16] = t.line;
  out.set(t.cc.subarray(0, NCCS), 17);
  return out;
}

/** Decodes the 36-byte asm-generic struct termios. */
export function decodeTermios(b: Uint8Array): Termios {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    iflag: dv.getUint32(0, true),
    oflag: dv.getUint32(4, true),
    cflag: dv.getUint32(8, true),
    lflag: dv.getUint32(12, true),
    line: b[16],
    cc: b.slice(17, 17 + NCCS),
  };
}

/** Window size (struct winsize). */
export interface WinSize {
  /** Rows. */
  rows: number;
  /** Columns. */
  cols: number;
  /** Width in pixels (unused). */
  xpixel: number;
  /** Height in pixels (unused). */
  ypixel: number;
}

/** The output side of a tty: the serial driver (or a test double). */
export interface TtyPort {
  /** Queues bytes for transmission (copy them: the tty reuses the buffer). */
  transmit(bytes: Uint8Array): void;
  /** Bytes the driver can queue now; omitted means unlimited. */
  outputRoom?(): number;
  /** Bytes queued and not yet sent (TIOCOUTQ). */
  outputQueued?(): number;
}

/** Options of a {@link Tty}. */
export interface TtyOptions {
  /** Name for diagnostics, e.g. `console` or `ttyS0`. */
  name?: string;
  /** Sends signal `sig` (kernel-native numbers, `kernel/ipc/signal_numbers.ts`) to group `pgid`. */
  signalGroup?(pgid: number, sig: number): void;
  /** Starts a one-shot timer of `deciseconds` tenths of a second (for VTIME). */
  startTimer?(deciseconds: number, callback: () => void): void;
  /** Initial window size (default 24 x 80). */
  rows?: number;
  /** Initial columns (default 80). */
  cols?: number;
}

/** Counters of a tty. */
export interface TtyStats {
  /** Bytes received from the driver. */
  rxBytes: number;
  /** Bytes sent to the driver (after output processing, including echo). */
  txBytes: number;
  /** Input bytes dropped because the input buffer was full. */
  dropped: number;
  /** Signals generated from input characters. */
  signals: number;
}

/** Largest input held (Linux N_TTY_BUF_SIZE). */
export const TTY_BUF_SIZE = 4096;

const NL = 10, CR = 13, BS = 8, DEL = 127, TAB = 9;

interface InputLine {
  bytes: number[];
  /** Ends in an EOF (^D): a read stops here, and an empty one reads as 0. */
  eof: boolean;
}

/** One terminal: line discipline state plus its file operations. */
export class Tty {
  /** Name for diagnostics. */
  readonly name: string;
  /** Current settings (replace through TCSETS or {@link Tty.setTermios}). */
  termios: Termios = defaultTermios();
  /** Window size. */
  readonly winsize: WinSize;
  /** Foreground process group (0: none). */
  foregroundPgrp = 0;
  /** Session this is the controlling terminal of (0: none). */
  session = 0;
  /** Readers sleep here. */
  readonly readQueue: WaitQueue = new WaitQueue("tty-read");
  /** Writers sleep here when the driver's queue is full. */
  readonly writeQueue: WaitQueue = new WaitQueue("tty-write");
  /** Counters. */
  readonly stats: TtyStats = { rxBytes: 0, txBytes: 0, dropped: 0, signals: 0 };
  /** The file operations for /dev nodes of this tty. */
  readonly fileOps: FileOps;

  #port: TtyPort | null = null;
  readonly #signalGroup: (pgid: number, sig: number) => void;
  readonly #startTimer: ((ds: number, cb: () => void) => void) | undefined;
  #editing: number[] = [];
  #lines: InputLine[] = [];
  #raw: number[] = [];
  #rawHead = 0;
  #hungUp = false;
  #timerPending = false;
  #timedOut = false;
  #echo: number[] = [];
  #outBuf = new Uint8Array(256);

  /** Creates a tty with Linux default settings and no port (output is discarded until one attaches). */
  constructor(options: TtyOptions = {}) {
    this.name = options.name ?? "tty";
    this.winsize = { rows: options.rows ?? 24, cols: options.cols ?? 80, xpixel: 0, ypixel: 0 };
    this.#signalGroup = options.signalGroup ?? (() => {});
    this.#startTimer = options.startTimer;
    this.fileOps = makeTtyOps(this);
  }

  /** Connects the driver that carries output (called by the driver). */
  attachPort(port: TtyPort): void {
    this.#port = port;
  }

  /** True after {@link Tty.hangup}. */
  get hungUp(): boolean {
    return this.#hungUp;
  }

  /** Line gone: readers see EOF, writers K.IO, the foreground group gets SIGHUP. */
  hangup(): void {
    this.#hungUp = true;
    if (this.foregroundPgrp > 0) this.#signalGroup(this.foregroundPgrp, SIG.HUP);
    this.readQueue.wakeAll();
    this.writeQueue.wakeAll();
  }

  /** Called by the driver when its output queue has room again. */
  outputDrained(): void {
    this.writeQueue.wakeAll();
  }

  // ---- input (driver side) ----

  /** Processes bytes received from the line (driver interrupt context). */
  receive(bytes: Uint8Array): void {
    const t = this.termios;
    const lflag = t.lflag;
    const cc = t.cc;
    let wake = false;
    for (let i = 0; i < bytes.length; i++) {
      let c = bytes[i];
      this.stats.rxBytes++;
      if (t.iflag & IFLAG.ISTRIP) c &= 0x7f;
      if (c === CR) {
        if (t.iflag & IFLAG.IGNCR) continue;
        if (t.iflag & IFLAG.ICRNL) c = NL;
      } else if (c === NL && (t.iflag & IFLAG.INLCR)) c = CR;

      if (lflag & LFLAG.ISIG) {
        const sig = c === 0
          ? 0
          : c === cc[VCC.VINTR]
          ? SIG.INT
          : c === cc[VCC.VQUIT]
          ? SIG.QUIT
          : c === cc[VCC.VSUSP]
          ? SIG.TSTP
          : 0;
        if (sig !== 0) {
          if (!(lflag & LFLAG.NOFLSH)) this.#flushInput();
          if (lflag & LFLAG.ECHO) this.#echoChar(c);
          this.stats.signals++;
          if (this.foregroundPgrp > 0) this.#signalGroup(this.foregroundPgrp, sig);
          wake = true;
          continue;
        }
      }

      if (!(lflag & LFLAG.ICANON)) {
        if (this.#rawLength() >= TTY_BUF_SIZE) {
          this.stats.dropped++;
          continue;
        }
        this.#raw.push(c);
        if (lflag & LFLAG.ECHO) this.#echoChar(c);
        else if (c === NL && (lflag & LFLAG.ECHONL)) this.#echoChar(c);
        wake = true;
        continue;
      }

      if (c !== 0 && (c === cc[VCC.VERASE] || c === BS || c === DEL)) {
        this.#erase(1);
        continue;
      }
      if (c !== 0 && c === cc[VCC.VKILL]) {
        this.#erase(2);
        continue;
      }
      if (c !== 0 && c === cc[VCC.VWERASE] && (lflag & LFLAG.IEXTEN)) {
        this.#erase(3);
        continue;
      }
      if (c !== 0 && c === cc[VCC.VEOF]) {
        this.#lines.push({ bytes: this.#editing, eof: true });
        this.#editing = [];
        wake = true;
        continue;
      }
      const eol = c === NL || (c !== 0 && (c === cc[VCC.VEOL] || c === cc[VCC.VEOL2]));
      if (this.#editing.length >= TTY_BUF_SIZE - 1 && !eol) {
        this.stats.dropped++;
        continue;
      }
      this.#editing.push(c);
      if (lflag & LFLAG.ECHO) this.#echoChar(c);
      else if (c === NL && (lflag & LFLAG.ECHONL)) this.#echoChar(c);
      if (eol) {
        this.#lines.push({ bytes: this.#editing, eof: false });
        this.#editing = [];
        wake = true;
      }
    }
    this.#flushEcho();
    if (wake) this.readQueue.wakeAll();
  }

  /** kind 1: one character, 2: the whole line (VKILL), 3: one word (VWERASE). */
  #erase(kind: number): void {
    const lflag = this.termios.lflag;
    const line = this.#editing;
    if (line.length === 0) return;
    if (kind === 2 && (lflag & LFLAG.ECHO) && !(lflag & LFLAG.ECHOKE)) {
      line.length = 0;
      if (lflag & LFLAG.ECHOK) {
        this.#echoChar(this.termios.cc[VCC.VKILL]);
        this.#echoChar(NL);
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
      const utf8 = (this.termios.iflag & IFLAG.IUTF8) !== 0;
      if (utf8 && (c & 0xc0) === 0x80) {
        while (line.length > 0 && (line[line.length - 1] & 0xc0) === 0x80) line.pop();
        if (line.length > 0 && line[line.length - 1] >= 0xc0) line.pop();
      }
      if ((lflag & LFLAG.ECHO) && (lflag & (LFLAG.ECHOE | LFLAG.ECHOKE))) {
        const width = isControl(c) && (lflag & LFLAG.ECHOCTL) ? 2 : 1;
        for (let k = 0; k < width; k++) this.#echo.push(BS, 32, BS);
      }
      if (kind === 1) break;
    }
  }

  #echoChar(c: number): void {
    if (isControl(c) && (this.termios.lflag & LFLAG.ECHOCTL)) {
      this.#echo.push(94, c === DEL ? 63 : c + 64);
    } else {
      this.#echo.push(c);
    }
  }

  #flushEcho(): void {
    if (this.#echo.length === 0) return;
    const bytes = Uint8Array.from(this.#echo);
    this.#echo.length = 0;
    this.#output(bytes, bytes.length);
  }

  #flushInput(): void {
    this.#editing = [];
    this.#lines = [];
    this.#raw = [];
    this.#rawHead = 0;
  }

  #rawLength(): number {
    return this.#raw.length - this.#rawHead;
  }

  /** Bytes a read could return now (FIONREAD). */
  get available(): number {
    if (this.termios.lflag & LFLAG.ICANON) {
      let n = 0;
      for (const l of this.#lines) n += l.bytes.length;
      return n;
    }
    return this.#rawLength();
  }

  /** True when a read would not block. */
  readReady(): boolean {
    if (this.#hungUp) return true;
    if (this.termios.lflag & LFLAG.ICANON) return this.#lines.length > 0;
    const vmin = this.termios.cc[VCC.VMIN];
    return this.#rawLength() >= Math.max(1, vmin) || vmin === 0 && this.termios.cc[VCC.VTIME] === 0;
  }

  // ---- process side ----

  /** Reads input per the current mode; K.AGAIN when the caller must wait. */
  read(_file: OpenFile | null, buf: Uint8Array, caller: FileCaller | null): number {
    if (caller !== null && this.#isBackground(caller)) {
      this.#signalGroup(caller.pgid, SIG.TTIN);
      return K.INTR;
    }
    if (buf.length === 0) return 0;
    if (this.termios.lflag & LFLAG.ICANON) {
      const line = this.#lines[0];
      if (line === undefined) return this.#hungUp ? 0 : K.AGAIN;
      const n = Math.min(buf.length, line.bytes.length);
      for (let i = 0; i < n; i++) buf[i] = line.bytes[i];
      if (n === line.bytes.length) this.#lines.shift();
      else line.bytes.splice(0, n);
      return n;
    }
    const avail = this.#rawLength();
    const vmin = this.termios.cc[VCC.VMIN];
    const vtime = this.termios.cc[VCC.VTIME];
    const want = Math.min(buf.length, Math.max(vmin, 1));
    let ready = avail >= want;
    if (!ready && vmin === 0 && vtime === 0) ready = true;
    if (!ready && this.#timedOut) ready = true; // VTIME expired: return what there is (maybe 0)
    if (!ready && this.#hungUp) ready = true;
    if (!ready) {
      if (vtime > 0 && (vmin === 0 || avail > 0)) this.#armTimer(vtime);
      return K.AGAIN;
    }
    this.#timedOut = false;
    const n = Math.min(buf.length, avail);
    for (let i = 0; i < n; i++) buf[i] = this.#raw[this.#rawHead + i];
    this.#rawHead += n;
    if (this.#rawHead === this.#raw.length) {
      this.#raw = [];
      this.#rawHead = 0;
    } else if (this.#rawHead > 1024) {
      this.#raw = this.#raw.slice(this.#rawHead);
      this.#rawHead = 0;
    }
    return n;
  }

  #armTimer(vtime: number): void {
    if (this.#timerPending || this.#startTimer === undefined) return;
    this.#timerPending = true;
    this.#startTimer(vtime, () => {
      this.#timerPending = false;
      this.#timedOut = true;
      this.readQueue.wakeAll();
    });
  }

  /** Writes with output processing; returns bytes of `data` consumed or K.AGAIN. */
  write(data: Uint8Array, caller: FileCaller | null): number {
    if (this.#hungUp) return K.IO;
    if (
      caller !== null && (this.termios.lflag & LFLAG.TOSTOP) && this.#isBackground(caller)
    ) {
      this.#signalGroup(caller.pgid, SIG.TTOU);
      return K.INTR;
    }
    if (data.length === 0) return 0;
    const room = this.#port?.outputRoom?.() ?? Infinity;
    if (room <= 0) return K.AGAIN;
    // Output processing at most doubles the size (\n -> \r\n), so half the room is safe.
    const take = room === Infinity ? data.length : Math.max(1, Math.min(data.length, room >> 1));
    return this.#output(data, take);
  }

  /** Kernel console output (printk, panic): processed like a write, never blocks. */
  writeKernel(data: Uint8Array): void {
    this.#output(data, data.length);
  }

  /** Applies OPOST processing to `data[0..count)` and transmits it; returns count. */
  #output(data: Uint8Array, count: number): number {
    const oflag = this.termios.oflag;
    let out: Uint8Array;
    if (!(oflag & OFLAG.OPOST) || !(oflag & (OFLAG.ONLCR | OFLAG.OCRNL))) {
      out = data.subarray(0, count);
    } else {
      // A reused scratch buffer: no allocation per write once it has grown.
      if (this.#outBuf.length < 2 * count) this.#outBuf = new Uint8Array(2 * count);
      const buf = this.#outBuf;
      let n = 0;
      for (let i = 0; i < count; i++) {
        const c = data[i];
        if (c === NL && (oflag & OFLAG.ONLCR)) {
          buf[n++] = CR;
          buf[n++] = NL;
        } else if (c === CR && (oflag & OFLAG.OCRNL)) buf[n++] = NL;
        else buf[n++] = c;
      }
      out = buf.subarray(0, n);
    }
    this.stats.txBytes += out.length;
    this.#port?.transmit(out);
    return count;
  }

  #isBackground(caller: FileCaller): boolean {
    return this.session > 0 && this.foregroundPgrp > 0 && caller.sid === this.session &&
      caller.pgid !== this.foregroundPgrp;
  }

  /** Replaces the settings; moving between canonical and raw keeps pending input. */
  setTermios(t: Termios, flushInput = false): void {
    const wasCanon = (this.termios.lflag & LFLAG.ICANON) !== 0;
    const cc = new Uint8Array(NCCS);
    cc.set(t.cc.subarray(0, NCCS));
    this.termios = {
      iflag: t.iflag,
      oflag: t.oflag,
      cflag: t.cflag,
      lflag: t.lflag,
      line: t.line,
      cc,
    };
    if (flushInput) this.#flushInput();
    const isCanon = (t.lflag & LFLAG.ICANON) !== 0;
    if (wasCanon && !isCanon) {
      const bytes: number[] = [];
      for (const l of this.#lines) bytes.push(...l.bytes);
      bytes.push(...this.#editing);
      this.#lines = [];
      this.#editing = [];
      this.#raw = this.#raw.slice(this.#rawHead).concat(bytes);
      this.#rawHead = 0;
    } else if (!wasCanon && isCanon && this.#rawLength() > 0) {
      this.#lines.push({ bytes: this.#raw.slice(this.#rawHead), eof: false });
      this.#raw = [];
      this.#rawHead = 0;
    }
    this.#timedOut = false;
    this.readQueue.wakeAll();
  }

  /** Terminal ioctls; K.NOTTY for commands a tty does not know. */
  ioctl(file: OpenFile | null, cmd: number, arg: number, caller: FileCaller): number {
    const mem = caller.memory;
    switch (cmd) {
      case TtyIoctl.TCGETS:
        return mem.copyOut(arg, encodeTermios(this.termios)) ? K.OK : K.FAULT;
      case TtyIoctl.TCSETS:
      case TtyIoctl.TCSETSW:
      case TtyIoctl.TCSETSF: {
        const b = mem.copyIn(arg, TERMIOS_SIZE);
        if (b === null) return K.FAULT;
        // TCSETSW waits for output to drain: output is already handed to the driver's queue.
        this.setTermios(decodeTermios(b), cmd === TtyIoctl.TCSETSF);
        return K.OK;
      }
      case TtyIoctl.TIOCGWINSZ: {
        const b = new Uint8Array(8);
        const dv = new DataView(b.buffer);
        dv.setUint16(0, this.winsize.rows, true);
        dv.setUint16(2, this.winsize.cols, true);
        dv.setUint16(4, this.winsize.xpixel, true);
        dv.setUint16(6, this.winsize.ypixel, true);
        return mem.copyOut(arg, b) ? K.OK : K.FAULT;
      }
      case TtyIoctl.TIOCSWINSZ: {
        const b = mem.copyIn(arg, 8);
        if (b === null) return K.FAULT;
        const dv = new DataView(b.buffer, b.byteOffset, 8);
        this.setWinSize(dv.getUint16(0, true), dv.getUint16(2, true));
        this.winsize.xpixel = dv.getUint16(4, true);
        this.winsize.ypixel = dv.getUint16(6, true);
        return K.OK;
      }
      case TtyIoctl.TIOCGPGRP:
        return putU32(mem, arg, this.foregroundPgrp);
      case TtyIoctl.TIOCSPGRP: {
        const b = mem.copyIn(arg, 4);
        if (b === null) return K.FAULT;
        const pgid = new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);
        if (pgid < 0) return K.INVAL;
        if (this.session > 0 && caller.sid !== this.session) return K.NOTTY;
        this.foregroundPgrp = pgid;
        return K.OK;
      }
      case TtyIoctl.TIOCGSID:
        if (this.session === 0) return K.NOTTY;
        return putU32(mem, arg, this.session);
      case TtyIoctl.TIOCSCTTY:
        if (this.session === caller.sid) return K.OK;
        if (this.session > 0 && arg !== 1) return K.PERM;
        this.session = caller.sid;
        this.foregroundPgrp = caller.pgid;
        return K.OK;
      case TtyIoctl.TIOCNOTTY:
        if (this.session === 0 || caller.sid !== this.session) return K.NOTTY;
        if (caller.pid === caller.sid) {
          if (this.foregroundPgrp > 0) {
            this.#signalGroup(this.foregroundPgrp, SIG.HUP);
            this.#signalGroup(this.foregroundPgrp, SIG.CONT);
          }
          this.session = 0;
          this.foregroundPgrp = 0;
        }
        return K.OK;
      case TtyIoctl.FIONREAD:
        return putU32(mem, arg, this.available);
      case TtyIoctl.TIOCOUTQ:
        return putU32(mem, arg, this.#port?.outputQueued?.() ?? 0);
      case TtyIoctl.TCFLSH:
        if (arg < 0 || arg > 2) return K.INVAL;
        if (arg !== 1) this.#flushInput();
        return K.OK;
      case TtyIoctl.FIONBIO: {
        if (file === null) return K.INVAL;
        const b = mem.copyIn(arg, 4);
        if (b === null) return K.FAULT;
        const on = new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true) !== 0;
        file.flags = on ? file.flags | OpenFlags.NONBLOCK : file.flags & ~OpenFlags.NONBLOCK;
        return K.OK;
      }
      default:
        return K.NOTTY;
    }
  }

  /** Sets the window size; a change sends SIGWINCH to the foreground group. */
  setWinSize(rows: number, cols: number): void {
    const changed = rows !== this.winsize.rows || cols !== this.winsize.cols;
    this.winsize.rows = rows;
    this.winsize.cols = cols;
    if (changed && this.foregroundPgrp > 0) this.#signalGroup(this.foregroundPgrp, SIG.WINCH);
  }
}

function isControl(c: number): boolean {
  return (c < 32 && c !== NL && c !== TAB) || c === DEL;
}

function putU32(mem: FileCaller["memory"], addr: number, v: number): KStatus {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return mem.copyOut(addr, b) ? K.OK : K.FAULT;
}

function makeTtyOps(tty: Tty): FileOps {
  return {
    isStream: true,
    read: (file, buf, caller) => tty.read(file, buf, caller),
    write: (_file, data, caller) => tty.write(data, caller),
    ioctl: (file, cmd, arg, caller) => tty.ioctl(file, cmd, arg, caller),
    waitQueue: (_file, direction) => direction === "read" ? tty.readQueue : tty.writeQueue,
    // Console output never waits for long: always writable.
    pollState: () => (tty.readReady() ? PollState.READABLE : 0) | PollState.WRITABLE,
  };
}
