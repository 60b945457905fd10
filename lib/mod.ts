/**
 * Pure helpers that every layer may use: no hardware, no kernel, no host I/O.
 *
 * - `elf.ts`: ELF32 header and program-header parsing;
 * - `pe.ts`: PE32 RISC-V images (headers, relocations, imports, exports);
 * - `lz4.ts`: the LZ4 block codec used by the tape drive's compression;
 * - `byte_copy.ts`: short byte copies without allocating views;
 * - `byte_queue.ts`: a growable byte FIFO for console back-ends;
 * - `double_field.ts`: first values of object fields that hold large numbers;
 * - `typed_slab.ts`: typed arrays carved out of shared buffers.
 *
 * @module
 */

export * from "./elf.ts";
export * from "./pe.ts";
export * from "./lz4.ts";
export * from "./byte_copy.ts";
export * from "./byte_queue.ts";
export * from "./double_field.ts";
export * from "./typed_slab.ts";
