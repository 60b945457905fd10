/**
 * The personality contract of the plugin interface (re-exported by
 * `kernel/api.ts`, which plugins import): system-call handlers and their
 * support levels, `wait` options and records, loaded images, and the
 * `Personality` hooks (binary format, exec rules, faults, signals).
 *
 * @module
 */

import type { KStatus } from "./errors.ts";
import type { Process, SigAction, Thread } from "./proc/process.ts";

import type { SignalInfo } from "./ipc/signals.ts";

import type { Elf32Image } from "../lib/elf.ts";

import type { KernelApi } from "./api.ts";

/** A system-call handler: a0 value, negative K status, {@link BLOCK} or {@link NO_RESULT}. */
export type SyscallHandler = (t: Thread, api: KernelApi) => number;

/** How completely a personality implements a call (for tracing and "not implemented" answers). */
export const SupportLevel = {
  /** Implemented as the ABI specifies. */
  FULL: 0,
  /** Implemented with documented limits. */
  PARTIAL: 1,
  /** Known but not implemented: answers K.NOSYS. */
  NONE: 2,
} as const;

/** Memory protection bits (the Linux PROT_* values). */
export const PROT = { NONE: 0, READ: 1, WRITE: 2, EXEC: 4 } as const;

/** Options of {@link KernelApi.wait} (the Linux W* values). */
export const WAIT = {
  /** Do not block: return 0 when no child has changed state. */
  NOHANG: 1,
  /** Report stopped children (WUNTRACED / WSTOPPED). */
  STOPPED: 2,
  /** Report exited children (implied by waitpid). */
  EXITED: 4,
  /** Report continued children. */
  CONTINUED: 8,
  /** Leave the child waitable (do not reap). */
  NOWAIT: 0x0100_0000,
} as const;

/** What {@link KernelApi.wait} found. */
export const WaitKind = { EXITED: 0, KILLED: 1, STOPPED: 2, CONTINUED: 3 } as const;

/** A child's state change, as reported by {@link KernelApi.wait}. */
export interface WaitRecord {
  /** The child's pid. */
  pid: number;
  /** {@link WaitKind}. */
  kind: number;
  /** Exit code (EXITED), else 0. */
  code: number;
  /** Terminating or stopping signal (KILLED, STOPPED), SIGCONT for CONTINUED, else 0. */
  signal: number;
  /** True when KILLED by a signal whose default action dumps core. */
  core: boolean;
  /** The status word in the traditional Unix encoding (`WIFEXITED` & co. decode it). */
  status: number;
  /** User cycles of the child (EXITED / KILLED). */
  userCycles: number;
  /** System cycles of the child (EXITED / KILLED). */
  systemCycles: number;
}

/** The result of loading a program image into a fresh address space. */
export interface LoadedImage {
  /** Absolute path of the program. */
  path: string;
  /** Entry point (virtual). */
  entry: number;
  /** Virtual address of the program headers in the loaded image (AT_PHDR), 0 if not mapped. */
  phdrAddr: number;
  /** Size of one program header (AT_PHENT). */
  phent: number;
  /** Number of program headers (AT_PHNUM). */
  phnum: number;
  /** Lowest mapped address of the image. */
  base: number;
  /** End of the loaded image (page aligned): the initial program break. */
  brk: number;
  /** Top of the user stack (exclusive); the stack region is mapped demand-zero below it. */
  stackTop: number;
  /** Size of the stack region in bytes. */
  stackSize: number;
  /**
   * The parsed ELF headers (null for non-ELF formats loaded by a
   * personality): exec reads only the headers, so `symbols` is empty.
   */
  elf: Elf32Image | null;
  /** The file's first bytes as exec read them (the headers; the whole file for `loadBinary`). */
  bytes: Uint8Array;
}

/**
 * Memory operations a personality's own loader may use on the new address
 * space during {@link Personality.loadBinary} (PE images, for instance).
 */
export interface ImageLoader {
  /** Maps `[addr, addr+length)` with `prot`, demand-zero; K status. */
  map(addr: number, length: number, prot: number, name: string): KStatus;
  /** Copies `data` to virtual `addr` of the new space (mapping must exist); K status. */
  write(addr: number, data: Uint8Array): KStatus;
}

/**
 * strace-style decoding of a personality's calls (`--trace-syscalls`); the
 * kernel prints raw registers for a personality without one.
 */
export interface SyscallDecoder {
  /**
   * The arguments as shown at entry, one string each (an empty string is
   * left out); null for one the call fills in, shown once it is done.
   */
  enter(t: Thread, num: number, api: KernelApi): (string | null)[];
  /**
   * The arguments after the call returned `result` (a kernel-native value:
   * a count or a negative status, or BLOCK / NO_RESULT), the nulls filled,
   * and the result as shown after ` = `.
   */
  exit(
    t: Thread,
    num: number,
    args: (string | null)[],
    result: number,
    api: KernelApi,
  ): { args: string[]; result: string };
}

/**
 * A personality: a syscall table plus the hooks that make a process of this
 * ABI (FreeBSD's sysentvec, in spirit). Registered by a `personality` module's
 * `init` with {@link KernelApi.registerPersonality}.
 */
export interface Personality {
  /** Name ("unix", "win32"). */
  readonly name: string;
  /** Handlers indexed by call number (a7). */
  readonly syscalls: (SyscallHandler | undefined)[];
  /** Call names indexed by number, for tracing and diagnostics. */
  readonly syscallNames: (string | undefined)[];
  /** {@link SupportLevel} per number (missing = FULL when a handler exists, NONE otherwise). */
  readonly syscallSupport?: (number | undefined)[];
  /** Maps a negative kernel status to this ABI's a0 value (e.g. `-errno`). */
  mapStatus(status: number): number;
  /** Optional strace-style decoding of calls for tracing. */
  readonly decoder?: SyscallDecoder;
  /**
   * Builds a signal frame on `t`'s user stack for a caught signal and points
   * `t.pc` at `action.handler` (registers in `t.regs`). The kernel applies the
   * handler's mask afterwards. `t.sigBlockedLo/Hi` hold the mask to save in
   * the frame. Returns false if the frame could not be written (the kernel
   * then kills the process with SIGSEGV).
   */
  deliverSignal(t: Thread, sig: number, action: SigAction, info: SignalInfo): boolean;
  /** True if `bytes` is an executable of this personality (checked at exec, in registration order). */
  checkBinary(bytes: Uint8Array): boolean;
  /**
   * Loads a non-ELF image (optional): the kernel loads ELF32 itself; a
   * personality with its own format fills the space through `loader` and
   * returns the image description, or a negative status.
   */
  loadBinary?(bytes: Uint8Array, path: string, loader: ImageLoader): LoadedImage | KStatus;
  /**
   * Builds the initial user stack (argv, envp, auxv...) in the new address
   * space of `t.process` and sets `t.regs` (sp, a0...) and `t.pc`. K status.
   */
  setupProcess(t: Thread, image: LoadedImage, argv: string[], envp: string[]): KStatus;
  /**
   * Names an interpreter for a file that is not itself a program (optional):
   * the kernel asks every personality in registration order before it looks
   * for a binary format, as Linux's binfmt_script does for `#!`. Returns the
   * program to exec instead with its argv, a negative status (a malformed
   * `#!` line), or null when the file is not an interpreter script.
   */
  interpreterOf?(
    bytes: Uint8Array,
    path: string,
    argv: string[],
  ): { path: string; argv: string[] } | KStatus | null;
  /**
   * The rules of this ABI at a successful exec (optional), run once the new
   * image is in place and before the process is rebound: for Unix,
   * close-on-exec descriptors close and caught signals reset to SIG_DFL.
   */
  onExec?(t: Thread): void;
  /**
   * Decides what a fault the kernel cannot resolve becomes (optional): an
   * unresolvable page fault (`unmapped` is true when no mapping covers the
   * address, false for a protection fault) or any other exception (`cause`
   * is the RISC-V `scause`, `address` the `stval`). Unix sends SIGSEGV,
   * SIGBUS, SIGILL or SIGTRAP; Win32 raises a structured exception. Without
   * this hook the process is killed.
   */
  onFault?(t: Thread, cause: number, address: number, unmapped: boolean): void;
  /**
   * The answer to a call number with no handler (optional; default
   * `K.NOSYS`): a status, or any result a handler may return.
   */
  missing?(t: Thread, num: number): number;
  /** Called when a process of this personality forks (after the kernel copied everything). */
  onFork?(parent: Process, child: Process): void;
  /**
   * Called for every thread of this personality that ends (optional): a
   * thread that exits alone, and each live thread of a process that exits or
   * is killed, before the process's {@link Personality.onExit}. The thread is
   * still live (its registers and `pdata` intact) when the hook runs.
   */
  onThreadExit?(t: Thread): void;
  /** Called when a process of this personality exits (before its descriptors close). */
  onExit?(p: Process): void;
  /** Called when a process leaves this personality by exec'ing another format. */
  onExecAway?(p: Process): void;
  /**
   * Loads what the personality leaves for its first use (optional): a
   * caller that starts a program of this personality outside a system call
   * (the boot's first process) awaits it first. Inside a system call the
   * personality waits for that work itself (`ModuleContext.runHostWork`).
   */
  prepare?(): Promise<void>;
}
