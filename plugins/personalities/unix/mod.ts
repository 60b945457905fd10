/**
 * The Unix personality plugin: the Linux RISC-V 32-bit system call ABI
 * (asm-generic numbers as rv32 defines them; number in a7, arguments in
 * a0-a5, result or -errno in a0), static ELF32 executables and the Linux
 * initial stack. Load it with the module loader; `init` registers the
 * personality and `exit` removes it (refused while processes use it).
 *
 * @module
 */

import {
  API_VERSION,
  K,
  type KernelApi,
  type ModuleContext,
  type ModuleDescriptor,
  statusName,
} from "../../../kernel/api.ts";
import { createUnixPersonality } from "./personality.ts";

export { createUnixPersonality, isUnixExecutable } from "./personality.ts";
export { type Support, type SyscallEntry, UNIX_SYSCALLS } from "./syscall_table.ts";
export {
  buildSyscallArrays,
  supportLevel,
  type SyscallArrays,
  SyscallTableError,
} from "./syscall_arrays.ts";
export { ERRNO, ERRNO_MAP, errnoOf, toSyscallResult } from "./errno.ts";
export { NR, SYSCALL_NAMES } from "./syscall_names.ts";
export { buildInitialStack, standardAuxv } from "./initial_stack.ts";
export { SIGFRAME } from "./signal_frame.ts";

/** Raised when the kernel refuses to register or unregister the personality. */
export class PersonalityRegistrationError extends Error {
  /** The kernel status. */
  readonly status: number;
  /** Creates the error. */
  constructor(what: string, status: number, options?: ErrorOptions) {
    super(`unix personality: ${what} failed with ${statusName(status)}`, options);
    this.name = "PersonalityRegistrationError";
    this.status = status;
  }
}

/** The plugin's module descriptor (kind "personality"). */
export const module: ModuleDescriptor = {
  name: "unix",
  version: "1.0.0",
  apiVersion: API_VERSION,
  kind: "personality",
  description: "Linux rv32 syscall ABI, static ELF32 executables",
  init(api: KernelApi, ctx: ModuleContext): void {
    const r = ctx.registerPersonality(createUnixPersonality(api));
    if (r !== K.OK) throw new PersonalityRegistrationError("register", r);
  },
  exit(_api: KernelApi, ctx: ModuleContext): void {
    const r = ctx.unregisterPersonality("unix");
    if (r !== K.OK) throw new PersonalityRegistrationError("unregister", r);
  },
};
