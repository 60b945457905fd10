/**
 * The request engine the three ATA drivers share. One {@link AtaDisk} drives
 * one controller (the master device):
 *
 * - probe: software reset, then IDENTIFY DEVICE read by polling with
 *   interrupts masked (nIEN), giving model, serial, capacity and the PIO
 *   cycle time that prices every register access;
 * - requests: a FIFO of block requests, one running at a time; a request
 *   longer than 256 sectors runs as several commands ("chunks");
 * - completion: a subclass moves the data (polled PIO, interrupt-driven PIO
 *   or DMA) and calls {@link AtaDisk.commandEnded} with the final STATUS;
 *   ERR or DF fails the request with K.IO (UNC, IDNF, ABRT: the device
 *   answered, so no retry). A request that ends inside `submit` (all of
 *   the polling driver's) completes from a zero-delay timer, after its
 *   submitter has started to wait;
 * - recovery: a command that does not finish within its timeout gets a
 *   software reset (SRST) and is issued again, at most `retries` times;
 *   then the request fails with K.IO.
 *
 * Every register access costs the device's PIO cycle time in CPU cycles,
 * charged through {@link AtaHost.spendCycles}.
 *
 * @module
 */

import {
  ATA_CMD,
  ATA_CONTROL,
  ATA_DEVICE,
  ATA_LBA28_LIMIT,
  ATA_MAX_SECTORS,
  ATA_REG,
  ATA_SECTOR_SIZE,
  ATA_STATUS,
} from "../../../hw/ata_regs.ts";
import { type BlockDriver, type BlockRequest, K, type KStatus } from "../../../kernel/api.ts";
import { ataErrorText, commandFailed } from "./errors.ts";
import type { AtaHost, AtaRegs } from "./host.ts";
import { type AtaIdentity, parseIdentify } from "./identify.ts";

/** Options of a disk. */
export interface AtaDiskOptions {
  /** Unit number (0-3), for log lines. */
  unit: number;
  /** Refuse writes at the block layer (the host image is read-only). */
  readOnly?: boolean;
  /** Base command timeout in ns (default 1 s), plus {@link AtaDiskOptions.timeoutPerSectorNs} per sector. */
  timeoutNs?: number;
  /** Extra timeout per sector of a command, ns (default 30 ms: a full seek and revolution). */
  timeoutPerSectorNs?: number;
  /** Re-issues after a timeout before the request fails (default 3). */
  retries?: number;
}

/** Counters of a disk (read by tests, the benchmark and the kernel log). */
export interface AtaStats {
  /** Block requests completed (any outcome). */
  requests: number;
  /** Commands issued (chunks, flushes, retries). */
  commands: number;
  /** Sectors read. */
  sectorsRead: number;
  /** Sectors written. */
  sectorsWritten: number;
  /** FLUSH CACHE commands completed. */
  flushes: number;
  /** Interrupts handled. */
  interrupts: number;
  /** Requests failed by a device error. */
  errors: number;
  /** Commands that timed out. */
  timeouts: number;
  /** Software resets done. */
  resets: number;
  /** CPU cycles the driver spent (register accesses, data port, busy-waiting, copies). */
  cpuCycles: number;
  /** Of those, cycles spent busy-waiting on STATUS. */
  pollCycles: number;
}

/** Raised when a controller cannot be brought up at probe. */
export class AtaProbeError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AtaProbeError";
  }
}

/** Slowest PIO cycle (mode 0) until IDENTIFY tells the real one. */
const PIO_MODE0_NS = 600;
/** SRST is held at least 5 us (ATA-6 9.2). */
const SRST_HOLD_NS = 5_000;
/** A device has 31 s to clear BSY after a reset (ATA-6 9.2); the drivers allow 1 s. */
const RESET_TIMEOUT_NS = 1e9;
/** Cycles of one turn of a STATUS poll loop besides the register read (compare, branch). */
const POLL_LOOP_CYCLES = 4;

/** The shared engine; subclasses implement the data movement. */
export abstract class AtaDisk implements BlockDriver {
  /** Model string (after probe). */
  model = "";
  /** Serial number (after probe). */
  serial = "";
  /** Capacity in sectors (after probe). */
  sectors = 0;
  /** Writes refused at the block layer. */
  readonly readOnly: boolean;
  /** The whole IDENTIFY result (after probe). */
  identity: AtaIdentity | null = null;
  /** Counters. */
  readonly stats: AtaStats = {
    requests: 0,
    commands: 0,
    sectorsRead: 0,
    sectorsWritten: 0,
    flushes: 0,
    interrupts: 0,
    errors: 0,
    timeouts: 0,
    resets: 0,
    cpuCycles: 0,
    pollCycles: 0,
  };
  /** Unit number. */
  readonly unit: number;

  /** The controller's registers. */
  protected readonly regs: AtaRegs;
  /** Kernel services. */
  protected readonly host: AtaHost;
  /** CPU cycles of one register access (one PIO cycle). */
  protected accessCycles: number;
  /** DEVICE CONTROL value while running: nIEN for a polling driver, 0 otherwise. */
  protected abstract readonly control: number;

  readonly #opts: Required<Omit<AtaDiskOptions, "unit" | "readOnly">>;
  readonly #queue: BlockRequest[] = [];
  #active: BlockRequest | null = null;
  #done = 0;
  #chunk = 0;
  #attempts = 0;
  #timer = -1;
  #pumping = false;
  #submitting = false;
  #onTimeout = (): void => {
    this.#timer = -1;
    this.timedOut();
  };

  /** Creates the engine over a register window. */
  constructor(regs: AtaRegs, host: AtaHost, options: AtaDiskOptions) {
    this.regs = regs;
    this.host = host;
    this.unit = options.unit;
    this.readOnly = options.readOnly === true;
    this.accessCycles = this.nsToCycles(PIO_MODE0_NS);
    this.#opts = {
      timeoutNs: options.timeoutNs ?? 1e9,
      timeoutPerSectorNs: options.timeoutPerSectorNs ?? 30e6,
      retries: options.retries ?? 3,
    };
  }

  // ---- probe ----------------------------------------------------------------

  /** Resets the controller and reads IDENTIFY DEVICE; throws {@link AtaProbeError}. */
  probe(): void {
    if (!this.reset()) throw new AtaProbeError(`hd${this.#letter()}: no answer after reset`);
    this.w8(ATA_REG.DEVICE_CONTROL, ATA_CONTROL.NIEN);
    this.w8(ATA_REG.DEVICE, ATA_DEVICE.LBA);
    this.w8(ATA_REG.COMMAND, ATA_CMD.IDENTIFY_DEVICE);
    const status = this.waitStatus(ATA_STATUS.DRQ, this.nsToCycles(this.#opts.timeoutNs));
    if (status < 0) throw new AtaProbeError(`hd${this.#letter()}: IDENTIFY timed out`);
    if (status & ATA_STATUS.ERR) {
      throw new AtaProbeError(`hd${this.#letter()}: IDENTIFY refused (${this.#errorText()})`);
    }
    const block = new Uint8Array(ATA_SECTOR_SIZE);
    this.pioIn(block, 0);
    this.ackStatus(); // the IDENTIFY interrupt, masked, must not fire once unmasked
    try {
      this.identity = parseIdentify(block);
    } catch (e) {
      throw new AtaProbeError(`hd${this.#letter()}: ${(e as Error).message}`, { cause: e });
    }
    const id = this.identity;
    this.model = id.model;
    this.serial = id.serial;
    this.sectors = Math.min(id.sectors, ATA_LBA28_LIMIT - 1);
    this.accessCycles = this.nsToCycles(id.pioCycleNs);
    this.w8(ATA_REG.DEVICE_CONTROL, this.control);
    this.host.log(
      `hd${this.#letter()}: ${id.model}, ${id.sectors} sectors (${
        (id.sectors / 2048).toFixed(1)
      } MiB), serial ${id.serial}`,
    );
  }

  #letter(): string {
    return String.fromCharCode(0x61 + this.unit);
  }

  // ---- the request queue -----------------------------------------------------

  /** Queues a request; it starts at once when the disk is idle. */
  submit(req: BlockRequest): void {
    this.#submitting = true;
    try {
      if (req.op !== "flush" && !this.#inRange(req)) {
        this.stats.requests++;
        this.stats.errors++;
        this.#deliver(req, K.IO);
        return;
      }
      this.#queue.push(req);
      this.#pump();
    } finally {
      this.#submitting = false;
    }
  }

  /**
   * Completes a request. A request that ended inside `submit` (every
   * request of the polling driver, whose CPU waited for the disk right
   * there; or one refused at once) is completed from a zero-delay timer
   * instead, as a deferred completion: the caller that submitted it gets to
   * wait for it first, so its wakeup cannot come before the wait.
   */
  #deliver(req: BlockRequest, status: KStatus): void {
    if (this.#submitting) this.host.startTimer(0, () => req.complete(status));
    else req.complete(status);
  }

  /** True while a request runs or waits. */
  get busy(): boolean {
    return this.#active !== null || this.#queue.length > 0;
  }

  #inRange(req: BlockRequest): boolean {
    const { sector, count } = req;
    return Number.isInteger(sector) && Number.isInteger(count) && sector >= 0 && count > 0 &&
      sector + count <= this.sectors && req.data.length >= count * ATA_SECTOR_SIZE;
  }

  /** Starts queued requests while the disk is idle (a loop, so synchronous completions do not recurse). */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#active === null && this.#queue.length > 0) {
        this.#active = this.#queue.shift()!;
        this.#done = 0;
        this.#attempts = 0;
        this.#issue();
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Issues the next command of the running request. */
  #issue(): void {
    const req = this.#active!;
    this.stats.commands++;
    if (req.op === "flush") {
      this.#chunk = 0;
      if (this.identity !== null && !this.identity.flushCache) return this.#finish(K.OK);
      this.#arm(0);
      this.startNonData(ATA_CMD.FLUSH_CACHE);
      return;
    }
    const n = Math.min(ATA_MAX_SECTORS, req.count - this.#done);
    this.#chunk = n;
    const data = req.data.subarray(
      this.#done * ATA_SECTOR_SIZE,
      (this.#done + n) * ATA_SECTOR_SIZE,
    );
    this.#arm(n);
    this.startTransfer(req.op === "write", req.sector + this.#done, n, data);
  }

  #finish(status: KStatus): void {
    const req = this.#active;
    if (req === null) return;
    this.#disarm();
    this.#active = null;
    this.stats.requests++;
    this.#deliver(req, status);
    this.#pump();
  }

  // ---- what subclasses implement ----------------------------------------------

  /** Starts a READ or WRITE of `count` (1-256) sectors at `lba`; `data` holds count*512 bytes. */
  protected abstract startTransfer(
    write: boolean,
    lba: number,
    count: number,
    data: Uint8Array,
  ): void;

  /** Starts a command without data (FLUSH CACHE). */
  protected abstract startNonData(command: number): void;

  /**
   * Services the controller's interrupt; false when no command waited for
   * one. Here (a polling driver, interrupts masked) a stray one is only
   * acknowledged.
   */
  handleInterrupt(): boolean {
    this.ackStatus();
    return false;
  }

  /** Called after a reset, before a command is issued again (a DMA driver stops its channel). */
  protected afterReset(): void {}

  // ---- what subclasses call ---------------------------------------------------

  /**
   * The running command finished with `status` (read without BSY). ERR or
   * DF fails the request with K.IO; otherwise the next chunk starts or the
   * request completes.
   */
  protected commandEnded(status: number): void {
    const req = this.#active;
    if (req === null) return;
    this.#disarm();
    if (commandFailed(status)) {
      this.stats.errors++;
      this.host.log(
        `hd${this.#letter()}: ${req.op} at ${req.sector + this.#done} failed: ${this.#errorText()}`,
      );
      return this.#finish(K.IO);
    }
    if (req.op === "flush") {
      this.stats.flushes++;
      return this.#finish(K.OK);
    }
    if (req.op === "write") this.stats.sectorsWritten += this.#chunk;
    else this.stats.sectorsRead += this.#chunk;
    this.#done += this.#chunk;
    if (this.#done >= req.count) return this.#finish(K.OK);
    this.#attempts = 0;
    this.#issue();
  }

  /** The running command did not finish in time: reset, then retry or fail the request. */
  protected timedOut(): void {
    const req = this.#active;
    if (req === null) return;
    this.#disarm();
    this.stats.timeouts++;
    const where = req.op === "flush" ? "flush" : `${req.op} at ${req.sector + this.#done}`;
    const ok = this.reset();
    if (ok) this.afterReset();
    if (!ok || ++this.#attempts > this.#opts.retries) {
      this.host.log(`hd${this.#letter()}: ${where} timed out, giving up`);
      this.stats.errors++;
      return this.#finish(K.IO);
    }
    this.host.log(`hd${this.#letter()}: ${where} timed out, reset and retry ${this.#attempts}`);
    this.#issue();
  }

  /** The command timeout of a command moving `sectors` sectors, in cycles. */
  protected timeoutCycles(sectors: number): number {
    return this.nsToCycles(this.#opts.timeoutNs + sectors * this.#opts.timeoutPerSectorNs);
  }

  /** True when the driver itself watches for timeouts (a polling driver bounds its waits instead). */
  protected get usesTimer(): boolean {
    return true;
  }

  #arm(sectors: number): void {
    if (!this.usesTimer) return;
    this.#disarm();
    const ns = this.#opts.timeoutNs + sectors * this.#opts.timeoutPerSectorNs;
    this.#timer = this.host.startTimer(ns, this.#onTimeout);
  }

  #disarm(): void {
    if (this.#timer >= 0) this.host.cancelTimer(this.#timer);
    this.#timer = -1;
  }

  /** Stops the timers (module unload); queued requests fail with K.IO. */
  shutdown(): void {
    this.#disarm();
    const pending = [...this.#queue];
    this.#queue.length = 0;
    if (this.#active !== null) pending.unshift(this.#active);
    this.#active = null;
    for (const r of pending) r.complete(K.IO);
    this.w8(ATA_REG.DEVICE_CONTROL, ATA_CONTROL.NIEN);
  }

  // ---- registers ----------------------------------------------------------------

  /** Converts nanoseconds of device time to CPU cycles (at least 1). */
  protected nsToCycles(ns: number): number {
    return Math.max(1, Math.ceil((ns * this.host.frequency) / 1e9));
  }

  /** Charges `cycles` of driver CPU time. */
  protected spend(cycles: number): void {
    this.stats.cpuCycles += cycles;
    this.host.spendCycles(cycles);
  }

  /** Reads a byte register (one PIO cycle). */
  protected r8(offset: number): number {
    this.spend(this.accessCycles);
    return this.regs.read8(offset);
  }

  /** Writes a byte register (one PIO cycle). */
  protected w8(offset: number, value: number): void {
    this.spend(this.accessCycles);
    this.regs.write8(offset, value);
  }

  /** Writes the task file (LBA-28) and the command. */
  protected writeTaskFile(lba: number, count: number, command: number): void {
    this.w8(ATA_REG.DEVICE, ATA_DEVICE.LBA | ((lba >>> 24) & 0x0f));
    this.w8(ATA_REG.COUNT, count & 0xff);
    this.w8(ATA_REG.LBA_LOW, lba & 0xff);
    this.w8(ATA_REG.LBA_MID, (lba >>> 8) & 0xff);
    this.w8(ATA_REG.LBA_HIGH, (lba >>> 16) & 0xff);
    this.w8(ATA_REG.COMMAND, command);
  }

  /**
   * Busy-waits on ALT STATUS until BSY is clear and one of `bits` (or ERR)
   * is set (`bits` 0: until BSY is clear). The STATUS value, or -1 after
   * `maxCycles`.
   */
  protected waitStatus(bits: number, maxCycles: number): number {
    const regs = this.regs;
    let status = 0;
    const ready = (): boolean => {
      status = regs.read8(ATA_REG.ALT_STATUS);
      if (status & ATA_STATUS.BSY) return false;
      return bits === 0 || (status & (bits | ATA_STATUS.ERR)) !== 0;
    };
    const poll = this.accessCycles + POLL_LOOP_CYCLES;
    const spent = this.host.spinWait(ready, poll, maxCycles);
    const charged = spent < 0 ? Math.ceil(maxCycles / poll) * poll : spent;
    this.stats.cpuCycles += charged;
    this.stats.pollCycles += charged;
    return spent < 0 ? -1 : status;
  }

  /** Reads one sector from the data port into `dst` at `offset` (256 PIO cycles). */
  protected pioIn(dst: Uint8Array, offset: number): void {
    this.spend((ATA_SECTOR_SIZE / 2) * this.accessCycles);
    const regs = this.regs;
    for (let i = 0; i < ATA_SECTOR_SIZE; i += 4) {
      const v = regs.read32(ATA_REG.DATA);
      dst[offset + i] = v;
      dst[offset + i + 1] = v >>> 8;
      dst[offset + i + 2] = v >>> 16;
      dst[offset + i + 3] = v >>> 24;
    }
  }

  /** Writes one sector from `src` at `offset` to the data port (256 PIO cycles). */
  protected pioOut(src: Uint8Array, offset: number): void {
    this.spend((ATA_SECTOR_SIZE / 2) * this.accessCycles);
    const regs = this.regs;
    for (let i = 0; i < ATA_SECTOR_SIZE; i += 4) {
      const p = offset + i;
      regs.write32(
        ATA_REG.DATA,
        src[p] | (src[p + 1] << 8) | (src[p + 2] << 16) | (src[p + 3] << 24),
      );
    }
  }

  /**
   * Software reset: SRST held for 5 us, released, then a poll until BSY
   * clears (at most 1 s). Leaves the DEVICE CONTROL value of the driver.
   * True when the device came back.
   */
  protected reset(): boolean {
    this.stats.resets++;
    this.w8(ATA_REG.DEVICE_CONTROL, ATA_CONTROL.SRST | ATA_CONTROL.NIEN);
    this.spend(this.nsToCycles(SRST_HOLD_NS));
    this.w8(ATA_REG.DEVICE_CONTROL, ATA_CONTROL.NIEN);
    const ok = this.waitStatus(0, this.nsToCycles(RESET_TIMEOUT_NS)) >= 0;
    this.w8(ATA_REG.DEVICE_CONTROL, this.control);
    return ok;
  }

  /** Reads STATUS (acknowledging the interrupt). */
  protected ackStatus(): number {
    return this.r8(ATA_REG.STATUS);
  }

  #errorText(): string {
    return ataErrorText(this.r8(ATA_REG.ERROR));
  }
}
