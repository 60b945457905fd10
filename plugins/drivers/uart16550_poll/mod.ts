/**
 * The console UART driven by polling instead of interrupts: the same
 * NS16550A and tty as `uart16550`, with the UART's interrupts left off and a
 * kernel timer that looks at the line status every {@link POLL_NS} of
 * simulated time (received bytes to the tty, the transmitter refilled). The
 * timer is a daemon timer: an idle machine is not kept busy by it.
 *
 * The two drivers replace each other while the machine runs (`modswap
 * uart16550 uart16550_poll`): the tty, the line being edited and the queued
 * output carry over (see `../uart16550/console.ts`).
 *
 * @module
 */

import {
  API_VERSION,
  type KernelApi,
  type ModuleContext,
  type ModuleDescriptor,
} from "../../../kernel/api.ts";
import { MEMORY_MAP } from "../../../hw/memory_map.ts";
import { startConsole, stopConsole, suspendConsole } from "../uart16550/console.ts";

/** Poll period in simulated ns (100 µs: about 1.4 character times at 115200 baud). */
export const POLL_NS = 100_000;

const timers = new WeakMap<ModuleContext, number>();

/** The module descriptor. */
export const module: ModuleDescriptor = {
  name: "uart16550_poll",
  version: "1.0.0",
  apiVersion: API_VERSION,
  kind: "driver",
  description: "NS16550A console UART (polled every 100 us) with a tty line discipline",
  resources: { mmio: [{ base: MEMORY_MAP.UART0_BASE, size: MEMORY_MAP.UART_SIZE }] },
  init(api: KernelApi, ctx: ModuleContext, state?: unknown): void {
    const driver = startConsole(api, ctx, state, false);
    const tick = () => {
      driver.poll();
      timers.set(ctx, ctx.startTimer(POLL_NS, tick, true));
    };
    tick();
  },
  suspend(_api: KernelApi, ctx: ModuleContext): unknown {
    const id = timers.get(ctx);
    if (id !== undefined) ctx.cancelTimer(id);
    return suspendConsole(ctx);
  },
  exit(_api: KernelApi, ctx: ModuleContext): void {
    const id = timers.get(ctx);
    if (id !== undefined) ctx.cancelTimer(id);
    stopConsole(ctx);
  },
};
