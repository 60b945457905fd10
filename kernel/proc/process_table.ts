/**
 * The process table: pid and tid allocation (one number space, as Linux
 * has), threads by tid, the process tree (orphans go to pid 1),
 * and the scheduling states of threads (ready, blocked, stopped, zombie) with
 * the ready set kept by the active {@link SchedulerPolicy}.
 *
 * @module
 */

import { type CycleSource, noteDispatch, noteJobEnd, noteReady } from "./sched_accounting.ts";
import { type ParkingPlace, Process, TaskState, Thread, type ThreadWaker } from "./process.ts";
import { EnqueueReason, type SchedulerPolicy } from "./scheduler.ts";

/** Highest pid before allocation wraps around. */
export const PID_MAX = 32767;

/** A queue threads can park on and be woken from (implemented by `WaitQueue`). */
export interface WakeList extends ParkingPlace {
  /** Parks a thread. */
  add(t: Thread): void;
  /** Wakes every parked thread. */
  wakeAll(): void;
  /** Number of parked threads. */
  readonly length: number;
}

/** Raised on misuse of the table by kernel code (never by a guest action). */
export class ProcessTableError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ProcessTableError";
  }
}

/** Hooks the table calls when timers are needed (the clock lives in the trap loop's world). */
export interface TimerPort {
  /** Cancels a pending clock event. */
  cancel(id: number): void;
  /** The current simulated cycle count, for scheduling accounting (0 without it). */
  now?(): number;
}

/** Every process and thread of the kernel, and who is ready to run. */
export class ProcessTable implements ThreadWaker {
  /** Processes by pid (zombies included until reaped). */
  readonly byPid: Map<number, Process> = new Map();
  /** System-wide task limit (`/proc/sys/kernel/threads-max`); zombies count until reaped. */
  threadsMax: number = Infinity;
  /**
   * Most live threads a non-root user may have, counting every process's
   * threads (RLIMIT_NPROC's semantics: Linux counts tasks): a thread bomb
   * gets EAGAIN. Root is exempt, as in Linux; pids (PID_MAX) bound everyone.
   */
  maxUserThreads = 1024;
  /** Threads by tid (every thread of every process in {@link byPid}). */
  readonly #byTid = new Map<number, Thread>();
  /** Child-state-change queues by pid (wait() sleeps here). */
  readonly #childEvents = new Map<Process, WakeList>();
  /** The active policy. */
  policy: SchedulerPolicy;
  /** The init process (pid 1), once created. */
  init: Process | null = null;
  /** The thread on the CPU (set by the trap loop). */
  current: Thread | null = null;
  /** Called whenever a thread becomes ready (the idle loop uses it). */
  onReady: ((t: Thread) => void) | null = null;
  /**
   * Ends the running thread's slice at the next kernel exit (set by the trap
   * loop); called when the policy says a thread that became ready preempts it.
   */
  requestResched: (() => void) | null = null;
  #lastPid = 0;
  /** Pids of reaped processes that handles still name: not reused until released. */
  readonly #heldPids = new Set<number>();
  /** Exit queues of processes someone waits on by handle (woken when they exit). */
  readonly #exitEvents = new Map<Process, WakeList>();
  readonly #newQueue: (name: string) => WakeList;
  readonly #timers: TimerPort;
  // Where accounting reads the cycle count: the port's `now()` until the
  // trap loop hands over the machine's clock (see useClock).
  #clock: CycleSource;

  /** Creates an empty table with a policy and a wait-queue factory. */
  constructor(policy: SchedulerPolicy, newQueue: (name: string) => WakeList, timers: TimerPort) {
    this.policy = policy;
    this.#newQueue = newQueue;
    this.#timers = timers;
    const now = timers.now;
    this.#clock = now !== undefined
      ? {
        get now() {
          return now();
        },
      }
      : { now: 0 };
  }

  /**
   * Reads the cycle count for accounting from `clock.now` directly instead of
   * the port's `now()` (the trap loop calls this with the machine's clock):
   * past 2^30 cycles a count returned from a call or passed to one that V8
   * does not inline is a boxed heap number, one per wake-up, block and
   * dispatch. The accounting functions read `clock.now` themselves.
   */
  useClock(clock: { readonly now: number }): void {
    this.#clock = clock;
  }

  /** Allocates the next free pid (wrapping at PID_MAX, skipping live pids and groups). */
  #allocPid(): number {
    for (let n = 0; n < PID_MAX; n++) {
      let pid = this.#lastPid + 1 + n;
      if (pid > PID_MAX) pid -= PID_MAX;
      if (
        !this.byPid.has(pid) && !this.#byTid.has(pid) && !this.#heldPids.has(pid) &&
        !this.#groupOrSessionInUse(pid)
      ) {
        this.#lastPid = pid;
        return pid;
      }
    }
    return -1;
  }

  #groupOrSessionInUse(id: number): boolean {
    for (const p of this.byPid.values()) if (p.pgid === id || p.sid === id) return true;
    return false;
  }

  /**
   * Creates a process with one thread (tid = pid), child of `parent`
   * (inheriting its group and session, ids and limits). Returns null when
   * pids run out or {@link threadsMax} tasks exist.
   * The thread is not yet runnable: call {@link makeReady}.
   */
  create(parent: Process | null): Process | null {
    if (this.byPid.size >= this.threadsMax) return null;
    const pid = this.#allocPid();
    if (pid < 0) return null;
    const p = new Process(pid, this);
    const leader = new Thread(pid, p);
    p.threads.push(leader);
    this.#byTid.set(pid, leader);
    if (parent !== null) {
      p.parent = parent;
      parent.children.push(p);
      p.pgid = parent.pgid;
      p.sid = parent.sid;
      p.uid = parent.uid;
      p.gid = parent.gid;
      p.groups = parent.groups.slice();
      p.rlimits = parent.rlimits.clone();
      p.umask = parent.umask;
    }
    if (pid === 1 && this.init === null) this.init = p;
    this.byPid.set(pid, p);
    this.#childEvents.set(p, this.#newQueue(`wait:${pid}`));
    return p;
  }

  /** The queue a parent sleeps on in wait(). */
  childEvents(p: Process): WakeList {
    let q = this.#childEvents.get(p);
    if (q === undefined) {
      q = this.#newQueue(`wait:${p.pid}`);
      this.#childEvents.set(p, q);
    }
    return q;
  }

  /** Process by pid. */
  get(pid: number): Process | undefined {
    return this.byPid.get(pid);
  }

  /** Thread by tid (exited non-leader threads are gone). */
  thread(tid: number): Thread | undefined {
    return this.#byTid.get(tid);
  }

  /**
   * Adds a thread to live process `p` with a fresh tid; null when tids run
   * out or the user is at {@link maxUserThreads}. The thread is not yet runnable: call {@link makeReady}.
   */
  addThread(p: Process): Thread | null {
    if (p.state === TaskState.ZOMBIE) return null;
    if (p.uid !== 0 && this.#userThreads(p.uid) >= this.maxUserThreads) return null;
    const tid = this.#allocPid();
    if (tid < 0) return null;
    const t = new Thread(tid, p);
    p.threads.push(t);
    p.liveThreads++;
    this.#byTid.set(tid, t);
    return t;
  }

  #userThreads(uid: number): number {
    let n = 0;
    for (const q of this.byPid.values()) if (q.uid === uid) n += q.liveThreads;
    return n;
  }

  /**
   * Ends one thread of a process that goes on: it leaves scheduling; a
   * non-leader thread leaves the process and the tid table (its CPU time
   * is kept in the process totals), the leader stays as a zombie thread.
   * The caller checks {@link Process.liveThreads} and ends the process at 0.
   */
  retireThread(t: Thread): void {
    if (t.state === TaskState.ZOMBIE) return;
    this.#takeOff(t);
    t.state = TaskState.ZOMBIE;
    const p = t.process;
    p.liveThreads--;
    if (this.current === t) this.current = null;
    if (t === p.threads[0]) return;
    const i = p.threads.indexOf(t);
    if (i >= 0) p.threads.splice(i, 1);
    this.#byTid.delete(t.tid);
    p.exitedUserCycles += t.userCycles;
    p.exitedSystemCycles += t.systemCycles;
  }

  /**
   * After a successful exec by `t` in a process with other threads (Linux's
   * de_thread): every other thread ends; when `t` is not the leader, the
   * leader takes over its registers, mask and pending signals (so the
   * process keeps its pid as the tid of its one thread) and `t` ends.
   * Returns the thread that runs the new program.
   */
  execTakeover(t: Thread): Thread {
    const p = t.process;
    for (const o of [...p.threads]) if (o !== t) this.retireThread(o);
    const leader = p.threads[0];
    if (leader === t) return t;
    leader.regs.set(t.regs);
    leader.pc = t.pc;
    leader.sigBlockedLo = t.sigBlockedLo;
    leader.sigBlockedHi = t.sigBlockedHi;
    leader.sigPendingLo = t.sigPendingLo;
    leader.sigPendingHi = t.sigPendingHi;
    leader.sigInfo.set(t.sigInfo);
    leader.pdata = null;
    leader.futexWoken = false;
    leader.restartState = -1;
    leader.state = TaskState.BLOCKED; // revived from ZOMBIE, made ready below
    p.liveThreads++;
    this.retireThread(t);
    this.wakeThread(leader);
    return leader;
  }

  /** Takes `t` off the ready set or its wait queue and timer. */
  #takeOff(t: Thread): void {
    if (t.state === TaskState.READY) this.policy.remove(t);
    if (t.state === TaskState.BLOCKED) this.#unpark(t);
  }

  /** Processes sorted by pid. */
  list(): Process[] {
    return [...this.byPid.values()].sort((a, b) => a.pid - b.pid);
  }

  /** Makes `t` runnable and hands it to the policy. */
  makeReady(t: Thread, reason: number): void {
    if (t.state === 4 /* TaskState.ZOMBIE */) return;
    t.state = 0; // TaskState.READY
    noteReady(t.sched, reason, this.#clock);
    this.policy.enqueue(t, reason);
    if (this.onReady !== null) this.onReady(t);
    const cur = this.current;
    if (
      cur !== null && cur !== t && this.requestResched !== null &&
      this.policy.preempts !== undefined && this.policy.preempts(t, cur)
    ) this.requestResched();
  }

  /** Accounting when the trap loop puts `t` on the CPU (now). */
  dispatched(t: Thread): void {
    noteDispatch(t.sched, this.#clock);
  }

  /** Marks `t` blocked on `place` (the caller has added it to the queue). */
  park(t: Thread, place: ParkingPlace): void {
    // Literals, as in wakeThread: TaskState.READY 0, BLOCKED 2.
    if (t.state === 0) this.policy.remove(t);
    noteJobEnd(t.sched, this.#clock);
    t.state = 2;
    t.parkedOn = place;
    t.interrupted = false;
  }

  /** Wakes a blocked thread (called by wait queues and timers). */
  wakeThread(t: Thread): void {
    // States and reasons on the wake, ready and dispatch paths are literals
    // (named in comments): an object constant such as `TaskState.BLOCKED`
    // costs a context load, a hole check, a map check and a field load in
    // V8's optimized code.
    if (t.state !== 2 /* TaskState.BLOCKED */) return;
    const call = t.parkedCall;
    if (call !== null) {
      t.parkedCall = null;
      if (call.finish(t)) {
        // Completed here: the thread resumes past its ecall, as after any
        // call; a signal that came during the finish (a clock event its
        // charge fired) is delivered after the call, not as its EINTR.
        t.pc = (t.restartPc + 4) >>> 0;
        t.restartState = -1;
        t.partialResult = -1;
        t.noRestart = false;
        t.interrupted = false;
      }
      // Taken off its queue meanwhile (that signal, a stop, an exit): done.
      if (t.state !== 2 /* TaskState.BLOCKED */) return;
    }
    this.#unpark(t);
    this.makeReady(t, 1 /* EnqueueReason.WAKE */);
  }

  /** Wakes a blocked thread because of a signal: it is taken off its queue and marked interrupted. */
  interrupt(t: Thread): void {
    if (t.state !== TaskState.BLOCKED) return;
    const place = t.parkedOn;
    if (place !== null) place.remove(t);
    this.#unpark(t);
    t.interrupted = true;
    this.makeReady(t, EnqueueReason.WAKE);
  }

  #unpark(t: Thread): void {
    // A thread parked on several queues (poll) leaves all of them.
    const place = t.parkedOn;
    if (place !== null) place.remove(t);
    t.parkedOn = null;
    t.parkedCall = null;
    if (t.timerEvent >= 0) {
      this.#timers.cancel(t.timerEvent);
      t.timerEvent = -1;
    }
  }

  /** Stops every thread of `p` (job control); blocked threads are interrupted first. */
  stop(p: Process): void {
    for (const t of p.threads) {
      if (t.state === TaskState.ZOMBIE) continue;
      if (t.state === TaskState.BLOCKED) {
        const place = t.parkedOn;
        if (place !== null) place.remove(t);
        this.#unpark(t);
        t.interrupted = true;
      } else if (t.state === TaskState.READY) {
        this.policy.remove(t);
      }
      t.state = TaskState.STOPPED;
    }
    if (p.state !== TaskState.ZOMBIE) p.state = TaskState.STOPPED;
  }

  /** Resumes a stopped process. Returns true if it was stopped. */
  resume(p: Process): boolean {
    if (p.state !== TaskState.STOPPED) return false;
    p.state = TaskState.READY;
    for (const t of p.threads) {
      if (t.state === TaskState.STOPPED) this.makeReady(t, EnqueueReason.WAKE);
    }
    return true;
  }

  /**
   * Takes every thread of `p` out of scheduling and marks the process a
   * zombie; its children are given to init. The caller releases resources
   * and notifies the parent.
   */
  zombify(p: Process): void {
    for (const t of p.threads) {
      this.#takeOff(t);
      t.state = TaskState.ZOMBIE;
    }
    p.liveThreads = 0;
    p.state = TaskState.ZOMBIE;
    const exited = this.#exitEvents.get(p);
    if (exited !== undefined) {
      this.#exitEvents.delete(p);
      exited.wakeAll();
    }
    const init = this.init;
    for (const c of p.children) {
      if (init === null || init === p) {
        c.parent = null;
        continue;
      }
      c.parent = init;
      init.children.push(c);
    }
    const hadZombies = p.children.some((c) => c.state === TaskState.ZOMBIE);
    p.children.length = 0;
    if (hadZombies && init !== null && init !== p) this.childEvents(init).wakeAll();
  }

  /** Removes a zombie from the table and its parent's children (after wait reaped it). */
  reap(p: Process): void {
    if (p.state !== TaskState.ZOMBIE) {
      throw new ProcessTableError(`reap of live process ${p.pid}`);
    }
    const parent = p.parent;
    if (parent !== null) {
      const i = parent.children.indexOf(p);
      if (i >= 0) parent.children.splice(i, 1);
    }
    p.parent = null;
    this.byPid.delete(p.pid);
    this.#childEvents.delete(p);
    for (const t of p.threads) if (this.#byTid.get(t.tid) === t) this.#byTid.delete(t.tid);
    p.threads.length = 0;
    p.reaped = true;
    if (p.handles > 0) this.#heldPids.add(p.pid);
  }

  /**
   * Takes a reference to `p` (an NT-style process handle): the object stays
   * valid, with its exit status, after it exits and after it is reaped, and
   * its pid is not reused until the last reference is released.
   */
  retain(p: Process): void {
    p.handles++;
  }

  /** Drops a reference taken with {@link retain}; frees a reaped process's pid at the last one. */
  release(p: Process): void {
    if (p.handles <= 0) throw new ProcessTableError(`release of unreferenced process ${p.pid}`);
    if (--p.handles === 0 && p.reaped) this.#heldPids.delete(p.pid);
  }

  /** The queue woken when `p` exits (waiting on a process handle); null once it has exited. */
  exitEvent(p: Process): WakeList | null {
    if (p.state === TaskState.ZOMBIE) return null;
    let q = this.#exitEvents.get(p);
    if (q === undefined) {
      q = this.#newQueue(`exit:${p.pid}`);
      this.#exitEvents.set(p, q);
    }
    return q;
  }

  /** Installs a new policy, moving the ready threads to it in their old order. */
  setPolicy(policy: SchedulerPolicy): void {
    const ready = this.policy.drain();
    this.policy = policy;
    for (const t of ready) policy.enqueue(t, EnqueueReason.MIGRATE);
  }

  /** Live (non-zombie) processes. */
  get liveCount(): number {
    let n = 0;
    for (const p of this.byPid.values()) if (p.state !== TaskState.ZOMBIE) n++;
    return n;
  }

  /** Threads currently blocked, with what they wait on (for the deadlock report). */
  blockedThreads(): Thread[] {
    const out: Thread[] = [];
    for (const p of this.byPid.values()) {
      for (const t of p.threads) if (t.state === TaskState.BLOCKED) out.push(t);
    }
    return out;
  }
}
