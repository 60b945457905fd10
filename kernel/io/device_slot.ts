/**
 * A device slot: the stable object that open files of a character device
 * reach the device through. It forwards each operation to the driver that
 * currently serves the device, so a replacement driver takes over the files
 * that are already open.
 *
 * States:
 * - attached: operations go to the driver's {@link FileOps};
 * - held: the driver was suspended for a replacement; reads and writes
 *   answer K.AGAIN and blocking callers sleep on the slot's own queue, which
 *   is woken when a driver attaches, so their calls restart on the new one;
 * - dead: the device was removed; reads and writes answer K.NXIO and poll
 *   reports a hang-up, as a gone device does on Linux.
 *
 * @module
 */

import { K, type KStatus } from "../errors.ts";
import { type FileCaller, type FileOps, type OpenFile, PollState } from "../fs/types.ts";
import { WaitQueue } from "../ipc/wait_queue.ts";

/** Forwards file operations to the driver currently attached. */
export class DeviceSlot implements FileOps {
  #ops: FileOps | null = null;
  #open: ((file: OpenFile) => KStatus) | undefined = undefined;
  #dead = false;
  // Queues of the current driver that callers were told to sleep on.
  readonly #handedOut = new Set<WaitQueue>();
  readonly #held = new WaitQueue("device");
  // Files whose open succeeded: each is one use of the device until released.
  readonly #users = new WeakSet<OpenFile>();
  /** Told of each successful open (true) and each release of such a file (false). */
  onUse: ((opened: boolean) => void) | null = null;

  /** Attaches a driver's operations (and its open hook); wakes callers that waited meanwhile. */
  attach(ops: FileOps, open?: (file: OpenFile) => KStatus): void {
    this.#ops = ops;
    this.#open = open;
    this.#dead = false;
    this.#held.wakeAll();
  }

  /**
   * Detaches the driver for a replacement (`dead` false) or for good (`dead`
   * true). Callers sleeping on the old driver's queues are woken, so their
   * calls restart against whatever serves the device next.
   */
  detach(dead: boolean): void {
    this.#ops = null;
    this.#open = undefined;
    this.#dead = dead;
    for (const q of this.#handedOut) q.wakeAll();
    this.#handedOut.clear();
    if (dead) this.#held.wakeAll();
  }

  /** True while a driver serves the device. */
  get attached(): boolean {
    return this.#ops !== null;
  }

  /** The open hook: the driver's, K.NXIO when the device is gone. */
  open(file: OpenFile): KStatus {
    if (this.#dead) return K.NXIO;
    const r = this.#open?.(file) ?? K.OK;
    if (r === K.OK && !this.#users.has(file)) {
      this.#users.add(file);
      this.onUse?.(true);
    }
    return r;
  }

  /** See {@link FileOps.read}. */
  read(file: OpenFile, buf: Uint8Array, caller: FileCaller): number {
    const ops = this.#ops;
    if (ops !== null) return ops.read(file, buf, caller);
    return this.#dead ? K.NXIO : K.AGAIN;
  }

  /** See {@link FileOps.write}. */
  write(file: OpenFile, data: Uint8Array, caller: FileCaller): number {
    const ops = this.#ops;
    if (ops !== null) return ops.write(file, data, caller);
    return this.#dead ? K.NXIO : K.AGAIN;
  }

  /** See {@link FileOps.ioctl}; K.NOTTY when the driver has none. */
  ioctl(file: OpenFile, cmd: number, arg: number, caller: FileCaller): number {
    const ops = this.#ops;
    if (ops === null) return this.#dead ? K.NXIO : K.AGAIN;
    return ops.ioctl === undefined ? K.NOTTY : ops.ioctl(file, cmd, arg, caller);
  }

  /** See {@link FileOps.waitQueue}. */
  waitQueue(file: OpenFile, direction: "read" | "write"): WaitQueue {
    const q = this.#ops?.waitQueue?.(file, direction);
    if (q === undefined) return this.#held;
    this.#handedOut.add(q);
    return q;
  }

  /** See {@link FileOps.pollState}. */
  pollState(file: OpenFile): number {
    const ops = this.#ops;
    if (ops === null) return this.#dead ? PollState.HANGUP | PollState.ERROR : 0;
    return ops.pollState?.(file) ?? (PollState.READABLE | PollState.WRITABLE);
  }

  /** See {@link FileOps.release}. */
  release(file: OpenFile): void {
    this.#ops?.release?.(file);
    if (this.#users.delete(file)) this.onUse?.(false);
  }

  /** See {@link FileOps.fsync}; K.OK when the driver has nothing to write. */
  fsync(file: OpenFile, dataOnly: boolean): KStatus {
    const ops = this.#ops;
    if (ops === null) return this.#dead ? K.NXIO : K.OK;
    return ops.fsync?.(file, dataOnly) ?? K.OK;
  }

  /** See {@link FileOps.seekSize}; the driver's, else 0 (stat size of a device). */
  seekSize(file: OpenFile): number {
    return this.#ops?.seekSize?.(file) ?? 0;
  }

  /** See {@link FileOps.isStream}. */
  get isStream(): boolean {
    return this.#ops?.isStream === true;
  }
}
