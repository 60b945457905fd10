/**
 * The kernel's construction: one builder per service, each wiring the
 * service to the others through small callbacks. `Kernel`'s constructor
 * calls them in dependency order and owns what they return.
 *
 * - {@link KernelParts}: what a builder reaches of the kernel being built.
 *   A callback reads a service only when it is called, so a service may
 *   call one built after it (the signal engine ends processes through the
 *   lifecycle, the loader registers through the registrations);
 * - the builders, in the constructor's order: signals, futexes, block
 *   layer, module loader and calls, registrations, /proc, the VFS, storage,
 *   exec, lifecycle, trap handlers, trap loop;
 * - {@link initCpu}: the delegation and counter CSRs for a host kernel in S-mode.
 *
 * @module
 */

import { CSR, MENVCFGH } from "../hw/csr.ts";
import { MIP } from "../hw/irq.ts";
import type { Machine } from "../hw/machine.ts";
import type { Personality } from "./api.ts";
import { K } from "./errors.ts";
import { ExecService } from "./exec/exec_service.ts";
import { ProcessLifecycle, systemCycles, userCycles } from "./exec/lifecycle.ts";
import type { ProcInfoProvider } from "./fs/procfs.ts";
import { createProcProvider } from "./fs/proc_provider.ts";
import { RamFs } from "./fs/ramfs.ts";
import { Vfs } from "./fs/vfs.ts";
import { BlockLayer } from "./block/block_layer.ts";
import type { InterruptService } from "./io/interrupts.ts";
import { FutexTable } from "./ipc/futex.ts";
import { SignalEngine, type SignalInfo } from "./ipc/signals.ts";
import { WaitQueue } from "./ipc/wait_queue.ts";
import type { MmContext } from "./mm/address_space.ts";
import { AsidAllocator } from "./mm/asid.ts";
import { DmaBufferPool } from "./mm/dma_buffers.ts";
import { ModuleLoader } from "./modules/loader.ts";
import { type GuestModuleCalls, ModuleCalls } from "./modules/module_calls.ts";
import { moduleLines } from "./modules/module_names.ts";
import type { KernelCosts } from "./proc/costs.ts";
import type { FifoPolicy } from "./proc/fifo_policy.ts";
import { HostWork } from "./proc/host_work.ts";
import type { Process, SigAction, Thread } from "./proc/process.ts";
import { spinWait } from "./proc/spin_wait.ts";
import type { Timekeeping } from "./proc/timekeeping.ts";
import { type CpuPort, TrapLoop } from "./proc/trap_loop.ts";
import type { Kernel } from "./kernel.ts";
import { KERNEL_RELEASE, type KernelOptions } from "./kernel_types.ts";
import { Registrations } from "./registrations.ts";
import { StorageCalls } from "./storage_calls.ts";
import { TrapHandlers } from "./trap_handlers.ts";

/**
 * What the builders reach of the kernel under construction: its public
 * face, and its private services through getters (read when a callback runs).
 */
export interface KernelParts {
  /** The kernel being built. */
  readonly kernel: Kernel;
  /** Cycle costs of kernel work. */
  readonly costs: KernelCosts;
  /** Simulated time. */
  time(): Timekeeping;
  /** The PLIC service. */
  irq(): InterruptService;
  /** What modules registered. */
  reg(): Registrations;
  /** Program loading. */
  exec(): ExecService;
  /** Process creation, exit and wait. */
  life(): ProcessLifecycle;
  /** Ends the run with a status, a reason and a detail. */
  halt(status: number, reason: string, detail: string): void;
  /** Takes the queue a file system asked to wait on (null: none). */
  takeIoWait(): WaitQueue | null;
}

function moduleRef(k: Kernel, owner: string, take: boolean): void {
  if (take) k.modules.ref(owner);
  else k.modules.unref(owner);
}

/** What every exec/lifecycle service needs: costs, charging, the space cache, refs, the log. */
function serviceDeps(w: KernelParts) {
  const k = w.kernel;
  return {
    costs: w.costs,
    charge: (c: number) => k.loop.charge(c),
    invalidateSpace: () => k.loop.invalidateSpace(),
    moduleRef: (owner: string, take: boolean) => moduleRef(k, owner, take),
    log: (l: string) => k.log(l),
  };
}

/** Signal generation and delivery; delivery to a handler goes to the process's personality. */
export function newSignalEngine(w: KernelParts): SignalEngine {
  const k = w.kernel;
  return new SignalEngine(k.table, {
    terminate: (p, sig, core) => w.life().terminate(p, 0, sig, core),
    deliverToHandler: (t, sig, act, info) => deliverToHandler(k, t, sig, act, info),
    interruptedResult: (t) => {
      // The call ends here: its restart scratch must not leak into the next call.
      const partial = t.partialResult;
      t.restartState = -1;
      t.partialResult = -1;
      return partial >= 0 ? partial : mapStatus(t.process, K.INTR);
    },
    charge: (c) => k.loop.charge(c),
    deliveryCost: w.costs.signalDelivery,
  });
}

function deliverToHandler(
  k: Kernel,
  t: Thread,
  sig: number,
  act: SigAction,
  info: SignalInfo,
): boolean {
  const pers = t.process.personality as Personality | null;
  if (pers === null) return false;
  try {
    return pers.deliverSignal(t, sig, act, info);
  } catch (e) {
    k.log(
      `deliverSignal threw for pid ${t.process.pid}: ${e instanceof Error ? e.message : e}`,
    );
    return false;
  }
}

function mapStatus(p: Process, status: number): number {
  const pers = p.personality as Personality | null;
  return pers === null ? status : pers.mapStatus(status);
}

/** The futex table, parking through the process table and waking on deadlines. */
export function newFutexTable(w: KernelParts): FutexTable {
  const k = w.kernel;
  return new FutexTable({
    park: (t, place) => k.table.park(t, place),
    wake: (t) => k.table.wakeThread(t),
    armWake: (t, ns) => w.time().armWake(t, ns),
    nowNs: () => w.time().nowNs(),
  });
}

/** Disks, partitions and the buffer cache. */
export function newBlockLayer(w: KernelParts, options: KernelOptions): BlockLayer {
  const k = w.kernel;
  return new BlockLayer({
    devices: k.charDevices,
    nowNs: () => w.time().nowNs(),
    waitForIo: (q) => k.waitForIo(q),
    log: (l) => k.log(l),
    currentTid: () => k.table.current?.tid ?? 0,
    callEpoch: () => k.loop?.stats.syscalls ?? 0,
    threadParked: (tid) => (k.table.thread(tid)?.parkedOn ?? null) !== null,
    startTimer: (ns, cb) => w.time().startTimer(ns, cb, null),
    moduleRef: (owner, take) => moduleRef(k, owner, take),
  }, { cacheBytes: options.blockCacheBytes, elevator: options.blockElevator });
}

/** The module loader. */
export function newLoader(w: KernelParts): ModuleLoader {
  const k = w.kernel;
  return new ModuleLoader({
    bus: k.machine.bus,
    setIrqHandler: (irq, h) => w.irq().setHandler(irq, h),
    registrar: (owner) => w.reg().registrar(owner),
    dropRegistrations: (name) => w.reg().drop(name),
    holdRegistrations: (name) => w.reg().hold(name),
    settleRegistrations: (from, to) => w.reg().settle(from, to),
    log: (msg) => k.log(msg),
    runHostWork: (work) => k.hostWork.background(work),
    spendCycles: (c) => k.loop.charge(c),
    spinWait: (cond, poll, max) =>
      spinWait(k.machine.clock, (c) => k.loop.charge(c), cond, poll, max),
  });
}

/** Host work system calls wait for (module loads). */
export function newHostWork(w: KernelParts): HostWork<WaitQueue> {
  const k = w.kernel;
  return new HostWork<WaitQueue>({
    newQueue: (name) => new WaitQueue(name),
    block: (t, q) => k.block(t, q),
    wakeAll: (q) => q.wakeAll(),
  });
}

/** Module management for the guest, searching `dirs` by name. */
export function newModuleCalls(w: KernelParts, dirs: readonly URL[]): GuestModuleCalls {
  const k = w.kernel;
  return new ModuleCalls(
    k.modules,
    k.hostWork as HostWork<unknown>,
    () => dirs,
    (line) => k.log(line),
  );
}

/** The owner-tagged registrations of modules. */
export function newRegistrations(w: KernelParts, fallbackPolicy: FifoPolicy): Registrations {
  const k = w.kernel;
  return new Registrations({
    charDevices: k.charDevices,
    table: k.table,
    fallbackPolicy,
    time: w.time(),
    moduleRef: (owner, take) => moduleRef(k, owner, take),
    dmaBuffers: new DmaBufferPool(k.frames),
    consoleSize: () => k.machine.console.size?.() ?? null,
    block: k.blockLayer,
  });
}

/** The file tree: `options.buildFs`, or one ramfs root. */
export function newVfs(w: KernelParts, options: KernelOptions): Vfs {
  const k = w.kernel;
  const now = () => w.time().realtimeNs();
  return options.buildFs
    ? options.buildFs({
      charDevices: k.charDevices,
      proc: k.procInfo,
      block: k.blockLayer,
      now,
    })
    : new Vfs({ root: new RamFs({ now }), charDevices: k.charDevices });
}

/** Mount, root mount, umount, block device opens and sync. */
export function newStorageCalls(w: KernelParts): StorageCalls {
  const k = w.kernel;
  return new StorageCalls({
    vfs: k.vfs,
    blocks: k.blockLayer,
    reg: w.reg(),
    realtimeNs: () => w.time().realtimeNs(),
    processes: () => k.table.list(),
    waitForIo: (q) => k.waitForIo(q),
  });
}

/** Program loading. */
export function newExecService(w: KernelParts): ExecService {
  const k = w.kernel;
  return new ExecService({
    ...serviceDeps(w),
    vfs: k.vfs,
    personalities: w.reg().personalities,
    mm: mmContext(w),
    resetFp: (t) => k.loop.fp.reset(t),
  });
}

/** Process creation, exit and wait. */
export function newLifecycle(w: KernelParts, options: KernelOptions): ProcessLifecycle {
  const k = w.kernel;
  return new ProcessLifecycle({
    ...serviceDeps(w),
    trace: options.trace ?? null,
    table: k.table,
    vfs: k.vfs,
    maxFds: k.maxFds,
    clock: k.machine.clock,
    signals: k.signals,
    exec: w.exec(),
    personalities: w.reg().personalities,
    block: (t, q) => k.block(t, q),
    copyFp: (parent, child) => k.loop.fp.copy(parent, child),
    halt: (s, r, d) => w.halt(s, r, d),
  });
}

/** What traps become (given to the trap loop only). */
export function newTrapHandlers(w: KernelParts, options: KernelOptions): TrapHandlers {
  const k = w.kernel;
  return new TrapHandlers({
    machine: k.machine,
    api: k,
    costs: w.costs,
    signals: k.signals,
    interrupts: w.irq(),
    eofHandlers: w.reg().eofHandlers,
    trace: options.trace ?? null,
    realtimeIdle: options.realtimeIdle ?? false,
    hostInputs: k.hostInputs,
    terminate: (t, sig, core) => w.life().terminate(t.process, 0, sig, core),
    halt: (s, r, d) => w.halt(s, r, d),
    log: (l) => k.log(l),
    takeIoWait: () => w.takeIoWait(),
  });
}

/** The main loop over `cpu`, calling `hooks` for every trap. */
export function newTrapLoop(
  w: KernelParts,
  options: KernelOptions,
  cpu: CpuPort,
  quantum: number,
  hooks: TrapHandlers,
): TrapLoop {
  const k = w.kernel;
  return new TrapLoop({
    cpu,
    clock: k.machine.clock,
    table: k.table,
    hooks,
    quantum,
    costs: w.costs,
    budget: options.budget,
    hostYield: options.hostYield,
    hostWork: k.hostWork,
    daemonTimers: () => w.time().daemonTimers,
    trace: options.traceRecorder ?? null,
  });
}

function mmContext(w: KernelParts): MmContext {
  const k = w.kernel;
  const cpu = k.machine.cpu;
  return {
    frames: k.frames,
    asids: new AsidAllocator(),
    flush: (va, asid) => cpu.mmu.flush(va, asid),
    charge: (c) => k.loop.charge(c),
    costs: w.costs,
    stats: k.mmStats,
  };
}

/** The /proc provider view of the kernel. */
export function newProcProvider(w: KernelParts): ProcInfoProvider {
  const k = w.kernel;
  const m = k.machine;
  return createProcProvider({
    table: k.table,
    clock: m.clock,
    cpu: m.cpu,
    frames: k.frames,
    ramSize: m.ram.size,
    maxFds: k.maxFds,
    release: KERNEL_RELEASE,
    idleCycles: () => k.loop.stats.idleCycles,
    buffersBytes: () => k.pipeMemory.used + k.blockLayer.cache.bytes,
    dirtyBytes: () => k.blockLayer.cache.dirtyBytes,
    partitions: () => k.blockLayer.partitionsText(),
    diskstats: () => k.blockLayer.diskstatsText(),
    shmemBytes: () => ramfsBytes(k.vfs),
    interrupts: () => w.irq().info(),
    cycles: (p) => ({ user: userCycles(p), system: systemCycles(p) }),
    modules: () => moduleLines(k.modules.list()),
  });
}

/** Bytes of file data held by the ramfs instances mounted in `vfs` (/proc/meminfo Shmem). */
function ramfsBytes(vfs: Vfs): number {
  let n = 0;
  for (const m of vfs.mounts()) if (m.fs instanceof RamFs) n += m.fs.usedBytes;
  return n;
}

/**
 * Sets the CPU up for a host kernel in S-mode: every U-mode exception (not
 * ecalls from S/M) and the S interrupts go to S, counters are readable, the
 * S timer is off.
 */
export function initCpu(machine: Machine): void {
  const cpu: CpuPort = machine.cpu;
  machine.cpu.hostSupervisor = true;
  cpu.writeCsr(CSR.medeleg, 0xb1ff);
  cpu.writeCsr(CSR.mideleg, MIP.SSIP | MIP.STIP | MIP.SEIP);
  cpu.writeCsr(CSR.mie, MIP.STIP | MIP.SEIP);
  cpu.writeCsr(CSR.menvcfgh, MENVCFGH.STCE);
  cpu.writeCsr(CSR.mcounteren, 7);
  cpu.writeCsr(CSR.scounteren, 7);
  cpu.writeCsr(CSR.stimecmph, 0xffff_ffff);
  cpu.writeCsr(CSR.stimecmp, 0xffff_ffff);
  cpu.writeCsr(CSR.mstatus, 0);
}
