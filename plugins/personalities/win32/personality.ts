/**
 * The Win32 personality object: PE32 RISC-V images are its format
 * (`checkBinary`), `loadBinary` maps the exe, ntdll.dll, kernel32.dll and
 * every DLL imported (modules.ts), and `setupProcess` gives the new process
 * its handle table (inherited handles, standard handles), its PEB block,
 * and starts the first thread at ntdll's `LdrInitializeThunk(peb, teb)`.
 * Exit and exec-away close the handle table.
 *
 * @module
 */

import {
  K,
  type KernelApi,
  type KStatus,
  type LoadedImage,
  type Personality,
  type Process,
  PROT,
  type Thread,
} from "../../../kernel/api.ts";
import { findExport, looksLikePe32 } from "../../../lib/pe.ts";
import { joinCommandLine } from "./cmdline.ts";
import { Executive, Win32Process } from "./executive.ts";
import { type MapSpace, ModuleSet } from "./modules.ts";
import { buildNativeArrays } from "./native_table.ts";
import { NATIVE_CALL_NAMES } from "./native_numbers.ts";
import { ntFromK, STATUS } from "./ntstatus.ts";
import { ThreadObject } from "./objects.ts";
import { catchCtrlSignals, deliverCtrl } from "./console_ctrl.ts";
import { threadEnded } from "./thread_calls.ts";
import { abandonMutants } from "./ob.ts";
import { syncThreadEnded } from "./sync_calls.ts";
import { vmFault } from "./vm_calls.ts";
import { dispatchException } from "./exceptions.ts";
import { buildPebRegion, PEB_BASE, PEB_REGION, TEB_ADDR, WIN32_STACK_TOP } from "./peb.ts";

/** STATUS_INVALID_SYSTEM_SERVICE: a number beyond the table. */
const INVALID_SYSTEM_SERVICE = 0xc000_001c;
/** Stack reserve limits (bytes). */
const STACK_MIN = 64 * 1024, STACK_MAX = 8 * 1024 * 1024;

/** The DLLs every Win32 process maps first, in this order. */
export const SYSTEM_DLLS = ["ntdll.dll", "kernel32.dll"];

/** Builds the Win32 personality (and its executive) bound to one kernel. */
export function createWin32Personality(
  api: KernelApi,
  shares: string[] = [],
): Personality & { readonly executive: Executive } {
  const ex = new Executive(api, shares);
  ex.threadExitHooks.push((t) => threadEnded(ex, t));
  ex.threadExitHooks.push(syncThreadEnded);
  const arrays = buildNativeArrays(ex);
  return {
    name: "win32",
    executive: ex,
    ...arrays,
    mapStatus: (status: number) => ntFromK(status) | 0,
    deliverSignal: (t, sig) => deliverCtrl(ex, t, sig),
    checkBinary: looksLikePe32,
    loadBinary: (bytes, path, loader) =>
      loadWin32Image(ex, bytes, path, {
        mapFilled(addr, data, prot, name) {
          const st = loader.map(addr, data.length, prot, name);
          return st < 0 ? st : loader.write(addr, data);
        },
        unmap() {},
      }),
    setupProcess: (t, image, argv, envp) => setupWin32Process(ex, t, image, argv, envp),
    missing(_t: Thread, num: number): number {
      return (num < NATIVE_CALL_NAMES.length ? STATUS.NOT_IMPLEMENTED : INVALID_SYSTEM_SERVICE) | 0;
    },
    onFault(t: Thread, cause: number, address: number): void {
      const code = vmFault(ex, t, cause, address);
      if (dispatchException(ex, t, code, cause, address)) return;
      const w = ex.data(t.process);
      if (w !== null) w.object.exitStatus = code;
      api.exit(t, code);
    },
    onThreadExit(t: Thread): void {
      for (const hook of ex.threadExitHooks) hook(t);
    },
    onExit: (p: Process) => releaseWin32(ex, p),
    onExecAway: (p: Process) => releaseWin32(ex, p),
  };
}

/** Loads the exe and its DLLs into the new space; the image or a K status (the NTSTATUS is kept). */
export function loadWin32Image(
  ex: Executive,
  bytes: Uint8Array,
  path: string,
  space: MapSpace,
): LoadedImage | KStatus {
  const fail = (st: number) => {
    ex.lastLoadStatus = st;
    ex.api.log(`win32: cannot load ${path}: status 0x${st.toString(16)}`);
    return K.NOEXEC;
  };
  const reserved: [number, number][] = [[WIN32_STACK_TOP - STACK_MAX, 0x8000_0000]];
  const set = new ModuleSet(ex.api, ex.images, space, reserved);
  set.win32Path = (v) => ex.win32Path(v);
  const exe = set.loadExe(path, bytes);
  if (typeof exe === "number") return fail(exe);
  const st = set.linkExe(SYSTEM_DLLS);
  if (st !== STATUS.SUCCESS) return fail(st);
  const ntdll = set.modules.find((m) => m.baseName.toLowerCase() === "ntdll.dll")!;
  const thunk = ntdll.exports === null ? null : findExport(ntdll.exports, "LdrInitializeThunk", 0);
  if (thunk === null || thunk.forwarder !== null) return fail(STATUS.ENTRYPOINT_NOT_FOUND);
  const reserve = set.exeStackReserve;
  const stackSize = Math.min(Math.max(Math.ceil(reserve / 4096) * 4096, STACK_MIN), STACK_MAX);
  const image: LoadedImage = {
    path,
    entry: (ntdll.base + thunk.rva) >>> 0,
    phdrAddr: 0,
    phent: 0,
    phnum: 0,
    base: exe.base,
    brk: exe.base + exe.size,
    stackTop: WIN32_STACK_TOP,
    stackSize,
    elf: null,
    bytes,
  };
  ex.loads.set(image, set);
  return image;
}

/** The Win32 form of `p`'s current directory, with a trailing backslash. */
function curDirOf(ex: Executive, p: Process): string {
  const d = ex.win32Path(ex.api.vfs.getcwd(ex.api.cwd(p)));
  return d.endsWith("\\") ? d : d + "\\";
}

/** Handles, PEB block and registers of a new Win32 process. K status. */
export function setupWin32Process(
  ex: Executive,
  t: Thread,
  image: LoadedImage,
  argv: string[],
  envp: string[],
): KStatus {
  const api = ex.api;
  const p = t.process;
  const set = ex.loads.get(image);
  if (set === undefined) return K.NOEXEC;
  ex.loads.delete(image);
  const pending = ex.pending;
  ex.pending = null;
  const pobj = ex.processObject(p);
  const w = new Win32Process(pobj, new ThreadObject(pobj, t), set);
  w.thread.teb = TEB_ADDR;
  if (pending?.inherit) w.handles.inheritFrom(pending.inherit);
  const std = (pending?.std ?? ex.stdFromFds(p)).map((s) => {
    if (s === null) return 0;
    const e = s.value === undefined ? null : w.handles.entry(s.value);
    if (e !== null && e.object === s.object) return s.value!;
    return w.handles.insert(s.object, s.access, 0);
  }) as [number, number, number];
  const region = buildPebRegion({
    imageBase: image.base,
    pid: p.pid,
    ppid: p.parent?.pid ?? 0,
    tid: t.tid,
    std,
    imagePath: pending?.imagePath ?? ex.win32Path(image.path),
    commandLine: pending?.commandLine ?? joinCommandLine(argv),
    env: pending?.env ?? envp,
    curDir: pending?.curDir ?? curDirOf(ex, p),
    stackTop: image.stackTop,
    stackSize: image.stackSize,
  }, set.modules);
  const fail = (st: KStatus) => {
    w.handles.closeAll();
    w.thread.dereference();
    w.object.dereference();
    return st;
  };
  if (region === null) return fail(K.TOOBIG);
  const at = api.mmap(p, PEB_BASE, PEB_REGION, PROT.READ | PROT.WRITE, true, "[peb]");
  if (at < 0 && at >= -4095) return fail(at as KStatus);
  if (!copyOutNonZero(api, p, PEB_BASE, region)) return fail(K.FAULT);
  set.space = ex.runtimeSpace(p);
  if (pending !== null) { for (const fd of api.fdList(p)) api.fdClose(p, fd); }
  p.pdata = w;
  t.pdata = w.thread;
  catchCtrlSignals(ex, p);
  // A Win32 parent never waits the Unix way: its children are reaped at exit.
  api.setSigAction(p, 17, { handler: 1, flags: 0, maskLo: 0, maskHi: 0, restorer: 0 });
  t.regs.fill(0);
  t.regs[2] = image.stackTop | 0;
  t.regs[4] = TEB_ADDR | 0;
  t.regs[10] = PEB_BASE | 0;
  t.regs[11] = TEB_ADDR | 0;
  t.pc = image.entry >>> 0;
  return K.OK;
}

/** Closes the handle table of a Win32 process that exits or execs another format. */
function releaseWin32(ex: Executive, p: Process): void {
  const w = ex.data(p);
  if (w === null) return;
  abandonMutants(p, null);
  w.handles.closeAll();
  w.releaseConsole(ex.api);
  p.pdata = null;
  for (const t of p.threads) if (t.pdata === w.thread) t.pdata = null;
  w.thread.dereference();
  w.object.dereference();
}

/**
 * Copies `data` to `addr` in `p` page by page, each page only up to its
 * last non-zero byte and wholly zero pages not at all: the fresh anonymous
 * mapping is zero already, so the 64 KiB PEB block costs the copy (and the
 * page faults) of the few KiB it uses.
 */
function copyOutNonZero(api: KernelApi, p: Process, addr: number, data: Uint8Array): boolean {
  for (let page = 0; page < data.length; page += 4096) {
    let end = Math.min(page + 4096, data.length);
    while (end > page && data[end - 1] === 0) end--;
    if (end > page && !api.copyOut(p, addr + page, data.subarray(page, end))) return false;
  }
  return true;
}
