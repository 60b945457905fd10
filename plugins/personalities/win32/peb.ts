/**
 * The process environment block in user memory, laid out as
 * `userland/win32/include/strata/peb.h` says (ILP32): the PEB, the first
 * thread's TEB, the process parameters with their strings and the
 * environment block, and the loaded-module table, in one 64 KiB region at
 * {@link PEB_BASE}.
 *
 * @module
 */

import type { LoadedModule } from "./modules.ts";

/** Address of the PEB region (STRATA_PEB_ADDRESS). */
export const PEB_BASE = 0x7ffd_0000;
/** Size of the region. */
export const PEB_REGION = 0x1_0000;
/** TEB of the first thread. */
export const TEB_ADDR = PEB_BASE + 0x1000;
/** Process parameters. */
export const PARAMS_ADDR = PEB_BASE + 0x2000;
/** Loaded-module table. */
export const LDR_ADDR = PEB_BASE + 0xc000;
/** End of the space for the parameters' strings. */
const PARAMS_END = LDR_ADDR;
/** Top of the Win32 stack (below the PEB region, with a guard gap). */
export const WIN32_STACK_TOP = 0x7ffc_0000;

/** sizeof(STRATA_PEB), sizeof(STRATA_PROCESS_PARAMETERS), sizeof(STRATA_LDR_MODULE). */
export const SIZES = { PEB: 48, TEB: 288, PARAMS: 304, MODULE: 348, MAX_MODULES: 32 } as const;
/** Offsets of STRATA_PROCESS_PARAMETERS fields. */
export const PP = {
  FLAGS: 8,
  STDIN: 16,
  STDOUT: 20,
  STDERR: 24,
  IMAGE: 28,
  CMDLINE: 32,
  ENV: 36,
  ENV_SIZE: 40,
  CURDIR: 44,
} as const;
/** STRATA_PP_USE_STD_HANDLES. */
export const PP_USE_STD_HANDLES = 1;
/** STRATA_LDRF_* flags. */
export const LDRF = { DLL: 1, ATTACHED: 2, STATIC: 4 } as const;
/** Offset of STRATA_TEB.LastErrorValue. */
export const TEB_LAST_ERROR = 16;

/** What goes in a new process's block. */
export interface PebInput {
  /** The exe's base. */
  imageBase: number;
  /** Ids. */
  pid: number;
  /** Parent pid. */
  ppid: number;
  /** Thread id. */
  tid: number;
  /** Standard handles. */
  std: [number, number, number];
  /** Win32 path of the exe. */
  imagePath: string;
  /** The command line. */
  commandLine: string;
  /** Environment strings ("NAME=value"). */
  env: string[];
  /** Current directory, with a trailing backslash. */
  curDir: string;
  /** Stack top and size of the first thread. */
  stackTop: number;
  /** Stack size. */
  stackSize: number;
}

const te = new TextEncoder();

function cstr(s: string): Uint8Array {
  const b = te.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/** The bytes of the whole region (PEB_REGION long), or null when the strings do not fit. */
export function buildPebRegion(input: PebInput, modules: LoadedModule[]): Uint8Array | null {
  const buf = new Uint8Array(PEB_REGION);
  const v = new DataView(buf.buffer);
  const words = (off: number, vals: number[]) =>
    vals.forEach((x, i) => v.setUint32(off + i * 4, x >>> 0, true));
  words(0, [
    SIZES.PEB,
    1,
    input.imageBase,
    PARAMS_ADDR,
    LDR_ADDR,
    input.pid,
    input.ppid,
    1,
    10,
    0,
    19045,
    1,
  ]);
  const teb = TEB_ADDR - PEB_BASE;
  const stackLimit = input.stackTop - input.stackSize;
  words(teb, [TEB_ADDR, PEB_BASE, input.pid, input.tid, 0, 0, input.stackTop, stackLimit]);
  const pp = PARAMS_ADDR - PEB_BASE;
  let at = pp + SIZES.PARAMS;
  const put = (bytes: Uint8Array): number => {
    if (at + bytes.length > PARAMS_END - PEB_BASE) return -1;
    buf.set(bytes, at);
    const addr = PEB_BASE + at;
    at = (at + bytes.length + 3) & ~3;
    return addr;
  };
  const image = put(cstr(input.imagePath));
  const cmd = put(cstr(input.commandLine));
  const envBytes = envBlock(input.env);
  const env = put(envBytes);
  if (image < 0 || cmd < 0 || env < 0) return null;
  words(pp, [at - pp, at - pp, 0, 0, ...input.std, image, cmd, env, envBytes.length]);
  const cur = cstr(input.curDir);
  if (cur.length > 260) return null;
  buf.set(cur, pp + PP.CURDIR);
  buf.set(ldrTable(modules, new Map()), LDR_ADDR - PEB_BASE);
  return buf;
}

/** "A=1\0B=2\0\0" (an empty environment is two NULs). */
export function envBlock(env: string[]): Uint8Array {
  const body = env.map((e) => e + "\0").join("");
  return te.encode(body === "" ? "\0\0" : body + "\0");
}

/** The STRATA_LDR_DATA bytes; `flags` keeps flags ntdll set (by base). */
export function ldrTable(modules: LoadedModule[], flags: Map<number, number>): Uint8Array {
  const n = Math.min(modules.length, SIZES.MAX_MODULES);
  const buf = new Uint8Array(8 + SIZES.MAX_MODULES * SIZES.MODULE);
  const v = new DataView(buf.buffer);
  v.setUint32(0, n, true);
  v.setUint32(4, SIZES.MAX_MODULES, true);
  for (let i = 0; i < n; i++) {
    const m = modules[i];
    const o = 8 + i * SIZES.MODULE;
    const f = (flags.get(m.base) ?? 0) & LDRF.ATTACHED;
    v.setUint32(o, m.base, true);
    v.setUint32(o + 4, m.size, true);
    v.setUint32(o + 8, m.entry, true);
    v.setUint32(o + 12, f | (m.isDll ? LDRF.DLL : 0) | (m.loadCount < 0 ? LDRF.STATIC : 0), true);
    v.setUint32(o + 16, m.loadCount < 0 ? 0xffff_ffff : m.loadCount, true);
    buf.set(te.encode(m.baseName).subarray(0, 63), o + 24);
    buf.set(te.encode(m.fullName).subarray(0, 259), o + 88);
  }
  return buf;
}

/** Reads the flags of the module entries in a table's bytes, by base. */
export function ldrFlags(table: Uint8Array): Map<number, number> {
  const v = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const out = new Map<number, number>();
  const n = Math.min(v.getUint32(0, true), SIZES.MAX_MODULES);
  for (let i = 0; i < n; i++) {
    const o = 8 + i * SIZES.MODULE;
    out.set(v.getUint32(o, true), v.getUint32(o + 12, true));
  }
  return out;
}
