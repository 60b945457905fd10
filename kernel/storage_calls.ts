/**
 * The storage calls of the kernel facade: opening a block device for a file
 * system, sync of every disk, and mount, root mount and unmount of
 * registered file-system types (the types and the module references are
 * `Registrations`'; the VFS does the attaching).
 *
 * - a block device is found by the device node at `source` (K.NOTBLK for
 *   anything else, K.NXIO for a node whose disk went away);
 * - a root mount may wait for its disk: it answers K.RESTART and keeps the
 *   file system it built for the next call;
 * - an unmount is K.BUSY while a process's working directory is on it.
 *
 * @module
 */

import type { BlockDevice } from "./block/types.ts";
import type { BlockLayer } from "./block/block_layer.ts";
import { K, type KStatus } from "./errors.ts";
import type { PathLoc } from "./fs/mount_table.ts";
import { S_IFBLK, S_IFMT } from "./fs/types.ts";
import type { FileSystem } from "./fs/node.ts";
import type { Vfs } from "./fs/vfs.ts";
import type { WaitQueue } from "./ipc/wait_queue.ts";
import type { Process } from "./proc/process.ts";
import type { Registrations } from "./registrations.ts";

/** What the storage calls need from the kernel. */
export interface StorageDeps {
  /** The file tree. */
  readonly vfs: Vfs;
  /** The disks. */
  readonly blocks: BlockLayer;
  /** File-system types and mounts. */
  readonly reg: Registrations;
  /** Realtime ns (file-system timestamps). */
  realtimeNs(): bigint;
  /** Every process (working directories). */
  processes(): Process[];
  /** Parks the calling thread for I/O (K.RESTART). */
  waitForIo(queue: WaitQueue): KStatus;
}

/** The storage calls. */
export class StorageCalls {
  readonly #d: StorageDeps;
  #pendingRoot: FileSystem | null = null;

  /** Creates the calls over `deps`. */
  constructor(deps: StorageDeps) {
    this.#d = deps;
  }

  /** Opens the block device node at `source` for a file system. */
  openBlockDevice(source: string, write: boolean): BlockDevice | KStatus {
    const d = this.#d;
    const loc = d.vfs.lookup(null, source, true);
    if (typeof loc === "number") return loc;
    const st = loc.inode.stat();
    if ((st.mode & S_IFMT) !== S_IFBLK) return K.NOTBLK;
    const part = d.blocks.byNumber((st.rdev >>> 8) & 0xfff, st.rdev & 0xff);
    return part === null ? K.NXIO : d.blocks.open(part, write);
  }

  /** One step of sync(2) over every disk; K.RESTART (waiting) until all are written and flushed. */
  syncDisks(): KStatus {
    const r = this.#d.blocks.syncAll();
    return typeof r === "number" ? r : this.#d.waitForIo(r);
  }

  /** Mounts a file system of a registered type. */
  mount(source: string, target: string, type: string, readOnly: boolean, data: string): KStatus {
    const d = this.#d;
    const now = () => d.realtimeNs();
    return d.reg.mount(d.vfs, { source, readOnly, data, now }, target, type);
  }

  /**
   * Mounts a file system of type `type` from `source` as the root (before
   * any process runs: K.BUSY after). K.RESTART while it waits for the disk;
   * the file system built by an earlier call is kept, not built twice.
   */
  mountRoot(source: string, type: string, readOnly: boolean, data: string): KStatus {
    const d = this.#d;
    if (d.processes().length > 0) return K.BUSY;
    let fs = this.#pendingRoot;
    if (fs === null) {
      const now = () => d.realtimeNs();
      const made = d.reg.buildFileSystem({ source, readOnly, data, now }, type);
      if (typeof made === "number") return made;
      fs = this.#pendingRoot = made;
    }
    const r = d.reg.mountRoot(d.vfs, fs, type);
    if (r !== K.RESTART) this.#pendingRoot = null;
    return r;
  }

  /** Unmounts the file system on `target`; K.BUSY also while a process's directory is on it. */
  umount(target: string): KStatus {
    const d = this.#d;
    const loc = d.vfs.lookup(null, target, true);
    if (typeof loc === "number") return loc;
    const m = loc.mount;
    if (loc.inode === m.fs.root) {
      for (const p of d.processes()) {
        const cwd = p.cwdLoc as PathLoc | null;
        if (cwd !== null && (cwd.mount === m || cwd.frames.some((f) => f.mount === m))) {
          return K.BUSY;
        }
      }
    }
    return d.reg.umount(d.vfs, target);
  }
}
