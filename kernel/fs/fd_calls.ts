/**
 * The file-descriptor and working-directory calls of the kernel API
 * (`KernelApi` in `kernel/api.ts`): each finds the process's descriptor
 * table or cwd and delegates to it or to the VFS. A process without a table
 * (a zombie) gets K.BADF, never an exception.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import { SignalCalls } from "../ipc/signal_calls.ts";
import type { Process } from "../proc/process.ts";
import type { FdTable } from "./fd_table.ts";
import type { OpenFile } from "./types.ts";
import type { PathLoc, Vfs } from "./vfs.ts";

/** Descriptor and cwd operations, for the kernel facade to inherit (with the signal and memory calls). */
export abstract class FileCalls extends SignalCalls {
  /** The virtual file system. */
  abstract readonly vfs: Vfs;

  /** Current directory of `p`. */
  cwd(p: Process): PathLoc {
    return (p.cwdLoc as PathLoc | null) ?? this.vfs.root();
  }

  /** chdir. */
  chdir(p: Process, path: string): KStatus {
    const r = this.vfs.chdir(this.cwd(p), path, p);
    if (typeof r === "number") return r;
    this.setCwd(p, r);
    return K.OK;
  }

  /** Sets the cwd to a resolved location. */
  setCwd(p: Process, loc: PathLoc): void {
    p.cwdLoc = loc;
    p.cwd = loc.path;
  }

  /** The descriptor table of `p`, or null. */
  protected fdsOf(p: Process): FdTable | null {
    return p.files as FdTable | null;
  }

  /** fd -> description. */
  fdGet(p: Process, fd: number): OpenFile | null {
    return this.fdsOf(p)?.get(fd) ?? null;
  }

  /** Installs a description. */
  fdInstall(p: Process, file: OpenFile, cloexec: boolean, minFd = 0): number {
    const t = this.fdsOf(p);
    return t === null ? K.BADF : t.install(file, cloexec, minFd);
  }

  /** close. */
  fdClose(p: Process, fd: number): KStatus {
    const t = this.fdsOf(p);
    return t === null ? K.BADF : t.close(fd);
  }

  /** dup / F_DUPFD. */
  fdDup(p: Process, fd: number, minFd: number, cloexec: boolean): number {
    const t = this.fdsOf(p);
    return t === null ? K.BADF : t.dup(fd, minFd, cloexec);
  }

  /** dup3. */
  fdDup3(p: Process, oldFd: number, newFd: number, cloexec: boolean): number {
    const t = this.fdsOf(p);
    return t === null ? K.BADF : t.dup3(oldFd, newFd, cloexec);
  }

  /** FD_CLOEXEC query. */
  fdGetCloexec(p: Process, fd: number): number {
    const t = this.fdsOf(p);
    return t === null ? K.BADF : t.getCloexec(fd);
  }

  /** FD_CLOEXEC set. */
  fdSetCloexec(p: Process, fd: number, on: boolean): KStatus {
    const t = this.fdsOf(p);
    return t === null ? K.BADF : t.setCloexec(fd, on);
  }

  /** Open fds. */
  fdList(p: Process): number[] {
    return this.fdsOf(p)?.list() ?? [];
  }

  /** Closes the close-on-exec descriptors. */
  fdCloseOnExec(p: Process): void {
    this.fdsOf(p)?.closeOnExec();
  }

  /** Opens `path` for the kernel itself (console for init) and installs it. */
  openForProcess(p: Process, path: string, flags: number): number {
    const r = this.vfs.open(this.cwd(p), path, flags, 0o644, p);
    if (typeof r === "number") return r;
    return this.fdInstall(p, r.file, false);
  }
}
