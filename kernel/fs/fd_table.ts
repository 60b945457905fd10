/**
 * A process's descriptor table: small integers naming open file
 * descriptions, each with its close-on-exec bit. Descriptions are shared
 * after dup and fork (reference counted by the VFS).
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import type { OpenFile } from "./types.ts";
import type { Vfs } from "./vfs.ts";

/** Default maximum number of descriptors per process (RLIMIT_NOFILE). */
export const DEFAULT_MAX_FDS = 256;

/** Descriptor table of one process. */
export class FdTable {
  /** Maximum number of descriptors (RLIMIT_NOFILE's soft limit). */
  max: number;
  readonly #vfs: Vfs;
  readonly #files: (OpenFile | null)[] = [];
  readonly #cloexec: boolean[] = [];

  /** Creates an empty table. */
  constructor(vfs: Vfs, max = DEFAULT_MAX_FDS) {
    this.#vfs = vfs;
    this.max = max;
  }

  /** The description behind `fd`, or null. */
  get(fd: number): OpenFile | null {
    if (!(fd >= 0 && fd < this.#files.length)) return null;
    return this.#files[fd] ?? null;
  }

  /** The close-on-exec bit (1/0) or K.BADF. */
  getCloexec(fd: number): number {
    if (this.get(fd) === null) return K.BADF;
    return this.#cloexec[fd] ? 1 : 0;
  }

  /** Sets the close-on-exec bit. */
  setCloexec(fd: number, on: boolean): KStatus {
    if (this.get(fd) === null) return K.BADF;
    this.#cloexec[fd] = on;
    return K.OK;
  }

  #lowestFree(min: number): number {
    for (let fd = Math.max(0, min); fd < this.max; fd++) {
      if (fd >= this.#files.length || this.#files[fd] === null) return fd;
    }
    return -1;
  }

  #set(fd: number, file: OpenFile | null, cloexec: boolean): void {
    while (this.#files.length <= fd) {
      this.#files.push(null);
      this.#cloexec.push(false);
    }
    this.#files[fd] = file;
    this.#cloexec[fd] = cloexec;
  }

  /** Installs `file` (its reference passes to the table) at the lowest free fd >= min. */
  install(file: OpenFile, cloexec: boolean, min = 0): number {
    if (!(min >= 0) || min >= this.max) return K.INVAL;
    const fd = this.#lowestFree(min);
    if (fd < 0) return K.MFILE;
    this.#set(fd, file, cloexec);
    return fd;
  }

  /** Closes `fd`. */
  close(fd: number): KStatus {
    const f = this.get(fd);
    if (f === null) return K.BADF;
    this.#files[fd] = null;
    this.#cloexec[fd] = false;
    this.#vfs.close(f);
    return K.OK;
  }

  /** dup/F_DUPFD: another fd >= min for the same description. */
  dup(fd: number, min: number, cloexec: boolean): number {
    const f = this.get(fd);
    if (f === null) return K.BADF;
    if (!(min >= 0) || min >= this.max) return K.INVAL;
    const nfd = this.#lowestFree(min);
    if (nfd < 0) return K.MFILE;
    this.#set(nfd, this.#vfs.retain(f), cloexec);
    return nfd;
  }

  /** dup2/dup3: `newFd` refers to `oldFd`'s description afterwards (closing what it held). */
  dup3(oldFd: number, newFd: number, cloexec: boolean): number {
    const f = this.get(oldFd);
    if (f === null) return K.BADF;
    if (!(newFd >= 0) || newFd >= this.max || !Number.isInteger(newFd)) return K.BADF;
    if (oldFd === newFd) {
      this.#cloexec[newFd] = cloexec;
      return newFd;
    }
    const old = this.get(newFd);
    this.#set(newFd, this.#vfs.retain(f), cloexec);
    if (old !== null) this.#vfs.close(old);
    return newFd;
  }

  /** Closes every close-on-exec descriptor (at exec). */
  closeOnExec(): void {
    for (let fd = 0; fd < this.#files.length; fd++) {
      if (this.#files[fd] !== null && this.#cloexec[fd]) this.close(fd);
    }
  }

  /** Closes every descriptor (at exit). */
  closeAll(): void {
    for (let fd = 0; fd < this.#files.length; fd++) {
      if (this.#files[fd] !== null) this.close(fd);
    }
  }

  /** A copy for a forked child (every description gains a reference). */
  fork(): FdTable {
    const t = new FdTable(this.#vfs, this.max);
    for (let fd = 0; fd < this.#files.length; fd++) {
      const f = this.#files[fd];
      if (f !== null) t.#set(fd, this.#vfs.retain(f), this.#cloexec[fd]);
    }
    return t;
  }

  /** Open descriptors, ascending. */
  list(): number[] {
    const out: number[] = [];
    for (let fd = 0; fd < this.#files.length; fd++) if (this.#files[fd] !== null) out.push(fd);
    return out;
  }
}
