/**
 * A small PE32 reader for checking what elf2pe wrote: headers, sections,
 * imports (by DLL, with the IAT slot of each name), exports and base
 * relocations. Throws {@link PeReadError} on anything out of range.
 * @module
 */

import * as pe from "./pe_format.ts";

/** A PE image that cannot be read. */
export class PeReadError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PeReadError";
  }
}

/** One section header. */
export interface PeSection {
  /** Name (up to 8 characters). */
  name: string;
  /** RVA. */
  rva: number;
  /** Size in memory. */
  virtualSize: number;
  /** File offset of the raw data. */
  rawOffset: number;
  /** Raw data size. */
  rawSize: number;
  /** `IMAGE_SCN_*` bits. */
  flags: number;
}

/** The parts of an image the tests look at. */
export interface PeImage {
  /** COFF machine. */
  machine: number;
  /** COFF characteristics. */
  characteristics: number;
  /** Optional header magic. */
  magic: number;
  /** Preferred base. */
  imageBase: number;
  /** Entry RVA. */
  entry: number;
  /** SizeOfImage. */
  sizeOfImage: number;
  /** TimeDateStamp. */
  timeDateStamp: number;
  /** Subsystem. */
  subsystem: number;
  /** The 16 data directories as [rva, size]. */
  directories: [number, number][];
  /** Sections. */
  sections: PeSection[];
  /** Imports: DLL name -> [function name, IAT slot RVA] in table order. */
  imports: Map<string, [string, number][]>;
  /** Exports: name -> RVA. */
  exports: Map<string, number>;
  /** Export directory DLL name ("" without exports). */
  exportName: string;
  /** Base relocations as [type, RVA]. */
  relocations: [number, number][];
}

class View {
  constructor(readonly bytes: Uint8Array, readonly sections: PeSection[]) {}
  off(rva: number, n: number): number {
    for (const s of this.sections) {
      if (rva >= s.rva && rva + n <= s.rva + Math.max(s.rawSize, s.virtualSize)) {
        const o = s.rawOffset + rva - s.rva;
        if (o + n > this.bytes.length || rva + n > s.rva + s.rawSize) {
          throw new PeReadError(`RVA 0x${rva.toString(16)} has no file data`);
        }
        return o;
      }
    }
    throw new PeReadError(`RVA 0x${rva.toString(16)} is in no section`);
  }
  u16(rva: number): number {
    const o = this.off(rva, 2);
    return this.bytes[o] | this.bytes[o + 1] << 8;
  }
  u32(rva: number): number {
    const o = this.off(rva, 4);
    return (this.bytes[o] | this.bytes[o + 1] << 8 | this.bytes[o + 2] << 16 |
      this.bytes[o + 3] << 24) >>> 0;
  }
  str(rva: number): string {
    let s = "";
    for (let c = this.bytes[this.off(rva, 1)]; c; c = this.bytes[this.off(++rva, 1)]) {
      s += String.fromCharCode(c);
    }
    return s;
  }
}

function readImports(v: View, dir: [number, number]): Map<string, [string, number][]> {
  const out = new Map<string, [string, number][]>();
  if (!dir[0]) return out;
  for (let d = dir[0];; d += 20) {
    const ilt = v.u32(d), name = v.u32(d + 12), iat = v.u32(d + 16);
    if (!ilt && !name && !iat) break;
    const fns: [string, number][] = [];
    for (let i = 0;; i++) {
      const e = v.u32((ilt || iat) + 4 * i);
      if (!e) break;
      const fn = e & pe.IMAGE_ORDINAL_FLAG32 ? `#${e & 0xffff}` : v.str(e + 2);
      fns.push([fn, iat + 4 * i]);
    }
    out.set(v.str(name), fns);
  }
  return out;
}

function readExports(v: View, dir: [number, number]): [string, Map<string, number>] {
  const out = new Map<string, number>();
  if (!dir[0]) return ["", out];
  const e = dir[0];
  const n = v.u32(e + 24), funcs = v.u32(e + 28), names = v.u32(e + 32), ords = v.u32(e + 36);
  for (let i = 0; i < n; i++) {
    out.set(v.str(v.u32(names + 4 * i)), v.u32(funcs + 4 * v.u16(ords + 2 * i)));
  }
  return [v.str(v.u32(e + 12)), out];
}

function readRelocs(v: View, dir: [number, number]): [number, number][] {
  const out: [number, number][] = [];
  for (let b = dir[0]; b < dir[0] + dir[1];) {
    const page = v.u32(b), size = v.u32(b + 4);
    if (size < 8) throw new PeReadError("base relocation block too small");
    for (let i = 8; i < size; i += 2) {
      const e = v.u16(b + i);
      if (e >> 12) out.push([e >> 12, page + (e & 0xfff)]);
    }
    b += size;
  }
  return out;
}

/** Parses a PE32 image. */
export function readPe(bytes: Uint8Array): PeImage {
  if (bytes.length < 0x40 || bytes[0] !== 0x4d || bytes[1] !== 0x5a) {
    throw new PeReadError("no MZ header");
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = dv.getUint32(0x3c, true);
  if (h + 24 + pe.PE32_OPTIONAL_HEADER_SIZE > bytes.length || dv.getUint32(h, true) !== 0x4550) {
    throw new PeReadError("no PE signature");
  }
  const o = h + 24, nsec = dv.getUint16(h + 6, true);
  const st = o + dv.getUint16(h + 20, true);
  if (st + 40 * nsec > bytes.length) throw new PeReadError("section table out of range");
  const sections: PeSection[] = [];
  for (let i = 0; i < nsec; i++) {
    const a = st + 40 * i;
    const raw = bytes.subarray(a, a + 8);
    sections.push({
      name: new TextDecoder().decode(raw.subarray(0, raw.indexOf(0) < 0 ? 8 : raw.indexOf(0))),
      virtualSize: dv.getUint32(a + 8, true),
      rva: dv.getUint32(a + 12, true),
      rawSize: dv.getUint32(a + 16, true),
      rawOffset: dv.getUint32(a + 20, true),
      flags: dv.getUint32(a + 36, true),
    });
  }
  const directories: [number, number][] = [];
  for (let i = 0; i < 16; i++) {
    directories.push([dv.getUint32(o + 96 + 8 * i, true), dv.getUint32(o + 100 + 8 * i, true)]);
  }
  const v = new View(bytes, sections);
  const [exportName, exports] = readExports(v, directories[pe.IMAGE_DIRECTORY_ENTRY_EXPORT]);
  return {
    machine: dv.getUint16(h + 4, true),
    timeDateStamp: dv.getUint32(h + 8, true),
    characteristics: dv.getUint16(h + 22, true),
    magic: dv.getUint16(o, true),
    entry: dv.getUint32(o + 16, true),
    imageBase: dv.getUint32(o + 28, true),
    sizeOfImage: dv.getUint32(o + 56, true),
    subsystem: dv.getUint16(o + 68, true),
    directories,
    sections,
    imports: readImports(v, directories[pe.IMAGE_DIRECTORY_ENTRY_IMPORT]),
    exports,
    exportName,
    relocations: readRelocs(v, directories[pe.IMAGE_DIRECTORY_ENTRY_BASERELOC]),
  };
}
