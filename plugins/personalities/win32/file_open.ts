/**
 * NtCreateFile and NtOpenFile: an NT name through the namespace to a VFS
 * file or directory (or to the named-pipe or console device), the create
 * dispositions, directory / non-directory options, read-only files, share
 * modes between opens and FILE_DELETE_ON_CLOSE.
 *
 * @module
 */

import { K, type KernelApi, OpenFlags, OpenOutcome, type Thread } from "../../../kernel/api.ts";
import { nargs, OBJ_INHERIT, readObjectAttributes, writeIosb } from "./args.ts";
import { objectOf, win32Of } from "./context.ts";
import type { Executive, Win32Process } from "./executive.ts";
import { mapGenericAccess } from "./ob.ts";
import { FILE_ACCESS, FileObject } from "./objects.ts";
import { nt, ntFromK, STATUS } from "./ntstatus.ts";
import { FILE_ATTRIBUTE } from "./file_info.ts";
import { openPipeClient } from "./pipe_calls.ts";
import { openConsole } from "./console_open.ts";

/** Create dispositions. */
export const DISPOSITION = {
  SUPERSEDE: 0,
  OPEN: 1,
  CREATE: 2,
  OPEN_IF: 3,
  OVERWRITE: 4,
  OVERWRITE_IF: 5,
} as const;

/** IO_STATUS_BLOCK.Information after a create. */
export const CREATE_INFO = {
  SUPERSEDED: 0,
  OPENED: 1,
  CREATED: 2,
  OVERWRITTEN: 3,
} as const;

/** Create options. */
export const FILE_OPTION = {
  DIRECTORY_FILE: 0x1,
  NON_DIRECTORY_FILE: 0x40,
  DELETE_ON_CLOSE: 0x1000,
} as const;

/** What an open asks for. */
export interface OpenRequest {
  /** Desired access (generic bits allowed). */
  access: number;
  /** OBJECT_ATTRIBUTES pointer. */
  oa: number;
  /** FILE_ATTRIBUTE_* for a new file. */
  attributes: number;
  /** FILE_SHARE_*. */
  share: number;
  /** Disposition. */
  disposition: number;
  /** Options. */
  options: number;
}

/** Opens or creates; the handle and the IO_STATUS_BLOCK information, or an NTSTATUS. */
export function openFile(
  t: Thread,
  api: KernelApi,
  ex: Executive,
  w: Win32Process,
  req: OpenRequest,
): { handle: number; info: number } | number {
  if (req.disposition > DISPOSITION.OVERWRITE_IF) return STATUS.INVALID_PARAMETER;
  const dirOpt = req.options & (FILE_OPTION.DIRECTORY_FILE | FILE_OPTION.NON_DIRECTORY_FILE);
  if (dirOpt === (FILE_OPTION.DIRECTORY_FILE | FILE_OPTION.NON_DIRECTORY_FILE)) {
    return STATUS.INVALID_PARAMETER;
  }
  const access = mapGenericAccess("File", req.access);
  if ((req.options & FILE_OPTION.DELETE_ON_CLOSE) && !(access & FILE_ACCESS.DELETE)) {
    return STATUS.INVALID_PARAMETER;
  }
  const oa = readObjectAttributes(api, t.process, req.oa);
  if (typeof oa === "number") return oa;
  let root: FileObject | null = null;
  if (oa.root !== 0) {
    const r = objectOf(w, oa.root, "File", 0);
    if (typeof r === "number") return r;
    root = r as FileObject;
  } else {
    const dev = ex.deviceOf(oa.name, null);
    const inherit = (oa.attributes & OBJ_INHERIT) !== 0;
    if (typeof dev !== "number" && dev.device.kind === "namedpipe") {
      return openPipeClient(ex, w, dev.rest, access, inherit);
    }
    if (typeof dev !== "number" && dev.device.kind === "console") {
      return openConsole(ex, w, t.process, dev.rest, access, req.share, inherit);
    }
  }
  const vn = ex.vfsName(oa.name, root);
  if (typeof vn === "number") return vn;
  if (vn.exists && ex.shares.deletePending(vn.path)) return STATUS.DELETE_PENDING;
  const r = vn.exists
    ? openExisting(api, ex, vn.path, vn.isDir, access, req)
    : create(api, vn.path, req);
  if (typeof r === "number") return r;
  const kind = vn.isDir || (!vn.exists && (req.options & FILE_OPTION.DIRECTORY_FILE))
    ? "directory"
    : "file";
  const obj = new FileObject(api, r.file, kind, vn.path, access, req.share, ex.shares);
  obj.shareCounted = ex.shares.add(vn.path, access, req.share);
  if (req.options & FILE_OPTION.DELETE_ON_CLOSE) obj.deletePending = true;
  const h = w.handles.insert(obj, access, (oa.attributes & OBJ_INHERIT) ? 1 : 0);
  if (h < 0) {
    obj.reference();
    obj.dereference();
    return STATUS.INSUFFICIENT_RESOURCES;
  }
  return { handle: h, info: r.info };
}

function vfsFlags(access: number, dir: boolean): number {
  if (dir) return OpenFlags.READ | OpenFlags.DIRECTORY;
  let f = OpenFlags.READ;
  if (access & FILE_ACCESS.WRITE_DATA) f |= OpenFlags.WRITE;
  else if (access & FILE_ACCESS.APPEND_DATA) f |= OpenFlags.WRITE | OpenFlags.APPEND;
  return f;
}

function openExisting(
  api: KernelApi,
  ex: Executive,
  path: string,
  isDir: boolean,
  access: number,
  req: OpenRequest,
) {
  const d = req.disposition;
  if (d === DISPOSITION.CREATE) return STATUS.OBJECT_NAME_COLLISION;
  if (isDir && (req.options & FILE_OPTION.NON_DIRECTORY_FILE)) return STATUS.FILE_IS_A_DIRECTORY;
  if (!isDir && (req.options & FILE_OPTION.DIRECTORY_FILE)) return STATUS.NOT_A_DIRECTORY;
  const overwrite = d === DISPOSITION.OVERWRITE || d === DISPOSITION.OVERWRITE_IF ||
    d === DISPOSITION.SUPERSEDE;
  if (isDir && overwrite) return STATUS.OBJECT_NAME_COLLISION;
  const st = api.vfs.stat(null, path);
  if (typeof st === "number") return ntFromK(st);
  const readOnly = (st.mode & 0o222) === 0;
  if (readOnly && (req.options & FILE_OPTION.DELETE_ON_CLOSE)) return STATUS.CANNOT_DELETE;
  const writes = FILE_ACCESS.WRITE_DATA | FILE_ACCESS.APPEND_DATA;
  if (readOnly && !isDir && ((access & writes) || overwrite)) return STATUS.ACCESS_DENIED;
  if (!ex.shares.check(path, access, req.share)) return STATUS.SHARING_VIOLATION;
  let flags = vfsFlags(access, isDir);
  if (overwrite) flags |= OpenFlags.WRITE | OpenFlags.TRUNC;
  const r = api.vfs.open(null, path, flags);
  if (typeof r === "number") return ntFromK(r);
  if (overwrite && !(access & FILE_ACCESS.WRITE_DATA)) r.file.flags &= ~OpenFlags.WRITE;
  const info = d === DISPOSITION.SUPERSEDE
    ? CREATE_INFO.SUPERSEDED
    : overwrite
    ? CREATE_INFO.OVERWRITTEN
    : CREATE_INFO.OPENED;
  return { file: r.file, info };
}

function create(api: KernelApi, path: string, req: OpenRequest) {
  const d = req.disposition;
  if (d === DISPOSITION.OPEN || d === DISPOSITION.OVERWRITE) return STATUS.OBJECT_NAME_NOT_FOUND;
  const mode = req.attributes & FILE_ATTRIBUTE.READONLY ? 0o444 : 0o644;
  if (req.options & FILE_OPTION.DIRECTORY_FILE) {
    const m = api.vfs.mkdir(null, path, 0o755);
    if (m !== K.OK) return ntFromK(m);
    const r = api.vfs.open(null, path, OpenFlags.READ | OpenFlags.DIRECTORY);
    return typeof r === "number" ? ntFromK(r) : { file: r.file, info: CREATE_INFO.CREATED };
  }
  const flags = vfsFlags(mapGenericAccess("File", req.access), false) | OpenFlags.CREATE |
    OpenFlags.EXCL | OpenFlags.WRITE;
  const r = api.vfs.open(null, path, flags, mode);
  if (typeof r === "number") return ntFromK(r);
  if (!(mapGenericAccess("File", req.access) & FILE_ACCESS.WRITE_DATA)) {
    r.file.flags &= ~OpenFlags.WRITE;
  }
  return { file: r.file, info: r.outcome === OpenOutcome.CREATED ? CREATE_INFO.CREATED : 1 };
}

/**
 * NtCreateFile(FileHandle*, DesiredAccess, ObjectAttributes*, IoStatusBlock*,
 * AllocationSize*, FileAttributes, ShareAccess, CreateDisposition,
 * CreateOptions, EaBuffer, EaLength).
 */
export function ntCreateFile(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 11);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  return finishOpen(t, api, ex, a[0], a[3], {
    access: a[1],
    oa: a[2],
    attributes: a[5],
    share: a[6],
    disposition: a[7],
    options: a[8],
  });
}

/** NtOpenFile(FileHandle*, DesiredAccess, ObjectAttributes*, IoStatusBlock*, ShareAccess, OpenOptions). */
export function ntOpenFile(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 6);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  return finishOpen(t, api, ex, a[0], a[3], {
    access: a[1],
    oa: a[2],
    attributes: 0,
    share: a[4],
    disposition: DISPOSITION.OPEN,
    options: a[5],
  });
}

function finishOpen(
  t: Thread,
  api: KernelApi,
  ex: Executive,
  handleOut: number,
  iosb: number,
  req: OpenRequest,
): number {
  const p = t.process;
  if (!api.checkAccess(p, handleOut, 4, true)) return nt(STATUS.ACCESS_VIOLATION);
  const w = win32Of(ex, t);
  const r = openFile(t, api, ex, w, req);
  if (typeof r === "number") {
    writeIosb(api, p, iosb, r, 0);
    return nt(r);
  }
  api.writeU32(p, handleOut, r.handle);
  writeIosb(api, p, iosb, STATUS.SUCCESS, r.info);
  return STATUS.SUCCESS;
}
