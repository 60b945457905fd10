/**
 * Kernel-native status codes.
 *
 * Kernel layers and `kernel/api.ts` return these (as negative numbers where a
 * call otherwise returns a count or handle, `OK` = 0 for plain success).
 *
 * Their values are errno-valued: each is the negated Linux errno of the same
 * meaning (`K.NOENT` = -2 = -ENOENT), because Linux is the reference that
 * the codes were chosen from and a shared numbering keeps traces readable.
 * They are still the kernel's own codes, not an ABI: every personality maps
 * each one explicitly through its own table (`mapStatus`): the Unix
 * personality to Linux errno values (a table, checked against Linux's
 * headers, not an identity assumed in code), a Win32 personality to NTSTATUS
 * and `GetLastError` codes. No code outside a personality may hand a `K`
 * value to a guest unmapped.
 *
 * @module
 */

/** Kernel status codes (0 = success, all errors negative). */
export const K = {
  OK: 0,
  /** Operation not permitted. */
  PERM: -1,
  /** No such file, directory or object. */
  NOENT: -2,
  /** No such process. */
  SRCH: -3,
  /** Interrupted by a signal before anything was done. */
  INTR: -4,
  /** I/O error from a device. */
  IO: -5,
  /** No such device or address. */
  NXIO: -6,
  /** Argument list too long. */
  TOOBIG: -7,
  /** Not an executable in a format this kernel loads. */
  NOEXEC: -8,
  /** Bad file descriptor or handle. */
  BADF: -9,
  /** No child processes. */
  CHILD: -10,
  /** Would block (non-blocking I/O), or try again. */
  AGAIN: -11,
  /** Out of memory. */
  NOMEM: -12,
  /** Permission denied. */
  ACCES: -13,
  /** Bad address from a guest. */
  FAULT: -14,
  /** Block device required (mount of something that is not one). */
  NOTBLK: -15,
  /** Device or resource busy. */
  BUSY: -16,
  /** Already exists. */
  EXIST: -17,
  /** Cross-device link. */
  XDEV: -18,
  /** No such device. */
  NODEV: -19,
  /** Not a directory. */
  NOTDIR: -20,
  /** Is a directory. */
  ISDIR: -21,
  /** Invalid argument. */
  INVAL: -22,
  /** Too many open files in the system. */
  NFILE: -23,
  /** Too many open files in the process. */
  MFILE: -24,
  /** Not a terminal. */
  NOTTY: -25,
  /** Text file busy. */
  TXTBSY: -26,
  /** File too large. */
  FBIG: -27,
  /** No space left on device. */
  NOSPC: -28,
  /** Illegal seek (pipe, tty). */
  SPIPE: -29,
  /** Read-only file system. */
  ROFS: -30,
  /** Too many links. */
  MLINK: -31,
  /** Broken pipe. */
  PIPE: -32,
  /** Result out of range. */
  RANGE: -34,
  /** Deadlock would occur. */
  DEADLK: -35,
  /** File name too long. */
  NAMETOOLONG: -36,
  /** Function not implemented. */
  NOSYS: -38,
  /** Directory not empty. */
  NOTEMPTY: -39,
  /** Too many levels of symbolic links. */
  LOOP: -40,
  /** Operation timed out. */
  TIMEDOUT: -110,
  /** Structure needs cleaning: a file system found corrupt metadata. */
  UCLEAN: -117,
  /** Operation not supported. */
  NOTSUP: -95,
  /** Wrong kernel API version (module loader). */
  VERSION: -200,
  /** A module's init failed. */
  INITFAIL: -201,
  /**
   * Kernel-internal, never seen by a guest: the caller was parked for I/O
   * with `KernelApi.waitForIo`; the system call ends with BLOCK and restarts
   * from the beginning when the queue is woken (Linux's ERESTARTSYS).
   */
  RESTART: -202,
} as const;

/** Type of a kernel status value. */
export type KStatus = number;

const NAMES = new Map<number, string>(Object.entries(K).map(([name, code]) => [code, name]));

/** Returns the symbolic name of a status code, e.g. `NOENT`, or `K<code>`. */
export function statusName(code: KStatus): string {
  return NAMES.get(code) ?? `K${code}`;
}

/** An exception carrying a kernel status, for host-side code paths that throw. */
export class KernelError extends Error {
  /** The kernel status code (negative). */
  readonly status: KStatus;
  /** Creates the error with a status and a message. */
  constructor(status: KStatus, message: string, options?: ErrorOptions) {
    super(`${statusName(status)}: ${message}`, options);
    this.name = "KernelError";
    this.status = status;
  }
}

/**
 * One line describing a caught host exception, for the kernel log.
 *
 * @param e The caught value.
 * @returns `Name: message` for an Error, else the value as text.
 */
export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
