/**
 * The Win32 personality plugin: an NT-style executive (object manager,
 * per-process handle tables, native system calls returning NTSTATUS) for
 * PE32 RISC-V images (machine 0x5032) that import from ntdll.dll and
 * kernel32.dll. Native calls: number in a7, arguments 1..7 in a0..a6,
 * argument 8 in t0, 9+ on the user stack; NTSTATUS in a0. Host shares
 * (hostfs mounts) get drive letters from H:, in mount order; C: is the VFS
 * root. Load it with the module loader alongside the Unix personality.
 *
 * @module
 */

import {
  API_VERSION,
  K,
  type KernelApi,
  type ModuleContext,
  type ModuleDescriptor,
  statusName,
} from "../../../kernel/api.ts";
import { createWin32Personality } from "./personality.ts";

export { createWin32Personality, SYSTEM_DLLS } from "./personality.ts";
export { NATIVE_CALL_NAMES, nativeNumber } from "./native_numbers.ts";
export { NATIVE_CALLS, type NativeEntry } from "./native_table.ts";
export { Executive, Win32Process } from "./executive.ts";
export { STATUS } from "./ntstatus.ts";

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

/** The plugin's module descriptor (kind "personality"). */
export const module: ModuleDescriptor = {
  name: "win32",
  version: "1.0.0",
  apiVersion: API_VERSION,
  kind: "personality",
  description: "NT-style executive: object manager, handles, native calls; PE32 RISC-V images",
  init(api: KernelApi, ctx: ModuleContext): void {
    const r = ctx.registerPersonality(createWin32Personality(api, shareFolders(api)));
    if (r !== K.OK) throw new Win32RegistrationError("register", r);
  },
  exit(_api: KernelApi, ctx: ModuleContext): void {
    const r = ctx.unregisterPersonality("win32");
    if (r !== K.OK) throw new Win32RegistrationError("unregister", r);
  },
};
