/**
 * The executive object types that wrap kernel things: process and thread
 * objects over kernel processes and threads, file objects over VFS open
 * files (with the share-access bookkeeping of IoCheckShareAccess), and image
 * section objects (the `\KnownDlls` entries).
 *
 * @module
 */

import {
  type KernelApi,
  type OpenFile,
  type Process,
  type Thread,
  WaitQueue,
} from "../../../kernel/api.ts";
import { NtObject } from "./ob.ts";
import type { ImageFile } from "./modules.ts";

/** STILL_ACTIVE (STATUS_PENDING): the exit code of a running process. */
export const STILL_ACTIVE = 259;

/**
 * A process object. It holds a kernel reference on the process
 * (`retainProcess`) while the object lives, so the exit code stays readable
 * after the process is gone and the pid is not reused.
 */
export class ProcessObject extends NtObject {
  /** The type. */
  readonly type = "Process" as const;
  /** The full 32-bit exit code when set by NtTerminateProcess (else from the kernel). */
  exitStatus: number | null = null;

  /** Wraps `process` (retained until the last reference drops). */
  constructor(readonly api: KernelApi, readonly process: Process) {
    super();
    api.retainProcess(process);
  }

  /** True once the process has exited. */
  get exited(): boolean {
    return this.api.processExitQueue(this.process) === null;
  }

  /** The exit code: STILL_ACTIVE while running; 128+signal for a killed Unix process. */
  exitCode(): number {
    if (!this.exited) return STILL_ACTIVE;
    if (this.exitStatus !== null) return this.exitStatus;
    const p = this.process;
    return p.termSignal !== 0 ? 128 + p.termSignal : p.exitCode;
  }

  /** Signalled once the process has exited. */
  override signaled(): boolean {
    return this.exited;
  }

  /** The process's exit queue (null once exited: nothing to wait for). */
  override waitQueue(): WaitQueue | null {
    return this.api.processExitQueue(this.process);
  }

  /** Releases the kernel reference. */
  protected override deleted(): void {
    this.api.releaseProcess(this.process);
  }
}

/**
 * A thread object over one kernel thread. A thread of a Win32 process
 * carries its object in `Thread.pdata`; the executive's thread-exit hook
 * marks it ended (signalled, exit status kept) when that thread ends. The
 * object of a thread of another personality (the first thread of a Unix
 * child started by NtCreateUserProcess) follows its process's exit instead.
 */
export class ThreadObject extends NtObject {
  /** The type. */
  readonly type = "Thread" as const;
  /** Suspend count (CREATE_SUSPENDED starts at 1; MAXIMUM_SUSPEND_COUNT is 127). */
  suspendCount = 0;
  /** A created-suspended process is held by SIGSTOP until its count drops to 0. */
  stoppedProcess = false;
  /** True once the thread has ended. */
  ended = false;
  /** The full 32-bit exit status once known (else the process's code is reported). */
  exitStatus: number | null = null;
  /** Address of the thread's TEB (0: not a Win32 thread). */
  teb = 0;
  /** The stack region the executive mapped for the thread ([base, base+size)), size 0: none. */
  stackBase = 0;
  /** Size of the stack region (guard page, stack and TEB page). */
  stackSize = 0;
  /** Where a suspended thread parks until its count drops to 0. */
  readonly suspendQueue: WaitQueue = new WaitQueue("suspend");
  readonly #exit: WaitQueue = new WaitQueue("thread");
  /** Creates the object for `thread` of `owner`. */
  constructor(readonly owner: ProcessObject, readonly thread: Thread) {
    super();
    owner.reference();
  }
  /** True while the thread runs (for a non-Win32 thread: while its process runs). */
  get alive(): boolean {
    return this.teb !== 0 ? !this.ended : !this.owner.exited;
  }
  /** STILL_ACTIVE while alive, then the thread's exit status (or its process's exit code). */
  exitCode(): number {
    if (this.alive) return STILL_ACTIVE;
    if (this.exitStatus !== null) return this.exitStatus;
    return this.owner.exited ? this.owner.exitCode() : STILL_ACTIVE;
  }
  /** Marks the thread ended with `status` (if not already set) and wakes its waiters. */
  end(status: number | null): void {
    if (this.ended) return;
    this.ended = true;
    if (this.exitStatus === null) this.exitStatus = status;
    this.#exit.wakeAll();
    this.suspendQueue.wakeAll();
  }
  /** Signalled once the thread has ended. */
  override signaled(): boolean {
    return !this.alive;
  }
  /** The queue its waiters park on (null once ended). */
  override waitQueue(): WaitQueue | null {
    if (this.teb === 0) return this.owner.waitQueue();
    return this.ended ? null : this.#exit;
  }
  /** Drops the process reference. */
  protected override deleted(): void {
    this.owner.dereference();
  }
}

/** FILE_SHARE_* bits. */
export const FILE_SHARE = { READ: 1, WRITE: 2, DELETE: 4 } as const;

/** File access rights. */
export const FILE_ACCESS = {
  READ_DATA: 0x1,
  LIST_DIRECTORY: 0x1,
  WRITE_DATA: 0x2,
  ADD_FILE: 0x2,
  APPEND_DATA: 0x4,
  READ_EA: 0x8,
  WRITE_EA: 0x10,
  EXECUTE: 0x20,
  TRAVERSE: 0x20,
  DELETE_CHILD: 0x40,
  READ_ATTRIBUTES: 0x80,
  WRITE_ATTRIBUTES: 0x100,
  DELETE: 0x1_0000,
  SYNCHRONIZE: 0x10_0000,
} as const;

/** What a file object is opened on. */
export type FileKind = "file" | "directory" | "pipe" | "console" | "device";

/** Open state shared by the file objects of one file (by VFS path). */
interface ShareRecord {
  readers: number;
  writers: number;
  deleters: number;
  sharedRead: number;
  sharedWrite: number;
  sharedDelete: number;
  opens: number;
}

/** Share access of every open file object, by VFS path. */
export class ShareTable {
  readonly #records = new Map<string, ShareRecord>();

  /**
   * IoCheckShareAccess: true if an open with `access` and `share` is
   * compatible with the opens already there. Opens asking for none of
   * read, write or delete access are not checked and not counted.
   */
  check(path: string, access: number, share: number): boolean {
    const r = this.#records.get(path);
    if (r === undefined) return true;
    const { read, write, del } = kinds(access);
    if (!read && !write && !del) return true;
    if (read && r.sharedRead < r.opens) return false;
    if (write && r.sharedWrite < r.opens) return false;
    if (del && r.sharedDelete < r.opens) return false;
    if (!(share & FILE_SHARE.READ) && r.readers > 0) return false;
    if (!(share & FILE_SHARE.WRITE) && r.writers > 0) return false;
    if (!(share & FILE_SHARE.DELETE) && r.deleters > 0) return false;
    return true;
  }

  /** Records an open (after a successful check); false when it is not counted. */
  add(path: string, access: number, share: number): boolean {
    const { read, write, del } = kinds(access);
    if (!read && !write && !del) return false;
    let r = this.#records.get(path);
    if (r === undefined) {
      r = {
        readers: 0,
        writers: 0,
        deleters: 0,
        sharedRead: 0,
        sharedWrite: 0,
        sharedDelete: 0,
        opens: 0,
      };
      this.#records.set(path, r);
    }
    this.#bump(r, read, write, del, share, 1);
    return true;
  }

  /** Removes an open recorded by {@link ShareTable.add}. */
  remove(path: string, access: number, share: number): void {
    const r = this.#records.get(path);
    if (r === undefined) return;
    const { read, write, del } = kinds(access);
    this.#bump(r, read, write, del, share, -1);
    if (r.opens <= 0) this.#records.delete(path);
  }

  /** Moves the records of `from` to `to` (a rename). */
  rename(from: string, to: string): void {
    const r = this.#records.get(from);
    if (r === undefined) return;
    this.#records.delete(from);
    this.#records.set(to, r);
  }

  readonly #pendingDelete = new Set<string>();

  /** Marks `path` for deletion when its last open closes. */
  markDelete(path: string): void {
    this.#pendingDelete.add(path);
  }

  /** True if `path` is marked for deletion. */
  deletePending(path: string): boolean {
    return this.#pendingDelete.has(path);
  }

  /** True (once) when `path` is marked and no open is left: the caller deletes it. */
  takeDelete(path: string): boolean {
    if (this.#records.has(path) || !this.#pendingDelete.has(path)) return false;
    this.#pendingDelete.delete(path);
    return true;
  }

  /** True while some counted open of `path` exists. */
  isOpen(path: string): boolean {
    return this.#records.has(path);
  }

  #bump(r: ShareRecord, read: boolean, write: boolean, del: boolean, share: number, d: number) {
    if (read) r.readers += d;
    if (write) r.writers += d;
    if (del) r.deleters += d;
    if (share & FILE_SHARE.READ) r.sharedRead += d;
    if (share & FILE_SHARE.WRITE) r.sharedWrite += d;
    if (share & FILE_SHARE.DELETE) r.sharedDelete += d;
    r.opens += d;
  }
}

function kinds(access: number) {
  return {
    read: (access & (FILE_ACCESS.READ_DATA | FILE_ACCESS.EXECUTE)) !== 0,
    write: (access & (FILE_ACCESS.WRITE_DATA | FILE_ACCESS.APPEND_DATA)) !== 0,
    del: (access & FILE_ACCESS.DELETE) !== 0,
  };
}

/** A file object: one open of a VFS file, directory, pipe end or console. */
export class FileObject extends NtObject {
  /** The type. */
  readonly type = "File" as const;
  /** Delete the file when the last handle closes (FILE_DELETE_ON_CLOSE / disposition). */
  deletePending = false;
  /** Directory enumeration: the entries left to return and the pattern fixed at the first query. */
  enumeration: { names: string[]; pattern: string } | null = null;
  /** Console mode (console objects). */
  consoleMode = 0;
  /** A console object on the console's input (else on its screen buffer, the output). */
  consoleInput = false;
  /** A console input owes its reader the LF of a line's CR LF (the last read had room for CR). */
  consoleLf = false;
  /** True when recorded in the share table. */
  shareCounted = false;
  /** Pipe end created by NtCreateNamedPipeFile (the server end). */
  pipeServer = false;

  /** Wraps `file` (taking over one reference) opened at `path` (VFS path, "" for pipes). */
  constructor(
    readonly api: KernelApi,
    readonly file: OpenFile | null,
    readonly kind: FileKind,
    public path: string,
    readonly access: number,
    readonly share: number,
    readonly shares: ShareTable | null,
  ) {
    super();
  }

  /** Closes the open file; removes the share record; deletes a file marked for deletion. */
  protected override deleted(): void {
    const shares = this.shares;
    if (this.deletePending && shares !== null) shares.markDelete(this.path);
    if (this.shareCounted) shares?.remove(this.path, this.access, this.share);
    if (this.file !== null) this.api.vfs.close(this.file);
    if (shares !== null && this.path !== "" && shares.takeDelete(this.path)) {
      if (this.kind === "directory") this.api.vfs.rmdir(null, this.path);
      else this.api.vfs.unlink(null, this.path);
    }
  }
}

/** An image section: a parsed PE file (the `\KnownDlls` entries). */
export class SectionObject extends NtObject {
  /** The type. */
  readonly type = "Section" as const;
  /** Creates the section over `image` read from `path`. */
  constructor(readonly image: ImageFile, readonly path: string) {
    super();
  }
}
