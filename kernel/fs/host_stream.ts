/**
 * Host streams: the standard input, output and error of the host process as
 * guest files, so that a command run from a host script gets pipes and not a
 * terminal (as `docker run` without `-t` gives a container pipes).
 *
 * - {@link HostInput}: bytes the host feeds ({@link HostInput.feed}) are read
 *   unchanged (no echo, no line discipline: 0x03 and 0x04 are data); a read
 *   of an empty stream blocks on its wait queue, and gives 0 (end of file)
 *   once the host has called {@link HostInput.end}. The host side holds back
 *   when more than {@link HOST_INPUT_HIGH_WATER} bytes wait, and is told
 *   through `onDrain` when the guest has read them.
 * - {@link hostOutputFile}: each write goes at once to a {@link HostSink};
 *   a sink whose reader has gone makes the write K.PIPE (the personality
 *   raises SIGPIPE and returns EPIPE, as for a pipe without a reader).
 *
 * Both kinds stat as FIFOs, are streams (lseek gives ESPIPE) and answer
 * ENOTTY to terminal ioctls, so `isatty` is false on them.
 *
 * @module
 */

import { K } from "../errors.ts";
import { WaitQueue } from "../ipc/wait_queue.ts";
import { type FsInode, makeStat, OpenFileDescription } from "./node.ts";
import { type FileOps, type OpenFile, OpenFlags, PollState, S_IFIFO, type Stat } from "./types.ts";

/** Above this many unread bytes the host should stop feeding until `onDrain`. */
export const HOST_INPUT_HIGH_WATER = 65536;

/** Where guest output goes on the host. */
export interface HostSink {
  /** Writes all of `data`; false when the host reader has gone (a broken pipe). */
  write(data: Uint8Array): boolean;
}

/** Host bytes for a guest reader (see the module notes). */
export class HostInput {
  /** Readers sleep here until bytes or the end arrive. */
  readonly readQueue: WaitQueue = new WaitQueue("host-stdin");
  /** Called when the guest has read the buffer below the high-water mark. */
  onDrain: (() => void) | null = null;
  #chunks: Uint8Array[] = [];
  #offset = 0;
  #length = 0;
  #ended = false;
  #next: Promise<void> | null = null;
  #resolveNext: (() => void) | null = null;

  /** Bytes fed and not yet read. */
  get length(): number {
    return this.#length;
  }

  /** True once the host has ended the stream (more bytes may still be queued). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Queues host bytes (copied) and wakes readers. */
  feed(bytes: Uint8Array): void {
    if (this.#ended || bytes.length === 0) return;
    this.#chunks.push(bytes.slice());
    this.#length += bytes.length;
    this.#wake();
  }

  /** Ends the stream: readers see end of file after the queued bytes. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#wake();
  }

  /** Resolves at the next {@link feed} or {@link end} (at once when already ended). */
  nextEvent(): Promise<void> {
    if (this.#ended) return Promise.resolve();
    if (this.#next === null) {
      this.#next = new Promise((resolve) => this.#resolveNext = resolve);
    }
    return this.#next;
  }

  /** Copies queued bytes into `dst`: the count, 0 at the end, or K.AGAIN. */
  read(dst: Uint8Array): number {
    if (dst.length === 0) return 0;
    if (this.#length === 0) return this.#ended ? 0 : K.AGAIN;
    let n = 0;
    while (n < dst.length && this.#chunks.length > 0) {
      const c = this.#chunks[0];
      const take = Math.min(dst.length - n, c.length - this.#offset);
      dst.set(c.subarray(this.#offset, this.#offset + take), n);
      n += take;
      this.#offset += take;
      if (this.#offset === c.length) {
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
    const before = this.#length;
    this.#length -= n;
    if (before > HOST_INPUT_HIGH_WATER && this.#length <= HOST_INPUT_HIGH_WATER) {
      this.onDrain?.();
    }
    return n;
  }

  #wake(): void {
    this.readQueue.wakeAll();
    const resolve = this.#resolveNext;
    this.#next = this.#resolveNext = null;
    resolve?.();
  }
}

let nextHostIno = 1;

/** The inode of a host stream: a FIFO for fstat. */
class HostStreamInode implements FsInode {
  readonly ino = nextHostIno++;
  readonly fileOps: FileOps;
  readonly #size: () => number;
  constructor(ops: FileOps, size: () => number) {
    this.fileOps = ops;
    this.#size = size;
  }
  stat(): Stat {
    return makeStat({ dev: 0xf1f1, ino: this.ino, mode: S_IFIFO | 0o600, size: this.#size() });
  }
}

const NEVER = new WaitQueue("host-stdout");

const INPUT_OPS: FileOps = {
  isStream: true,
  read: (file, buf) => (file.priv as HostInput).read(buf),
  write: () => K.BADF,
  ioctl: () => K.NOTTY,
  waitQueue: (file) => (file.priv as HostInput).readQueue,
  pollState(file) {
    const input = file.priv as HostInput;
    return (input.length > 0 ? PollState.READABLE : 0) | (input.ended ? PollState.HANGUP : 0);
  },
};

const OUTPUT_OPS: FileOps = {
  isStream: true,
  read: () => K.BADF,
  write: (file, data) => ((file.priv as HostSink).write(data) ? data.length : K.PIPE),
  ioctl: () => K.NOTTY,
  waitQueue: () => NEVER,
  pollState: () => PollState.WRITABLE,
};

/** An open read end of `input`, named `path` in /proc/PID/fd. */
export function hostInputFile(input: HostInput, path = "pipe:[host-stdin]"): OpenFile {
  const inode = new HostStreamInode(INPUT_OPS, () => input.length);
  const file = new OpenFileDescription(inode, INPUT_OPS, OpenFlags.READ, path);
  file.priv = input;
  return file;
}

/** An open write end that sends every write to `sink`. */
export function hostOutputFile(sink: HostSink, path = "pipe:[host-stdout]"): OpenFile {
  const inode = new HostStreamInode(OUTPUT_OPS, () => 0);
  const file = new OpenFileDescription(inode, OUTPUT_OPS, OpenFlags.WRITE, path);
  file.priv = sink;
  return file;
}
