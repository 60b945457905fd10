/**
 * The module loader (layer 5) and its errors.
 *
 * @module
 */

export { type ModuleHost, ModuleLoader } from "./loader.ts";
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
} from "./errors.ts";
