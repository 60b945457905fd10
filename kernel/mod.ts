/**
 * The kernel's public face for hosts (the CLI, tests, embedding scripts):
 * booting, the kernel class, and the plugin interface. Plugins import
 * `kernel/api.ts` only.
 *
 * @module
 */

export * from "./api.ts";
export {
  boot,
  type BootConfig,
  type BootedSystem,
  BootError,
  bootKernel,
  type BootOptions,
  type ConsoleScriptStep,
  type ConsoleSpec,
  DEFAULT_BOOT_CONFIG,
  type GuestResult,
  parseQuantum,
  runGuest,
  type ShareSpec,
} from "./boot.ts";
export {
  type FsDeps,
  Kernel,
  KERNEL_RELEASE,
  KernelConfigError,
  type KernelExit,
  type KernelOptions,
} from "./kernel.ts";
export { DEFAULT_KERNEL_COSTS, type KernelCosts } from "./proc/costs.ts";
export {
  ModuleBusyError,
  ModuleDependencyError,
  ModuleDescriptorError,
  ModuleError,
  ModuleExistsError,
  ModuleInitError,
  ModuleNotFoundError,
  ModuleResourceError,
  ModuleVersionError,
} from "./modules/mod.ts";
