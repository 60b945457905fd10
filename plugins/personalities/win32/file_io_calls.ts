/**
 * Native calls on open file handles: NtReadFile, NtWriteFile (file
 * position or an explicit offset, pipes and consoles blocking as
 * synchronous handles do), NtFlushBuffersFile, NtClose and
 * NtQueryVolumeInformationFile (the device type GetFileType reads).
 *
 * @module
 */

import { K, type KernelApi, OpenFlags, type Thread } from "../../../kernel/api.ts";
import { nargs, readI64, writeIosb } from "./args.ts";
import { objectOf, win32Of } from "./context.ts";
import type { Executive } from "./executive.ts";
import { FILE_ACCESS, type FileObject } from "./objects.ts";
import { nt, ntFromK, STATUS } from "./ntstatus.ts";
import { FS_SIZE_CLASS, volumeSizeInfo } from "./volume_info.ts";

/** Most bytes moved per host call. */
const CHUNK = 64 * 1024;
/** FILE_USE_FILE_POINTER_POSITION as a LARGE_INTEGER. */
const USE_POSITION = -2n;
/** FILE_WRITE_TO_END_OF_FILE. */
const WRITE_TO_END = -1n;
/** Ctrl+Z: a console line that begins with it reads as end of input. */
const CTRL_Z = 0x1a;
const CR = 0x0d;
const LF = 0x0a;
/** ENABLE_LINE_INPUT of a console input mode. */
const LINE_INPUT = 0x2;
/** ENABLE_PROCESSED_INPUT: Ctrl+C is the control event, not a character. */
const PROCESSED_INPUT = 0x1;

/** The file object behind a handle with `want` access, or an NTSTATUS. */
function fileOf(t: Thread, ex: Executive, h: number, want: number): FileObject | number {
  const o = objectOf(win32Of(ex, t), h, "File", want);
  return typeof o === "number" ? o : o as FileObject;
}

/** The explicit offset (bigint), null for the file position, or an NTSTATUS. */
function offsetArg(api: KernelApi, t: Thread, ptr: number): bigint | null | number {
  if (ptr === 0) return null;
  const v = readI64(api, t.process, ptr);
  if (v === null) return STATUS.ACCESS_VIOLATION;
  return v === USE_POSITION ? null : v;
}

function waitFor(t: Thread, api: KernelApi, f: FileObject, dir: "read" | "write"): number {
  const q = api.vfs.waitQueue(f.file!, dir);
  return q === null ? nt(STATUS.PIPE_BROKEN) : api.block(t, q);
}

/**
 * A console read in line mode (ENABLE_LINE_INPUT), as Windows' console
 * answers: the LF that ends a line becomes CR LF (a 1-byte read gets the CR
 * and the next one the LF), and a line that begins with Ctrl+Z is end of
 * input (0 bytes; what was read of it is dropped). Bytes in `buf`, or a K
 * error.
 */
function readConsoleLine(api: KernelApi, f: FileObject, buf: Uint8Array): number {
  if (f.consoleLf) {
    f.consoleLf = false;
    buf[0] = LF;
    return 1;
  }
  const n = api.vfs.read(f.file!, buf.length > 1 ? buf.subarray(0, buf.length - 1) : buf);
  if (n <= 0) return n;
  if (buf[0] === CTRL_Z) return 0;
  if (buf[n - 1] !== LF) return n;
  buf[n - 1] = CR;
  if (n === buf.length) {
    f.consoleLf = true;
    return n;
  }
  buf[n] = LF;
  return n + 1;
}

/**
 * NtReadFile(FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock*,
 * Buffer, Length, ByteOffset*, Key). End of a file: STATUS_END_OF_FILE; a
 * pipe whose writers are gone: STATUS_PIPE_BROKEN; a console at end of
 * input: success with 0 bytes; a console output (screen buffer) cannot be
 * read: STATUS_INVALID_HANDLE. A console read in line mode gives lines
 * ending in CR LF, and a line that begins with Ctrl+Z is end of input too
 * ({@link readConsoleLine}).
 */
export function ntReadFile(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 9);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const f = fileOf(t, ex, a[0], FILE_ACCESS.READ_DATA);
  if (typeof f === "number") return nt(f);
  if (f.file === null || f.kind === "directory") return nt(STATUS.INVALID_DEVICE_REQUEST);
  if (f.kind === "console" && !f.consoleInput) return nt(STATUS.INVALID_HANDLE);
  const p = t.process;
  const off = offsetArg(api, t, a[7]);
  if (typeof off === "number") return nt(off);
  const len = Math.min(a[6], CHUNK);
  if (!api.checkAccess(p, a[5], len, true)) return nt(STATUS.ACCESS_VIOLATION);
  const buf = new Uint8Array(len);
  const file = f.file;
  const lines = f.kind === "console" && (f.consoleMode & LINE_INPUT) !== 0 && len > 0;
  const n = lines
    ? readConsoleLine(api, f, buf)
    : off === null
    ? api.vfs.read(file, buf)
    : api.vfs.pread(file, buf, Number(off));
  if (n === K.AGAIN) {
    // Ctrl+C ends a console read in processed line mode (STATUS_CANCELLED,
    // which ReadFile gives as 0 bytes and ERROR_OPERATION_ABORTED), as
    // Windows' console does; the process's control handlers still run.
    if (lines && (f.consoleMode & PROCESSED_INPUT) !== 0) t.noRestart = true;
    return waitFor(t, api, f, "read");
  }
  if (n < 0) return nt(ntFromK(n));
  if (off !== null && n >= 0) file.offset = Number(off) + n;
  if (n === 0 && len > 0) {
    const st = f.kind === "pipe" ? STATUS.PIPE_BROKEN : f.kind === "file" ? STATUS.END_OF_FILE : 0;
    writeIosb(api, p, a[4], st, 0);
    return nt(st);
  }
  api.copyOut(p, a[5], buf.subarray(0, n));
  writeIosb(api, p, a[4], STATUS.SUCCESS, n);
  return STATUS.SUCCESS;
}

/**
 * NtWriteFile(FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock*,
 * Buffer, Length, ByteOffset*, Key). A pipe write blocks until every byte
 * is in (progress kept across restarts); no reader left:
 * STATUS_PIPE_CLOSING. A console input cannot be written:
 * STATUS_INVALID_HANDLE.
 */
export function ntWriteFile(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 9);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const f = fileOf(t, ex, a[0], 0);
  if (typeof f === "number") return nt(f);
  const e = win32Of(ex, t).handles.entry(a[0]);
  const granted = e === null ? 0x1f01ff : e.access;
  if (!(granted & (FILE_ACCESS.WRITE_DATA | FILE_ACCESS.APPEND_DATA))) {
    return nt(STATUS.ACCESS_DENIED);
  }
  if (f.file === null || f.kind === "directory") return nt(STATUS.INVALID_DEVICE_REQUEST);
  if (f.kind === "console" && f.consoleInput) return nt(STATUS.INVALID_HANDLE);
  const p = t.process;
  let off = offsetArg(api, t, a[7]);
  if (typeof off === "number") return nt(off);
  const file = f.file;
  if (off === WRITE_TO_END || (file.flags & OpenFlags.APPEND)) {
    const st = api.vfs.fstat(file);
    off = typeof st === "number" ? null : BigInt(st.size);
  }
  let done = t.restartState > 0 ? t.restartState : 0;
  while (done < a[6]) {
    const n0 = Math.min(a[6] - done, CHUNK);
    const data = api.copyIn(p, a[5] + done, n0);
    if (data === null) return nt(STATUS.ACCESS_VIOLATION);
    const n = off === null
      ? api.vfs.write(file, data)
      : api.vfs.pwrite(file, data, Number(off) + done);
    if (n === K.AGAIN) {
      t.restartState = done;
      return waitFor(t, api, f, "write");
    }
    if (n === K.PIPE) return nt(STATUS.PIPE_CLOSING);
    if (n < 0) return nt(ntFromK(n));
    done += n;
    if (n === 0) break;
  }
  if (off !== null) file.offset = Number(off) + done;
  writeIosb(api, p, a[4], STATUS.SUCCESS, done);
  return STATUS.SUCCESS;
}

/** NtFlushBuffersFile(FileHandle, IoStatusBlock*): data is written through; checks the handle. */
export function ntFlushBuffersFile(t: Thread, api: KernelApi, ex: Executive): number {
  const f = fileOf(t, ex, t.regs[10], 0);
  if (typeof f === "number") return nt(f);
  writeIosb(api, t.process, t.regs[11] >>> 0, STATUS.SUCCESS, 0);
  return STATUS.SUCCESS;
}

/** NtClose(Handle). Pseudo-handles close as no-ops. */
export function ntClose(t: Thread, _api: KernelApi, ex: Executive): number {
  const h = t.regs[10] >>> 0;
  if (h >= 0xffff_fffe) return STATUS.SUCCESS;
  return nt(win32Of(ex, t).handles.close(h));
}

/** FILE_DEVICE_* types. */
export const FILE_DEVICE = { DISK: 7, NAMED_PIPE: 0x11, NULL: 0x15, CONSOLE: 0x50 } as const;

/**
 * NtQueryVolumeInformationFile(FileHandle, IoStatusBlock*, FsInformation*,
 * Length, FsInformationClass): FileFsDeviceInformation (4) {DeviceType,
 * Characteristics}: disk, named pipe, console or null device; the size
 * classes 3 and 7 (`volume_info.ts`).
 */
export function ntQueryVolumeInformationFile(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 5);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const f = fileOf(t, ex, a[0], 0);
  if (typeof f === "number") return nt(f);
  if (a[4] === FS_SIZE_CLASS.SIZE || a[4] === FS_SIZE_CLASS.FULL_SIZE) {
    const info = volumeSizeInfo(api, f, a[4], a[3]);
    if (typeof info === "number") return nt(info);
    if (!api.copyOut(t.process, a[2], info)) return nt(STATUS.ACCESS_VIOLATION);
    writeIosb(api, t.process, a[1], STATUS.SUCCESS, info.length);
    return STATUS.SUCCESS;
  }
  if (a[4] !== 4) return nt(STATUS.INVALID_INFO_CLASS);
  if (a[3] < 8) return nt(STATUS.INFO_LENGTH_MISMATCH);
  const type = f.kind === "pipe"
    ? FILE_DEVICE.NAMED_PIPE
    : f.kind === "console"
    ? FILE_DEVICE.CONSOLE
    : f.kind === "device"
    ? FILE_DEVICE.NULL
    : FILE_DEVICE.DISK;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setUint32(0, type, true);
  if (!api.copyOut(t.process, a[2], out)) return nt(STATUS.ACCESS_VIOLATION);
  writeIosb(api, t.process, a[1], STATUS.SUCCESS, 8);
  return STATUS.SUCCESS;
}
