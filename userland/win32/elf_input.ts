/**
 * Reads what the PE converter needs from a linked RISC-V ELF32 file (linked
 * with `--emit-relocs`): the section headers, the symbol table and the
 * relocation entries that survived the link.
 *
 * Map: readSections() -> section headers with names; readSymbols() -> the
 * `.symtab` entries; readRelocations() -> every `SHT_RELA` entry whose target
 * section is loaded, with its final virtual address.
 * @module
 */

/** A malformed or unexpected ELF input. */
export class ElfInputError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ElfInputError";
  }
}

/** `SHT_*` values used here. */
export const SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_NOBITS = 8;
/** `SHF_*` values used here. */
export const SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4;
/** `SHN_UNDEF` and `SHN_ABS`. */
export const SHN_UNDEF = 0, SHN_ABS = 0xfff1;

/** One section header. */
export interface ElfSection {
  /** Index in the section header table. */
  index: number;
  /** Name from `.shstrtab`. */
  name: string;
  /** `sh_type`. */
  type: number;
  /** `sh_flags`. */
  flags: number;
  /** `sh_addr`. */
  addr: number;
  /** `sh_offset`. */
  offset: number;
  /** `sh_size`. */
  size: number;
  /** `sh_link`. */
  link: number;
  /** `sh_info`. */
  info: number;
}

/** One `.symtab` entry. */
export interface ElfSymbol {
  /** Name from the linked string table. */
  name: string;
  /** `st_value` (a virtual address for defined symbols of a linked file). */
  value: number;
  /** `st_size`. */
  size: number;
  /** `ST_BIND` (0 local, 1 global, 2 weak). */
  bind: number;
  /** `ST_TYPE` (1 object, 2 function, 3 section). */
  type: number;
  /** `st_shndx`. */
  shndx: number;
}

/** One relocation kept by `--emit-relocs`. */
export interface ElfRelocation {
  /** Virtual address of the patched field. */
  address: number;
  /** `R_RISCV_*` type. */
  type: number;
  /** Symbol the relocation refers to. */
  symbol: ElfSymbol | undefined;
  /** Name of the section the field is in. */
  section: string;
}

/** A parsed ELF32 little-endian RISC-V file. */
export interface ElfInput {
  /** The raw file. */
  bytes: Uint8Array;
  /** `e_entry`. */
  entry: number;
  /** Section headers in file order. */
  sections: ElfSection[];
  /** Symbols of `.symtab` in file order. */
  symbols: ElfSymbol[];
  /** Relocations that target loaded sections. */
  relocations: ElfRelocation[];
}

function cstr(bytes: Uint8Array, at: number): string {
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(at, end));
}

function readSections(bytes: Uint8Array, dv: DataView): ElfSection[] {
  const shoff = dv.getUint32(32, true), shentsize = dv.getUint16(46, true);
  const shnum = dv.getUint16(48, true), shstrndx = dv.getUint16(50, true);
  if (shentsize !== 40 || shoff + shnum * 40 > bytes.length) {
    throw new ElfInputError("ELF section header table out of range");
  }
  const raw: ElfSection[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * 40;
    raw.push({
      index: i,
      name: "",
      type: dv.getUint32(o + 4, true),
      flags: dv.getUint32(o + 8, true),
      addr: dv.getUint32(o + 12, true),
      offset: dv.getUint32(o + 16, true),
      size: dv.getUint32(o + 20, true),
      link: dv.getUint32(o + 24, true),
      info: dv.getUint32(o + 28, true),
    });
    raw[i].name = String(dv.getUint32(o, true));
  }
  const strtab = raw[shstrndx];
  if (!strtab) throw new ElfInputError("ELF has no section name table");
  for (const s of raw) s.name = cstr(bytes, strtab.offset + Number(s.name));
  return raw;
}

function readSymbols(bytes: Uint8Array, dv: DataView, sections: ElfSection[]): ElfSymbol[] {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) throw new ElfInputError("ELF has no symbol table (was it stripped?)");
  const strtab = sections[symtab.link];
  const out: ElfSymbol[] = [];
  for (let o = symtab.offset; o + 16 <= symtab.offset + symtab.size; o += 16) {
    const info = bytes[o + 12];
    out.push({
      name: cstr(bytes, strtab.offset + dv.getUint32(o, true)),
      value: dv.getUint32(o + 4, true),
      size: dv.getUint32(o + 8, true),
      bind: info >> 4,
      type: info & 15,
      shndx: dv.getUint16(o + 14, true),
    });
  }
  return out;
}

function readRelocations(
  dv: DataView,
  sections: ElfSection[],
  symbols: ElfSymbol[],
): ElfRelocation[] {
  const out: ElfRelocation[] = [];
  for (const rs of sections) {
    if (rs.type !== SHT_RELA) continue;
    const target = sections[rs.info];
    if (!target || !(target.flags & SHF_ALLOC)) continue;
    for (let o = rs.offset; o + 12 <= rs.offset + rs.size; o += 12) {
      const info = dv.getUint32(o + 4, true);
      const sym = info >>> 8;
      out.push({
        address: dv.getUint32(o, true),
        type: info & 0xff,
        symbol: sym ? symbols[sym] : undefined,
        section: target.name,
      });
    }
  }
  return out;
}

/** Parses a linked ELF32 RISC-V little-endian file. Throws {@link ElfInputError}. */
export function readElfInput(bytes: Uint8Array): ElfInput {
  if (
    bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c ||
    bytes[3] !== 0x46 || bytes[4] !== 1 || bytes[5] !== 1
  ) throw new ElfInputError("not an ELF32 little-endian file");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint16(18, true) !== 243) throw new ElfInputError("not a RISC-V ELF file");
  const sections = readSections(bytes, dv);
  const symbols = readSymbols(bytes, dv, sections);
  return {
    bytes,
    entry: dv.getUint32(24, true),
    sections,
    symbols,
    relocations: readRelocations(dv, sections, symbols),
  };
}
