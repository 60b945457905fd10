/**
 * What the two console drivers share (the interrupt-driven `uart16550` and
 * the polling `uart16550_poll`): the device nodes, starting the console on a
 * {@link Uart16550Driver}, and the hand-over between them.
 *
 * A replacement keeps the tty itself, so the mode, the line being edited,
 * the foreground process group and the input not yet read all carry over;
 * the old driver stops its interrupts and hands over the bytes it had queued
 * and not yet written to the chip, which the new one sends first. Bytes
 * already in the UART's FIFOs stay there for the new driver: nothing is lost
 * or sent twice.
 *
 * @module
 */

import {
  K,
  type KernelApi,
  type ModuleContext,
  statusName,
  Tty,
  VCC,
} from "../../../kernel/api.ts";
import { Uart16550Driver } from "./driver.ts";
import { MEMORY_MAP } from "../../../hw/memory_map.ts";

/** Device nodes the console registers. */
export const CONSOLE_DEVICES = [
  { name: "console", major: 5, minor: 1, mode: 0o620 },
  { name: "tty", major: 5, minor: 0, mode: 0o666 },
  { name: "ttyS0", major: 4, minor: 64, mode: 0o620 },
] as const;

/** Raised when the console cannot register its devices. */
export class ConsoleDriverError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConsoleDriverError";
  }
}

/** The running console: its tty and driver (for the monitor and tests). */
export interface ConsoleState {
  /** The line discipline. */
  tty: Tty;
  /** The UART driver. */
  driver: Uart16550Driver;
}

/** What a console driver hands its successor. */
export interface ConsoleHandover {
  /** The tty, with its mode, input and line in progress. */
  tty: Tty;
  /** Output queued and not yet written to the UART. */
  pending: Uint8Array;
}

// Keyed by the module context, so that several kernels in one host process stay apart.
const states = new WeakMap<ModuleContext, ConsoleState>();

/** The console's tty and driver for a loaded instance (by its module context), or null. */
export function consoleState(ctx: ModuleContext): ConsoleState | null {
  return states.get(ctx) ?? null;
}

function isHandover(x: unknown): x is ConsoleHandover {
  return typeof x === "object" && x !== null && (x as ConsoleHandover).tty instanceof Tty;
}

/**
 * Starts the console on the UART: the tty (the predecessor's, after a
 * replacement), the driver, the device nodes, end-of-input as ^D.
 *
 * @param api The kernel.
 * @param ctx The module's context.
 * @param state A predecessor's {@link ConsoleHandover}, if any.
 * @param interrupts True for the interrupt-driven driver.
 * @returns The driver.
 */
export function startConsole(
  api: KernelApi,
  ctx: ModuleContext,
  state: unknown,
  interrupts: boolean,
): Uart16550Driver {
  const win = ctx.mmio(MEMORY_MAP.UART0_BASE);
  const handover = isHandover(state) ? state : null;
  const tty = handover?.tty ?? new Tty({
    name: "console",
    signalGroup: (pgid, sig) => void api.killGroup(pgid, sig),
    startTimer: (ds, cb) => void ctx.startTimer(ds * 100_000_000, cb),
  });
  const driver = new Uart16550Driver(
    { read8: (off) => win.read8(off), write8: (off, v) => win.write8(off, v) },
    tty,
    { interrupts },
  );
  driver.init(handover !== null);
  if (handover !== null && handover.pending.length > 0) driver.write(handover.pending);
  for (const d of CONSOLE_DEVICES) {
    const r = ctx.registerCharDevice(d, tty.fileOps);
    if (r !== K.OK) {
      throw new ConsoleDriverError(`cannot register /dev/${d.name}: ${statusName(r)}`);
    }
  }
  // Host input ended (a pipe or a script): deliver it as ^D, as if typed.
  ctx.onConsoleInputEnd(() => tty.receive(Uint8Array.of(tty.termios.cc[VCC.VEOF] || 4)));
  // The host terminal's size (TIOCGWINSZ), SIGWINCH on a change.
  ctx.onConsoleResize((rows, cols) => tty.setWinSize(rows, cols));
  states.set(ctx, { tty, driver });
  return driver;
}

/** Quiesces the console for a replacement and returns the {@link ConsoleHandover}. */
export function suspendConsole(ctx: ModuleContext): ConsoleHandover | undefined {
  const s = states.get(ctx);
  if (s === undefined) return undefined;
  states.delete(ctx);
  return { tty: s.tty, pending: s.driver.suspend() };
}

/** Stops the console for good: nodes removed, interrupts off, the tty hung up. */
export function stopConsole(ctx: ModuleContext): void {
  for (const d of CONSOLE_DEVICES) ctx.unregisterCharDevice(d.major, d.minor);
  // Interrupts off: the device stays quiet until another driver takes it.
  ctx.mmio(MEMORY_MAP.UART0_BASE).write8(1, 0);
  states.get(ctx)?.tty.hangup();
  states.delete(ctx);
}
