/**
 * The console driver plugin: the NS16550A UART at {@link MEMORY_MAP.UART0_BASE}
 * driven by this folder's interrupt-driven {@link Uart16550Driver}, with a
 * {@link Tty} line discipline on top (`console.ts`). It claims the UART's
 * register window and PLIC source {@link IRQ.UART0} and registers the
 * console devices (`/dev/console` 5:1, `/dev/tty` 5:0, `/dev/ttyS0` 4:64).
 * It can be replaced while the machine runs by the polling
 * `uart16550_poll` (and back): the tty and the queued output carry over.
 *
 * @module
 */

import {
  API_VERSION,
  type KernelApi,
  type ModuleContext,
  type ModuleDescriptor,
} from "../../../kernel/api.ts";
import { IRQ, MEMORY_MAP } from "../../../hw/memory_map.ts";
import { startConsole, stopConsole, suspendConsole } from "./console.ts";

export {
  CONSOLE_DEVICES,
  ConsoleDriverError,
  type ConsoleHandover,
  type ConsoleState,
  consoleState,
} from "./console.ts";

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
  init(api: KernelApi, ctx: ModuleContext, state?: unknown): void {
    const driver = startConsole(api, ctx, state, true);
    ctx.onIrq(IRQ.UART0, () => void driver.handleInterrupt());
  },
  suspend(_api: KernelApi, ctx: ModuleContext): unknown {
    return suspendConsole(ctx);
  },
  exit(_api: KernelApi, ctx: ModuleContext): void {
    stopConsole(ctx);
  },
};
