/**
 * The process, thread, futex, blocking and time calls of the kernel API
 * (`KernelApi` in `kernel/api.ts`), for the kernel facade to inherit (with
 * the descriptor, signal and memory calls below them).
 *
 * - processes: lookup, rlimits, the first process, fork, spawn, exec, exit,
 *   wait: each delegates to {@link ProcessLifecycle} or {@link ExecService};
 * - threads and futexes: the lifecycle and the {@link FutexTable};
 * - blocking: parking a thread on one queue, or on several at once
 *   (poll/select) with an optional deadline; sleeping and sched_yield;
 * - time: monotonic and wall-clock ns ({@link Timekeeping}), cycles.
 *
 * @module
 */

import { K, KernelError, type KStatus, statusName } from "./errors.ts";
import type { Personality, WaitRecord } from "./api.ts";
import type { ExecService } from "./exec/exec_service.ts";
import type { ProcessLifecycle } from "./exec/lifecycle.ts";
import { FdTable } from "./fs/fd_table.ts";
import { FileCalls } from "./fs/fd_calls.ts";
import type { FutexTable } from "./ipc/futex.ts";
import type { WaitQueue } from "./ipc/wait_queue.ts";
import type { Machine } from "../hw/machine.ts";
import { BLOCK, NO_RESULT } from "./proc/call_result.ts";
import type { ParkedCall, ParkingPlace, Process, Thread } from "./proc/process.ts";
import type { ProcessTable } from "./proc/process_table.ts";
import { checkRlimitChange, NR_OPEN, RLIMIT } from "./proc/rlimits.ts";
import type { Timekeeping } from "./proc/timekeeping.ts";
import type { TrapLoop } from "./proc/trap_loop.ts";

/** A place for a thread waiting on several queues at once (poll/select). */
class MultiPark implements ParkingPlace {
  readonly name: string;
  readonly queues: WaitQueue[];
  constructor(queues: WaitQueue[]) {
    this.queues = queues;
    this.name = queues.map((q) => q.name).join("|") || "poll";
  }
  remove(t: Thread): void {
    for (const q of this.queues) q.remove(t);
  }
}

/** Process, thread, futex, blocking and time operations, for the kernel facade to inherit. */
export abstract class ProcessCalls extends FileCalls {
  /** The machine. */
  abstract readonly machine: Machine;
  /** Processes and threads. */
  abstract readonly table: ProcessTable;
  /** The main loop. */
  abstract readonly loop: TrapLoop;
  /** Process creation, exit and wait. */
  protected abstract lifecycle(): ProcessLifecycle;
  /** Program loading. */
  protected abstract execService(): ExecService;
  /** The futex wait queues. */
  protected abstract futexes(): FutexTable;
  /** Simulated time, sleeps and timers. */
  protected abstract timekeeping(): Timekeeping;
  /** Runs `step` with device events in between while it answers K.RESTART or K.AGAIN. */
  abstract settleIo(step: () => KStatus, seconds?: number): KStatus;

  // ------------------------------------------------------- processes

  /** The thread on the CPU. */
  get current(): Thread | null {
    return this.table.current;
  }

  /** A process by pid. */
  getProcess(pid: number): Process | null {
    return this.table.get(pid) ?? null;
  }

  /** setrlimit/prlimit: checks the change, then applies it (RLIMIT_NOFILE also to the table). */
  setRlimit(
    caller: Process,
    target: Process,
    resource: number,
    soft: number,
    hard: number,
  ): KStatus {
    const ok = checkRlimitChange(target.rlimits, resource, soft, hard, caller.uid === 0);
    if (ok !== "ok") return ok === "inval" ? K.INVAL : K.PERM;
    target.rlimits.soft[resource] = soft;
    target.rlimits.hard[resource] = hard;
    if (resource === RLIMIT.NOFILE && target.files instanceof FdTable) {
      target.files.max = Math.min(soft, NR_OPEN);
    }
    return K.OK;
  }

  /** All processes by pid. */
  processes(): Process[] {
    return this.table.list();
  }

  /** The personality of `p`. */
  personalityOf(p: Process): Personality | null {
    return p.personality as Personality | null;
  }

  /** The first process (exec it with {@link startProcess}). */
  createInitProcess(): Process {
    return this.lifecycle().createInitProcess();
  }

  /**
   * Execs `path` in a process from {@link createInitProcess}; throws
   * KernelError on failure. A program on a disk is read as the blocks
   * arrive: the exec is repeated (device events run in between) while it
   * answers K.RESTART.
   */
  startProcess(p: Process, path: string, argv: string[], envp: string[]): void {
    const r = this.settleIo(() => {
      try {
        this.lifecycle().startProcess(p, path, argv, envp);
        return K.OK;
      } catch (e) {
        if (e instanceof KernelError && e.status === K.RESTART) return K.RESTART;
        throw e;
      }
    });
    if (r !== K.OK) throw new KernelError(r, `cannot start ${path}: ${statusName(r)}`);
  }

  /** fork with copy-on-write memory. */
  fork(t: Thread): Process | KStatus {
    return this.lifecycle().fork(t);
  }

  /** A child running `path` without fork. */
  spawn(t: Thread, path: string, argv: string[], envp: string[]): Process | KStatus {
    return this.lifecycle().spawn(t, path, argv, envp);
  }

  /** exec: replaces the program of `t.process`. */
  exec(t: Thread, path: string, argv: string[], envp: string[]): number {
    const r = this.execService().exec(t, path, argv, envp);
    if (r !== NO_RESULT) return r;
    const p = t.process;
    if (p.threads.length > 1) this.table.execTakeover(t);
    if (p.vforkPending) {
      // The vfork parent waits until the child execs or exits.
      p.vforkPending = false;
      this.table.exitEvent(p)?.wakeAll();
    }
    return r;
  }

  /** exit: terminates the process of `t`. */
  exit(t: Thread, code: number): number {
    return this.lifecycle().exit(t, code);
  }

  /** A new thread in the process of `t`. */
  createThread(t: Thread, pc: number, regs: Int32Array): Thread | KStatus {
    return this.lifecycle().createThread(t, pc, regs);
  }

  /** Ends one thread (the last ends the process). */
  exitThread(t: Thread, code: number): number {
    return this.lifecycle().exitThread(t, code);
  }

  /** Thread by tid. */
  getThread(tid: number): Thread | null {
    return this.table.thread(tid) ?? null;
  }

  /** Futex wait. */
  futexWait(t: Thread, addr: number, expected: number, bitset: number, deadlineNs: number): number {
    return this.futexes().wait(t, addr, expected, bitset, deadlineNs);
  }

  /** Futex wake. */
  futexWake(t: Thread, addr: number, n: number, bitset: number): number {
    return this.futexes().wake(t, addr, n, bitset);
  }

  /** Futex requeue. */
  futexRequeue(
    t: Thread,
    addr: number,
    n: number,
    addr2: number,
    n2: number,
    expected: number,
  ): number {
    return this.futexes().requeue(t, addr, n, addr2, n2, expected);
  }

  /** wait4/waitid for a child of `t.process`. */
  wait(t: Thread, pid: number, options: number): WaitRecord | number {
    return this.lifecycle().wait(t, pid, options);
  }

  // ------------------------------------------------------------ blocking, time

  /** Parks `t` on `queue`, with the finish of its call if any. */
  block(t: Thread, queue: WaitQueue, finish: ParkedCall | null = null): number {
    queue.add(t);
    this.table.park(t, queue);
    t.parkedCall = finish;
    return BLOCK;
  }

  /** Parks `t` on several queues, optionally until a deadline (ns). */
  blockMany(t: Thread, queues: WaitQueue[], deadlineNs?: number): number {
    const place = new MultiPark(queues);
    for (const q of queues) q.add(t);
    this.table.park(t, place);
    if (deadlineNs !== undefined) this.timekeeping().armWake(t, deadlineNs);
    return BLOCK;
  }

  /** Sleeps until monotonic `deadlineNs`. */
  sleepUntil(t: Thread, deadlineNs: number): number {
    return this.timekeeping().sleepUntil(t, deadlineNs);
  }

  /** sched_yield. */
  yield(t: Thread): number {
    // Literals (TaskState.RUNNING 1, EnqueueReason.YIELD 3): a module
    // object's field costs a load, a hole check and a map check in optimized code.
    if (t.state === 1) {
      t.sliceLeft = 0;
      this.table.makeReady(t, 3);
    }
    return 0;
  }

  /** Monotonic simulated ns. */
  nowNs(): number {
    return this.timekeeping().nowNs();
  }

  /** Wall-clock ns (RTC at boot plus simulated time). */
  realtimeNs(): bigint {
    return this.timekeeping().realtimeNs();
  }

  /** Simulated cycles. */
  cycles(): number {
    return this.machine.clock.now;
  }

  /** CPU cycles of `t`, the run in progress included. */
  cpuCycles(t: Thread): number {
    return this.loop.cpuCycles(t);
  }
}
