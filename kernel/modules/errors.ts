/**
 * Errors of the module loader. Each carries a kernel status so that the
 * monitor and tests can tell the cases apart without parsing messages.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";

/** Base class of module loader errors. */
export class ModuleError extends Error {
  /** Kernel status describing the failure. */
  readonly status: KStatus;
  /** The module concerned. */
  readonly module: string;
  /** Creates the error. */
  constructor(module: string, status: KStatus, message: string, options?: ErrorOptions) {
    super(`module ${module}: ${message}`, options);
    this.name = "ModuleError";
    this.module = module;
    this.status = status;
  }
}

/** The file exports no valid `module` descriptor. */
export class ModuleDescriptorError extends ModuleError {
  /** Creates the error. */
  constructor(module: string, message: string, options?: ErrorOptions) {
    super(module, K.INVAL, message, options);
    this.name = "ModuleDescriptorError";
  }
}

/** The descriptor asks for another kernel API version. */
export class ModuleVersionError extends ModuleError {
  /** Creates the error. */
  constructor(module: string, wanted: number, have: number, options?: ErrorOptions) {
    super(
      module,
      K.VERSION,
      `needs kernel API version ${wanted}, this kernel has ${have}`,
      options,
    );
    this.name = "ModuleVersionError";
  }
}

/** A module of that name is already loaded. */
export class ModuleExistsError extends ModuleError {
  /** Creates the error. */
  constructor(module: string, options?: ErrorOptions) {
    super(module, K.EXIST, "is already loaded", options);
    this.name = "ModuleExistsError";
  }
}

/** A module it depends on is not loaded. */
export class ModuleDependencyError extends ModuleError {
  /** Creates the error. */
  constructor(module: string, missing: string, options?: ErrorOptions) {
    super(module, K.NOENT, `depends on ${missing}, which is not loaded`, options);
    this.name = "ModuleDependencyError";
  }
}

/** A claimed resource is taken by another module or does not exist. */
export class ModuleResourceError extends ModuleError {
  /** Creates the error. */
  constructor(module: string, message: string, options?: ErrorOptions) {
    super(module, K.BUSY, message, options);
    this.name = "ModuleResourceError";
  }
}

/** The module's init threw; everything it did was undone. */
export class ModuleInitError extends ModuleError {
  /** Creates the error, keeping the original exception as `cause`. */
  constructor(module: string, cause: unknown) {
    super(
      module,
      K.INITFAIL,
      `init failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = "ModuleInitError";
  }
}

/** The module is in use (references) and was not force-unloaded. */
export class ModuleBusyError extends ModuleError {
  /** Creates the error. */
  constructor(module: string, refs: number, options?: ErrorOptions) {
    super(module, K.BUSY, `is in use (${refs} reference${refs === 1 ? "" : "s"})`, options);
    this.name = "ModuleBusyError";
  }
}

/** No module of that name is loaded. */
export class ModuleNotFoundError extends ModuleError {
  /** Creates the error. */
  constructor(module: string, options?: ErrorOptions) {
    super(module, K.NOENT, "is not loaded", options);
    this.name = "ModuleNotFoundError";
  }
}
