/**
 * Job control on a tty: the session it is the controlling terminal of and
 * its foreground process group.
 *
 * - {@link isBackground}: a caller in the tty's session but not in its
 *   foreground group; its reads get SIGTTIN, its writes SIGTTOU with TOSTOP
 *   (the tty sends them and answers K.INTR);
 * - {@link jobControlIoctl}: TIOCGPGRP, TIOCSPGRP, TIOCGSID, TIOCSCTTY and
 *   TIOCNOTTY (a session leader giving the terminal up sends SIGHUP and
 *   SIGCONT to the foreground group).
 *
 * Hangup (SIGHUP) and window changes (SIGWINCH) are the tty's own.
 *
 * @module
 */

import { K } from "../errors.ts";
import type { FileCaller } from "../fs/types.ts";
import { SIG } from "../ipc/signal_numbers.ts";
import { TtyIoctl } from "./termios.ts";
import type { Tty } from "./tty.ts";
import { putU32 } from "./tty_ioctl.ts";

/** True when `caller` is in the tty's session but not in its foreground group. */
export function isBackground(tty: Tty, caller: FileCaller): boolean {
  return tty.session > 0 && tty.foregroundPgrp > 0 && caller.sid === tty.session &&
    caller.pgid !== tty.foregroundPgrp;
}

/** TIOCGPGRP, TIOCSPGRP, TIOCGSID, TIOCSCTTY, TIOCNOTTY: the session and foreground group. */
export function jobControlIoctl(tty: Tty, cmd: number, arg: number, caller: FileCaller): number {
  const mem = caller.memory;
  switch (cmd) {
    case TtyIoctl.TIOCGPGRP:
      return putU32(mem, arg, tty.foregroundPgrp);
    case TtyIoctl.TIOCSPGRP: {
      const b = mem.copyIn(arg, 4);
      if (b === null) return K.FAULT;
      const pgid = new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);
      if (pgid < 0) return K.INVAL;
      if (tty.session > 0 && caller.sid !== tty.session) return K.NOTTY;
      tty.foregroundPgrp = pgid;
      return K.OK;
    }
    case TtyIoctl.TIOCGSID:
      if (tty.session === 0) return K.NOTTY;
      return putU32(mem, arg, tty.session);
    case TtyIoctl.TIOCSCTTY:
      if (tty.session === caller.sid) return K.OK;
      if (tty.session > 0 && arg !== 1) return K.PERM;
      tty.session = caller.sid;
      tty.foregroundPgrp = caller.pgid;
      return K.OK;
    default:
      return disown(tty, caller);
  }
}

/** TIOCNOTTY: a session leader gives the terminal up (its foreground group gets SIGHUP, SIGCONT). */
function disown(tty: Tty, caller: FileCaller): number {
  if (tty.session === 0 || caller.sid !== tty.session) return K.NOTTY;
  if (caller.pid === caller.sid) {
    if (tty.foregroundPgrp > 0) {
      tty.signal(tty.foregroundPgrp, SIG.HUP);
      tty.signal(tty.foregroundPgrp, SIG.CONT);
    }
    tty.session = 0;
    tty.foregroundPgrp = 0;
  }
  return K.OK;
}
