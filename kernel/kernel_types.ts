/**
 * The kernel's host-facing types: its options, how a run ends, and the
 * error for a host's misconfiguration (`kernel.ts` uses them).
 *
 * @module
 */

import type { Machine } from "../hw/machine.ts";
import { MEMORY_MAP } from "../hw/memory_map.ts";
import type { BlockLayer } from "./block/block_layer.ts";
import type { CharDeviceRegistry } from "./io/char_device.ts";
import type { ProcInfoProvider } from "./fs/procfs.ts";
import type { Vfs } from "./fs/vfs.ts";
import type { KernelCosts } from "./proc/costs.ts";
import type { TraceRecorder } from "./proc/trace.ts";

/** Kernel release string. */
export const KERNEL_RELEASE = "0.1.0-strata";

/** Options of {@link Kernel}. */
export interface KernelOptions {
  /** The machine to run on (its CPU is switched to host-supervisor mode). */
  machine: Machine;
  /** Scheduling quantum in cycles (default 10 ms of simulated time). */
  quantumCycles?: number;
  /** Overrides of the kernel cost table. */
  costs?: Partial<KernelCosts>;
  /** Receives kernel log lines (default: kept in {@link Kernel.logLines} only). */
  log?: (line: string) => void;
  /** Receives one line per system call when set (strace-like). */
  trace?: (line: string) => void;
  /** Lets host I/O run every few ms of host time (needed with a terminal console). */
  hostYield?: () => Promise<void>;
  /**
   * Pace idle time to host time (interactive runs: `sleep 5` then takes five
   * seconds). Off by default, so that runs are as fast as the host allows.
   */
  realtimeIdle?: boolean;
  /** Host name reported by uname. */
  nodename?: string;
  /**
   * Seed of the guest's randomness (getrandom, AT_RANDOM, /dev/urandom):
   * 32 bits, default {@link DEFAULT_RANDOM_SEED}. The same seed gives the
   * same bytes on every run.
   */
  randomSeed?: number;
  /** Instructions per cpu.run call. */
  budget?: number;
  /**
   * Host directories trusted to hold modules a guest may load by name,
   * searched after the project's `plugins/` tree (`--module-path`).
   */
  modulePaths?: string[];
  /** Records a Chrome trace (run slices, system calls, interrupts, faults) when set. */
  traceRecorder?: TraceRecorder;
  /**
   * Builds the file system tree (root, /dev over `charDevices`, /proc over
   * `proc`). Default: an empty ramfs root.
   */
  buildFs?: (deps: FsDeps) => Vfs;
  /** Buffer cache size in bytes (default 4 MiB). */
  blockCacheBytes?: number;
  /** Elevator of each disk's request queue: "clook" (default) or "fifo". */
  blockElevator?: "clook" | "fifo";
}

/** What {@link KernelOptions.buildFs} gets to build the tree with. */
export interface FsDeps {
  /** The character device registry (for devfs and the VFS). */
  charDevices: CharDeviceRegistry;
  /** The /proc provider. */
  proc: ProcInfoProvider;
  /** The block layer (for /sys). */
  block: BlockLayer;
  /** Time source for file times (ns since the epoch). */
  now: () => bigint;
}

/** How a run ended. */
export interface KernelExit {
  /** Exit status: pid 1's exit code, 128 + signal if it was killed, poweroff's status. */
  status: number;
  /** Why: "init-exit", "poweroff", "deadlock" or "error". */
  reason: string;
  /** Human-readable details (the deadlock report). */
  detail: string;
}

/** Raised when the kernel is misconfigured by its host (not by a guest). */
export class KernelConfigError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "KernelConfigError";
  }
}

/** Register windows the kernel drives itself: no module may claim them. */
export const KERNEL_WINDOWS = [
  { base: MEMORY_MAP.PLIC_BASE, size: MEMORY_MAP.PLIC_SIZE },
  { base: MEMORY_MAP.CLINT_BASE, size: MEMORY_MAP.CLINT_SIZE },
  { base: MEMORY_MAP.RTC_BASE, size: MEMORY_MAP.RTC_SIZE },
];

/** Checks the options a host gave; returns the quantum in cycles. */
export function checkOptions(options: KernelOptions): number {
  const m = options.machine;
  if (m.cpu.mmu.kind !== "sv32") {
    // Contiguous allocation for the base/limit unit is not written yet: refuse clearly.
    throw new KernelConfigError(
      `the kernel needs an Sv32 MMU; this machine has "${m.cpu.mmu.kind}"`,
    );
  }
  const quantum = options.quantumCycles ?? Math.round(m.clock.frequency / 100);
  if (!(quantum >= 100) || !Number.isFinite(quantum)) {
    throw new KernelConfigError(`quantum must be at least 100 cycles, got ${quantum}`);
  }
  const cache = options.blockCacheBytes;
  if (cache !== undefined && !(Number.isInteger(cache) && cache >= 65536)) {
    throw new KernelConfigError(`the buffer cache needs at least 64K, got ${cache}`);
  }
  const elevator = options.blockElevator;
  if (elevator !== undefined && elevator !== "clook" && elevator !== "fifo") {
    throw new KernelConfigError(`unknown elevator '${elevator}' (clook or fifo)`);
  }
  return quantum;
}

/** The fixed default seed of guest randomness (reproducible runs; not secret). */
export const DEFAULT_RANDOM_SEED = 0x5eed_5742;
