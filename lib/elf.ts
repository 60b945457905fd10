/**
 * ELF32 (little-endian, RISC-V) parser and loader.
 *
 * The parser never trusts the file: every header, table and segment is
 * bounds-checked against the file size, and any defect is reported as an
 * {@link ElfFormatError} naming what is wrong. No other exception escapes.
 *
 * @module
 */

/** Raised for a malformed, truncated or unsupported ELF file, or a segment that does not fit RAM. */
export class ElfFormatError extends Error {
  /** Creates the error with a description of the defect. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ElfFormatError";
  }
}

/** Program header type of a loadable segment. */
export const PT_LOAD = 1;
/** Segment flag: executable. */
export const PF_X = 1;
/** Segment flag: writable. */
export const PF_W = 2;
/** Segment flag: readable. */
export const PF_R = 4;
/** `e_machine` of RISC-V. */
export const EM_RISCV = 243;
/** `e_type` of an executable file. */
export const ET_EXEC = 2;
/** `e_type` of a shared object / position-independent executable. */
export const ET_DYN = 3;

/** One program header (segment descriptor). */
export interface ElfProgramHeader {
  /** Segment type (`PT_LOAD` = 1, ...). */
  type: number;
  /** Offset of the segment's bytes in the file. */
  offset: number;
  /** Virtual address of the segment. */
  vaddr: number;
  /** Physical address of the segment. */
  paddr: number;
  /** Bytes present in the file. */
  filesz: number;
  /** Bytes in memory (the rest, beyond filesz, is zero). */
  memsz: number;
  /** `PF_R | PF_W | PF_X` combination. */
  flags: number;
  /** Alignment. */
  align: number;
}

/** A parsed ELF32 file. */
export interface Elf32Image {
  /** Entry point virtual address. */
  entry: number;
  /** `e_type` (ET_EXEC = 2, ET_DYN = 3, ...). */
  type: number;
  /** `e_machine` (always EM_RISCV = 243 after validation). */
  machine: number;
  /** `e_flags` (RISC-V ABI flags). */
  flags: number;
  /** Offset of the program header table. */
  phoff: number;
  /** Size of one program header entry. */
  phentsize: number;
  /** Number of program headers. */
  phnum: number;
  /** The program headers. */
  programHeaders: ElfProgramHeader[];
  /** Symbol name to value, from `.symtab` when present (empty if stripped). */
  symbols: Map<string, number>;
  /** The whole file. */
  bytes: Uint8Array;
}

const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const SHDR_SIZE = 40;
const SYM_SIZE = 16;
const SHT_SYMTAB = 2;
const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;
const SHN_ABS = 0xfff1;

function hex(n: number): string {
  return "0x" + (n >>> 0).toString(16);
}

/** Reads a NUL-terminated string inside `[start, end)`; the terminator must be there. */
function cString(bytes: Uint8Array, start: number, end: number): string | undefined {
  let i = start;
  while (i < end && bytes[i] !== 0) i++;
  if (i >= end) return undefined;
  let s = "";
  for (let j = start; j < i; j++) s += String.fromCharCode(bytes[j]);
  return s;
}

/**
 * Validates magic, ELFCLASS32, little-endian, EM_RISCV (243), and that every
 * header and segment lies inside the file (memsz >= filesz, no overflow);
 * throws {@link ElfFormatError} with a message that says what is wrong.
 * Never throws anything else on any input.
 */
export function parseElf32(bytes: Uint8Array): Elf32Image {
  return parse(bytes);
}

/**
 * Parses only the ELF header and program header table from `head`, the
 * first bytes of a file of `fileSize` bytes (which must hold the table):
 * segments are checked against `fileSize`, symbols are not read (the map is
 * empty) and the image's `bytes` are `head`. Lets a loader check an image
 * before it reads the segments. Throws {@link ElfFormatError} like
 * {@link parseElf32}.
 */
export function parseElf32Headers(head: Uint8Array, fileSize: number): Elf32Image {
  return parse(head, fileSize);
}

function parse(bytes: Uint8Array, fileSize?: number): Elf32Image {
  checkIdent(bytes);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => dv.getUint16(o, true);
  const u32 = (o: number) => dv.getUint32(o, true);

  const type = u16(16);
  const machine = u16(18);
  if (machine !== EM_RISCV) throw new ElfFormatError(`not RISC-V (e_machine = ${machine})`);
  const entry = u32(24);
  const phoff = u32(28);
  const flags = u32(36);
  const ehsize = u16(40);
  const phentsize = u16(42);
  const phnum = u16(44);
  if (ehsize < EHDR_SIZE) throw new ElfFormatError(`bad e_ehsize ${ehsize}`);
  const programHeaders = readProgramHeaders(dv, phoff, phentsize, phnum, fileSize ?? bytes.length);
  const symbols = fileSize === undefined ? readSymbols(bytes, dv) : new Map<string, number>();
  return {
    entry,
    type,
    machine,
    flags,
    phoff,
    phentsize,
    phnum,
    programHeaders,
    symbols,
    bytes,
  };
}

/** Checks the size, magic, class, byte order and version of the ELF identification. */
function checkIdent(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) throw new ElfFormatError("input is not a Uint8Array");
  const size = bytes.length;
  if (size < EHDR_SIZE) {
    throw new ElfFormatError(`file too short for an ELF header (${size} < ${EHDR_SIZE} bytes)`);
  }
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfFormatError("bad magic: not an ELF file");
  }
  if (bytes[4] !== 1) throw new ElfFormatError(`not ELFCLASS32 (EI_CLASS = ${bytes[4]})`);
  if (bytes[5] !== 1) throw new ElfFormatError(`not little-endian (EI_DATA = ${bytes[5]})`);
  if (bytes[6] !== 1) throw new ElfFormatError(`unsupported ELF version ${bytes[6]}`);
}

/** The program header table, every entry checked against the file size. */
function readProgramHeaders(
  dv: DataView,
  phoff: number,
  phentsize: number,
  phnum: number,
  size: number,
): ElfProgramHeader[] {
  const programHeaders: ElfProgramHeader[] = [];
  if (phnum === 0) return programHeaders;
  if (phentsize < PHDR_SIZE) throw new ElfFormatError(`bad e_phentsize ${phentsize}`);
  if (phoff + phnum * phentsize > dv.byteLength) {
    throw new ElfFormatError(
      `program header table (${phnum} x ${phentsize} at ${hex(phoff)}) extends past end of file`,
    );
  }
  const u32 = (o: number) => dv.getUint32(o, true);
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    const ph: ElfProgramHeader = {
      type: u32(o),
      offset: u32(o + 4),
      vaddr: u32(o + 8),
      paddr: u32(o + 12),
      filesz: u32(o + 16),
      memsz: u32(o + 20),
      flags: u32(o + 24),
      align: u32(o + 28),
    };
    checkSegment(ph, i, size);
    programHeaders.push(ph);
  }
  return programHeaders;
}

/** Checks program header `i`: a loadable segment fits the address space, any fits the file. */
function checkSegment(ph: ElfProgramHeader, i: number, size: number): void {
  if (ph.type === PT_LOAD) {
    if (ph.memsz < ph.filesz) {
      throw new ElfFormatError(
        `segment ${i}: memsz ${hex(ph.memsz)} is smaller than filesz ${hex(ph.filesz)}`,
      );
    }
    if (ph.vaddr + ph.memsz > 0x1_0000_0000 || ph.paddr + ph.memsz > 0x1_0000_0000) {
      throw new ElfFormatError(`segment ${i}: wraps past the end of the address space`);
    }
  }
  if (ph.offset + ph.filesz > size) {
    throw new ElfFormatError(
      `segment ${i}: file range ${hex(ph.offset)}+${hex(ph.filesz)} extends past end of file`,
    );
  }
}

/** The defined symbols of every SHT_SYMTAB section (none when there is no section table). */
function readSymbols(bytes: Uint8Array, dv: DataView): Map<string, number> {
  const symbols = new Map<string, number>();
  const u16 = (o: number) => dv.getUint16(o, true);
  const shoff = dv.getUint32(32, true);
  const shentsize = u16(46);
  const shnum = u16(48);
  const shstrndx = u16(50);
  if (shnum === 0 || shoff === 0) return symbols;
  if (shentsize < SHDR_SIZE) throw new ElfFormatError(`bad e_shentsize ${shentsize}`);
  if (shoff + shnum * shentsize > bytes.length) {
    throw new ElfFormatError(
      `section header table (${shnum} x ${shentsize} at ${hex(shoff)}) extends past end of file`,
    );
  }
  if (shstrndx !== 0 && shstrndx >= shnum && shstrndx < SHN_LORESERVE) {
    throw new ElfFormatError(`e_shstrndx ${shstrndx} out of range (${shnum} sections)`);
  }
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    if (dv.getUint32(o + 4, true) !== SHT_SYMTAB) continue;
    readSymtab(bytes, dv, i, o, { shoff, shentsize, shnum }, symbols);
  }
  return symbols;
}

/** Adds the defined, named symbols of the symbol table whose section header is at `o`. */
function readSymtab(
  bytes: Uint8Array,
  dv: DataView,
  i: number,
  o: number,
  sh: { shoff: number; shentsize: number; shnum: number },
  symbols: Map<string, number>,
): void {
  const size = bytes.length;
  const u16 = (x: number) => dv.getUint16(x, true);
  const u32 = (x: number) => dv.getUint32(x, true);
  const symOff = u32(o + 16);
  const symSize = u32(o + 20);
  const link = u32(o + 24);
  const entsize = u32(o + 36) || SYM_SIZE;
  if (entsize < SYM_SIZE) throw new ElfFormatError(`section ${i}: bad symbol entry size`);
  if (symOff + symSize > size) {
    throw new ElfFormatError(`section ${i}: symbol table extends past end of file`);
  }
  if (link >= sh.shnum) {
    throw new ElfFormatError(`section ${i}: string table index ${link} out of range`);
  }
  const so = sh.shoff + link * sh.shentsize;
  const strOff = u32(so + 16);
  const strSize = u32(so + 20);
  if (strOff + strSize > size) {
    throw new ElfFormatError(`section ${link}: string table extends past end of file`);
  }
  const count = Math.floor(symSize / entsize);
  for (let k = 0; k < count; k++) {
    const e = symOff + k * entsize;
    const name = u32(e);
    const value = u32(e + 4);
    const shndx = u16(e + 14);
    if (name === 0) continue;
    if (shndx === SHN_UNDEF || (shndx >= SHN_LORESERVE && shndx !== SHN_ABS)) continue;
    if (name >= strSize) throw new ElfFormatError(`symbol ${k}: name offset out of range`);
    const str = cString(bytes, strOff + name, strOff + strSize);
    if (str === undefined) throw new ElfFormatError(`symbol ${k}: unterminated name`);
    // First definition wins (global symbols normally come after locals,
    // but duplicates are rare in the programs we load).
    if (str.length > 0 && !symbols.has(str)) symbols.set(str, value);
  }
}

/** The physical memory {@link loadElfIntoRam} writes to (`hw/ram.ts`'s `Ram` fits). */
export interface PhysicalMemory {
  /** Physical address of the first byte. */
  readonly base: number;
  /** Size in bytes. */
  readonly size: number;
  /** The bytes. */
  readonly u8: Uint8Array;
  /** Copies `bytes` to offset `off`, invalidating cached code there. */
  load(off: number, bytes: Uint8Array): void;
  /** Tells caches that `length` bytes at `off` changed. */
  notifyWrite(off: number, length: number): void;
}

/**
 * Copies PT_LOAD segments into RAM at their physical address (zero-filling
 * memsz - filesz); throws {@link ElfFormatError} if a segment lies outside RAM.
 * Uses `ram.load`, so code caches are invalidated.
 */
export function loadElfIntoRam(image: Elf32Image, ram: PhysicalMemory): void {
  // Check everything first so a bad image leaves RAM untouched.
  for (let i = 0; i < image.programHeaders.length; i++) {
    const ph = image.programHeaders[i];
    if (ph.type !== PT_LOAD || ph.memsz === 0) continue;
    const off = ph.paddr - ram.base;
    if (off < 0 || off + ph.memsz > ram.size) {
      throw new ElfFormatError(
        `segment ${i} (${hex(ph.paddr)}+${hex(ph.memsz)}) lies outside RAM ` +
          `(${hex(ram.base)}+${hex(ram.size)})`,
      );
    }
    if (ph.offset + ph.filesz > image.bytes.length) {
      throw new ElfFormatError(`segment ${i}: file range extends past end of file`);
    }
  }
  for (const ph of image.programHeaders) {
    if (ph.type !== PT_LOAD || ph.memsz === 0) continue;
    const off = ph.paddr - ram.base;
    ram.load(off, image.bytes.subarray(ph.offset, ph.offset + ph.filesz));
    if (ph.memsz > ph.filesz) {
      ram.u8.fill(0, off + ph.filesz, off + ph.memsz);
      ram.notifyWrite(off + ph.filesz, ph.memsz - ph.filesz);
    }
  }
}
