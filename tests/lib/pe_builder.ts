/**
 * Builds small PE32 RISC-V images for tests: .text, .data, .idata (import
 * descriptors, ILT, IAT, hint/names), .edata (exports) and .reloc
 * (HIGHLOW entries), each in its own 4 KiB-aligned section.
 *
 * @module
 */

/** What to put in a test image. */
export interface PeSpec {
  /** Build a DLL. */
  dll?: boolean;
  /** Preferred base (64 KiB aligned). */
  imageBase: number;
  /** Code bytes (.text at RVA 0x1000). */
  code: Uint8Array;
  /** Entry point offset into the code (ignored when `noEntry`). */
  entry?: number;
  /** A DLL without entry point. */
  noEntry?: boolean;
  /** Data bytes (.data). */
  data?: Uint8Array;
  /** Offsets into .data of 32-bit absolute addresses to relocate (HIGHLOW). */
  dataRelocs?: number[];
  /** Leave out the .reloc section entirely. */
  noRelocs?: boolean;
  /** Exported functions: name (or null for ordinal only) and offset into the code. */
  exports?: { name: string | null; offset: number }[];
  /** The DLL's own name in its export directory. */
  exportName?: string;
  /** Imports: DLL name and symbols (string: by name; number: by ordinal). */
  imports?: { dll: string; symbols: (string | number)[] }[];
}

/** Where the builder put things (RVAs). */
export interface PeLayout {
  /** The file. */
  bytes: Uint8Array;
  /** RVA of .text. */
  textRva: number;
  /** RVA of .data (0 without data). */
  dataRva: number;
  /** RVA of each import's IAT slots: [dll][symbol]. */
  iat: number[][];
}

const te = new TextEncoder();

interface Sec {
  name: string;
  rva: number;
  bytes: Uint8Array;
  flags: number;
}

const R = 0x4000_0000, W = 0x8000_0000, X = 0x2000_0000;

function pageUp(n: number): number {
  return Math.ceil(n / 4096) * 4096;
}

/** Builds the import section at `rva`; returns its bytes and the IAT slot RVAs. */
function buildIdata(rva: number, imports: NonNullable<PeSpec["imports"]>) {
  const buf = new Uint8Array(8192);
  const v = new DataView(buf.buffer);
  let at = (imports.length + 1) * 20;
  const iat: number[][] = [];
  imports.forEach((imp, i) => {
    const n = imp.symbols.length;
    const ilt = at;
    const iatAt = ilt + (n + 1) * 4;
    at = iatAt + (n + 1) * 4;
    const nameAt = at;
    buf.set(te.encode(imp.dll), nameAt);
    at += imp.dll.length + 1;
    at = (at + 1) & ~1;
    const slots: number[] = [];
    imp.symbols.forEach((s, k) => {
      let thunk: number;
      if (typeof s === "number") thunk = (0x8000_0000 | s) >>> 0;
      else {
        thunk = rva + at;
        buf.set(te.encode(s), at + 2);
        at += 2 + s.length + 1;
        at = (at + 1) & ~1;
      }
      v.setUint32(ilt + k * 4, thunk, true);
      v.setUint32(iatAt + k * 4, thunk, true);
      slots.push(rva + iatAt + k * 4);
    });
    v.setUint32(i * 20, rva + ilt, true);
    v.setUint32(i * 20 + 12, rva + nameAt, true);
    v.setUint32(i * 20 + 16, rva + iatAt, true);
    iat.push(slots);
  });
  return { bytes: buf.slice(0, at), iat };
}

/** Builds the export section at `rva` for functions at `textRva + offset`. */
function buildEdata(rva: number, textRva: number, spec: PeSpec): Uint8Array {
  const ex = spec.exports!;
  const buf = new Uint8Array(8192);
  const v = new DataView(buf.buffer);
  const funs = 40, named = ex.filter((e) => e.name !== null);
  const names = funs + ex.length * 4, ords = names + named.length * 4;
  let at = ords + named.length * 2;
  const own = spec.exportName ?? "test.dll";
  v.setUint32(12, rva + at, true);
  buf.set(te.encode(own), at);
  at += own.length + 1;
  v.setUint32(16, 1, true);
  v.setUint32(20, ex.length, true);
  v.setUint32(24, named.length, true);
  v.setUint32(28, rva + funs, true);
  v.setUint32(32, rva + names, true);
  v.setUint32(36, rva + ords, true);
  const sorted = named.map((e) => ({ e, i: ex.indexOf(e) })).sort((a, b) =>
    a.e.name! < b.e.name! ? -1 : 1
  );
  ex.forEach((e, i) => v.setUint32(funs + i * 4, textRva + e.offset, true));
  sorted.forEach(({ e, i }, k) => {
    v.setUint32(names + k * 4, rva + at, true);
    v.setUint16(ords + k * 2, i, true);
    buf.set(te.encode(e.name!), at);
    at += e.name!.length + 1;
  });
  return buf.slice(0, at);
}

function buildReloc(rva: number, offsets: number[]): Uint8Array {
  const pages = new Map<number, number[]>();
  for (const o of offsets) {
    const a = rva + o;
    const p = a & ~0xfff;
    if (!pages.has(p)) pages.set(p, []);
    pages.get(p)!.push(a & 0xfff);
  }
  const parts: number[] = [];
  for (const [page, offs] of pages) {
    const entries = offs.map((o) => (3 << 12) | o);
    if (entries.length % 2) entries.push(0);
    const size = 8 + entries.length * 2;
    parts.push(page & 0xffff, page >>> 16, size, 0, ...entries);
  }
  return new Uint8Array(new Uint16Array(parts).buffer);
}

/** Builds a PE32 RISC-V image from `spec`. */
export function buildPe(spec: PeSpec): PeLayout {
  const secs: Sec[] = [];
  let rva = 0x1000;
  const add = (name: string, bytes: Uint8Array, flags: number) => {
    secs.push({ name, rva, bytes, flags });
    const r = rva;
    rva += pageUp(Math.max(bytes.length, 1));
    return r;
  };
  const textRva = add(".text", spec.code, R | X | 0x20);
  const dataRva = spec.data ? add(".data", spec.data, R | W | 0x40) : 0;
  let iat: number[][] = [];
  if (spec.imports?.length) {
    const id = buildIdata(rva, spec.imports);
    iat = id.iat;
    add(".idata", id.bytes, R | W | 0x40);
  }
  if (spec.exports?.length) add(".edata", buildEdata(rva, textRva, spec), R | 0x40);
  const relocOffsets = spec.dataRelocs ?? [];
  const reloc = spec.noRelocs ? null : buildReloc(dataRva, relocOffsets);
  if (reloc) add(".reloc", reloc.length ? reloc : new Uint8Array(0), R | 0x40);
  return { bytes: assemble(spec, secs, rva), textRva, dataRva, iat };
}

function dirOf(secs: Sec[], name: string): [number, number] {
  const s = secs.find((x) => x.name === name);
  return s && s.bytes.length ? [s.rva, s.bytes.length] : [0, 0];
}

function assemble(spec: PeSpec, secs: Sec[], sizeOfImage: number): Uint8Array {
  const headers = 0x400;
  let fileSize = headers;
  const raw = secs.map((s) => {
    const off = fileSize;
    const size = Math.ceil(s.bytes.length / 0x200) * 0x200;
    fileSize += size;
    return { off, size };
  });
  const out = new Uint8Array(fileSize);
  const v = new DataView(out.buffer);
  out[0] = 0x4d, out[1] = 0x5a;
  v.setUint32(0x3c, 0x80, true);
  const pe = 0x80, opt = pe + 24;
  v.setUint32(pe, 0x4550, true);
  v.setUint16(pe + 4, 0x5032, true);
  v.setUint16(pe + 6, secs.length, true);
  v.setUint16(pe + 20, 224, true);
  v.setUint16(pe + 22, 0x0102 | (spec.dll ? 0x2000 : 0) | (spec.noRelocs ? 1 : 0), true);
  v.setUint16(opt, 0x10b, true);
  v.setUint32(opt + 16, spec.noEntry ? 0 : 0x1000 + (spec.entry ?? 0), true);
  v.setUint32(opt + 28, spec.imageBase, true);
  v.setUint32(opt + 32, 0x1000, true);
  v.setUint32(opt + 36, 0x200, true);
  v.setUint32(opt + 56, sizeOfImage, true);
  v.setUint32(opt + 60, headers, true);
  v.setUint16(opt + 68, 3, true);
  v.setUint32(opt + 72, 0x100000, true);
  v.setUint32(opt + 92, 16, true);
  const dirs: [number, [number, number]][] = [
    [0, dirOf(secs, ".edata")],
    [1, dirOf(secs, ".idata")],
    [5, dirOf(secs, ".reloc")],
  ];
  for (const [i, [r, s]] of dirs) {
    v.setUint32(opt + 96 + i * 8, r, true);
    v.setUint32(opt + 100 + i * 8, s, true);
  }
  secs.forEach((s, i) => {
    const o = opt + 224 + i * 40;
    out.set(te.encode(s.name), o);
    v.setUint32(o + 8, s.bytes.length, true);
    v.setUint32(o + 12, s.rva, true);
    v.setUint32(o + 16, raw[i].size, true);
    v.setUint32(o + 20, raw[i].size ? raw[i].off : 0, true);
    v.setUint32(o + 36, s.flags >>> 0, true);
    out.set(s.bytes, raw[i].off);
  });
  return out;
}
