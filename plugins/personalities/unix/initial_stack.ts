/**
 * The Linux initial process stack, as `execve` leaves it for `_start`:
 *
 * ```
 * sp ->  argc
 *        argv[0] .. argv[argc-1], NULL
 *        envp[0] .. envp[envc-1], NULL
 *        auxv pairs (tag, value) ..., AT_NULL 0
 *        (padding)
 *        16 random bytes (AT_RANDOM points here)
 *        argv strings, envp strings, execfn string   (toward the top)
 * top
 * ```
 *
 * sp is 16-byte aligned as the RISC-V psABI requires. The builder is pure:
 * it returns the bytes from sp to the top so that the exec path can copy
 * them into the new address space in one go.
 *
 * @module
 */

import { AT, CLK_TCK, HWCAP_RV32IMA, PAGE_SIZE } from "./abi.ts";
import { TypedSlab } from "../../../lib/typed_slab.ts";

// The stack image every exec builds: a view of a shared buffer (lib/typed_slab.ts).
const SLAB = new TypedSlab();

/** Raised when arguments and environment do not fit the limit (execve answers E2BIG). */
export class ArgumentListTooLongError extends Error {
  /** Bytes the strings and tables needed. */
  readonly needed: number;
  /** Creates the error. */
  constructor(needed: number, limit: number, options?: ErrorOptions) {
    super(`argument list too long: ${needed} bytes needed, limit ${limit}`, options);
    this.name = "ArgumentListTooLongError";
    this.needed = needed;
  }
}

/** Default limit on strings plus tables (Linux allows a quarter of the stack rlimit). */
export const ARG_MAX = 128 * 1024;

/** What the builder needs. */
export interface InitialStackInput {
  /** Virtual address just above the stack (exclusive); must be 16-byte aligned. */
  stackTop: number;
  /** Arguments (argv[0] first). */
  argv: readonly Uint8Array[];
  /** Environment strings ("NAME=value"). */
  envp: readonly Uint8Array[];
  /** The path execve was given, for AT_EXECFN. */
  execfn: Uint8Array;
  /** 16 bytes for AT_RANDOM. */
  random: Uint8Array;
  /** Auxiliary vector entries other than AT_RANDOM, AT_EXECFN and AT_NULL. */
  auxv: ReadonlyArray<readonly [number, number]>;
  /** Size limit in bytes (default {@link ARG_MAX}). */
  limit?: number;
}

/** The built stack. */
export interface InitialStack {
  /** The initial stack pointer (16-byte aligned). */
  sp: number;
  /** Bytes to copy to `[sp, stackTop)`. */
  bytes: Uint8Array;
  /** Address of argv[0]'s pointer (sp + 4). */
  argvAddr: number;
  /** Address of envp[0]'s pointer. */
  envpAddr: number;
  /** Address of the first auxv pair. */
  auxvAddr: number;
  /** Address of the 16 random bytes. */
  randomAddr: number;
}

/** Facts about the loaded image that the standard auxv reports. */
export interface AuxvImageInfo {
  /** Virtual address of the program headers in memory (0 if not mapped). */
  phdr: number;
  /** Size of one program header. */
  phent: number;
  /** Number of program headers. */
  phnum: number;
  /** Entry point. */
  entry: number;
  /** Real and effective user and group ids. */
  uid: number;
  /** Effective uid. */
  euid: number;
  /** Real gid. */
  gid: number;
  /** Effective gid. */
  egid: number;
}

/** The auxv a static rv32 Linux executable gets (without AT_RANDOM / AT_EXECFN / AT_NULL). */
export function standardAuxv(info: AuxvImageInfo): Array<[number, number]> {
  return [
    [AT.HWCAP, HWCAP_RV32IMA],
    [AT.PAGESZ, PAGE_SIZE],
    [AT.CLKTCK, CLK_TCK],
    [AT.PHDR, info.phdr],
    [AT.PHENT, info.phent],
    [AT.PHNUM, info.phnum],
    [AT.BASE, 0],
    [AT.FLAGS, 0],
    [AT.ENTRY, info.entry],
    [AT.UID, info.uid],
    [AT.EUID, info.euid],
    [AT.GID, info.gid],
    [AT.EGID, info.egid],
    [AT.SECURE, 0],
  ];
}

/**
 * Builds the initial stack. Throws {@link ArgumentListTooLongError} when the
 * strings and tables exceed the limit, and RangeError for a misaligned top
 * or a random block that is not 16 bytes (host programming errors).
 */
export function buildInitialStack(input: InitialStackInput): InitialStack {
  const top = input.stackTop >>> 0;
  if (top % 16 !== 0) throw new RangeError(`stack top 0x${top.toString(16)} is not 16-aligned`);
  if (input.random.length !== 16) throw new RangeError("AT_RANDOM needs exactly 16 bytes");
  const limit = input.limit ?? ARG_MAX;
  const argc = input.argv.length;
  const envc = input.envp.length;

  let strBytes = input.execfn.length + 1;
  for (const a of input.argv) strBytes += a.length + 1;
  for (const e of input.envp) strBytes += e.length + 1;
  const auxCount = input.auxv.length + 3; // + AT_RANDOM, AT_EXECFN, AT_NULL
  const tableBytes = 4 * (1 + argc + 1 + envc + 1 + 2 * auxCount);
  const needed = strBytes + 16 + tableBytes;
  if (needed + 32 > limit) throw new ArgumentListTooLongError(needed, limit);

  // Strings go from the top down: execfn highest, then envp, then argv,
  // so that argv[0]..argv[n] and envp[] lie in increasing address order.
  const stringsStart = top - strBytes;
  const randomAddr = (stringsStart - 16) & ~15;
  const sp = ((randomAddr - tableBytes) & ~15) >>> 0;
  const size = top - sp;
  const bytes = SLAB.uint8(size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = (addr: number) => addr - sp;

  let p = stringsStart;
  const argvPtrs: number[] = [];
  for (const a of input.argv) {
    argvPtrs.push(p);
    bytes.set(a, at(p));
    p += a.length + 1;
  }
  const envpPtrs: number[] = [];
  for (const e of input.envp) {
    envpPtrs.push(p);
    bytes.set(e, at(p));
    p += e.length + 1;
  }
  const execfnAddr = p;
  bytes.set(input.execfn, at(p));
  bytes.set(input.random, at(randomAddr));

  let w = 0;
  const put = (v: number) => {
    view.setUint32(w, v >>> 0, true);
    w += 4;
  };
  put(argc);
  for (const a of argvPtrs) put(a);
  put(0);
  for (const e of envpPtrs) put(e);
  put(0);
  const auxvAddr = sp + w;
  for (const [tag, value] of input.auxv) {
    put(tag);
    put(value);
  }
  put(AT.RANDOM);
  put(randomAddr);
  put(AT.EXECFN);
  put(execfnAddr);
  put(AT.NULL);
  put(0);

  return {
    sp,
    bytes,
    argvAddr: sp + 4,
    envpAddr: sp + 4 + 4 * (argc + 1),
    auxvAddr,
    randomAddr,
  };
}

/**
 * The in-memory address of the program header table: the PT_PHDR segment's
 * vaddr if present, else the PT_LOAD segment whose file range contains it;
 * 0 when the headers are not loaded (Linux then also reports a computed
 * address; programs that need it always have it loaded).
 */
export function programHeaderAddress(
  phoff: number,
  phentsize: number,
  phnum: number,
  headers: ReadonlyArray<{ type: number; offset: number; vaddr: number; filesz: number }>,
): number {
  const PT_PHDR = 6;
  const PT_LOAD = 1;
  for (const h of headers) if (h.type === PT_PHDR) return h.vaddr >>> 0;
  const end = phoff + phentsize * phnum;
  for (const h of headers) {
    if (h.type === PT_LOAD && phoff >= h.offset && end <= h.offset + h.filesz) {
      return (h.vaddr + (phoff - h.offset)) >>> 0;
    }
  }
  return 0;
}
