/**
 * Loads a static ELF32 executable into a fresh address space: one region
 * per run of pages with the same protection (segments sharing a page get
 * the union of their permissions), file bytes copied in, the rest left to
 * demand-zero, the heap starting after the highest segment and the stack
 * region below {@link USER_LAYOUT.STACK_TOP}.
 *
 * @module
 */

import {
  type Elf32Image,
  type ElfProgramHeader,
  ET_DYN,
  ET_EXEC,
  PF_R,
  PF_W,
  PF_X,
  PT_LOAD,
} from "../../lib/elf.ts";
import { MISA_VALUE } from "../../hw/csr.ts";
import { K, type KStatus } from "../errors.ts";
import { type AddressSpace, pageDown, pageUp, Prot, USER_LAYOUT } from "../mm/address_space.ts";
import { PAGE_SIZE } from "../mm/frames.ts";

/** Program header type of the interpreter request (dynamic linking, not supported). */
const PT_INTERP = 3;
/** Program header type that locates the program headers in memory. */
const PT_PHDR = 6;
/** Load address of position-independent executables. */
export const PIE_BASE = 0x0040_0000;

/** `e_flags`: the image uses compressed instructions. */
export const EF_RISCV_RVC = 0x1;
/** `e_flags`: floating-point ABI field (0 soft, 2 single, 4 double, 6 quad). */
export const EF_RISCV_FLOAT_ABI = 0x6;
/** `e_flags`: the RV32E base ISA. */
export const EF_RISCV_RVE = 0x8;

/**
 * True when a hart with `misa` can run an image with ELF flags `flags`: the
 * C extension for RVC code, F for the single-float ABI, F and D for the
 * double-float ABI; quad-float (Q) and RV32E images are refused.
 */
export function hartRunsElf(flags: number, misa: number = MISA_VALUE): boolean {
  const has = (letter: string) => (misa & (1 << (letter.charCodeAt(0) - 65))) !== 0;
  if ((flags & EF_RISCV_RVC) !== 0 && !has("C")) return false;
  if ((flags & EF_RISCV_RVE) !== 0) return false;
  switch (flags & EF_RISCV_FLOAT_ABI) {
    case 2:
      return has("F");
    case 4:
      return has("F") && has("D");
    case 6:
      return false;
  }
  return true;
}

/** Where an ELF image landed. */
export interface ElfLayout {
  /** Entry point. */
  entry: number;
  /** Program headers in memory (AT_PHDR), 0 if not mapped. */
  phdrAddr: number;
  /** Lowest mapped address. */
  base: number;
  /** Initial break (page aligned end of the image). */
  brk: number;
  /** Load bias added to every vaddr (0 for ET_EXEC). */
  bias: number;
}

function protOf(flags: number): number {
  let p = 0;
  if (flags & PF_R) p |= Prot.READ;
  if (flags & PF_W) p |= Prot.WRITE;
  if (flags & PF_X) p |= Prot.EXEC;
  return p;
}

/**
 * Most program headers an image may have: Linux's limit, 64 KiB of headers
 * (2,048 entries of 32 bytes for ELF32).
 */
export const MAX_PHNUM = 65536 / 32;

/** Bytes of segment data read from the file at a time. */
const LOAD_CHUNK = 64 * 1024;

/**
 * Reads `length` bytes of the image file at `offset` (the whole length, or a
 * status): how segments are filled without holding the whole file.
 */
export type SegmentReader = (offset: number, length: number) => Uint8Array | KStatus;

/** A run of pages `[start, end)` with one protection. */
interface PageRun {
  start: number;
  end: number;
  prot: number;
}

/**
 * The page runs of the PT_LOAD segments `loads` (sorted by address): K.NOEXEC
 * when a segment leaves the user image area or overlaps another. Two
 * segments may share one page (the end of one and the start of the next):
 * that page gets the union of their protections. The cost is linear in the
 * number of segments, whatever their sizes.
 */
function pageRuns(loads: ElfProgramHeader[], bias: number): PageRun[] | KStatus {
  const runs: PageRun[] = [];
  let lastEnd = 0;
  for (const ph of loads) {
    const from = ph.vaddr + bias, to = ph.vaddr + bias + ph.memsz;
    const start = pageDown(from), end = pageUp(to);
    if (start < USER_LAYOUT.MIN_ADDR || end > USER_LAYOUT.STACK_TOP - USER_LAYOUT.STACK_SIZE) {
      return K.NOEXEC;
    }
    if (from < lastEnd) return K.NOEXEC; // overlapping segments
    lastEnd = to;
    const prot = protOf(ph.flags);
    const last = runs.length > 0 ? runs[runs.length - 1] : undefined;
    let s = start;
    if (last !== undefined && last.end > start) {
      // The previous run ends in this segment's first page: share it.
      if (last.end - last.start > PAGE_SIZE) {
        last.end = start;
        runs.push({ start, end: start + PAGE_SIZE, prot: last.prot | prot });
      } else last.prot |= prot;
      s = start + PAGE_SIZE;
    }
    if (end > s) runs.push({ start: s, end, prot });
  }
  const merged: PageRun[] = [];
  for (const r of runs) {
    const m = merged.length > 0 ? merged[merged.length - 1] : undefined;
    if (m !== undefined && m.end === r.start && m.prot === r.prot) m.end = r.end;
    else merged.push({ ...r });
  }
  return merged;
}

/**
 * Maps and fills the PT_LOAD segments of `elf` and the stack region in
 * `space` (which must be empty). Returns the layout or a status:
 * K.NOEXEC for images this kernel cannot run (more than {@link MAX_PHNUM}
 * headers, a segment outside the user image area, overlapping segments),
 * K.NOMEM when RAM runs out. Segment bytes come from `read` (by default
 * from `elf.bytes`), 64 KiB at a time. Every check happens before any page is
 * touched, and the work is bounded by the header count and the file bytes.
 */
export function loadElf(
  space: AddressSpace,
  elf: Elf32Image,
  path: string,
  read: SegmentReader = (offset, length) => elf.bytes.subarray(offset, offset + length),
  stackSize: number = USER_LAYOUT.STACK_SIZE,
): ElfLayout | KStatus {
  if (elf.type !== ET_EXEC && elf.type !== ET_DYN) return K.NOEXEC;
  if (!hartRunsElf(elf.flags)) return K.NOEXEC;
  if (elf.phnum > MAX_PHNUM) return K.NOEXEC;
  if (elf.programHeaders.some((ph) => ph.type === PT_INTERP)) return K.NOEXEC;
  const loads = elf.programHeaders.filter((ph) => ph.type === PT_LOAD && ph.memsz > 0)
    .sort((a, b) => a.vaddr - b.vaddr);
  if (loads.length === 0) return K.NOEXEC;
  const bias = elf.type === ET_DYN ? PIE_BASE : 0;
  const runs = pageRuns(loads, bias);
  if (typeof runs === "number") return runs;
  for (const r of runs) {
    const st = space.mapRegion(r.start, r.end - r.start, r.prot, path);
    if (st < 0) return st;
  }
  const lo = runs[0].start, hi = runs[runs.length - 1].end;
  for (const ph of loads) {
    for (let done = 0; done < ph.filesz; done += LOAD_CHUNK) {
      const n = Math.min(LOAD_CHUNK, ph.filesz - done);
      const data = read(ph.offset + done, n);
      if (typeof data === "number") return data;
      if (!space.populate(ph.vaddr + bias + done, data)) return K.NOMEM;
    }
  }
  let phdrAddr = 0;
  const phdr = elf.programHeaders.find((ph) => ph.type === PT_PHDR);
  if (phdr !== undefined) phdrAddr = phdr.vaddr + bias;
  else {
    for (const ph of loads) {
      if (
        elf.phoff >= ph.offset && elf.phoff + elf.phnum * elf.phentsize <= ph.offset + ph.filesz
      ) {
        phdrAddr = ph.vaddr + bias + (elf.phoff - ph.offset);
        break;
      }
    }
  }
  const stackBottom = USER_LAYOUT.STACK_TOP - stackSize;
  const sst = space.mapRegion(
    stackBottom,
    stackSize,
    Prot.READ | Prot.WRITE,
    "[stack]",
  );
  if (sst < 0) return sst;
  space.initBrk(hi);
  return { entry: (elf.entry + bias) >>> 0, phdrAddr: phdrAddr >>> 0, base: lo, brk: hi, bias };
}
