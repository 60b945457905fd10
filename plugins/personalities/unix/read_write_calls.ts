/**
 * Moving data: read, write, readv, writev, pread64, pwrite64, llseek, fsync.
 *
 * Blocking follows the kernel's restart model: an operation that returns
 * K.AGAIN has consumed nothing, so the handler parks the thread on the
 * file's wait queue and the whole call runs again when woken. A read or
 * write of a pipe is finished by its waker instead (`ParkedCall`): the
 * writer that brings bytes copies them into the parked reader's buffer and
 * completes its call (a reader that frees room, the parked writer's rest),
 * so the sleeper resumes past its `ecall`; when that cannot complete the
 * call it restarts as any other. Pipes copy straight between guest memory
 * and their ring buffer (`api.userSpan`, the file's `readSpan`/`writeSpan`);
 * other files move data through one scratch buffer. No allocation per call
 * on the read/write path.
 *
 * - waitForFile, brokenPipe: the EAGAIN and EPIPE outcomes
 * - ParkedTransfer, parkedIo: the finish of a blocked pipe read or write
 * - readInto, writeFrom: one transfer between a file and guest memory
 * - spanRead, readDirect, writePiece: the direct copy (pipes) and the scratch copy
 * - readIovecs, vectorArgs, eachPiece: the iovec calls
 *
 * @module
 */

import {
  type FileCaller,
  K,
  type KernelApi,
  type KStatus,
  type OpenFile,
  OpenFlags,
  type ParkedCall,
  type Process,
  S_IFMT,
  S_IFREG,
  SIG,
  type Thread,
} from "../../../kernel/api.ts";
import { IOVEC_SIZE, UIO_MAXIOV } from "./abi.ts";
import { fsizeAllowance } from "./fsize_limit.ts";
import {
  arg,
  callerOf,
  fileOf,
  isStreamFile,
  length64,
  scratch,
  SCRATCH_SIZE,
  scratchBytes,
  scratchView,
  threadData,
  uarg,
} from "./common.ts";

/**
 * Parks `t` on the file's queue for `dir`, or answers EAGAIN for a
 * non-blocking file; `finish`, when given, may complete the call at the wake.
 */
function waitForFile(
  t: Thread,
  api: KernelApi,
  file: OpenFile,
  dir: "read" | "write",
  finish: ParkedTransfer | null = null,
): number {
  if (file.flags & 128 /* OpenFlags.NONBLOCK */) return -11; // K.AGAIN
  const q = api.vfs.waitQueue(file, dir);
  return q === null ? -11 /* K.AGAIN */ : api.block(t, q, finish);
}

/**
 * The finish of a blocked read or write of a direct file (a pipe): what the
 * call moves (file, guest buffer, count), kept while its thread sleeps. Run
 * by the waker, it does what the restarted call would: one span read, or
 * the write's remaining pieces; it completes the call only when that
 * answers without blocking (bytes, or end of file), and leaves anything
 * else (an error, EPIPE, no room or no bytes left, a bad buffer) to the
 * restart, which answers it as before. One per thread, reused.
 */
export class ParkedTransfer implements ParkedCall {
  /** The file the call moves data with. */
  file: OpenFile | null = null;
  /** Guest address of the buffer. */
  buf = 0;
  /** Bytes asked for (a read: at most the scratch size). */
  count = 0;
  /** True for a write. */
  writing = false;
  readonly #api: KernelApi;

  /** Creates the (idle) finish of a thread's transfers. */
  constructor(api: KernelApi) {
    this.#api = api;
  }

  /** Completes the parked call if it can move its bytes now (see the class notes). */
  finish(t: Thread): boolean {
    const file = this.file;
    this.file = null;
    if (file === null) return false;
    return this.writing ? this.#write(t, file) : this.#read(t, file);
  }

  #read(t: Thread, file: OpenFile): boolean {
    const n = spanRead(this.#api, t.process, file, this.buf, this.count);
    if (n < 0) return false;
    t.regs[10] = n;
    return true;
  }

  #write(t: Thread, file: OpenFile): boolean {
    const api = this.#api;
    const count = this.count;
    let done = t.restartState >= 0 ? t.restartState : 0;
    while (done < count) {
      const n = writePiece(
        api,
        t.process,
        file,
        this.buf + done,
        count - done < 65536 ? count - done : 65536, // SCRATCH_SIZE
        null,
      );
      if (n < 0) {
        // Whatever went in stays written: the restarted call goes on from there.
        if (done > 0) t.restartState = t.partialResult = done;
        return false;
      }
      done += n;
    }
    t.regs[10] = done;
    return true;
  }
}

/** `t`'s finish, set up for a transfer of `count` bytes at `buf` with `file`. */
function parkedIo(
  t: Thread,
  api: KernelApi,
  file: OpenFile,
  buf: number,
  count: number,
  writing: boolean,
): ParkedTransfer {
  const d = threadData(t);
  const io = d.parkedIo ?? (d.parkedIo = new ParkedTransfer(api));
  io.file = file;
  io.buf = buf;
  io.count = count;
  io.writing = writing;
  return io;
}

/**
 * Checks that `[buf, buf+len)` of the guest is writable. Used before reading
 * a stream, because bytes taken from a pipe or tty cannot be put back if the
 * copy to a bad buffer then fails: Linux leaves them in the pipe and answers
 * EFAULT, and so must we.
 */
function probeWritable(api: KernelApi, p: Process, buf: number, len: number): boolean {
  return api.checkAccess(p, buf, len, true);
}

/**
 * Reads up to `count` bytes of `file` into guest `buf`. Streams (pipes,
 * ttys) get one read (short counts are normal there); other files are read
 * in scratch-sized pieces until `count` or end of file, and on a bad buffer
 * their offset is put back to where the faulting piece started.
 */
function readInto(
  t: Thread,
  api: KernelApi,
  file: OpenFile,
  buf: number,
  count: number,
): number {
  if (api.vfs.directIo(file, false)) return readDirect(t, api, file, buf, count);
  const p = t.process;
  const caller = callerOf(p, api);
  const stream = isStreamFile(file);
  if (stream && !probeWritable(api, p, buf, Math.min(count, SCRATCH_SIZE))) return K.FAULT;
  let done = 0;
  while (done < count) {
    const want = Math.min(count - done, SCRATCH_SIZE);
    const before = file.offset;
    const n = api.vfs.read(file, scratchBytes(want), caller);
    if (n < 0) {
      if (done > 0) return done;
      return n === K.AGAIN ? waitForFile(t, api, file, "read") : n;
    }
    if (n === 0) break;
    if (!api.copyOut(p, buf + done, scratchBytes(n))) {
      if (!stream) file.offset = before;
      return done > 0 ? done : K.FAULT;
    }
    done += n;
    // Only regular files are read on past one buffer; streams return what they have.
    if (done >= count || n < want || stream || !isRegular(file)) break;
  }
  return done;
}

/**
 * One read of a direct file into `want` guest bytes at `buf` of `p`: the
 * destination is resolved first, so a bad buffer gives EFAULT with the
 * data left in the stream. The count, or the file's status.
 */
function spanRead(api: KernelApi, p: Process, file: OpenFile, buf: number, want: number): number {
  const span = api.userSpan(p, buf, want, true);
  if (span === null) return -14; // K.FAULT (a literal: K's fields cost a map check and a load)
  const n = api.vfs.readSpan(file, span);
  if (n > 0) span.copied(n);
  return n;
}

/**
 * One read of a stream that copies straight into guest memory (a pipe), up
 * to the scratch size (as the probe of other streams); an empty pipe parks
 * the thread with the finish that completes this read at the wake.
 */
function readDirect(
  t: Thread,
  api: KernelApi,
  file: OpenFile,
  buf: number,
  count: number,
): number {
  // (SCRATCH_SIZE 65536 as a literal: an imported binding costs a load and a hole check.)
  const want = count < 65536 ? count : 65536;
  const n = spanRead(api, t.process, file, buf, want);
  if (n !== -11 /* K.AGAIN */) return n;
  return waitForFile(t, api, file, "read", parkedIo(t, api, file, buf, want, false));
}

/** True for a regular file (reads continue past one scratch buffer only there). */
function isRegular(file: OpenFile): boolean {
  return file.inode !== null && (file.inode.stat().mode & S_IFMT) === S_IFREG;
}

/** Reports a write to a pipe with no reader: SIGPIPE to the thread, then EPIPE. */
function brokenPipe(t: Thread, api: KernelApi): number {
  api.tgkill(null, t.process.pid, t.tid, SIG.PIPE);
  return K.PIPE;
}

/**
 * Writes `count` bytes from guest `buf` to `file`, in scratch-sized pieces.
 * `first` is false when an earlier part of the same call already wrote
 * something: then it must neither block nor raise SIGPIPE.
 */
function writeFrom(
  t: Thread,
  api: KernelApi,
  file: OpenFile,
  buf: number,
  count: number,
  first = true,
): number {
  const p = t.process;
  const direct = api.vfs.directIo(file, true);
  const caller = direct ? null : callerOf(p, api);
  // RLIMIT_FSIZE limits regular files only (direct files are streams).
  if (!direct) {
    const allowed = fsizeAllowance(t, api, file, count);
    if (allowed < 0) return allowed;
    count = allowed;
  }
  // A blocking write to a pipe or tty waits until all of it is written, as
  // POSIX asks; the bytes already written survive the restart of the call.
  // (Literals on this path: OpenFlags.NONBLOCK 128, K.AGAIN -11, K.PIPE -32.)
  const waitForAll = first && (file.flags & 128) === 0 && (direct || isStreamFile(file));
  let done = waitForAll && t.restartState >= 0 ? t.restartState : 0;
  while (done < count) {
    const left = count - done;
    const want = left < 65536 ? left : 65536; // SCRATCH_SIZE
    const n = writePiece(api, p, file, buf + done, want, caller);
    if (n < 0) {
      if (n === -11 && waitForAll) {
        if (done > 0) t.restartState = t.partialResult = done;
        const finish = direct ? parkedIo(t, api, file, buf, count, true) : null;
        return waitForFile(t, api, file, "write", finish);
      }
      if (done > 0 || !first) return done > 0 ? done : n;
      if (n === -11) return waitForFile(t, api, file, "write");
      if (n === -32) return brokenPipe(t, api);
      return n;
    }
    done += n;
    if (n < want && !waitForAll) break;
  }
  return done;
}

/**
 * One write of `want` guest bytes at `addr` to `file`: straight from guest
 * memory (a direct file: no `caller`) or through the scratch buffer. The file's count or
 * status; K.FAULT, with nothing written, on a bad buffer. The copy is
 * charged before the write, whatever the write does.
 */
function writePiece(
  api: KernelApi,
  p: Process,
  file: OpenFile,
  addr: number,
  want: number,
  caller: FileCaller | null,
): number {
  if (caller === null) {
    const span = api.userSpan(p, addr, want, false);
    if (span === null) return -14; // K.FAULT
    span.copied(want);
    return api.vfs.writeSpan(file, span);
  }
  const chunk = scratchBytes(want);
  if (!api.copyInto(p, addr, chunk)) return K.FAULT;
  return api.vfs.write(file, chunk, caller);
}

/**
 * The open file of descriptor a0 when it was opened with `mode` (1 read, 2
 * write: OpenFlags.READ and WRITE), else null (EBADF). Small, so V8 inlines
 * it into read and write with `mode` a constant.
 */
function fileArg(t: Thread, api: KernelApi, mode: number): OpenFile | null {
  const fd = t.regs[10];
  const file = fd < 0 ? null : api.fdGet(t.process, fd);
  return file === null || (file.flags & mode) === 0 ? null : file;
}

/** The byte count of a2, capped as Linux caps one read or write (0x7ffff000). */
function countArg(t: Thread): number {
  const size = t.regs[12] >>> 0;
  return size < 0x7fff_f000 ? size : 0x7fff_f000;
}

/** read(fd, buf, count). */
export function sysRead(t: Thread, api: KernelApi): number {
  // Status values are literals here (K.BADF -9): a module object's field
  // costs a map check and a load on every call.
  const file = fileArg(t, api, 1);
  if (file === null) return -9;
  const count = countArg(t);
  if (count === 0) return 0;
  return readInto(t, api, file, t.regs[11] >>> 0, count);
}

/** write(fd, buf, count). */
export function sysWrite(t: Thread, api: KernelApi): number {
  // Literals as in sysRead.
  const file = fileArg(t, api, 2);
  if (file === null) return -9;
  const count = countArg(t);
  if (count === 0) return 0;
  return writeFrom(t, api, file, t.regs[11] >>> 0, count);
}

/** Reads an iovec array into [base, len] pairs; status on a bad count or pointer. */
function readIovecs(
  api: KernelApi,
  p: Process,
  iov: number,
  iovcnt: number,
): number[] | KStatus {
  if (iovcnt < 0 || iovcnt > UIO_MAXIOV) return K.INVAL;
  const raw = api.copyIn(p, iov, iovcnt * IOVEC_SIZE);
  if (raw === null) return K.FAULT;
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  let total = 0;
  for (let i = 0; i < iovcnt; i++) {
    const base = v.getUint32(i * 8, true);
    const len = v.getUint32(i * 8 + 4, true);
    if (len > 0x7fff_ffff) return K.INVAL;
    total += len;
    if (total > 0x7fff_ffff) return K.INVAL;
    out.push(base, len);
  }
  return out;
}

/** The checked arguments of readv/writev: the file (opened for `need`), its iovec pairs, their total. */
function vectorArgs(
  t: Thread,
  api: KernelApi,
  need: number,
): { p: Process; file: OpenFile; iov: number[]; total: number } | number {
  const p = t.process;
  const file = fileOf(api, p, arg(t, 0));
  if (file === null || !(file.flags & need)) return K.BADF;
  const iov = readIovecs(api, p, uarg(t, 1), arg(t, 2));
  if (typeof iov === "number") return iov;
  let total = 0;
  for (let i = 1; i < iov.length; i += 2) total += iov[i];
  return { p, file, iov, total };
}

/**
 * Moves the iovec pieces one after the other with `step`, stopping at the
 * first short transfer; an error after some progress returns the progress.
 */
function eachPiece(
  iov: number[],
  step: (base: number, len: number, first: boolean) => number,
): number {
  let done = 0;
  for (let i = 0; i < iov.length; i += 2) {
    const len = iov[i + 1];
    if (len === 0) continue;
    const n = step(iov[i], len, done === 0);
    if (n < 0) return done > 0 ? done : n;
    done += n;
    if (n < len) break;
  }
  return done;
}

/**
 * writev(fd, iov, iovcnt): when the total fits the scratch buffer (64 KiB)
 * the pieces are gathered and written with one file write, so a writev of
 * at most PIPE_BUF bytes to a pipe is atomic as on Linux; larger totals are
 * written piece by piece, stopping at the first short write.
 */
export function sysWritev(t: Thread, api: KernelApi): number {
  const v = vectorArgs(t, api, OpenFlags.WRITE);
  if (typeof v === "number") return v;
  const { p, file, iov, total } = v;
  if (total === 0) return 0;
  if (total <= SCRATCH_SIZE) {
    let fill = 0;
    for (let i = 0; i < iov.length; i += 2) {
      const len = iov[i + 1];
      if (len > 0 && !api.copyInto(p, iov[i], scratch.subarray(fill, fill + len))) {
        return K.FAULT;
      }
      fill += len;
    }
    const allowed = fsizeAllowance(t, api, file, fill);
    if (allowed < 0) return allowed;
    const n = api.vfs.write(file, scratch.subarray(0, allowed), callerOf(p, api));
    if (n === K.AGAIN) return waitForFile(t, api, file, "write");
    if (n === K.PIPE) return brokenPipe(t, api);
    return n;
  }
  return eachPiece(iov, (base, len, first) => writeFrom(t, api, file, base, len, first));
}

/**
 * readv(fd, iov, iovcnt): one file read (up to the scratch size) scattered
 * over the pieces; regular files with more than that are read piece by piece.
 */
export function sysReadv(t: Thread, api: KernelApi): number {
  const v = vectorArgs(t, api, OpenFlags.READ);
  if (typeof v === "number") return v;
  const { p, file, iov, total } = v;
  const want = Math.min(total, SCRATCH_SIZE);
  if (want === 0) return 0;
  if (total > SCRATCH_SIZE && isRegular(file)) {
    // Regular files never block: fill the pieces one after the other.
    return eachPiece(iov, (base, len) => readInto(t, api, file, base, len));
  }
  if (isStreamFile(file)) {
    // Check every piece first: stream data cannot be put back after a fault.
    let left = want;
    for (let i = 0; i < iov.length && left > 0; i += 2) {
      const take = Math.min(iov[i + 1], left);
      if (take > 0 && !probeWritable(api, p, iov[i], take)) return K.FAULT;
      left -= take;
    }
  }
  const before = file.offset;
  const n = api.vfs.read(file, scratch.subarray(0, want), callerOf(p, api));
  if (n < 0) return n === K.AGAIN ? waitForFile(t, api, file, "read") : n;
  let off = 0;
  for (let i = 0; i < iov.length && off < n; i += 2) {
    const take = Math.min(iov[i + 1], n - off);
    if (take > 0 && !api.copyOut(p, iov[i], scratch.subarray(off, off + take))) {
      if (!isStreamFile(file)) file.offset = before + off;
      return off > 0 ? off : K.FAULT;
    }
    off += take;
  }
  return n;
}

/** llseek(fd, offset_high, offset_low, result, whence): the 64-bit result is stored at `result`. */
export function sysLlseek(t: Thread, api: KernelApi): number {
  const p = t.process;
  const file = fileOf(api, p, arg(t, 0));
  if (file === null) return K.BADF;
  const offset = arg(t, 1) * 0x1_0000_0000 + uarg(t, 2);
  const result = uarg(t, 3);
  const whence = uarg(t, 4);
  if (whence > 2) return K.INVAL;
  const saved = file.offset;
  const r = api.vfs.lseek(file, offset, whence);
  if (r < 0) return r;
  scratchView.setBigInt64(0, BigInt(r), true);
  if (!api.copyOut(p, result, scratch.subarray(0, 8))) {
    file.offset = saved;
    return K.FAULT;
  }
  return 0;
}

/**
 * fsync(fd): the file's dirty blocks are written and its disk flushed (a
 * block device node, a file of a disk file system); memory file systems have
 * nothing to write. Waits (restarts) until the disk is done; EIO on a write
 * error, EBADF for a bad fd.
 */
export function sysFsync(t: Thread, api: KernelApi): number {
  const file = fileOf(api, t.process, arg(t, 0));
  return file === null ? K.BADF : api.vfs.fsync(file, false);
}

/** fdatasync(fd): as fsync, but a file's attributes need not be written (only what reads need). */
export function sysFdatasync(t: Thread, api: KernelApi): number {
  const file = fileOf(api, t.process, arg(t, 0));
  return file === null ? K.BADF : api.vfs.fsync(file, true);
}

/**
 * sync(): every mounted file system writes what it has dirty, then every
 * disk's dirty blocks are written (data before metadata) and the drives
 * flushed. Returns when all of it is done (Linux waits too).
 */
export function sysSync(_t: Thread, api: KernelApi): number {
  const r = api.vfs.syncAll();
  if (r === K.RESTART) return r;
  const d = api.syncDisks();
  return d === K.RESTART ? d : 0;
}

/** syncfs(fd): syncs the file system of `fd`; EIO on a write error. */
export function sysSyncfs(t: Thread, api: KernelApi): number {
  const file = fileOf(api, t.process, arg(t, 0));
  return file === null ? K.BADF : api.vfs.syncfs(file);
}

/**
 * The checked arguments of pread64/pwrite64 (fd, buf, count, pos_lo,
 * pos_hi): the file, its position and the count capped at the scratch size.
 */
function positionalArgs(
  t: Thread,
  api: KernelApi,
): { p: Process; file: OpenFile; pos: number; want: number } | KStatus {
  const p = t.process;
  const file = fileOf(api, p, arg(t, 0));
  if (file === null) return K.BADF;
  const pos = length64(uarg(t, 3), arg(t, 4));
  if (pos < 0) return K.INVAL;
  return { p, file, pos, want: Math.min(uarg(t, 2), SCRATCH_SIZE) };
}

/** pread64(fd, buf, count, pos_lo, pos_hi): at most 64 KiB per call. */
export function sysPread64(t: Thread, api: KernelApi): number {
  const a = positionalArgs(t, api);
  if (typeof a === "number") return a;
  const { p, file, pos, want } = a;
  if (want === 0) return 0;
  const n = api.vfs.pread(file, scratch.subarray(0, want), pos, callerOf(p, api));
  if (n <= 0) return n;
  return api.copyOut(p, uarg(t, 1), scratch.subarray(0, n)) ? n : K.FAULT;
}

/** pwrite64(fd, buf, count, pos_lo, pos_hi): at most 64 KiB per call. */
export function sysPwrite64(t: Thread, api: KernelApi): number {
  const a = positionalArgs(t, api);
  if (typeof a === "number") return a;
  const { p, file, pos } = a;
  if (a.want === 0) return 0;
  const want = fsizeAllowance(t, api, file, a.want, pos);
  if (want < 0) return want;
  const chunk = scratch.subarray(0, want);
  if (!api.copyInto(p, uarg(t, 1), chunk)) return K.FAULT;
  return api.vfs.pwrite(file, chunk, pos, callerOf(p, api));
}
