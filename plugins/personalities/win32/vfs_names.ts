/**
 * Case-insensitive, case-preserving names over the case-sensitive VFS.
 * A Win32 name's components are matched one by one: the exact spelling
 * first, then the first directory entry equal without case (ASCII). `\`
 * and `/` both separate; `.` is skipped and `..` climbs (never above the
 * drive's root).
 *
 * @module
 */

import { type KernelApi, OpenFlags, S_IFDIR, S_IFMT } from "../../../kernel/api.ts";
import { STATUS } from "./ntstatus.ts";

/** A resolved name: the VFS path with the case found on disk. */
export interface VfsName {
  /** Absolute VFS path. */
  path: string;
  /** True if it exists. */
  exists: boolean;
  /** True if it exists and is a directory. */
  isDir: boolean;
}

/** The components of a Win32/NT path tail. */
export function splitName(rest: string): string[] {
  return rest.split(/[\\/]/).filter((s) => s !== "" && s !== ".");
}

function join(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

/** The entry of directory `dir` equal to `name` without case (exact first), or null. */
function matchEntry(api: KernelApi, dir: string, name: string): string | null {
  if (typeof api.vfs.lstat(null, join(dir, name)) !== "number") return name;
  const r = api.vfs.open(null, dir, OpenFlags.READ | OpenFlags.DIRECTORY);
  if (typeof r === "number") return null;
  try {
    const list = api.vfs.readdir(r.file);
    if (typeof list === "number") return null;
    const want = name.toUpperCase();
    for (const e of list) if (e.name.toUpperCase() === want) return e.name;
    return null;
  } finally {
    api.vfs.close(r.file);
  }
}

function isDir(api: KernelApi, path: string): boolean | null {
  const st = api.vfs.stat(null, path);
  if (typeof st === "number") return null;
  return (st.mode & S_IFMT) === S_IFDIR;
}

/** True for a component with a character Win32 names may not hold (< > : " | ? * or a control). */
function badName(comp: string): boolean {
  for (let i = 0; i < comp.length; i++) {
    const c = comp.charCodeAt(i);
    if (c < 32 || '<>:"|?*'.includes(comp[i])) return true;
  }
  return false;
}

/**
 * Resolves `rest` under the VFS directory `root`. A missing last component
 * gives `exists: false` with the spelling asked for; a missing or
 * non-directory component before it gives OBJECT_PATH_NOT_FOUND.
 */
export function resolveVfsName(api: KernelApi, root: string, rest: string): VfsName | number {
  const parts = splitName(rest);
  const stack: string[] = [];
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    const comp = parts[i];
    if (comp === "..") {
      if (stack.length > 0) cur = stack.pop()!;
      continue;
    }
    const last = i === parts.length - 1;
    if (isDir(api, cur) !== true) return STATUS.OBJECT_PATH_NOT_FOUND;
    const found = matchEntry(api, cur, comp);
    if (found === null) {
      if (!last) return STATUS.OBJECT_PATH_NOT_FOUND;
      if (badName(comp)) return STATUS.OBJECT_NAME_INVALID;
      return { path: join(cur, comp), exists: false, isDir: false };
    }
    stack.push(cur);
    cur = join(cur, found);
  }
  const d = isDir(api, cur);
  return { path: cur, exists: d !== null, isDir: d === true };
}

/** The Win32 form of a VFS path under drive `letter` mapped at `root`: `C:\dir\file`. */
export function win32PathOf(letter: string, root: string, vfsPath: string): string {
  const tail = root === "/" ? vfsPath : vfsPath.slice(root.length);
  return `${letter}:${tail.replaceAll("/", "\\") || "\\"}`;
}
