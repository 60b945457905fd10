/**
 * The initial RAM file system: built on the host from directories (as a
 * cpio newc archive, the format Linux's initramfs uses) and unpacked into
 * the root ramfs at boot.
 *
 * The archive is deterministic: members are sorted by path, owners are 0
 * and times are 0 unless asked otherwise, so the same host tree gives the
 * same bytes (and the same simulated boot).
 *
 * The boot's own tree skips the archive: {@link collectInitramfs} gives the
 * members, and with `deferData` each regular file's bytes stay on the host
 * (its size, mode and time are read at boot) until the guest first reads
 * or writes the file, when the ramfs reads them ({@link loadHostFile}): a
 * boot reads only the programs it runs. A host file that changed since the
 * boot (size or modification time) is not read: its data calls give EIO.
 *
 * @module
 */

import { K, type KStatus, statusName } from "../errors.ts";
import { type CpioEntry, readCpio, writeCpio } from "./cpio.ts";
import type { RamFs, RamInode } from "./ramfs.ts";
import type { Cred } from "./node.ts";
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG } from "./types.ts";

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
  /**
   * Leave regular files' bytes on the host ({@link collectInitramfs} only):
   * a member's `data` is then empty and `host` says where its bytes are.
   */
  deferData?: boolean;
}

/** A regular file's bytes left on the host, as seen at boot. */
export interface HostFileRef {
  /** Host path. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** Modification time (ms since the epoch; null when the host gives none). */
  mtimeMs: number | null;
}

/** A member of an initramfs: a cpio entry, or a regular file whose bytes stay on the host. */
export interface InitramfsMember extends CpioEntry {
  /** Where the bytes are, when `data` was left empty (`deferData`). */
  host?: HostFileRef;
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
// The data of directories and of files read later: one empty array for all
// (a typed array with a buffer of its own costs about 1 µs to make).
const NO_DATA = new Uint8Array(0);

function guestName(guestDir: string, rel: string): string {
  const parts = [...guestDir.split("/"), ...rel.split("/")].filter((p) => p !== "" && p !== ".");
  return parts.join("/");
}

/** Builds a newc archive from host directories (later mappings override earlier ones). */
export function buildInitramfs(
  hostDirs: readonly HostDirMapping[],
  options: BuildInitramfsOptions = {},
): Uint8Array {
  return writeCpio(collectInitramfs(hostDirs, { ...options, deferData: false }));
}

/**
 * Reads the bytes of a file left on the host, or null when the file is not
 * the one seen at boot any more (another size or time, gone, unreadable).
 */
export function loadHostFile(ref: HostFileRef): Uint8Array | null {
  let f: Deno.FsFile;
  try {
    f = Deno.openSync(ref.path);
  } catch {
    return null;
  }
  try {
    const st = f.statSync();
    if (!st.isFile || st.size !== ref.size || (st.mtime?.getTime() ?? null) !== ref.mtimeMs) {
      return null;
    }
    const bytes = new Uint8Array(ref.size);
    for (let at = 0; at < bytes.length;) {
      const n = f.readSync(bytes.subarray(at));
      if (n === null || n === 0) return null;
      at += n;
    }
    return bytes;
  } catch {
    return null;
  } finally {
    f.close();
  }
}

function memberBytes(e: InitramfsMember): Uint8Array {
  if (e.host === undefined) return e.data;
  const bytes = loadHostFile(e.host);
  if (bytes === null) throw new InitramfsError(`cannot read ${e.host.path} (changed since boot?)`);
  return bytes;
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
): InitramfsMember[] {
  const entries = new Map<string, InitramfsMember>();
  const dirEntry = (name: string, mode = 0o755, mtime = 0): CpioEntry => ({
    name,
    mode: S_IFDIR | mode,
    uid: 0,
    gid: 0,
    nlink: 2,
    mtime,
    data: NO_DATA,
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
    const filter = { include, executable: executable === true, defer: options.deferData === true };
    // Deferred bytes are read later, maybe after a change of directory: keep absolute paths.
    const root = filter.defer ? Deno.realPathSync(hostPath) : hostPath;
    walk(root, "", base, entries, options.keepTimes === true, filter);
  }
  return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function walk(
  hostDir: string,
  rel: string,
  base: string,
  entries: Map<string, InitramfsMember>,
  keepTimes: boolean,
  filter: { include?: (relPath: string) => boolean; executable: boolean; defer: boolean },
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
      entries.set(gname, { ...common, mode: S_IFDIR | perm, nlink: 2, data: NO_DATA });
      walk(hostDir, relPath, base, entries, keepTimes, filter);
    } else if (st.isFile) {
      const mode = S_IFREG | (filter.executable ? perm | 0o111 : perm);
      const host = { path: hostFile, size: st.size, mtimeMs: st.mtime?.getTime() ?? null };
      entries.set(
        gname,
        filter.defer
          ? { ...common, mode, nlink: 1, data: NO_DATA, host }
          : { ...common, mode, nlink: 1, data: Deno.readFileSync(hostFile) },
      );
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

/**
 * Unpacks an archive (a newc archive, or its members as
 * {@link collectInitramfs} gives them) into `fs` (normally the empty root
 * ramfs), as {@link fillRamFs} does with the members. Throws
 * {@link InitramfsError} (or CpioFormatError for a malformed archive).
 */
export function unpackInitramfs(
  fs: RamFs,
  archive: Uint8Array | readonly InitramfsMember[],
): UnpackSummary {
  return fillRamFs(fs, archive instanceof Uint8Array ? readCpio(archive) : archive);
}

const ROOT: Cred = { uid: 0, gid: 0 };

function made(r: RamInode | KStatus, what: string, path: string): RamInode {
  if (typeof r === "number") throw new InitramfsError(`${what} ${path}: ${statusName(r)}`);
  return r;
}

/** The directory `comps[0..n)` under `root`, creating missing ones (0755) as unpacking does. */
function ramDir(root: RamInode, comps: readonly string[], n: number): RamInode {
  let dir = root;
  for (let i = 0; i < n; i++) {
    const found = dir.lookup(comps[i]);
    const path = "/" + comps.slice(0, i + 1).join("/");
    const next = typeof found === "number"
      ? made(dir.mkdir(comps[i], 0o755, ROOT), "mkdir", path)
      : found;
    if (!next.isDirectory) throw new InitramfsError(`mkdir ${path}: ${statusName(K.NOTDIR)}`);
    dir = next;
  }
  return dir;
}

/**
 * Fills a ramfs (normally the empty root) with initramfs members through
 * its inodes, without a path walk per member: directories (existing ones
 * kept, missing parents made 0755), files with their modes, owners and
 * times, symlinks, device nodes and FIFOs, and hard links (members sharing
 * an inode number with nlink > 1; newc carries the data on the last one).
 * A member whose bytes stay on the host (`host`) becomes a file that reads
 * them at first use. Names with `..` are refused. Throws
 * {@link InitramfsError}.
 */
export function fillRamFs(fs: RamFs, members: readonly InitramfsMember[]): UnpackSummary {
  const summary: UnpackSummary = { dirs: 0, files: 0, symlinks: 0, nodes: 0, links: 0 };
  const seenIno = new Map<string, RamInode>();
  for (const e of members) {
    const comps = e.name.split("/").filter((c) => c !== "" && c !== ".");
    if (comps.includes("..")) throw new InitramfsError(`archive path "${e.name}" contains ".."`);
    if (comps.length === 0) continue;
    const path = "/" + comps.join("/");
    const dir = ramDir(fs.root, comps, comps.length - 1);
    const name = comps[comps.length - 1];
    const type = e.mode & S_IFMT;
    const perm = e.mode & 0o7777;
    const attr = { mode: perm, uid: e.uid, gid: e.gid, mtimeNs: BigInt(e.mtime) * 1_000_000_000n };
    const old = dir.lookup(name);
    if (type === S_IFDIR) {
      const d = typeof old === "number" ? made(dir.mkdir(name, perm, ROOT), "mkdir", path) : old;
      d.setAttr(attr);
      summary.dirs++;
      continue;
    }
    if (type === S_IFLNK) {
      dir.unlink(name);
      made(dir.symlink(name, td.decode(e.data), ROOT), "symlink", path);
      summary.symlinks++;
      continue;
    }
    const key = `${e.devMajor ?? 0}:${e.devMinor ?? 0}:${e.ino ?? 0}`;
    const first = e.nlink > 1 && e.ino ? seenIno.get(key) : undefined;
    let node: RamInode;
    if (first !== undefined) {
      dir.unlink(name);
      const st = dir.link(name, first);
      if (st < 0) throw new InitramfsError(`link ${path}: ${statusName(st)}`);
      node = first;
      summary.links++;
    } else if (type === S_IFREG) {
      node = typeof old === "number" ? made(dir.create(name, perm, ROOT), "create", path) : old;
      if (node.isDirectory) throw new InitramfsError(`create ${path}: ${statusName(K.ISDIR)}`);
      if (typeof old !== "number") node.truncate(0);
      summary.files++;
      if (e.nlink > 1 && e.ino) seenIno.set(key, node);
      if (e.host !== undefined) {
        const ref = e.host;
        if (ref.size > 0) node.deferData(ref.size, () => loadHostFile(ref));
        node.setAttr(attr);
        continue;
      }
    } else if (type === S_IFCHR || type === S_IFBLK || type === S_IFIFO) {
      const rdev = ((e.rdevMajor ?? 0) << 8) | (e.rdevMinor ?? 0);
      made(dir.mknod(name, e.mode, rdev, ROOT), "mknod", path);
      summary.nodes++;
      continue;
    } else {
      continue; // sockets: nothing to create
    }
    // Data for a regular file (for hard links, newc carries it on the last member).
    const data = memberBytes(e);
    if (data.length > 0) {
      node.truncate(0);
      const n = node.writeAt(data, 0);
      if (n !== data.length) throw new InitramfsError(`write ${path}: ${statusName(n)}`);
    }
    node.setAttr(attr);
  }
  return summary;
}
