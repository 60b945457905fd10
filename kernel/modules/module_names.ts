/**
 * Where a module named by a guest comes from. A guest never supplies host
 * code: it names a module, and the name resolves only inside the trusted
 * module directories (the project's `plugins/` tree and each
 * `--module-path` directory), in that order:
 *
 * - `NAME` is the first of `DIR/NAME.ts`, `DIR/NAME/mod.ts`,
 *   `DIR/KIND/NAME.ts`, `DIR/KIND/NAME/mod.ts` that exists (KIND is any
 *   folder of DIR: `drivers`, `schedulers`, ...);
 * - `NAME@FILE` names a file by its path inside a trusted directory
 *   (`ata_dma@drivers/ata_dma/mod.ts`, or a newer version kept in a
 *   `--module-path` directory: `ata_dma@ata_dma_v2.ts`). `..` and absolute
 *   paths are refused.
 *
 * @module
 */

/** The project's plugin tree, the first trusted directory. */
export const PLUGIN_DIR: URL = new URL("../../plugins/", import.meta.url);
/** The project root, against which relative module sources resolve. */
const PLUGIN_DIR_ROOT = new URL("../../", import.meta.url);

const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** A module reference a guest gave: its name and, optionally, an explicit file. */
export interface ModuleRef {
  /** The name before any `@`. */
  name: string;
  /** The file after `@`, relative to a trusted directory, if given. */
  file: string | null;
}

/**
 * Parses `NAME` or `NAME@FILE`; null when malformed.
 *
 * @param text What the guest gave.
 * @returns The parsed reference.
 */
export function parseModuleRef(text: string): ModuleRef | null {
  const at = text.indexOf("@");
  const name = at < 0 ? text : text.slice(0, at);
  if (!NAME_RE.test(name)) return null;
  if (at < 0) return { name, file: null };
  const file = text.slice(at + 1);
  const parts = file.split("/");
  if (
    file === "" || file.startsWith("/") || parts.some((p) => p === ".." || p === "" || p === ".") ||
    !file.endsWith(".ts")
  ) return null;
  return { name, file };
}

function isFile(url: URL): boolean {
  try {
    return Deno.statSync(url).isFile;
  } catch {
    return false;
  }
}

function subdirs(dir: URL): string[] {
  try {
    const out: string[] = [];
    for (const e of Deno.readDirSync(dir)) if (e.isDirectory) out.push(e.name);
    return out.sort();
  } catch {
    return [];
  }
}

/**
 * The file URL a reference resolves to in `dirs` (trusted directories, as
 * directory URLs ending in `/`), or null when no trusted file matches.
 *
 * @param ref The parsed reference.
 * @param dirs Trusted directories in search order.
 * @returns The module file's URL text.
 */
export function resolveModule(ref: ModuleRef, dirs: readonly URL[]): string | null {
  for (const dir of dirs) {
    if (ref.file !== null) {
      const u = new URL(ref.file, dir);
      if (u.href.startsWith(dir.href) && isFile(u)) return u.href;
      continue;
    }
    const candidates = [`${ref.name}.ts`, `${ref.name}/mod.ts`];
    for (const kind of subdirs(dir)) {
      candidates.push(`${kind}/${ref.name}.ts`, `${kind}/${ref.name}/mod.ts`);
    }
    for (const c of candidates) {
      const u = new URL(c, dir);
      if (isFile(u)) return u.href;
    }
  }
  return null;
}

/**
 * The trusted directories: the plugin tree, then each extra directory.
 *
 * @param extra Host directories given with `--module-path`.
 * @returns Directory URLs ending in `/`.
 */
export function trustedDirs(extra: readonly string[]): URL[] {
  const dirs = [PLUGIN_DIR];
  for (const d of extra) {
    const abs = d.startsWith("/") ? d : `${Deno.cwd()}/${d}`;
    dirs.push(new URL(`file://${abs.endsWith("/") ? abs : abs + "/"}`));
  }
  return dirs;
}

const sizes = new Map<string, number>();

/**
 * The `/proc/modules` view of the loaded modules: size (of the source file),
 * references, and which loaded modules depend on each.
 *
 * @param mods The loader's list.
 * @returns One line's data per module.
 */
export function moduleLines(
  mods: readonly { name: string; source: string; refs: number; dependsOn: string[] }[],
): { name: string; size: number; refs: number; usedBy: string[] }[] {
  return mods.map((m) => ({
    name: m.name,
    size: sourceSize(m.source),
    refs: m.refs,
    usedBy: mods.filter((o) => o.dependsOn.includes(m.name)).map((o) => o.name),
  }));
}

function sourceSize(source: string): number {
  const known = sizes.get(source);
  if (known !== undefined) return known;
  let n = 0;
  try {
    if (source.startsWith("file:")) n = Deno.statSync(new URL(source)).size;
    else if (source !== "builtin") n = Deno.statSync(new URL(source, PLUGIN_DIR_ROOT)).size;
  } catch {
    n = 0;
  }
  sizes.set(source, n);
  return n;
}
