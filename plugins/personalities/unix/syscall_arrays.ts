/**
 * The dense arrays a `Personality` carries (handler, name and support level
 * by call number), built from the Unix system call table
 * (`syscall_table.ts`) and the rv32 name list (`syscall_names.ts`), with a
 * check that the two agree.
 *
 * @module
 */

import { SupportLevel, type SyscallHandler } from "../../../kernel/api.ts";
import { SYSCALL_NAMES } from "./syscall_names.ts";
import { type Support, UNIX_SYSCALLS } from "./syscall_table.ts";

/** Numeric support level of the kernel API for a {@link Support}. */
export function supportLevel(s: Support): number {
  return s === "full"
    ? SupportLevel.FULL
    : s === "partial"
    ? SupportLevel.PARTIAL
    : SupportLevel.NONE;
}

/** The arrays a `Personality` carries, indexed by call number. */
export interface SyscallArrays {
  /** Handlers (undefined = ENOSYS). */
  syscalls: (SyscallHandler | undefined)[];
  /** Names of every assigned rv32 number. */
  syscallNames: (string | undefined)[];
  /** SupportLevel per number (NONE for named but unimplemented calls). */
  syscallSupport: (number | undefined)[];
}

/** Highest rv32 number in the name list, plus one. */
const TABLE_LENGTH = SYSCALL_NAMES[SYSCALL_NAMES.length - 1][0] + 1;

/**
 * Builds the dense arrays. Throws if the implemented table and the name
 * list disagree (a wrong number would silently run the wrong call).
 */
export function buildSyscallArrays(): SyscallArrays {
  const syscalls = new Array<SyscallHandler | undefined>(TABLE_LENGTH).fill(undefined);
  const syscallNames = new Array<string | undefined>(TABLE_LENGTH).fill(undefined);
  const syscallSupport = new Array<number | undefined>(TABLE_LENGTH).fill(undefined);
  for (const [nr, name] of SYSCALL_NAMES) {
    syscallNames[nr] = name;
    syscallSupport[nr] = SupportLevel.NONE;
  }
  for (const s of UNIX_SYSCALLS) {
    if (syscallNames[s.nr] !== s.name) {
      throw new SyscallTableError(
        `syscall ${s.nr} is ${syscallNames[s.nr] ?? "unassigned"} on rv32, not ${s.name}`,
      );
    }
    syscalls[s.nr] = s.handler;
    syscallSupport[s.nr] = supportLevel(s.support);
  }
  return { syscalls, syscallNames, syscallSupport };
}

/** Raised when the handler table contradicts the rv32 number list. */
export class SyscallTableError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SyscallTableError";
  }
}
