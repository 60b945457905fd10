/**
 * Loads a static ELF32 executable into a fresh address space: one region
 * per run of pages with the same protection (segments sharing a page get
 * the union of their permissions), file bytes copied in, the rest left to
 * demand-zero, the heap starting after the highest segment and the stack
 * region below {@link USER_LAYOUT.STACK_TOP}.
 *
 * @module
 */

import { type Elf32Image, ET_DYN, ET_EXEC, PF_R, PF_W, PF_X, PT_LOAD } from "../../lib/elf.ts";
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
 * Maps and fills the PT_LOAD segments of `elf` and the stack region in
 * `space` (which must be empty). Returns the layout or a status:
 * K.NOEXEC for images this kernel cannot run (including images that need
 * extensions the hart lacks, see {@link hartRunsElf}), K.NOMEM when RAM
 * runs out.
 */
export function loadElf(space: AddressSpace, elf: Elf32Image, path: string): ElfLayout | KStatus {
  if (elf.type !== ET_EXEC && elf.type !== ET_DYN) return K.NOEXEC;
  if (!hartRunsElf(elf.flags)) return K.NOEXEC;
  const loads = elf.programHeaders.filter((ph) => ph.type === PT_LOAD && ph.memsz > 0);
  if (loads.length === 0) return K.NOEXEC;
  if (elf.programHeaders.some((ph) => ph.type === PT_INTERP)) return K.NOEXEC;
  const bias = elf.type === ET_DYN ? PIE_BASE : 0;
  // Page -> union of protections.
  const pages = new Map<number, number>();
  let lo = Infinity, hi = 0;
  for (const ph of loads) {
    const start = pageDown(ph.vaddr + bias);
    const end = pageUp(ph.vaddr + bias + ph.memsz);
    if (start < USER_LAYOUT.MIN_ADDR || end > USER_LAYOUT.STACK_TOP - USER_LAYOUT.STACK_SIZE) {
      return K.NOEXEC;
    }
    lo = Math.min(lo, start);
    hi = Math.max(hi, end);
    for (let a = start; a < end; a += PAGE_SIZE) {
      pages.set(a, (pages.get(a) ?? 0) | protOf(ph.flags));
    }
  }
  const sorted = [...pages.keys()].sort((a, b) => a - b);
  let runStart = -1, runProt = 0, prev = -1;
  const flush = (): KStatus => {
    if (runStart < 0) return K.OK;
    return space.mapRegion(runStart, prev + PAGE_SIZE - runStart, runProt, path);
  };
  for (const a of sorted) {
    const p = pages.get(a)!;
    if (runStart >= 0 && a === prev + PAGE_SIZE && p === runProt) {
      prev = a;
      continue;
    }
    const st = flush();
    if (st < 0) return st;
    runStart = a;
    runProt = p;
    prev = a;
  }
  const st = flush();
  if (st < 0) return st;
  for (const ph of loads) {
    if (ph.filesz === 0) continue;
    const data = elf.bytes.subarray(ph.offset, ph.offset + ph.filesz);
    if (!space.populate(ph.vaddr + bias, data)) return K.NOMEM;
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
  const stackBottom = USER_LAYOUT.STACK_TOP - USER_LAYOUT.STACK_SIZE;
  const sst = space.mapRegion(
    stackBottom,
    USER_LAYOUT.STACK_SIZE,
    Prot.READ | Prot.WRITE,
    "[stack]",
  );
  if (sst < 0) return sst;
  space.initBrk(hi);
  return { entry: (elf.entry + bias) >>> 0, phdrAddr: phdrAddr >>> 0, base: lo, brk: hi, bias };
}
