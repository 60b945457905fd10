/**
 * The Win32 personality plugin: an NT-style executive (object manager,
 * per-process handle tables, native system calls returning NTSTATUS) for
 * PE32 RISC-V images (machine 0x5032) that import from ntdll.dll and
 * kernel32.dll. Native calls: number in a7, arguments 1..7 in a0..a6,
 * argument 8 in t0, 9+ on the user stack; NTSTATUS in a0. Host shares
 * (hostfs mounts) get drive letters from H:, in mount order; C: is the VFS
 * root. Load it with the module loader alongside the Unix personality.
 *
 * This file is all a boot imports: `init` registers a personality that
 * knows its format (`looksLikePe32`) and imports the rest of the plugin
 * (`personality.ts` and the executive, 34 files) when the first PE image is
 * loaded. That exec waits for the import as host work (simulated time
 * stands still; the calling thread blocks and its exec restarts, as a call
 * that waits for a device does); `prepare` does it ahead, for a boot whose
 * first process is a Win32 one. A Unix boot that runs no `.exe` never loads
 * the executive.
 *
 * @module
 */

import {
  API_VERSION,
  K,
  type KernelApi,
  type KStatus,
  type LoadedImage,
  type ModuleContext,
  type ModuleDescriptor,
  type Personality,
  statusName,
  type SyscallHandler,
  WaitQueue,
} from "../../../kernel/api.ts";
import { looksLikePe32 } from "../../../lib/pe.ts";

/** Raised when the kernel refuses to register or unregister the personality. */
export class Win32RegistrationError extends Error {
  /** The kernel status. */
  readonly status: number;
  /** Creates the error. */
  constructor(what: string, status: number, options?: ErrorOptions) {
    super(`win32 personality: ${what} failed with ${statusName(status)}`, options);
    this.name = "Win32RegistrationError";
    this.status = status;
  }
}

/** The VFS folders of the host shares (hostfs mounts), in mount order. */
function shareFolders(api: KernelApi): string[] {
  return api.vfs.mounts().filter((m) => m.fs.type === "hostfs").map((m) => m.path);
}

/**
 * The rest of the plugin. A computed URL: Deno reads (and parses) every file
 * a literal `import()` names when it loads the importing module, which is
 * the work this file defers.
 */
const EXECUTIVE_URL = new URL("./personality.ts", import.meta.url).href;

/** The personality's mutable tables, filled in place once its code is loaded. */
interface Tables {
  syscalls: (SyscallHandler | undefined)[];
  syscallNames: (string | undefined)[];
  syscallSupport: (number | undefined)[];
}

/**
 * The registered personality: the PE check at once, everything else from
 * `personality.ts` once {@link Personality.prepare} has imported it. Only a
 * process bound by a successful PE exec reaches the delegating hooks, and
 * that exec happened after the import.
 */
function deferredPersonality(api: KernelApi, ctx: ModuleContext): Personality {
  const shares = shareFolders(api);
  const queue = new WaitQueue("win32 personality");
  const tables: Tables = { syscalls: [], syscallNames: [], syscallSupport: [] };
  let impl: Personality | null = null;
  let loading: Promise<void> | null = null;
  let failed = false;
  const real = () => impl!;
  const prepare = (): Promise<void> => {
    loading ??= import(EXECUTIVE_URL).then((m: Record<string, unknown>) => {
      const create = m.createWin32Personality as (api: KernelApi, shares: string[]) => Personality;
      const p = create(api, shares);
      tables.syscalls.push(...p.syscalls);
      tables.syscallNames.push(...p.syscallNames);
      tables.syscallSupport.push(...(p.syscallSupport ?? []));
      impl = p;
    }, (e) => {
      failed = true;
      ctx.log(`cannot load the executive: ${e instanceof Error ? e.message : String(e)}`);
    }).finally(() => queue.wakeAll());
    return loading;
  };
  return {
    name: "win32",
    ...tables,
    prepare,
    mapStatus: (status) => real().mapStatus(status),
    deliverSignal: (t, sig, action, info) => real().deliverSignal(t, sig, action, info),
    checkBinary: looksLikePe32,
    loadBinary(bytes, path, loader): LoadedImage | KStatus {
      if (impl !== null) return impl.loadBinary!(bytes, path, loader);
      if (failed) return K.NOEXEC; // the import failed (it is logged)
      if (loading === null) ctx.runHostWork(prepare());
      // The exec restarts when the import is done and finds `impl` then.
      return api.waitForIo(queue);
    },
    setupProcess: (t, image, argv, envp) => real().setupProcess(t, image, argv, envp),
    missing: (t, num) => real().missing!(t, num),
    onFault: (t, cause, address, unmapped) => real().onFault!(t, cause, address, unmapped),
    onThreadExit: (t) => real().onThreadExit!(t),
    onExit: (p) => real().onExit!(p),
    onExecAway: (p) => real().onExecAway!(p),
  };
}

/** The plugin's module descriptor (kind "personality"). */
export const module: ModuleDescriptor = {
  name: "win32",
  version: "1.0.0",
  apiVersion: API_VERSION,
  kind: "personality",
  description: "NT-style executive: object manager, handles, native calls; PE32 RISC-V images",
  init(api: KernelApi, ctx: ModuleContext): void {
    const r = ctx.registerPersonality(deferredPersonality(api, ctx));
    if (r !== K.OK) throw new Win32RegistrationError("register", r);
  },
  exit(_api: KernelApi, ctx: ModuleContext): void {
    const r = ctx.unregisterPersonality("win32");
    if (r !== K.OK) throw new Win32RegistrationError("unregister", r);
  },
};
