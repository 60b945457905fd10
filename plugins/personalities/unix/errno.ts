/**
 * Kernel status -> Linux errno translation.
 *
 * Kernel statuses (`kernel/errors.ts`) are deliberately not errno numbers;
 * this table is the one place where the Unix personality turns them into the
 * values of asm-generic/errno-base.h and errno.h. Translation is a typed-array
 * lookup (it runs on every failing syscall).
 *
 * @module
 */

/** Linux errno values used by the personality. */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  E2BIG: 7,
  ENOEXEC: 8,
  EBADF: 9,
  ECHILD: 10,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  ENOTBLK: 15,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENODEV: 19,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  ENOTTY: 25,
  ETXTBSY: 26,
  EFBIG: 27,
  ENOSPC: 28,
  ESPIPE: 29,
  EROFS: 30,
  EMLINK: 31,
  EPIPE: 32,
  EDOM: 33,
  ERANGE: 34,
  EDEADLK: 35,
  ENAMETOOLONG: 36,
  ENOLCK: 37,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  ELOOP: 40,
  EOPNOTSUPP: 95,
  ETIMEDOUT: 110,
  EUCLEAN: 117,
} as const;

/**
 * The mapping as data: [kernel status name, kernel status value, errno name,
 * errno value]. `docs/syscalls_unix.md` prints this table.
 */
export const ERRNO_MAP: ReadonlyArray<readonly [string, number, string, number]> = [
  ["PERM", -1, "EPERM", 1],
  ["NOENT", -2, "ENOENT", 2],
  ["SRCH", -3, "ESRCH", 3],
  ["INTR", -4, "EINTR", 4],
  ["IO", -5, "EIO", 5],
  ["NXIO", -6, "ENXIO", 6],
  ["TOOBIG", -7, "E2BIG", 7],
  ["NOEXEC", -8, "ENOEXEC", 8],
  ["BADF", -9, "EBADF", 9],
  ["CHILD", -10, "ECHILD", 10],
  ["AGAIN", -11, "EAGAIN", 11],
  ["NOMEM", -12, "ENOMEM", 12],
  ["ACCES", -13, "EACCES", 13],
  ["FAULT", -14, "EFAULT", 14],
  ["NOTBLK", -15, "ENOTBLK", 15],
  ["BUSY", -16, "EBUSY", 16],
  ["EXIST", -17, "EEXIST", 17],
  ["XDEV", -18, "EXDEV", 18],
  ["NODEV", -19, "ENODEV", 19],
  ["NOTDIR", -20, "ENOTDIR", 20],
  ["ISDIR", -21, "EISDIR", 21],
  ["INVAL", -22, "EINVAL", 22],
  ["NFILE", -23, "ENFILE", 23],
  ["MFILE", -24, "EMFILE", 24],
  ["NOTTY", -25, "ENOTTY", 25],
  ["TXTBSY", -26, "ETXTBSY", 26],
  ["FBIG", -27, "EFBIG", 27],
  ["NOSPC", -28, "ENOSPC", 28],
  ["SPIPE", -29, "ESPIPE", 29],
  ["ROFS", -30, "EROFS", 30],
  ["MLINK", -31, "EMLINK", 31],
  ["PIPE", -32, "EPIPE", 32],
  ["RANGE", -34, "ERANGE", 34],
  ["DEADLK", -35, "EDEADLK", 35],
  ["NAMETOOLONG", -36, "ENAMETOOLONG", 36],
  ["NOSYS", -38, "ENOSYS", 38],
  ["NOTEMPTY", -39, "ENOTEMPTY", 39],
  ["LOOP", -40, "ELOOP", 40],
  ["NOTSUP", -95, "EOPNOTSUPP", 95],
  ["TIMEDOUT", -110, "ETIMEDOUT", 110],
  ["UCLEAN", -117, "EUCLEAN", 117],
  // Module-loader statuses never come out of a syscall the personality
  // makes; should one leak, they read as "invalid" and "I/O error".
  ["VERSION", -200, "EINVAL", 22],
  ["INITFAIL", -201, "EIO", 5],
  // Kernel-internal: the trap handler turns it into a restart before any
  // mapping; should one leak, it reads as an interrupted call.
  ["RESTART", -202, "EINTR", 4],
];

const TABLE_SIZE = 256;
const TABLE = new Int32Array(TABLE_SIZE).fill(ERRNO.EIO);
for (const [, status, , errno] of ERRNO_MAP) {
  if (-status < TABLE_SIZE) TABLE[-status] = errno;
}

/**
 * Linux errno (positive) for a negative kernel status. Unknown statuses
 * become EIO: a personality must never invent success for an error.
 */
export function errnoOf(status: number): number {
  const i = -status;
  return i > 0 && i < TABLE_SIZE ? TABLE[i] : ERRNO.EIO;
}

/**
 * The value a syscall leaves in a0: results >= 0 pass unchanged, negative
 * kernel statuses become -errno.
 */
export function toSyscallResult(result: number): number {
  return result >= 0 ? result : -errnoOf(result);
}
