/**
 * Opening a path: `Vfs.open` resolves (or creates) the file, then makes
 * the open file description that fits its type.
 *
 * - openPath: O_CREAT/O_EXCL/O_NOFOLLOW resolution, creating a missing
 *   regular file
 * - openLoc: the checks on the resolved inode (type, read-only file
 *   system, permission), then describe
 * - describe: the description itself, through the device registry for
 *   character and block device nodes, the shared pipe for FIFOs, the inode's operations (with
 *   O_TRUNC applied) for everything else
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { CharDeviceRegistry } from "../io/char_device.ts";
import { type MountTable, PathLoc } from "./mount_table.ts";
import { type Cred, type FsInode, OpenFileDescription } from "./node.ts";
import { lookup, lookupParent, permit } from "./path_lookup.ts";
import { createFifoEnd, type FifoRegistry } from "./pipefs.ts";
import {
  type FileOps,
  OpenFlags,
  OpenOutcome,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  type Stat,
} from "./types.ts";

/** What opening needs of its VFS. */
export interface OpenContext {
  /** The mounts paths resolve through. */
  readonly table: MountTable;
  /** Character devices (absent: device nodes give K.NODEV). */
  readonly charDevices: CharDeviceRegistry | undefined;
  /** The pipes behind FIFO inodes. */
  readonly fifos: FifoRegistry;
  /** Records a new description opened at `loc` (open-file counts, the base of *at calls). */
  opened(file: OpenFileDescription, loc: PathLoc): void;
}

/** Result of a successful open: the description and what happened (OpenOutcome). */
export interface Opened {
  /** The new open file description (one reference). */
  file: OpenFileDescription;
  /** Whether the file was opened, created or truncated (OpenOutcome). */
  outcome: number;
}

/**
 * Opens `path` with kernel OpenFlags; `mode` gives the permission bits of a
 * created file. Returns the description and what happened, or a status.
 */
export function openPath(
  ctx: OpenContext,
  base: PathLoc | null,
  path: string,
  flags: number,
  mode: number,
  cred: Cred,
): Opened | KStatus {
  const follow = (flags & OpenFlags.NOFOLLOW) === 0;
  if ((flags & OpenFlags.CREATE) === 0) {
    const r = lookup(ctx.table, base, path, follow, cred);
    return typeof r === "number" ? r : openLoc(ctx, r, flags, OpenOutcome.OPENED, cred);
  }
  const p = lookupParent(ctx.table, base, path, cred);
  if (typeof p === "number") return p;
  if (p.name === "" || p.name === "." || p.name === "..") {
    const r = lookup(ctx.table, base, path, true, cred);
    if (typeof r === "number") return r;
    if (flags & OpenFlags.EXCL) return K.EXIST;
    return openLoc(ctx, r, flags, OpenOutcome.OPENED, cred);
  }
  const parent = p.frames[p.frames.length - 1];
  const found = parent.inode.lookup?.(p.name) ?? K.NOTDIR;
  if (found === K.NOENT) {
    if (p.trailingSlash) return K.ISDIR;
    if (parent.mount.fs.readOnly) return K.ROFS;
    const perm = permit(parent.inode, cred, 3);
    if (perm < 0) return perm;
    if (parent.inode.create === undefined) return K.NOTSUP;
    const made = parent.inode.create(p.name, mode & 0o7777, cred);
    if (typeof made === "number") return made;
    const loc = new PathLoc([...p.frames, { inode: made, mount: parent.mount, name: p.name }]);
    return openLoc(ctx, loc, flags, OpenOutcome.CREATED, cred);
  }
  if (typeof found === "number") return found;
  if (flags & OpenFlags.EXCL) return K.EXIST;
  const r = lookup(ctx.table, base, path, follow, cred);
  return typeof r === "number" ? r : openLoc(ctx, r, flags, OpenOutcome.OPENED, cred);
}

/** Execute permission for exec: root needs one execute bit, others their own. */
function permitExec(inode: FsInode, mode: number, cred: Cred): KStatus {
  if (cred.uid === 0) return (mode & 0o111) !== 0 ? K.OK : K.ACCES;
  return permit(inode, cred, 1);
}

/** Opens the resolved `loc`: the checks on its inode, then the description. */
function openLoc(
  ctx: OpenContext,
  loc: PathLoc,
  flags: number,
  outcome: number,
  cred: Cred,
): Opened | KStatus {
  const inode = loc.inode;
  const st = inode.stat();
  const type = st.mode & S_IFMT;
  const wantsWrite = (flags & (OpenFlags.WRITE | OpenFlags.TRUNC)) !== 0;
  if (flags & OpenFlags.PATH) {
    const file = new OpenFileDescription(inode, PATH_OPS, OpenFlags.PATH, loc.path);
    ctx.opened(file, loc);
    return { file, outcome };
  }
  if (type === S_IFLNK) return K.LOOP;
  if ((flags & OpenFlags.DIRECTORY) && type !== S_IFDIR) return K.NOTDIR;
  if (type === S_IFDIR && wantsWrite) return K.ISDIR;
  if (
    wantsWrite && loc.mount.fs.readOnly && type !== S_IFCHR && type !== S_IFBLK &&
    type !== S_IFIFO
  ) {
    return K.ROFS;
  }
  if (outcome !== OpenOutcome.CREATED) {
    const perm = (flags & OpenFlags.EXEC)
      ? permitExec(inode, st.mode, cred)
      : permit(inode, cred, ((flags & OpenFlags.READ) ? 4 : 0) | (wantsWrite ? 2 : 0));
    if (perm < 0) return perm;
  }
  const made = describe(ctx, loc, st, flags, outcome);
  if (typeof made === "number") return made;
  const r = inode.open?.(made.file, cred) ?? K.OK;
  if (r < 0) return r;
  ctx.opened(made.file, loc);
  return made;
}

/** The description of the checked `loc` (whose stat is `st`), by file type. */
function describe(
  ctx: OpenContext,
  loc: PathLoc,
  st: Stat,
  flags: number,
  outcome: number,
): Opened | KStatus {
  const inode = loc.inode;
  const type = st.mode & S_IFMT;
  if (type === S_IFCHR || type === S_IFBLK) {
    const dev = type === S_IFCHR
      ? ctx.charDevices?.lookup(st.rdev)
      : ctx.charDevices?.lookupBlock(st.rdev);
    if (dev === undefined) return K.NODEV;
    const file = new OpenFileDescription(inode, dev.fileOps, flags, loc.path);
    const r = dev.open?.(file) ?? K.OK;
    return r < 0 ? r : { file, outcome };
  }
  if (type === S_IFIFO) {
    const end = createFifoEnd(ctx.fifos.pipeFor(inode), inode, flags, loc.path);
    return typeof end === "number" ? end : { file: end, outcome };
  }
  if (type === S_IFREG && (flags & OpenFlags.TRUNC) && (flags & OpenFlags.WRITE)) {
    if (st.size > 0 || outcome === OpenOutcome.OPENED) {
      const r = inode.truncate?.(0) ?? K.NOTSUP;
      if (r < 0) return r;
      if (outcome === OpenOutcome.OPENED) outcome = OpenOutcome.TRUNCATED;
    }
  }
  return { file: new OpenFileDescription(inode, inode.fileOps, flags, loc.path), outcome };
}

/** Operations of an O_PATH description: nothing but fstat and close. */
const PATH_OPS: FileOps = {
  read: () => K.BADF,
  write: () => K.BADF,
};
