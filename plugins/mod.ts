/**
 * The plugins that ship with Strata, by kind. Each is an ES module whose
 * `module` export is a module descriptor the kernel loads at boot or at run
 * time (see "Modules and the plugin authoring guide" in `docs/kernel.md`).
 *
 * @module
 */

export * from "./personalities/mod.ts";
export * from "./drivers/mod.ts";
export * from "./schedulers/mod.ts";
export * from "./filesystems/mod.ts";
