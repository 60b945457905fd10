/**
 * Host work a system call must wait for: a module file to import, a module
 * to start. A call hands the work to {@link HostWork.call}; the first time,
 * the work starts, the thread parks on the work's queue and the call answers
 * BLOCK; the trap loop then awaits the work before it runs anything else
 * (simulated time stands still, so the run stays deterministic however long
 * the host takes), the completion wakes the thread, and the restarted call
 * gets the work's numeric result.
 *
 * Usage: `return hostWork.call(t, async () => { ...; return 0; })` from a
 * system call handler, with `block(t, queue)` the kernel's parking call.
 *
 * @module
 */

import type { Thread } from "./process.ts";

/** What {@link HostWork} needs from the kernel: park a thread on a queue and wake it. */
export interface HostWorkPort<Q> {
  /** A fresh wait queue. */
  newQueue(name: string): Q;
  /** Parks `t` on `queue` and returns the BLOCK status. */
  block(t: Thread, queue: Q): number;
  /** Wakes every thread on `queue`. */
  wakeAll(queue: Q): void;
}

interface Job<Q> {
  queue: Q;
  done: boolean;
  value: number;
}

/** Pending host work of system calls, by thread. */
export class HostWork<Q> {
  readonly #jobs = new Map<Thread, Job<Q>>();
  readonly #port: HostWorkPort<Q>;
  #pending: Promise<void>[] = [];

  /** Creates the service over the kernel's parking calls. */
  constructor(port: HostWorkPort<Q>) {
    this.#port = port;
  }

  /**
   * The result of `work` for the call `t` is making: its numeric result
   * once done; else starts it (first time), parks `t` and returns BLOCK.
   * A rejected promise gives `onError` (a negative status).
   */
  call(t: Thread, work: () => Promise<number>, onError: number): number {
    const resumed = this.resume(t);
    if (resumed !== null) return resumed;
    const fresh: Job<Q> = { queue: this.#port.newQueue("host work"), done: false, value: 0 };
    this.#jobs.set(t, fresh);
    const finish = (value: number) => {
      fresh.done = true;
      fresh.value = value;
      this.#port.wakeAll(fresh.queue);
    };
    let p: Promise<number>;
    try {
      p = work();
    } catch {
      p = Promise.resolve(onError);
    }
    this.#pending.push(p.then(finish, () => finish(onError)));
    return this.#port.block(t, fresh.queue);
  }

  /**
   * For a call restarted after its work began: the work's result (or BLOCK
   * again while it runs); null when `t` has no work pending. Check it before
   * any precondition that the work itself changes (an unloaded module).
   */
  resume(t: Thread): number | null {
    const job = this.#jobs.get(t);
    if (job === undefined) return null;
    if (!job.done) return this.#port.block(t, job.queue);
    this.#jobs.delete(t);
    return job.value;
  }

  /** Work no call waits for but the machine must (a crashed module's restart). */
  background(work: Promise<void>): void {
    this.#pending.push(work.catch(() => {}));
  }

  /** True while some work has not finished. */
  get busy(): boolean {
    return this.#pending.length > 0;
  }

  /** Waits for every piece of work started so far (the trap loop calls it). */
  async settle(): Promise<void> {
    while (this.#pending.length > 0) {
      const all = this.#pending;
      this.#pending = [];
      await Promise.all(all);
    }
  }

  /** Forgets a thread's job (it exited while waiting). */
  forget(t: Thread): void {
    this.#jobs.delete(t);
  }
}
