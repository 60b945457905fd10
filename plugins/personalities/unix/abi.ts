/**
 * The Linux RISC-V 32-bit user ABI as the Unix personality speaks it:
 * constants (signals, flags, clock ids, auxv tags) and the byte layouts of
 * the structures that cross the syscall boundary (statx, dirent64, utsname,
 * timespec64, siginfo, sigaction, iovec, rusage).
 *
 * Layouts follow the rv32 kernel headers: ILP32, little-endian, 64-bit time
 * (`__kernel_timespec` is {s64 tv_sec; s64 tv_nsec}), no `sa_restorer` in
 * `struct sigaction` (riscv does not define SA_RESTORER), 64-signal sigset_t
 * (8 bytes).
 *
 * Encoders write into a caller-supplied `DataView` at an offset so that the
 * handlers can reuse one scratch buffer instead of allocating per call.
 *
 * @module
 */

import { SIG, type Stat } from "../../../kernel/api.ts";

/** Page size of the ABI (AT_PAGESZ, mmap2 offset unit). */
export const PAGE_SIZE = 4096;

/** `AT_FDCWD`: "relative to the current directory" for the *at calls. */
export const AT_FDCWD = -100;
/** `AT_SYMLINK_NOFOLLOW`. */
export const AT_SYMLINK_NOFOLLOW = 0x100;
/** `AT_REMOVEDIR` (unlinkat). */
export const AT_REMOVEDIR = 0x200;
/** `AT_SYMLINK_FOLLOW`. */
export const AT_SYMLINK_FOLLOW = 0x400;
/** `AT_NO_AUTOMOUNT`. */
export const AT_NO_AUTOMOUNT = 0x800;
/** `AT_EMPTY_PATH`: operate on the descriptor itself when the path is "". */
export const AT_EMPTY_PATH = 0x1000;
/** `AT_STATX_SYNC_TYPE` mask (sync hints; accepted and ignored). */
export const AT_STATX_SYNC_TYPE = 0x6000;

/** Linux `open` flags (asm-generic/fcntl.h, octal as in the header). */
export const O = {
  RDONLY: 0,
  WRONLY: 1,
  RDWR: 2,
  ACCMODE: 3,
  CREAT: 0o100,
  EXCL: 0o200,
  NOCTTY: 0o400,
  TRUNC: 0o1000,
  APPEND: 0o2000,
  NONBLOCK: 0o4000,
  DSYNC: 0o10000,
  ASYNC: 0o20000,
  DIRECT: 0o40000,
  LARGEFILE: 0o100000,
  DIRECTORY: 0o200000,
  NOFOLLOW: 0o400000,
  NOATIME: 0o1000000,
  CLOEXEC: 0o2000000,
  SYNC: 0o4010000,
  PATH: 0o10000000,
  TMPFILE: 0o20200000,
} as const;

/** `fcntl` commands and descriptor flags. */
export const F = {
  DUPFD: 0,
  GETFD: 1,
  SETFD: 2,
  GETFL: 3,
  SETFL: 4,
  GETLK: 5,
  SETLK: 6,
  SETLKW: 7,
  DUPFD_CLOEXEC: 1030,
  /** The one descriptor flag. */
  FD_CLOEXEC: 1,
} as const;

/** `lseek` whence values. */
export const SEEK = { SET: 0, CUR: 1, END: 2 } as const;

/** `mmap` protection and flags. */
export const MMAP = {
  PROT_NONE: 0,
  PROT_READ: 1,
  PROT_WRITE: 2,
  PROT_EXEC: 4,
  MAP_SHARED: 0x01,
  MAP_PRIVATE: 0x02,
  MAP_SHARED_VALIDATE: 0x03,
  MAP_TYPE: 0x0f,
  MAP_FIXED: 0x10,
  MAP_ANONYMOUS: 0x20,
  MAP_GROWSDOWN: 0x100,
  MAP_DENYWRITE: 0x800,
  MAP_EXECUTABLE: 0x1000,
  MAP_LOCKED: 0x2000,
  MAP_NORESERVE: 0x4000,
  MAP_POPULATE: 0x8000,
  MAP_NONBLOCK: 0x10000,
  MAP_STACK: 0x20000,
  MAP_HUGETLB: 0x40000,
  MAP_FIXED_NOREPLACE: 0x100000,
} as const;

/** `clone` flags (the low byte, CSIGNAL, is the exit signal). */
export const CLONE = {
  CSIGNAL: 0xff,
  VM: 0x100,
  FS: 0x200,
  FILES: 0x400,
  SIGHAND: 0x800,
  PIDFD: 0x1000,
  PTRACE: 0x2000,
  VFORK: 0x4000,
  PARENT: 0x8000,
  THREAD: 0x10000,
  NEWNS: 0x20000,
  SYSVSEM: 0x40000,
  SETTLS: 0x80000,
  PARENT_SETTID: 0x100000,
  CHILD_CLEARTID: 0x200000,
  DETACHED: 0x400000,
  UNTRACED: 0x800000,
  CHILD_SETTID: 0x01000000,
} as const;

/** `waitid` id types and options. */
export const WAIT = {
  P_ALL: 0,
  P_PID: 1,
  P_PGID: 2,
  P_PIDFD: 3,
  WNOHANG: 1,
  WSTOPPED: 2,
  WEXITED: 4,
  WCONTINUED: 8,
  WNOWAIT: 0x01000000,
  __WNOTHREAD: 0x20000000,
  __WALL: 0x40000000,
  __WCLONE: 0x80000000,
} as const;

/** `si_code` values for SIGCHLD and user-sent signals. */
export const SI_CODE = {
  SI_USER: 0,
  SI_KERNEL: 0x80,
  SI_TKILL: -6,
  CLD_EXITED: 1,
  CLD_KILLED: 2,
  CLD_DUMPED: 3,
  CLD_TRAPPED: 4,
  CLD_STOPPED: 5,
  CLD_CONTINUED: 6,
  SEGV_MAPERR: 1,
  SEGV_ACCERR: 2,
  BUS_ADRALN: 1,
  BUS_ADRERR: 2,
  ILL_ILLOPC: 1,
  TRAP_BRKPT: 1,
} as const;

/**
 * Signal numbers (asm-generic/signal.h): the kernel's own numbering is
 * Linux's, so the personality passes them through unchanged.
 */
export { SIG };

/** Highest signal number (the rv32 sigset_t has 64 bits). */
export const NSIG = 64;
/** Size in bytes of the kernel `sigset_t` that rt_sig* calls require as `sigsetsize`. */
export const SIGSET_SIZE = 8;

/** `sigaction` flags and special handlers. */
export const SA = {
  NOCLDSTOP: 0x1,
  NOCLDWAIT: 0x2,
  SIGINFO: 0x4,
  UNSUPPORTED: 0x400,
  EXPOSE_TAGBITS: 0x800,
  ONSTACK: 0x08000000,
  RESTART: 0x10000000,
  NODEFER: 0x40000000,
  RESETHAND: 0x80000000,
  /** `SIG_DFL` handler value. */
  SIG_DFL: 0,
  /** `SIG_IGN` handler value. */
  SIG_IGN: 1,
} as const;

/** `rt_sigprocmask` operations. */
export const SIG_HOW = { BLOCK: 0, UNBLOCK: 1, SETMASK: 2 } as const;

/** Clock ids. */
export const CLOCK = {
  REALTIME: 0,
  MONOTONIC: 1,
  PROCESS_CPUTIME_ID: 2,
  THREAD_CPUTIME_ID: 3,
  MONOTONIC_RAW: 4,
  REALTIME_COARSE: 5,
  MONOTONIC_COARSE: 6,
  BOOTTIME: 7,
  REALTIME_ALARM: 8,
  BOOTTIME_ALARM: 9,
  TAI: 11,
  /** clock_nanosleep flag: the time is absolute. */
  TIMER_ABSTIME: 1,
} as const;

/** `reboot` magic numbers and commands (linux/reboot.h). */
export const REBOOT = {
  MAGIC1: 0xfee1dead,
  MAGIC2: 672274793,
  MAGIC2A: 85072278,
  MAGIC2B: 369367448,
  MAGIC2C: 537993216,
  CMD_RESTART: 0x01234567,
  CMD_HALT: 0xcdef0123,
  CMD_CAD_ON: 0x89abcdef,
  CMD_CAD_OFF: 0x00000000,
  CMD_POWER_OFF: 0x4321fedc,
  CMD_RESTART2: 0xa1b2c3d4,
  CMD_SW_SUSPEND: 0xd000fce2,
  CMD_KEXEC: 0x45584543,
} as const;

/** `getrandom` flags. */
export const GRND = { NONBLOCK: 1, RANDOM: 2, INSECURE: 4 } as const;

/** Terminal ioctl numbers (asm-generic/ioctls.h); passed through to the file's ioctl. */
export const IOCTL = {
  TCGETS: 0x5401,
  TCSETS: 0x5402,
  TCSETSW: 0x5403,
  TCSETSF: 0x5404,
  TIOCSCTTY: 0x540e,
  TIOCGPGRP: 0x540f,
  TIOCSPGRP: 0x5410,
  TIOCGWINSZ: 0x5413,
  TIOCSWINSZ: 0x5414,
  FIONREAD: 0x541b,
  FIONBIO: 0x5421,
  FIOCLEX: 0x5451,
  FIONCLEX: 0x5450,
} as const;

/** Size of `struct termios` on asm-generic (for the ioctl pass-through's pointer check). */
export const TERMIOS_SIZE = 36;

/** Auxiliary vector tags (linux/auxvec.h). */
export const AT = {
  NULL: 0,
  IGNORE: 1,
  EXECFD: 2,
  PHDR: 3,
  PHENT: 4,
  PHNUM: 5,
  PAGESZ: 6,
  BASE: 7,
  FLAGS: 8,
  ENTRY: 9,
  NOTELF: 10,
  UID: 11,
  EUID: 12,
  GID: 13,
  EGID: 14,
  PLATFORM: 15,
  HWCAP: 16,
  CLKTCK: 17,
  SECURE: 23,
  BASE_PLATFORM: 24,
  RANDOM: 25,
  HWCAP2: 26,
  EXECFN: 31,
  SYSINFO_EHDR: 33,
} as const;

/** AT_HWCAP of an RV32IMA hart: one bit per single-letter extension ('a' = bit 0). */
export const HWCAP_RV32IMA = (1 << ("i".charCodeAt(0) - 97)) |
  (1 << ("m".charCodeAt(0) - 97)) | (1 << ("a".charCodeAt(0) - 97));

/** Clock ticks per second reported in AT_CLKTCK and used by `times`. */
export const CLK_TCK = 100;

// ---------------------------------------------------------------- layouts

/** `struct __kernel_timespec` (16 bytes: s64 tv_sec, s64 tv_nsec). */
export const TIMESPEC64_SIZE = 16;

/** Writes a timespec64 for `ns` nanoseconds (non-negative) at `off`. */
export function writeTimespec64(view: DataView, off: number, ns: bigint): void {
  const sec = ns / 1_000_000_000n;
  const nsec = ns - sec * 1_000_000_000n;
  view.setBigInt64(off, sec, true);
  view.setBigInt64(off + 8, nsec, true);
}

/**
 * Reads a timespec64 at `off`; returns nanoseconds, or -1n when tv_nsec is
 * outside [0, 1e9) or tv_sec is negative (the caller answers EINVAL). As
 * Linux does for native 32-bit tasks, only the low 32 bits of tv_nsec count
 * (the upper half is padding for a 32-bit `long`).
 */
export function readTimespec64(view: DataView, off: number): bigint {
  const sec = view.getBigInt64(off, true);
  const nsec = view.getInt32(off + 8, true);
  if (sec < 0n || nsec < 0 || nsec >= 1_000_000_000) return -1n;
  return sec * 1_000_000_000n + BigInt(nsec);
}

/** `struct statx` size. */
export const STATX_SIZE = 256;

/** statx mask bits. */
export const STATX = {
  TYPE: 0x1,
  MODE: 0x2,
  NLINK: 0x4,
  UID: 0x8,
  GID: 0x10,
  ATIME: 0x20,
  MTIME: 0x40,
  CTIME: 0x80,
  INO: 0x100,
  SIZE: 0x200,
  BLOCKS: 0x400,
  BASIC_STATS: 0x7ff,
  BTIME: 0x800,
} as const;

/** Attributes that `encodeStatx` reads: the kernel's `Stat`. */
export type StatxSource = Stat;

function writeStatxTimestamp(view: DataView, off: number, ns: bigint): void {
  // Seconds round down, so nanoseconds stay in 0..999999999 before 1970 too.
  let sec = ns / 1_000_000_000n;
  if (ns - sec * 1_000_000_000n < 0n) sec -= 1n;
  view.setBigInt64(off, sec, true);
  view.setUint32(off + 8, Number(ns - sec * 1_000_000_000n), true);
  view.setInt32(off + 12, 0, true);
}

/**
 * Fills a 256-byte `struct statx` at `off` (zeroing it first). The basic
 * stats are always returned whatever `mask` asked for, as Linux may do; the
 * birth time is not known, so STATX_BTIME is never set in `stx_mask`.
 */
export function encodeStatx(view: DataView, off: number, st: StatxSource): void {
  for (let i = 0; i < STATX_SIZE; i += 4) view.setUint32(off + i, 0, true);
  view.setUint32(off + 0, STATX.BASIC_STATS, true);
  view.setUint32(off + 4, st.blksize >>> 0, true);
  view.setUint32(off + 16, st.nlink >>> 0, true);
  view.setUint32(off + 20, st.uid >>> 0, true);
  view.setUint32(off + 24, st.gid >>> 0, true);
  view.setUint16(off + 28, st.mode & 0xffff, true);
  view.setBigUint64(off + 32, BigInt(Math.max(0, st.ino)), true);
  view.setBigUint64(off + 40, BigInt(Math.max(0, st.size)), true);
  view.setBigUint64(off + 48, BigInt(Math.max(0, st.blocks)), true);
  writeStatxTimestamp(view, off + 64, st.atimeNs);
  writeStatxTimestamp(view, off + 96, st.ctimeNs);
  writeStatxTimestamp(view, off + 112, st.mtimeNs);
  view.setUint32(off + 128, (st.rdev >>> 8) & 0xfff, true);
  view.setUint32(off + 132, st.rdev & 0xff, true);
  view.setUint32(off + 136, (st.dev >>> 8) & 0xfff, true);
  view.setUint32(off + 140, st.dev & 0xff, true);
}

/** Fixed part of `struct linux_dirent64` before the name (ino 8, off 8, reclen 2, type 1). */
export const DIRENT64_HEADER = 19;

/** `d_type` for a file type (S_IFMT bits of a mode): DT_REG = 8, DT_DIR = 4, ... */
export function direntType(modeType: number): number {
  return (modeType >>> 12) & 0xf;
}

/** Record length of a dirent64 whose name has `nameBytes` UTF-8 bytes (NUL + 8-byte padding). */
export function dirent64RecordLength(nameBytes: number): number {
  return (DIRENT64_HEADER + nameBytes + 1 + 7) & ~7;
}

/**
 * Writes one `linux_dirent64` at `off` of `bytes`; returns its record length,
 * or 0 if it does not fit in `limit` bytes from `off`.
 */
export function encodeDirent64(
  bytes: Uint8Array,
  off: number,
  limit: number,
  ino: number,
  nextOffset: number,
  modeType: number,
  name: Uint8Array,
): number {
  const reclen = dirent64RecordLength(name.length);
  if (off + reclen > limit) return 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setBigUint64(off, BigInt(Math.max(0, ino)), true);
  view.setBigInt64(off + 8, BigInt(nextOffset), true);
  view.setUint16(off + 16, reclen, true);
  bytes[off + 18] = direntType(modeType);
  bytes.set(name, off + DIRENT64_HEADER);
  bytes.fill(0, off + DIRENT64_HEADER + name.length, off + reclen);
  return reclen;
}

/** Length of each `struct new_utsname` field (including the NUL). */
export const UTSNAME_FIELD = 65;
/** `struct new_utsname` size (six fields). */
export const UTSNAME_SIZE = 6 * UTSNAME_FIELD;

/** The six strings of `uname`. */
export interface Utsname {
  /** Operating system name. */
  sysname: string;
  /** Host name. */
  nodename: string;
  /** Release. */
  release: string;
  /** Version. */
  version: string;
  /** Machine (hardware) name. */
  machine: string;
  /** NIS domain name. */
  domainname: string;
}

/** Encodes a `struct new_utsname` (each field truncated to 64 bytes and NUL-terminated). */
export function encodeUtsname(u: Utsname): Uint8Array {
  const out = new Uint8Array(UTSNAME_SIZE);
  const enc = new TextEncoder();
  const fields = [u.sysname, u.nodename, u.release, u.version, u.machine, u.domainname];
  for (let i = 0; i < 6; i++) {
    const b = enc.encode(fields[i]).subarray(0, UTSNAME_FIELD - 1);
    out.set(b, i * UTSNAME_FIELD);
  }
  return out;
}

/** `struct iovec` size on rv32 (base, len). */
export const IOVEC_SIZE = 8;
/** Most iovecs a readv/writev may pass (UIO_MAXIOV). */
export const UIO_MAXIOV = 1024;

/** `siginfo_t` size. */
export const SIGINFO_SIZE = 128;

/** The fields of a siginfo the kernel fills in. */
export interface SiginfoFields {
  /** Signal number. */
  signo: number;
  /** Error number (0). */
  errno: number;
  /** si_code. */
  code: number;
  /** Sender or child pid (kill, SIGCHLD). */
  pid: number;
  /** Sender or child uid. */
  uid: number;
  /** SIGCHLD: exit status or signal. */
  status: number;
  /** SIGSEGV/SIGBUS/SIGILL: faulting address (used instead of pid/uid). */
  addr: number;
}

/**
 * Writes a 128-byte `siginfo_t` at `off` (zeroing it first). Fault signals
 * (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP) put `si_addr` at offset 12;
 * others put si_pid at 12, si_uid at 16 and, for SIGCHLD, si_status at 20.
 */
export function encodeSiginfo(view: DataView, off: number, f: SiginfoFields): void {
  for (let i = 0; i < SIGINFO_SIZE; i += 4) view.setUint32(off + i, 0, true);
  view.setInt32(off, f.signo, true);
  view.setInt32(off + 4, f.errno, true);
  view.setInt32(off + 8, f.code, true);
  const s = f.signo;
  if (s === SIG.SEGV || s === SIG.BUS || s === SIG.ILL || s === SIG.FPE || s === SIG.TRAP) {
    view.setUint32(off + 12, f.addr >>> 0, true);
  } else {
    view.setInt32(off + 12, f.pid, true);
    view.setUint32(off + 16, f.uid >>> 0, true);
    if (s === SIG.CHLD) view.setInt32(off + 20, f.status, true);
  }
}

/** `struct sigaction` as rt_sigaction reads it on riscv: handler, flags, mask (no restorer). */
export const SIGACTION_SIZE = 16;

/** A decoded `struct sigaction`. */
export interface SigactionFields {
  /** Handler address, SIG_DFL (0) or SIG_IGN (1). */
  handler: number;
  /** SA_* flags. */
  flags: number;
  /** Low 32 signals of sa_mask (bit n-1 = signal n). */
  maskLo: number;
  /** High 32 signals of sa_mask. */
  maskHi: number;
}

/** Decodes a `struct sigaction` at `off`. */
export function decodeSigaction(view: DataView, off: number): SigactionFields {
  return {
    handler: view.getUint32(off, true),
    flags: view.getUint32(off + 4, true),
    maskLo: view.getUint32(off + 8, true),
    maskHi: view.getUint32(off + 12, true),
  };
}

/** Encodes a `struct sigaction` at `off`. */
export function encodeSigaction(view: DataView, off: number, a: SigactionFields): void {
  view.setUint32(off, a.handler >>> 0, true);
  view.setUint32(off + 4, a.flags >>> 0, true);
  view.setUint32(off + 8, a.maskLo >>> 0, true);
  view.setUint32(off + 12, a.maskHi >>> 0, true);
}

/** `struct rusage` size on rv32 (two 32-bit timevals and fourteen longs). */
export const RUSAGE_SIZE = 72;

/** Writes a `struct rusage` with user and system times (ns), other fields zero. */
export function encodeRusage(view: DataView, off: number, userNs: number, sysNs: number): void {
  for (let i = 0; i < RUSAGE_SIZE; i += 4) view.setUint32(off + i, 0, true);
  const put = (o: number, ns: number) => {
    const us = Math.floor(ns / 1000);
    view.setInt32(o, Math.floor(us / 1_000_000), true);
    view.setInt32(o + 4, us % 1_000_000, true);
  };
  put(off, userNs);
  put(off + 8, sysNs);
}

/** `struct tms` size (four clock_t = 32-bit longs). */
export const TMS_SIZE = 16;
