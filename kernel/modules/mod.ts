/**
 * The module loader (layer 5) and its errors.
 *
 * @module
 */

export { type ModuleHost, ModuleLoader, type Registrar } from "./loader.ts";
export { type Owned, OwnedList } from "./registry.ts";
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
