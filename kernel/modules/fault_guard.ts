/**
 * Driver fault isolation, after Minix's reincarnation server: a module
 * whose code throws a host exception does not take the machine down.
 *
 * - {@link guardRegistrar} wraps what a module hands the kernel (device file
 *   operations, timer callbacks, interrupt handlers) so that a throw is
 *   caught at the boundary and reported with {@link FaultSink.fault};
 * - the request that hit the throw is retried on the restarted module (its
 *   call restarts once the restart is done), at most {@link MAX_RETRIES}
 *   times, and then fails with EIO;
 * - the loader restarts the module (`ModuleLoader.restart`): a fresh
 *   instance from its file, with the devices held meanwhile, at most
 *   {@link MAX_RESTARTS} times before it gives up and unloads it.
 *
 * @module
 */

import type { FileOps, OpenFile } from "../fs/types.ts";
import { K } from "../errors.ts";
import type { Registrar } from "./loader.ts";

/** Restarts of one module before the loader gives up on it. */
export const MAX_RESTARTS = 3;
/** Retries of one request on restarted instances before it fails with EIO. */
export const MAX_RETRIES = 2;

/** Where guarded code reports a throw. */
export interface FaultSink {
  /**
   * Module `name` threw `error`. Returns the status the failed request
   * should give: K.RESTART (after `waitForIo` on the restart's queue) to
   * retry it on the restarted module, or K.IO.
   */
  fault(name: string, error: unknown, retry: boolean): number;
  /** Retries so far of the request on each open file (shared by a module's instances). */
  readonly retries: WeakMap<OpenFile, number>;
}

/**
 * The file operations of `ops`, each call guarded: a throw in `read`,
 * `write` or `ioctl` is reported and the call answers the sink's status
 * (retry or EIO), counting retries per open file; a throw in `readdir`,
 * `pollState` or `release` is reported and answers EIO, "nothing ready" or
 * nothing.
 */
export function guardFileOps(name: string, ops: FileOps, sink: FaultSink): FileOps {
  const retries = sink.retries;
  const io =
    <A extends unknown[]>(f: (file: OpenFile, ...a: A) => number) =>
    (file: OpenFile, ...a: A): number => {
      try {
        const r = f.call(ops, file, ...a);
        retries.delete(file);
        return r;
      } catch (e) {
        const n = retries.get(file) ?? 0;
        retries.set(file, n + 1);
        const status = sink.fault(name, e, n < MAX_RETRIES);
        if (status !== K.RESTART) retries.delete(file);
        return status;
      }
    };
  const guarded: FileOps = {
    read: io(ops.read),
    write: io(ops.write),
    get isStream() {
      return ops.isStream;
    },
  };
  if (ops.ioctl !== undefined) guarded.ioctl = io(ops.ioctl);
  const readdir = ops.readdir, waitQueue = ops.waitQueue;
  const pollState = ops.pollState, release = ops.release;
  if (readdir !== undefined) {
    guarded.readdir = (file) => {
      try {
        return readdir.call(ops, file);
      } catch (e) {
        sink.fault(name, e, false);
        return K.IO;
      }
    };
  }
  if (waitQueue !== undefined) guarded.waitQueue = (file, dir) => waitQueue.call(ops, file, dir);
  if (pollState !== undefined) {
    guarded.pollState = (file) => {
      try {
        return pollState.call(ops, file);
      } catch (e) {
        sink.fault(name, e, false);
        return 0;
      }
    };
  }
  if (release !== undefined) {
    guarded.release = guardArg(name, (f: OpenFile) => release.call(ops, f), sink);
  }
  return guarded;
}

function guardArg<T>(name: string, f: (a: T) => void, sink: FaultSink): (a: T) => void {
  return (a: T) => {
    try {
      f(a);
    } catch (e) {
      sink.fault(name, e, false);
    }
  };
}

/** A callback that reports a throw instead of propagating it. */
export function guardCallback(name: string, cb: () => void, sink: FaultSink): () => void {
  return () => {
    try {
      cb();
    } catch (e) {
      sink.fault(name, e, false);
    }
  };
}

/** The registrar of module `name` with its callbacks guarded. */
export function guardRegistrar(name: string, reg: Registrar, sink: FaultSink): Registrar {
  return {
    ...reg,
    registerCharDevice: (r, ops) => reg.registerCharDevice(r, guardFileOps(name, ops, sink)),
    startTimer: (ns, cb, daemon) => reg.startTimer(ns, guardCallback(name, cb, sink), daemon),
  };
}
