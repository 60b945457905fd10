/**
 * Wait queues: the one blocking mechanism of the kernel.
 *
 * A kernel operation that cannot proceed (an empty pipe, a tty with no
 * complete line, a child that has not exited) returns `K.AGAIN` together with
 * the wait queue to sleep on. The process layer parks the thread on that
 * queue and, when it is woken, restarts the system call from the beginning
 * (the thread's pc is left on its `ecall`), as Linux restarts a call after
 * `-ERESTARTSYS`. Operations are therefore written to be retried: they must
 * not consume anything before deciding to block.
 *
 * @module
 */

/** Something parked on a wait queue; `wake` is called once when the queue is woken. */
export interface Waiter {
  /** Called when the queue is woken. */
  wake(): void;
}

/** A FIFO set of waiters. */
export class WaitQueue {
  /** Optional name for tracing and /proc. */
  readonly name: string;
  #waiters: Waiter[] = [];

  /** Creates an empty queue. */
  constructor(name = "wait") {
    this.name = name;
  }

  /** Parks `waiter` on the queue (no effect if already there). */
  add(waiter: Waiter): void {
    if (!this.#waiters.includes(waiter)) this.#waiters.push(waiter);
  }

  /** Removes `waiter` if it is parked here (e.g. woken by a signal instead). */
  remove(waiter: Waiter): void {
    const i = this.#waiters.indexOf(waiter);
    if (i >= 0) this.#waiters.splice(i, 1);
  }

  /** Number of waiters. */
  get length(): number {
    return this.#waiters.length;
  }

  /** Wakes every waiter (they re-check their condition when they run). */
  wakeAll(): void {
    const ws = this.#waiters;
    const n = ws.length;
    if (n === 0) return;
    if (n === 1) {
      // The common case (one reader on a pipe, say): pop keeps the array's
      // storage, so parking again allocates nothing.
      ws.pop()!.wake();
      return;
    }
    // Waking may park waiters here again: they go on a fresh list.
    this.#waiters = [];
    for (let i = 0; i < n; i++) ws[i].wake();
  }

  /** Wakes the first waiter only. */
  wakeOne(): void {
    const w = this.#waiters.shift();
    if (w !== undefined) w.wake();
  }
}
