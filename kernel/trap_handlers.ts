/**
 * The kernel's answers to the trap loop (`TrapHooks` of
 * `kernel/proc/trap_loop.ts`): what an ecall, a fault, an interrupt, an idle
 * CPU or a deadlock becomes.
 *
 * - system calls: indexed in the process's personality table; a missing
 *   entry asks the personality's `missing` hook (default ENOSYS's status);
 *   a handler that throws kills its process, never the host;
 * - page faults: the address space resolves demand-zero and copy-on-write;
 *   out of memory runs the OOM killer; anything else is the personality's
 *   `onFault` (Unix sends a signal);
 * - other exceptions: the personality's `onFault`;
 * - external interrupts: the interrupt service;
 * - idle and deadlock: host pacing, console input, end-of-input actions.
 *
 * This object is not the plugins' `api`: it is handed to the trap loop only.
 *
 * @module
 */

import { killedLine } from "./exec/lifecycle.ts";
import { RLIMIT } from "./proc/rlimits.ts";
import { CAUSE } from "../hw/csr.ts";
import type { Machine } from "../hw/machine.ts";
import { BLOCK, type KernelApi, NO_RESULT, type Personality } from "./api.ts";
import { errorText, K, statusName } from "./errors.ts";
import type { HostInput } from "./fs/host_stream.ts";
import type { InterruptService } from "./io/interrupts.ts";
import { SIG } from "./ipc/signal_numbers.ts";
import { SI, type SignalEngine } from "./ipc/signals.ts";
import { Access, type AddressSpace, FaultResult } from "./mm/address_space.ts";
import type { WaitQueue } from "./ipc/wait_queue.ts";
import type { OwnedList } from "./modules/registry.ts";
import type { KernelCosts } from "./proc/costs.ts";
import { type Process, TaskState, type Thread } from "./proc/process.ts";
import type { TraceRecorder } from "./proc/trace.ts";
import type { TrapHooks, TrapLoop } from "./proc/trap_loop.ts";

/** The loop before {@link TrapHandlers.attach}: no trace recorder. */
const NO_LOOP: { readonly trace: TraceRecorder | null } = { trace: null };

/** Most end-of-input actions run before a stall is reported as a deadlock. */
const MAX_EOF_INJECTIONS = 16;

/** What the trap handlers need from the kernel. */
export interface TrapHandlerDeps {
  /** The machine (clock, console). */
  readonly machine: Machine;
  /** The API handed to system-call handlers. */
  readonly api: KernelApi;
  /** Cost table (trace timestamps). */
  readonly costs: KernelCosts;
  /** The signal engine. */
  readonly signals: SignalEngine;
  /** The PLIC's S context. */
  readonly interrupts: InterruptService;
  /** Actions for when console input has ended and everything waits. */
  readonly eofHandlers: OwnedList<() => void>;
  /** One line per system call when set (strace-like). */
  readonly trace: ((line: string) => void) | null;
  /** Pace idle time to host time. */
  readonly realtimeIdle: boolean;
  /** Host streams guests may be waiting on, besides the console. */
  readonly hostInputs: readonly HostInput[];
  /** Kills a process (exit by signal, core dump flag). */
  terminate(t: Thread, sig: number, core: boolean): void;
  /** Ends the run. */
  halt(status: number, reason: string, detail: string): void;
  /** Kernel log. */
  log(line: string): void;
  /** The queue a file system asked the caller to wait on (`waitForIo`), consumed. */
  takeIoWait(): WaitQueue | null;
}

/** A call of `t` finished (not parked): its restart state is cleared. */
function finished(t: Thread): void {
  t.restartState = -1;
  t.partialResult = -1;
  t.noRestart = false;
}

/** The kernel's {@link TrapHooks}. */
export class TrapHandlers implements TrapHooks {
  readonly #d: TrapHandlerDeps;
  readonly #traceA = new Int32Array(3);
  // Threads whose traced call blocked, with its number (for `<... resumed>`).
  readonly #unfinished = new WeakMap<Thread, number>();
  // Threads whose recorded call blocked: when the wait began (one span for the whole call).
  readonly #blockedSince = new WeakMap<Thread, number>();
  #loop: { readonly trace: TraceRecorder | null } = NO_LOOP;
  // The loop's recorder, read at each use: the monitor may attach one while the machine runs.
  get #rec(): TraceRecorder | null {
    return this.#loop.trace;
  }
  #hostErrors = 0;
  #nudges = 0;
  #eofInjections = 0;
  readonly #oomVictims = new Set<Process>();
  readonly #cpuWarnAt = new WeakMap<Process, number>();
  /** Processes the OOM killer has killed. */
  oomKills = 0;

  /** Creates the handlers; {@link attach} connects them to their loop. */
  constructor(deps: TrapHandlerDeps) {
    this.#d = deps;
  }

  /** Connects the loop these handlers serve (built after them): its trace recorder. */
  attach(loop: TrapLoop): void {
    this.#loop = loop;
  }

  /**
   * Dispatches a system call through the process's personality table. The
   * status constants it tests on every call are literals (named in
   * comments): a module constant costs a load and a hole check in V8's
   * optimized code, and `K.RESTART` a map check and a field load besides.
   * The untraced path is kept small (V8 inlines functions of up to 460
   * bytes of bytecode): the loop's fast system call path then runs it
   * without a call of its own.
   */
  syscall(t: Thread): void {
    t.restartPc = (t.pc - 4) >>> 0;
    t.interrupted = false;
    if (this.#d.trace !== null || this.#loop.trace !== null) {
      this.#tracedSyscall(t);
      return;
    }
    this.#complete(t, this.#call(t));
  }

  /** {@link syscall} with the strace line or the recorder's span. */
  #tracedSyscall(t: Thread): void {
    const d = this.#d;
    const pers = t.process.personality as Personality;
    const num = t.regs[17];
    this.#traceA[0] = t.regs[10];
    this.#traceA[1] = t.regs[11];
    this.#traceA[2] = t.regs[12];
    const t0 = d.machine.clock.now - d.costs.trap - d.costs.syscall;
    const entry = pers.decoder !== undefined ? this.#enter(t, pers, num) : null;
    let r = this.#call(t);
    if (r === -0x1_0000_0002 /* KILLED */) return;
    if (r === -202 /* K.RESTART */) r = this.#parkForIo(t);
    this.#traced(t, pers, num, r, t0, entry);
    // A traced call that blocks restarts, so that its resumed line and span come from the rerun.
    if (r === -0x1_0000_0000 /* BLOCK */) t.parkedCall = null;
    this.#complete(t, r);
  }

  /**
   * Runs the handler of the call in `a7`; its result, or KILLED
   * (-0x1_0000_0002) when it threw and the caller was killed for it.
   */
  #call(t: Thread): number {
    const pers = t.process.personality as Personality;
    const num = t.regs[17];
    const h = pers.syscalls[num];
    try {
      if (h !== undefined) return h(t, this.#d.api);
      return pers.missing !== undefined ? pers.missing(t, num) : -38; // K.NOSYS
    } catch (e) {
      this.#killedByHostError(t, e, `system call ${pers.syscallNames[num] ?? num}`);
      return -0x1_0000_0002; // KILLED
    }
  }

  /**
   * Ends a call with result `r`: a result (0 or more, most calls: tested
   * first, as the special values past 2^31 are compared as doubles), a
   * restart once a device is ready, parked for a restart, no result, or an
   * error status mapped into `a0`.
   */
  #complete(t: Thread, r: number): void {
    if (r >= 0) {
      finished(t);
      t.regs[10] = r;
      return;
    }
    if (r === -202 /* K.RESTART */) r = this.#parkForIo(t);
    if (r === -0x1_0000_0002 /* KILLED */) return;
    if (r === -0x1_0000_0000 /* BLOCK */) {
      t.pc = t.restartPc;
      return;
    }
    finished(t);
    if (r === -0x1_0000_0001 /* NO_RESULT */) return;
    t.regs[10] = r >= -4095 ? (t.process.personality as Personality).mapStatus(r) : r;
  }

  /** A call that must wait for a device: park on the queue it named, restart when woken. */
  #parkForIo(t: Thread): number {
    const q = this.#d.takeIoWait();
    if (q === null) {
      this.#d.log(`pid ${t.process.pid}: K.RESTART without a queue to wait on; answering EIO`);
      return K.IO;
    }
    return this.#d.api.block(t, q);
  }

  /** The decoded entry arguments (a decoder that throws must not kill the caller). */
  #enter(t: Thread, pers: Personality, num: number): (string | null)[] | null {
    try {
      return pers.decoder!.enter(t, num, this.#d.api);
    } catch (e) {
      this.#d.log(`syscall decoder threw: ${errorText(e)}`);
      return null;
    }
  }

  /**
   * One strace line: the whole call, or `<unfinished ...>` when it blocks
   * (once per wait) and `<... NAME resumed>` when it completes after that.
   */
  #straceLine(
    t: Thread,
    pers: Personality,
    num: number,
    r: number,
    entry: (string | null)[],
  ): string | null {
    const name = pers.syscallNames[num] ?? `syscall_${num}`;
    const prefix = `[pid ${t.process.pid}] `;
    const cut = entry.indexOf(null) < 0 ? entry.length : entry.indexOf(null);
    const shown = (args: (string | null)[]) => args.filter((a) => a !== "").join(", ");
    if (r === BLOCK) {
      if (this.#unfinished.get(t) === num) return null;
      this.#unfinished.set(t, num);
      const head = shown(entry.slice(0, cut));
      return `${prefix}${name}(${head}${head === "" ? "" : ", "} <unfinished ...>`;
    }
    let out: { args: string[]; result: string };
    try {
      out = pers.decoder!.exit(t, num, entry, r, this.#d.api);
    } catch (e) {
      this.#d.log(`syscall decoder threw: ${errorText(e)}`);
      return null;
    }
    if (this.#unfinished.get(t) === num) {
      this.#unfinished.delete(t);
      return `${prefix}<... ${name} resumed>${shown(out.args.slice(cut))}) = ${out.result}`;
    }
    return `${prefix}${name}(${shown(out.args)}) = ${out.result}`;
  }

  #traced(
    t: Thread,
    pers: Personality,
    num: number,
    r: number,
    t0: number,
    entry: (string | null)[] | null,
  ): void {
    const d = this.#d;
    const name = pers.syscallNames[num] ?? `syscall_${num}`;
    const a = this.#traceA;
    if (d.trace !== null && entry !== null) {
      const line = this.#straceLine(t, pers, num, r, entry);
      if (line !== null) d.trace(line);
      const p = t.process;
      if (p.state === TaskState.ZOMBIE && p.termSignal !== 0) d.trace(killedLine(p));
      // strace's last line for a process that exits by itself.
      if (r === NO_RESULT && name === "exit_group") {
        d.trace(`[pid ${t.process.pid}] +++ exited with ${a[0] & 0xff} +++`);
      }
    } else if (d.trace !== null) {
      const res = r === BLOCK
        ? "<blocked>"
        : r === NO_RESULT
        ? "<no result>"
        : r < 0 && r >= -4095
        ? `${r} ${statusName(r)}`
        : String(r);
      const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;
      d.trace(`${t.process.pid} ${name}(${hex(a[0])}, ${hex(a[1])}, ${hex(a[2])}) = ${res}`);
    }
    if (this.#rec !== null) this.#recordSpan(t, pers, num, r, t0, entry);
  }

  /**
   * The Chrome-trace span of a call: a call that blocks becomes one span from
   * its first entry to its completion, marked `blocked`; arguments decoded
   * when the personality has a decoder.
   */
  #recordSpan(
    t: Thread,
    pers: Personality,
    num: number,
    r: number,
    t0: number,
    entry: (string | null)[] | null,
  ): void {
    const d = this.#d;
    if (r === BLOCK) {
      if (!this.#blockedSince.has(t)) this.#blockedSince.set(t, t0);
      return;
    }
    const since = this.#blockedSince.get(t);
    this.#blockedSince.delete(t);
    const name = pers.syscallNames[num] ?? `syscall_${num}`;
    const args: Record<string, string | number | boolean> = {};
    if (entry !== null && pers.decoder !== undefined) {
      try {
        const out = pers.decoder.exit(t, num, entry, r, d.api);
        args.args = out.args.filter((x) => x !== "").join(", ");
        args.result = out.result;
      } catch {
        args.result = r;
      }
    } else {
      args.a0 = this.#traceA[0];
      args.result = r === NO_RESULT ? "-" : r;
    }
    if (since !== undefined) args.blocked = true;
    this.#rec!.complete(
      name,
      "syscall",
      t.process.pid,
      t.tid,
      since ?? t0,
      d.machine.clock.now,
      args,
    );
  }

  /** Resolves a page fault, or kills on exhausted memory, or hands it to the personality. */
  pageFault(t: Thread, cause: number, addr: number): void {
    const p = t.process;
    const sp = p.space as AddressSpace | null;
    if (sp === null) return;
    const access = cause === CAUSE.FETCH_PAGE_FAULT
      ? Access.EXEC
      : cause === CAUSE.LOAD_PAGE_FAULT
      ? Access.READ
      : Access.WRITE;
    p.pageFaults++;
    const r = sp.handleFault(addr, access);
    if (r === FaultResult.OK) return;
    if (r === FaultResult.NOMEM) {
      this.#outOfMemory(t);
      return;
    }
    this.#fault(t, cause, addr, r === FaultResult.MAPERR);
  }

  /**
   * The OOM killer, as Linux's: while an earlier victim is still dying the
   * faulting thread waits for its memory (it gives up the CPU and faults
   * again); otherwise the process with the highest badness (resident pages)
   * other than init is killed with SIGKILL and logged as `Out of memory:
   * Killed process N (name)`. The faulting process is the victim only when
   * nothing else can be.
   */
  #outOfMemory(t: Thread): void {
    const d = this.#d;
    for (const v of this.#oomVictims) {
      if (v.state !== TaskState.ZOMBIE && d.api.getProcess(v.pid) === v) {
        d.api.yield(t);
        return;
      }
      this.#oomVictims.delete(v);
    }
    const victim = this.#oomVictim() ?? t.process;
    const sp = victim.space as AddressSpace | null;
    const kb = (bytes: number) => Math.floor(bytes / 1024);
    d.log(
      `Out of memory: Killed process ${victim.pid} (${victim.comm}) total-vm:${
        kb(sp?.vsize ?? 0)
      }kB, anon-rss:${(sp?.resident ?? 0) * 4}kB, file-rss:0kB, shmem-rss:0kB, UID:${victim.uid}`,
    );
    this.#oomVictims.add(victim);
    this.oomKills++;
    d.signals.send(victim, SIG.KILL, 0, SI.KERNEL);
    if (victim !== t.process) d.api.yield(t);
  }

  /** The live process other than init with the most resident pages (the lowest pid on a tie). */
  #oomVictim(): Process | null {
    let best: Process | null = null, bestScore = -1;
    for (const p of this.#d.api.processes()) {
      if (p.pid === 1 || p.state === TaskState.ZOMBIE) continue;
      const sp = p.space as AddressSpace | null;
      if (sp === null) continue;
      if (sp.resident > bestScore || (sp.resident === bestScore && p.pid < best!.pid)) {
        best = p;
        bestScore = sp.resident;
      }
    }
    return best;
  }

  /**
   * RLIMIT_CPU, checked when a thread uses up its time slice: from the soft
   * limit on, SIGXCPU once per CPU second; at the hard limit, SIGKILL.
   */
  sliceExpired(t: Thread): void {
    const p = t.process;
    const soft = p.rlimits.soft[RLIMIT.CPU], hard = p.rlimits.hard[RLIMIT.CPU];
    if (soft === Infinity && hard === Infinity) return;
    let cycles = 0;
    for (const th of p.threads) cycles += th.userCycles + th.systemCycles;
    const seconds = cycles / this.#d.machine.clock.frequency;
    if (seconds >= hard) {
      this.#d.signals.send(p, SIG.KILL, 0, SI.KERNEL);
      return;
    }
    if (seconds < soft) return;
    const next = this.#cpuWarnAt.get(p) ?? soft;
    if (seconds < next) return;
    this.#cpuWarnAt.set(p, Math.floor(seconds) + 1);
    this.#d.signals.send(p, SIG.XCPU, 0, SI.KERNEL);
  }

  /** Any other synchronous exception: the personality decides. */
  exception(t: Thread, cause: number, tval: number): void {
    this.#fault(t, cause, tval, false);
  }

  /** A fault the kernel cannot resolve: the personality's onFault, else the process is killed. */
  #fault(t: Thread, cause: number, addr: number, unmapped: boolean): void {
    const pers = t.process.personality as Personality | null;
    if (pers?.onFault === undefined) {
      this.#d.signals.send(t.process, SIG.KILL, 0, SI.KERNEL);
      return;
    }
    try {
      pers.onFault(t, cause, addr, unmapped);
    } catch (e) {
      this.#killedByHostError(t, e, "fault handling");
    }
  }

  /** Claims and dispatches pending PLIC interrupts. */
  externalInterrupt(): void {
    this.#nudges = 0;
    this.#d.interrupts.dispatch();
  }

  /** Delivers pending signals before a return to user mode. */
  deliverSignals(t: Thread): void {
    this.#d.signals.deliver(t);
  }

  /** A host exception escaped the trap handling. */
  hostError(t: Thread | null, error: unknown): void {
    if (t !== null && t.process.state !== TaskState.ZOMBIE) {
      this.#killedByHostError(t, error, "trap handling");
      return;
    }
    this.#d.log(`kernel error while idle: ${errorText(error)}`);
    if (++this.#hostErrors > 100) this.#d.halt(70, "error", "too many kernel errors");
  }

  #killedByHostError(t: Thread, e: unknown, where: string): void {
    const p = t.process;
    this.#d.log(`kernel error in ${where} of pid ${p.pid} (${p.comm}): ${errorText(e)}; killed`);
    if (++this.#hostErrors > 1000) {
      this.#d.halt(70, "error", "too many kernel errors");
      return;
    }
    this.#d.terminate(t, SIG.SYS, true);
  }

  /** Interactive pacing of idle time: waits host time for simulated idle time. */
  paceIdle(cycles: number): Promise<number> | null {
    if (!this.#d.realtimeIdle) return null;
    const c = this.#d.machine.console;
    const freq = this.#d.machine.clock.frequency;
    const ms = (cycles / freq) * 1000;
    if (ms < 1 || c.hasInput()) return null;
    const start = performance.now();
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(Math.floor(((performance.now() - start) / 1000) * freq));
      };
      const timer = setTimeout(finish, Math.min(ms, 0x7fff_ffff));
      this.#hostEvents(c.inputClosed ? null : c.waitForInput())?.then(finish);
    });
  }

  /** The next event of any open host stream, raced with `console` (null: none can come). */
  #hostEvents(console: Promise<void> | null): Promise<void> | null {
    const waits: Promise<void>[] = console === null ? [] : [console];
    for (const h of this.#d.hostInputs) if (!h.ended) waits.push(h.nextEvent());
    if (waits.length === 0) return null;
    return waits.length === 1 ? waits[0] : Promise.race(waits);
  }

  /**
   * Idle with nothing pending: wait for console or host-stream input if it
   * can still come. With `realtimeIdle` the wait's host time becomes
   * simulated time (a live clock at an idle prompt, as `sleep` paces itself).
   */
  waitForHost(): Promise<number> | null {
    const wait = this.#hostWait();
    if (wait === null) return null;
    if (!this.#d.realtimeIdle) return wait.then(() => 0);
    const start = performance.now();
    const freq = this.#d.machine.clock.frequency;
    return wait.then(() => Math.floor(((performance.now() - start) / 1000) * freq));
  }

  #hostWait(): Promise<void> | null {
    const c = this.#d.machine.console;
    if (c.inputClosed) return this.#hostEvents(null);
    if (c.hasInput()) {
      // Input is there but the UART has not taken it: nudge it through its
      // callback. If that never leads to an interrupt, nothing can change.
      if (++this.#nudges > 1000) return null;
      c.onInput?.();
      return new Promise((r) => setTimeout(r, 1));
    }
    return this.#hostEvents(c.waitForInput());
  }

  /**
   * Every thread blocked and nothing can wake one. If console input has
   * ended and a driver registered an end-of-input action (the console turns
   * it into ^D), that runs first, a bounded number of times; otherwise
   * report and halt.
   */
  deadlock(blocked: Thread[]): boolean {
    const d = this.#d;
    if (
      d.machine.console.inputClosed && d.eofHandlers.length > 0 &&
      this.#eofInjections < MAX_EOF_INJECTIONS
    ) {
      this.#eofInjections++;
      for (const h of d.eofHandlers.values()) {
        try {
          h();
        } catch (e) {
          d.log(`end-of-input handler threw: ${errorText(e)}`);
        }
      }
      return true;
    }
    const lines = blocked.map((t) =>
      `  pid ${t.process.pid} (${t.process.comm}) blocked on ${t.parkedOn?.name ?? "?"}`
    );
    const detail = blocked.length === 0
      ? "no runnable process and nothing pending"
      : `all processes are blocked and nothing can wake them:\n${lines.join("\n")}`;
    d.log(`deadlock: ${detail}`);
    d.halt(125, "deadlock", detail); // 125: a deadlock (124 is a time limit)
    return false;
  }
}
