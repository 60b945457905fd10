/**
 * PE32 constants the converter writes and the reader checks: the machine
 * number of RV32, header sizes, section flags, data directory slots and base
 * relocation types. Values are those of the Microsoft PE/COFF specification.
 * @module
 */

/** `IMAGE_FILE_MACHINE_RISCV32`. */
export const IMAGE_FILE_MACHINE_RISCV32 = 0x5032;
/** Optional header magic of PE32 (not PE32+). */
export const PE32_MAGIC = 0x10b;
/** Size of the PE32 optional header with 16 data directories. */
export const PE32_OPTIONAL_HEADER_SIZE = 224;
/** Offset of the `PE\0\0` signature (`e_lfanew`). */
export const PE_HEADER_OFFSET = 0x40;
/** Section alignment in memory (one page). */
export const SECTION_ALIGNMENT = 0x1000;
/** Section alignment in the file. */
export const FILE_ALIGNMENT = 0x200;

/** COFF `Characteristics` bits. */
export const IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002, IMAGE_FILE_32BIT_MACHINE = 0x0100;
/** COFF `Characteristics`: the image is a DLL. */
export const IMAGE_FILE_DLL = 0x2000;
/** `IMAGE_SUBSYSTEM_WINDOWS_CUI` (console). */
export const IMAGE_SUBSYSTEM_WINDOWS_CUI = 3;
/** `DllCharacteristics`: relocatable, NX compatible. */
export const IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE = 0x40,
  IMAGE_DLLCHARACTERISTICS_NX_COMPAT = 0x100;

/** Section characteristics. */
export const IMAGE_SCN_CNT_CODE = 0x20,
  IMAGE_SCN_CNT_INITIALIZED_DATA = 0x40,
  IMAGE_SCN_CNT_UNINITIALIZED_DATA = 0x80,
  IMAGE_SCN_MEM_DISCARDABLE = 0x02000000,
  IMAGE_SCN_MEM_EXECUTE = 0x20000000,
  IMAGE_SCN_MEM_READ = 0x40000000,
  IMAGE_SCN_MEM_WRITE = 0x80000000;

/** Data directory slots. */
export const IMAGE_DIRECTORY_ENTRY_EXPORT = 0,
  IMAGE_DIRECTORY_ENTRY_IMPORT = 1,
  IMAGE_DIRECTORY_ENTRY_BASERELOC = 5,
  IMAGE_DIRECTORY_ENTRY_IAT = 12;

/** Base relocation types: padding, and a 32-bit absolute address. */
export const IMAGE_REL_BASED_ABSOLUTE = 0, IMAGE_REL_BASED_HIGHLOW = 3;

/** Import lookup table entry flag: import by ordinal (low 16 bits). */
export const IMAGE_ORDINAL_FLAG32 = 0x80000000;

/** Rounds `n` up to a multiple of `a` (a power of two). */
export function alignUp(n: number, a: number): number {
  return (n + a - 1) & ~(a - 1);
}
