/**
 * Control of open files: fcntl64 (descriptor and status flags; record locks
 * answer EOPNOTSUPP) and ioctl (the descriptor-level requests here, the rest
 * through the file's own ioctl).
 *
 * @module
 */

import { K, type KernelApi, OpenFlags, type Thread } from "../../../kernel/api.ts";
import { F, IOCTL, O } from "./abi.ts";
import { arg, callerOf, fileOf, uarg } from "./common.ts";
import { linuxFlagsOf } from "./open_calls.ts";

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
