/**
 * The module descriptor every scheduler plugin here shares: loading it
 * installs a fresh policy object, unloading leaves the kernel's fallback.
 *
 * @module
 */

import {
  API_VERSION,
  type KernelApi,
  type ModuleContext,
  type ModuleDescriptor,
  type SchedulerPolicy,
} from "../../kernel/api.ts";

/**
 * A `scheduler` module that installs `make()` when loaded.
 *
 * @param name Module and policy name.
 * @param description One line for `lsmod`-like listings.
 * @param make Builds the policy (called at each load).
 * @returns The module descriptor.
 * @example
 * ```ts
 * export const module = policyModule("stride", "stride scheduling", () => new StridePolicy());
 * ```
 */
export function policyModule(
  name: string,
  description: string,
  make: () => SchedulerPolicy,
): ModuleDescriptor {
  return {
    name,
    version: "1.0.0",
    apiVersion: API_VERSION,
    kind: "scheduler",
    description,
    init(_api: KernelApi, ctx: ModuleContext): void {
      ctx.setScheduler(make());
    },
    exit(_api: KernelApi): void {
      // The kernel falls back to its FIFO policy when the active policy's module goes away.
    },
  };
}
