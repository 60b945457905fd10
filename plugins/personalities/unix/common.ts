/**
 * Helpers shared by the Unix personality's handler files: argument access,
 * the per-process personality data, the scratch buffer for copies, open
 * files (fileOf, isStreamFile), 64-bit register pairs (length64), path
 * bases for the *at calls, and the deterministic random source.
 *
 * @module
 */

import {
  type Cred,
  type FileCaller,
  K,
  type KernelApi,
  type KStatus,
  type OpenFile,
  opsOf,
  type PathLoc,
  type Process,
  S_IFDIR,
  S_IFMT,
  type Thread,
} from "../../../kernel/api.ts";
import { AT_FDCWD } from "./abi.ts";
import type { ParkedTransfer } from "./read_write_calls.ts";

/** Size of the copy buffer: the most one read/write moves per host call. */
export const SCRATCH_SIZE = 64 * 1024;

/**
 * One copy buffer for all handlers. Handlers run synchronously, one at a
 * time, and never keep a view of it across calls, so sharing is safe even
 * with several kernels in one host process.
 */
export const scratch: Uint8Array = new Uint8Array(SCRATCH_SIZE);
/** DataView over {@link scratch}. */
export const scratchView: DataView = new DataView(scratch.buffer);

/** Lengths up to this get a cached view of the scratch buffer (made on first use). */
const CACHED_VIEWS = 4096;
const views: (Uint8Array | undefined)[] = new Array(CACHED_VIEWS + 1).fill(undefined);
// Larger lengths: the last one is kept (loops tend to repeat their size).
let lastBig: Uint8Array = scratch;

/** The first `n` bytes of the scratch buffer, without allocating in the common cases. */
export function scratchBytes(n: number): Uint8Array {
  if (n <= CACHED_VIEWS) {
    let v = views[n];
    if (v === undefined) {
      v = scratch.subarray(0, n);
      views[n] = v;
    }
    return v;
  }
  if (lastBig.length !== n) lastBig = scratch.subarray(0, n);
  return lastBig;
}

/** Argument `i` (0-5) of the call, as a signed 32-bit value. */
export function arg(t: Thread, i: number): number {
  return t.regs[10 + i];
}

/** Argument `i` as an unsigned 32-bit value (pointers, sizes, flags). */
export function uarg(t: Thread, i: number): number {
  return t.regs[10 + i] >>> 0;
}

/** Personality data of a process (`Process.pdata`). */
export class UnixProcessData {
  /** The file-operation caller record, refreshed on each use. */
  readonly caller: FileCaller;
  /** Address of the read-execute page holding the rt_sigreturn trampoline (0 = none). */
  sigreturnPage = 0;

  /** Creates the data for `p`. */
  constructor(p: Process, api: KernelApi) {
    this.caller = { pid: p.pid, pgid: p.pgid, sid: p.sid, memory: api.memoryOf(p) };
  }
}

/** Personality data of a thread (`Thread.pdata`). */
export class UnixThreadData {
  /** The thread it belongs to (a forked child's thread must not share its parent's). */
  readonly tid: number;
  /** set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken at thread exit (0 = none). */
  clearChildTid = 0;
  /** set_robust_list: head of the robust futex list (0 = none). */
  robustHead = 0;
  /** set_robust_list: the length the thread passed. */
  robustLen = 0;
  /**
   * A blocked call that Linux ends with EINTR after any handler, even with
   * SA_RESTART (clock_nanosleep, ppoll): the address of its `ecall`, or -1.
   */
  noRestartPc = -1;
  /** Its call number (a7), to recognise it at delivery. */
  noRestartNr = 0;
  /** For a relative clock_nanosleep: where to store the time left (0 = nowhere). */
  sleepRemAddr = 0;
  /** Its deadline (monotonic ns). */
  sleepDeadline = 0;
  /** The finish of a blocked pipe read or write (made once, reused: see `read_write_calls.ts`). */
  parkedIo: ParkedTransfer | null = null;
  /** sigaltstack: base of the alternate signal stack (size 0 = none). */
  altStackSp = 0;
  /** sigaltstack: its size in bytes (0 = disabled). */
  altStackSize = 0;

  /** Creates the data of thread `tid`. */
  constructor(tid: number) {
    this.tid = tid;
  }

  /** True while `sp` lies on the alternate signal stack. */
  onAltStack(sp: number): boolean {
    const s = sp >>> 0;
    return this.altStackSize !== 0 && s > this.altStackSp &&
      s <= this.altStackSp + this.altStackSize;
  }

  /** `ss_flags` as sigaltstack and the frame report them for a thread at `sp`. */
  altStackFlags(sp: number): number {
    if (this.altStackSize === 0) return 2; // SS_DISABLE
    return this.onAltStack(sp) ? 1 : 0; // SS_ONSTACK
  }
}

/** The thread's personality data, created on first use. */
export function threadData(t: Thread): UnixThreadData {
  const d = t.pdata;
  if (d instanceof UnixThreadData && d.tid === t.tid) return d;
  const fresh = new UnixThreadData(t.tid);
  t.pdata = fresh;
  return fresh;
}

/** The process's personality data, created on first use. */
export function procData(p: Process, api: KernelApi): UnixProcessData {
  const d = p.pdata;
  // A fork may have copied the parent's object: never share it.
  if (d instanceof UnixProcessData && d.caller.pid === p.pid) return d;
  const fresh = new UnixProcessData(p, api);
  p.pdata = fresh;
  return fresh;
}

/** The caller record for file operations (group and session are refreshed; they change). */
export function callerOf(p: Process, api: KernelApi): FileCaller {
  const c = procData(p, api).caller;
  c.pgid = p.pgid;
  c.sid = p.sid;
  c.memory = p.memory;
  return c;
}

/** Credentials for the VFS permission check. */
export function credOf(p: Process): Cred {
  return { uid: p.uid, gid: p.gid, groups: p.groups };
}

/** The open file behind `fd`, or null. */
export function fileOf(api: KernelApi, p: Process, fd: number): OpenFile | null {
  return fd < 0 ? null : api.fdGet(p, fd);
}

/**
 * True for stream files (pipes, ttys): what they hand out is gone once
 * read. The VFS's open file description carries the operations actually in
 * use (a device's, for device nodes); fall back to the inode's.
 */
export function isStreamFile(file: OpenFile): boolean {
  return opsOf(file)?.isStream === true;
}

/** A 64-bit length or position from a (low, high) register pair; -1 when negative. */
export function length64(lo: number, hi: number): number {
  if (hi < 0) return -1;
  return hi * 0x1_0000_0000 + lo;
}

/** Maximum path length accepted from a guest (PATH_MAX including the NUL). */
export const PATH_MAX = 4096;

/** Reads a path argument: the string, or K.FAULT / K.NAMETOOLONG; "" gives K.NOENT unless allowed. */
export function readPath(
  api: KernelApi,
  p: Process,
  addr: number,
  allowEmpty = false,
): string | KStatus {
  const s = api.readString(p, addr, PATH_MAX);
  if (typeof s === "number") return s;
  if (s.length === 0 && !allowEmpty) return K.NOENT;
  return s;
}

/**
 * The base location for a path relative to `dirfd` (the *at calls): null
 * for an absolute path (the VFS starts at the root), the cwd for AT_FDCWD,
 * else the directory open at `dirfd`, found again by the path it was opened
 * by (a renamed directory therefore resolves by its old name; documented).
 */
export function baseFor(
  api: KernelApi,
  p: Process,
  dirfd: number,
  path: string,
): PathLoc | null | KStatus {
  if (path.startsWith("/")) return null;
  if (dirfd === AT_FDCWD) return api.cwd(p);
  const file = fileOf(api, p, dirfd);
  if (file === null) return K.BADF;
  if (file.inode === null || (file.inode.stat().mode & S_IFMT) !== S_IFDIR) return K.NOTDIR;
  return api.vfs.lookup(null, file.path, true, credOf(p));
}

/**
 * A deterministic random source (xorshift128): AT_RANDOM and getrandom must
 * give the same bytes on every run with the same inputs, like everything
 * else in the simulation. Not cryptographic, and documented as such.
 */
export class DeterministicRandom {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  /** Seeds the generator (the same seed gives the same stream). */
  constructor(seed = 0x5eed_5742) {
    this.#s0 = seed | 0 || 1;
    this.#s1 = 0x6c078965;
    this.#s2 = 0x9908b0df;
    this.#s3 = 0x12345678;
    for (let i = 0; i < 16; i++) this.next();
  }

  /** Next 32-bit value. */
  next(): number {
    let t = this.#s3;
    const s = this.#s0;
    this.#s3 = this.#s2;
    this.#s2 = this.#s1;
    this.#s1 = s;
    t ^= t << 11;
    t ^= t >>> 8;
    this.#s0 = (t ^ s ^ (s >>> 19)) | 0;
    return this.#s0 >>> 0;
  }

  /** Fills `out` with random bytes. */
  fill(out: Uint8Array): void {
    for (let i = 0; i < out.length; i += 4) {
      const v = this.next();
      for (let j = 0; j < 4 && i + j < out.length; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
    }
  }
}

const randoms = new WeakMap<KernelApi, DeterministicRandom>();

/** The random source of one kernel (one per machine keeps runs independent and repeatable). */
export function randomOf(api: KernelApi): DeterministicRandom {
  let r = randoms.get(api);
  if (r === undefined) {
    r = new DeterministicRandom(api.config.randomSeed);
    randoms.set(api, r);
  }
  return r;
}
