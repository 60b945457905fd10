/**
 * The guest userland's public face: where the built programs are, which ones
 * exist, and the build entry points.
 *
 * Programs are static ELF32 RISC-V Linux executables in `userland/bin/NAME`
 * (no extension). The kernel's initramfs builder puts all of them in the
 * guest's `/bin`.
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";

export {
  BuildError,
  buildGuestProgram,
  buildUserland,
  DEFAULT_GUEST_ARCH,
  defaultBinDir,
  ensureLibcObjects,
  flagsFor,
  GUEST_ARCHES,
  GUEST_CFLAGS,
  GUEST_LDFLAGS,
  hasGuestToolchain,
  listProgramSpecs,
  parseGuestArch,
} from "./build.ts";
export type { BuildOptions, BuildReport, GuestArch, ProgramSpec } from "./build.ts";

/** Absolute path of the folder holding the built guest programs. */
export const USERLAND_BIN_DIR: string = join(fileURLToPath(new URL(".", import.meta.url)), "bin");

/** The small utilities (sources in `userland/cmd/`). */
export const UTILITIES: readonly string[] = [
  "awk",
  "basename",
  "cat",
  "chmod",
  "chrt",
  "clear",
  "cmp",
  "cp",
  "cpio",
  "cut",
  "date",
  "dd",
  "df",
  "diff",
  "dirname",
  "dmesg",
  "du",
  "echo",
  "env",
  "false",
  "find",
  "free",
  "grep",
  "head",
  "hexdump",
  "id",
  "insmod",
  "kill",
  "ln",
  "ls",
  "lsmod",
  "mkdir",
  "mkfs.ext2",
  "modinfo",
  "modswap",
  "more",
  "mount",
  "mt",
  "mv",
  "nice",
  "poweroff",
  "printf",
  "ps",
  "pwd",
  "readlink",
  "rm",
  "rmmod",
  "sed",
  "seq",
  "sleep",
  "sort",
  "stat",
  "sync",
  "tail",
  "tar",
  "tee",
  "time",
  "top",
  "touch",
  "tr",
  "true",
  "umount",
  "uname",
  "uniq",
  "uptime",
  "vi",
  "wc",
  "which",
  "whoami",
  "xargs",
  "yes",
];

/**
 * The benchmark programs (sources in `userland/bench/`); each takes N as
 * argv[1] and prints "ok N" (the kernel ones) or "ok N CHECKSUM" (the CPU
 * ones: int, mem, branch, calls, interp, mix).
 */
export const BENCHMARKS: readonly string[] = [
  "bench_branch",
  "bench_calls",
  "bench_fork",
  "bench_getpid",
  "bench_int",
  "bench_interp",
  "bench_mem",
  "bench_mix",
  "bench_mprotect",
  "bench_pagefault",
  "bench_pipe",
  "bench_spawn",
  "bench_thread_switch",
  "bench_yield",
  "schedmix",
];

/** Names of every built program currently in {@link USERLAND_BIN_DIR}, sorted. */
export function listPrograms(): string[] {
  const names: string[] = [];
  try {
    for (const e of Deno.readDirSync(USERLAND_BIN_DIR)) {
      if (e.isFile && !e.name.startsWith(".")) names.push(e.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names.sort();
}

/** Absolute host path of the built program `name`. */
export function programPath(name: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new RangeError(`not a program name: "${name}"`);
  return join(USERLAND_BIN_DIR, name);
}

/** The bytes of the built program `name` (throws Deno.errors.NotFound if it is not built). */
export function readProgram(name: string): Uint8Array {
  return Deno.readFileSync(programPath(name));
}
