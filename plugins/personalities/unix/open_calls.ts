/**
 * Opening and closing files, and the descriptor table: openat, close, dup,
 * dup3, pipe2, with the Linux <-> kernel open-flag translation
 * (openFlagsFromLinux; linuxFlagsOf, which fcntl F_GETFL reports).
 *
 * @module
 */

import {
  createPipe,
  K,
  type KernelApi,
  type OpenFile,
  OpenFlags,
  type Thread,
} from "../../../kernel/api.ts";
import { O } from "./abi.ts";
import { arg, baseFor, credOf, readPath, scratch, scratchView, uarg } from "./common.ts";

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
    account: api.pipeMemory,
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
