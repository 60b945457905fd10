/**
 * File calls of the Unix personality: openat, close, read, write, readv,
 * writev, llseek, statx, getdents64, dup, dup3, pipe2, chdir, fchdir,
 * getcwd, mkdirat, unlinkat, fcntl64, ioctl, faccessat, readlinkat.
 *
 * Blocking follows the kernel's restart model: an operation that returns
 * K.AGAIN has consumed nothing, so the handler parks the thread on the
 * file's wait queue and the whole call runs again when woken. Data moves
 * through one scratch buffer (no allocation per call on the read/write path).
 *
 * @module
 */

import {
  BLOCK,
  createPipe,
  type FileOps,
  K,
  type KernelApi,
  type KStatus,
  type OpenFile,
  OpenFlags,
  type PathLoc,
  PollState,
  type Process,
  S_IFMT,
  S_IFREG,
  SIG,
  type Stat,
  type Thread,
  type WaitQueue,
} from "../../../kernel/api.ts";
import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_NO_AUTOMOUNT,
  AT_REMOVEDIR,
  AT_STATX_SYNC_TYPE,
  AT_SYMLINK_FOLLOW,
  AT_SYMLINK_NOFOLLOW,
  encodeDirent64,
  encodeStatx,
  F,
  IOCTL,
  IOVEC_SIZE,
  O,
  readTimespec64,
  STATX_SIZE,
  UIO_MAXIOV,
  writeTimespec64,
} from "./abi.ts";
import {
  arg,
  baseFor,
  callerOf,
  credOf,
  fileOf,
  procData,
  readPath,
  scratch,
  SCRATCH_SIZE,
  scratchBytes,
  scratchView,
  uarg,
} from "./common.ts";
import { markNoRestart } from "./time_calls.ts";

/** Translates Linux open flags to kernel OpenFlags; K.INVAL for a bad access mode. */
export function openFlagsFromLinux(flags: number): number {
  let k = 0;
  if (flags & O.PATH) {
    // O_PATH keeps only O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC, as on Linux.
    k = OpenFlags.PATH;
    if (flags & O.DIRECTORY) k |= OpenFlags.DIRECTORY;
    if (flags & O.NOFOLLOW) k |= OpenFlags.NOFOLLOW;
    if (flags & O.CLOEXEC) k |= OpenFlags.CLOEXEC;
    return k;
  } else {
    switch (flags & O.ACCMODE) {
      case O.RDONLY:
        k = OpenFlags.READ;
        break;
      case O.WRONLY:
        k = OpenFlags.WRITE;
        break;
      case O.RDWR:
        k = OpenFlags.READ | OpenFlags.WRITE;
        break;
      default:
        return K.INVAL;
    }
  }
  if (flags & O.CREAT) k |= OpenFlags.CREATE;
  if (flags & O.EXCL) k |= OpenFlags.EXCL;
  if (flags & O.TRUNC) k |= OpenFlags.TRUNC;
  if (flags & O.APPEND) k |= OpenFlags.APPEND;
  if (flags & O.DIRECTORY) k |= OpenFlags.DIRECTORY;
  if (flags & O.NONBLOCK) k |= OpenFlags.NONBLOCK;
  if (flags & O.NOFOLLOW) k |= OpenFlags.NOFOLLOW;
  if (flags & O.CLOEXEC) k |= OpenFlags.CLOEXEC;
  return k;
}

/** Linux status flags (F_GETFL) of an open file. */
export function linuxFlagsOf(file: OpenFile): number {
  const k = file.flags;
  if (k & OpenFlags.PATH) return O.PATH;
  let f = (k & OpenFlags.READ) && (k & OpenFlags.WRITE)
    ? O.RDWR
    : (k & OpenFlags.WRITE)
    ? O.WRONLY
    : O.RDONLY;
  if (k & OpenFlags.APPEND) f |= O.APPEND;
  if (k & OpenFlags.NONBLOCK) f |= O.NONBLOCK;
  if (k & OpenFlags.DIRECTORY) f |= O.DIRECTORY;
  return f;
}

/** openat(dirfd, path, flags, mode). O_TMPFILE gives EOPNOTSUPP. */
export function sysOpenat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const flags = uarg(t, 2);
  if ((flags & O.TMPFILE) === O.TMPFILE) return K.NOTSUP;
  const kflags = openFlagsFromLinux(flags);
  if (kflags < 0) return kflags;
  const path = readPath(api, p, uarg(t, 1));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 0), path);
  if (typeof base === "number") return base;
  const mode = uarg(t, 3) & 0o7777 & ~p.umask;
  const r = api.vfs.open(base, path, kflags & ~OpenFlags.CLOEXEC, mode, credOf(p));
  if (typeof r === "number") return r;
  const fd = api.fdInstall(p, r.file, (kflags & OpenFlags.CLOEXEC) !== 0);
  if (fd < 0) api.vfs.close(r.file);
  return fd;
}

/** close(fd). */
export function sysClose(t: Thread, api: KernelApi): number {
  return api.fdClose(t.process, arg(t, 0));
}

/** Parks `t` on the file's queue for `dir`, or answers EAGAIN for a non-blocking file. */
function waitForFile(t: Thread, api: KernelApi, file: OpenFile, dir: "read" | "write"): number {
  if (file.flags & OpenFlags.NONBLOCK) return K.AGAIN;
  const q = api.vfs.waitQueue(file, dir);
  return q === null ? K.AGAIN : api.block(t, q);
}

/**
 * True for stream files (pipes, ttys): what they hand out is gone once
 * read. The VFS's open file description carries the operations actually in
 * use (a device's, for device nodes); fall back to the inode's.
 */
function isStreamFile(file: OpenFile): boolean {
  const ops = (file as { ops?: FileOps }).ops ?? file.inode?.fileOps;
  return ops?.isStream === true;
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
  const caller = callerOf(p, api);
  // A blocking write to a pipe or tty waits until all of it is written, as
  // POSIX asks; the bytes already written survive the restart of the call.
  const waitForAll = first && (file.flags & OpenFlags.NONBLOCK) === 0 && isStreamFile(file);
  let done = waitForAll && t.restartState >= 0 ? t.restartState : 0;
  while (done < count) {
    const want = Math.min(count - done, SCRATCH_SIZE);
    const chunk = scratchBytes(want);
    if (!api.copyInto(p, buf + done, chunk)) return done > 0 ? done : K.FAULT;
    const n = api.vfs.write(file, chunk, caller);
    if (n < 0) {
      if (n === K.AGAIN && waitForAll && done > 0) {
        t.restartState = done;
        t.partialResult = done;
        return waitForFile(t, api, file, "write");
      }
      if (done > 0 || !first) return done > 0 ? done : n;
      if (n === K.AGAIN) return waitForFile(t, api, file, "write");
      if (n === K.PIPE) return brokenPipe(t, api);
      return n;
    }
    done += n;
    if (n < want && !waitForAll) break;
  }
  return done;
}

/** read(fd, buf, count). */
export function sysRead(t: Thread, api: KernelApi): number {
  const file = fileOf(api, t.process, arg(t, 0));
  if (file === null) return K.BADF;
  const count = Math.min(uarg(t, 2), 0x7fff_f000);
  if (!(file.flags & OpenFlags.READ)) return K.BADF;
  if (count === 0) return 0;
  return readInto(t, api, file, uarg(t, 1), count);
}

/** write(fd, buf, count). */
export function sysWrite(t: Thread, api: KernelApi): number {
  const file = fileOf(api, t.process, arg(t, 0));
  if (file === null) return K.BADF;
  const count = Math.min(uarg(t, 2), 0x7fff_f000);
  if (!(file.flags & OpenFlags.WRITE)) return K.BADF;
  if (count === 0) return 0;
  return writeFrom(t, api, file, uarg(t, 1), count);
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
    const n = api.vfs.write(file, scratch.subarray(0, fill), callerOf(p, api));
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

const STATX_FLAGS = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE;

/** Resolves the stat of (dirfd, path, flags) the way statx does. */
function statAt(
  api: KernelApi,
  p: Process,
  dirfd: number,
  pathAddr: number,
  flags: number,
): Stat | KStatus {
  const path = readPath(api, p, pathAddr, (flags & AT_EMPTY_PATH) !== 0);
  if (typeof path === "number") return path;
  if (path === "") {
    if (dirfd === AT_FDCWD) return api.vfs.stat(api.cwd(p), ".", credOf(p));
    const file = fileOf(api, p, dirfd);
    return file === null ? K.BADF : api.vfs.fstat(file);
  }
  const base = baseFor(api, p, dirfd, path);
  if (typeof base === "number") return base;
  return (flags & AT_SYMLINK_NOFOLLOW)
    ? api.vfs.lstat(base, path, credOf(p))
    : api.vfs.stat(base, path, credOf(p));
}

/** statx(dirfd, path, flags, mask, buf). The basic stats are always filled; no birth time. */
export function sysStatx(t: Thread, api: KernelApi): number {
  const p = t.process;
  const flags = uarg(t, 2);
  const mask = uarg(t, 3);
  const buf = uarg(t, 4);
  if ((flags & ~STATX_FLAGS) !== 0) return K.INVAL;
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) return K.INVAL;
  if ((mask & 0x8000_0000) !== 0) return K.INVAL; // STATX__RESERVED
  const st = statAt(api, p, arg(t, 0), uarg(t, 1), flags);
  if (typeof st === "number") return st;
  encodeStatx(scratchView, 0, st);
  return api.copyOut(p, buf, scratch.subarray(0, STATX_SIZE)) ? 0 : K.FAULT;
}

const te = new TextEncoder();

/** getdents64(fd, dirp, count). */
export function sysGetdents64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const file = fileOf(api, p, arg(t, 0));
  if (file === null) return K.BADF;
  const dirp = uarg(t, 1);
  const count = Math.min(uarg(t, 2), SCRATCH_SIZE);
  const entries = api.vfs.readdir(file);
  if (typeof entries === "number") return entries;
  let used = 0;
  let consumed = 0;
  for (const e of entries) {
    const n = encodeDirent64(
      scratch,
      used,
      count,
      e.ino,
      file.offset + consumed + 1,
      e.type,
      te.encode(e.name),
    );
    if (n === 0) break;
    used += n;
    consumed++;
  }
  if (consumed === 0 && entries.length > 0) return K.INVAL; // buffer too small for one entry
  if (used > 0 && !api.copyOut(p, dirp, scratch.subarray(0, used))) return K.FAULT;
  file.offset += consumed;
  return used;
}

/** dup(fd). */
export function sysDup(t: Thread, api: KernelApi): number {
  return api.fdDup(t.process, arg(t, 0), 0, false);
}

/** dup3(oldfd, newfd, flags): flags may hold only O_CLOEXEC; oldfd == newfd is EINVAL. */
export function sysDup3(t: Thread, api: KernelApi): number {
  const oldFd = arg(t, 0);
  const newFd = arg(t, 1);
  const flags = uarg(t, 2);
  if ((flags & ~O.CLOEXEC) !== 0) return K.INVAL;
  if (oldFd === newFd) return K.INVAL;
  if (newFd < 0 || newFd >= api.maxFds) return K.BADF;
  return api.fdDup3(t.process, oldFd, newFd, (flags & O.CLOEXEC) !== 0);
}

/** pipe2(fds, flags): O_CLOEXEC and O_NONBLOCK; O_DIRECT (packet mode) is EINVAL. */
export function sysPipe2(t: Thread, api: KernelApi): number {
  const p = t.process;
  const fds = uarg(t, 0);
  const flags = uarg(t, 1);
  if ((flags & ~(O.CLOEXEC | O.NONBLOCK)) !== 0) return K.INVAL;
  const cloexec = (flags & O.CLOEXEC) !== 0;
  const { reader, writer } = createPipe({
    flags: (flags & O.NONBLOCK) ? OpenFlags.NONBLOCK : 0,
  });
  const rfd = api.fdInstall(p, reader, cloexec);
  if (rfd < 0) {
    api.vfs.close(reader);
    api.vfs.close(writer);
    return rfd;
  }
  const wfd = api.fdInstall(p, writer, cloexec);
  if (wfd < 0) {
    api.fdClose(p, rfd);
    api.vfs.close(writer);
    return wfd;
  }
  scratchView.setInt32(0, rfd, true);
  scratchView.setInt32(4, wfd, true);
  if (!api.copyOut(p, fds, scratch.subarray(0, 8))) {
    api.fdClose(p, rfd);
    api.fdClose(p, wfd);
    return K.FAULT;
  }
  return 0;
}

/** chdir(path). */
export function sysChdir(t: Thread, api: KernelApi): number {
  const path = readPath(api, t.process, uarg(t, 0));
  if (typeof path === "number") return path;
  return api.chdir(t.process, path);
}

/** fchdir(fd). */
export function sysFchdir(t: Thread, api: KernelApi): number {
  const p = t.process;
  const file = fileOf(api, p, arg(t, 0));
  if (file === null) return K.BADF;
  const loc = api.vfs.chdir(null, file.path, credOf(p));
  if (typeof loc === "number") return loc;
  api.setCwd(p, loc as PathLoc);
  return 0;
}

/** getcwd(buf, size): returns the length including the NUL, as the raw syscall does. */
export function sysGetcwd(t: Thread, api: KernelApi): number {
  const p = t.process;
  const buf = uarg(t, 0);
  const size = uarg(t, 1);
  const bytes = te.encode(api.cwd(p).path);
  if (bytes.length + 1 > size) return K.RANGE;
  if (bytes.length + 1 > SCRATCH_SIZE) return K.NAMETOOLONG;
  scratch.set(bytes, 0);
  scratch[bytes.length] = 0;
  return api.copyOut(p, buf, scratch.subarray(0, bytes.length + 1)) ? bytes.length + 1 : K.FAULT;
}

/** mkdirat(dirfd, path, mode). */
export function sysMkdirat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const path = readPath(api, p, uarg(t, 1));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 0), path);
  if (typeof base === "number") return base;
  return api.vfs.mkdir(base, path, uarg(t, 2) & 0o7777 & ~p.umask, credOf(p));
}

/** unlinkat(dirfd, path, flags): AT_REMOVEDIR removes a directory. */
export function sysUnlinkat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const flags = uarg(t, 2);
  if ((flags & ~AT_REMOVEDIR) !== 0) return K.INVAL;
  const path = readPath(api, p, uarg(t, 1));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 0), path);
  if (typeof base === "number") return base;
  return (flags & AT_REMOVEDIR)
    ? api.vfs.rmdir(base, path, credOf(p))
    : api.vfs.unlink(base, path, credOf(p));
}

/**
 * fcntl64(fd, cmd, arg): F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD,
 * F_GETFL, F_SETFL (O_APPEND and O_NONBLOCK change; other bits are ignored
 * as on Linux). Record locks (F_GETLK/F_SETLK/F_SETLKW) give EOPNOTSUPP.
 */
export function sysFcntl64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const fd = arg(t, 0);
  const cmd = arg(t, 1);
  const a = arg(t, 2);
  const file = fileOf(api, p, fd);
  if (file === null) return K.BADF;
  switch (cmd) {
    case F.DUPFD:
    case F.DUPFD_CLOEXEC:
      if (a < 0 || a >= api.maxFds) return K.INVAL;
      return api.fdDup(p, fd, a, cmd === F.DUPFD_CLOEXEC);
    case F.GETFD:
      return api.fdGetCloexec(p, fd);
    case F.SETFD:
      return api.fdSetCloexec(p, fd, (a & F.FD_CLOEXEC) !== 0);
    case F.GETFL:
      return linuxFlagsOf(file);
    case F.SETFL: {
      let k = file.flags & ~(OpenFlags.APPEND | OpenFlags.NONBLOCK);
      if (a & O.APPEND) k |= OpenFlags.APPEND;
      if (a & O.NONBLOCK) k |= OpenFlags.NONBLOCK;
      file.flags = k;
      return 0;
    }
    case F.GETLK:
    case F.SETLK:
    case F.SETLKW:
      return K.NOTSUP;
    default:
      return K.INVAL;
  }
}

/**
 * ioctl(fd, cmd, arg): FIOCLEX, FIONCLEX and FIONBIO are handled here (they
 * act on the descriptor); everything else goes to the file's own ioctl (the
 * tty answers TCGETS, TIOCGWINSZ, TIOCSPGRP...; pipes FIONREAD), and a file
 * without one answers ENOTTY.
 */
export function sysIoctl(t: Thread, api: KernelApi): number {
  const p = t.process;
  const fd = arg(t, 0);
  const cmd = uarg(t, 1);
  const a = uarg(t, 2);
  const file = fileOf(api, p, fd);
  if (file === null) return K.BADF;
  switch (cmd) {
    case IOCTL.FIOCLEX:
      return api.fdSetCloexec(p, fd, true);
    case IOCTL.FIONCLEX:
      return api.fdSetCloexec(p, fd, false);
    case IOCTL.FIONBIO: {
      const v = api.readU32(p, a);
      if (v < 0) return v;
      if (v !== 0) file.flags |= OpenFlags.NONBLOCK;
      else file.flags &= ~OpenFlags.NONBLOCK;
      return 0;
    }
  }
  return api.vfs.ioctl(file, cmd, a, callerOf(p, api));
}

/** faccessat(dirfd, path, mode): mode is F_OK (0) or a mask of R_OK 4, W_OK 2, X_OK 1. */
export function sysFaccessat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const mode = uarg(t, 2);
  if ((mode & ~7) !== 0) return K.INVAL;
  const path = readPath(api, p, uarg(t, 1));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 0), path);
  if (typeof base === "number") return base;
  return api.vfs.access(base, path, mode, credOf(p));
}

/** readlinkat(dirfd, path, buf, size): the target, not NUL-terminated, truncated to size. */
export function sysReadlinkat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const size = arg(t, 3);
  if (size <= 0) return K.INVAL;
  const path = readPath(api, p, uarg(t, 1));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 0), path);
  if (typeof base === "number") return base;
  const target = api.vfs.readlink(base, path, credOf(p));
  if (typeof target === "number") return target;
  const bytes = te.encode(target).subarray(0, Math.min(size, SCRATCH_SIZE));
  return api.copyOut(p, uarg(t, 2), bytes) ? bytes.length : K.FAULT;
}

/** symlinkat(target, newdirfd, linkpath). */
export function sysSymlinkat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const target = readPath(api, p, uarg(t, 0));
  if (typeof target === "number") return target;
  const path = readPath(api, p, uarg(t, 2));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 1), path);
  if (typeof base === "number") return base;
  return api.vfs.symlink(target, base, path, credOf(p));
}

/** The (olddirfd, oldpath, newdirfd, newpath) arguments of linkat and renameat2, resolved. */
function pathPair(
  t: Thread,
  api: KernelApi,
):
  | { oldBase: PathLoc | null; oldPath: string; newBase: PathLoc | null; newPath: string }
  | KStatus {
  const p = t.process;
  const oldPath = readPath(api, p, uarg(t, 1));
  if (typeof oldPath === "number") return oldPath;
  const newPath = readPath(api, p, uarg(t, 3));
  if (typeof newPath === "number") return newPath;
  const oldBase = baseFor(api, p, arg(t, 0), oldPath);
  if (typeof oldBase === "number") return oldBase;
  const newBase = baseFor(api, p, arg(t, 2), newPath);
  if (typeof newBase === "number") return newBase;
  return { oldBase, oldPath, newBase, newPath };
}

/** linkat(olddirfd, oldpath, newdirfd, newpath, flags): AT_SYMLINK_FOLLOW supported; AT_EMPTY_PATH EINVAL. */
export function sysLinkat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const flags = uarg(t, 4);
  if ((flags & ~AT_SYMLINK_FOLLOW) !== 0) return K.INVAL;
  const paths = pathPair(t, api);
  if (typeof paths === "number") return paths;
  const { oldBase, oldPath, newBase, newPath } = paths;
  if (flags & AT_SYMLINK_FOLLOW) {
    const loc = api.vfs.lookup(oldBase, oldPath, true, credOf(p));
    if (typeof loc === "number") return loc;
    return api.vfs.link(null, loc.path, newBase, newPath, credOf(p));
  }
  return api.vfs.link(oldBase, oldPath, newBase, newPath, credOf(p));
}

/** renameat2 flags. */
const RENAME_NOREPLACE = 1;

/** renameat2(olddirfd, oldpath, newdirfd, newpath, flags): RENAME_NOREPLACE; EXCHANGE/WHITEOUT EINVAL. */
export function sysRenameat2(t: Thread, api: KernelApi): number {
  const p = t.process;
  const flags = uarg(t, 4);
  if ((flags & ~RENAME_NOREPLACE) !== 0) return K.INVAL;
  const paths = pathPair(t, api);
  if (typeof paths === "number") return paths;
  const { oldBase, oldPath, newBase, newPath } = paths;
  if (flags & RENAME_NOREPLACE) {
    // The kernel is single-threaded, so check-then-rename cannot race.
    const st = api.vfs.lstat(newBase, newPath, credOf(p));
    if (typeof st !== "number") return K.EXIST;
  }
  return api.vfs.rename(oldBase, oldPath, newBase, newPath, credOf(p));
}

/** A 64-bit length from a (low, high) register pair; -1 when negative. */
function length64(lo: number, hi: number): number {
  if (hi < 0) return -1;
  return hi * 0x1_0000_0000 + lo;
}

/** ftruncate64(fd, length_lo, length_hi). */
export function sysFtruncate64(t: Thread, api: KernelApi): number {
  const file = fileOf(api, t.process, arg(t, 0));
  if (file === null) return K.BADF;
  const len = length64(uarg(t, 1), arg(t, 2));
  if (len < 0 || !Number.isSafeInteger(len)) return K.INVAL;
  return api.vfs.ftruncate(file, len);
}

/** truncate64(path, length_lo, length_hi). */
export function sysTruncate64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const path = readPath(api, p, uarg(t, 0));
  if (typeof path === "number") return path;
  const len = length64(uarg(t, 1), arg(t, 2));
  if (len < 0 || !Number.isSafeInteger(len)) return K.INVAL;
  const base = baseFor(api, p, AT_FDCWD, path);
  if (typeof base === "number") return base;
  return api.vfs.truncate(base, path, len, credOf(p));
}

/**
 * fsync(fd) / fdatasync(fd): the file systems keep their data in memory or
 * write through to the host, so there is nothing to flush; a bad fd is EBADF.
 */
export function sysFsync(t: Thread, api: KernelApi): number {
  return fileOf(api, t.process, arg(t, 0)) === null ? K.BADF : 0;
}

/** fchmodat(dirfd, path, mode). */
export function sysFchmodat(t: Thread, api: KernelApi): number {
  const p = t.process;
  const path = readPath(api, p, uarg(t, 1));
  if (typeof path === "number") return path;
  const base = baseFor(api, p, arg(t, 0), path);
  if (typeof base === "number") return base;
  return api.vfs.setAttr(base, path, { mode: uarg(t, 2) & 0o7777 }, true, credOf(p));
}

/** fchmod(fd, mode): applied through the path the file was opened by. */
export function sysFchmod(t: Thread, api: KernelApi): number {
  const p = t.process;
  const path = openedPath(api, p, arg(t, 0));
  if (typeof path === "number") return path;
  return api.vfs.setAttr(null, path, { mode: uarg(t, 1) & 0o7777 }, true, credOf(p));
}

/**
 * The absolute path `fd` was opened by, for calls that change a file's
 * attributes through a descriptor; K.BADF, or K.INVAL for pipes and other
 * anonymous files.
 */
function openedPath(api: KernelApi, p: Process, fd: number): string | KStatus {
  const file = fileOf(api, p, fd);
  if (file === null) return K.BADF;
  return file.path.startsWith("/") ? file.path : K.INVAL;
}

/** utimensat tv_nsec values: the current time, or leave the time alone. */
const UTIME_NOW = (1 << 30) - 1;
const UTIME_OMIT = (1 << 30) - 2;

/** One utimensat time: ns, undefined to leave it, "now", or a K status. */
function utimeOf(sec: bigint, nsec: bigint): bigint | undefined | "now" | KStatus {
  if (nsec === BigInt(UTIME_NOW)) return "now";
  if (nsec === BigInt(UTIME_OMIT)) return undefined;
  if (nsec < 0n || nsec >= 1_000_000_000n) return K.INVAL;
  return sec * 1_000_000_000n + nsec;
}

/**
 * utimensat_time64(dirfd, path, times, flags): sets access and modification
 * times (times NULL: both now); a NULL path means dirfd itself (through the
 * path it was opened by). Only the owner or root may set explicit times;
 * setting both to now also needs only write permission, as on Linux.
 */
export function sysUtimensatTime64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const dirfd = arg(t, 0);
  const pathAddr = uarg(t, 1);
  const timesAddr = uarg(t, 2);
  const flags = uarg(t, 3);
  if ((flags & ~AT_SYMLINK_NOFOLLOW) !== 0) return K.INVAL;
  let atime: bigint | undefined | "now" = "now";
  let mtime: bigint | undefined | "now" = "now";
  if (timesAddr !== 0) {
    if (!api.copyInto(p, timesAddr, scratchBytes(32))) return K.FAULT;
    const a = utimeOf(scratchView.getBigInt64(0, true), scratchView.getBigInt64(8, true));
    const m = utimeOf(scratchView.getBigInt64(16, true), scratchView.getBigInt64(24, true));
    if (typeof a === "number") return a;
    if (typeof m === "number") return m;
    // Linux answers 0 at once, before looking the path up.
    if (a === undefined && m === undefined) return 0;
    atime = a;
    mtime = m;
  }
  let base: PathLoc | null;
  let path: string;
  let follow = (flags & AT_SYMLINK_NOFOLLOW) === 0;
  if (pathAddr === 0) {
    if (dirfd === AT_FDCWD) return K.FAULT;
    const opened = openedPath(api, p, dirfd);
    if (typeof opened === "number") return opened;
    base = null;
    path = opened;
    follow = true;
  } else {
    const read = readPath(api, p, pathAddr);
    if (typeof read === "number") return read;
    const b = baseFor(api, p, dirfd, read);
    if (typeof b === "number") return b;
    base = b;
    path = read;
  }
  const cred = credOf(p);
  const now = api.realtimeNs();
  const change = {
    atimeNs: atime === "now" ? now : atime,
    mtimeNs: mtime === "now" ? now : mtime,
  };
  const r = api.vfs.setAttr(base, path, change, follow, cred);
  if (r !== K.PERM || atime !== "now" || mtime !== "now") return r;
  // Not the owner: setting both to now is also allowed with write permission.
  const w = api.vfs.access(base, path, 2, cred);
  if (w < 0) return w === K.ROFS ? w : K.ACCES;
  return api.vfs.setAttr(base, path, change, follow, { uid: 0, gid: 0 });
}

/** pread64(fd, buf, count, pos_lo, pos_hi): at most 64 KiB per call. */
export function sysPread64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const file = fileOf(api, p, arg(t, 0));
  if (file === null) return K.BADF;
  const pos = length64(uarg(t, 3), arg(t, 4));
  if (pos < 0) return K.INVAL;
  const want = Math.min(uarg(t, 2), SCRATCH_SIZE);
  if (want === 0) return 0;
  const n = api.vfs.pread(file, scratch.subarray(0, want), pos, callerOf(p, api));
  if (n <= 0) return n;
  return api.copyOut(p, uarg(t, 1), scratch.subarray(0, n)) ? n : K.FAULT;
}

/** pwrite64(fd, buf, count, pos_lo, pos_hi): at most 64 KiB per call. */
export function sysPwrite64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const file = fileOf(api, p, arg(t, 0));
  if (file === null) return K.BADF;
  const pos = length64(uarg(t, 3), arg(t, 4));
  if (pos < 0) return K.INVAL;
  const want = Math.min(uarg(t, 2), SCRATCH_SIZE);
  if (want === 0) return 0;
  const chunk = scratch.subarray(0, want);
  if (!api.copyInto(p, uarg(t, 1), chunk)) return K.FAULT;
  return api.vfs.pwrite(file, chunk, pos, callerOf(p, api));
}

/** poll event bits. */
export const POLL = {
  IN: 0x1,
  PRI: 0x2,
  OUT: 0x4,
  ERR: 0x8,
  HUP: 0x10,
  NVAL: 0x20,
  RDNORM: 0x40,
  RDBAND: 0x80,
  WRNORM: 0x100,
  WRBAND: 0x200,
} as const;

/**
 * Linux poll bits of `file` right now, as pipe_poll and tty_poll report
 * them: POLLIN/POLLRDNORM and POLLOUT/POLLWRNORM as far as `events` asks
 * (a stream only through an end opened that way), POLLHUP and POLLERR
 * whatever was asked.
 */
function pollRevents(api: KernelApi, file: OpenFile, events: number): number {
  const state = api.vfs.pollState(file);
  const stream = isStreamFile(file);
  let rev = 0;
  if ((state & PollState.READABLE) !== 0 && (!stream || (file.flags & OpenFlags.READ) !== 0)) {
    rev |= events & (POLL.IN | POLL.RDNORM);
  }
  if ((state & PollState.WRITABLE) !== 0 && (!stream || (file.flags & OpenFlags.WRITE) !== 0)) {
    rev |= events & (POLL.OUT | POLL.WRNORM);
  }
  if ((state & PollState.HANGUP) !== 0) rev |= POLL.HUP;
  if ((state & PollState.ERROR) !== 0) rev |= POLL.ERR;
  return rev;
}

/**
 * Parks-to-be for a poll that found nothing on `file`: its read queue when
 * it can be read (data or a hang-up comes there), its write queue when
 * writing is asked for.
 */
function pollQueues(api: KernelApi, file: OpenFile, wantWrite: boolean, queues: WaitQueue[]): void {
  if ((file.flags & OpenFlags.READ) !== 0) {
    const q = api.vfs.waitQueue(file, "read");
    if (q !== null) queues.push(q);
  }
  if (wantWrite && (file.flags & OpenFlags.WRITE) !== 0) {
    const q = api.vfs.waitQueue(file, "write");
    if (q !== null && !queues.includes(q)) queues.push(q);
  }
}

/** Most descriptors one ppoll may watch. */
const POLL_MAX = 1024;
/** restartState of a ppoll without a timeout (any value above every real deadline). */
const NO_DEADLINE = Number.MAX_SAFE_INTEGER;

/**
 * ppoll_time64(fds, nfds, timeout, sigmask, sigsetsize). Readiness as
 * {@link readableNow} and {@link writableNow} say; POLLHUP is not reported;
 * a bad descriptor gives POLLNVAL. With `sigmask` the mask
 * is swapped for the wait, as sigsuspend does, and put back afterwards.
 * The deadline survives restarts in `t.restartState`.
 */
export function sysPpollTime64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const fdsAddr = uarg(t, 0);
  const nfds = uarg(t, 1);
  const tmo = uarg(t, 2);
  const sigmask = uarg(t, 3);
  if (nfds > POLL_MAX) return K.INVAL;
  const fresh = t.restartState < 0;
  if (fresh) {
    const deadline = readDeadline(t, api, tmo);
    if (deadline < 0) return deadline;
    if (sigmask !== 0) {
      if (uarg(t, 4) !== 8) return K.INVAL;
      if (!api.copyInto(p, sigmask, scratchBytes(8))) return K.FAULT;
      swapMask(t, api, scratchView.getInt32(0, true), scratchView.getInt32(4, true));
    }
    t.restartState = deadline;
  }
  const raw = api.copyIn(p, fdsAddr, nfds * 8);
  if (raw === null) return finishPoll(t, api, K.FAULT, sigmask);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let ready = 0;
  const queues: WaitQueue[] = [];
  for (let i = 0; i < nfds; i++) {
    const fd = v.getInt32(i * 8, true);
    const events = v.getUint16(i * 8 + 4, true);
    let rev = 0;
    if (fd >= 0) {
      const file = fileOf(api, p, fd);
      if (file === null) {
        rev = POLL.NVAL;
      } else {
        rev = pollRevents(api, file, events);
        if (rev === 0) pollQueues(api, file, (events & (POLL.OUT | POLL.WRNORM)) !== 0, queues);
      }
    }
    v.setUint16(i * 8 + 6, rev, true);
    if (rev !== 0) ready++;
  }
  const wait = readinessWait(t, api, ready, sigmask !== 0, queues);
  if (wait !== null) return wait;
  if (!api.copyOut(p, fdsAddr, raw)) return finishPoll(t, api, K.FAULT, sigmask);
  return finishPoll(t, api, ready, sigmask);
}

/** The deadline (monotonic ns) of a ppoll/pselect timeout at `tmo`, NO_DEADLINE for none, or a K status. */
function readDeadline(t: Thread, api: KernelApi, tmo: number): number {
  if (tmo === 0) return NO_DEADLINE;
  if (!api.copyInto(t.process, tmo, scratchBytes(16))) return K.FAULT;
  const ns = readTimespec64(scratchView, 0);
  if (ns < 0n) return K.INVAL;
  return api.nowNs() + Number(ns);
}

/**
 * The wait of ppoll and pselect6: BLOCK when nothing is ready and the
 * deadline (in `t.restartState`) is ahead, parked on `queues`; null when the
 * call finishes now. A handler ends the wait with EINTR, as on Linux.
 */
function readinessWait(
  t: Thread,
  api: KernelApi,
  ready: number,
  maskSwapped: boolean,
  queues: WaitQueue[],
): number | null {
  const data = procData(t.process, api);
  if (ready === 0) {
    if (
      maskSwapped &&
      ((t.sigPendingLo & ~t.sigBlockedLo) | (t.sigPendingHi & ~t.sigBlockedHi)) !== 0
    ) {
      // The swapped mask lets a pending signal through: do not sleep; the
      // delivery that follows ends the call with EINTR (as sigsuspend does).
      markNoRestart(data, t);
      t.interrupted = true;
      return BLOCK;
    }
    const deadline = t.restartState;
    if (deadline === NO_DEADLINE || api.nowNs() < deadline) {
      markNoRestart(data, t);
      return deadline === NO_DEADLINE
        ? api.blockMany(t, queues)
        : api.blockMany(t, queues, deadline);
    }
  }
  data.noRestartPc = -1;
  return null;
}

/** Ends a ppoll: puts a swapped signal mask back. */
function finishPoll(t: Thread, api: KernelApi, result: number, sigmask: number): number {
  if (sigmask !== 0 && t.hasSavedMask) {
    t.hasSavedMask = false;
    api.setSignalMask(t, t.savedBlockedLo, t.savedBlockedHi);
  }
  return result;
}

/** Applies a ppoll/pselect signal mask for the wait (saving the old one, as sigsuspend does). */
function swapMask(t: Thread, api: KernelApi, lo: number, hi: number): void {
  if (!t.hasSavedMask) {
    t.savedBlockedLo = t.sigBlockedLo;
    t.savedBlockedHi = t.sigBlockedHi;
    t.hasSavedMask = true;
  }
  api.setSignalMask(t, lo, hi);
}

/** Bit `fd` of an fd_set held in `set`. */
function fdIsSet(set: Uint8Array | null, fd: number): boolean {
  return set !== null && (set[fd >>> 3] & (1 << (fd & 7))) !== 0;
}

/**
 * pselect6_time64(nfds, readfds, writefds, exceptfds, timeout, sigmaskarg)
 * where sigmaskarg points to {sigset pointer, size}. Readiness as for ppoll;
 * no exceptional conditions are ever reported; a descriptor in a set that is
 * not open gives EBADF. The sets are rewritten with the ready descriptors
 * and the timeout with the time left, as the raw Linux call does.
 */
export function sysPselect6Time64(t: Thread, api: KernelApi): number {
  const p = t.process;
  const nfds = arg(t, 0);
  const addrs = [uarg(t, 1), uarg(t, 2), uarg(t, 3)];
  const tmo = uarg(t, 4);
  const sigArg = uarg(t, 5);
  if (nfds < 0 || nfds > POLL_MAX) return K.INVAL;
  // fd_set is an array of 32-bit longs on rv32.
  const setBytes = ((nfds + 31) >>> 5) * 4;
  if (t.restartState < 0) {
    const deadline = readDeadline(t, api, tmo);
    if (deadline < 0) return deadline;
    if (sigArg !== 0) {
      if (!api.copyInto(p, sigArg, scratchBytes(8))) return K.FAULT;
      const ss = scratchView.getUint32(0, true);
      const ssLen = scratchView.getUint32(4, true);
      if (ss !== 0) {
        if (ssLen !== 8) return K.INVAL;
        if (!api.copyInto(p, ss, scratchBytes(8))) return K.FAULT;
        swapMask(t, api, scratchView.getInt32(0, true), scratchView.getInt32(4, true));
      }
    }
    t.restartState = deadline;
  }
  const sets: (Uint8Array | null)[] = [];
  for (const a of addrs) {
    if (a === 0 || setBytes === 0) {
      sets.push(null);
      continue;
    }
    const b = api.copyIn(p, a, setBytes);
    if (b === null) return finishPoll(t, api, K.FAULT, sigArg);
    sets.push(b);
  }
  const out = sets.map((s) => (s === null ? null : new Uint8Array(s.length)));
  let ready = 0;
  const queues: WaitQueue[] = [];
  for (let fd = 0; fd < nfds; fd++) {
    const r = fdIsSet(sets[0], fd), w = fdIsSet(sets[1], fd), e = fdIsSet(sets[2], fd);
    if (!r && !w && !e) continue;
    const file = fileOf(api, p, fd);
    if (file === null) return finishPoll(t, api, K.BADF, sigArg);
    // Linux's select: readable on POLLIN, POLLHUP or POLLERR; writable on POLLOUT or POLLERR.
    const rev = pollRevents(api, file, POLL.IN | POLL.OUT);
    const readable = r && (rev & (POLL.IN | POLL.HUP | POLL.ERR)) !== 0;
    const writable = w && (rev & (POLL.OUT | POLL.ERR)) !== 0;
    if (readable) out[0]![fd >>> 3] |= 1 << (fd & 7);
    if (writable) out[1]![fd >>> 3] |= 1 << (fd & 7);
    // Like Linux, the count is of bits set: a descriptor in two sets counts twice.
    ready += (readable ? 1 : 0) + (writable ? 1 : 0);
    if (!readable && !writable) pollQueues(api, file, w, queues);
  }
  const wait = readinessWait(t, api, ready, t.hasSavedMask && sigArg !== 0, queues);
  if (wait !== null) return wait;
  const deadline = t.restartState;
  for (let i = 0; i < 3; i++) {
    const o = out[i];
    if (o !== null && !api.copyOut(p, addrs[i], o)) return finishPoll(t, api, K.FAULT, sigArg);
  }
  if (tmo !== 0) {
    const left = Math.max(0, deadline - api.nowNs());
    writeTimespec64(scratchView, 0, BigInt(Math.floor(left)));
    api.copyOut(p, tmo, scratchBytes(16));
  }
  return finishPoll(t, api, ready, sigArg);
}
