/**
 * Pipes: anonymous (pipe2) and named (FIFO inodes of any file system).
 *
 * A pipe is a ring buffer (64 KiB by default) with a read and a write wait
 * queue. Following `kernel/ipc/wait_queue.ts`, an operation that cannot
 * proceed returns K.AGAIN without consuming anything, and the caller sleeps
 * on `waitQueue(file, dir)` and retries (or, with NONBLOCK, reports it). The
 * Unix personality parks its reads and writes with a finish, so the wake of
 * a queue (in `#append`, `#consume`, `release`) may run the sleeper's
 * transfer inside this pipe's own read or write: each updates the ring
 * completely before it wakes anyone.
 *
 * - read: buffered bytes; 0 (EOF) when empty and no writer remains.
 * - write: K.PIPE when no reader remains (the personality raises SIGPIPE);
 *   writes of at most {@link PIPE_BUF} bytes are atomic (all or K.AGAIN);
 *   larger writes are partial when space is short (the count written).
 * - readSpan, writeSpan: the same, copying straight between the ring and a
 *   resolved guest range (`GuestSpan`) instead of a host array.
 *
 * @module
 */

import { copyBytes } from "../../lib/byte_copy.ts";
import { K, type KStatus } from "../errors.ts";
import { WaitQueue } from "../ipc/wait_queue.ts";
import { type FsInode, makeStat, OpenFileDescription } from "./node.ts";
import {
  type FileOps,
  type GuestSpan,
  type OpenFile,
  OpenFlags,
  PollState,
  S_IFIFO,
  type Stat,
} from "./types.ts";

/** Writes up to this many bytes are atomic (POSIX PIPE_BUF, Linux's 4096). */
export const PIPE_BUF = 4096;
/** Default pipe capacity (Linux's 64 KiB). */
export const DEFAULT_PIPE_CAPACITY = 65536;

/** Kernel memory charged for pipe buffers: bytes held and the most allowed. */
export interface ByteAccount {
  /** Bytes held. */
  used: number;
  /** Most bytes (Infinity: no limit). */
  limit: number;
}

const EMPTY = new Uint8Array(0);

/**
 * A pipe's buffer and its two wait queues. The buffer grows on demand (by
 * powers of two from {@link PIPE_BUF} up to the capacity); when the pipe is
 * drained a grown buffer is freed and a one-page buffer kept, and it is all
 * freed when both ends close, each change charged to a {@link ByteAccount}:
 * a pipe never written to holds no memory.
 */
export class Pipe {
  /** Capacity in bytes. */
  readonly capacity: number;
  /** Open read ends. */
  readers = 0;
  /** Open write ends. */
  writers = 0;
  /** Incremented each time a write end opens (FIFO open emulation). */
  writerGeneration = 0;
  /** Readers sleep here (woken by writes and by the last writer closing). */
  readonly readQueue = new WaitQueue("pipe-read");
  /** Writers sleep here (woken by reads and by the last reader closing). */
  readonly writeQueue = new WaitQueue("pipe-write");
  #buf: Uint8Array = EMPTY;
  #head = 0;
  #len = 0;
  readonly #account: ByteAccount;

  /** Creates an empty pipe of `capacity` bytes, its buffer charged to `account`. */
  constructor(capacity = DEFAULT_PIPE_CAPACITY, account: ByteAccount = unlimited()) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`bad pipe capacity ${capacity}`);
    }
    this.capacity = capacity;
    this.#account = account;
  }

  /** Bytes of buffer allocated now. */
  get allocated(): number {
    return this.#buf.length;
  }

  /** Grows the buffer to hold `need` bytes; false when the account refuses. */
  #grow(need: number): boolean {
    let size = Math.max(PIPE_BUF, this.#buf.length);
    while (size < need) size *= 2;
    size = Math.min(size, this.capacity);
    const delta = size - this.#buf.length;
    if (this.#account.used + delta > this.#account.limit) return false;
    const next = new Uint8Array(size);
    const first = Math.min(this.#len, this.#buf.length - this.#head);
    copyBytes(next, 0, this.#buf, this.#head, first);
    if (this.#len > first) copyBytes(next, first, this.#buf, 0, this.#len - first);
    this.#account.used += delta;
    this.#buf = next;
    this.#head = 0;
    return true;
  }

  /** Frees the buffer (drained, or both ends closed). */
  discard(): void {
    this.#account.used -= this.#buf.length;
    this.#buf = EMPTY;
    this.#head = 0;
    this.#len = 0;
  }

  /** Bytes buffered. */
  get length(): number {
    return this.#len;
  }

  /** Copies buffered bytes into `dst`: count, 0 at EOF, or K.AGAIN. */
  read(dst: Uint8Array): number {
    const n = this.#readable(dst.length);
    if (n <= 0) return n;
    const size = this.#buf.length;
    const first = Math.min(n, size - this.#head);
    copyBytes(dst, 0, this.#buf, this.#head, first);
    if (n > first) copyBytes(dst, first, this.#buf, 0, n - first);
    this.#consume(n);
    return n;
  }

  /** As {@link read}, straight into guest memory: up to `span.length` bytes. */
  readSpan(span: GuestSpan): number {
    const n = this.#readable(span.length);
    if (n <= 0) return n;
    const head = this.#head;
    const toEnd = this.#buf.length - head;
    if (n <= toEnd) span.fill(0, this.#buf, head, n);
    else this.#fillWrapped(span, n, toEnd);
    this.#consume(n);
    return n;
  }

  /** {@link readSpan} of `n` bytes that wrap past the ring's end (`toEnd` bytes before it). */
  #fillWrapped(span: GuestSpan, n: number, toEnd: number): void {
    span.fill(0, this.#buf, this.#head, toEnd);
    span.fill(toEnd, this.#buf, 0, n - toEnd);
  }

  /** How many of `want` bytes a read takes now, or 0 (EOF, or `want` 0), or K.AGAIN. */
  #readable(want: number): number {
    // Statuses and sizes on the read and write paths are literals (K.AGAIN
    // -11, K.PIPE -32, PIPE_BUF 4096): a module binding costs a load and a
    // hole check in optimized code, an object's field a map check besides.
    if (want === 0) return 0;
    const len = this.#len;
    if (len === 0) return this.writers === 0 ? 0 : -11;
    return want < len ? want : len;
  }

  /** Drops `n` bytes that a read copied out, and wakes the writers. */
  #consume(n: number): void {
    const head = this.#head + n; // (head < size and n <= size: at most one wrap)
    this.#head = head >= this.#buf.length ? head - this.#buf.length : head;
    this.#len -= n;
    if (this.#len === 0) {
      // Drained: a grown buffer goes back; one page stays (still charged), so
      // a pipe in steady use allocates nothing per round trip.
      if (this.#buf.length > 4096 /* PIPE_BUF */) this.discard();
      else this.#head = 0;
    }
    this.writeQueue.wakeAll();
  }

  /** Copies up to `dst.length` buffered bytes into `dst` without consuming them; the count. */
  peek(dst: Uint8Array): number {
    const n = Math.min(dst.length, this.#len);
    if (n === 0) return 0;
    const size = this.#buf.length;
    const first = Math.min(n, size - this.#head);
    copyBytes(dst, 0, this.#buf, this.#head, first);
    if (n > first) copyBytes(dst, first, this.#buf, 0, n - first);
    return n;
  }

  /** Appends bytes from `src`: count (maybe partial), K.AGAIN, or K.PIPE. */
  write(src: Uint8Array): number {
    const n = this.#writable(src.length);
    if (n <= 0) return n;
    const size = this.#buf.length;
    const end = this.#head + this.#len;
    const tail = end >= size ? end - size : end;
    const first = Math.min(n, size - tail);
    copyBytes(this.#buf, tail, src, 0, first);
    if (n > first) copyBytes(this.#buf, 0, src, first, n - first);
    this.#append(n);
    return n;
  }

  /** As {@link write}, straight from guest memory: `span.length` bytes. */
  writeSpan(span: GuestSpan): number {
    const n = this.#writable(span.length);
    if (n <= 0) return n;
    const size = this.#buf.length;
    const end = this.#head + this.#len;
    const tail = end >= size ? end - size : end;
    const toEnd = size - tail;
    if (n <= toEnd) span.drain(0, this.#buf, tail, n);
    else this.#drainWrapped(span, n, tail, toEnd);
    this.#append(n);
    return n;
  }

  /** {@link writeSpan} of `n` bytes that wrap past the ring's end (`toEnd` bytes from `tail` to it). */
  #drainWrapped(span: GuestSpan, n: number, tail: number, toEnd: number): void {
    span.drain(0, this.#buf, tail, toEnd);
    span.drain(toEnd, this.#buf, 0, n - toEnd);
  }

  /**
   * How many of `want` bytes a write puts in now (growing the buffer for
   * them), or 0 for `want` 0, or K.PIPE, K.AGAIN or K.NOMEM.
   */
  #writable(want: number): number {
    if (this.readers === 0) return -32; // K.PIPE
    if (want === 0) return 0;
    const len = this.#len;
    // Room in the buffer as it is (a small write to a pipe in steady use):
    // all of it, atomic or not. The rest (full, growing, memory short) apart.
    if (len + want <= this.#buf.length && want <= this.capacity - len) return want;
    return this.#writableSlow(want);
  }

  /** {@link #writable} when the buffer must grow or the pipe is (nearly) full. */
  #writableSlow(want: number): number {
    const free = this.capacity - this.#len;
    const atomic = want <= 4096; // PIPE_BUF
    if (free === 0 || (atomic && free < want)) return -11; // K.AGAIN
    let n = free < want ? free : want;
    if (this.#len + n > this.#buf.length && !this.#grow(this.#len + n)) {
      // Kernel memory for pipes is exhausted: use the room there is.
      n = Math.min(n, this.#buf.length - this.#len);
      if (n === 0 || (atomic && n < want)) return this.#len > 0 ? K.AGAIN : K.NOMEM;
    }
    return n;
  }

  /** Counts `n` bytes a write copied in, and wakes the readers. */
  #append(n: number): void {
    this.#len += n;
    this.readQueue.wakeAll();
  }
}

function unlimited(): ByteAccount {
  return { used: 0, limit: Infinity };
}

/** Private data of a pipe end (OpenFile.priv). */
export interface PipeEnd {
  /** The pipe. */
  readonly pipe: Pipe;
  /** True for an end that reads. */
  readonly reading: boolean;
  /** True for an end that writes. */
  readonly writing: boolean;
  /** True for a named FIFO (a reader waits for a first writer instead of seeing EOF). */
  readonly named: boolean;
  /** The pipe's writer generation when this end was opened. */
  readonly generation: number;
}

let nextPipeIno = 1;

/** The inode of an anonymous pipe (for fstat: S_IFIFO, size = bytes buffered). */
class PipeInode implements FsInode {
  readonly ino = nextPipeIno++;
  readonly fileOps: FileOps = PIPE_OPS;
  readonly #pipe: Pipe;
  constructor(pipe: Pipe) {
    this.#pipe = pipe;
  }
  stat(): Stat {
    return makeStat({ dev: 0xf1f0, ino: this.ino, mode: S_IFIFO | 0o600, size: this.#pipe.length });
  }
}

function endOf(file: OpenFile): PipeEnd {
  return file.priv as PipeEnd;
}

/**
 * What a read of a pipe end answers before looking at the data: K.BADF for a
 * write-only end, 0 or K.AGAIN for a FIFO reader that has not yet seen a
 * writer (Linux blocks in open instead), else 1 (go on and read).
 */
function readCheck(file: OpenFile, end: PipeEnd): number {
  if (!end.reading) return K.BADF;
  const p = end.pipe;
  if (end.named && p.length === 0 && p.writers === 0 && p.writerGeneration === end.generation) {
    return (file.flags & OpenFlags.NONBLOCK) ? 0 : K.AGAIN;
  }
  return 1;
}

/** What {@link peekPipe} found in a pipe. */
export interface PipePeek {
  /** Bytes buffered. */
  available: number;
  /** Bytes copied into the destination (not consumed). */
  copied: number;
  /** Open write ends (0: the pipe is broken once drained). */
  writers: number;
  /** Open read ends. */
  readers: number;
}

/**
 * Looks into the pipe behind `file` (either end) without consuming: the
 * byte count, up to `dst.length` of the bytes, and the open ends (NT's
 * PeekNamedPipe). Null when `file` is not an anonymous pipe end.
 */
export function peekPipe(file: OpenFile, dst: Uint8Array): PipePeek | null {
  if (file.inode === null || !(file.inode instanceof PipeInode)) return null;
  const p = endOf(file).pipe;
  return { available: p.length, copied: p.peek(dst), writers: p.writers, readers: p.readers };
}

/** File operations of pipe ends (both directions; the end's flags say which is allowed). */
export const PIPE_OPS: FileOps = {
  isStream: true,
  read(file, buf) {
    const end = endOf(file);
    const early = readCheck(file, end);
    return early !== 1 ? early : end.pipe.read(buf);
  },
  readSpan(file, span) {
    const end = endOf(file);
    const early = readCheck(file, end);
    return early !== 1 ? early : end.pipe.readSpan(span);
  },
  write(file, data) {
    const end = endOf(file);
    if (!end.writing) return K.BADF;
    return end.pipe.write(data);
  },
  writeSpan(file, span) {
    const end = endOf(file);
    if (!end.writing) return K.BADF;
    return end.pipe.writeSpan(span);
  },
  ioctl(file, cmd, arg, caller) {
    if (cmd !== FIONREAD) return K.NOTTY;
    const v = new Uint8Array(4);
    new DataView(v.buffer).setUint32(0, endOf(file).pipe.length, true);
    return caller.memory.copyOut(arg, v) ? K.OK : K.FAULT;
  },
  waitQueue(file, direction) {
    const p = endOf(file).pipe;
    return direction === "read" ? p.readQueue : p.writeQueue;
  },
  pollState(file) {
    // As Linux's pipe_poll: data makes a read end readable; end of file is a
    // hang-up (for a FIFO, only once a writer has come and gone since this
    // open); room for PIPE_BUF bytes makes a write end writable; no reader
    // left is an error.
    const end = endOf(file);
    const p = end.pipe;
    let state = 0;
    if (end.reading) {
      if (p.length > 0) state |= PollState.READABLE;
      if (p.writers === 0 && (!end.named || p.writerGeneration !== end.generation)) {
        state |= PollState.HANGUP;
      }
    }
    if (end.writing) {
      if (p.capacity - p.length >= Math.min(PIPE_BUF, p.capacity)) state |= PollState.WRITABLE;
      if (p.readers === 0) state |= PollState.ERROR;
    }
    return state;
  },
  release(file) {
    const end = endOf(file);
    const p = end.pipe;
    if (end.reading && --p.readers === 0) p.writeQueue.wakeAll();
    if (end.writing && --p.writers === 0) p.readQueue.wakeAll();
    if (p.readers === 0 && p.writers === 0 && !end.named) p.discard();
  },
};

/** FIONREAD ioctl number (Linux asm-generic 0x541B). */
export const FIONREAD = 0x541b;

/** Options of {@link createPipe}. */
export interface PipeOptions {
  /** Buffer size in bytes (default 64 KiB). */
  capacity?: number;
  /** Where the buffer's memory is charged (default: an unlimited account of its own). */
  account?: ByteAccount;
  /** Extra OpenFlags for both ends (NONBLOCK, CLOEXEC). */
  flags?: number;
}

/** Creates an anonymous pipe: a read end and a write end, one reference each. */
export function createPipe(options: PipeOptions = {}): { reader: OpenFile; writer: OpenFile } {
  const pipe = new Pipe(options.capacity, options.account);
  const inode = new PipeInode(pipe);
  const extra = (options.flags ?? 0) & (OpenFlags.NONBLOCK | OpenFlags.CLOEXEC);
  const reader = new OpenFileDescription(inode, PIPE_OPS, OpenFlags.READ | extra, "pipe:");
  const writer = new OpenFileDescription(inode, PIPE_OPS, OpenFlags.WRITE | extra, "pipe:");
  reader.path = writer.path = `pipe:[${inode.ino}]`;
  pipe.readers = 1;
  pipe.writers = 1;
  reader.priv = { pipe, reading: true, writing: false, named: false, generation: 0 };
  writer.priv = { pipe, reading: false, writing: true, named: false, generation: 0 };
  return { reader, writer };
}

/** The pipe objects behind FIFO inodes, created on first open. */
export class FifoRegistry {
  readonly #pipes = new WeakMap<FsInode, Pipe>();
  /** The pipe of a FIFO inode (created on first use). */
  pipeFor(inode: FsInode): Pipe {
    let p = this.#pipes.get(inode);
    if (p === undefined) {
      p = new Pipe();
      this.#pipes.set(inode, p);
    }
    return p;
  }
}

/**
 * Opens one end of a named FIFO. A non-blocking write-only open with no
 * reader gives K.NXIO, as on Linux; blocking opens do not wait for the other
 * end (see the module notes), a reader instead waits in read.
 */
export function createFifoEnd(
  pipe: Pipe,
  inode: FsInode,
  flags: number,
  path: string,
): OpenFileDescription | KStatus {
  const reading = (flags & OpenFlags.READ) !== 0;
  const writing = (flags & OpenFlags.WRITE) !== 0;
  if (!reading && !writing) return K.INVAL;
  if (writing && !reading && (flags & OpenFlags.NONBLOCK) && pipe.readers === 0) return K.NXIO;
  const file = new OpenFileDescription(inode, PIPE_OPS, flags, path);
  if (reading) pipe.readers++;
  if (writing) {
    pipe.writers++;
    pipe.writerGeneration++;
    pipe.readQueue.wakeAll();
  }
  const end: PipeEnd = { pipe, reading, writing, named: true, generation: pipe.writerGeneration };
  file.priv = end;
  return file;
}
