/**
 * The console driver plugin: the NS16550A UART at {@link MEMORY_MAP.UART0_BASE}
 * driven by this folder's interrupt-driven {@link Uart16550Driver}, with a
 * {@link Tty} line discipline on top. It claims the UART's register window
 * and PLIC source {@link IRQ.UART0} and registers the console devices
 * (`/dev/console` 5:1, `/dev/tty` 5:0, `/dev/ttyS0` 4:64).
 *
 * @module
 */

import {
  API_VERSION,
  K,
  type KernelApi,
  type ModuleContext,
  type ModuleDescriptor,
  statusName,
  Tty,
  VCC,
} from "../../../kernel/api.ts";
import { Uart16550Driver } from "./driver.ts";
import { IRQ, MEMORY_MAP } from "../../../hw/memory_map.ts";

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

// Keyed by the module context, so that several kernels in one host process stay apart.
const states = new WeakMap<ModuleContext, ConsoleState>();

/** The console's tty and driver for a loaded instance (by its module context), or null. */
export function consoleState(ctx: ModuleContext): ConsoleState | null {
  return states.get(ctx) ?? null;
}

/** The module descriptor. */
export const module: ModuleDescriptor = {
  name: "uart16550",
  version: "1.0.0",
  apiVersion: API_VERSION,
  kind: "driver",
  description: "NS16550A console UART (interrupt driven) with a tty line discipline",
  resources: {
    mmio: [{ base: MEMORY_MAP.UART0_BASE, size: MEMORY_MAP.UART_SIZE }],
    irqs: [IRQ.UART0],
  },
  init(api: KernelApi, ctx: ModuleContext): void {
    const win = ctx.mmio(MEMORY_MAP.UART0_BASE);
    const tty = new Tty({
      name: "console",
      signalGroup: (pgid, sig) => void api.killGroup(pgid, sig),
      startTimer: (ds, cb) => void ctx.startTimer(ds * 100_000_000, cb),
    });
    const driver = new Uart16550Driver(
      { read8: (off) => win.read8(off), write8: (off, v) => win.write8(off, v) },
      tty,
    );
    driver.init();
    ctx.onIrq(IRQ.UART0, () => void driver.handleInterrupt());
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
  },
  exit(_api: KernelApi, ctx: ModuleContext): void {
    for (const d of CONSOLE_DEVICES) ctx.unregisterCharDevice(d.major, d.minor);
    // Interrupts off: the device stays quiet until another driver takes it.
    ctx.mmio(MEMORY_MAP.UART0_BASE).write8(1, 0);
    states.get(ctx)?.tty.hangup();
    states.delete(ctx);
  },
};
