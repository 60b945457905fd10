/**
 * The console control call behind kernel32's console functions
 * (`userland/win32/kernel32/console.c`). A Win32 console here is a
 * terminal (a file object of kind "console" over `/dev/console`, a tty or
 * a pty), so the operations are the terminal's:
 *
 * - `CONSOLE_OP.SIZE`: the window size (columns, rows) from the terminal's
 *   `TIOCGWINSZ`, 80x25 when the terminal reports none; a console input
 *   has no screen buffer (STATUS_INVALID_HANDLE);
 * - `CONSOLE_OP.FLUSH_INPUT`: discards typed-ahead input (`TCFLSH`
 *   `TCIFLUSH`), for FlushConsoleInputBuffer;
 * - `CONSOLE_OP.SET_TITLE` / `GET_TITLE`: the console title, kept per
 *   terminal (every process on the same terminal sees the same title, as
 *   every process attached to a Windows console does). kernel32 also sends
 *   the title to the terminal as an xterm OSC 0 sequence;
 * - `CONSOLE_OP.NO_SUSPEND`: turns the terminal's suspend character (VSUSP,
 *   Ctrl+Z) off, so Ctrl+Z reaches programs as a character, as on a Windows
 *   console (where a line that begins with it is end of input). The Win32
 *   session's smss.exe does this to the session's console.
 *
 * @module
 */

import type { FileCaller, KernelApi, Thread } from "../../../kernel/api.ts";
import { nargs } from "./args.ts";
import { objectOf, win32Of } from "./context.ts";
import type { Executive } from "./executive.ts";
import type { FileObject } from "./objects.ts";
import { nt, STATUS } from "./ntstatus.ts";

/** Operations of NtStrataConsoleControl. */
export const CONSOLE_OP = {
  SIZE: 0,
  FLUSH_INPUT: 1,
  SET_TITLE: 2,
  GET_TITLE: 3,
  NO_SUSPEND: 4,
} as const;

/** The longest title kept (bytes), as Windows' console limit. */
export const MAX_TITLE = 1023;

const TIOCGWINSZ = 0x5413;
const TCFLSH = 0x540b;
const TCGETS = 0x5401;
const TCSETS = 0x5402;
/** struct termios: 16 bytes of flags, c_line, then c_cc; VSUSP is c_cc[10]. */
const TERMIOS_BYTES = 36;
const VSUSP_OFFSET = 17 + 10;
const TCIFLUSH = 0;

/** Titles by executive, keyed by the terminal's path. */
const titles = new WeakMap<Executive, Map<string, Uint8Array>>();

function titleMap(ex: Executive): Map<string, Uint8Array> {
  let m = titles.get(ex);
  if (m === undefined) {
    m = new Map();
    titles.set(ex, m);
  }
  return m;
}

/** A caller whose "guest memory" is a host buffer at address 0: an ioctl's result lands there. */
export function hostCaller(t: Thread, out: Uint8Array): FileCaller {
  return {
    pid: t.process.pid,
    pgid: t.process.pgid,
    sid: t.process.sid,
    memory: {
      copyIn: (addr, length) => addr === 0 ? out.slice(0, length) : null,
      copyOut: (addr, data) => {
        if (addr !== 0 || data.length > out.length) return false;
        out.set(data);
        return true;
      },
    },
  };
}

/** The terminal's window size as [columns, rows] (80x25 when unknown). */
function windowSize(t: Thread, api: KernelApi, f: FileObject): [number, number] {
  const ws = new Uint8Array(8);
  if (f.file === null || api.vfs.ioctl(f.file, TIOCGWINSZ, 0, hostCaller(t, ws)) < 0) {
    return [80, 25];
  }
  const dv = new DataView(ws.buffer);
  const rows = dv.getUint16(0, true), cols = dv.getUint16(2, true);
  return rows > 0 && cols > 0 ? [cols, rows] : [80, 25];
}

/** Clears the terminal's VSUSP character (TCGETS, then TCSETS). */
function noSuspend(t: Thread, api: KernelApi, f: FileObject): number {
  const tio = new Uint8Array(TERMIOS_BYTES);
  const caller = hostCaller(t, tio);
  if (api.vfs.ioctl(f.file!, TCGETS, 0, caller) < 0) return nt(STATUS.INVALID_HANDLE);
  tio[VSUSP_OFFSET] = 0;
  return api.vfs.ioctl(f.file!, TCSETS, 0, caller) < 0 ? nt(STATUS.INVALID_HANDLE) : STATUS.SUCCESS;
}

/**
 * NtStrataConsoleControl(Handle, Operation, Buffer*, Length, ReturnLength*):
 * SIZE writes {USHORT columns, rows} (Length >= 4); FLUSH_INPUT takes no
 * buffer; SET_TITLE reads Length bytes (at most {@link MAX_TITLE}); GET_TITLE
 * writes the title and a NUL (STATUS_BUFFER_TOO_SMALL when Length cannot
 * hold them; ReturnLength gets the title's length either way); NO_SUSPEND
 * takes no buffer.
 */
export function ntStrataConsoleControl(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 5);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const o = objectOf(win32Of(ex, t), a[0], "File", 0);
  if (typeof o === "number") return nt(o);
  const f = o as FileObject;
  if (f.kind !== "console") return nt(STATUS.INVALID_HANDLE);
  const [op, buf, len, ret] = [a[1], a[2] >>> 0, a[3] >>> 0, a[4] >>> 0];
  switch (op) {
    case CONSOLE_OP.SIZE: {
      if (f.consoleInput) return nt(STATUS.INVALID_HANDLE);
      if (len < 4) return nt(STATUS.BUFFER_TOO_SMALL);
      const [cols, rows] = windowSize(t, api, f);
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint16(0, cols, true);
      new DataView(out.buffer).setUint16(2, rows, true);
      return api.copyOut(t.process, buf, out) ? STATUS.SUCCESS : nt(STATUS.ACCESS_VIOLATION);
    }
    case CONSOLE_OP.FLUSH_INPUT:
      if (f.file !== null) {
        api.vfs.ioctl(f.file, TCFLSH, TCIFLUSH, hostCaller(t, new Uint8Array(0)));
      }
      return STATUS.SUCCESS;
    case CONSOLE_OP.NO_SUSPEND:
      return f.file === null ? STATUS.SUCCESS : noSuspend(t, api, f);
    case CONSOLE_OP.SET_TITLE: {
      if (len > MAX_TITLE) return nt(STATUS.INVALID_PARAMETER);
      const title = len === 0 ? new Uint8Array(0) : api.copyIn(t.process, buf, len);
      if (title === null) return nt(STATUS.ACCESS_VIOLATION);
      titleMap(ex).set(f.file?.path ?? "", title);
      return STATUS.SUCCESS;
    }
    case CONSOLE_OP.GET_TITLE: {
      const title = titleMap(ex).get(f.file?.path ?? "") ?? new Uint8Array(0);
      if (ret !== 0 && !api.writeU32(t.process, ret, title.length)) {
        return nt(STATUS.ACCESS_VIOLATION);
      }
      if (len < title.length + 1) return nt(STATUS.BUFFER_TOO_SMALL);
      const out = new Uint8Array(title.length + 1);
      out.set(title);
      return api.copyOut(t.process, buf, out) ? STATUS.SUCCESS : nt(STATUS.ACCESS_VIOLATION);
    }
    default:
      return nt(STATUS.INVALID_PARAMETER);
  }
}
