/**
 * Process lifecycle: birth, death and waiting.
 *
 * - birth: {@link ProcessLifecycle.createInitProcess}, {@link ProcessLifecycle.fork}
 *   (copy-on-write), {@link ProcessLifecycle.spawn} (a new program without fork,
 *   as NT's CreateProcess);
 * - death: {@link ProcessLifecycle.exit} and {@link ProcessLifecycle.terminate}
 *   (descriptors closed, memory freed, zombie, parent notified, init's exit
 *   halts the machine);
 * - threads: {@link ProcessLifecycle.createThread} and
 *   {@link ProcessLifecycle.exitThread} (the last thread's exit ends the process);
 * - waiting: {@link ProcessLifecycle.wait} (wait4/waitid semantics).
 *
 * A process object outlives its reaping while handles hold it
 * (`ProcessTable.retain`).
 *
 * @module
 */

import { SCHED, SCHED_FLAG_RESET_ON_FORK } from "../proc/sched_info.ts";
import type { SimClock } from "../../hw/clock.ts";
import { type Personality, WAIT, WaitKind, type WaitRecord } from "../api.ts";
import { errorText, K, KernelError, type KStatus, statusName } from "../errors.ts";
import { FdTable } from "../fs/fd_table.ts";
import type { Vfs } from "../fs/vfs.ts";
import { SA, SIG, SIG_IGN, SIGNAL_NAMES } from "../ipc/signal_numbers.ts";
import { CLD, type SignalEngine } from "../ipc/signals.ts";
import type { WaitQueue } from "../ipc/wait_queue.ts";
import type { AddressSpace } from "../mm/address_space.ts";
import type { OwnedList } from "../modules/registry.ts";
import { NO_RESULT } from "../proc/call_result.ts";
import type { KernelCosts } from "../proc/costs.ts";
import { NO_MEMORY, type Process, TaskState, type Thread } from "../proc/process.ts";
import type { ProcessTable } from "../proc/process_table.ts";
import { defaultRlimits, RLIMIT } from "../proc/rlimits.ts";
import { EnqueueReason } from "../proc/scheduler.ts";
import type { ExecService } from "./exec_service.ts";

/** What the lifecycle service needs from the rest of the kernel. */
export interface LifecycleDeps {
  /** Processes and threads. */
  readonly table: ProcessTable;
  /** The file tree (init's root and descriptor tables). */
  readonly vfs: Vfs;
  /** Descriptors per process. */
  readonly maxFds: number;
  /** The machine's clock (start times). */
  readonly clock: SimClock;
  /** The signal engine (parent notification). */
  readonly signals: SignalEngine;
  /** Program loading. */
  readonly exec: ExecService;
  /** Registered personalities with their modules. */
  readonly personalities: OwnedList<Personality>;
  /** Cost table. */
  readonly costs: KernelCosts;
  /** Charges kernel cycles. */
  charge(cycles: number): void;
  /** Forgets the CPU's cached translation of the current space. */
  invalidateSpace(): void;
  /** Takes (true) or drops (false) a user reference on a module. */
  moduleRef(owner: string, take: boolean): void;
  /** Parks `t` on `queue` (returns BLOCK). */
  block(t: Thread, queue: WaitQueue): number;
  /** Gives `child` a copy of `parent`'s floating-point state (fork). */
  copyFp(parent: Thread, child: Thread): void;
  /** Ends the run (init exited). */
  halt(status: number, reason: string, detail: string): void;
  /** Kernel log. */
  log(line: string): void;
  /** The system-call trace (strace format), if on: a death by signal ends a process's lines. */
  trace?: ((line: string) => void) | null;
}

/** strace's `+++ killed by SIGNAME +++` line for a process a signal ended. */
export function killedLine(p: Process): string {
  const core = p.coreDumped ? " (core dumped)" : "";
  return `[pid ${p.pid}] +++ killed by SIG${SIGNAL_NAMES[p.termSignal]}${core} +++`;
}

/** Sum of the user cycles of a process's threads. */
export function userCycles(p: Process): number {
  let n = p.exitedUserCycles;
  for (const t of p.threads) n += t.userCycles;
  return n;
}

/** Sum of the system cycles of a process's threads. */
export function systemCycles(p: Process): number {
  let n = p.exitedSystemCycles;
  for (const t of p.threads) n += t.systemCycles;
  return n;
}

/** Creation, termination and reaping of processes. */
export class ProcessLifecycle {
  readonly #d: LifecycleDeps;

  /** Creates the service. */
  constructor(deps: LifecycleDeps) {
    this.#d = deps;
  }

  /** The first process: an empty descriptor table and the root as cwd (exec it next). */
  createInitProcess(): Process {
    const d = this.#d;
    const p = d.table.create(null);
    if (p === null) throw new KernelError(K.AGAIN, "no pid for the first process");
    p.files = new FdTable(d.vfs, d.maxFds);
    p.rlimits = defaultRlimits({ threadsMax: d.table.threadsMax, maxFds: d.maxFds });
    p.cwdLoc = d.vfs.root();
    p.cwd = "/";
    p.startCycle = d.clock.now;
    return p;
  }

  /** Execs `path` in a fresh process and makes it runnable; throws KernelError on failure. */
  startProcess(p: Process, path: string, argv: string[], envp: string[]): void {
    const t = p.mainThread;
    const r = this.#d.exec.exec(t, path, argv, envp);
    if (r !== NO_RESULT) {
      throw new KernelError(r, `cannot start ${path}: ${statusName(r)}`);
    }
    this.#d.table.makeReady(t, EnqueueReason.NEW);
  }

  /** fork with copy-on-write memory; the child's a0 is 0. */
  fork(t: Thread): Process | KStatus {
    const d = this.#d;
    const p = t.process;
    const sp = p.space as AddressSpace | null;
    if (sp === null || p.files === null) return K.INVAL;
    if (this.#overNproc(p)) return K.AGAIN;
    // Linux: a SCHED_DEADLINE task may not fork unless it asked to reset on fork.
    const ts = t.sched;
    if (ts.policy === SCHED.DEADLINE && (ts.flags & SCHED_FLAG_RESET_ON_FORK) === 0) return K.AGAIN;
    const c = d.table.create(p);
    if (c === null) return K.AGAIN;
    const cs = sp.fork();
    if (cs === null) {
      this.#discard(c);
      return K.NOMEM;
    }
    c.space = cs;
    c.memory = cs;
    this.#inherit(p, c);
    c.comm = p.comm;
    c.exe = p.exe;
    c.argv = p.argv;
    c.envp = p.envp;
    c.personality = p.personality;
    c.personalityName = p.personalityName;
    const ct = c.mainThread;
    ct.regs.set(t.regs);
    ct.regs[10] = 0;
    ct.pc = t.pc;
    ct.sigBlockedLo = t.sigBlockedLo;
    ct.sigBlockedHi = t.sigBlockedHi;
    ct.priority = t.priority;
    ct.sched.inherit(t.sched);
    d.copyFp(t, ct);
    const pers = p.personality as Personality | null;
    if (pers !== null) {
      const owner = d.personalities.ownerOf(pers);
      if (owner !== null) d.moduleRef(owner, true);
      try {
        pers.onFork?.(p, c);
      } catch (e) {
        d.log(`onFork threw: ${errorText(e)}`);
      }
    }
    d.charge(d.costs.fork);
    d.table.makeReady(ct, EnqueueReason.NEW);
    return c;
  }

  /** A child running `path` without fork; nothing is left behind when it cannot start. */
  spawn(t: Thread, path: string, argv: string[], envp: string[]): Process | KStatus {
    const d = this.#d;
    const p = t.process;
    if (p.files === null) return K.INVAL;
    if (this.#overNproc(p)) return K.AGAIN;
    const c = d.table.create(p);
    if (c === null) return K.AGAIN;
    // Ignored signals stay ignored across exec; the personality's onExec resets caught ones.
    this.#inherit(p, c);
    const ct = c.mainThread;
    ct.sigBlockedLo = t.sigBlockedLo;
    ct.sigBlockedHi = t.sigBlockedHi;
    const r = d.exec.exec(ct, path, argv, envp);
    if (r !== NO_RESULT) {
      (c.files as FdTable).closeAll();
      c.files = null;
      this.#discard(c);
      return r;
    }
    d.charge(d.costs.fork);
    d.table.makeReady(ct, EnqueueReason.NEW);
    return c;
  }

  /**
   * RLIMIT_NPROC: true when `p`'s uid already has as many processes as its
   * soft limit (zombies count until reaped; root is exempt, as with
   * CAP_SYS_RESOURCE).
   */
  #overNproc(p: Process): boolean {
    const limit = p.rlimits.soft[RLIMIT.NPROC];
    if (p.uid === 0 || limit === Infinity) return false;
    let n = 0;
    for (const q of this.#d.table.byPid.values()) if (q.uid === p.uid) n++;
    return n >= limit;
  }

  /** Descriptors, cwd, start time and signal actions, copied from parent to child. */
  #inherit(p: Process, c: Process): void {
    c.files = (p.files as FdTable).fork();
    c.cwdLoc = p.cwdLoc;
    c.cwd = p.cwd;
    c.startCycle = this.#d.clock.now;
    // Field by field: Object.assign of the 64 actions was a seventh of a fork's host work.
    const from = p.sigActions, to = c.sigActions;
    for (let s = 1; s <= 64; s++) {
      const a = from[s], b = to[s];
      b.handler = a.handler;
      b.flags = a.flags;
      b.maskLo = a.maskLo;
      b.maskHi = a.maskHi;
      b.restorer = a.restorer;
    }
  }

  /** Removes a child that never ran. */
  #discard(c: Process): void {
    this.#d.table.zombify(c);
    this.#d.table.reap(c);
  }

  /**
   * A new thread in the process of `t`: registers `regs` (x0..x31) and `pc`,
   * the signal mask and priority of `t`. It is made runnable. Returns the
   * thread, or K.AGAIN when no tid is free.
   */
  createThread(t: Thread, pc: number, regs: Int32Array): Thread | KStatus {
    const d = this.#d;
    const p = t.process;
    if (p.space === null) return K.INVAL;
    const nt = d.table.addThread(p);
    if (nt === null) return K.AGAIN;
    nt.regs.set(regs.subarray(0, 32));
    nt.regs[0] = 0;
    nt.pc = pc >>> 0;
    nt.priority = t.priority;
    nt.sched.inherit(t.sched);
    nt.startCycle = d.clock.now;
    d.signals.setMask(nt, t.sigBlockedLo, t.sigBlockedHi);
    d.charge(d.costs.threadCreate);
    d.table.makeReady(nt, EnqueueReason.NEW);
    return nt;
  }

  /**
   * Ends thread `t` alone; the last live thread's exit ends the process with
   * `code & 255` (as exit does). Returns {@link NO_RESULT}.
   */
  exitThread(t: Thread, code: number): number {
    const p = t.process;
    if (p.liveThreads <= 1) return this.exit(t, code);
    this.#threadEnds(p.personality as Personality | null, t);
    this.#d.table.retireThread(t);
    return NO_RESULT;
  }

  /** Runs the personality's onThreadExit for `t` (a throw is logged). */
  #threadEnds(pers: Personality | null, t: Thread): void {
    if (pers?.onThreadExit === undefined) return;
    try {
      pers.onThreadExit(t);
    } catch (e) {
      this.#d.log(`onThreadExit threw: ${errorText(e)}`);
    }
  }

  /** exit: terminates the process of `t` with `code & 255`. */
  exit(t: Thread, code: number): number {
    this.terminate(t.process, code & 0xff, 0, false);
    return NO_RESULT;
  }

  /**
   * Ends `p`: the personality's onThreadExit for each live thread and its
   * onExit, descriptors closed, memory freed,
   * zombie, parent notified (or reaped at once when the parent ignores
   * SIGCHLD). Init's end halts the machine.
   */
  terminate(p: Process, code: number, sig: number, core: boolean): void {
    if (p.state === TaskState.ZOMBIE) return;
    const d = this.#d;
    const pers = p.personality as Personality | null;
    if (pers !== null) {
      for (const t of [...p.threads]) {
        if (t.state !== TaskState.ZOMBIE) this.#threadEnds(pers, t);
      }
      try {
        pers.onExit?.(p);
      } catch (e) {
        d.log(`onExit threw: ${errorText(e)}`);
      }
    }
    this.#release(p);
    p.exitCode = code & 0xff;
    p.termSignal = sig;
    p.coreDumped = core;
    const orphanZombies = p.children.filter((c) => c.state === TaskState.ZOMBIE);
    d.table.zombify(p);
    this.#reapAdopted(orphanZombies);
    if (pers !== null) {
      const o = d.personalities.ownerOf(pers);
      if (o !== null) d.moduleRef(o, false);
    }
    if (sig !== 0 && p !== d.table.init) {
      d.log(`pid ${p.pid} (${p.comm}) killed by SIG${SIGNAL_NAMES[sig]}${core ? " (core)" : ""}`);
    }
    // strace's last line for a process a signal killed (after its own call's line when it
    // killed itself: the trap handler prints that one).
    if (sig !== 0 && d.trace && d.table.current?.process !== p) d.trace(killedLine(p));
    if (p === d.table.init) {
      d.halt(sig !== 0 ? 128 + sig : code & 0xff, "init-exit", `init exited`);
      return;
    }
    this.#notifyParent(p, code, sig, core);
  }

  /** Frees what a zombie no longer needs: descriptors and memory. */
  #release(p: Process): void {
    (p.files as FdTable | null)?.closeAll();
    p.files = null;
    const sp = p.space as AddressSpace | null;
    p.space = null;
    p.memory = NO_MEMORY;
    if (sp !== null) {
      sp.destroy();
      this.#d.invalidateSpace();
    }
  }

  /**
   * Reaps zombies just handed to init when init ignores SIGCHLD (as Linux's
   * reparenting does): init would never wait for them (a Win32 smss, say).
   */
  #reapAdopted(zombies: Process[]): void {
    const init = this.#d.table.init;
    if (init === null || zombies.length === 0) return;
    const chld = init.sigActions[SIG.CHLD];
    if (chld.handler !== SIG_IGN && (chld.flags & SA.NOCLDWAIT) === 0) return;
    for (const z of zombies) if (z.parent === init) this.#d.table.reap(z);
  }

  #notifyParent(p: Process, code: number, sig: number, core: boolean): void {
    const d = this.#d;
    const parent = p.parent;
    const cld = sig === 0 ? CLD.EXITED : core ? CLD.DUMPED : CLD.KILLED;
    if (parent === null) {
      d.table.reap(p);
      return;
    }
    const chld = parent.sigActions[SIG.CHLD];
    const autoReap = chld.handler === SIG_IGN || (chld.flags & SA.NOCLDWAIT) !== 0;
    d.signals.notifyParent(p, cld, sig === 0 ? code & 0xff : sig);
    if (autoReap) {
      parent.childUserCycles += userCycles(p);
      parent.childSystemCycles += systemCycles(p);
      d.table.reap(p);
    }
  }

  /** wait4/waitid for a child of `t.process` (see `KernelApi.wait`). */
  wait(t: Thread, pid: number, options: number): WaitRecord | number {
    const p = t.process;
    let opts = options;
    if ((opts & (WAIT.EXITED | WAIT.STOPPED | WAIT.CONTINUED)) === 0) opts |= WAIT.EXITED;
    let found = false;
    for (const c of p.children) {
      if (pid > 0 && c.pid !== pid) continue;
      if (pid === 0 && c.pgid !== p.pgid) continue;
      if (pid < -1 && c.pgid !== -pid) continue;
      found = true;
      const rec = this.#report(p, c, opts);
      if (rec !== null) return rec;
    }
    if (!found) return K.CHILD;
    if ((opts & WAIT.NOHANG) !== 0) return 0;
    return this.#d.block(t, this.#d.table.childEvents(p) as WaitQueue);
  }

  /** The state change of child `c` that `opts` asks for, consumed unless NOWAIT; else null. */
  #report(p: Process, c: Process, opts: number): WaitRecord | null {
    if (c.state === TaskState.ZOMBIE) {
      if ((opts & WAIT.EXITED) === 0) return null;
      const rec = exitRecord(c);
      if ((opts & WAIT.NOWAIT) === 0) {
        p.childUserCycles += rec.userCycles;
        p.childSystemCycles += rec.systemCycles;
        this.#d.table.reap(c);
      }
      return rec;
    }
    if ((opts & WAIT.STOPPED) !== 0 && c.state === TaskState.STOPPED && c.stopReportPending) {
      if ((opts & WAIT.NOWAIT) === 0) c.stopReportPending = false;
      return changeRecord(c.pid, WaitKind.STOPPED, c.stopSignal, (c.stopSignal << 8) | 0x7f);
    }
    if ((opts & WAIT.CONTINUED) !== 0 && c.continueReportPending) {
      if ((opts & WAIT.NOWAIT) === 0) c.continueReportPending = false;
      return changeRecord(c.pid, WaitKind.CONTINUED, SIG.CONT, 0xffff);
    }
    return null;
  }
}

/** The record of a zombie: exit code or signal, and its cycles with its reaped children's. */
export function exitRecord(c: Process): WaitRecord {
  const killed = c.termSignal !== 0;
  return {
    pid: c.pid,
    kind: killed ? WaitKind.KILLED : WaitKind.EXITED,
    code: killed ? 0 : c.exitCode,
    signal: c.termSignal,
    core: c.coreDumped,
    status: killed ? (c.termSignal | (c.coreDumped ? 0x80 : 0)) : (c.exitCode & 0xff) << 8,
    userCycles: userCycles(c) + c.childUserCycles,
    systemCycles: systemCycles(c) + c.childSystemCycles,
  };
}

function changeRecord(pid: number, kind: number, signal: number, status: number): WaitRecord {
  return { pid, kind, code: 0, signal, core: false, status, userCycles: 0, systemCycles: 0 };
}
