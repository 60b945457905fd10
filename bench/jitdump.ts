/**
 * Reads the code V8 compiled from a jitdump file (what `--perf-prof`
 * writes as `jit-PID.dump` in the working directory: the format Linux
 * `perf` reads, one record per event). `readJitCode` returns the code-load
 * records whose names match, with their addresses and machine code, so
 * that a per-instruction profile (`bench/cg_code.ts`) can be laid over the
 * code V8 really ran.
 *
 * The file: a 40-byte header (magic `JiTD`), then records of a 16-byte
 * header (`id`, `total_size`, `timestamp`) and a body; a code load (id 0)
 * is `pid`, `tid`, `vma`, `code_addr`, `code_size`, `code_index`, the
 * name (NUL-terminated) and the code. V8 writes some debug-information
 * records (id 2) longer than their size says; the reader then looks for
 * the next plausible record header a few bytes on.
 *
 * @module
 */

/** One code object V8 compiled. */
export interface JitCode {
  /** Its name (V8's, e.g. `JS:*'page :4:21`: `*` optimized by TurboFan, `+` Maglev, `^` Sparkplug, `~` bytecode). */
  name: string;
  /** Address of its first instruction. */
  addr: bigint;
  /** Its machine code. */
  code: Uint8Array;
}

/** The magic number of a jitdump file, as a little-endian u32 ("JiTD"). */
const MAGIC = 0x4a695444;
const HEADER_SIZE = 40;
const RECORD_HEADER = 16;
const CODE_LOAD = 0;
const LAST_KNOWN_ID = 5;
// How far past a record whose size is wrong the reader looks for the next one.
const RESYNC_WINDOW = 256;
const UTF8 = new TextDecoder();
// Records further apart in time than this (ns) are taken for misreads.
const MAX_TIME_GAP = 1_000_000_000_000n;

/** A jitdump file that cannot be read. */
export class JitdumpError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "JitdumpError";
  }
}

/**
 * The code-load records of a jitdump file whose names `match` accepts, in
 * the order V8 wrote them (a function optimized again appears again).
 *
 * @param bytes the file's contents
 * @param match which names to keep
 * @returns the matching code objects
 * @throws {JitdumpError} when the file does not start with the jitdump header
 * @example
 * ```ts
 * import { readJitCode } from "./jitdump.ts";
 * const found = readJitCode(Deno.readFileSync("jit-1234.dump"), (n) => n.includes("fastLoop"));
 * console.log(found.map((c) => `${c.name} ${c.addr.toString(16)} ${c.code.length}`));
 * ```
 */
export function readJitCode(bytes: Uint8Array, match: (name: string) => boolean): JitCode[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < HEADER_SIZE || view.getUint32(0, true) !== MAGIC) {
    throw new JitdumpError("not a jitdump file (no JiTD header)");
  }
  const headerSize = view.getUint32(8, true);
  const out: JitCode[] = [];
  let off = headerSize;
  let lastTime = 0n;
  while (off + RECORD_HEADER <= bytes.length) {
    if (!plausible(view, off, lastTime)) {
      const next = resync(view, off, lastTime);
      if (next < 0) break;
      off = next;
    }
    const id = view.getUint32(off, true);
    const size = view.getUint32(off + 4, true);
    lastTime = view.getBigUint64(off + 8, true);
    if (id === CODE_LOAD) {
      const load = codeLoad(bytes, view, off, size);
      if (load !== null && match(load.name)) out.push(load);
    }
    off += size;
  }
  return out;
}

/**
 * Whether a record header at `off` looks right: a known id, a size that
 * fits, a time near the last record's (threads write records, so times
 * are not in order).
 */
function plausible(view: DataView, off: number, lastTime: bigint): boolean {
  if (off + RECORD_HEADER > view.byteLength) return false;
  const id = view.getUint32(off, true);
  const size = view.getUint32(off + 4, true);
  const time = view.getBigUint64(off + 8, true);
  const gap = time > lastTime ? time - lastTime : lastTime - time;
  return id <= LAST_KNOWN_ID && size >= RECORD_HEADER && off + size <= view.byteLength &&
    (lastTime === 0n || gap < MAX_TIME_GAP);
}

/** The next plausible record header within a short window after `off`, or -1. */
function resync(view: DataView, off: number, lastTime: bigint): number {
  const end = Math.min(view.byteLength - RECORD_HEADER, off + RESYNC_WINDOW);
  for (let p = off + 1; p <= end; p++) if (plausible(view, p, lastTime)) return p;
  return -1;
}

/** The code-load record at `off` (of `size` bytes), or null when it is cut short. */
function codeLoad(bytes: Uint8Array, view: DataView, off: number, size: number): JitCode | null {
  const body = off + RECORD_HEADER;
  const addr = view.getBigUint64(body + 16, true);
  const codeSize = Number(view.getBigUint64(body + 24, true));
  const nameAt = body + 40;
  const nameEnd = bytes.indexOf(0, nameAt);
  if (nameEnd < 0 || nameEnd + 1 + codeSize > off + size) return null;
  const name = UTF8.decode(bytes.subarray(nameAt, nameEnd));
  return { name, addr, code: bytes.slice(nameEnd + 1, nameEnd + 1 + codeSize) };
}
