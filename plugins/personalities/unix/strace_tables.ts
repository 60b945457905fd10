/**
 * Names the strace-format decoder prints: errno names and their strerror
 * text, signal names, and the symbolic flag sets of the calls it decodes
 * (Linux's generic values, as on riscv32).
 *
 * @module
 */

import { ERRNO } from "./errno.ts";

/** errno number -> name ("ENOENT"). */
export const ERRNO_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(ERRNO).map(([name, n]) => [n, name]),
);

/** strerror text of the common errno values (glibc's words). */
export const ERRNO_TEXT: Readonly<Record<string, string>> = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ESRCH: "No such process",
  EINTR: "Interrupted system call",
  EIO: "Input/output error",
  ENXIO: "No such device or address",
  E2BIG: "Argument list too long",
  ENOEXEC: "Exec format error",
  EBADF: "Bad file descriptor",
  ECHILD: "No child processes",
  EAGAIN: "Resource temporarily unavailable",
  ENOMEM: "Cannot allocate memory",
  EACCES: "Permission denied",
  EFAULT: "Bad address",
  EBUSY: "Device or resource busy",
  EEXIST: "File exists",
  EXDEV: "Invalid cross-device link",
  ENODEV: "No such device",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EINVAL: "Invalid argument",
  ENFILE: "Too many open files in system",
  EMFILE: "Too many open files",
  ENOTTY: "Inappropriate ioctl for device",
  ETXTBSY: "Text file busy",
  EFBIG: "File too large",
  ENOSPC: "No space left on device",
  ESPIPE: "Illegal seek",
  EROFS: "Read-only file system",
  EMLINK: "Too many links",
  EPIPE: "Broken pipe",
  EDOM: "Numerical argument out of domain",
  ERANGE: "Numerical result out of range",
  EDEADLK: "Resource deadlock avoided",
  ENAMETOOLONG: "File name too long",
  ENOLCK: "No locks available",
  ENOSYS: "Function not implemented",
  ENOTEMPTY: "Directory not empty",
  ELOOP: "Too many levels of symbolic links",
  ETIMEDOUT: "Connection timed out",
  EOVERFLOW: "Value too large for defined data type",
  EOPNOTSUPP: "Operation not supported",
  ENOTSUP: "Operation not supported",
};

/** Signal names by number (Linux). */
export const SIGNAL_NAMES: readonly string[] = [
  "0",
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGILL",
  "SIGTRAP",
  "SIGABRT",
  "SIGBUS",
  "SIGFPE",
  "SIGKILL",
  "SIGUSR1",
  "SIGSEGV",
  "SIGUSR2",
  "SIGPIPE",
  "SIGALRM",
  "SIGTERM",
  "SIGSTKFLT",
  "SIGCHLD",
  "SIGCONT",
  "SIGSTOP",
  "SIGTSTP",
  "SIGTTIN",
  "SIGTTOU",
  "SIGURG",
  "SIGXCPU",
  "SIGXFSZ",
  "SIGVTALRM",
  "SIGPROF",
  "SIGWINCH",
  "SIGIO",
  "SIGPWR",
  "SIGSYS",
];

/** A signal's name: SIGINT, SIGRT_3, or the number. */
export function signalName(sig: number): string {
  if (sig > 0 && sig < SIGNAL_NAMES.length) return SIGNAL_NAMES[sig];
  if (sig >= 32 && sig <= 64) return `SIGRT_${sig - 32}`;
  return String(sig);
}

/** A flag table: [bit value, name] (a zero value names the empty set). */
export type FlagTable = readonly (readonly [number, string])[];

/** open(2) flags beyond the access mode. */
export const OPEN_FLAGS: FlagTable = [
  [0o100, "O_CREAT"],
  [0o200, "O_EXCL"],
  [0o400, "O_NOCTTY"],
  [0o1000, "O_TRUNC"],
  [0o2000, "O_APPEND"],
  [0o4000, "O_NONBLOCK"],
  [0o10000, "O_DSYNC"],
  [0o20000, "O_ASYNC"],
  [0o40000, "O_DIRECT"],
  [0o100000, "O_LARGEFILE"],
  [0o200000, "O_DIRECTORY"],
  [0o400000, "O_NOFOLLOW"],
  [0o1000000, "O_NOATIME"],
  [0o2000000, "O_CLOEXEC"],
  [0o4010000, "O_SYNC"],
  [0o10000000, "O_PATH"],
];

/** clone(2) flags (the low byte is the exit signal). */
export const CLONE_FLAGS: FlagTable = [
  [0x100, "CLONE_VM"],
  [0x200, "CLONE_FS"],
  [0x400, "CLONE_FILES"],
  [0x800, "CLONE_SIGHAND"],
  [0x1000, "CLONE_PIDFD"],
  [0x2000, "CLONE_PTRACE"],
  [0x4000, "CLONE_VFORK"],
  [0x8000, "CLONE_PARENT"],
  [0x10000, "CLONE_THREAD"],
  [0x20000, "CLONE_NEWNS"],
  [0x40000, "CLONE_SYSVSEM"],
  [0x80000, "CLONE_SETTLS"],
  [0x100000, "CLONE_PARENT_SETTID"],
  [0x200000, "CLONE_CHILD_CLEARTID"],
  [0x400000, "CLONE_DETACHED"],
  [0x800000, "CLONE_UNTRACED"],
  [0x1000000, "CLONE_CHILD_SETTID"],
];

/** mmap/mprotect protections. */
export const PROT_FLAGS: FlagTable = [[1, "PROT_READ"], [2, "PROT_WRITE"], [4, "PROT_EXEC"]];

/** mmap flags. */
export const MAP_FLAGS: FlagTable = [
  [0x01, "MAP_SHARED"],
  [0x02, "MAP_PRIVATE"],
  [0x10, "MAP_FIXED"],
  [0x20, "MAP_ANONYMOUS"],
  [0x100, "MAP_GROWSDOWN"],
  [0x4000, "MAP_NORESERVE"],
  [0x8000, "MAP_POPULATE"],
  [0x100000, "MAP_FIXED_NOREPLACE"],
];

/** AT_* flags of the *at calls. */
export const AT_FLAGS: FlagTable = [
  [0x100, "AT_SYMLINK_NOFOLLOW"],
  [0x200, "AT_REMOVEDIR"],
  [0x400, "AT_SYMLINK_FOLLOW"],
  [0x800, "AT_NO_AUTOMOUNT"],
  [0x1000, "AT_EMPTY_PATH"],
];

/** sigaction flags. */
export const SA_FLAGS: FlagTable = [
  [0x1, "SA_NOCLDSTOP"],
  [0x2, "SA_NOCLDWAIT"],
  [0x4, "SA_SIGINFO"],
  [0x08000000, "SA_ONSTACK"],
  [0x10000000, "SA_RESTART"],
  [0x40000000, "SA_NODEFER"],
  [0x80000000, "SA_RESETHAND"],
];

/** waitid options. */
export const WAIT_FLAGS: FlagTable = [
  [1, "WNOHANG"],
  [2, "WSTOPPED"],
  [4, "WEXITED"],
  [8, "WCONTINUED"],
  [0x01000000, "WNOWAIT"],
  [0x20000000, "__WNOTHREAD"],
  [0x40000000, "__WALL"],
  [0x80000000, "__WCLONE"],
];

/** ioctl request names (asm-generic termios and a few more). */
export const IOCTL_NAMES: ReadonlyMap<number, string> = new Map([
  [0x5401, "TCGETS"],
  [0x5402, "TCSETS"],
  [0x5403, "TCSETSW"],
  [0x5404, "TCSETSF"],
  [0x5409, "TCSBRK"],
  [0x540a, "TCXONC"],
  [0x540b, "TCFLSH"],
  [0x540e, "TIOCSCTTY"],
  [0x540f, "TIOCGPGRP"],
  [0x5410, "TIOCSPGRP"],
  [0x5413, "TIOCGWINSZ"],
  [0x5414, "TIOCSWINSZ"],
  [0x541b, "FIONREAD"],
  [0x5421, "FIONBIO"],
  [0x5422, "TIOCNOTTY"],
  [0x5429, "TIOCGSID"],
  [0x80046d01, "MTIOCGET"],
  [0x40086d01, "MTIOCTOP"],
]);

/** fcntl commands. */
export const FCNTL_NAMES: readonly string[] = [
  "F_DUPFD",
  "F_GETFD",
  "F_SETFD",
  "F_GETFL",
  "F_SETFL",
  "F_GETLK",
  "F_SETLK",
  "F_SETLKW",
];

/** clock ids. */
export const CLOCK_NAMES: readonly string[] = [
  "CLOCK_REALTIME",
  "CLOCK_MONOTONIC",
  "CLOCK_PROCESS_CPUTIME_ID",
  "CLOCK_THREAD_CPUTIME_ID",
  "CLOCK_MONOTONIC_RAW",
  "CLOCK_REALTIME_COARSE",
  "CLOCK_MONOTONIC_COARSE",
  "CLOCK_BOOTTIME",
];

/** `flags` as `A|B|0x40` from `table` ("0" when empty, or `zero` when given). */
export function flagNames(flags: number, table: FlagTable, zero = "0"): string {
  let rest = flags >>> 0;
  const names: string[] = [];
  for (const [bit, name] of table) {
    if (bit !== 0 && (rest & bit) === bit) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) names.push(`0x${rest.toString(16)}`);
  return names.length === 0 ? zero : names.join("|");
}
