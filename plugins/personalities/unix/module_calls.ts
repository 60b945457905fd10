/**
 * Module management calls. A guest names modules; it never hands the
 * kernel code, so Linux's `init_module` (an ELF image) and `finit_module`
 * (a file descriptor of one) answer ENOSYS, and three Strata calls take
 * their place (numbers 1000-1002, above every Linux number):
 *
 * - `strata_module_load(name, params)`: loads `NAME` or `NAME@FILE` from the
 *   trusted module directories with `key=value` parameters (insmod);
 * - `strata_module_swap(old, new)`: replaces a loaded module by another
 *   serving the same devices, handing its state over (modswap);
 * - `strata_module_info(name, buf, size)`: the module's description as
 *   `key: value` lines (modinfo); ERANGE when `buf` is too small.
 *
 * `delete_module(name, flags)` is Linux's: O_TRUNC forces the unload of a
 * module in use (rmmod -f).
 *
 * @module
 */

import { K, type KernelApi, type Thread } from "../../../kernel/api.ts";
import { arg, uarg } from "./common.ts";

/** Strata's module-call numbers. */
export const STRATA_NR = {
  module_load: 1000,
  module_swap: 1001,
  module_info: 1002,
} as const;

const O_NONBLOCK = 0o4000;
const O_TRUNC = 0o1000;
const NAME_MAX = 255;
const PARAMS_MAX = 4096;

/** `key=value key2=value2` (Linux's param_values) into a record; null when malformed. */
export function parseParams(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const word of text.split(/\s+/)) {
    if (word === "") continue;
    const eq = word.indexOf("=");
    const key = eq < 0 ? word : word.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(key)) return null;
    out[key] = eq < 0 ? "" : word.slice(eq + 1);
  }
  return out;
}

function name(t: Thread, api: KernelApi, i: number): string | number {
  const s = api.readString(t.process, uarg(t, i), NAME_MAX + 1);
  if (typeof s === "number") return s;
  return s.length === 0 ? K.NOENT : s.length > NAME_MAX ? K.NAMETOOLONG : s;
}

/** init_module(image, len, params) and finit_module(fd, params, flags): code from the guest is refused. */
export function sysInitModule(_t: Thread, _api: KernelApi): number {
  return K.NOSYS;
}

/** delete_module(name, flags): O_TRUNC forces; EBUSY for a module in use otherwise. */
export function sysDeleteModule(t: Thread, api: KernelApi): number {
  const flags = arg(t, 1);
  if ((flags & ~(O_NONBLOCK | O_TRUNC)) !== 0) return K.INVAL;
  const n = name(t, api, 0);
  if (typeof n === "number") return n;
  return api.moduleCalls.unload(t, n, (flags & O_TRUNC) !== 0);
}

/** strata_module_load(name, params). */
export function sysStrataModuleLoad(t: Thread, api: KernelApi): number {
  const n = name(t, api, 0);
  if (typeof n === "number") return n;
  let params: Record<string, string> = {};
  if (uarg(t, 1) !== 0) {
    const text = api.readString(t.process, uarg(t, 1), PARAMS_MAX);
    if (typeof text === "number") return text;
    const parsed = parseParams(text);
    if (parsed === null) return K.INVAL;
    params = parsed;
  }
  return api.moduleCalls.load(t, n, params);
}

/** strata_module_swap(old, new). */
export function sysStrataModuleSwap(t: Thread, api: KernelApi): number {
  const from = name(t, api, 0);
  if (typeof from === "number") return from;
  const to = name(t, api, 1);
  if (typeof to === "number") return to;
  return api.moduleCalls.swap(t, from, to);
}

/** strata_module_info(name, buf, size): the text's length; ERANGE if it does not fit with its NUL. */
export function sysStrataModuleInfo(t: Thread, api: KernelApi): number {
  const n = name(t, api, 0);
  if (typeof n === "number") return n;
  const buf = uarg(t, 1), size = uarg(t, 2);
  return api.moduleCalls.info(t, n, (text) => {
    const bytes = new TextEncoder().encode(text + "\0");
    if (bytes.length > size) return K.RANGE;
    return api.copyOut(t.process, buf, bytes) ? bytes.length - 1 : K.FAULT;
  });
}
