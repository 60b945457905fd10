/**
 * Runs one shared interop case (`tests/interop/cases.ts`) on a freshly
 * booted Strata machine: the scratch directory and its files are created
 * in the guest's /tmp through the kernel's VFS, standard input arrives
 * through a pipe (`cat file | prog`), standard output and error are
 * redirected to files that are read back after the machine halts.
 *
 * @module
 */

import { boot, type BootOptions, type GuestResult } from "../../../../system/boot.ts";
import { K, OpenFlags } from "../../../../kernel/api.ts";
import type { Kernel } from "../../../../kernel/kernel.ts";
import type { InteropCase } from "../../../interop/cases.ts";
import { assertFinished, guarded } from "../../../guest_guard.ts";

/** What a Strata run of a case produced. */
export interface StrataRun {
  /** The program's exit status (the machine's, through the shell and init). */
  status: number;
  /** Its standard output. */
  stdout: string;
  /** Its standard error. */
  stderr: string;
  /** The scratch directory used for `{dir}`. */
  dir: string;
  /** Why the machine stopped. */
  reason: string;
  /** Simulated cycles of the whole run. */
  cycles: number;
  /** True if `rel` (relative to the scratch directory) exists afterwards. */
  exists(rel: string): boolean;
  /** The text of `rel` (relative to the scratch directory) afterwards. */
  read(rel: string): string;
  /** Console output (anything not redirected, e.g. init's messages). */
  console: string;
}

/** Raised when the harness cannot set a case up in the guest. */
export class StrataSetupError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "StrataSetupError";
  }
}

const te = new TextEncoder();
const td = new TextDecoder();

/** Single-quotes a word for the guest shell. */
export function shellQuote(s: string): string {
  return "'" + s.replaceAll("'", "'\\''") + "'";
}

function check(what: string, st: number): void {
  if (st < 0 && st !== K.EXIST) throw new StrataSetupError(`${what}: status ${st}`);
}

/** Creates `path` with `data` in the guest (mode 0644, or `mode`). */
export function writeGuestFile(kernel: Kernel, path: string, data: Uint8Array, mode = 0o644): void {
  const r = kernel.vfs.open(
    null,
    path,
    OpenFlags.WRITE | OpenFlags.CREATE | OpenFlags.TRUNC,
    mode,
  );
  if (typeof r === "number") throw new StrataSetupError(`open ${path}: status ${r}`);
  try {
    const n = kernel.vfs.write(r.file, data);
    if (n !== data.length) throw new StrataSetupError(`write ${path}: ${n}`);
  } finally {
    kernel.vfs.close(r.file);
  }
}

/** Creates a directory and its parents in the guest. */
export function mkdirGuest(kernel: Kernel, path: string): void {
  let cur = "";
  for (const part of path.split("/").filter((p) => p !== "")) {
    cur += "/" + part;
    check(`mkdir ${cur}`, kernel.vfs.mkdir(null, cur, 0o755));
  }
}

/** Reads a guest file as text ("" if it does not exist). */
export function readGuestText(kernel: Kernel, path: string): string {
  const r = kernel.vfs.readWholeFile(path);
  return typeof r === "number" ? "" : td.decode(r);
}

let caseCounter = 0;

/**
 * Default cycle limit of a case: utilities, shell cases and test programs
 * need at most ~10 M cycles (a bigger program passes its own `maxCycles`).
 */
export const CASE_MAX_CYCLES = 200_000_000;

/** Extra programs to install in the guest before the run: guest path -> bytes. */
export type ExtraFiles = Record<string, Uint8Array>;

/**
 * Runs `c` on Strata; `guestDirs` are absolute guest directories to create
 * first. A run that hits its cycle limit ({@link CASE_MAX_CYCLES} unless
 * `options` says otherwise) or the host-time limit throws GuestHungError.
 */
export async function runCaseOnStrata(
  c: InteropCase,
  extra: ExtraFiles = {},
  options: BootOptions = {},
  guestDirs: readonly string[] = [],
): Promise<StrataRun> {
  const id = ++caseCounter;
  const dir = `/tmp/interop_${id}`;
  const io = `/tmp/.io_${id}`;
  const sub = (s: string) => s.replaceAll("{dir}", dir);
  const args = c.args.map(sub).map(shellQuote).join(" ");
  const prog = c.program.startsWith("/") ? c.program : `/bin/${c.program}`;
  const cd = c.cwdInDir ? `cd ${shellQuote(dir)} && ` : "";
  const cmd = `${cd}/bin/cat ${io}.in | ${prog} ${args} >${io}.out 2>${io}.err`;
  const sys = await boot(
    guarded({ cmd, maxCycles: CASE_MAX_CYCLES, ...options }),
    { kind: "buffer" },
  );
  let result: GuestResult;
  try {
    const k = sys.kernel;
    for (const d of guestDirs) mkdirGuest(k, d);
    mkdirGuest(k, dir);
    for (const d of c.dirs ?? []) mkdirGuest(k, `${dir}/${d}`);
    for (const [rel, text] of Object.entries(c.files ?? {})) {
      const path = `${dir}/${rel}`;
      mkdirGuest(k, path.slice(0, path.lastIndexOf("/")));
      writeGuestFile(k, path, te.encode(text));
    }
    writeGuestFile(k, `${io}.in`, te.encode(c.stdin ?? ""));
    for (const [path, bytes] of Object.entries(extra)) writeGuestFile(k, path, bytes, 0o755);
    result = assertFinished(await sys.run(), c.name);
  } finally {
    sys.machine.close();
  }
  const k = sys.kernel;
  return {
    status: result.status,
    stdout: readGuestText(k, `${io}.out`),
    stderr: readGuestText(k, `${io}.err`),
    dir,
    reason: result.reason,
    cycles: result.cycles,
    exists: (rel: string) => typeof k.vfs.lstat(null, `${dir}/${rel}`) !== "number",
    read: (rel: string) => readGuestText(k, `${dir}/${rel}`),
    console: result.output,
  };
}
