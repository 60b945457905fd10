/**
 * The settings ioctls of a tty: TCGETS and TCSETS/TCSETSW/TCSETSF move
 * struct termios (`termios.ts` has its layout) between the guest and the
 * tty; TIOCGWINSZ and TIOCSWINSZ move struct winsize (a new size sends
 * SIGWINCH through {@link Tty.setWinSize}). Also {@link putU32}, the
 * ioctls' way to answer an int.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { FileCaller } from "../fs/types.ts";
import { decodeTermios, encodeTermios, TERMIOS_SIZE, TtyIoctl } from "./termios.ts";
import type { Tty } from "./tty.ts";

/** Guest memory as an ioctl reaches it. */
export type IoctlMemory = FileCaller["memory"];

/** TCGETS, TCSETS/TCSETSW/TCSETSF, TIOCGWINSZ, TIOCSWINSZ on `tty`. */
export function settingsIoctl(tty: Tty, cmd: number, arg: number, mem: IoctlMemory): number {
  switch (cmd) {
    case TtyIoctl.TCGETS:
      return mem.copyOut(arg, encodeTermios(tty.termios)) ? K.OK : K.FAULT;
    case TtyIoctl.TIOCGWINSZ: {
      const b = new Uint8Array(8);
      const dv = new DataView(b.buffer);
      dv.setUint16(0, tty.winsize.rows, true);
      dv.setUint16(2, tty.winsize.cols, true);
      dv.setUint16(4, tty.winsize.xpixel, true);
      dv.setUint16(6, tty.winsize.ypixel, true);
      return mem.copyOut(arg, b) ? K.OK : K.FAULT;
    }
    case TtyIoctl.TIOCSWINSZ: {
      const b = mem.copyIn(arg, 8);
      if (b === null) return K.FAULT;
      const dv = new DataView(b.buffer, b.byteOffset, 8);
      tty.setWinSize(dv.getUint16(0, true), dv.getUint16(2, true));
      tty.winsize.xpixel = dv.getUint16(4, true);
      tty.winsize.ypixel = dv.getUint16(6, true);
      return K.OK;
    }
    default: {
      const b = mem.copyIn(arg, TERMIOS_SIZE);
      if (b === null) return K.FAULT;
      // TCSETSW waits for output to drain: output is already handed to the driver's queue.
      tty.setTermios(decodeTermios(b), cmd === TtyIoctl.TCSETSF);
      return K.OK;
    }
  }
}

/** Writes `v` as a little-endian u32 at guest `addr`: K.OK, or K.FAULT. */
export function putU32(mem: IoctlMemory, addr: number, v: number): KStatus {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return mem.copyOut(addr, b) ? K.OK : K.FAULT;
}
