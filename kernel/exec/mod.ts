/**
 * Layer 5, program execution: the ELF32 loader and per-process descriptor tables.
 *
 * @module
 */

export { type ElfLayout, loadElf, PIE_BASE } from "./elf_loader.ts";
export { DEFAULT_MAX_FDS, FdTable } from "../fs/fd_table.ts";
