/**
 * The `st` tape driver plugin: the tape controller at
 * {@link MEMORY_MAP.TAPE_BASE} (PLIC source {@link IRQ.TAPE}) and DMA channel
 * {@link ST_DMA_CHANNEL}, driven by this folder's {@link StDriver}. The
 * 256 KiB DMA buffer is taken at open and given back at the last close. It
 * registers `/dev/st0` (9:0, rewinds on close) and `/dev/nst0` (9:128, no
 * rewind), as Linux numbers them.
 *
 * Opening is exclusive (K.BUSY for a second open), and opening a
 * write-protected tape for writing gives K.ROFS. `docs/tape.md` describes
 * the semantics and the ioctls.
 *
 * @module
 */

import { DMA_REG } from "../../../hw/dma_regs.ts";
import { IRQ, MEMORY_MAP } from "../../../hw/memory_map.ts";
import { TAPE_ID, TAPE_REG, TAPE_STATUS } from "../../../hw/tape_regs.ts";
import {
  API_VERSION,
  type DmaBuffer,
  type FileOps,
  K,
  type KernelApi,
  type ModuleContext,
  type ModuleDescriptor,
  type OpenFile,
  OpenFlags,
  PollState,
  statusName,
} from "../../../kernel/api.ts";
import { ST_MAX_RECORD, StDriver, type StState } from "./driver.ts";
import { stIoctl } from "./ioctl.ts";

/** The DMA channel the driver claims. */
export const ST_DMA_CHANNEL = 3;

/** The device nodes: minor 0 rewinds on close, minor 128 does not. */
export const ST_DEVICES = [
  { name: "st0", major: 9, minor: 0, mode: 0o660, rewind: true },
  { name: "nst0", major: 9, minor: 128, mode: 0o660, rewind: false },
] as const;

/** Raised when the driver cannot start. */
export class StDriverError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StDriverError";
  }
}

const CHANNEL_BASE = MEMORY_MAP.DMA_BASE + DMA_REG.CHANNEL_BASE +
  ST_DMA_CHANNEL * DMA_REG.CHANNEL_STRIDE;

interface Running {
  driver: StDriver;
  /** The DMA buffer, held while the device is open. */
  buffer: DmaBuffer | null;
  ctx: ModuleContext;
  pio: boolean;
}

/** Takes the DMA buffer (first open); false when RAM has no room for it. */
function takeBuffer(s: Running): boolean {
  if (s.pio || s.buffer !== null) return true;
  s.buffer = s.ctx.allocDmaBuffer(ST_MAX_RECORD);
  if (s.buffer === null) return false;
  s.driver.attachDma(s.ctx.mmio(CHANNEL_BASE), s.buffer);
  return true;
}

/** Gives the DMA buffer back (last close), unless a transfer still needs it. */
function dropBuffer(s: Running): void {
  if (s.buffer === null || s.driver.transferring) return;
  s.driver.attachDma(null, null);
  s.buffer.free();
  s.buffer = null;
}

const states = new WeakMap<ModuleContext, Running>();

/** The driver core of a loaded instance (for tests and the benchmark), or null. */
export function stDriverOf(ctx: ModuleContext): StDriver | null {
  return states.get(ctx)?.driver ?? null;
}

/** Options of {@link makeStModule}. */
export interface StModuleOptions {
  /** Move data through the data port instead of DMA. */
  pio?: boolean;
  /** Called with the driver core once it runs (benchmarks read its counters). */
  onStart?: (driver: StDriver) => void;
}

/** Builds a descriptor; `pio` moves data through the data port instead of DMA. */
export function makeStModule(options: StModuleOptions = {}): ModuleDescriptor {
  return {
    name: "st",
    version: "1.0.0",
    apiVersion: API_VERSION,
    kind: "driver",
    description: "SCSI-style tape driver (st0/nst0) for the tape controller, with DMA",
    resources: {
      mmio: [
        { base: MEMORY_MAP.TAPE_BASE, size: MEMORY_MAP.TAPE_SIZE },
        { base: CHANNEL_BASE, size: DMA_REG.CHANNEL_STRIDE },
      ],
      irqs: [IRQ.TAPE],
      dma: [ST_DMA_CHANNEL],
    },
    init(api: KernelApi, ctx: ModuleContext, state?: unknown): void {
      const tape = ctx.mmio(MEMORY_MAP.TAPE_BASE);
      if (tape.read32(TAPE_REG.ID) !== TAPE_ID) {
        throw new StDriverError("no tape controller at its address");
      }
      const driver = new StDriver(tape, null, null, { pio: options.pio });
      const s: Running = { driver, buffer: null, ctx, pio: options.pio === true };
      if (isState(state)) driver.restore(state);
      driver.init();
      ctx.onIrq(IRQ.TAPE, () => void driver.handleInterrupt());
      for (const dev of ST_DEVICES) {
        const r = ctx.registerCharDevice(
          { name: dev.name, major: dev.major, minor: dev.minor, mode: dev.mode, open: open(s) },
          fileOps(api, s, dev.rewind),
        );
        if (r !== K.OK) {
          throw new StDriverError(`cannot register /dev/${dev.name}: ${statusName(r)}`);
        }
      }
      // Files open across a replacement still need the buffer.
      if (driver.opens > 0 && !takeBuffer(s)) throw new StDriverError("no RAM for the DMA buffer");
      states.set(ctx, s);
      options.onStart?.(driver);
    },
    suspend(_api: KernelApi, ctx: ModuleContext): StState | null {
      const s = states.get(ctx);
      if (s === undefined) return null;
      const state = s.driver.quiesce();
      s.buffer?.free();
      states.delete(ctx);
      return state;
    },
    exit(_api: KernelApi, ctx: ModuleContext): void {
      const s = states.get(ctx);
      for (const d of ST_DEVICES) ctx.unregisterCharDevice(d.major, d.minor);
      s?.driver.shutdown();
      s?.buffer?.free();
      states.delete(ctx);
    },
  };
}

/** The module descriptor (DMA transfers). */
export const module: ModuleDescriptor = makeStModule();

function isState(s: unknown): s is StState {
  return typeof s === "object" && s !== null && "blockSize" in s && "stats" in s;
}

/** The open hook: exclusive use, no writing to a write-protected tape, the DMA buffer. */
function open(s: Running): (file: OpenFile) => number {
  const d = s.driver;
  return (file) => {
    if (d.opens > 0) return K.BUSY;
    const writing = (file.flags & OpenFlags.WRITE) !== 0;
    if (writing && (d.reg(TAPE_REG.STATUS) & TAPE_STATUS.WP)) return K.ROFS;
    if (!takeBuffer(s)) return K.NOMEM;
    d.opens++;
    return K.OK;
  };
}

function fileOps(api: KernelApi, s: Running, rewind: boolean): FileOps {
  const d = s.driver;
  return {
    read: (_f, buf) => d.read(buf),
    write: (f, data) => (f.flags & OpenFlags.WRITE) === 0 ? K.BADF : d.write(data),
    ioctl: (f, cmd, arg, caller) => {
      const writable = (f.flags & OpenFlags.WRITE) !== 0;
      return stIoctl(d, cmd, arg, caller, writable, () => api.waitForIo(d.queue));
    },
    waitQueue: () => d.queue,
    pollState: () => d.waiting ? 0 : PollState.READABLE | PollState.WRITABLE,
    release: () => {
      d.close(rewind);
      if (d.opens > 0) d.opens--;
      if (d.opens === 0) dropBuffer(s);
    },
    isStream: true,
  };
}
