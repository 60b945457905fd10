/**
 * The initial RAM file system: built on the host from directories (as a
 * cpio newc archive, the format Linux's initramfs uses) and unpacked into
 * the root ramfs at boot.
 *
 * The archive is deterministic: members are sorted by path, owners are 0
 * and times are 0 unless asked otherwise, so the same host tree gives the
 * same bytes (and the same simulated boot).
 *
 * @module
 */

import { K, type KStatus, statusName } from "../errors.ts";
import { type CpioEntry, readCpio, writeCpio } from "./cpio.ts";
import type { Vfs } from "./vfs.ts";
import {
  OpenFlags,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
} from "./types.ts";

/** A host directory and where it appears in the guest. */
export interface HostDirMapping {
  /** Host directory to copy. */
  hostPath: string;
  /** Guest directory it becomes, e.g. `/` or `/bin`. */
  guestPath: string;
  /** Which entries to copy, by path relative to `hostPath` (default: all; a skipped directory skips its tree). */
  include?: (relPath: string) => boolean;
  /** Give every copied file the execute bits (files from a system without them, such as PE programs). */
  executable?: boolean;
}

/** Options of {@link buildInitramfs}. */
export interface BuildInitramfsOptions {
  /** Keep host modification times (default false: all 0, for reproducible archives). */
  keepTimes?: boolean;
}

/** Raised when an initramfs cannot be built or unpacked. */
export class InitramfsError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InitramfsError";
  }
}

const te = new TextEncoder();
const td = new TextDecoder();

function guestName(guestDir: string, rel: string): string {
  const parts = [...guestDir.split("/"), ...rel.split("/")].filter((p) => p !== "" && p !== ".");
  return parts.join("/");
}

/** Builds a newc archive from host directories (later mappings override earlier ones). */
export function buildInitramfs(
  hostDirs: readonly HostDirMapping[],
  options: BuildInitramfsOptions = {},
): Uint8Array {
  return writeCpio(collectInitramfs(hostDirs, options));
}

/**
 * The members {@link buildInitramfs} would archive, sorted by path: what
 * {@link unpackInitramfs} unpacks, without packing and parsing the archive
 * (the boot's own tree uses this).
 *
 * @param hostDirs host directories and where they go (later ones override earlier ones)
 * @param options archive options
 * @returns the members, sorted by path
 * @example
 * ```ts
 * import { collectInitramfs } from "./initramfs.ts";
 * const members = collectInitramfs([{ hostPath: "userland/bin", guestPath: "/bin" }]);
 * console.log(members.length);
 * ```
 */
export function collectInitramfs(
  hostDirs: readonly HostDirMapping[],
  options: BuildInitramfsOptions = {},
): CpioEntry[] {
  const entries = new Map<string, CpioEntry>();
  const dirEntry = (name: string, mode = 0o755, mtime = 0): CpioEntry => ({
    name,
    mode: S_IFDIR | mode,
    uid: 0,
    gid: 0,
    nlink: 2,
    mtime,
    data: new Uint8Array(0),
  });
  for (const { hostPath, guestPath, include, executable } of hostDirs) {
    if (guestPath.split("/").includes("..")) {
      throw new InitramfsError(`guest path "${guestPath}" contains ".."`);
    }
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(hostPath);
    } catch (e) {
      throw new InitramfsError(`cannot read host directory ${hostPath}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    if (!info.isDirectory) throw new InitramfsError(`${hostPath} is not a directory`);
    // Parent directories of the guest path.
    const base = guestName(guestPath, "");
    const parts = base === "" ? [] : base.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const n = parts.slice(0, i).join("/");
      if (!entries.has(n)) entries.set(n, dirEntry(n));
    }
    const filter = { include, executable: executable === true };
    walk(hostPath, "", base, entries, options.keepTimes === true, filter);
  }
  return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function walk(
  hostDir: string,
  rel: string,
  base: string,
  entries: Map<string, CpioEntry>,
  keepTimes: boolean,
  filter: { include?: (relPath: string) => boolean; executable: boolean },
): void {
  const names: string[] = [];
  for (const e of Deno.readDirSync(hostDir + (rel === "" ? "" : "/" + rel))) names.push(e.name);
  names.sort();
  for (const name of names) {
    const relPath = rel === "" ? name : `${rel}/${name}`;
    if (filter.include !== undefined && !filter.include(relPath)) continue;
    const hostFile = `${hostDir}/${relPath}`;
    const st = Deno.lstatSync(hostFile);
    const perm = (st.mode ?? 0o644) & 0o7777;
    const mtime = keepTimes && st.mtime ? Math.floor(st.mtime.getTime() / 1000) : 0;
    const gname = base === "" ? relPath : `${base}/${relPath}`;
    const common = { name: gname, uid: 0, gid: 0, mtime };
    if (st.isSymlink) {
      const target = Deno.readLinkSync(hostFile);
      entries.set(gname, { ...common, mode: S_IFLNK | 0o777, nlink: 1, data: te.encode(target) });
    } else if (st.isDirectory) {
      entries.set(gname, { ...common, mode: S_IFDIR | perm, nlink: 2, data: new Uint8Array(0) });
      walk(hostDir, relPath, base, entries, keepTimes, filter);
    } else if (st.isFile) {
      entries.set(gname, {
        ...common,
        mode: S_IFREG | (filter.executable ? perm | 0o111 : perm),
        nlink: 1,
        data: Deno.readFileSync(hostFile),
      });
    }
    // Sockets, FIFOs and device files on the host are skipped: they carry no portable content.
  }
}

/** Counts of what {@link unpackInitramfs} created. */
export interface UnpackSummary {
  /** Directories. */
  dirs: number;
  /** Regular files. */
  files: number;
  /** Symbolic links. */
  symlinks: number;
  /** Device nodes and FIFOs. */
  nodes: number;
  /** Hard links. */
  links: number;
}

function check(st: KStatus, what: string, path: string): void {
  if (st < 0) throw new InitramfsError(`${what} ${path}: ${statusName(st)}`);
}

/**
 * Unpacks an archive (a newc archive, or its members as
 * {@link collectInitramfs} gives them) into the VFS (normally the empty
 * root ramfs). Missing
 * parent directories are created; existing directories are kept. Throws
 * {@link InitramfsError} (or CpioFormatError for a malformed archive).
 */
export function unpackInitramfs(
  vfs: Vfs,
  archive: Uint8Array | readonly CpioEntry[],
): UnpackSummary {
  const summary: UnpackSummary = { dirs: 0, files: 0, symlinks: 0, nodes: 0, links: 0 };
  const seenIno = new Map<string, string>();
  for (const e of archive instanceof Uint8Array ? readCpio(archive) : archive) {
    const comps = e.name.split("/").filter((c) => c !== "" && c !== ".");
    if (comps.includes("..")) throw new InitramfsError(`archive path "${e.name}" contains ".."`);
    if (comps.length === 0) continue;
    const path = "/" + comps.join("/");
    mkdirs(vfs, comps.slice(0, -1));
    const type = e.mode & S_IFMT;
    const perm = e.mode & 0o7777;
    const mtimeNs = BigInt(e.mtime) * 1_000_000_000n;
    if (type === S_IFDIR) {
      const st = vfs.mkdir(null, path, perm);
      if (st !== K.EXIST) check(st, "mkdir", path);
      check(
        vfs.setAttr(null, path, { mode: perm, uid: e.uid, gid: e.gid, mtimeNs }),
        "chmod",
        path,
      );
      summary.dirs++;
      continue;
    }
    if (type === S_IFLNK) {
      vfs.unlink(null, path);
      check(vfs.symlink(td.decode(e.data), null, path), "symlink", path);
      summary.symlinks++;
      continue;
    }
    const key = `${e.devMajor ?? 0}:${e.devMinor ?? 0}:${e.ino ?? 0}`;
    const first = e.nlink > 1 && e.ino ? seenIno.get(key) : undefined;
    if (first !== undefined) {
      vfs.unlink(null, path);
      check(vfs.link(null, first, null, path), "link", path);
      summary.links++;
    } else if (type === S_IFREG) {
      const r = vfs.open(null, path, OpenFlags.WRITE | OpenFlags.CREATE | OpenFlags.TRUNC, perm);
      if (typeof r === "number") throw new InitramfsError(`create ${path}: ${statusName(r)}`);
      summary.files++;
      vfs.close(r.file); // created; the data (if any) is written below
      if (e.nlink > 1 && e.ino) seenIno.set(key, path);
      if (e.data.length === 0) {
        check(
          vfs.setAttr(null, path, { mode: perm, uid: e.uid, gid: e.gid, mtimeNs }),
          "chmod",
          path,
        );
        continue;
      }
    } else if (type === S_IFCHR || type === S_IFBLK || type === S_IFIFO) {
      const rdev = ((e.rdevMajor ?? 0) << 8) | (e.rdevMinor ?? 0);
      check(vfs.mknod(null, path, e.mode, rdev), "mknod", path);
      summary.nodes++;
      continue;
    } else {
      continue; // sockets: nothing to create
    }
    // Data for a regular file (for hard links, newc carries it on the last member).
    if (e.data.length > 0) {
      const r = vfs.open(null, path, OpenFlags.WRITE | OpenFlags.TRUNC);
      if (typeof r === "number") throw new InitramfsError(`write ${path}: ${statusName(r)}`);
      const n = vfs.write(r.file, e.data);
      vfs.close(r.file);
      if (n !== e.data.length) throw new InitramfsError(`write ${path}: ${statusName(n)}`);
    }
    check(vfs.setAttr(null, path, { mode: perm, uid: e.uid, gid: e.gid, mtimeNs }), "chmod", path);
  }
  return summary;
}

function mkdirs(vfs: Vfs, comps: string[]): void {
  let p = "";
  for (const c of comps) {
    p += "/" + c;
    const st = vfs.mkdir(null, p, 0o755);
    if (st !== K.OK && st !== K.EXIST) throw new InitramfsError(`mkdir ${p}: ${statusName(st)}`);
  }
}
