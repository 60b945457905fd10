/**
 * Round-robin scheduling: one FIFO ready queue; every thread runs for one
 * quantum (the boot configuration's, or the one given to the constructor)
 * and then goes to the back of the queue. A thread that blocks keeps the
 * rest of its slice for its next turn; a woken thread joins the back.
 *
 * @module
 */

import {
  API_VERSION,
  FifoPolicy,
  type KernelApi,
  type ModuleContext,
  type ModuleDescriptor,
  type Thread,
} from "../../kernel/api.ts";

/**
 * The round-robin policy: the kernel's FIFO ready queue (`FifoPolicy`), with
 * an optional fixed quantum of its own.
 */
export class RoundRobinPolicy extends FifoPolicy {
  /** Policy name. */
  override readonly name: string = "round_robin";
  /** Quantum in cycles, or 0 to use the kernel's default. */
  readonly fixedQuantum: number;

  /** Creates the policy; `quantum` 0 means "the boot configuration's quantum". */
  constructor(quantum = 0) {
    super();
    this.fixedQuantum = quantum;
  }

  /** Every slice is one quantum. */
  override quantum(_t: Thread, defaultQuantum: number): number {
    return this.fixedQuantum > 0 ? this.fixedQuantum : defaultQuantum;
  }
}

/** The scheduler module: installs round robin when loaded. */
export const module: ModuleDescriptor = {
  name: "round_robin",
  version: "1.0.0",
  apiVersion: API_VERSION,
  kind: "scheduler",
  description: "round-robin scheduling with the boot quantum",
  init(_api: KernelApi, ctx: ModuleContext): void {
    ctx.setScheduler(new RoundRobinPolicy());
  },
  exit(_api: KernelApi): void {
    // The kernel falls back to its FIFO policy when the active policy's module goes away.
  },
};
