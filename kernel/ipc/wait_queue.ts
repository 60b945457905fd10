/**
 * Wait queues: the one blocking mechanism of the kernel.
 *
 * A kernel operation that cannot proceed (an empty pipe, a tty with no
 * complete line, a child that has not exited) returns `K.AGAIN` together with
 * the wait queue to sleep on. The process layer parks the thread on that
 * queue and, when it is woken, restarts the system call from the beginning
 * (the thread's pc is left on its `ecall`), as Linux restarts a call after
 * `-ERESTARTSYS`. Operations are therefore written to be retried: they must
 * not consume anything before deciding to block. A call parked with a finish
 * (`ParkedCall`, `kernel/proc/process.ts`: pipe reads and writes) may be
 * completed by the thread that wakes the queue instead: the wake runs it.
 *
 * @module
 */

/** Something parked on a wait queue; `wake` is called once when the queue is woken. */
export interface Waiter {
  /** Called when the queue is woken. */
  wake(): void;
}

/**
 * A FIFO set of waiters. Slots `[0, count)` of the list hold them and the
 * list's length does not go down when they leave: V8 trims an array's
 * storage when it shrinks, and growing it again at the next park would
 * allocate on every blocking round trip (a pipe ping-pong).
 */
export class WaitQueue {
  /** Optional name for tracing and /proc. */
  readonly name: string;
  #list: (Waiter | null)[] = [];
  #count = 0;

  /** Creates an empty queue. */
  constructor(name = "wait") {
    this.name = name;
  }

  /** Parks `waiter` on the queue (no effect if already there). */
  add(waiter: Waiter): void {
    const l = this.#list;
    const n = this.#count;
    if (n === 0 && l.length > 0) {
      // An empty queue that has had a waiter (a pipe in steady use): its slot.
      l[0] = waiter;
      this.#count = 1;
      return;
    }
    for (let i = 0; i < n; i++) if (l[i] === waiter) return;
    if (n < l.length) l[n] = waiter;
    else l.push(waiter);
    this.#count = n + 1;
  }

  /** Removes `waiter` if it is parked here (e.g. woken by a signal instead). */
  remove(waiter: Waiter): void {
    const l = this.#list;
    for (let i = 0; i < this.#count; i++) {
      if (l[i] === waiter) {
        this.#removeAt(i);
        return;
      }
    }
  }

  #removeAt(i: number): Waiter {
    const l = this.#list;
    const w = l[i]!;
    const last = --this.#count;
    for (let j = i; j < last; j++) l[j] = l[j + 1];
    l[last] = null;
    return w;
  }

  /** Number of waiters. */
  get length(): number {
    return this.#count;
  }

  /** Wakes every waiter (they re-check their condition when they run). */
  wakeAll(): void {
    const n = this.#count;
    if (n === 0) return;
    const ws = this.#list;
    if (n === 1) {
      // The common case (one reader on a pipe, say): the slot is reused.
      const w = ws[0]!;
      ws[0] = null;
      this.#count = 0;
      w.wake();
      return;
    }
    this.#wakeMany(ws, n);
  }

  /** {@link wakeAll} of several waiters (apart, so that the one-waiter case inlines). */
  #wakeMany(ws: (Waiter | null)[], n: number): void {
    // Waking may park waiters here again: they go on a fresh list.
    this.#list = [];
    this.#count = 0;
    for (let i = 0; i < n; i++) ws[i]!.wake();
  }

  /** Wakes the first waiter only. */
  wakeOne(): void {
    if (this.#count > 0) this.#removeAt(0).wake();
  }
}
