/**
 * The kernel's public face for hosts (the CLI, tests, embedding scripts):
 * the kernel class and the plugin interface; booting is in `system/`. Plugins import
 * `kernel/api.ts` only.
 *
 * @module
 */

export * from "./api.ts";
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
