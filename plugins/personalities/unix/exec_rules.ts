/**
 * The Unix rules the kernel leaves to its personalities:
 *
 * - {@link unixInterpreterOf}: `#!` scripts (Linux's binfmt_script): the
 *   interpreter, one optional argument, the script's path, then the
 *   original arguments after argv[0];
 * - {@link unixOnExec}: at exec, close-on-exec descriptors close, caught
 *   signals reset to SIG_DFL (ignored ones stay ignored), and a mask saved by
 *   sigsuspend is forgotten;
 * - {@link unixOnFault}: what an unresolved fault becomes: SIGSEGV for page
 *   and access faults, SIGBUS for misaligned accesses, SIGILL and SIGTRAP.
 *
 * @module
 */

import {
  CAUSE,
  K,
  type KernelApi,
  type KStatus,
  SEGV,
  SIG,
  SIG_DFL,
  SIG_IGN,
  type Thread,
} from "../../../kernel/api.ts";

const td = new TextDecoder();

/** Longest `#!` line Linux reads (BINPRM_BUF_SIZE). */
const SHEBANG_MAX = 256;

/**
 * The interpreter of a `#!` script, or null for any other file.
 *
 * @param bytes The file's contents.
 * @param path The path it was executed by (becomes the script argument).
 * @param argv The original arguments.
 * @returns The program to run instead and its argv, K.NOEXEC for an empty `#!` line, or null.
 */
export function unixInterpreterOf(
  bytes: Uint8Array,
  path: string,
  argv: string[],
): { path: string; argv: string[] } | KStatus | null {
  if (bytes.length < 2 || bytes[0] !== 0x23 || bytes[1] !== 0x21) return null;
  let end = bytes.indexOf(10);
  if (end < 0) end = Math.min(bytes.length, SHEBANG_MAX);
  const line = td.decode(bytes.subarray(2, Math.min(end, SHEBANG_MAX))).trim();
  if (line.length === 0) return K.NOEXEC;
  const sp = line.search(/\s/);
  const interp = sp < 0 ? line : line.slice(0, sp);
  const arg = sp < 0 ? "" : line.slice(sp).trim();
  return { path: interp, argv: [interp, ...(arg ? [arg] : []), path, ...argv.slice(1)] };
}

/** The exec rules, over the kernel API. */
export function unixOnExec(api: KernelApi): (t: Thread) => void {
  return (t: Thread) => {
    const p = t.process;
    api.fdCloseOnExec(p);
    for (let s = 1; s <= 64; s++) {
      const a = p.sigActions[s];
      if (a.handler !== SIG_IGN) {
        a.handler = SIG_DFL;
        a.flags = 0;
        a.maskLo = a.maskHi = 0;
        a.restorer = 0;
      }
    }
    t.hasSavedMask = false;
  };
}

/** The fault rules, over the kernel API. */
export function unixOnFault(
  api: KernelApi,
): (t: Thread, cause: number, address: number, unmapped: boolean) => void {
  return (t, cause, address, unmapped) => {
    switch (cause) {
      case CAUSE.FETCH_PAGE_FAULT:
      case CAUSE.LOAD_PAGE_FAULT:
      case CAUSE.STORE_PAGE_FAULT:
        api.forceSignal(t, SIG.SEGV, unmapped ? SEGV.MAPERR : SEGV.ACCERR, address);
        break;
      case CAUSE.ILLEGAL_INSTRUCTION:
        api.forceSignal(t, SIG.ILL, 1, t.pc);
        break;
      case CAUSE.BREAKPOINT:
        api.forceSignal(t, SIG.TRAP, 1, t.pc);
        break;
      case CAUSE.MISALIGNED_FETCH:
      case CAUSE.MISALIGNED_LOAD:
      case CAUSE.MISALIGNED_STORE:
        api.forceSignal(t, SIG.BUS, 1, address);
        break;
      case CAUSE.FETCH_ACCESS:
      case CAUSE.LOAD_ACCESS:
      case CAUSE.STORE_ACCESS:
        api.forceSignal(t, SIG.SEGV, SEGV.ACCERR, address);
        break;
      default:
        api.forceSignal(t, SIG.ILL, 0, t.pc);
    }
  };
}
