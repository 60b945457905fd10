/**
 * Native calls that read and change file metadata and names:
 * NtQueryInformationFile, NtSetInformationFile (basic: times and the
 * read-only attribute; disposition; position; end of file; allocation;
 * rename), NtQueryDirectoryFile (wildcards, restart, single entry),
 * NtQueryAttributesFile, NtQueryFullAttributesFile and NtDeleteFile.
 *
 * @module
 */

import { K, type KernelApi, S_IFDIR, S_IFMT, type Stat, type Thread } from "../../../kernel/api.ts";
import {
  nargs,
  readObjectAttributes,
  readUnicodeString,
  toUtf16,
  utf16,
  writeIosb,
} from "./args.ts";
import { objectOf, win32Of } from "./context.ts";
import { consoleStat } from "./console_open.ts";
import type { Executive } from "./executive.ts";
import {
  basicInfo,
  directoryRecord,
  FILE_ATTRIBUTE,
  FILE_INFO,
  fromFiletime,
  networkOpenInfo,
  standardInfo,
  wildcardMatch,
} from "./file_info.ts";
import { FILE_ACCESS, type FileObject } from "./objects.ts";
import { nt, ntFromK, STATUS } from "./ntstatus.ts";

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function statOf(api: KernelApi, f: FileObject): Stat | number {
  if (f.file === null) return STATUS.INVALID_PARAMETER;
  const st = api.vfs.fstat(f.file);
  return typeof st === "number" ? ntFromK(st) : st;
}

/** The bytes a query of class `cls` returns for `f`, or an NTSTATUS. */
function queryRecord(
  api: KernelApi,
  ex: Executive,
  f: FileObject,
  cls: number,
): Uint8Array | number {
  if (cls === FILE_INFO.POSITION) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, BigInt(f.file?.offset ?? 0), true);
    return b;
  }
  if (cls === FILE_INFO.MODE) return new Uint8Array(4);
  const st = statOf(api, f);
  if (typeof st === "number") return st;
  const name = baseName(f.path);
  switch (cls) {
    case FILE_INFO.BASIC:
      return basicInfo(st, name);
    case FILE_INFO.STANDARD:
      return standardInfo(st, f.deletePending || ex.shares.deletePending(f.path));
    case FILE_INFO.NETWORK_OPEN:
      return networkOpenInfo(st, name);
    case FILE_INFO.ATTRIBUTE_TAG: {
      const b = new Uint8Array(8);
      b.set(basicInfo(st, name).subarray(32, 36));
      return b;
    }
    case FILE_INFO.NAME: {
      const w = toUtf16(ex.win32Path(f.path).slice(2));
      const b = new Uint8Array(4 + w.length);
      new DataView(b.buffer).setUint32(0, w.length, true);
      b.set(w, 4);
      return b;
    }
    default:
      return STATUS.INVALID_INFO_CLASS;
  }
}

/** NtQueryInformationFile(FileHandle, IoStatusBlock*, FileInformation*, Length, FileInformationClass). */
export function ntQueryInformationFile(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 5);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const o = objectOf(win32Of(ex, t), a[0], "File", 0);
  if (typeof o === "number") return nt(o);
  const rec = queryRecord(api, ex, o as FileObject, a[4]);
  if (typeof rec === "number") return nt(rec);
  let st: number = STATUS.SUCCESS;
  let out = rec;
  if (a[3] < rec.length) {
    if (a[4] !== FILE_INFO.NAME || a[3] < 4) return nt(STATUS.INFO_LENGTH_MISMATCH);
    out = rec.subarray(0, a[3]);
    st = STATUS.BUFFER_OVERFLOW;
  }
  if (!api.copyOut(t.process, a[2], out)) return nt(STATUS.ACCESS_VIOLATION);
  writeIosb(api, t.process, a[1], st, out.length);
  return nt(st);
}

/** NtSetInformationFile(FileHandle, IoStatusBlock*, FileInformation*, Length, FileInformationClass). */
export function ntSetInformationFile(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 5);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const w = win32Of(ex, t);
  const o = objectOf(w, a[0], "File", 0);
  if (typeof o === "number") return nt(o);
  const f = o as FileObject;
  const data = api.copyIn(t.process, a[2], Math.min(a[3], 4096));
  if (data === null) return nt(STATUS.ACCESS_VIOLATION);
  const access = w.handles.entry(a[0])?.access ?? 0x1f01ff;
  const st = setInfo(t, api, ex, f, a[4], data, access);
  writeIosb(api, t.process, a[1], st, 0);
  return nt(st);
}

function need(access: number, bits: number): boolean {
  return (access & bits) === bits;
}

function setInfo(
  t: Thread,
  api: KernelApi,
  ex: Executive,
  f: FileObject,
  cls: number,
  data: Uint8Array,
  access: number,
): number {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const min: Record<number, number> = { 4: 36, 10: 12, 13: 1, 14: 8, 19: 8, 20: 8 };
  if (min[cls] === undefined) return STATUS.INVALID_INFO_CLASS;
  if (data.length < min[cls]) return STATUS.INFO_LENGTH_MISMATCH;
  switch (cls) {
    case FILE_INFO.BASIC:
      if (!need(access, FILE_ACCESS.WRITE_ATTRIBUTES)) return STATUS.ACCESS_DENIED;
      return setBasic(api, f, v);
    case FILE_INFO.DISPOSITION: {
      if (!need(access, FILE_ACCESS.DELETE)) return STATUS.ACCESS_DENIED;
      const st = statOf(api, f);
      if (typeof st === "number") return st;
      if (data[0] !== 0 && (st.mode & 0o222) === 0 && (st.mode & S_IFMT) !== S_IFDIR) {
        return STATUS.CANNOT_DELETE;
      }
      if (data[0] !== 0 && (st.mode & S_IFMT) === S_IFDIR) {
        const r = api.vfs.readdir(f.file!);
        if (typeof r !== "number" && r.some((e) => e.name !== "." && e.name !== "..")) {
          return STATUS.DIRECTORY_NOT_EMPTY;
        }
      }
      f.deletePending = data[0] !== 0;
      return STATUS.SUCCESS;
    }
    case FILE_INFO.POSITION: {
      const off = v.getBigInt64(0, true);
      if (off < 0n || f.file === null) return STATUS.INVALID_PARAMETER;
      f.file.offset = Number(off);
      return STATUS.SUCCESS;
    }
    case FILE_INFO.END_OF_FILE:
    case FILE_INFO.ALLOCATION: {
      if (!need(access, FILE_ACCESS.WRITE_DATA)) return STATUS.ACCESS_DENIED;
      const size = v.getBigInt64(0, true);
      if (size < 0n || f.file === null || f.kind !== "file") return STATUS.INVALID_PARAMETER;
      const st = statOf(api, f);
      if (typeof st === "number") return st;
      if (cls === FILE_INFO.ALLOCATION && Number(size) >= st.size) return STATUS.SUCCESS;
      return ntFromK(api.vfs.ftruncate(f.file, Number(size)));
    }
    default:
      if (!need(access, FILE_ACCESS.DELETE)) return STATUS.ACCESS_DENIED;
      return rename(t, api, ex, f, data, v);
  }
}

function setBasic(api: KernelApi, f: FileObject, v: DataView): number {
  const st = statOf(api, f);
  if (typeof st === "number") return st;
  const atime = v.getBigInt64(8, true), mtime = v.getBigInt64(16, true);
  const attrs = v.getUint32(32, true);
  const change: { mode?: number; atimeNs?: bigint; mtimeNs?: bigint } = {};
  if (atime > 0n) change.atimeNs = fromFiletime(atime);
  if (mtime > 0n) change.mtimeNs = fromFiletime(mtime);
  if (attrs !== 0) {
    const ro = (attrs & FILE_ATTRIBUTE.READONLY) !== 0;
    const perm = st.mode & 0o7777;
    change.mode = ro ? perm & ~0o222 : perm | 0o200;
  }
  return ntFromK(api.vfs.setAttr(null, f.path, change));
}

/** FILE_RENAME_INFORMATION {ReplaceIfExists u8, RootDirectory, FileNameLength, FileName[]}. */
function rename(
  t: Thread,
  api: KernelApi,
  ex: Executive,
  f: FileObject,
  data: Uint8Array,
  v: DataView,
): number {
  const replace = data[0] !== 0;
  const rootH = v.getUint32(4, true), len = v.getUint32(8, true);
  if (12 + len > data.length || len & 1) return STATUS.INVALID_PARAMETER;
  const name = utf16(data.subarray(12, 12 + len));
  let root: FileObject | null = null;
  if (rootH !== 0) {
    const r = objectOf(win32Of(ex, t), rootH, "File", 0);
    if (typeof r === "number") return r;
    root = r as FileObject;
  }
  const vn = ex.vfsName(name, root);
  if (typeof vn === "number") return vn;
  if (vn.path === f.path) return STATUS.SUCCESS;
  if (vn.exists) {
    if (!replace) return STATUS.OBJECT_NAME_COLLISION;
    if (vn.isDir || ex.shares.isOpen(vn.path)) return STATUS.ACCESS_DENIED;
  }
  const r = api.vfs.rename(null, f.path, null, vn.path);
  if (r !== K.OK) return ntFromK(r);
  ex.shares.rename(f.path, vn.path);
  f.path = vn.path;
  return STATUS.SUCCESS;
}

/**
 * NtQueryDirectoryFile(FileHandle, Event, ApcRoutine, ApcContext,
 * IoStatusBlock*, FileInformation*, Length, FileInformationClass,
 * ReturnSingleEntry, FileName* (pattern), RestartScan). Classes
 * FileDirectory, FileFullDirectory, FileBothDirectory, FileNames. The
 * pattern is fixed by the first call (or a restart); "." and ".." come
 * first except at a drive's root. Nothing matched at all:
 * STATUS_NO_SUCH_FILE; nothing left: STATUS_NO_MORE_FILES.
 */
export function ntQueryDirectoryFile(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 11);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const o = objectOf(win32Of(ex, t), a[0], "File", FILE_ACCESS.LIST_DIRECTORY);
  if (typeof o === "number") return nt(o);
  const f = o as FileObject;
  const cls = a[7];
  if (![1, 2, 3, 12].includes(cls)) return nt(STATUS.INVALID_INFO_CLASS);
  if (f.kind !== "directory" || f.file === null) return nt(STATUS.INVALID_PARAMETER);
  let first = false;
  if (f.enumeration === null || a[10] !== 0) {
    const pat = a[9] === 0 ? "*" : readUnicodeString(api, t.process, a[9]);
    if (typeof pat === "number") return nt(pat);
    const st = listDirectory(api, ex, f, pat === "" ? "*" : pat);
    if (st !== STATUS.SUCCESS) return nt(st);
    first = true;
  }
  const e = f.enumeration!;
  if (e.names.length === 0) {
    const st = first ? STATUS.NO_SUCH_FILE : STATUS.NO_MORE_FILES;
    writeIosb(api, t.process, a[4], st, 0);
    return nt(st);
  }
  return fillDirectory(t, api, f, a, cls);
}

function listDirectory(api: KernelApi, ex: Executive, f: FileObject, pattern: string): number {
  const list = api.vfs.readdir(f.file!);
  if (typeof list === "number") return ntFromK(list);
  const atRoot = [...ex.ns.drives.values()].includes(f.path);
  const names = list.map((d) => d.name).filter((n) => n !== "." && n !== "..");
  if (!atRoot) names.unshift(".", "..");
  f.enumeration = { names: names.filter((n) => wildcardMatch(pattern, n)), pattern };
  return STATUS.SUCCESS;
}

function fillDirectory(t: Thread, api: KernelApi, f: FileObject, a: number[], cls: number): number {
  const e = f.enumeration!;
  const max = Math.min(a[6], 64 * 1024);
  const out = new Uint8Array(max);
  const v = new DataView(out.buffer);
  let at = 0, last = -1, lastLen = 0, count = 0;
  while (e.names.length > 0) {
    const name = e.names[0];
    const path = name === "." ? f.path : name === ".." ? parentOf(f.path) : join(f.path, name);
    const st = api.vfs.lstat(null, path);
    if (st === K.RESTART) {
      // A disk is reading the entry's blocks: wait and run the call again (from this entry),
      // unless entries are already filled in; they go out now, this one with the next call.
      if (count === 0) return K.RESTART;
      break;
    }
    if (typeof st === "number") {
      e.names.shift();
      continue;
    }
    const rec = directoryRecord(cls, st, name, count);
    if (at + rec.length > max) break;
    if (last >= 0) v.setUint32(last, at - last, true);
    out.set(rec, at);
    last = at;
    lastLen = rec.length;
    at = (at + rec.length + 7) & ~7;
    e.names.shift();
    count++;
    if (a[8] !== 0) break;
  }
  if (count === 0) return nt(STATUS.BUFFER_OVERFLOW);
  const len = last + lastLen;
  if (!api.copyOut(t.process, a[5], out.subarray(0, len))) return nt(STATUS.ACCESS_VIOLATION);
  writeIosb(api, t.process, a[4], STATUS.SUCCESS, len);
  return STATUS.SUCCESS;
}

function join(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** Stat of the object named by OBJECT_ATTRIBUTES at `oaPtr`, with its VFS path; or an NTSTATUS. */
function statByName(t: Thread, api: KernelApi, ex: Executive, oaPtr: number) {
  const oa = readObjectAttributes(api, t.process, oaPtr);
  if (typeof oa === "number") return oa;
  let root: FileObject | null = null;
  if (oa.root !== 0) {
    const r = objectOf(win32Of(ex, t), oa.root, "File", 0);
    if (typeof r === "number") return r;
    root = r as FileObject;
  } else {
    const dev = ex.deviceOf(oa.name, null);
    if (typeof dev !== "number" && dev.device.kind === "console") {
      return consoleStat(ex, win32Of(ex, t), t.process, dev.rest);
    }
  }
  const vn = ex.vfsName(oa.name, root);
  if (typeof vn === "number") return vn;
  if (!vn.exists) return STATUS.OBJECT_NAME_NOT_FOUND;
  const st = api.vfs.stat(null, vn.path);
  return typeof st === "number" ? ntFromK(st) : { st, path: vn.path };
}

/** NtQueryAttributesFile(ObjectAttributes*, FILE_BASIC_INFORMATION*). */
export function ntQueryAttributesFile(t: Thread, api: KernelApi, ex: Executive): number {
  const r = statByName(t, api, ex, t.regs[10] >>> 0);
  if (typeof r === "number") return nt(r);
  const ok = api.copyOut(t.process, t.regs[11] >>> 0, basicInfo(r.st, baseName(r.path)));
  return ok ? STATUS.SUCCESS : nt(STATUS.ACCESS_VIOLATION);
}

/** NtQueryFullAttributesFile(ObjectAttributes*, FILE_NETWORK_OPEN_INFORMATION*). */
export function ntQueryFullAttributesFile(t: Thread, api: KernelApi, ex: Executive): number {
  const r = statByName(t, api, ex, t.regs[10] >>> 0);
  if (typeof r === "number") return nt(r);
  const ok = api.copyOut(t.process, t.regs[11] >>> 0, networkOpenInfo(r.st, baseName(r.path)));
  return ok ? STATUS.SUCCESS : nt(STATUS.ACCESS_VIOLATION);
}

/**
 * NtDeleteFile(ObjectAttributes*): deletes a file or an empty directory
 * now (read-only: STATUS_CANNOT_DELETE; open without FILE_SHARE_DELETE:
 * STATUS_SHARING_VIOLATION; a non-empty directory:
 * STATUS_DIRECTORY_NOT_EMPTY).
 */
export function ntDeleteFile(t: Thread, api: KernelApi, ex: Executive): number {
  const r = statByName(t, api, ex, t.regs[10] >>> 0);
  if (typeof r === "number") return nt(r);
  const dir = (r.st.mode & S_IFMT) === S_IFDIR;
  if (!dir && (r.st.mode & 0o222) === 0) return nt(STATUS.CANNOT_DELETE);
  if (!ex.shares.check(r.path, FILE_ACCESS.DELETE, 7)) return nt(STATUS.SHARING_VIOLATION);
  const k = dir ? api.vfs.rmdir(null, r.path) : api.vfs.unlink(null, r.path);
  return nt(ntFromK(k));
}
