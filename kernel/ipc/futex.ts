/**
 * Futexes: fast user-space locks' kernel half. A thread parks on a 32-bit
 * word while it holds an expected value; another wakes waiters on the same
 * word.
 *
 * - keys: a futex is named by (address space, virtual address). Every
 *   mapping is private today (there is no `MAP_SHARED`), and for private
 *   mappings Linux keys the same way, with or without FUTEX_PRIVATE_FLAG.
 *   Processes that share an address space (threads) share futexes; a forked
 *   child, with its own space, does not. A shared mapping, when one exists,
 *   would be keyed by its physical frame and offset instead.
 * - {@link FutexTable.wait}: compares the word and parks on the key's queue,
 *   with a bitset (FUTEX_WAIT_BITSET) and an optional monotonic deadline;
 * - {@link FutexTable.wake}: wakes up to n waiters whose bitset meets the
 *   waker's;
 * - {@link FutexTable.requeue}: wakes some and moves others to another word
 *   (FUTEX_REQUEUE, FUTEX_CMP_REQUEUE).
 *
 * Woken waiters restart their call (the kernel's restart model) and see
 * `Thread.futexWoken`, so the restarted wait answers 0 without comparing
 * again. A signal takes the waiter off the queue (`ParkingPlace.remove`).
 *
 * @module
 */

import { K } from "../errors.ts";
import type { AddressSpace } from "../mm/address_space.ts";
import { BLOCK } from "../proc/call_result.ts";
import type { ParkingPlace, ProcSpace, Thread } from "../proc/process.ts";

/** What the futex table needs from the scheduler and the clock. */
export interface FutexDeps {
  /** Marks `t` blocked on `place` (the caller has queued it). */
  park(t: Thread, place: ParkingPlace): void;
  /** Makes a blocked thread runnable (cancels its timer). */
  wake(t: Thread): void;
  /** Wakes `t` at monotonic `deadlineNs`. */
  armWake(t: Thread, deadlineNs: number): void;
  /** Monotonic simulated ns. */
  nowNs(): number;
}

/**
 * The waiters of one futex word, in arrival order. Slots `[0, count)` of
 * the list hold them; the list's length never goes down (V8 trims an
 * array's backing store when it shrinks, and growing it again on the next
 * wait would allocate on every ping-pong), and freed slots are nulled.
 */
class FutexQueue implements ParkingPlace {
  readonly name = "futex";
  readonly #list: (Thread | null)[] = [];
  /** Number of waiters. */
  count = 0;
  readonly #owner: Map<number, FutexQueue>;
  readonly #addr: number;

  constructor(owner: Map<number, FutexQueue>, addr: number) {
    this.#owner = owner;
    this.#addr = addr;
  }

  /** The i-th waiter (i < count). */
  at(i: number): Thread {
    return this.#list[i]!;
  }

  /** Appends a waiter. */
  push(t: Thread): void {
    if (this.count < this.#list.length) this.#list[this.count] = t;
    else this.#list.push(t);
    this.count++;
  }

  /** Takes out the i-th waiter, keeping the order of the others. */
  removeAt(i: number): Thread {
    const l = this.#list;
    const t = l[i]!;
    const last = --this.count;
    for (let j = i; j < last; j++) l[j] = l[j + 1];
    l[last] = null;
    return t;
  }

  remove(waiter: Thread): void {
    for (let i = 0; i < this.count; i++) {
      if (this.#list[i] === waiter) {
        this.removeAt(i);
        return;
      }
    }
  }

  /** Forgets the queue if nobody waits on it (the caller prunes the map). */
  dropIfEmpty(): void {
    if (this.count === 0 && this.#owner.get(this.#addr) === this) {
      this.#owner.delete(this.#addr);
    }
  }
}

/**
 * Empty queues stay in their space's map, so a word that is waited on again
 * and again (a lock, a ping-pong) allocates nothing; past this many entries
 * the empty ones are pruned.
 */
const PRUNE_AT = 256;

/** Every futex queue of the kernel, by key. */
export class FutexTable {
  readonly #deps: FutexDeps;
  readonly #bySpace = new WeakMap<ProcSpace, Map<number, FutexQueue>>();
  /** Futex wakes that woke a thread (statistics). */
  woken = 0;

  /** Creates an empty table. */
  constructor(deps: FutexDeps) {
    this.#deps = deps;
  }

  #queue(space: ProcSpace, addr: number, create: boolean): FutexQueue | null {
    let m = this.#bySpace.get(space);
    if (m === undefined) {
      if (!create) return null;
      m = new Map();
      this.#bySpace.set(space, m);
    }
    let q = m.get(addr);
    if (q === undefined) {
      if (!create) return null;
      if (m.size >= PRUNE_AT) { for (const old of [...m.values()]) old.dropIfEmpty(); }
      q = new FutexQueue(m, addr);
      m.set(addr, q);
    }
    return q;
  }

  /** The word at `addr` (unsigned), or a status for a bad or unaligned address. */
  #read(t: Thread, addr: number): number {
    if ((addr & 3) !== 0) return K.INVAL;
    const sp = t.process.space as AddressSpace | null;
    if (sp === null) return K.FAULT;
    return sp.readU32(addr);
  }

  /** FUTEX_WAIT / FUTEX_WAIT_BITSET (see `KernelApi.futexWait`). */
  wait(t: Thread, addr: number, expected: number, bitset: number, deadlineNs: number): number {
    if (t.futexWoken) {
      t.futexWoken = false;
      return 0;
    }
    addr >>>= 0;
    if (bitset === 0) return K.INVAL;
    const v = this.#read(t, addr);
    if (v < 0) return v;
    if (v !== expected >>> 0) return K.AGAIN;
    const d = this.#deps;
    if (deadlineNs >= 0 && d.nowNs() >= deadlineNs) return K.TIMEDOUT;
    const q = this.#queue(t.process.space as ProcSpace, addr, true) as FutexQueue;
    q.push(t);
    t.futexBitset = bitset;
    d.park(t, q);
    if (deadlineNs >= 0) d.armWake(t, deadlineNs);
    return BLOCK;
  }

  /** Wakes up to `n` waiters of `q` whose bitset meets `bitset`. */
  #wakeIn(q: FutexQueue, n: number, bitset: number): number {
    let woken = 0;
    for (let i = 0; i < q.count && woken < n;) {
      const w = q.at(i);
      if ((w.futexBitset & bitset) === 0) {
        i++;
        continue;
      }
      q.removeAt(i);
      w.futexWoken = true;
      w.parkedOn = null;
      this.#deps.wake(w);
      woken++;
    }
    this.woken += woken;
    return woken;
  }

  /** FUTEX_WAKE / FUTEX_WAKE_BITSET: the number woken, or a status. */
  wake(t: Thread, addr: number, n: number, bitset: number): number {
    addr >>>= 0;
    if ((addr & 3) !== 0 || bitset === 0) return K.INVAL;
    const sp = t.process.space;
    if (sp === null) return K.FAULT;
    const q = this.#queue(sp, addr, false);
    if (q === null || n <= 0) return 0;
    return this.#wakeIn(q, n, bitset);
  }

  /** FUTEX_REQUEUE (`expected` < 0) and FUTEX_CMP_REQUEUE. */
  requeue(t: Thread, addr: number, n: number, addr2: number, n2: number, expected: number): number {
    addr >>>= 0;
    addr2 >>>= 0;
    if ((addr & 3) !== 0 || (addr2 & 3) !== 0 || n < 0 || n2 < 0) return K.INVAL;
    const sp = t.process.space;
    if (sp === null) return K.FAULT;
    if (expected >= 0) {
      const v = this.#read(t, addr);
      if (v < 0) return v;
      if (v !== expected >>> 0) return K.AGAIN;
    }
    const q = this.#queue(sp, addr, false);
    if (q === null) return 0;
    let done = this.#wakeIn(q, n, -1);
    if (n2 === 0 || q.count === 0 || addr2 === addr) return done;
    const q2 = this.#queue(sp, addr2, true) as FutexQueue;
    while (n2 > 0 && q.count > 0) {
      const w = q.removeAt(0);
      q2.push(w);
      w.parkedOn = q2;
      n2--;
      done++;
    }
    return done;
  }
}
