/**
 * The console devices: `\Device\ConDrv`, reached from `\??\CONIN$`
 * (`CurrentIn`, the console's input), `\??\CONOUT$` (`CurrentOut`, its
 * screen buffer) and `\??\CON` (`Console`: input when opened for reading,
 * output when opened for writing, STATUS_INVALID_PARAMETER for both, as
 * Wine answers; Windows documents ERROR_FILE_NOT_FOUND for that case).
 *
 * A console here is a terminal, so an open makes a file object of kind
 * "console" over the process's terminal, the same kind GetStdHandle's
 * console handles are: ReadFile (of an input), WriteFile (of an output),
 * the console modes and the console control calls work on it alike. The process's terminal
 * ({@link consoleOf}) is fixed when it starts: a Win32 creator's console
 * passes to its Win32 children; a process started by a Unix program has the
 * terminal of its first standard descriptor that is one, else its session's
 * controlling terminal, else none (an open then fails with
 * STATUS_INVALID_HANDLE, as for a Windows process without a console).
 *
 * @module
 */

import {
  type KernelApi,
  type OpenFile,
  OpenFlags,
  type Process,
  type Stat,
} from "../../../kernel/api.ts";
import { hostCaller } from "./console_calls.ts";
import { CONSOLE_MODE, type Executive, type Win32Process } from "./executive.ts";
import { FILE_ACCESS, FileObject } from "./objects.ts";
import { STATUS } from "./ntstatus.ts";

/** The names under `\Device\ConDrv`, upper case. */
const DEVICE_NAMES = { CURRENTIN: "input", CURRENTOUT: "output", CONSOLE: "either" } as const;

/** IO_STATUS_BLOCK.Information of a console open: FILE_OPENED. */
const OPENED = 1;

const TIOCGSID = 0x5429;

/** The session's controlling terminal, if `/dev/tty` is that of `p`'s session; else null. */
function controllingTerminal(api: KernelApi, p: Process): OpenFile | null {
  const r = api.vfs.open(null, "/dev/tty", OpenFlags.READ | OpenFlags.WRITE);
  if (typeof r === "number") return null;
  const sid = new Uint8Array(4);
  const caller = { ...hostCaller(p.mainThread, sid), sid: p.sid };
  if (api.vfs.ioctl(r.file, TIOCGSID, 0, caller) >= 0) {
    if (new DataView(sid.buffer).getUint32(0, true) === p.sid) return r.file;
  }
  api.vfs.close(r.file);
  return null;
}

/**
 * The terminal of a process started by a Unix program (a reference the
 * caller keeps): its first standard descriptor that is a terminal, else its
 * session's controlling terminal, else null.
 */
export function unixConsole(ex: Executive, p: Process): OpenFile | null {
  for (const fd of [0, 1, 2]) {
    const f = ex.api.fdGet(p, fd);
    if (f !== null && ex.kindOf(f) === "console") return ex.api.vfs.retain(f);
  }
  return controllingTerminal(ex.api, p);
}

/** The terminal of `w` (`p`'s Win32 data), found on first use for a process a Unix program started. */
export function consoleOf(ex: Executive, w: Win32Process, p: Process): OpenFile | null {
  if (w.console === undefined) w.console = unixConsole(ex, p);
  return w.console;
}

/**
 * What NtQueryAttributesFile reports for a console device name: the stat
 * of the process's terminal (of `/dev/console` without one), as a
 * character device (FILE_ATTRIBUTE_ARCHIVE); its path is `/dev/console`.
 */
export function consoleStat(
  ex: Executive,
  w: Win32Process,
  p: Process,
  rest: string,
): { st: Stat; path: string } | number {
  if (DEVICE_NAMES[rest.toUpperCase() as keyof typeof DEVICE_NAMES] === undefined) {
    return STATUS.OBJECT_NAME_NOT_FOUND;
  }
  const term = consoleOf(ex, w, p);
  const st = term === null ? ex.api.vfs.stat(null, "/dev/console") : ex.api.vfs.fstat(term);
  return typeof st === "number" ? STATUS.OBJECT_NAME_NOT_FOUND : { st, path: "/dev/console" };
}

/**
 * Opens `rest` (the name under `\Device\ConDrv`) with `access` (generic bits
 * mapped): the handle and IO_STATUS_BLOCK information, or an NTSTATUS.
 */
export function openConsole(
  ex: Executive,
  w: Win32Process,
  p: Process,
  rest: string,
  access: number,
  share: number,
  inherit: boolean,
): { handle: number; info: number } | number {
  const which = DEVICE_NAMES[rest.toUpperCase() as keyof typeof DEVICE_NAMES];
  if (which === undefined) return STATUS.OBJECT_NAME_NOT_FOUND;
  const term = consoleOf(ex, w, p);
  if (term === null) return STATUS.INVALID_HANDLE;
  const reads = (access & FILE_ACCESS.READ_DATA) !== 0;
  const writes = (access & (FILE_ACCESS.WRITE_DATA | FILE_ACCESS.APPEND_DATA)) !== 0;
  if (which === "either" && reads && writes) return STATUS.INVALID_PARAMETER;
  const input = which === "input" || (which === "either" && !writes);
  const obj = new FileObject(ex.api, ex.api.vfs.retain(term), "console", "", access, share, null);
  obj.consoleMode = input ? CONSOLE_MODE.INPUT : CONSOLE_MODE.OUTPUT;
  obj.consoleInput = input;
  const h = w.handles.insert(obj, access, inherit ? 1 : 0);
  if (h < 0) {
    obj.reference();
    obj.dereference();
    return STATUS.INSUFFICIENT_RESOURCES;
  }
  return { handle: h, info: OPENED };
}
