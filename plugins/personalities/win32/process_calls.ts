/**
 * Process and thread native calls: NtCreateUserProcess (a PE image starts
 * a Win32 process, an ELF image a Unix one whose descriptors 0/1/2 are the
 * standard handles), NtTerminateProcess, NtQueryInformationProcess
 * (ProcessBasicInformation), NtOpenProcess (CREATE_SUSPENDED is a stopped
 * process until NtResumeThread, thread_calls.ts) and
 * NtQuerySystemInformation (SystemProcessInformation, for tasklist).
 *
 * @module
 */

import { K, type KernelApi, OpenFlags, type Process, type Thread } from "../../../kernel/api.ts";
import { looksLikePe32 } from "../../../lib/pe.ts";
import { narg, nargs, toUtf16 } from "./args.ts";
import { splitCommandLine } from "./cmdline.ts";
import { consoleOf } from "./console_open.ts";
import { objectOf, win32Of } from "./context.ts";
import type { Executive, PendingCreate, Win32Process } from "./executive.ts";
import { mapGenericAccess } from "./ob.ts";
import { FileObject, type ProcessObject, STILL_ACTIVE, ThreadObject } from "./objects.ts";
import { nt, ntFromK, STATUS } from "./ntstatus.ts";
import { PARAMS_ADDR, PEB_BASE, PP, PP_USE_STD_HANDLES } from "./peb.ts";
import { resolveVfsName } from "./vfs_names.ts";

/** Process access rights used here. */
export const PROCESS_ACCESS = {
  TERMINATE: 0x1,
  QUERY_INFORMATION: 0x400,
  QUERY_LIMITED: 0x1000,
} as const;
/** PROCESS_CREATE_FLAGS_INHERIT_HANDLES. */
const INHERIT_HANDLES = 0x4;
/** THREAD_CREATE_FLAGS_CREATE_SUSPENDED. */
const CREATE_SUSPENDED = 0x1;
const SIGKILL = 9, SIGCHLD = 17, SIGSTOP = 19;

/** The parameters block as the caller wrote it. */
interface Params {
  flags: number;
  std: number[];
  image: string;
  commandLine: string;
  env: string[] | null;
  curDir: string;
}

function readParams(api: KernelApi, p: Process, addr: number): Params | number {
  const raw = api.copyIn(p, addr, 304);
  if (raw === null) return STATUS.ACCESS_VIOLATION;
  const v = new DataView(raw.buffer);
  const str = (off: number) => {
    const ptr = v.getUint32(off, true);
    if (ptr === 0) return "";
    const s = api.readString(p, ptr, 32768);
    return typeof s === "number" ? null : s;
  };
  const image = str(PP.IMAGE), cmd = str(PP.CMDLINE);
  if (image === null || cmd === null) return STATUS.ACCESS_VIOLATION;
  let env: string[] | null = null;
  const envPtr = v.getUint32(PP.ENV, true);
  if (envPtr !== 0) {
    const size = Math.min(v.getUint32(PP.ENV_SIZE, true) || 32768, 65536);
    const block = api.copyIn(p, envPtr, size);
    if (block === null) return STATUS.ACCESS_VIOLATION;
    env = splitEnv(block);
  }
  let cur = "";
  for (let i = PP.CURDIR; i < 304 && raw[i] !== 0; i++) cur += String.fromCharCode(raw[i]);
  const std = [PP.STDIN, PP.STDOUT, PP.STDERR].map((o) => v.getUint32(o, true));
  return { flags: v.getUint32(PP.FLAGS, true), std, image, commandLine: cmd, env, curDir: cur };
}

function splitEnv(block: Uint8Array): string[] {
  const out: string[] = [];
  let s = "";
  for (let i = 0; i < block.length; i++) {
    if (block[i] === 0) {
      if (s === "") break;
      out.push(s);
      s = "";
    } else s += String.fromCharCode(block[i]);
  }
  return out;
}

/** The caller's own parameters block (its PEB's), for defaults. */
function ownParams(api: KernelApi, p: Process): Params | number {
  const pp = api.readU32(p, PEB_BASE + 12);
  return readParams(api, p, pp < 0 ? PARAMS_ADDR : pp);
}

/** A Win32 path (drive-absolute, or relative to `cur`) as a VFS name. */
function vfsOfWin32(ex: Executive, path: string, cur: string) {
  let full = path;
  if (!/^[A-Za-z]:[\\/]/.test(full)) full = cur.replace(/[\\/]*$/, "\\") + full;
  const root = ex.ns.drives.get(full[0].toUpperCase());
  if (root === undefined) return STATUS.OBJECT_PATH_NOT_FOUND;
  return resolveVfsName(ex.api, root, full.slice(3));
}

/**
 * The environment of a Unix program started by a Win32 one: a Win32 `PATH`
 * (`C:\bin;C:\Windows\System32`) becomes the Unix list of the same
 * folders (`/bin:/windows/system32`), as Cygwin converts it, so that the
 * program's own searches work; folders that do not resolve are left out. A
 * `PATH` in Unix form (no drive letter, no `;`) passes unchanged.
 */
export function unixEnvironment(ex: Executive, env: string[]): string[] {
  return env.map((v) => {
    if (!/^PATH=/i.test(v)) return v;
    const value = v.slice(5);
    if (!value.includes(";") && !/^[A-Za-z]:[\\/]/.test(value)) return v;
    const dirs: string[] = [];
    for (const dir of value.split(";")) {
      if (!/^[A-Za-z]:[\\/]/.test(dir)) continue;
      const r = vfsOfWin32(ex, dir, "C:\\");
      if (typeof r !== "number" && r.exists && r.isDir && !dirs.includes(r.path)) dirs.push(r.path);
    }
    return "PATH=" + dirs.join(":");
  });
}

function isPe(api: KernelApi, path: string): boolean | number {
  const r = api.vfs.open(null, path, OpenFlags.READ);
  if (typeof r === "number") return ntFromK(r);
  try {
    const head = new Uint8Array(4096);
    const n = api.vfs.pread(r.file, head, 0);
    return n > 0 && looksLikePe32(head.subarray(0, n));
  } finally {
    api.vfs.close(r.file);
  }
}

function stdObjects(w: Win32Process, values: number[]): PendingCreate["std"] {
  return values.map((h) => {
    const e = h === 0 ? null : w.handles.entry(h);
    return e === null ? null : { object: e.object, access: e.access, value: h };
  });
}

/**
 * NtCreateUserProcess(ProcessHandle*, ThreadHandle*, ProcessDesiredAccess,
 * ThreadDesiredAccess, ProcessObjectAttributes*, ThreadObjectAttributes*,
 * ProcessFlags, ThreadFlags, ProcessParameters*, CreateInfo*,
 * AttributeList*); see `strata/peb.h` for the parameters block.
 */
export function ntCreateUserProcess(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 11);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const p = t.process;
  const w = win32Of(ex, t);
  if (!api.checkAccess(p, a[0], 4, true) || !api.checkAccess(p, a[1], 4, true)) {
    return nt(STATUS.ACCESS_VIOLATION);
  }
  const prm = readParams(api, p, a[8]);
  if (typeof prm === "number") return nt(prm);
  const own = ownParams(api, p);
  if (typeof own === "number") return nt(own);
  const cur = prm.curDir !== "" ? prm.curDir : own.curDir;
  const vn = vfsOfWin32(ex, prm.image, own.curDir);
  if (typeof vn === "number") return nt(vn);
  if (!vn.exists || vn.isDir) {
    return nt(vn.isDir ? STATUS.ACCESS_DENIED : STATUS.OBJECT_NAME_NOT_FOUND);
  }
  const curVfs = vfsOfWin32(ex, cur, own.curDir);
  if (typeof curVfs === "number" || !curVfs.isDir) return nt(STATUS.OBJECT_PATH_NOT_FOUND);
  const pe = isPe(api, vn.path);
  if (typeof pe === "number") return nt(pe);
  const stdValues = (prm.flags & PP_USE_STD_HANDLES) ? prm.std : own.std;
  const pending: PendingCreate = {
    inherit: (a[6] & INHERIT_HANDLES) ? w.handles : null,
    std: stdObjects(w, stdValues),
    commandLine: prm.commandLine,
    env: prm.env ?? own.env ?? [],
    curDir: cur.replace(/[\\/]*$/, "\\"),
    imagePath: ex.win32Path(vn.path),
    suspended: (a[7] & CREATE_SUSPENDED) !== 0,
  };
  const child = spawnChild(t, api, ex, vn.path, pe, pending, curVfs.path);
  if (typeof child === "number") return nt(child);
  return finishCreate(t, api, ex, w, child, a, pending.suspended);
}

function spawnChild(
  t: Thread,
  api: KernelApi,
  ex: Executive,
  path: string,
  pe: boolean,
  pending: PendingCreate,
  cwd: string,
): Process | number {
  const argv = splitCommandLine(pending.commandLine);
  ex.pending = pe ? pending : null;
  ex.lastLoadStatus = 0;
  const c = api.spawn(t, path, argv, pe ? pending.env : unixEnvironment(ex, pending.env));
  ex.pending = null;
  if (typeof c === "number") {
    return ex.lastLoadStatus !== 0
      ? ex.lastLoadStatus
      : c === K.NOEXEC
      ? STATUS.INVALID_IMAGE_FORMAT
      : ntFromK(c);
  }
  api.chdir(c, cwd);
  const cw = ex.data(c);
  // A Win32 child is attached to its creator's console.
  if (cw !== null) {
    const con = consoleOf(ex, win32Of(ex, t), t.process);
    cw.console = con === null ? null : api.vfs.retain(con);
  }
  if (!pe) {
    unixStdio(api, c, pending);
    // The executive ignores SIGCHLD in Win32 processes (their children are reaped at exit);
    // a Unix program starts with the default, or it could not wait for its own children.
    api.setSigAction(c, SIGCHLD, { handler: 0, flags: 0, maskLo: 0, maskHi: 0, restorer: 0 });
  }
  return c;
}

/** A Unix child: descriptors 0/1/2 become the standard handles' files, the rest close. */
function unixStdio(api: KernelApi, c: Process, pending: PendingCreate): void {
  for (const fd of api.fdList(c)) api.fdClose(c, fd);
  pending.std.forEach((s, fd) => {
    const f = s?.object instanceof FileObject ? s.object.file : null;
    if (f !== null) api.fdInstall(c, api.vfs.retain(f), false, fd);
  });
}

function finishCreate(
  t: Thread,
  api: KernelApi,
  ex: Executive,
  w: Win32Process,
  child: Process,
  a: number[],
  suspended: boolean,
): number {
  const cw = ex.data(child);
  const pobj = ex.processObject(child);
  const tobj = cw?.thread ?? new ThreadObject(pobj, child.mainThread);
  const hp = w.handles.insert(pobj, mapGenericAccess("Process", a[2] || 0x1f_ffff));
  const ht = w.handles.insert(tobj, mapGenericAccess("Thread", a[3] || 0x1f_ffff));
  if (suspended) {
    tobj.suspendCount = 1;
    tobj.stoppedProcess = true;
    api.kill(null, child.pid, SIGSTOP);
  }
  api.writeU32(t.process, a[0], hp);
  api.writeU32(t.process, a[1], ht);
  if (a[9] !== 0) {
    const info = new Uint8Array(16);
    const v = new DataView(info.buffer);
    v.setUint32(0, 16, true);
    v.setUint32(4, child.pid, true);
    v.setUint32(8, child.mainThread.tid, true);
    api.copyOut(t.process, a[9], info);
  }
  return STATUS.SUCCESS;
}

/**
 * NtTerminateProcess(ProcessHandle, ExitStatus): the caller itself (-1 or
 * its own handle) ends with the full 32-bit code (a Unix parent's wait sees
 * its low 8 bits); another process is killed and reports the code. An
 * exited process: STATUS_PROCESS_IS_TERMINATING.
 */
export function ntTerminateProcess(t: Thread, api: KernelApi, ex: Executive): number {
  const w = win32Of(ex, t);
  const code = t.regs[11] >>> 0;
  const o = objectOf(w, t.regs[10], "Process", PROCESS_ACCESS.TERMINATE);
  if (typeof o === "number") return nt(o);
  const po = o as ProcessObject;
  if (po.process === t.process) {
    po.exitStatus = code;
    return api.exit(t, code);
  }
  if (po.exited) return nt(STATUS.PROCESS_IS_TERMINATING);
  po.exitStatus = code;
  api.kill(null, po.process.pid, SIGKILL);
  return STATUS.SUCCESS;
}

/**
 * NtQueryInformationProcess(ProcessHandle, ProcessInformationClass,
 * ProcessInformation*, Length, ReturnLength*): ProcessBasicInformation (0):
 * {ExitStatus, PebBaseAddress, AffinityMask, BasePriority, UniqueProcessId,
 * InheritedFromUniqueProcessId}; ExitStatus is STILL_ACTIVE (259) while
 * the process runs.
 */
export function ntQueryInformationProcess(t: Thread, api: KernelApi, ex: Executive): number {
  // Five arguments, all in registers (no allocation: this is the null native call of the benchmarks).
  const handle = narg(t, api, 0), cls = narg(t, api, 1), buf = narg(t, api, 2);
  const len = narg(t, api, 3), retLen = narg(t, api, 4);
  const w = win32Of(ex, t);
  const o = objectOf(w, handle, "Process", 0);
  if (typeof o === "number") return nt(o);
  const e = w.handles.entry(handle);
  const acc = e === null ? 0x1f_ffff : e.access;
  if (!(acc & (PROCESS_ACCESS.QUERY_INFORMATION | PROCESS_ACCESS.QUERY_LIMITED))) {
    return nt(STATUS.ACCESS_DENIED);
  }
  if (cls !== 0) return nt(STATUS.INVALID_INFO_CLASS);
  if (len !== 24) return nt(STATUS.INFO_LENGTH_MISMATCH);
  const po = o as ProcessObject;
  const proc = po.process;
  const self = proc === t.process; // running, so STILL_ACTIVE, and a Win32 process
  const v = BASIC_INFO_VIEW;
  v.setUint32(0, self ? STILL_ACTIVE : po.exitCode(), true);
  v.setUint32(4, self || ex.data(proc) !== null ? PEB_BASE : 0, true);
  v.setUint32(8, 1, true);
  v.setUint32(12, 8, true);
  v.setUint32(16, proc.pid, true);
  v.setUint32(20, proc.parent?.pid ?? 0, true);
  if (!api.copyOut(t.process, buf, BASIC_INFO)) return nt(STATUS.ACCESS_VIOLATION);
  if (retLen !== 0) api.writeU32(t.process, retLen, 24);
  return STATUS.SUCCESS;
}

/** PROCESS_BASIC_INFORMATION, filled and copied out by each query (a fresh buffer a call costs ~1 us). */
const BASIC_INFO = new Uint8Array(24);
const BASIC_INFO_VIEW = new DataView(BASIC_INFO.buffer);

/** NtOpenProcess(ProcessHandle*, DesiredAccess, ObjectAttributes*, ClientId*). */
export function ntOpenProcess(t: Thread, api: KernelApi, ex: Executive): number {
  const a = nargs(t, api, 4);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  const pid = a[3] === 0 ? -1 : api.readU32(t.process, a[3]);
  if (pid < 0) return nt(a[3] === 0 ? STATUS.INVALID_PARAMETER : STATUS.ACCESS_VIOLATION);
  const proc = api.getProcess(pid);
  if (proc === null || proc.reaped) return nt(STATUS.INVALID_CID);
  const obj = ex.processObject(proc);
  const w = win32Of(ex, t);
  const h = w.handles.insert(obj, mapGenericAccess("Process", a[1]));
  if (h < 0) return h;
  if (!api.writeU32(t.process, a[0], h)) {
    w.handles.close(h, true);
    return nt(STATUS.ACCESS_VIOLATION);
  }
  return STATUS.SUCCESS;
}

/** SYSTEM_PROCESS_INFORMATION record size (32-bit) and thread record size. */
const SPI = 184, STI = 64;

/**
 * NtQuerySystemInformation(SystemInformationClass, SystemInformation*,
 * Length, ReturnLength*): SystemProcessInformation (5), one record per live
 * process (pid 0 "System Idle Process" first, as NT lists it) with its
 * threads, its virtual size, working set (resident pages) and page-fault
 * count read from /proc/PID/stat; times are 0. Too small:
 * STATUS_INFO_LENGTH_MISMATCH with the size needed.
 */
export function ntQuerySystemInformation(t: Thread, api: KernelApi, _ex: Executive): number {
  const a = nargs(t, api, 4);
  if (a === null) return nt(STATUS.ACCESS_VIOLATION);
  if (a[0] !== 5) return nt(STATUS.INVALID_INFO_CLASS);
  const recs = api.processes().filter((p) => !p.reaped && p.state !== 4).map((p) =>
    processRecord(api, p)
  );
  const total = recs.reduce((n, r) => n + r.length, 0);
  if (a[3] !== 0) api.writeU32(t.process, a[3], total);
  if (a[2] < total) return nt(STATUS.INFO_LENGTH_MISMATCH);
  const out = new Uint8Array(total);
  let at = 0;
  recs.forEach((r, i) => {
    const v = new DataView(r.buffer);
    if (i < recs.length - 1) v.setUint32(0, r.length, true);
    const nameLen = v.getUint16(56, true);
    if (nameLen > 0) v.setUint32(60, a[1] + at + v.getUint32(60, true), true);
    out.set(r, at);
    at += r.length;
  });
  return api.copyOut(t.process, a[1], out) ? STATUS.SUCCESS : nt(STATUS.ACCESS_VIOLATION);
}

/** Virtual size and resident bytes of `pid` from /proc/PID/stat (fields 23 and 24), or zeros. */
function memoryOf(api: KernelApi, pid: number): [number, number] {
  const data = api.vfs.readWholeFile(`/proc/${pid}/stat`);
  if (typeof data === "number") return [0, 0];
  const text = new TextDecoder().decode(data);
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // f[0] is field 3 (state): field n is f[n - 3].
  return [Number(f[20]) || 0, (Number(f[21]) || 0) * 4096];
}

function processRecord(api: KernelApi, p: Process): Uint8Array {
  const name = toUtf16(p.comm);
  const threads = p.threads.filter((th) => th !== null);
  const size = (SPI + threads.length * STI + name.length + 2 + 7) & ~7;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  v.setUint32(4, threads.length, true);
  v.setUint16(56, name.length, true);
  v.setUint16(58, name.length + 2, true);
  v.setUint32(60, SPI + threads.length * STI, true); // relative; made absolute by the caller
  v.setInt32(64, 8, true);
  v.setUint32(68, p.pid, true);
  v.setUint32(72, p.parent?.pid ?? 0, true);
  v.setUint32(80, 1, true);
  const [vsize, rss] = memoryOf(api, p.pid);
  v.setUint32(88, vsize, true); // PeakVirtualSize (the peak is not kept: the current size)
  v.setUint32(92, vsize, true);
  v.setUint32(96, p.pageFaults, true);
  v.setUint32(100, rss, true);
  v.setUint32(104, rss, true);
  threads.forEach((th, i) => {
    const o = SPI + i * STI;
    v.setUint32(o + 32, p.pid, true);
    v.setUint32(o + 36, th.tid, true);
    v.setInt32(o + 40, 8, true);
    v.setInt32(o + 44, 8, true);
  });
  b.set(name, SPI + threads.length * STI);
  return b;
}
