/**
 * elf2pe: turns a RISC-V ELF32 linked by `ld.lld --emit-relocs` with
 * `userland/win32/pe.ld` into a PE32 image (machine 0x5032, console subsystem).
 *
 * Map:
 * - loaded ELF sections (page aligned by the linker script) become PE sections
 *   at the same relative addresses, so no code moves and nothing is patched;
 * - `R_RISCV_32` relocations left by the link become `IMAGE_REL_BASED_HIGHLOW`
 *   base relocations in `.reloc`; code is compiled `-mcmodel=medany`
 *   (pc-relative), so an absolute `HI20`/`LO12` pair is refused;
 * - `__imp_NAME` symbols (import slots from the generated stubs, sorted per
 *   DLL, each DLL's run ended by a zero word `__iat_end_DLL`) become the IAT;
 *   the import directory, lookup tables and hint/name entries go in `.idata`;
 * - a DLL's export list becomes the export directory in `.edata`.
 * TimeDateStamp and checksum are 0, so the output depends only on the input.
 * @module
 */

import { type ElfInput, type ElfSymbol, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE } from "./elf_input.ts";
import { SHN_ABS, SHN_UNDEF, SHT_NOBITS } from "./elf_input.ts";
import * as pe from "./pe_format.ts";

/** A conversion that cannot give a correct image. */
export class Elf2PeError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "Elf2PeError";
  }
}

/** The exports of one DLL, as an import library sees them. */
export interface ImportLibrary {
  /** File name, for example `kernel32.dll`. */
  dll: string;
  /** Exported names in ordinal order (ordinal = index + 1). */
  names: readonly string[];
}

/** What to build. */
export interface Elf2PeOptions {
  /** An executable or a DLL. */
  kind: "exe" | "dll";
  /** Preferred base address (the one the ELF was linked at). */
  imageBase: number;
  /** For a DLL: its file name (export directory) and its exports in ordinal order. */
  exports?: ImportLibrary;
  /** DLLs whose import stubs may have been linked in. */
  imports?: readonly ImportLibrary[];
}

interface OutSection {
  name: string;
  rva: number;
  virtualSize: number;
  data: Uint8Array;
  flags: number;
}

const IGNORED_RELOCS = new Set([
  0, // NONE (ties an import slot to its DLL's end word)
  16,
  17,
  18,
  19, // BRANCH, JAL, CALL, CALL_PLT
  23,
  24,
  25, // PCREL_HI20, PCREL_LO12_I, PCREL_LO12_S
  33,
  34,
  35,
  36,
  37,
  38,
  39,
  40, // ADDn/SUBn (differences)
  43,
  44,
  45,
  51,
  52,
  57, // ALIGN, RVC_BRANCH, RVC_JUMP, RELAX, SUB6, 32_PCREL
]);
const R_RISCV_32 = 1;

/** Collects the HIGHLOW fixups (image-relative addresses), sorted. */
export function collectFixups(elf: ElfInput, imageBase: number): number[] {
  const out: number[] = [];
  for (const r of elf.relocations) {
    if (IGNORED_RELOCS.has(r.type)) continue;
    if (r.type !== R_RISCV_32) {
      const hint = r.type >= 26 && r.type <= 28 ? " (compile with -mcmodel=medany)" : "";
      throw new Elf2PeError(
        `relocation type ${r.type} at 0x${r.address.toString(16)} in ${r.section} ` +
          `against ${r.symbol?.name || "?"} cannot be expressed in a PE image${hint}`,
      );
    }
    const s = r.symbol;
    if (s && (s.shndx === SHN_ABS || s.shndx === SHN_UNDEF)) continue;
    out.push(r.address - imageBase);
  }
  return out.sort((a, b) => a - b);
}

function loadedSections(elf: ElfInput, imageBase: number): OutSection[] {
  const out: OutSection[] = [];
  const loaded = elf.sections.filter((s) => (s.flags & SHF_ALLOC) && s.size > 0)
    .sort((a, b) => a.addr - b.addr);
  for (const s of loaded) {
    if (s.addr % pe.SECTION_ALIGNMENT || s.addr < imageBase + pe.SECTION_ALIGNMENT) {
      throw new Elf2PeError(`section ${s.name} at 0x${s.addr.toString(16)} is not page aligned`);
    }
    if (s.name.length > 8) throw new Elf2PeError(`section name ${s.name} is over 8 characters`);
    let flags = pe.IMAGE_SCN_MEM_READ;
    if (s.flags & SHF_EXECINSTR) flags |= pe.IMAGE_SCN_CNT_CODE | pe.IMAGE_SCN_MEM_EXECUTE;
    else if (s.type === SHT_NOBITS) flags |= pe.IMAGE_SCN_CNT_UNINITIALIZED_DATA;
    else flags |= pe.IMAGE_SCN_CNT_INITIALIZED_DATA;
    if (s.flags & SHF_WRITE) flags |= pe.IMAGE_SCN_MEM_WRITE;
    const data = s.type === SHT_NOBITS
      ? new Uint8Array(0)
      : elf.bytes.slice(s.offset, s.offset + s.size);
    out.push({ name: s.name, rva: s.addr - imageBase, virtualSize: s.size, data, flags });
  }
  for (let i = 1; i < out.length; i++) {
    const prev = out[i - 1];
    if (prev.rva + prev.virtualSize > out[i].rva) {
      throw new Elf2PeError(`sections ${prev.name} and ${out[i].name} share a page`);
    }
  }
  return out;
}

/** A growing little-endian byte buffer for the generated tables. */
class Table {
  bytes: number[] = [];
  u16(v: number): void {
    this.bytes.push(v & 0xff, (v >>> 8) & 0xff);
  }
  u32(v: number): void {
    this.u16(v & 0xffff);
    this.u16(v >>> 16);
  }
  str(s: string): void {
    for (const c of new TextEncoder().encode(s)) this.bytes.push(c);
    this.bytes.push(0);
  }
  align(n: number): void {
    while (this.bytes.length % n) this.bytes.push(0);
  }
  set32(at: number, v: number): void {
    for (let i = 0; i < 4; i++) this.bytes[at + i] = (v >>> (8 * i)) & 0xff;
  }
  get length(): number {
    return this.bytes.length;
  }
}

function sortedNames(names: readonly string[]): string[] {
  return [...names].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
}

interface ImportGroup {
  lib: ImportLibrary;
  slots: { name: string; rva: number }[];
}

function importGroups(elf: ElfInput, opts: Elf2PeOptions): ImportGroup[] {
  const byName = new Map<string, ImportLibrary>();
  for (const lib of opts.imports ?? []) for (const n of lib.names) byName.set(n, lib);
  const groups = new Map<ImportLibrary, ImportGroup>();
  const ends = new Map<string, ElfSymbol>();
  for (const s of elf.symbols) {
    if (s.shndx === SHN_UNDEF) continue;
    if (s.name.startsWith("__iat_end_")) ends.set(s.name.slice(10), s);
    if (!s.name.startsWith("__imp_")) continue;
    const lib = byName.get(s.name.slice(6));
    if (!lib) throw new Elf2PeError(`import slot ${s.name} names no known DLL export`);
    let g = groups.get(lib);
    if (!g) groups.set(lib, g = { lib, slots: [] });
    g.slots.push({ name: s.name.slice(6), rva: s.value - opts.imageBase });
  }
  const out = [...groups.values()].sort((a, b) => a.slots[0].rva - b.slots[0].rva);
  for (const g of out) {
    g.slots.sort((a, b) => a.rva - b.rva);
    const end = ends.get(g.lib.dll.replace(/\.dll$/i, ""));
    g.slots.forEach((slot, i) => {
      const next = i + 1 < g.slots.length ? g.slots[i + 1].rva : (end?.value ?? 0) - opts.imageBase;
      if (next !== slot.rva + 4) {
        throw new Elf2PeError(`import slots of ${g.lib.dll} are not one zero-ended run`);
      }
    });
    g.slots.sort((a, b) => a.rva - b.rva);
  }
  return out;
}

/** Builds `.idata` at `rva`; patches the IAT in `sections` to hold the hint/name RVAs too. */
function buildImports(groups: ImportGroup[], rva: number, sections: OutSection[]): Table {
  const t = new Table();
  const descAt = 0, iltAt = (groups.length + 1) * 20;
  let iltSize = 0;
  for (const g of groups) iltSize += (g.slots.length + 1) * 4;
  for (let i = 0; i < (groups.length + 1) * 20 + iltSize; i++) t.bytes.push(0);
  let ilt = iltAt;
  groups.forEach((g, gi) => {
    const sorted = sortedNames(g.lib.names);
    const d = descAt + gi * 20;
    t.set32(d, rva + ilt);
    t.set32(d + 16, g.slots[0].rva);
    for (const slot of g.slots) {
      t.align(2);
      const hintName = rva + t.length;
      t.u16(sorted.indexOf(slot.name));
      t.str(slot.name);
      t.set32(ilt, hintName);
      patchWord(sections, slot.rva, hintName);
      ilt += 4;
    }
    ilt += 4;
    t.align(2);
    t.set32(d + 12, rva + t.length);
    t.str(g.lib.dll);
  });
  t.align(4);
  return t;
}

function patchWord(sections: OutSection[], rva: number, value: number): void {
  const s = sections.find((x) => rva >= x.rva && rva + 4 <= x.rva + x.data.length);
  if (!s) throw new Elf2PeError(`import slot at RVA 0x${rva.toString(16)} is not in a section`);
  new DataView(s.data.buffer, s.data.byteOffset).setUint32(rva - s.rva, value, true);
}

function buildExports(elf: ElfInput, lib: ImportLibrary, base: number, rva: number): Table {
  const addr = new Map<string, number>();
  for (const s of elf.symbols) {
    if (s.bind !== 0 && s.shndx !== SHN_UNDEF && s.shndx !== SHN_ABS) addr.set(s.name, s.value);
  }
  const names = sortedNames(lib.names);
  const t = new Table();
  const n = lib.names.length;
  const funcsAt = 40, namesAt = funcsAt + 4 * n, ordsAt = namesAt + 4 * n;
  for (let i = 0; i < ordsAt + 2 * n; i++) t.bytes.push(0);
  t.align(2);
  t.set32(16, 1); // ordinal base
  t.set32(20, n);
  t.set32(24, n);
  t.set32(28, rva + funcsAt);
  t.set32(32, rva + namesAt);
  t.set32(36, rva + ordsAt);
  lib.names.forEach((name, i) => {
    const a = addr.get(name);
    if (a === undefined) throw new Elf2PeError(`${lib.dll} exports ${name}, which is not defined`);
    t.set32(funcsAt + 4 * i, a - base);
  });
  t.set32(12, rva + t.length);
  t.str(lib.dll);
  names.forEach((name, i) => {
    t.set32(namesAt + 4 * i, rva + t.length);
    t.str(name);
    const ord = lib.names.indexOf(name);
    t.bytes[ordsAt + 2 * i] = ord & 0xff;
    t.bytes[ordsAt + 2 * i + 1] = ord >> 8;
  });
  t.align(4);
  return t;
}

/** Base relocation blocks, one per 4 KiB page, each padded to 4 bytes. */
export function buildBaseRelocs(fixups: readonly number[]): Uint8Array {
  const t = new Table();
  let i = 0;
  while (i < fixups.length) {
    const page = fixups[i] & ~0xfff;
    const entries: number[] = [];
    while (i < fixups.length && (fixups[i] & ~0xfff) === page) {
      entries.push((pe.IMAGE_REL_BASED_HIGHLOW << 12) | (fixups[i] & 0xfff));
      i++;
    }
    if (entries.length & 1) entries.push(pe.IMAGE_REL_BASED_ABSOLUTE << 12);
    t.u32(page);
    t.u32(8 + 2 * entries.length);
    for (const e of entries) t.u16(e);
  }
  return new Uint8Array(t.bytes);
}

function nextRva(sections: OutSection[]): number {
  const last = sections[sections.length - 1];
  return pe.alignUp(last.rva + Math.max(last.virtualSize, 1), pe.SECTION_ALIGNMENT);
}

/** Converts a linked ELF into PE32 bytes. Throws {@link Elf2PeError}. */
export function elfToPe(elf: ElfInput, opts: Elf2PeOptions): Uint8Array {
  const base = opts.imageBase;
  const sections = loadedSections(elf, base);
  if (!sections.length) throw new Elf2PeError("nothing to load");
  const dirs = new Array<[number, number]>(16).fill([0, 0]);
  const groups = importGroups(elf, opts);
  if (groups.length) {
    const rva = nextRva(sections);
    const t = buildImports(groups, rva, sections);
    dirs[pe.IMAGE_DIRECTORY_ENTRY_IMPORT] = [rva, (groups.length + 1) * 20];
    const first = groups[0].slots[0].rva;
    const lastG = groups[groups.length - 1];
    dirs[pe.IMAGE_DIRECTORY_ENTRY_IAT] = [
      first,
      lastG.slots[lastG.slots.length - 1].rva + 8 - first,
    ];
    const flags = pe.IMAGE_SCN_CNT_INITIALIZED_DATA | pe.IMAGE_SCN_MEM_READ;
    sections.push({
      name: ".idata",
      rva,
      virtualSize: t.length,
      data: new Uint8Array(t.bytes),
      flags,
    });
  }
  if (opts.kind === "dll" && opts.exports) {
    const rva = nextRva(sections);
    const t = buildExports(elf, opts.exports, base, rva);
    dirs[pe.IMAGE_DIRECTORY_ENTRY_EXPORT] = [rva, t.length];
    const flags = pe.IMAGE_SCN_CNT_INITIALIZED_DATA | pe.IMAGE_SCN_MEM_READ;
    sections.push({
      name: ".edata",
      rva,
      virtualSize: t.length,
      data: new Uint8Array(t.bytes),
      flags,
    });
  }
  const relocs = buildBaseRelocs(collectFixups(elf, base));
  if (relocs.length) {
    const rva = nextRva(sections);
    dirs[pe.IMAGE_DIRECTORY_ENTRY_BASERELOC] = [rva, relocs.length];
    const flags = pe.IMAGE_SCN_CNT_INITIALIZED_DATA | pe.IMAGE_SCN_MEM_READ |
      pe.IMAGE_SCN_MEM_DISCARDABLE;
    sections.push({ name: ".reloc", rva, virtualSize: relocs.length, data: relocs, flags });
  }
  const entry = elf.entry ? elf.entry - base : 0;
  return writeImage(sections, dirs, opts, entry);
}

function writeImage(
  sections: OutSection[],
  dirs: [number, number][],
  opts: Elf2PeOptions,
  entry: number,
): Uint8Array {
  const headerEnd = pe.PE_HEADER_OFFSET + 24 + pe.PE32_OPTIONAL_HEADER_SIZE + 40 * sections.length;
  const sizeOfHeaders = pe.alignUp(headerEnd, pe.FILE_ALIGNMENT);
  let fileSize = sizeOfHeaders;
  const rawAt: number[] = [];
  for (const s of sections) {
    rawAt.push(s.data.length ? fileSize : 0);
    fileSize += pe.alignUp(s.data.length, pe.FILE_ALIGNMENT);
  }
  const out = new Uint8Array(fileSize);
  const dv = new DataView(out.buffer);
  out.set([0x4d, 0x5a]); // MZ
  dv.setUint32(0x3c, pe.PE_HEADER_OFFSET, true);
  const h = pe.PE_HEADER_OFFSET;
  out.set([0x50, 0x45, 0, 0], h);
  dv.setUint16(h + 4, pe.IMAGE_FILE_MACHINE_RISCV32, true);
  dv.setUint16(h + 6, sections.length, true);
  dv.setUint16(h + 20, pe.PE32_OPTIONAL_HEADER_SIZE, true);
  let ch = pe.IMAGE_FILE_EXECUTABLE_IMAGE | pe.IMAGE_FILE_32BIT_MACHINE;
  if (opts.kind === "dll") ch |= pe.IMAGE_FILE_DLL;
  dv.setUint16(h + 22, ch, true);
  const o = h + 24;
  const sum = (f: number) =>
    sections.filter((s) => s.flags & f).reduce(
      (a, s) => a + pe.alignUp(s.virtualSize, pe.FILE_ALIGNMENT),
      0,
    );
  const code = sections.find((s) => s.flags & pe.IMAGE_SCN_CNT_CODE);
  const data = sections.find((s) => !(s.flags & pe.IMAGE_SCN_CNT_CODE));
  dv.setUint16(o, pe.PE32_MAGIC, true);
  out[o + 2] = 14; // linker version 14.0
  dv.setUint32(o + 4, sum(pe.IMAGE_SCN_CNT_CODE), true);
  dv.setUint32(o + 8, sum(pe.IMAGE_SCN_CNT_INITIALIZED_DATA), true);
  dv.setUint32(o + 12, sum(pe.IMAGE_SCN_CNT_UNINITIALIZED_DATA), true);
  dv.setUint32(o + 16, entry, true);
  dv.setUint32(o + 20, code?.rva ?? 0, true);
  dv.setUint32(o + 24, data?.rva ?? 0, true);
  dv.setUint32(o + 28, opts.imageBase, true);
  dv.setUint32(o + 32, pe.SECTION_ALIGNMENT, true);
  dv.setUint32(o + 36, pe.FILE_ALIGNMENT, true);
  dv.setUint16(o + 40, 6, true); // OS version 6.0
  dv.setUint16(o + 48, 6, true); // subsystem version 6.0
  dv.setUint32(o + 56, nextRva(sections), true); // SizeOfImage
  dv.setUint32(o + 60, sizeOfHeaders, true);
  dv.setUint16(o + 68, pe.IMAGE_SUBSYSTEM_WINDOWS_CUI, true);
  dv.setUint16(
    o + 70,
    pe.IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE | pe.IMAGE_DLLCHARACTERISTICS_NX_COMPAT,
    true,
  );
  dv.setUint32(o + 72, 0x100000, true); // stack reserve
  dv.setUint32(o + 76, 0x1000, true); // stack commit
  dv.setUint32(o + 80, 0x100000, true); // heap reserve
  dv.setUint32(o + 84, 0x1000, true); // heap commit
  dv.setUint32(o + 92, 16, true);
  dirs.forEach(([rva, size], i) => {
    dv.setUint32(o + 96 + 8 * i, rva, true);
    dv.setUint32(o + 100 + 8 * i, size, true);
  });
  sections.forEach((s, i) => {
    const at = o + pe.PE32_OPTIONAL_HEADER_SIZE + 40 * i;
    out.set(new TextEncoder().encode(s.name), at);
    dv.setUint32(at + 8, s.virtualSize, true);
    dv.setUint32(at + 12, s.rva, true);
    dv.setUint32(at + 16, pe.alignUp(s.data.length, pe.FILE_ALIGNMENT), true);
    dv.setUint32(at + 20, rawAt[i], true);
    dv.setUint32(at + 36, s.flags >>> 0, true);
    out.set(s.data, rawAt[i]);
  });
  return out;
}
