/**
 * The SCSI-tape-style driver core for Strata's tape controller: one drive,
 * a queue of controller commands run one at a time from the interrupt, and
 * the Unix `st` semantics on top (see `docs/tape.md`).
 *
 * - commands: {@link StDriver.handleInterrupt} finishes the running command
 *   (acknowledging DONE, stopping the DMA channel if the record was shorter
 *   than the buffer) and starts the next queued one;
 * - foreground calls (read, write, ioctl) start their command and answer
 *   K.AGAIN; the restarted call finds the finished result and returns it
 *   (`docs/kernel.md`, blocking). A call arriving while the drive is busy
 *   waits on the same queue;
 * - close work (the filemark after writes, the rewind of /dev/st0) is queued
 *   without a waiter, as Linux's st does with immediate-mode rewinds: the
 *   next call waits for it.
 *
 * Data moves through a DMA buffer (or, with `pio`, through the data port).
 *
 * @module
 */

import {
  DMA_CONFIG,
  DMA_CONTROL,
  DMA_PERIPHERAL,
  DMA_REG,
  DMA_STATUS,
} from "../../../hw/dma_regs.ts";
import {
  TAPE_CMD,
  TAPE_CONTROL,
  TAPE_ERROR,
  TAPE_REG,
  TAPE_STATUS,
} from "../../../hw/tape_regs.ts";
import { K, type KStatus, WaitQueue } from "../../../kernel/api.ts";

/** 32-bit access to a register window. */
export interface Regs32 {
  /** Reads the register at byte offset `off`. */
  read32(off: number): number;
  /** Writes the register at byte offset `off`. */
  write32(off: number, v: number): void;
}

/** A buffer the DMA channel addresses. */
export interface StDmaBuffer {
  /** Bus address. */
  readonly paddr: number;
  /** Its bytes. */
  readonly bytes: Uint8Array;
}

/** The outcome of one controller command. */
export interface CmdResult {
  /** STATUS at completion. */
  status: number;
  /** ERROR code. */
  error: number;
  /** XFER: full length of the record read or written. */
  xfer: number;
  /** RESIDUAL. */
  residual: number;
}

interface Cmd {
  cmd: number;
  length: number;
  count: number;
  /** 1 = DMA from the tape into the buffer, 2 = DMA from the buffer to the tape. */
  dma: 0 | 1 | 2;
  done: ((r: CmdResult) => void) | null;
}

/** A foreground call in progress. */
interface Foreground {
  key: string;
  result: CmdResult | null;
}

/** Counters of the driver. */
export interface StStats {
  /** Records read. */
  recordsRead: number;
  /** Records written. */
  recordsWritten: number;
  /** Bytes read. */
  bytesRead: number;
  /** Bytes written. */
  bytesWritten: number;
  /** Interrupts handled. */
  interrupts: number;
  /** Register accesses made (the CPU cost PIO adds is its data-port words). */
  registerAccesses: number;
}

/** Driver state handed to a replacement (module `suspend`). */
export interface StState {
  /** Block size (0 = variable). */
  blockSize: number;
  /** Hardware compression on. */
  compression: boolean;
  /** Open count. */
  opens: number;
  /** Written since open (a filemark is due at close). */
  dirty: boolean;
  /** Counters. */
  stats: StStats;
  /** Background commands (close's filemark and rewind) still to run: command and count. */
  pending: { cmd: number; count: number }[];
}

/** Options of the driver core. */
export interface StDriverOptions {
  /** Move data through the data port instead of DMA. */
  pio?: boolean;
  /** Largest record (the controller's buffer, 256 KiB). */
  maxRecord?: number;
}

/** Largest record the controller buffers. */
export const ST_MAX_RECORD = 256 * 1024;

/** The driver core for one drive. */
export class StDriver {
  /** Callers wait here for the drive. */
  readonly queue: WaitQueue = new WaitQueue("st");
  /** Counters. */
  stats: StStats = {
    recordsRead: 0,
    recordsWritten: 0,
    bytesRead: 0,
    bytesWritten: 0,
    interrupts: 0,
    registerAccesses: 0,
  };
  /** Fixed block size (0: variable, one record per call). */
  blockSize = 0;
  /** Hardware compression for records written. */
  compression = false;
  /** Opens outstanding (the drive is exclusive, as on Linux). */
  opens = 0;
  /** Records were written since the last filemark: close writes one. */
  dirty = false;
  /** Result of the last finished command (MTIOCGET's residual and EOD bit). */
  last: CmdResult = { status: 0, error: 0, xfer: 0, residual: 0 };

  readonly #tape: Regs32;
  #dma: Regs32 | null;
  #buf: StDmaBuffer | null;
  readonly #pioOnly: boolean;
  readonly #max: number;
  readonly #cmds: Cmd[] = [];
  #active: Cmd | null = null;
  #fg: Foreground | null = null;
  // A fixed-block read stopped at a filemark: the next read returns 0 at once.
  #fmPending = false;
  // Bytes a fixed-block call moved before it waited (its restart goes on from there).
  #partial = 0;

  /** Creates the core over the tape window, a DMA channel window and its buffer. */
  constructor(
    tape: Regs32,
    dma: Regs32 | null,
    buf: StDmaBuffer | null,
    options: StDriverOptions = {},
  ) {
    this.#tape = tape;
    this.#dma = dma;
    this.#buf = buf;
    this.#pioOnly = options.pio === true;
    this.#max = Math.min(options.maxRecord ?? ST_MAX_RECORD, ST_MAX_RECORD);
  }

  /** Data moves through the data port (PIO mode, or no DMA buffer attached). */
  get #pio(): boolean {
    return this.#pioOnly || this.#dma === null || this.#buf === null;
  }

  /**
   * Attaches a DMA channel window and buffer (at open), or detaches them
   * with nulls (at the last close, once no transfer is queued).
   */
  attachDma(dma: Regs32 | null, buf: StDmaBuffer | null): void {
    if (buf !== null && buf.bytes.length < this.#max) throw new RangeError("DMA buffer too small");
    this.#dma = dma;
    this.#buf = buf;
  }

  /** True while a queued or running command moves data. */
  get transferring(): boolean {
    return this.#active?.dma !== undefined && this.#active.dma !== 0 ||
      this.#cmds.some((c) => c.dma !== 0);
  }

  /** Takes over the state of a suspended predecessor. */
  restore(s: StState): void {
    this.blockSize = s.blockSize;
    this.compression = s.compression;
    this.opens = s.opens;
    this.dirty = s.dirty;
    this.stats = { ...s.stats };
    for (const p of s.pending ?? []) this.submit(p.cmd, { count: p.count });
  }

  /** The state a successor needs. */
  snapshot(): StState {
    return {
      blockSize: this.blockSize,
      compression: this.compression,
      opens: this.opens,
      dirty: this.dirty,
      stats: { ...this.stats },
      pending: this.#background(),
    };
  }

  /**
   * Background commands not started yet. The running one is not among them:
   * the drive acts on the medium when a command starts (the controller's
   * completion only waits out the motion), so it has taken effect already.
   */
  #background(): { cmd: number; count: number }[] {
    return this.#cmds.filter((c) => c.dma === 0 && c.done === null).map((c) => ({
      cmd: c.cmd,
      count: c.count,
    }));
  }

  /**
   * Stops the drive for a replacement: the running command is aborted and
   * the queue emptied (callers waiting are woken by the kernel and restart on
   * the successor, which also gets the background commands from
   * {@link StDriver.snapshot}); then interrupts go off.
   */
  quiesce(): StState {
    const state = this.snapshot();
    if (this.#active !== null) {
      if (this.#active.dma !== 0 && !this.#pio) this.#stopChannel();
      this.#w(TAPE_REG.COMMAND, TAPE_CMD.ABORT);
      this.#w(TAPE_REG.STATUS, TAPE_STATUS.DONE);
    }
    this.#active = null;
    this.#cmds.length = 0;
    this.#fg = null;
    this.shutdown();
    return state;
  }

  /** Interrupts on, DMA/compression per the settings; a stale DONE is acknowledged. */
  init(): void {
    this.#w(TAPE_REG.STATUS, TAPE_STATUS.DONE);
    this.#control(false);
  }

  /** Interrupts off (unload). */
  shutdown(): void {
    this.#w(TAPE_REG.CONTROL, 0);
  }

  /** True while commands run or wait. */
  get busy(): boolean {
    return this.#active !== null || this.#cmds.length > 0;
  }

  /** Reads a tape register (status for ioctls). */
  reg(off: number): number {
    return this.#r(off);
  }

  // ---- command queue --------------------------------------------------------

  /** Queues a command; `done` runs at its interrupt. */
  submit(cmd: number, opts: Partial<Omit<Cmd, "cmd">> = {}): void {
    this.#cmds.push({
      cmd,
      length: opts.length ?? 0,
      count: opts.count ?? 0,
      dma: opts.dma ?? 0,
      done: opts.done ?? null,
    });
    if (this.#active === null) this.#startNext();
  }

  #startNext(): void {
    const c = this.#cmds.shift();
    if (c === undefined) return;
    this.#active = c;
    const useDma = c.dma !== 0 && !this.#pio;
    this.#control(useDma);
    if (c.cmd === TAPE_CMD.READ || c.cmd === TAPE_CMD.WRITE) this.#w(TAPE_REG.LENGTH, c.length);
    if (c.cmd === TAPE_CMD.WRITE && !useDma) this.#pioOut(c.length);
    if (c.count !== 0) this.#w(TAPE_REG.COUNT, c.count);
    if (useDma) this.#startChannel(c.dma === 2, c.length);
    this.#w(TAPE_REG.COMMAND, c.cmd);
  }

  #control(dma: boolean): void {
    let v = TAPE_CONTROL.IE;
    if (dma) v |= TAPE_CONTROL.DMA;
    if (this.compression) v |= TAPE_CONTROL.COMPRESS;
    this.#w(TAPE_REG.CONTROL, v);
  }

  #startChannel(toDevice: boolean, length: number): void {
    const d = this.#dma!;
    this.stats.registerAccesses += 6;
    d.write32(DMA_REG.STATUS, DMA_STATUS.DONE | DMA_STATUS.ERROR | DMA_STATUS.ABORTED);
    d.write32(DMA_REG.MADDR, this.#buf!.paddr);
    d.write32(DMA_REG.COUNT, length);
    d.write32(DMA_REG.PERIPH, DMA_PERIPHERAL.TAPE);
    d.write32(DMA_REG.CONFIG, (toDevice ? DMA_CONFIG.TO_DEVICE : 0) | DMA_CONFIG.BLOCK);
    d.write32(DMA_REG.CONTROL, DMA_CONTROL.START);
  }

  /** Services the tape interrupt; false when the controller had none pending. */
  handleInterrupt(): boolean {
    const status = this.#r(TAPE_REG.STATUS);
    if ((status & TAPE_STATUS.DONE) === 0) return false;
    this.stats.interrupts++;
    const r: CmdResult = {
      status,
      error: this.#r(TAPE_REG.ERROR),
      xfer: this.#r(TAPE_REG.XFER),
      residual: this.#r(TAPE_REG.RESIDUAL),
    };
    this.#w(TAPE_REG.STATUS, TAPE_STATUS.DONE);
    const c = this.#active;
    this.#active = null;
    if (c !== null) {
      if (c.dma !== 0 && !this.#pio) this.#stopChannel();
      if (c.cmd === TAPE_CMD.READ && this.#pio && r.error === TAPE_ERROR.NONE) {
        this.#pioIn(Math.min(r.xfer, c.length));
      }
      this.last = r;
      c.done?.(r);
    }
    this.#startNext();
    this.queue.wakeAll();
    return true;
  }

  #stopChannel(): void {
    const d = this.#dma!;
    this.stats.registerAccesses += 2;
    // A record shorter than the buffer leaves the channel waiting for bytes that never come.
    if (d.read32(DMA_REG.STATUS) & DMA_STATUS.BUSY) d.write32(DMA_REG.CONTROL, DMA_CONTROL.ABORT);
    d.write32(DMA_REG.STATUS, DMA_STATUS.DONE | DMA_STATUS.ERROR | DMA_STATUS.ABORTED);
  }

  #pioOut(length: number): void {
    const b = this.#bounce();
    for (let i = 0; i < length; i += 4) {
      this.#w(TAPE_REG.DATA, b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
    }
  }

  #pioIn(length: number): void {
    const b = this.#bounce();
    for (let i = 0; i < length; i += 4) {
      const v = this.#r(TAPE_REG.DATA);
      b[i] = v;
      b[i + 1] = v >>> 8;
      b[i + 2] = v >>> 16;
      b[i + 3] = v >>> 24;
    }
  }

  #pioBuf: Uint8Array | null = null;

  /** The staging bytes: the DMA buffer, or a private array for PIO without one. */
  #bounce(): Uint8Array {
    if (this.#buf !== null) return this.#buf.bytes;
    this.#pioBuf ??= new Uint8Array(this.#max + 4);
    return this.#pioBuf;
  }

  #r(off: number): number {
    this.stats.registerAccesses++;
    return this.#tape.read32(off);
  }

  #w(off: number, v: number): void {
    this.stats.registerAccesses++;
    this.#tape.write32(off, v);
  }

  // ---- foreground calls -----------------------------------------------------

  /**
   * Runs one command for a call: K.AGAIN until it finished, then its result.
   * `key` identifies the call so that its restart finds its own result.
   */
  #run(key: string, start: () => void): CmdResult | KStatus {
    const fg = this.#fg;
    if (fg !== null) {
      if (fg.result === null) return K.AGAIN;
      this.#fg = null;
      if (fg.key === key) return fg.result;
      // A result nobody came back for (the caller was interrupted): dropped.
      this.#partial = 0;
    }
    if (this.busy) return K.AGAIN;
    const mine: Foreground = { key, result: null };
    this.#fg = mine;
    start();
    if (mine.result !== null && this.#fg === mine) {
      this.#fg = null;
      return mine.result;
    }
    return K.AGAIN;
  }

  /** Runs a command without data (`repeat` times) for an ioctl; its last result or K.AGAIN. */
  command(key: string, cmd: number, count = 0, repeat = 1): CmdResult | KStatus {
    return this.#run(key, () => {
      for (let i = 1; i < repeat; i++) this.submit(cmd, { count });
      this.submit(cmd, { count, done: (r) => this.#finish(r) });
    });
  }

  #finish(r: CmdResult): void {
    if (this.#fg !== null) this.#fg.result = r;
  }

  /** True when a call would have to wait (for `pollState`). */
  get waiting(): boolean {
    return this.busy || (this.#fg !== null && this.#fg.result === null);
  }

  /** read(): one record (variable mode) or whole blocks (fixed mode). */
  read(buf: Uint8Array): number {
    if (this.#fmPending && this.#fg === null && !this.busy) {
      this.#fmPending = false;
      return 0;
    }
    if (this.blockSize === 0) return this.#readRecord(buf, "read");
    if (buf.length % this.blockSize !== 0) return K.INVAL;
    return this.#readFixed(buf);
  }

  #readRecord(buf: Uint8Array, key: string): number {
    const want = Math.min(buf.length, this.#max);
    if (want === 0) return 0;
    const r = this.#run(
      `${key}:${want}`,
      () => this.submit(TAPE_CMD.READ, { length: want, dma: 1, done: (x) => this.#finish(x) }),
    );
    if (typeof r === "number") return r;
    return this.#readOutcome(r, buf, want);
  }

  #readOutcome(r: CmdResult, buf: Uint8Array, want: number): number {
    if (r.status & TAPE_STATUS.FILEMARK) return 0;
    if (r.error === TAPE_ERROR.END_OF_DATA) return 0;
    if (r.error !== TAPE_ERROR.NONE) return errorStatus(r.error);
    if (r.status & TAPE_STATUS.BAD_RECORD) return K.IO;
    if (r.status & TAPE_STATUS.OVERRUN) return K.NOMEM;
    const n = Math.min(r.xfer, want);
    buf.set(this.#bounce().subarray(0, n));
    this.stats.recordsRead++;
    this.stats.bytesRead += n;
    return n;
  }

  #readFixed(buf: Uint8Array): number {
    const bs = this.blockSize;
    let done = Math.min(this.#partial, buf.length);
    this.#partial = 0;
    for (;;) {
      const r = this.#readRecord(buf.subarray(done, done + bs), "fread");
      if (r === K.AGAIN) {
        this.#partial = done;
        return K.AGAIN;
      }
      if (r < 0) return done > 0 ? done : r;
      if (r === 0) {
        if (done > 0 && (this.last.status & TAPE_STATUS.FILEMARK)) this.#fmPending = true;
        return done;
      }
      if (r !== bs) return done > 0 ? done : K.IO;
      done += r;
      if (done >= buf.length) return done;
    }
  }

  /** write(): one record (variable mode) or whole blocks (fixed mode). */
  write(data: Uint8Array): number {
    if (data.length === 0) return 0;
    const bs = this.blockSize;
    if (bs === 0) {
      if (data.length > this.#max) return K.INVAL;
      return this.#writeRecord(data, `write:${data.length}`);
    }
    if (data.length % bs !== 0) return K.INVAL;
    let done = Math.min(this.#partial, data.length);
    this.#partial = 0;
    for (; done < data.length; done += bs) {
      const r = this.#writeRecord(data.subarray(done, done + bs), "fwrite");
      if (r === K.AGAIN) {
        this.#partial = done;
        return K.AGAIN;
      }
      if (r < 0) return done > 0 ? done : r;
    }
    return done;
  }

  #writeRecord(data: Uint8Array, key: string): number {
    const r = this.#run(key, () => {
      this.#bounce().set(data);
      this.submit(TAPE_CMD.WRITE, { length: data.length, dma: 2, done: (x) => this.#finish(x) });
    });
    if (typeof r === "number") return r;
    if (r.error !== TAPE_ERROR.NONE) return errorStatus(r.error);
    this.dirty = true;
    this.stats.recordsWritten++;
    this.stats.bytesWritten += data.length;
    return data.length;
  }

  /** Close work: a filemark after writes, then a rewind for the rewinding device. */
  close(rewind: boolean): void {
    if (this.dirty) this.submit(TAPE_CMD.WRITE_FILEMARK);
    this.dirty = false;
    this.#fmPending = false;
    if (rewind) this.submit(TAPE_CMD.REWIND);
  }

  /** Forgets a pending filemark (a positioning ioctl moved the tape). */
  resetPosition(): void {
    this.#fmPending = false;
  }
}

/** The errno-style status of a controller error code. */
export function errorStatus(error: number): KStatus {
  switch (error) {
    case TAPE_ERROR.NONE:
      return K.OK;
    case TAPE_ERROR.WRITE_PROTECTED:
      return K.ROFS;
    case TAPE_ERROR.END_OF_MEDIUM:
      return K.NOSPC;
    case TAPE_ERROR.BAD_LENGTH:
      return K.INVAL;
    default:
      return K.IO;
  }
}
