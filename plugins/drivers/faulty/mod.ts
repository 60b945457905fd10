/**
 * A fault-injection driver, for trying driver fault isolation: `/dev/faulty`
 * (char 240:0, the local/experimental range) is a small in-memory pipe
 * (writes append, reads take), whose code throws a host exception on demand.
 *
 * Parameters (`insmod faulty key=value ...`):
 * - `throw_on=N`: the Nth read or write of each instance throws;
 * - `timer_throw=MS`: a timer callback throws MS simulated milliseconds after
 *   the module starts (an asynchronous fault, as in an interrupt handler,
 *   which the kernel guards the same way).
 *
 * The kernel catches each throw at the module boundary, restarts the module
 * from its file and retries the request on the fresh instance (see
 * `kernel/modules/fault_guard.ts`); `modinfo faulty` counts the restarts.
 *
 * @module
 */

import {
  API_VERSION,
  K,
  type KernelApi,
  type ModuleContext,
  type ModuleDescriptor,
  type OpenFile,
  WaitQueue,
} from "../../../kernel/api.ts";

/** The device's numbers. */
export const FAULTY_DEVICE = { name: "faulty", major: 240, minor: 0, mode: 0o666 } as const;

const LIMIT = 4096;

function positive(text: string | undefined): number {
  const n = Number(text ?? "0");
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The module descriptor. */
export const module: ModuleDescriptor = {
  name: "faulty",
  version: "1.0.0",
  apiVersion: API_VERSION,
  kind: "driver",
  description: "fault-injection test device /dev/faulty (throw_on=N, timer_throw=MS)",
  init(_api: KernelApi, ctx: ModuleContext): void {
    const throwOn = positive(ctx.params.throw_on);
    let requests = 0;
    let data = new Uint8Array(0);
    const readers = new WaitQueue("faulty");
    const maybeThrow = () => {
      if (++requests === throwOn) throw new Error(`injected fault on request ${requests}`);
    };
    const r = ctx.registerCharDevice(FAULTY_DEVICE, {
      read(_f: OpenFile, buf: Uint8Array): number {
        maybeThrow();
        if (data.length === 0) return K.AGAIN;
        const n = Math.min(buf.length, data.length);
        buf.set(data.subarray(0, n));
        data = data.slice(n);
        return n;
      },
      write(_f: OpenFile, bytes: Uint8Array): number {
        maybeThrow();
        const n = Math.min(bytes.length, LIMIT - data.length);
        if (n === 0) return K.AGAIN;
        const next = new Uint8Array(data.length + n);
        next.set(data);
        next.set(bytes.subarray(0, n), data.length);
        data = next;
        readers.wakeAll();
        return n;
      },
      waitQueue: () => readers,
      isStream: true,
    });
    if (r !== K.OK) throw new Error(`cannot register /dev/faulty: ${r}`);
    const ms = positive(ctx.params.timer_throw);
    if (ms > 0) {
      ctx.startTimer(ms * 1e6, () => {
        throw new Error(`injected fault in a timer after ${ms} ms`);
      });
    }
  },
  exit(_api: KernelApi, ctx: ModuleContext): void {
    ctx.unregisterCharDevice(FAULTY_DEVICE.major, FAULTY_DEVICE.minor);
  },
};
