/**
 * PE32 (Portable Executable, 32-bit) parser and image builder for RISC-V
 * images (machine 0x5032).
 *
 * Map of the file:
 * - {@link parsePe32}: DOS header -> `PE\0\0` -> COFF header -> PE32 optional
 *   header (magic 0x10b) -> data directories -> section table, every field
 *   bounds-checked against the file and against each other;
 * - {@link buildImage}: the image as mapped (headers and sections copied into
 *   a zeroed buffer of `SizeOfImage` bytes);
 * - {@link applyRelocations}: base relocations (.reloc) for a new base;
 * - {@link readImports} / {@link readExports}: the import and export
 *   directories of a built image;
 * - {@link writeImport}: fills one IAT slot.
 *
 * Nothing trusts the file: any defect is a {@link PeFormatError} naming it,
 * and no other exception escapes (the loader turns it into
 * STATUS_INVALID_IMAGE_FORMAT).
 *
 * @module
 */

/** Raised for a malformed, truncated or unsupported PE file. */
export class PeFormatError extends Error {
  /** Creates the error with a description of the defect. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PeFormatError";
  }
}

/** `IMAGE_FILE_MACHINE_RISCV32`. */
export const IMAGE_FILE_MACHINE_RISCV32 = 0x5032;
/** Optional header magic of PE32. */
export const PE32_MAGIC = 0x10b;
/** COFF characteristics: relocation information stripped. */
export const IMAGE_FILE_RELOCS_STRIPPED = 0x0001;
/** COFF characteristics: the file is an executable image. */
export const IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002;
/** COFF characteristics: the image is a DLL. */
export const IMAGE_FILE_DLL = 0x2000;
/** Subsystem: Windows character (console). */
export const IMAGE_SUBSYSTEM_WINDOWS_CUI = 3;
/** Section flag: executable. */
export const IMAGE_SCN_MEM_EXECUTE = 0x2000_0000;
/** Section flag: readable. */
export const IMAGE_SCN_MEM_READ = 0x4000_0000;
/** Section flag: writable. */
export const IMAGE_SCN_MEM_WRITE = 0x8000_0000;
/** Section flag: uninitialised data. */
export const IMAGE_SCN_CNT_UNINITIALIZED_DATA = 0x80;

/** Data directory indexes. */
export const DIR = { EXPORT: 0, IMPORT: 1, BASERELOC: 5, IAT: 12 } as const;

/** Base relocation types the loader applies. */
export const REL = {
  /** Padding: skipped. */
  ABSOLUTE: 0,
  /** The 32-bit word at the offset gets the delta added. */
  HIGHLOW: 3,
  /** RISC-V U-type (lui/auipc) immediate: bits 31..12 of an absolute address. */
  RISCV_HIGH20: 5,
  /** RISC-V I-type immediate: bits 11..0 of an absolute address. */
  RISCV_LOW12I: 7,
  /** RISC-V S-type immediate: bits 11..0 of an absolute address. */
  RISCV_LOW12S: 8,
} as const;

/** Largest `SizeOfImage` accepted (the user address space is 2 GiB). */
export const MAX_IMAGE_SIZE = 256 * 1024 * 1024;
/** Page size images are mapped with; `SectionAlignment` must be a multiple. */
export const PE_PAGE = 4096;
/** Most sections an image may have (the PE limit is 96). */
export const MAX_SECTIONS = 96;

/** One section header. */
export interface PeSection {
  /** Name (up to 8 characters). */
  name: string;
  /** Size in memory. */
  virtualSize: number;
  /** RVA of its first byte. */
  virtualAddress: number;
  /** Bytes present in the file. */
  sizeOfRawData: number;
  /** File offset of those bytes. */
  pointerToRawData: number;
  /** `IMAGE_SCN_*` flags. */
  characteristics: number;
}

/** A data directory entry. */
export interface PeDirectory {
  /** RVA (0 when absent). */
  rva: number;
  /** Size in bytes. */
  size: number;
}

/** The parsed headers of a PE32 image. */
export interface Pe32Image {
  /** COFF characteristics. */
  characteristics: number;
  /** True for a DLL. */
  isDll: boolean;
  /** RVA of the entry point (0: none, allowed for DLLs). */
  entryRva: number;
  /** Preferred load address. */
  imageBase: number;
  /** Alignment of sections in memory. */
  sectionAlignment: number;
  /** Size of the mapped image. */
  sizeOfImage: number;
  /** Size of the headers (mapped at the base). */
  sizeOfHeaders: number;
  /** Subsystem (3 = console). */
  subsystem: number;
  /** Stack reserve requested by an exe. */
  stackReserve: number;
  /** Data directories (16 entries; absent ones are zero). */
  directories: PeDirectory[];
  /** Sections in RVA order. */
  sections: PeSection[];
}

/** One imported symbol. */
export interface PeImportEntry {
  /** Name, or null when imported by ordinal. */
  name: string | null;
  /** Ordinal (when `name` is null), else the hint. */
  ordinal: number;
  /** RVA of the IAT slot to fill. */
  iatRva: number;
}

/** The imports from one DLL. */
export interface PeImport {
  /** DLL name as written in the image. */
  dll: string;
  /** Symbols. */
  entries: PeImportEntry[];
}

/** The export directory of an image. */
export interface PeExports {
  /** The DLL's own name (may be empty). */
  name: string;
  /** Ordinal base. */
  ordinalBase: number;
  /** Function RVAs by (ordinal - base); 0 for holes. */
  functions: number[];
  /** Name -> index into `functions`. */
  names: Map<string, number>;
  /** Forwarders ("DLL.Name" or "DLL.#ord") by index into `functions`. */
  forwarders: Map<number, string>;
}

function fail(what: string): never {
  throw new PeFormatError(what);
}

function isPow2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** True if `bytes` starts like a PE32 RISC-V image (MZ, PE signature, machine 0x5032). */
export function looksLikePe32(bytes: Uint8Array): boolean {
  if (bytes.length < 0x40 || bytes[0] !== 0x4d || bytes[1] !== 0x5a) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lfanew = v.getUint32(0x3c, true);
  if (lfanew + 6 > bytes.length) return false;
  return v.getUint32(lfanew, true) === 0x4550 &&
    v.getUint16(lfanew + 4, true) === IMAGE_FILE_MACHINE_RISCV32;
}

/** Parses and validates the headers of a PE32 RISC-V image; throws {@link PeFormatError}. */
export function parsePe32(bytes: Uint8Array): Pe32Image {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  if (len < 0x40 || v.getUint16(0, true) !== 0x5a4d) fail("no MZ header");
  const pe = v.getUint32(0x3c, true);
  if (pe < 0x40 || pe + 24 > len || (pe & 3) !== 0) fail("bad e_lfanew");
  if (v.getUint32(pe, true) !== 0x4550) fail("no PE signature");
  if (v.getUint16(pe + 4, true) !== IMAGE_FILE_MACHINE_RISCV32) fail("machine is not RISCV32");
  const nsec = v.getUint16(pe + 6, true);
  const optSize = v.getUint16(pe + 20, true);
  const characteristics = v.getUint16(pe + 22, true);
  if ((characteristics & IMAGE_FILE_EXECUTABLE_IMAGE) === 0) fail("not an executable image");
  if (nsec === 0 || nsec > MAX_SECTIONS) fail("bad section count");
  const opt = pe + 24;
  if (optSize < 96 || opt + optSize > len) fail("bad optional header size");
  if (v.getUint16(opt, true) !== PE32_MAGIC) fail("not PE32");
  const entryRva = v.getUint32(opt + 16, true);
  const imageBase = v.getUint32(opt + 28, true);
  const sectionAlignment = v.getUint32(opt + 32, true);
  const fileAlignment = v.getUint32(opt + 36, true);
  const sizeOfImage = v.getUint32(opt + 56, true);
  const sizeOfHeaders = v.getUint32(opt + 60, true);
  const subsystem = v.getUint16(opt + 68, true);
  const stackReserve = v.getUint32(opt + 72, true);
  const ndir = v.getUint32(opt + 92, true);
  if (!isPow2(sectionAlignment) || sectionAlignment < PE_PAGE) fail("bad SectionAlignment");
  if (!isPow2(fileAlignment) || fileAlignment > sectionAlignment) fail("bad FileAlignment");
  if ((imageBase & 0xffff) !== 0) fail("ImageBase not 64 KiB aligned");
  if (sizeOfImage === 0 || sizeOfImage > MAX_IMAGE_SIZE) fail("bad SizeOfImage");
  if (sizeOfImage % sectionAlignment !== 0) fail("SizeOfImage not aligned");
  if (imageBase + sizeOfImage > 0x8000_0000 || imageBase < 0x10000) {
    fail("image outside user space");
  }
  if (subsystem !== IMAGE_SUBSYSTEM_WINDOWS_CUI) fail("subsystem is not console");
  if (ndir > 16 || 96 + ndir * 8 > optSize) fail("bad NumberOfRvaAndSizes");
  const secTable = opt + optSize;
  if (secTable + nsec * 40 > len) fail("section table truncated");
  if (sizeOfHeaders < secTable + nsec * 40 || sizeOfHeaders > len) fail("bad SizeOfHeaders");
  if (sizeOfHeaders > sizeOfImage) fail("headers larger than the image");
  const directories = readDirectories(v, opt + 96, ndir, sizeOfImage);
  const sections = readSections(v, bytes, secTable, nsec, sectionAlignment, sizeOfImage);
  if (sections[0].virtualAddress < sizeOfHeaders) fail("section overlaps the headers");
  const isDll = (characteristics & IMAGE_FILE_DLL) !== 0;
  if (entryRva === 0 ? !isDll : entryRva >= sizeOfImage) fail("bad entry point");
  return {
    characteristics,
    isDll,
    entryRva,
    imageBase,
    sectionAlignment,
    sizeOfImage,
    sizeOfHeaders,
    subsystem,
    stackReserve,
    directories,
    sections,
  };
}

function readDirectories(v: DataView, at: number, n: number, sizeOfImage: number): PeDirectory[] {
  const dirs: PeDirectory[] = [];
  for (let i = 0; i < 16; i++) {
    if (i >= n) {
      dirs.push({ rva: 0, size: 0 });
      continue;
    }
    const rva = v.getUint32(at + i * 8, true);
    const size = v.getUint32(at + i * 8 + 4, true);
    if (i === 4) { // the certificate table holds a file offset, not an RVA: ignored
      dirs.push({ rva: 0, size: 0 });
      continue;
    }
    if (rva !== 0 && (rva + size > sizeOfImage || size === 0)) fail(`bad data directory ${i}`);
    dirs.push({ rva, size: rva === 0 ? 0 : size });
  }
  return dirs;
}

function readSections(
  v: DataView,
  bytes: Uint8Array,
  at: number,
  n: number,
  align: number,
  sizeOfImage: number,
): PeSection[] {
  const out: PeSection[] = [];
  let next = 0;
  for (let i = 0; i < n; i++) {
    const o = at + i * 40;
    let name = "";
    for (let k = 0; k < 8 && bytes[o + k] !== 0; k++) name += String.fromCharCode(bytes[o + k]);
    const s: PeSection = {
      name,
      virtualSize: v.getUint32(o + 8, true),
      virtualAddress: v.getUint32(o + 12, true),
      sizeOfRawData: v.getUint32(o + 16, true),
      pointerToRawData: v.getUint32(o + 20, true),
      characteristics: v.getUint32(o + 36, true),
    };
    const vsize = Math.max(s.virtualSize, s.sizeOfRawData);
    if (s.virtualAddress % align !== 0 || s.virtualAddress < next) fail(`section ${i} misplaced`);
    if (s.virtualAddress + vsize > sizeOfImage) fail(`section ${i} outside the image`);
    if (s.sizeOfRawData !== 0 && s.pointerToRawData + s.sizeOfRawData > bytes.length) {
      fail(`section ${i} data outside the file`);
    }
    next = s.virtualAddress + Math.ceil(Math.max(vsize, 1) / align) * align;
    out.push(s);
  }
  return out;
}

/** The image as mapped at its base: headers and section bytes in a zeroed buffer of SizeOfImage. */
export function buildImage(bytes: Uint8Array, img: Pe32Image): Uint8Array {
  const mem = new Uint8Array(img.sizeOfImage);
  mem.set(bytes.subarray(0, img.sizeOfHeaders), 0);
  for (const s of img.sections) {
    const n = s.virtualSize === 0 ? s.sizeOfRawData : Math.min(s.sizeOfRawData, s.virtualSize);
    if (n > 0) {
      mem.set(bytes.subarray(s.pointerToRawData, s.pointerToRawData + n), s.virtualAddress);
    }
  }
  return mem;
}

/**
 * Applies the base relocations of a built image for `delta` = new base -
 * preferred base (a multiple of 64 KiB, so the low 12 bits of an address
 * never change: LOW12I/LOW12S relocations are checked but need no edit, and
 * RISCV_HIGH20 adds `delta >> 12` to a U-type immediate). Throws
 * {@link PeFormatError} for a malformed block or an unknown type.
 */
export function applyRelocations(mem: Uint8Array, img: Pe32Image, delta: number): void {
  const dir = img.directories[DIR.BASERELOC];
  if (dir.rva === 0) {
    if (delta !== 0) fail("image cannot be rebased (no relocations)");
    return;
  }
  const v = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  let at = dir.rva;
  const end = dir.rva + dir.size;
  while (at + 8 <= end) {
    const page = v.getUint32(at, true);
    const size = v.getUint32(at + 4, true);
    if (size < 8 || (size & 1) !== 0 || at + size > end) fail("bad relocation block");
    for (let e = at + 8; e + 2 <= at + size; e += 2) {
      const w = v.getUint16(e, true);
      const type = w >>> 12;
      if (type === REL.ABSOLUTE) continue;
      const where = page + (w & 0xfff);
      if (where + 4 > mem.length) fail("relocation outside the image");
      relocateOne(v, where, type, delta);
    }
    at += size;
  }
}

function relocateOne(v: DataView, where: number, type: number, delta: number): void {
  switch (type) {
    case REL.HIGHLOW:
      v.setUint32(where, (v.getUint32(where, true) + delta) >>> 0, true);
      return;
    case REL.RISCV_HIGH20: {
      const insn = v.getUint32(where, true);
      const op = insn & 0x7f;
      if (op !== 0x37 && op !== 0x17) fail("RISCV_HIGH20 not on lui/auipc");
      v.setUint32(where, ((insn & 0xfff) | ((insn & 0xfffff000) + delta)) >>> 0, true);
      return;
    }
    case REL.RISCV_LOW12I:
    case REL.RISCV_LOW12S:
      return; // delta is 64 KiB aligned: bits 11..0 are unchanged
    default:
      fail(`relocation type ${type} not supported`);
  }
}

/** A NUL-terminated ASCII string at `rva` of the built image (at most `max` bytes). */
export function imageString(mem: Uint8Array, rva: number, max = 256): string {
  if (rva === 0 || rva >= mem.length) fail("string outside the image");
  let s = "";
  for (let i = rva; i < mem.length && i < rva + max; i++) {
    if (mem[i] === 0) return s;
    s += String.fromCharCode(mem[i]);
  }
  return fail("unterminated string");
}

/** The import directory of a built image (empty without one). */
export function readImports(mem: Uint8Array, img: Pe32Image): PeImport[] {
  const dir = img.directories[DIR.IMPORT];
  if (dir.rva === 0) return [];
  const v = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  const out: PeImport[] = [];
  for (let d = dir.rva;; d += 20) {
    if (d + 20 > mem.length) fail("import directory runs off the image");
    const ilt = v.getUint32(d, true);
    const nameRva = v.getUint32(d + 12, true);
    const iat = v.getUint32(d + 16, true);
    if (ilt === 0 && nameRva === 0 && iat === 0) break;
    if (out.length >= 256) fail("too many import descriptors");
    const dll = imageString(mem, nameRva);
    if (dll === "") fail("empty DLL name");
    out.push({ dll, entries: readThunks(mem, v, ilt !== 0 ? ilt : iat, iat) });
  }
  return out;
}

function readThunks(mem: Uint8Array, v: DataView, ilt: number, iat: number): PeImportEntry[] {
  const entries: PeImportEntry[] = [];
  for (let i = 0;; i++) {
    const at = ilt + i * 4;
    if (at + 4 > mem.length || iat + i * 4 + 4 > mem.length || iat === 0) {
      fail("import thunks run off the image");
    }
    const t = v.getUint32(at, true);
    if (t === 0) return entries;
    if (entries.length >= 65536) fail("too many imports");
    if (t & 0x8000_0000) {
      entries.push({ name: null, ordinal: t & 0xffff, iatRva: iat + i * 4 });
    } else {
      if (t + 2 > mem.length) fail("hint/name outside the image");
      entries.push({
        name: imageString(mem, t + 2),
        ordinal: v.getUint16(t, true),
        iatRva: iat + i * 4,
      });
    }
  }
}

/** The export directory of a built image, or null without one. */
export function readExports(mem: Uint8Array, img: Pe32Image): PeExports | null {
  const dir = img.directories[DIR.EXPORT];
  if (dir.rva === 0) return null;
  const v = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  if (dir.rva + 40 > mem.length) fail("export directory outside the image");
  const nameRva = v.getUint32(dir.rva + 12, true);
  const ordinalBase = v.getUint32(dir.rva + 16, true);
  const nfun = v.getUint32(dir.rva + 20, true);
  const nnames = v.getUint32(dir.rva + 24, true);
  const funs = v.getUint32(dir.rva + 28, true);
  const names = v.getUint32(dir.rva + 32, true);
  const ords = v.getUint32(dir.rva + 36, true);
  if (nfun > 65536 || nnames > nfun) fail("bad export counts");
  if (funs + nfun * 4 > mem.length) fail("export address table outside the image");
  if (names + nnames * 4 > mem.length || ords + nnames * 2 > mem.length) {
    fail("export name tables outside the image");
  }
  const ex: PeExports = {
    name: nameRva === 0 ? "" : imageString(mem, nameRva),
    ordinalBase,
    functions: [],
    names: new Map(),
    forwarders: new Map(),
  };
  for (let i = 0; i < nfun; i++) {
    const rva = v.getUint32(funs + i * 4, true);
    if (rva >= dir.rva && rva < dir.rva + dir.size) ex.forwarders.set(i, imageString(mem, rva));
    else if (rva >= mem.length) fail("export outside the image");
    ex.functions.push(rva);
  }
  for (let i = 0; i < nnames; i++) {
    const idx = v.getUint16(ords + i * 2, true);
    if (idx >= nfun) fail("export name ordinal out of range");
    ex.names.set(imageString(mem, v.getUint32(names + i * 4, true)), idx);
  }
  return ex;
}

/** The function RVA (or forwarder) an import asks of `ex`, or null when not exported. */
export function findExport(
  ex: PeExports,
  name: string | null,
  ordinal: number,
): { rva: number; forwarder: string | null } | null {
  const idx = name === null ? ordinal - ex.ordinalBase : ex.names.get(name);
  if (idx === undefined || idx < 0 || idx >= ex.functions.length) return null;
  const rva = ex.functions[idx];
  if (rva === 0) return null;
  return { rva, forwarder: ex.forwarders.get(idx) ?? null };
}

/** Writes `address` into the IAT slot at `rva` of the built image. */
export function writeImport(mem: Uint8Array, rva: number, address: number): void {
  new DataView(mem.buffer, mem.byteOffset, mem.byteLength).setUint32(rva, address >>> 0, true);
}
