/**
 * The executive's state: one per kernel. It holds the object namespace, the
 * image cache, the share-access table, the process objects (one per kernel
 * process, shared by every handle to it) and each Win32 process's own data
 * ({@link Win32Process}: handle table, modules). Also: NT path parsing
 * (OBJECT_ATTRIBUTES names to VFS paths through the namespace) and the
 * file objects for a process's standard descriptors.
 *
 * @module
 */

import {
  type KernelApi,
  type OpenFile,
  type Process,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFMT,
  type Thread,
} from "../../../kernel/api.ts";
import { HandleTable } from "./handles.ts";
import { ImageCache, type ImageFile, type MapSpace, type ModuleSet, SYSTEM32 } from "./modules.ts";
import { DeviceObject, Namespace, type NtObject } from "./ob.ts";
import {
  FILE_ACCESS,
  FILE_SHARE,
  type FileKind,
  FileObject,
  ProcessObject,
  SectionObject,
  ShareTable,
  ThreadObject,
} from "./objects.ts";
import { STATUS } from "./ntstatus.ts";
import { resolveVfsName, type VfsName, win32PathOf } from "./vfs_names.ts";

/** Default console modes (what Windows reports for a fresh console). */
export const CONSOLE_MODE = { INPUT: 0x1f7, OUTPUT: 0x3 } as const;

/** A Win32 process's executive data (`Process.pdata`). */
export class Win32Process {
  /** The handle table. */
  readonly handles = new HandleTable();
  /** Loaded modules. */
  modules: ModuleSet;
  /** The process object (the executive's own reference while it runs). */
  readonly object: ProcessObject;
  /** The first thread's object. */
  readonly thread: ThreadObject;
  /**
   * The process's console, a terminal (one reference held); null: none;
   * undefined until first looked for (`console_open.ts`).
   */
  console: OpenFile | null | undefined = undefined;

  /** Creates the data of `process` over its modules. */
  constructor(object: ProcessObject, thread: ThreadObject, modules: ModuleSet) {
    this.object = object.reference();
    this.thread = thread.reference();
    this.modules = modules;
  }

  /** Drops the console reference (the process ends). */
  releaseConsole(api: KernelApi): void {
    if (this.console) api.vfs.close(this.console);
    this.console = null;
  }
}

/** What NtCreateUserProcess hands to the child's start-up (consumed by setupProcess). */
export interface PendingCreate {
  /** Handles to copy at the same values (inheritance), or null. */
  inherit: HandleTable | null;
  /** The three standard handles' objects, access and value in the creator (null: none). */
  std: ({ object: NtObject; access: number; value?: number } | null)[];
  /** Command line. */
  commandLine: string;
  /** Environment strings. */
  env: string[];
  /** Current directory (Win32, trailing backslash). */
  curDir: string;
  /** Win32 path of the image. */
  imagePath: string;
  /** Start suspended. */
  suspended: boolean;
}

/** A VFS location named by an NT path. */
export interface NtFileName {
  /** The device reached. */
  device: DeviceObject;
  /** The rest of the path after the device. */
  rest: string;
}

/** The executive of one kernel. */
export class Executive {
  /** The object namespace. */
  readonly ns: Namespace;
  /** Parsed images; each system DLL parsed becomes an image section in `\KnownDlls`. */
  readonly images = new ImageCache((path, file) => this.#knownDll(path, file));
  /** Share access of open files. */
  readonly shares = new ShareTable();
  readonly #objects = new WeakMap<Process, ProcessObject>();
  /** Set by NtCreateUserProcess around the spawn. */
  pending: PendingCreate | null = null;
  /** The NTSTATUS of the last failed image load (for NtCreateUserProcess). */
  lastLoadStatus = 0;
  /** Modules loaded by loadBinary, waiting for setupProcess, by entry address key. */
  readonly loads = new WeakMap<object, ModuleSet>();
  /**
   * Run, in order, for every thread of a Win32 process that ends (the
   * personality's onThreadExit): the thread is still live when they run.
   */
  readonly threadExitHooks: ((t: Thread) => void)[] = [];

  /** Creates the executive; `shares` are the VFS folders given drive letters from H:. */
  constructor(readonly api: KernelApi, shares: string[]) {
    this.ns = new Namespace(shares);
  }

  /** Publishes a DLL of `C:\Windows\System32` as `\KnownDlls\<name>` (replacing an older parse). */
  #knownDll(path: string, file: ImageFile): void {
    if (!file.img.isDll || !path.startsWith(`${SYSTEM32}/`)) return;
    const name = path.slice(SYSTEM32.length + 1).toLowerCase();
    const old = this.ns.knownDlls.lookup(name);
    if (old !== undefined) old.dereference();
    const section = new SectionObject(file, path).reference();
    this.ns.knownDlls.insert(name, section);
  }

  /** The process object of `p` (made on first use; the caller takes its references). */
  processObject(p: Process): ProcessObject {
    let o = this.#objects.get(p);
    if (o === undefined || o.dead) {
      o = new ProcessObject(this.api, p);
      this.#objects.set(p, o);
    }
    return o;
  }

  /** The Win32 data of `p`, or null for a process of another personality. */
  data(p: Process): Win32Process | null {
    return p.pdata instanceof Win32Process ? p.pdata : null;
  }

  /** Win32 form of a VFS path (the longest drive root that contains it; C: for the rest). */
  win32Path(vfsPath: string): string {
    let best: [string, string] = ["C", "/"];
    for (const [letter, root] of this.ns.drives) {
      if (root !== "/" && (vfsPath === root || vfsPath.startsWith(root + "/"))) {
        best = [letter, root];
      }
    }
    return win32PathOf(best[0], best[1], vfsPath);
  }

  /** The device and remaining path an NT name leads to (relative to `root` when given). */
  deviceOf(name: string, root: NtObject | null): NtFileName | number {
    const r = this.ns.resolve(name, root ?? this.ns.root);
    if (typeof r === "number") return r;
    if (r.missingIn !== undefined) return STATUS.OBJECT_NAME_NOT_FOUND;
    if (!(r.object instanceof DeviceObject)) return STATUS.OBJECT_TYPE_MISMATCH;
    return { device: r.object, rest: r.rest };
  }

  /** Resolves an NT file name to a VFS name (case-insensitive), or an NTSTATUS. */
  vfsName(name: string, root: FileObject | null): VfsName | number {
    if (root !== null) {
      if (root.kind !== "directory") return STATUS.INVALID_HANDLE;
      if (name.startsWith("\\")) return STATUS.OBJECT_NAME_INVALID;
      return resolveVfsName(this.api, root.path, name);
    }
    const d = this.deviceOf(name, null);
    if (typeof d === "number") return d;
    if (d.device.kind !== "disk") return STATUS.OBJECT_TYPE_MISMATCH;
    return resolveVfsName(this.api, d.device.vfsRoot, d.rest);
  }

  /** The kind of file object an open file makes. */
  kindOf(file: OpenFile): FileKind {
    const mode = file.inode?.stat().mode ?? S_IFIFO;
    const type = mode & S_IFMT;
    if (type === S_IFDIR) return "directory";
    if (type === S_IFIFO || file.path.startsWith("pipe:")) return "pipe";
    if (type === S_IFCHR) {
      return /^\/dev\/(console|tty|pts\/)/.test(file.path) ? "console" : "device";
    }
    return "file";
  }

  /** A file object over an already open description (a reference is taken). */
  wrapOpenFile(file: OpenFile, access: number, input: boolean): FileObject {
    const kind = this.kindOf(file);
    const all = FILE_SHARE.READ | FILE_SHARE.WRITE | FILE_SHARE.DELETE;
    const obj = new FileObject(this.api, this.api.vfs.retain(file), kind, "", access, all, null);
    if (kind === "console") {
      obj.consoleMode = input ? CONSOLE_MODE.INPUT : CONSOLE_MODE.OUTPUT;
      obj.consoleInput = input;
    }
    return obj;
  }

  /**
   * The file objects for descriptors 0, 1 and 2 of `p` (null where closed):
   * a Unix caller's standard descriptors become a Win32 process's standard
   * handles.
   */
  stdFromFds(p: Process): PendingCreate["std"] {
    const access = FILE_ACCESS.READ_DATA | FILE_ACCESS.WRITE_DATA | FILE_ACCESS.APPEND_DATA |
      FILE_ACCESS.READ_ATTRIBUTES | FILE_ACCESS.WRITE_ATTRIBUTES | FILE_ACCESS.SYNCHRONIZE |
      0x2_0000;
    return [0, 1, 2].map((fd) => {
      const f = this.api.fdGet(p, fd);
      return f === null ? null : { object: this.wrapOpenFile(f, access, fd === 0), access };
    });
  }

  /** A module set for a running process (NtStrataLoadDll maps through the kernel's mmap). */
  runtimeSpace(p: Process): MapSpace {
    const api = this.api;
    return {
      mapFilled(addr, data, prot, name) {
        const got = api.mmap(p, addr, data.length, 3, false, name);
        if (got < 0 && got >= -4095) return got;
        if (got >>> 0 !== addr >>> 0) {
          api.munmap(p, got >>> 0, data.length);
          return -17;
        }
        if (!api.copyOut(p, addr, data)) return -14;
        return api.mprotect(p, addr, data.length, prot);
      },
      unmap(addr, length) {
        api.munmap(p, addr, length);
      },
    };
  }

  /** Creates the thread object for the first thread of `p`. */
  threadObject(p: Process, t: Thread): ThreadObject {
    return new ThreadObject(this.processObject(p), t);
  }
}
