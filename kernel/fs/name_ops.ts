/**
 * The VFS operations on names: making entries (mkdir, mknod, symlink,
 * link), removing them (unlink, rmdir), rename, and the calls that act on
 * the inode a path names (readlink, truncate, setAttr, access). `Vfs`
 * exposes each as a method; here they take the mount table explicitly.
 *
 * - newEntryParent: the checks every create shares (the name is new, the
 *   file system writable, the directory writable by the caller)
 * - removalTarget: the parent and the inode a removal names
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { Mount, MountTable, PathFrame, PathLoc } from "./mount_table.ts";
import { type AttrChange, type Cred, type FsInode, PATH_MAX } from "./node.ts";
import {
  inGroup,
  isDir,
  lookup,
  lookupParent,
  type ParentLookup,
  permit,
  stickyAllows,
} from "./path_lookup.ts";
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from "./types.ts";

const te = new TextEncoder();

/**
 * The directory in which `path` names a new entry, checked for every create
 * (mkdir, mknod, symlink, link): a real name that does not exist yet, a
 * writable file system (on `sameMount` when given) and write permission.
 */
function newEntryParent(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  cred: Cred,
  sameMount: Mount | null,
): { parent: PathFrame; name: string } | KStatus {
  const p = lookupParent(table, base, path, cred);
  if (typeof p === "number") return p;
  if (p.name === "" || p.name === "." || p.name === "..") return K.EXIST;
  const parent = p.frames[p.frames.length - 1];
  if (sameMount !== null && parent.mount !== sameMount) return K.XDEV;
  const existing = parent.inode.lookup?.(p.name) ?? K.NOTDIR;
  if (typeof existing !== "number") return K.EXIST;
  if (existing !== K.NOENT) return existing;
  if (parent.mount.fs.readOnly) return K.ROFS;
  const perm = permit(parent.inode, cred, 3);
  if (perm < 0) return perm;
  return { parent, name: p.name };
}

/**
 * Makes a new entry at `path` with `make(directory, name)` once
 * {@link newEntryParent} allows it; the inode made is not needed.
 */
function makeEntry(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  cred: Cred,
  make: (dir: FsInode, name: string) => FsInode | KStatus,
): KStatus {
  const p = newEntryParent(table, base, path, cred, null);
  if (typeof p === "number") return p;
  const r = make(p.parent.inode, p.name);
  return typeof r === "number" ? r : K.OK;
}

/** Creates a directory. */
export function mkdir(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  mode: number,
  cred: Cred,
): KStatus {
  return makeEntry(
    table,
    base,
    path,
    cred,
    (dir, name) => dir.mkdir?.(name, mode & 0o7777, cred) ?? K.NOTSUP,
  );
}

/** Creates a device special file or FIFO (`mode` includes S_IFCHR/S_IFBLK/S_IFIFO). */
export function mknod(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  mode: number,
  rdev: number,
  cred: Cred,
): KStatus {
  const regular = (mode & S_IFMT) === S_IFREG || (mode & S_IFMT) === 0;
  return makeEntry(
    table,
    base,
    path,
    cred,
    (dir, name) =>
      regular
        ? dir.create?.(name, mode & 0o7777, cred) ?? K.NOTSUP
        : dir.mknod?.(name, mode, rdev, cred) ?? K.NOTSUP,
  );
}

/** Creates a symbolic link at `path` holding `target`. */
export function symlink(
  table: MountTable,
  target: string,
  base: PathLoc | null,
  path: string,
  cred: Cred,
): KStatus {
  if (target.length === 0) return K.NOENT;
  if (te.encode(target).length >= PATH_MAX) return K.NAMETOOLONG;
  return makeEntry(
    table,
    base,
    path,
    cred,
    (dir, name) => dir.symlink?.(name, target, cred) ?? K.NOTSUP,
  );
}

/** The target of the symbolic link at `path`; K.INVAL if it is not a link. */
export function readlink(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  cred: Cred,
): string | KStatus {
  const loc = lookup(table, base, path, false, cred);
  if (typeof loc === "number") return loc;
  if ((loc.inode.stat().mode & S_IFMT) !== S_IFLNK) return K.INVAL;
  return loc.inode.readlink?.() ?? K.INVAL;
}

/** Adds a hard link `newPath` to the non-directory `oldPath`. */
export function link(
  table: MountTable,
  oldBase: PathLoc | null,
  oldPath: string,
  newBase: PathLoc | null,
  newPath: string,
  cred: Cred,
): KStatus {
  const src = lookup(table, oldBase, oldPath, false, cred);
  if (typeof src === "number") return src;
  if (isDir(src.inode)) return K.PERM;
  const p = newEntryParent(table, newBase, newPath, cred, src.mount);
  if (typeof p === "number") return p;
  return p.parent.inode.link?.(p.name, src.inode) ?? K.NOTSUP;
}

/**
 * The parent directory of a name about to be removed and the inode it
 * names, once the path is resolved and the name is a real one (`dots` is
 * the status for "", "." and "..").
 */
function removalTarget(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  cred: Cred,
  dots: (name: string) => KStatus,
): { p: ParentLookup; parent: PathFrame; victim: FsInode } | KStatus {
  const p = lookupParent(table, base, path, cred);
  if (typeof p === "number") return p;
  if (p.name === "" || p.name === "." || p.name === "..") return dots(p.name);
  const parent = p.frames[p.frames.length - 1];
  const victim = parent.inode.lookup?.(p.name) ?? K.NOTDIR;
  if (typeof victim === "number") return victim;
  return { p, parent, victim };
}

/** The write checks of a removal from `parent`: a writable file system and directory. */
function removable(parent: PathFrame, victim: FsInode, cred: Cred): KStatus {
  if (parent.mount.fs.readOnly) return K.ROFS;
  const perm = permit(parent.inode, cred, 3);
  return perm < 0 ? perm : stickyAllows(parent.inode, victim, cred);
}

/** Removes a non-directory name; an open file keeps its data until the last close. */
export function unlink(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  cred: Cred,
): KStatus {
  const r = removalTarget(table, base, path, cred, () => K.ISDIR);
  if (typeof r === "number") return r;
  const { p, parent, victim } = r;
  if (isDir(victim)) return K.ISDIR;
  if (p.trailingSlash) return K.NOTDIR;
  const perm = removable(parent, victim, cred);
  if (perm < 0) return perm;
  return parent.inode.unlink?.(p.name) ?? K.NOTSUP;
}

/** Removes an empty directory. */
export function rmdir(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  cred: Cred,
): KStatus {
  const r = removalTarget(
    table,
    base,
    path,
    cred,
    (name) => name === "" ? K.BUSY : name === "." ? K.INVAL : K.NOTEMPTY,
  );
  if (typeof r === "number") return r;
  const { p, parent, victim } = r;
  if (!isDir(victim)) return K.NOTDIR;
  if (table.mountedOn(victim) !== undefined) return K.BUSY;
  const perm = removable(parent, victim, cred);
  if (perm < 0) return perm;
  return parent.inode.rmdir?.(p.name) ?? K.NOTSUP;
}

/**
 * Whether `src` may replace what `dst` names (`dst` a status when the
 * name is free): the same inode is a no-op (K.OK is returned as `"same"`),
 * a mount point is busy, and a directory only replaces a directory.
 */
function replaceable(
  table: MountTable,
  src: FsInode,
  dst: FsInode | KStatus,
): KStatus | "same" {
  if (typeof dst === "number") return dst === K.NOENT ? K.OK : dst;
  if (dst === src) return "same";
  if (table.mountedOn(dst) !== undefined) return K.BUSY;
  const srcIsDir = isDir(src);
  if (isDir(dst) && !srcIsDir) return K.ISDIR;
  if (!isDir(dst) && srcIsDir) return K.NOTDIR;
  return K.OK;
}

/** Renames within one file system (K.XDEV across mounts). */
export function rename(
  table: MountTable,
  oldBase: PathLoc | null,
  oldPath: string,
  newBase: PathLoc | null,
  newPath: string,
  cred: Cred,
): KStatus {
  const a = lookupParent(table, oldBase, oldPath, cred);
  if (typeof a === "number") return a;
  const b = lookupParent(table, newBase, newPath, cred);
  if (typeof b === "number") return b;
  for (const n of [a.name, b.name]) {
    if (n === "" || n === "." || n === "..") return K.BUSY;
  }
  const from = a.frames[a.frames.length - 1];
  const to = b.frames[b.frames.length - 1];
  if (from.mount !== to.mount) return K.XDEV;
  const src = from.inode.lookup?.(a.name) ?? K.NOTDIR;
  if (typeof src === "number") return src;
  if (table.mountedOn(src) !== undefined) return K.BUSY;
  const srcIsDir = isDir(src);
  if ((a.trailingSlash || b.trailingSlash) && !srcIsDir) return K.NOTDIR;
  // A directory cannot move into its own subtree.
  if (srcIsDir && b.frames.some((f) => f.inode === src)) return K.INVAL;
  const ok = replaceable(table, src, to.inode.lookup?.(b.name) ?? K.NOTDIR);
  if (ok === "same") return K.OK;
  if (ok < 0) return ok;
  if (from.mount.fs.readOnly) return K.ROFS;
  let perm = permit(from.inode, cred, 3);
  if (perm === K.OK) perm = permit(to.inode, cred, 3);
  if (perm === K.OK) perm = stickyAllows(from.inode, src, cred);
  const dst = to.inode.lookup?.(b.name);
  if (perm === K.OK && dst !== undefined && typeof dst !== "number") {
    perm = stickyAllows(to.inode, dst, cred);
  }
  if (perm < 0) return perm;
  return from.inode.rename?.(a.name, to.inode, b.name) ?? K.NOTSUP;
}

/** Truncates the regular file at `path`. */
export function truncate(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  size: number,
  cred: Cred,
): KStatus {
  if (size < 0 || !Number.isSafeInteger(size)) return K.INVAL;
  const loc = lookup(table, base, path, true, cred);
  if (typeof loc === "number") return loc;
  const type = loc.inode.stat().mode & S_IFMT;
  if (type === S_IFDIR) return K.ISDIR;
  if (type !== S_IFREG) return K.INVAL;
  if (loc.mount.fs.readOnly) return K.ROFS;
  const perm = permit(loc.inode, cred, 2);
  if (perm < 0) return perm;
  return loc.inode.truncate?.(size) ?? K.NOTSUP;
}

/**
 * Changes attributes (chmod/chown/utimes); only root or the owner may, and
 * the owner may change the group only to one of its own.
 */
export function setAttr(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  change: AttrChange,
  follow: boolean,
  cred: Cred,
): KStatus {
  const loc = lookup(table, base, path, follow, cred);
  if (typeof loc === "number") return loc;
  if (loc.mount.fs.readOnly) return K.ROFS;
  const st = loc.inode.stat();
  if (cred.uid !== 0 && (cred.uid !== st.uid || change.uid !== undefined)) return K.PERM;
  // The owner may give the file only to a group it belongs to.
  if (cred.uid !== 0 && change.gid !== undefined && !inGroup(cred, change.gid)) return K.PERM;
  return loc.inode.setAttr?.(change) ?? K.NOTSUP;
}

/** Checks access like access(2): `want` is a mask of 4 (read), 2 (write), 1 (execute). */
export function access(
  table: MountTable,
  base: PathLoc | null,
  path: string,
  want: number,
  cred: Cred,
): KStatus {
  const loc = lookup(table, base, path, true, cred);
  if (typeof loc === "number") return loc;
  if ((want & 2) && loc.mount.fs.readOnly) return K.ROFS;
  if (cred.uid === 0 && (want & 1) && !isDir(loc.inode)) {
    return (loc.inode.stat().mode & 0o111) !== 0 ? K.OK : K.ACCES;
  }
  return permit(loc.inode, cred, want);
}
