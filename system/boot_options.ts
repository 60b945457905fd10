/**
 * The boot options and what they mean before anything boots: the option
 * and result types of `boot`/`runGuest`, the boot modules (with the
 * `scheduler` option applied), and the check that refuses an unknown key.
 *
 * @module
 */

import type { ConsoleIo } from "../hw/console_io.ts";
import type { TapeSpec } from "../hw/storage.ts";
import type { JitBackend } from "../hw/hart_state.ts";
import type { KernelStats, ModuleDescriptor } from "../kernel/api.ts";
import type { StdioSpec } from "./guest_stdio.ts";
import type { AtaDriverName, DiskOption } from "./disks.ts";

/** A host directory shared read-only with the guest. */
export interface ShareSpec {
  /** Host directory. */
  hostDir: string;
  /** Guest mount point (default `/mnt/host`). */
  guestDir?: string;
}

/** A piece of scripted console input, fed at a simulated time. */
export interface ConsoleScriptStep {
  /** Simulated milliseconds after boot (default: right after the previous step). */
  atMs?: number;
  /** Bytes to type (text is UTF-8; "\x03" is ^C). */
  data: string;
}

/** Console choice. */
export type ConsoleSpec =
  | "terminal"
  | {
    /** A buffer console. */
    kind: "buffer";
    /** Input available at boot. */
    input?: string;
    /** Input fed later, in simulated time. */
    script?: ConsoleScriptStep[];
    /** End the input after the script (default true), so an idle shell ends the run. */
    closeInput?: boolean;
  }
  | { kind: "custom"; io: ConsoleIo };

/** The boot configuration: which plugin modules to load, in order. */
export interface BootConfig {
  /** Module files (paths relative to the repository root, or URLs) or descriptors. */
  modules: (string | ModuleDescriptor)[];
}

/** The tape driver's module file (left out of a boot whose machine has no tape). */
export const ST_MODULE = "plugins/drivers/st/mod.ts";

/** The scheduler plugins under `plugins/schedulers/` (the {@link BootOptions.scheduler} names). */
export const SCHEDULERS: readonly string[] = [
  "round_robin",
  "priority",
  "mlfq",
  "lottery",
  "stride",
  "edf",
  "rm",
];

/** The default scheduler module. */
const DEFAULT_SCHEDULER_MODULE = "plugins/schedulers/round_robin.ts";

/** The modules to load: the boot configuration, with the scheduler option applied. */
export function bootModules(options: BootOptions): (string | ModuleDescriptor)[] {
  const modules = (options.bootConfig ?? DEFAULT_BOOT_CONFIG).modules;
  const name = options.scheduler;
  if (name === undefined) return modules;
  if (!SCHEDULERS.includes(name)) {
    throw new BootError(`unknown scheduler '${name}' (one of: ${SCHEDULERS.join(", ")})`);
  }
  return modules.map((m) => m === DEFAULT_SCHEDULER_MODULE ? `plugins/schedulers/${name}.ts` : m);
}

/** The default boot modules. */
export const DEFAULT_BOOT_CONFIG: BootConfig = {
  modules: [
    DEFAULT_SCHEDULER_MODULE,
    "plugins/personalities/unix/mod.ts",
    "plugins/personalities/win32/mod.ts",
    "plugins/drivers/uart16550/mod.ts",
    "plugins/filesystems/ext2/mod.ts",
    ST_MODULE,
  ],
};

/** Options of {@link bootKernel} and {@link runGuest}. */
export interface BootOptions {
  /** RAM size in bytes (default 64 MiB). */
  ramSize?: number;
  /** Quantum: cycles as a number, or text like "10ms" / "500us" / "20000" (default 10 ms). */
  quantum?: number | string;
  /**
   * The session's personality: "unix" (default; pid 1 is `/bin/init`) or
   * "win32" (pid 1 is `/bin/smss.exe`, which starts `cmd.exe`); see
   * `system/session.ts`. Both personalities are loaded either way.
   */
  personality?: "unix" | "win32";
  /** Path of init (default `/bin/init`, or `/bin/smss.exe` for a Win32 session). */
  init?: string;
  /** Arguments after argv[0] of init. */
  initArgs?: string[];
  /**
   * Runs `/bin/init /bin/sh -c CMD` (a Win32 session: `smss.exe /c CMD`, which
   * runs `cmd.exe /c CMD`); overrides initArgs.
   */
  cmd?: string;
  /**
   * Environment of init and, with the default init, of the shell or command
   * it starts (through `/bin/env -i`); default PATH=/bin, HOME=/, TERM=vt100.
   * A Win32 session: smss.exe's starting environment (default empty), whose
   * variables smss keeps over its own defaults.
   */
  env?: string[];
  /** Read-only host shares. */
  share?: ShareSpec[];
  /**
   * The tape drive: a `.tap` image (`path`, a missing file is a blank tape
   * written at shutdown; `readOnly` write-protects it), or `null` for no
   * drive. Default: a blank tape in memory.
   */
  tape?: TapeSpec | null;
  /**
   * The standard streams of init and the command: "console" (default) puts
   * all three on /dev/console; "pipes" makes them host streams (no tty:
   * bytes pass unchanged, `isatty` is false), fed from {@link stdin} and
   * collected in the result's `stdout` and `stderr`; a {@link StdioSpec}
   * chooses per stream.
   */
  stdio?: "console" | "pipes" | StdioSpec;
  /** Standard input with `stdio: "pipes"` (default empty), ended after its last byte. */
  stdin?: string | Uint8Array;
  /** Console (bootKernel default "terminal", runGuest default a buffer). */
  console?: ConsoleSpec;
  /** Strace-like trace of system calls (true: to the kernel log; or a line sink). */
  trace?: boolean | ((line: string) => void);
  /** Kernel log sink (default: kept in the result only). */
  log?: (line: string) => void;
  /** Host directory whose files become /bin (default `userland/bin` of this repository). */
  binDir?: string;
  /** Boot modules (default {@link DEFAULT_BOOT_CONFIG}). */
  bootConfig?: BootConfig;
  /**
   * Scheduler policy to boot with, one of {@link SCHEDULERS} (default
   * `round_robin`): replaces the default scheduler module of the boot
   * configuration.
   */
  scheduler?: string;
  /**
   * Host directories the guest may load modules from by name (`insmod`),
   * searched after the project's `plugins/` tree.
   */
  modulePaths?: string[];
  /** Serves the monitor at this address (`unix:PATH`) while the machine runs (bootKernel). */
  monitor?: string;
  /** RTC epoch in ns (runGuest default: 2026-01-01T00:00:00Z; bootKernel: host time). */
  rtcEpochNs?: bigint;
  /** Stop the machine after this many simulated cycles (status 124, reason "timeout"). */
  maxCycles?: number;
  /**
   * Stop the machine once `run()` has taken this many milliseconds of host
   * time (status 124, reason "timeout"): a guard for tests, so that a hung
   * guest fails instead of stalling. The kernel loop looks at host time every
   * few thousand traps; the simulation does not depend on it, so a run that
   * finishes in time is the same, cycle for cycle, as one without the limit.
   */
  maxHostMs?: number;
  /** CPU frequency in Hz (default 100 MHz). */
  frequency?: number;
  /**
   * Seed of guest randomness (getrandom, AT_RANDOM, /dev/urandom, 32 bits):
   * default the fixed DEFAULT_RANDOM_SEED, so runs repeat; the guest's
   * randomness is only as secret as the seed.
   */
  seed?: number;
  /** CPU engine: "interp" (default) or "jit" (see `docs/cpu.md`). */
  cpu?: "interp" | "jit";
  /**
   * With `cpu: "jit"`: interpreted instructions of a page before the
   * translator compiles it (default the CPU's `HOT_THRESHOLD`). Given, it
   * also turns off the warm-up before the first translation (`JIT_WARMUP`
   * instructions with the default threshold).
   */
  hotThreshold?: number;
  /**
   * With `cpu: "jit"`: what page functions are compiled to, "auto" (the
   * default), "wasm" or "js" (the CPU's `JitBackend`, `docs/cpu.md`).
   */
  jitBackend?: JitBackend;
  /**
   * Writes a Chrome trace-event JSON file (Perfetto opens it) of run slices,
   * system calls, interrupts and faults to this host path at the end.
   */
  chromeTrace?: string;
  /**
   * Host disk images attached as `/dev/hda`..`/dev/hdd` (at most four), each
   * optionally read-only. A missing image is a {@link BootError} naming it
   * unless `diskSize` is given.
   */
  disks?: DiskOption[];
  /** Size at which a missing disk image is created, sparse (bytes, or text like "64M"). */
  diskSize?: number | string;
  /** The ATA driver module for the disks: "dma" (default), "irq" or "poll". */
  ataDriver?: AtaDriverName;
  /**
   * Root file system on a disk (`/dev/hda1` or `/dev/hda`), of type ext2,
   * instead of the initramfs; /dev and /proc are mounted on it, and init is
   * `/sbin/init` or else `/bin/init` there.
   */
  root?: string;
  /** Mount the root file system read-only. */
  rootReadOnly?: boolean;
  /** Buffer cache size (bytes, or text like "8M"; default 4 MiB). */
  blockCacheSize?: number | string;
  /** Disk request elevator: "clook" (default) or "fifo". */
  blockElevator?: "clook" | "fifo";
}

/** Result of a run. */
export interface GuestResult {
  /** Machine exit status (pid 1's exit code, 128+signal, poweroff's status, 124 timeout, 125 deadlock). */
  status: number;
  /** Why the machine stopped: "init-exit", "poweroff", "deadlock", "timeout", "error", "quit". */
  reason: string;
  /** Details (the deadlock report). */
  detail: string;
  /** Simulated cycles. */
  cycles: number;
  /** Instructions retired. */
  instret: number;
  /** Console output (buffer consoles; "" for a terminal). */
  output: string;
  /** Standard output with `stdio: "pipes"`, as text ("" otherwise). */
  stdout: string;
  /** Standard output with `stdio: "pipes"`, as bytes. */
  stdoutBytes: Uint8Array;
  /** Standard error with `stdio: "pipes"` ("" otherwise). */
  stderr: string;
  /** Kernel counters. */
  stats: KernelStats;
  /** Kernel log. */
  log: string[];
}

/** Raised for bad boot options (host side). */
export class BootError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BootError";
  }
}

/** Every key of {@link BootOptions} (the type makes the compiler keep this list complete). */
const BOOT_OPTION_KEYS: Record<keyof BootOptions, true> = {
  ramSize: true,
  quantum: true,
  personality: true,
  init: true,
  initArgs: true,
  cmd: true,
  env: true,
  share: true,
  tape: true,
  console: true,
  trace: true,
  log: true,
  binDir: true,
  bootConfig: true,
  scheduler: true,
  modulePaths: true,
  monitor: true,
  rtcEpochNs: true,
  maxCycles: true,
  maxHostMs: true,
  frequency: true,
  seed: true,
  chromeTrace: true,
  stdio: true,
  stdin: true,
  disks: true,
  diskSize: true,
  ataDriver: true,
  root: true,
  rootReadOnly: true,
  blockCacheSize: true,
  blockElevator: true,
  cpu: true,
  hotThreshold: true,
  jitBackend: true,
};

/** Throws {@link BootError} for a key that is no boot option (a typo would otherwise be ignored). */
export function checkOptionKeys(options: BootOptions): void {
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(BOOT_OPTION_KEYS, key)) {
      const known = Object.keys(BOOT_OPTION_KEYS).join(", ");
      throw new BootError(`unknown boot option "${key}" (known options: ${known})`);
    }
  }
}

/**
 * One turn of the host event loop (pending input, output writes, signals),
 * then back to the simulator. A macrotask queued with `setImmediate` runs
 * after the host's I/O poll and costs a few microseconds; a zero-delay
 * `setTimeout` is clamped by Deno to about 2 ms per yield.
 */
