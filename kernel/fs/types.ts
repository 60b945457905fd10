/**
 * The contract of the file layer: inodes, open file descriptions, the
 * operations a file system or device provides, and the VFS entry points that
 * personalities call (through `kernel/api.ts`).
 *
 * File type and permission bits use the POSIX `st_mode` encoding (S_IFDIR =
 * 0o040000, ...), which is the kernel's native encoding; the Win32
 * personality derives its attributes from it.
 *
 * @module
 */

import type { KStatus } from "../errors.ts";
import type { WaitQueue } from "../ipc/wait_queue.ts";

/** File type bits of `mode`. */
export const S_IFMT = 0o170000;
/** Socket. */
export const S_IFSOCK = 0o140000;
/** Symbolic link. */
export const S_IFLNK = 0o120000;
/** Regular file. */
export const S_IFREG = 0o100000;
/** Block device. */
export const S_IFBLK = 0o060000;
/** Directory. */
export const S_IFDIR = 0o040000;
/** Character device. */
export const S_IFCHR = 0o020000;
/** FIFO (pipe). */
export const S_IFIFO = 0o010000;
/** Sticky bit: in a directory, only an entry's owner may remove or rename it. */
export const S_ISVTX = 0o1000;

/** Kernel-native open flags (personalities translate their own to these). */
export const OpenFlags = {
  READ: 1,
  WRITE: 2,
  CREATE: 4,
  EXCL: 8,
  TRUNC: 16,
  APPEND: 32,
  DIRECTORY: 64,
  NONBLOCK: 128,
  NOFOLLOW: 256,
  CLOEXEC: 512,
  /** Open only the path (no read/write), like O_PATH. */
  PATH: 1024,
  /**
   * Open a program for exec (Linux's FMODE_EXEC): execute permission is
   * checked instead of read permission (root needs one execute bit), and
   * the description may be read.
   */
  EXEC: 2048,
} as const;

/** What `open` did, so Win32 can report "succeeded, and ERROR_ALREADY_EXISTS". */
export const OpenOutcome = { OPENED: 0, CREATED: 1, TRUNCATED: 2 } as const;

/** Attributes of an inode, as `stat` reports them. Times are nanoseconds of simulated or RTC time. */
export interface Stat {
  /** Device id of the file system. */
  dev: number;
  /** Inode number. */
  ino: number;
  /** Type and permission bits. */
  mode: number;
  /** Link count. */
  nlink: number;
  /** Owner. */
  uid: number;
  /** Group. */
  gid: number;
  /** Device number for device special files (major << 8 | minor). */
  rdev: number;
  /** Size in bytes. */
  size: number;
  /** Preferred I/O block size. */
  blksize: number;
  /** 512-byte blocks allocated. */
  blocks: number;
  /** Access time (ns since the epoch). */
  atimeNs: bigint;
  /** Modification time (ns). */
  mtimeNs: bigint;
  /** Status change time (ns). */
  ctimeNs: bigint;
}

/** A directory entry as `getdents64` returns it. */
export interface DirEntry {
  /** Inode number. */
  ino: number;
  /** Name (no slashes). */
  name: string;
  /** File type bits (S_IFMT part of mode). */
  type: number;
}

/**
 * Guest memory access for operations that take guest pointers (ioctl).
 * Implementations check every address and return null/false (K.FAULT to the
 * caller) for a bad pointer, never throw.
 */
export interface GuestMemory {
  /** Copies `length` bytes from guest virtual `addr`; null on a bad address. */
  copyIn(addr: number, length: number): Uint8Array | null;
  /** Copies `data` to guest virtual `addr`; false on a bad address. */
  copyOut(addr: number, data: Uint8Array): boolean;
}

/** Most bytes one {@link GuestSpan} covers (a read or write moves at most this much at once). */
export const GUEST_SPAN_MAX = 64 * 1024;

/**
 * A range of guest virtual memory already checked and resolved to RAM (every
 * page faulted in as the access would), so a file operation can copy between
 * its own buffer and guest memory directly, with no staging copy. Positions
 * count from the start of the range. A span stays valid only until the next
 * span of the same address space is made: operations use it at once and never
 * keep it. Copies into the span keep the CPU's decoded-code cache coherent;
 * the caller charges the transfer's simulated cost once, with `copied`.
 */
export interface GuestSpan {
  /** Bytes in the range. */
  readonly length: number;
  /** Copies `n` bytes of `src` from `srcOff` into the range at `at` (guest memory is written). */
  fill(at: number, src: Uint8Array, srcOff: number, n: number): void;
  /** Copies `n` bytes of the range from `at` into `dst` at `dstOff` (guest memory is read). */
  drain(at: number, dst: Uint8Array, dstOff: number, n: number): void;
  /** Charges the simulated cost of a transfer of `n` bytes (once per transfer, as a copy would). */
  copied(n: number): void;
}

/** The caller of a file operation: enough for permission and job-control checks. */
export interface FileCaller {
  /** Process id. */
  pid: number;
  /** Process group id. */
  pgid: number;
  /** Session id. */
  sid: number;
  /** Guest memory of the calling process. */
  memory: GuestMemory;
}

/** Bits of {@link FileOps.pollState}: kernel-native, a personality maps them to its own. */
export const PollState = {
  /** A read would not block (data, or end of file on a tty). */
  READABLE: 1,
  /** A write of up to PIPE_BUF bytes would not block. */
  WRITABLE: 2,
  /** The other side is gone: a pipe read end whose writers all closed. */
  HANGUP: 4,
  /** Writing would fail: a pipe write end whose readers all closed. */
  ERROR: 8,
} as const;

/**
 * Operations of an open file. Results are byte counts (>= 0) or negative
 * kernel statuses. An operation that would block returns `K.AGAIN` without
 * consuming anything; the caller then sleeps on `waitQueue(file, dir)` and
 * retries (see `kernel/ipc/wait_queue.ts`).
 */
export interface FileOps {
  /** Reads up to `buf.length` bytes at the file's offset (or from the stream). */
  read(file: OpenFile, buf: Uint8Array, caller: FileCaller): number;
  /** Writes `data` at the file's offset (or to the stream). */
  write(file: OpenFile, data: Uint8Array, caller: FileCaller): number;
  /**
   * Stream files only, optional: {@link read} straight into guest memory
   * (up to `span.length` bytes; the same results), so no staging buffer is
   * needed. Nothing is consumed unless the bytes reached the span. For files
   * whose reads do not depend on the caller (pipes; not ttys, which check
   * job control).
   */
  readSpan?(file: OpenFile, span: GuestSpan): number;
  /** Stream files only, optional: {@link write} of `span.length` bytes straight from guest memory. */
  writeSpan?(file: OpenFile, span: GuestSpan): number;
  /** Device control; `arg` is the raw argument (often a guest pointer). */
  ioctl?(file: OpenFile, cmd: number, arg: number, caller: FileCaller): number;
  /** Reads directory entries from the file's position; returns [] at the end. */
  readdir?(file: OpenFile): DirEntry[] | KStatus;
  /** The queue to sleep on when an operation returned K.AGAIN. */
  waitQueue?(file: OpenFile, direction: "read" | "write"): WaitQueue;
  /**
   * What poll would see right now: a mask of {@link PollState} bits. A file
   * without it is always readable and writable (regular files, as on Linux).
   */
  pollState?(file: OpenFile): number;
  /** Called when the last descriptor referring to the description is closed. */
  release?(file: OpenFile): void;
  /**
   * fsync (`dataOnly`: fdatasync): writes the file's dirty blocks and
   * flushes the device. K.OK when done, K.RESTART (through
   * `api.waitForIo`) while it waits, K.IO on a write error. Without it
   * there is nothing to write (memory file systems) and fsync succeeds.
   */
  fsync?(file: OpenFile, dataOnly: boolean): KStatus;
  /** The end lseek's SEEK_END counts from, for a device whose stat size is 0 (a block device). */
  seekSize?(file: OpenFile): number;
  /** True for streams where lseek gives K.SPIPE (pipes, ttys). */
  readonly isStream?: boolean;
}

/** An inode: a file, directory, device or link in some file system. */
export interface Inode {
  /** Inode number, unique within its file system. */
  readonly ino: number;
  /** Attributes (mode holds the type). */
  stat(): Stat;
  /** Operations used when this inode is opened. */
  readonly fileOps: FileOps;
}

/**
 * An open file description: shared by descriptors after dup and fork, with
 * one offset and one set of status flags.
 */
export interface OpenFile {
  /** The inode (null for anonymous objects such as pipes before pipefs). */
  readonly inode: Inode | null;
  /** Kernel-native open flags (OpenFlags). */
  flags: number;
  /** Current file offset. */
  offset: number;
  /** Reference count (descriptors and handles that point here). */
  refs: number;
  /** Private data of the file system or driver. */
  // deno-lint-ignore no-explicit-any
  priv: any;
  /** The absolute path it was opened by, for /proc/PID/fd and diagnostics. */
  path: string;
}
