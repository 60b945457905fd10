/**
 * Personality plugins. Each exports a `module` descriptor for the kernel's
 * module loader; this file re-exports them under their names.
 *
 * @module
 */

export { module as unixPersonality } from "./unix/mod.ts";
