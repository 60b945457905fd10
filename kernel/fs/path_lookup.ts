/**
 * Path resolution: from a {@link PathLoc} (the root, or a working
 * directory) component by component to an inode, or to the parent
 * directory and last name of a path about to be created or removed.
 *
 * - lookup: the whole path (`follow` says whether a final symbolic link
 *   is followed); symbolic links are expanded in place, at most
 *   {@link MAX_SYMLINKS} per lookup (K.LOOP beyond)
 * - lookupParent: all but the last component
 * - walk, step: one path, one component (a mount point is crossed to the
 *   root of what is mounted on it; `..` at the root stays at the root)
 * - isDir, permit, exceeds: the checks the name operations share
 *
 * Permissions are checked simply: root (uid 0) may do anything; otherwise
 * the owner bits apply to the owner and the "other" bits to everyone else
 * (group bits are not consulted).
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { MountTable, PathFrame } from "./mount_table.ts";
import { PathLoc } from "./mount_table.ts";
import { type Cred, type FsInode, NAME_MAX, PATH_MAX } from "./node.ts";
import { S_IFDIR, S_IFLNK, S_IFMT, S_ISVTX } from "./types.ts";

/** Maximum symbolic links followed in one lookup (as Linux's 40). */
export const MAX_SYMLINKS = 40;

/** The parent chain of a path's last component, that name, and whether the path ended in "/". */
export interface ParentLookup {
  /** Frames from the root to the parent directory. */
  frames: PathFrame[];
  /** The last component ("" for "/"). */
  name: string;
  /** Whether the path ended with a slash. */
  trailingSlash: boolean;
}

const te = new TextEncoder();

/**
 * Resolves `path` relative to `base` (the root when null, or when the path
 * is absolute). `follow` says whether a final symbolic link is followed.
 */
export function lookup(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  follow: boolean,
  cred: Cred,
): PathLoc | KStatus {
  const frames = start(table, base, path);
  if (typeof frames === "number") return frames;
  const st = walk(table, frames, path, follow, cred, { links: 0 });
  if (st < 0) return st;
  return new PathLoc(frames);
}

/** Resolves all but the last component; returns the parent chain and the last name. */
export function lookupParent(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  cred: Cred,
): ParentLookup | KStatus {
  const frames = start(table, base, path);
  if (typeof frames === "number") return frames;
  if (path[0] === "/") frames.length = 1;
  const comps = path.split("/").filter((c) => c.length > 0);
  const trailingSlash = path.endsWith("/");
  const ctx = { links: 0 };
  for (let i = 0; i < comps.length - 1; i++) {
    const st = step(table, frames, comps[i], true, cred, ctx);
    if (st < 0) return st;
  }
  const dir = frames[frames.length - 1].inode;
  if (!isDir(dir)) return K.NOTDIR;
  const name = comps.length > 0 ? comps[comps.length - 1] : "";
  if (exceeds(name, NAME_MAX)) return K.NAMETOOLONG;
  return { frames, name, trailingSlash };
}

/** The frames a lookup of `path` starts from, or a status for a malformed path. */
function start(table: MountTable, base: PathLoc | null, path: string): PathFrame[] | KStatus {
  if (path.length === 0) return K.NOENT;
  if (exceeds(path, PATH_MAX - 1)) return K.NAMETOOLONG;
  if (path.includes("\0")) return K.INVAL;
  return path[0] === "/" || base === null ? table.root().frames.slice() : base.frames.slice();
}

/** Walks every component of `path`, mutating `frames`. */
function walk(
  table: MountTable,
  frames: PathFrame[],
  path: string,
  followLast: boolean,
  cred: Cred,
  ctx: { links: number },
): KStatus {
  if (path[0] === "/") frames.length = 1;
  const comps = path.split("/").filter((c) => c.length > 0);
  const trailingSlash = path.endsWith("/") && comps.length > 0;
  for (let i = 0; i < comps.length; i++) {
    const isLast = i === comps.length - 1;
    const st = step(table, frames, comps[i], !isLast || followLast || trailingSlash, cred, ctx);
    if (st < 0) return st;
  }
  if (trailingSlash && !isDir(frames[frames.length - 1].inode)) return K.NOTDIR;
  return K.OK;
}

/** Moves one component down (or up for `..`). */
function step(
  table: MountTable,
  frames: PathFrame[],
  name: string,
  follow: boolean,
  cred: Cred,
  ctx: { links: number },
): KStatus {
  const top = frames[frames.length - 1];
  if (!isDir(top.inode)) return K.NOTDIR;
  const perm = permit(top.inode, cred, 1);
  if (perm < 0) return perm;
  if (name === ".") return K.OK;
  if (name === "..") {
    if (frames.length > 1) frames.pop();
    return K.OK;
  }
  if (exceeds(name, NAME_MAX)) return K.NAMETOOLONG;
  const found = top.inode.lookup?.(name) ?? K.NOTDIR;
  if (typeof found === "number") return found;
  let child: FsInode = found;
  let mount = top.mount;
  for (let m = table.mountedOn(child); m !== undefined; m = table.mountedOn(child)) {
    child = m.fs.root;
    mount = m;
  }
  if (follow && (modeOf(child) & S_IFMT) === S_IFLNK) {
    if (++ctx.links > MAX_SYMLINKS) return K.LOOP;
    const target = child.readlink?.() ?? K.INVAL;
    if (typeof target === "number") return target;
    if (target.length === 0) return K.NOENT;
    return walk(table, frames, target, true, cred, ctx);
  }
  frames.push({ inode: child, mount, name });
  return K.OK;
}

function modeOf(inode: FsInode): number {
  return inode.mode ?? inode.stat().mode;
}

/** True for a directory inode. */
export function isDir(inode: FsInode): boolean {
  return (modeOf(inode) & S_IFMT) === S_IFDIR;
}

/** UTF-8 length of `s` above `limit`, computed only when it could be. */
export function exceeds(s: string, limit: number): boolean {
  if (s.length * 3 <= limit) return false;
  return te.encode(s).length > limit;
}

/**
 * The permission check of Unix: the owner's bits for the owner, else the
 * group's bits for a member of the file's group (effective or supplementary
 * gid), else the others' bits; root bypasses. `want`: 4 read, 2 write, 1 exec.
 */
export function permit(inode: FsInode, cred: Cred, want: number): KStatus {
  if (cred.uid === 0 || want === 0) return K.OK;
  const st = inode.stat(); // uid is needed too, so the full Stat
  let bits: number;
  if (cred.uid === st.uid) bits = (st.mode >> 6) & 7;
  else if (inGroup(cred, st.gid)) bits = (st.mode >> 3) & 7;
  else bits = st.mode & 7;
  return (bits & want) === want ? K.OK : K.ACCES;
}

/** True when `gid` is the effective group of `cred` or one of its supplementary groups. */
export function inGroup(cred: Cred, gid: number): boolean {
  return cred.gid === gid || (cred.groups?.includes(gid) ?? false);
}

/**
 * The sticky-bit rule (`/tmp`, mode 1777): in a directory with S_ISVTX only
 * the owner of the entry, the owner of the directory or root may remove or
 * rename the entry (K.PERM otherwise).
 */
export function stickyAllows(dir: FsInode, victim: FsInode, cred: Cred): KStatus {
  if (cred.uid === 0) return K.OK;
  const ds = dir.stat();
  if ((ds.mode & S_ISVTX) === 0 || ds.uid === cred.uid) return K.OK;
  return victim.stat().uid === cred.uid ? K.OK : K.PERM;
}
