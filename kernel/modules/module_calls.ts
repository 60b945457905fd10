/**
 * Module management from inside the guest: what `insmod`, `rmmod`,
 * `modswap` and `modinfo` ask for, with the rules that keep host code out of
 * the guest's hands.
 *
 * - Only uid 0 may load, unload or replace (EPERM).
 * - A module is named, never supplied: names resolve in the trusted
 *   directories only (`module_names.ts`); an unknown name is ENOENT.
 * - The loader's work (importing a file, `init`, `exit`, `suspend`) is host
 *   work: the calling thread waits on {@link HostWork} while simulated time
 *   stands still, so a run stays deterministic.
 * - Loader errors become the statuses Linux's module calls give: EEXIST,
 *   ENOENT, EBUSY (in use, or a resource claimed), ENOEXEC (not a module, or
 *   written for another API version), EIO (its init threw; everything it did
 *   was undone).
 *
 * @module
 */

import { K } from "../errors.ts";
import type { HostWork } from "../proc/host_work.ts";
import type { Thread } from "../proc/process.ts";
import type { ModuleManager } from "../api_modules.ts";
import { ModuleDescriptorError, ModuleError } from "./errors.ts";
import { parseModuleRef, resolveModule } from "./module_names.ts";

/** The guest-facing module operations (`api.moduleCalls`). */
export interface GuestModuleCalls {
  /** Loads module `ref` (`NAME` or `NAME@FILE`) with `params`: 0, a status, or BLOCK while loading. */
  load(t: Thread, ref: string, params: Record<string, string>): number;
  /** Unloads the loaded module `name` (`force`: even if in use): 0, a status, or BLOCK. */
  unload(t: Thread, name: string, force: boolean): number;
  /** Replaces the loaded module `name` by module `ref`: 0, a status, or BLOCK. */
  swap(t: Thread, name: string, ref: string): number;
  /**
   * Describes module `ref` (loaded or not) as `key: value` lines; the text
   * goes to `deliver`, whose result (bytes copied, or a status) is returned.
   */
  info(t: Thread, ref: string, deliver: (text: string) => number): number;
}

/** Maps a loader error to a guest status. */
export function moduleStatus(e: unknown): number {
  if (e instanceof ModuleDescriptorError) return K.NOEXEC;
  if (!(e instanceof ModuleError)) return K.IO;
  if (e.status === K.VERSION) return K.NOEXEC;
  if (e.status === K.INITFAIL) return K.IO;
  return e.status;
}

/** The guest module calls over the loader. */
export class ModuleCalls implements GuestModuleCalls {
  readonly #loader: ModuleManager;
  readonly #work: HostWork<unknown>;
  readonly #dirs: () => readonly URL[];
  readonly #log: (line: string) => void;

  /** Creates the service. `dirs` gives the trusted module directories. */
  constructor(
    loader: ModuleManager,
    work: HostWork<unknown>,
    dirs: () => readonly URL[],
    log: (line: string) => void,
  ) {
    this.#loader = loader;
    this.#work = work;
    this.#dirs = dirs;
    this.#log = log;
  }

  #run(t: Thread, op: () => Promise<number>): number {
    return this.#work.call(t, async () => {
      try {
        return await op();
      } catch (e) {
        this.#log(`module call failed: ${e instanceof Error ? e.message : String(e)}`);
        return moduleStatus(e);
      }
    }, K.IO);
  }

  #file(ref: string): string | number {
    const r = parseModuleRef(ref);
    if (r === null) return K.INVAL;
    return resolveModule(r, this.#dirs()) ?? K.NOENT;
  }

  /** insmod. */
  load(t: Thread, ref: string, params: Record<string, string>): number {
    const resumed = this.#work.resume(t);
    if (resumed !== null) return resumed;
    if (t.process.uid !== 0) return K.PERM;
    const file = this.#file(ref);
    if (typeof file === "number") return file;
    return this.#run(t, async () => {
      await this.#loader.load(file, params);
      return 0;
    });
  }

  /** rmmod. */
  unload(t: Thread, name: string, force: boolean): number {
    const resumed = this.#work.resume(t);
    if (resumed !== null) return resumed;
    if (t.process.uid !== 0) return K.PERM;
    if (this.#loader.get(name) === undefined) return K.NOENT;
    return this.#run(t, async () => {
      await this.#loader.unload(name, force);
      return 0;
    });
  }

  /** modswap. */
  swap(t: Thread, name: string, ref: string): number {
    const resumed = this.#work.resume(t);
    if (resumed !== null) return resumed;
    if (t.process.uid !== 0) return K.PERM;
    if (this.#loader.get(name) === undefined) return K.NOENT;
    const file = this.#file(ref);
    if (typeof file === "number") return file;
    return this.#run(t, async () => {
      await this.#loader.replace(name, file);
      return 0;
    });
  }

  /** modinfo. */
  info(t: Thread, ref: string, deliver: (text: string) => number): number {
    const resumed = this.#work.resume(t);
    if (resumed !== null) return resumed;
    const loaded = this.#loader.get(ref);
    if (loaded !== undefined) {
      return deliver(infoText(loaded.source, {
        name: loaded.name,
        version: loaded.version,
        kind: loaded.kind,
        description: loaded.description,
        depends: loaded.dependsOn.join(","),
        state: "Live",
        refcount: String(loaded.refs),
        restarts: String(loaded.restarts),
        parm: Object.entries(loaded.params).map(([k, v]) => `${k}=${v}`).join(" "),
      }));
    }
    const file = this.#file(ref);
    if (typeof file === "number") return file;
    return this.#run(t, async () => {
      const d = await this.#loader.inspect(file);
      return deliver(infoText(file, {
        name: d.name,
        version: d.version,
        kind: d.kind,
        description: d.description ?? "",
        depends: (d.dependsOn ?? []).join(","),
        state: "not loaded",
      }));
    });
  }
}

/** modinfo's `key: value` lines, with the file shown relative to the project when it can be. */
function infoText(source: string, fields: Record<string, string>): string {
  const root = new URL("../../", import.meta.url).href;
  const file = source.startsWith(root) ? source.slice(root.length) : source;
  const lines = [`filename:       ${file}`];
  for (const [k, v] of Object.entries(fields)) {
    if (v !== "" || k === "depends") lines.push(`${(k + ":").padEnd(16)}${v}`);
  }
  return lines.join("\n") + "\n";
}
