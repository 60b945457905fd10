/**
 * hostfs: a read-only view of a host directory (`--share HOSTDIR[:GUESTDIR]`).
 *
 * Confinement: the share's root is resolved once with `Deno.realPathSync`;
 * every name looked up is resolved the same way and must stay under that
 * root, so a host symbolic link pointing outside the share is refused
 * (K.ACCES) and names containing `..` or `/` never reach the host (the VFS
 * resolves `..` itself, and at the share's root it leaves the share for the
 * mount point's parent). Host symbolic links that stay inside are followed
 * on the host side and appear as what they point to.
 *
 * A directory is listed from one snapshot per open stream (taken at the
 * first read and at a rewind), so a listing costs one host scan and the
 * offsets `telldir` returns stay valid.
 *
 * Every modification gives K.ROFS. Files appear owned by root (uid 0, gid 0)
 * with the host's permission bits. Host I/O errors map to K.NOENT, K.ACCES
 * or K.IO; nothing throws into the kernel.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import { type FileSystem, type FsInode, makeStat } from "./node.ts";
import {
  type DirEntry,
  type FileOps,
  type OpenFile,
  S_IFDIR,
  S_IFMT,
  S_IFREG,
  type Stat,
} from "./types.ts";

/** Raised when the share itself cannot be opened (host configuration error). */
export class HostFsError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HostFsError";
  }
}

function hostStatus(e: unknown): KStatus {
  if (e instanceof Deno.errors.NotFound) return K.NOENT;
  if (e instanceof Deno.errors.PermissionDenied) return K.ACCES;
  if (e instanceof Deno.errors.NotADirectory) return K.NOTDIR;
  return K.IO;
}

const HOST_FILE_OPS: FileOps = {
  read(file: OpenFile, buf: Uint8Array): number {
    const h: Deno.FsFile | null = file.priv;
    if (h === null) return K.BADF;
    try {
      h.seekSync(file.offset, Deno.SeekMode.Start);
      let total = 0;
      while (total < buf.length) {
        const n = h.readSync(buf.subarray(total));
        if (n === null || n === 0) break;
        total += n;
      }
      file.offset += total;
      return total;
    } catch (e) {
      return hostStatus(e);
    }
  },
  write: () => K.ROFS,
  release(file: OpenFile): void {
    const h: Deno.FsFile | null = file.priv;
    file.priv = null;
    try {
      h?.close();
    } catch {
      // Already closed: nothing to release.
    }
  },
};

/** An inode of a {@link HostFs}: one resolved host path. */
class HostInode implements FsInode {
  readonly ino: number;
  readonly fileOps: FileOps;
  readonly #fs: HostFs;
  /** Resolved host path (inside the share). */
  readonly hostPath: string;
  readonly #isDir: boolean;

  constructor(fs: HostFs, ino: number, hostPath: string, isDir: boolean) {
    this.#fs = fs;
    this.ino = ino;
    this.hostPath = hostPath;
    this.#isDir = isDir;
    this.fileOps = isDir ? this.#dirOps() : HOST_FILE_OPS;
  }

  stat(): Stat {
    let st: Deno.FileInfo;
    try {
      st = Deno.statSync(this.hostPath);
    } catch {
      // Vanished on the host: report an empty file of the type we knew.
      return makeStat({
        dev: this.#fs.dev,
        ino: this.ino,
        mode: this.#isDir ? S_IFDIR : S_IFREG,
        nlink: 0,
      });
    }
    const typeBits = st.isDirectory ? S_IFDIR : st.isFile ? S_IFREG : ((st.mode ?? 0) & S_IFMT);
    const ms = (d: Date | null) => BigInt(d?.getTime() ?? 0) * 1_000_000n;
    return makeStat({
      dev: this.#fs.dev,
      ino: this.ino,
      mode: typeBits | ((st.mode ?? 0o644) & 0o7777),
      nlink: st.nlink ?? 1,
      size: st.isFile ? st.size : 0,
      atimeNs: ms(st.atime),
      mtimeNs: ms(st.mtime),
      ctimeNs: ms(st.mtime),
    });
  }

  lookup(name: string): FsInode | KStatus {
    if (!this.#isDir) return K.NOTDIR;
    return this.#fs.resolveChild(this.hostPath, name);
  }

  open(file: OpenFile): KStatus {
    if (this.#isDir) return K.OK;
    try {
      file.priv = Deno.openSync(this.hostPath, { read: true });
      return K.OK;
    } catch (e) {
      return hostStatus(e);
    }
  }

  #dirOps(): FileOps {
    return {
      read: () => K.ISDIR,
      write: () => K.ISDIR,
      readdir: (file: OpenFile): DirEntry[] | KStatus => {
        // One snapshot per open directory stream, taken at its first read
        // and again at a rewind (offset 0): the offsets (telldir cookies)
        // index it and stay valid while the stream is open.
        let snap = file.priv instanceof DirSnapshot ? file.priv : null;
        if (snap === null || file.offset === 0) {
          const made = this.#snapshot();
          if (typeof made === "number") return made;
          snap = made;
          file.priv = snap;
        }
        return snap.entries.slice(file.offset);
      },
    };
  }

  /** The directory's entries now: `.`, `..`, then the visible names, sorted. */
  #snapshot(): DirSnapshot | KStatus {
    let names: string[];
    try {
      names = [...Deno.readDirSync(this.hostPath)].map((e) => e.name).sort();
    } catch (e) {
      return hostStatus(e);
    }
    const out: DirEntry[] = [
      { ino: this.ino, name: ".", type: S_IFDIR },
      { ino: this.ino, name: "..", type: S_IFDIR },
    ];
    for (const name of names) {
      const child = this.#fs.resolveChild(this.hostPath, name);
      if (typeof child === "number") continue; // escaping links and vanished files are hidden
      out.push({ ino: child.ino, name, type: child.stat().mode & S_IFMT });
    }
    return new DirSnapshot(out);
  }
}

/** The entries of a host directory as one open stream saw them. */
class DirSnapshot {
  constructor(readonly entries: readonly DirEntry[]) {}
}

/** A read-only, confined view of a host directory. */
export class HostFs implements FileSystem {
  /** Type name. */
  readonly type = "hostfs";
  /** Always read-only. */
  readonly readOnly = true;
  /** Device id reported by stat. */
  readonly dev: number;
  /** The share's resolved host root. */
  readonly hostRoot: string;
  /** Root directory. */
  readonly root: FsInode;
  readonly #byPath = new Map<string, HostInode>();
  #nextIno = 1;

  /** Opens the share at `hostDir`; throws {@link HostFsError} if it is not a readable directory. */
  constructor(hostDir: string, dev = 0x30) {
    this.dev = dev;
    let real: string;
    try {
      real = Deno.realPathSync(hostDir);
    } catch (e) {
      throw new HostFsError(`cannot share ${hostDir}: ${(e as Error).message}`, { cause: e });
    }
    if (!Deno.statSync(real).isDirectory) throw new HostFsError(`${hostDir} is not a directory`);
    this.hostRoot = real;
    this.root = this.#inode(real, true);
  }

  #inode(real: string, isDir: boolean): HostInode {
    let n = this.#byPath.get(real);
    if (n === undefined) {
      n = new HostInode(this, this.#nextIno++, real, isDir);
      this.#byPath.set(real, n);
    }
    return n;
  }

  /** True if the resolved host path lies inside the share. */
  contains(real: string): boolean {
    if (real === this.hostRoot) return true;
    const root = this.hostRoot.endsWith("/") ? this.hostRoot : this.hostRoot + "/";
    return real.startsWith(root);
  }

  /**
   * Resolves `name` inside the host directory `hostDir`: K.ACCES if it is
   * `..`-like or a link leading outside the share, K.NOENT if absent.
   */
  resolveChild(hostDir: string, name: string): FsInode | KStatus {
    if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) {
      return K.ACCES;
    }
    let real: string;
    try {
      real = Deno.realPathSync(`${hostDir}/${name}`);
    } catch (e) {
      return hostStatus(e);
    }
    if (!this.contains(real)) return K.ACCES;
    let st: Deno.FileInfo;
    try {
      st = Deno.statSync(real);
    } catch (e) {
      return hostStatus(e);
    }
    if (!st.isDirectory && !st.isFile) return K.ACCES; // host devices, sockets, FIFOs stay hidden
    return this.#inode(real, st.isDirectory);
  }
}
