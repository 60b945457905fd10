/**
 * File-system plugins.
 *
 * @module
 */

export { Ext2Fs, module as ext2Module } from "./ext2/mod.ts";
