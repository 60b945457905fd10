/**
 * The tty line discipline (N_TTY): input editing, echo, signals, job
 * control, termios and window size, between a serial driver and the
 * processes that read and write the terminal.
 *
 * The driver pushes received bytes with {@link Tty.receive} (interrupt
 * context) and takes output through the {@link TtyPort} it attaches.
 * Processes reach the tty through {@link Tty.fileOps}. Reads that cannot
 * be satisfied return K.AGAIN without consuming input (see
 * `kernel/ipc/wait_queue.ts`); the caller sleeps on the read queue.
 *
 * This file holds the receive path (input mapping, signal characters), the
 * reads (a line, or VMIN/VTIME in non-canonical mode), output processing
 * and the ioctl dispatch. The pending input and its editing and echo are in
 * `tty_input.ts`, the settings ioctls in `tty_ioctl.ts`, the session,
 * foreground group and background checks in `tty_job_control.ts`; the
 * settings themselves (termios, winsize, ioctl numbers) in `termios.ts`, the
 * driver contract in `tty_port.ts`.
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

import { K } from "../errors.ts";
import { SIG } from "../ipc/signal_numbers.ts";
import { WaitQueue } from "../ipc/wait_queue.ts";
import type { FileCaller, FileOps, OpenFile } from "../fs/types.ts";
import { OpenFlags, PollState } from "../fs/types.ts";
import {
  defaultTermios,
  IFLAG,
  LFLAG,
  NCCS,
  OFLAG,
  type Termios,
  TtyIoctl,
  VCC,
  type WinSize,
} from "./termios.ts";
import type { TtyOptions, TtyPort, TtyStats } from "./tty_port.ts";
import { TtyInput } from "./tty_input.ts";
import { putU32, settingsIoctl } from "./tty_ioctl.ts";
import { isBackground, jobControlIoctl } from "./tty_job_control.ts";

// The settings and the driver contract stay importable from here.
export * from "./termios.ts";
export type { TtyOptions, TtyPort, TtyStats } from "./tty_port.ts";
export { TTY_BUF_SIZE } from "./tty_input.ts";

const NL = 10, CR = 13;

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
  readonly #input: TtyInput = new TtyInput(this.stats);
  #hungUp = false;
  #timerPending = false;
  #timedOut = false;
  // Bumped to forget a VTIME timer that is still pending (its callback then does nothing).
  #timerGeneration = 0;
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

  /** Sends `sig` to process group `pgid` through the hook the tty was made with. */
  signal(pgid: number, sig: number): void {
    this.#signalGroup(pgid, sig);
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
    let wake = false;
    for (let i = 0; i < bytes.length; i++) {
      this.stats.rxBytes++;
      const c = this.#mapInput(bytes[i]);
      if (c >= 0 && this.#receiveOne(c)) wake = true;
    }
    this.#flushEcho();
    if (!wake) return;
    // With VMIN > 0, VTIME is an inter-byte timer: each byte starts it again
    // (the woken reader arms a fresh one if it still waits).
    if (
      this.#timerPending && !(this.termios.lflag & LFLAG.ICANON) && this.termios.cc[VCC.VMIN] > 0
    ) {
      this.#forgetTimer();
    }
    this.readQueue.wakeAll();
  }

  /** Input mapping (ISTRIP, IGNCR, ICRNL, INLCR): the byte to process, or -1 to drop it. */
  #mapInput(byte: number): number {
    const iflag = this.termios.iflag;
    let c = byte;
    if (iflag & IFLAG.ISTRIP) c &= 0x7f;
    if (c === CR) {
      if (iflag & IFLAG.IGNCR) return -1;
      if (iflag & IFLAG.ICRNL) c = NL;
    } else if (c === NL && (iflag & IFLAG.INLCR)) c = CR;
    return c;
  }

  /** Processes one input byte; true when readers should be woken. */
  #receiveOne(c: number): boolean {
    const t = this.termios;
    if ((t.lflag & LFLAG.ISIG) && this.#inputSignal(c)) return true;
    if (t.lflag & LFLAG.ICANON) return this.#input.receiveCanonical(c, t);
    return this.#input.receiveRaw(c, t);
  }

  /** VINTR, VQUIT and VSUSP (with ISIG): signals the foreground group; true if `c` was one. */
  #inputSignal(c: number): boolean {
    const cc = this.termios.cc;
    const lflag = this.termios.lflag;
    const sig = c === 0
      ? 0
      : c === cc[VCC.VINTR]
      ? SIG.INT
      : c === cc[VCC.VQUIT]
      ? SIG.QUIT
      : c === cc[VCC.VSUSP]
      ? SIG.TSTP
      : 0;
    if (sig === 0) return false;
    if (!(lflag & LFLAG.NOFLSH)) this.#input.flush();
    if (lflag & LFLAG.ECHO) this.#input.echoChar(c, lflag);
    this.stats.signals++;
    if (this.foregroundPgrp > 0) this.#signalGroup(this.foregroundPgrp, sig);
    return true;
  }

  #flushEcho(): void {
    const echo = this.#input.echo;
    if (echo.length === 0) return;
    const bytes = Uint8Array.from(echo);
    echo.length = 0;
    this.#output(bytes, bytes.length);
  }

  /** Bytes a read could return now (FIONREAD). */
  get available(): number {
    return this.#input.available((this.termios.lflag & LFLAG.ICANON) !== 0);
  }

  /** True when a read would not block. */
  readReady(): boolean {
    if (this.#hungUp) return true;
    if (this.termios.lflag & LFLAG.ICANON) return this.#input.hasLine();
    const vmin = this.termios.cc[VCC.VMIN];
    const raw = this.#input.rawLength();
    return raw >= Math.max(1, vmin) || vmin === 0 && this.termios.cc[VCC.VTIME] === 0;
  }

  // ---- process side ----

  /** Reads input per the current mode; K.AGAIN when the caller must wait. */
  read(_file: OpenFile | null, buf: Uint8Array, caller: FileCaller | null): number {
    if (caller !== null && isBackground(this, caller)) {
      this.#signalGroup(caller.pgid, SIG.TTIN);
      return K.INTR;
    }
    if (buf.length === 0) return 0;
    if (this.termios.lflag & LFLAG.ICANON) {
      const n = this.#input.readLine(buf);
      if (n < 0) return this.#hungUp ? 0 : K.AGAIN;
      return n;
    }
    const avail = this.#input.rawLength();
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
    this.#forgetTimer(); // a later read waits a whole VTIME of its own
    const n = Math.min(buf.length, avail);
    this.#input.readRaw(buf, n);
    return n;
  }

  #armTimer(vtime: number): void {
    if (this.#timerPending || this.#startTimer === undefined) return;
    this.#timerPending = true;
    const generation = this.#timerGeneration;
    this.#startTimer(vtime, () => {
      if (generation !== this.#timerGeneration) return; // forgotten: a read finished meanwhile
      this.#timerPending = false;
      this.#timedOut = true;
      this.readQueue.wakeAll();
    });
  }

  /** Drops the pending VTIME timer and its expiry, so the next wait starts afresh. */
  #forgetTimer(): void {
    this.#timerGeneration++;
    this.#timerPending = false;
    this.#timedOut = false;
  }

  /** Writes with output processing; returns bytes of `data` consumed or K.AGAIN. */
  write(data: Uint8Array, caller: FileCaller | null): number {
    if (this.#hungUp) return K.IO;
    if (
      caller !== null && (this.termios.lflag & LFLAG.TOSTOP) && isBackground(this, caller)
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
    if (flushInput) this.#input.flush();
    const isCanon = (t.lflag & LFLAG.ICANON) !== 0;
    if (wasCanon && !isCanon) this.#input.toRaw();
    else if (!wasCanon && isCanon) this.#input.toCanonical();
    this.#forgetTimer();
    this.readQueue.wakeAll();
  }

  /** Terminal ioctls; K.NOTTY for commands a tty does not know. */
  ioctl(file: OpenFile | null, cmd: number, arg: number, caller: FileCaller): number {
    switch (cmd) {
      case TtyIoctl.TCGETS:
      case TtyIoctl.TCSETS:
      case TtyIoctl.TCSETSW:
      case TtyIoctl.TCSETSF:
      case TtyIoctl.TIOCGWINSZ:
      case TtyIoctl.TIOCSWINSZ:
        return settingsIoctl(this, cmd, arg, caller.memory);
      case TtyIoctl.TIOCGPGRP:
      case TtyIoctl.TIOCSPGRP:
      case TtyIoctl.TIOCGSID:
      case TtyIoctl.TIOCSCTTY:
      case TtyIoctl.TIOCNOTTY:
        return jobControlIoctl(this, cmd, arg, caller);
      case TtyIoctl.FIONREAD:
        return putU32(caller.memory, arg, this.available);
      case TtyIoctl.TIOCOUTQ:
        return putU32(caller.memory, arg, this.#port?.outputQueued?.() ?? 0);
      case TtyIoctl.TCFLSH:
        if (arg < 0 || arg > 2) return K.INVAL;
        if (arg !== 1) this.#input.flush();
        return K.OK;
      case TtyIoctl.FIONBIO: {
        if (file === null) return K.INVAL;
        const b = caller.memory.copyIn(arg, 4);
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
