/**
 * The kernel's self-description: uname-style system information and the
 * deterministic counters (`KernelApi.systemInfo` and `KernelApi.stats`).
 *
 * @module
 */

import type { Machine } from "../hw/machine.ts";
import type { KernelStats, SystemInfo } from "./api.ts";
import type { SignalEngine } from "./ipc/signals.ts";
import type { MmStats } from "./mm/address_space.ts";
import { type FrameAllocator, PAGE_SIZE } from "./mm/frames.ts";
import type { ProcessTable } from "./proc/process_table.ts";
import type { TrapLoop } from "./proc/trap_loop.ts";
import { KERNEL_RELEASE } from "./kernel_types.ts";

/** The parts of the kernel the figures come from. */
export interface KernelParts {
  /** The machine. */
  readonly machine: Machine;
  /** Physical frames. */
  readonly frames: FrameAllocator;
  /** Processes. */
  readonly table: ProcessTable;
  /** The main loop. */
  readonly loop: TrapLoop;
  /** Signals. */
  readonly signals: SignalEngine;
  /** Memory counters. */
  readonly mmStats: MmStats;
}

/**
 * uname-style identification and memory totals.
 *
 * @param k The kernel.
 * @param nodename The host name.
 * @returns The system information.
 */
export function systemInfo(k: KernelParts, nodename: string): SystemInfo {
  return {
    sysname: "Strata",
    nodename,
    release: KERNEL_RELEASE,
    version: `#1 ${k.table.policy.name}`,
    machine: "riscv32",
    totalRam: k.machine.ram.size,
    freeRam: k.frames.free * PAGE_SIZE,
    processes: k.table.liveCount,
    uptimeSeconds: k.machine.clock.seconds,
  };
}

/**
 * The deterministic counters of a kernel.
 *
 * @param k The kernel.
 * @returns Cycles, instructions, calls, switches, faults and memory figures.
 */
export function kernelStats(k: KernelParts): KernelStats {
  const s = k.loop.stats;
  return {
    cycles: k.machine.clock.now,
    instret: k.machine.cpu.instret,
    syscalls: s.syscalls,
    contextSwitches: s.contextSwitches,
    threadSwitches: s.threadSwitches,
    preemptions: s.preemptions,
    pageFaults: k.mmStats.pageFaults,
    zeroFills: k.mmStats.zeroFills,
    cowCopies: k.mmStats.cowCopies,
    interrupts: s.interrupts,
    signalsDelivered: k.signals.delivered,
    idleCycles: s.idleCycles,
    freeFrames: k.frames.free,
    totalFrames: k.frames.total,
  };
}
