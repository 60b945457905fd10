/**
 * Booting: builds a machine and a kernel, the root file system (a ramfs
 * filled from an initramfs of `userland/bin` -> `/bin` (its `win32` DLLs ->
 * `/windows/system32`, its .exe files -> `/bin`), devfs on `/dev`,
 * procfs on `/proc`, `/tmp`, read-only host shares), loads the boot modules
 * (scheduler `round_robin`, personalities `unix` and `win32`, console driver `uart16550`,
 * tape driver `st` when the machine has a tape),
 * starts the session's first process as pid 1 on the console (`/bin/init`,
 * or `/bin/smss.exe` for a Win32 session: `system/session.ts`) and runs until pid 1 exits,
 * poweroff, a deadlock or the cycle limit.
 *
 * `bootKernel` is for the CLI (host terminal by default); `runGuest` is for
 * tests and scripts (a buffer console with scripted input, a fixed RTC
 * epoch, so that runs are deterministic).
 *
 * @module
 */

import { Monitor } from "./monitor.ts";
import { serveMonitor } from "./monitor_server.ts";
import { BufferConsole, type ConsoleIo } from "../hw/console_io.ts";
import { TerminalConsole } from "./terminal_console.ts";
import { setImmediate } from "node:timers";
import { createMachine, type Machine } from "../hw/machine.ts";
import { K, KernelError, statusName } from "../kernel/errors.ts";
import { OpenFlags } from "../kernel/fs/types.ts";
import type { FdTable } from "../kernel/fs/fd_table.ts";
import { TtyIoctl } from "../kernel/io/termios.ts";
import type { Process } from "../kernel/proc/process.ts";
import {
  collectInitramfs,
  type HostDirMapping,
  type InitramfsMember,
} from "../kernel/fs/initramfs.ts";
import { createRootFs } from "../kernel/fs/rootfs.ts";
import { registerMemoryDevices } from "../kernel/fs/devfs.ts";
import { Kernel, type KernelExit } from "../kernel/kernel.ts";
import { TraceRecorder } from "../kernel/proc/trace.ts";
import { hostInputFile, hostOutputFile } from "../kernel/fs/host_stream.ts";
import { makeStdio, type StdioSpec } from "./guest_stdio.ts";
import { sessionInit, sessionPersonality } from "./session.ts";

export type { StdioSpec } from "./guest_stdio.ts";
import {
  BootError,
  bootModules,
  type BootOptions,
  checkOptionKeys,
  type ConsoleScriptStep,
  type ConsoleSpec,
  type GuestResult,
  type ShareSpec,
  ST_MODULE,
} from "./boot_options.ts";
export {
  type BootConfig,
  BootError,
  type BootOptions,
  type ConsoleScriptStep,
  type ConsoleSpec,
  DEFAULT_BOOT_CONFIG,
  type GuestResult,
  SCHEDULERS,
  type ShareSpec,
  ST_MODULE,
} from "./boot_options.ts";
import { attachDisks, DiskOptionError, parseByteSize, storageConfig } from "./disks.ts";
import { DiskImageError } from "../hw/disk_image.ts";

const REPO_ROOT = new URL("../", import.meta.url);
const DEFAULT_EPOCH_NS = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z

/** Parses a quantum: a cycle count, or a duration with ms/us/ns/s. */
export function parseQuantum(q: number | string | undefined, frequency: number): number {
  if (q === undefined) return Math.round(frequency / 100);
  if (typeof q === "number") {
    if (!(q >= 100) || !Number.isFinite(q)) throw new BootError(`bad quantum ${q}`);
    return Math.round(q);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|ms|us|ns|cycles)?\s*$/.exec(q);
  if (m === null) throw new BootError(`bad quantum "${q}" (e.g. 10ms, 500us, 200000)`);
  const v = Number(m[1]);
  const unit = m[2] ?? "cycles";
  const seconds = unit === "s" ? v : unit === "ms" ? v / 1e3 : unit === "us" ? v / 1e6 : v / 1e9;
  const cycles = unit === "cycles" ? v : Math.round(seconds * frequency);
  if (!(cycles >= 100)) throw new BootError(`quantum "${q}" is below 100 cycles`);
  return Math.round(cycles);
}

/** A booted but not yet running system (for tests that poke at the kernel first). */
export interface BootedSystem {
  /** The machine. */
  machine: Machine;
  /** The kernel. */
  kernel: Kernel;
  /** The console back-end. */
  console: ConsoleIo;
  /** Runs to the end and collects the result. */
  run(): Promise<GuestResult>;
}

/** The console a boot uses, and the scripted input to feed it on the simulated clock. */
interface ConsoleSetup {
  io: ConsoleIo;
  script: ConsoleScriptStep[];
  closeAfterScript: boolean;
}

function makeConsole(spec: ConsoleSpec): ConsoleSetup {
  if (spec === "terminal") {
    return { io: new TerminalConsole(), script: [], closeAfterScript: false };
  }
  if (spec.kind === "custom") return { io: spec.io, script: [], closeAfterScript: false };
  const script = spec.script ?? [];
  const closeAfterScript = spec.closeInput ?? true;
  const io = new BufferConsole(spec.input ?? "", closeAfterScript && script.length === 0);
  return { io, script, closeAfterScript };
}

/**
 * The initramfs mappings: `binDir` becomes /bin, except its `win32`
 * folder, whose DLLs go to /windows/system32 (C:\Windows\System32 for
 * Win32 programs) and whose .exe files join /bin.
 */
export function initramfsMappings(binDir: string): HostDirMapping[] {
  const maps: HostDirMapping[] = [{
    hostPath: binDir,
    guestPath: "/bin",
    include: (rel) => rel !== "win32" && !rel.startsWith("win32/"),
  }];
  const win32 = `${binDir}/win32`;
  let present = false;
  try {
    present = Deno.statSync(win32).isDirectory;
  } catch {
    present = false;
  }
  if (present) {
    const ext = (re: RegExp) => (rel: string) => !rel.includes("/") && re.test(rel);
    maps.push({ hostPath: win32, guestPath: "/windows/system32", include: ext(/\.dll$/i) });
    maps.push({ hostPath: win32, guestPath: "/bin", include: ext(/\.exe$/i), executable: true });
  }
  return maps;
}

// The members go to the root ramfs as they are: packing them into a newc
// archive and parsing it again would only cost time (a third of the boot).
// Their bytes stay on the host until the guest first reads a file: a boot
// reads the few programs it runs, not all of userland/bin.
function loadInitramfs(binDir: string): InitramfsMember[] {
  try {
    return collectInitramfs(initramfsMappings(binDir), { deferData: true });
  } catch (e) {
    throw new BootError(`cannot build the initramfs from ${binDir}: ${String(e)}`, { cause: e });
  }
}

/** Guest paths a share may not cover: the boot tree's own file systems and `/bin`. */
const RESERVED_SHARE_PATHS = ["/", "/bin", "/dev", "/proc"];

/** `path` with `.`, `..`, repeated and trailing slashes resolved (absolute). */
function normaliseGuestPath(path: string): string {
  const parts: string[] = [];
  for (const p of path.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return "/" + parts.join("/");
}

/**
 * The shares as mounts, refusing (BootError) a relative guest path, one
 * onto `/`, `/bin`, `/dev` or `/proc` (or inside `/dev` and `/proc`), which
 * would hide the system's own files, and two shares on one mount point.
 */
export function checkShares(
  shares: readonly ShareSpec[],
): { hostPath: string; guestPath: string }[] {
  const seen = new Set<string>();
  return shares.map((s) => {
    const given = s.guestDir ?? "/mnt/host";
    if (!given.startsWith("/")) {
      throw new BootError(`share ${s.hostDir}: guest path ${given} is not absolute`);
    }
    const guestPath = normaliseGuestPath(given);
    const under = RESERVED_SHARE_PATHS.find((r) =>
      r === guestPath || (r !== "/" && r !== "/bin" && guestPath.startsWith(r + "/"))
    );
    if (under !== undefined) {
      throw new BootError(
        `share ${s.hostDir}: ${guestPath} would hide the system's ${under}; choose another guest path`,
      );
    }
    if (seen.has(guestPath)) {
      throw new BootError(`share ${s.hostDir}: ${guestPath} is already a share`);
    }
    seen.add(guestPath);
    return { hostPath: s.hostDir, guestPath };
  });
}

/** The kernel over `machine`, with the root file system built from the initramfs and shares. */
function makeKernel(
  options: BootOptions,
  machine: Machine,
  quantum: number,
  terminal: boolean,
  recorder: TraceRecorder | undefined,
  hostYield: (() => Promise<void>) | undefined,
): Kernel {
  const binDir = options.binDir ?? new URL("userland/bin", REPO_ROOT).pathname;
  const initramfs = loadInitramfs(binDir);
  const shares = checkShares(options.share ?? []);
  const holder: { kernel: Kernel | null } = { kernel: null };
  const trace = options.trace === true
    ? (line: string) => holder.kernel?.log(`trace: ${line}`)
    : typeof options.trace === "function"
    ? options.trace
    : undefined;
  const kernel = new Kernel({
    randomSeed: options.seed,
    modulePaths: options.modulePaths,
    traceRecorder: recorder,
    machine,
    quantumCycles: quantum,
    log: options.log,
    trace,
    hostYield,
    // A person at a terminal expects `sleep 5` to take five seconds.
    realtimeIdle: terminal,
    blockCacheBytes: options.blockCacheSize === undefined
      ? undefined
      : asBootError(() => parseByteSize(options.blockCacheSize!, "block cache size")),
    blockElevator: options.blockElevator,
    buildFs: (deps) =>
      createRootFs({
        now: deps.now,
        initramfs,
        charDevices: deps.charDevices,
        proc: deps.proc,
        block: deps.block,
        shares,
        // As Linux's tmpfs: file data may take at most half of RAM.
        sizeLimit: machine.ram.size / 2,
      }).vfs,
  });
  holder.kernel = kernel;
  // /dev/null, zero, full, random, urandom: kernel built-ins, not driver modules.
  // A chosen seed reseeds /dev/urandom too; without one its fixed stream stays.
  registerMemoryDevices(kernel.charDevices, {
    randomSeed: options.seed === undefined ? undefined : (options.seed ^ 0x7f4a_7c15) >>> 0,
  });
  const st = kernel.vfs.mkdir(null, "/tmp", 0o1777);
  if (st !== K.OK && st !== K.EXIST) throw new BootError(`mkdir /tmp: ${statusName(st)}`);
  return kernel;
}

/** Feeds scripted console input at its simulated times. */
function scheduleScript(machine: Machine, c: ConsoleSetup): void {
  if (c.script.length === 0 || !(c.io instanceof BufferConsole)) return;
  const frequency = machine.clock.frequency;
  let at = 0;
  const buf = c.io;
  c.script.forEach((step, i) => {
    at = step.atMs !== undefined ? Math.round(step.atMs * frequency / 1000) : at;
    const last = i === c.script.length - 1;
    machine.clock.scheduleAt(Math.max(at, machine.clock.now), () => {
      buf.feed(step.data);
      if (last && c.closeAfterScript) buf.endInput();
    });
  });
}

/** Stops the run with status 124 after `maxCycles` simulated cycles. */
function scheduleTimeout(kernel: Kernel, maxCycles: number): void {
  const machine = kernel.machine;
  kernel.loop.daemonEvents++;
  machine.clock.scheduleAt(Math.max(maxCycles, machine.clock.now), () => {
    kernel.loop.daemonEvents--;
    stopForLimit(kernel, `stopped after ${maxCycles} cycles (the cycle limit)`);
  });
}

/** Ends the run with status 124, reason "timeout" (unless it already ended). */
function stopForLimit(kernel: Kernel, detail: string): void {
  stopRun(kernel, 124, "timeout", detail);
}

/** Ends the run from the host side (unless it already ended). */
function stopRun(kernel: Kernel, status: number, reason: string, detail: string): void {
  if (kernel.exitInfo !== null) return;
  kernel.poweroff(status);
  kernel.exitInfo!.reason = reason;
  kernel.exitInfo!.detail = detail;
  kernel.machine.cpu.requestHalt();
}

/**
 * The host-time limit: a host yield of the kernel loop (called every few
 * thousand traps or couple of million cycles) that compares host time with
 * the deadline set by `start()`. It only reads the host clock, so the
 * simulation is the same with or without it.
 */
function hostLimit(
  limitMs: number,
  holder: { kernel: Kernel | null },
  next: (() => Promise<void>) | undefined,
): { start(): void; yield: () => Promise<void> } {
  let deadline = Infinity;
  return {
    start() {
      deadline = performance.now() + limitMs;
    },
    yield() {
      const k = holder.kernel;
      if (performance.now() >= deadline && k !== null) {
        const at = k.machine.clock.now;
        stopForLimit(
          k,
          `stopped after ${limitMs} ms of host time (the host-time limit), at cycle ${at}`,
        );
      }
      return next !== undefined ? next() : Promise.resolve();
    },
  };
}

/** Creates pid 1 with its standard streams (the console or host streams) and execs init in it. */
function startInit(kernel: Kernel, options: BootOptions, stdio: StdioSpec): void {
  const session = sessionInit(options);
  const init = session.path;
  const p = kernel.createInitProcess();
  // pid 1's standard streams are the console, as Linux opens /dev/console for
  // init, unless the host hands it streams of its own.
  const host = [
    stdio.stdin && hostInputFile(stdio.stdin),
    stdio.stdout && hostOutputFile(stdio.stdout),
    stdio.stderr && hostOutputFile(stdio.stderr, "pipe:[host-stderr]"),
  ];
  for (let fd = 0; fd < 3; fd++) {
    const file = host[fd];
    const r = file !== undefined
      ? kernel.fdInstall(p, file, false)
      : kernel.openForProcess(p, "/dev/console", OpenFlags.READ | OpenFlags.WRITE);
    if (r !== fd) {
      throw new BootError(`cannot open /dev/console for init: ${r < 0 ? statusName(r) : r}`);
    }
  }
  // Unix init makes the console its controlling terminal itself; a Win32 session manager has no
  // ioctl, so the boot does it for it (the console's ^C then reaches the session's processes).
  if (sessionPersonality(options) === "win32") giveConsole(kernel, p);
  try {
    kernel.startProcess(p, init, [init, ...session.args], session.env);
  } catch (e) {
    if (e instanceof KernelError) {
      throw new BootError(`cannot start ${init}: ${startErrorText(e.status)}`, { cause: e });
    }
    throw e;
  }
}

/** Makes the terminal on fd 0 of `p` (a session leader) its controlling terminal, if it is one. */
function giveConsole(kernel: Kernel, p: Process): void {
  const file = (p.files as FdTable | null)?.get(0) ?? null;
  if (file !== null) kernel.vfs.ioctl(file, TtyIoctl.TIOCSCTTY, 0, p);
}

/** The C library's words for the ways an exec can fail (strerror), for the boot error. */
const START_ERRORS = new Map<number, string>([
  [K.NOENT, "No such file or directory"],
  [K.ACCES, "Permission denied"],
  [K.NOEXEC, "Exec format error"],
  [K.NOTDIR, "Not a directory"],
  [K.ISDIR, "Is a directory"],
  [K.NOMEM, "Cannot allocate memory"],
  [K.TOOBIG, "Argument list too long"],
  [K.NAMETOOLONG, "File name too long"],
  [K.LOOP, "Too many levels of symbolic links"],
]);

function startErrorText(status: number): string {
  return START_ERRORS.get(status) ?? statusName(status as Parameters<typeof statusName>[0]);
}

function yieldToHost(): Promise<void> {
  return new Promise<void>((r) => setImmediate(r));
}

/** Builds machine, kernel, file systems and modules, and starts init (not yet running). */
export async function boot(
  options: BootOptions,
  defaultConsole: ConsoleSpec,
): Promise<BootedSystem> {
  checkOptionKeys(options);
  sessionPersonality(options);
  const spec = options.console ?? defaultConsole;
  const c = makeConsole(spec);
  const io = c.io;
  const frequency = options.frequency ?? 100_000_000;
  const quantum = parseQuantum(options.quantum, frequency);
  const machine = createMachine({
    ramSize: options.ramSize,
    frequency,
    console: io,
    storage: asBootError(() => storageConfig(options)),
    cpu: {
      engine: options.cpu,
      hotThreshold: options.hotThreshold,
      jitBackend: options.jitBackend,
    },
    rtcEpochNs: options.rtcEpochNs ??
      (io instanceof TerminalConsole ? BigInt(Date.now()) * 1_000_000n : DEFAULT_EPOCH_NS),
  });
  const recorder = options.chromeTrace !== undefined ? new TraceRecorder(frequency) : undefined;
  // Only a host-fed console needs the loop to yield; a buffer console is fed on the clock.
  // The host-time limit looks at the host clock at the same points.
  const consoleYield = io instanceof BufferConsole ? undefined : yieldToHost;
  const holder: { kernel: Kernel | null } = { kernel: null };
  const limit = options.maxHostMs !== undefined
    ? hostLimit(options.maxHostMs, holder, consoleYield)
    : undefined;
  // A host terminal console (the CLI's, however chosen) keeps host time.
  const terminal = io instanceof TerminalConsole;
  const hostYield = limit?.yield ?? consoleYield;
  const kernel = makeKernel(options, machine, quantum, terminal, recorder, hostYield);
  holder.kernel = kernel;
  // Ctrl-A x on the host terminal stops the machine as QEMU does (status 0).
  if (io instanceof TerminalConsole) {
    io.onQuit = () => stopRun(kernel, 0, "quit", "stopped from the host terminal (C-a x)");
    const monitor = new Monitor(kernel, () => io.onQuit());
    io.setMonitor((line) => monitor.execute(line));
  }
  const modules = bootModules(options).filter((m) =>
    m !== ST_MODULE || machine.storage.tape !== null
  );
  // Imported side by side first: Deno prepares them together, faster than one after another.
  await kernel.modules.prefetch(modules.filter((m): m is string => typeof m === "string"));
  for (const m of modules) {
    if (typeof m === "string") await kernel.modules.load(m);
    else await kernel.modules.loadDescriptor(m);
  }
  const root = await asBootErrorAsync(() => attachDisks(kernel, options));
  scheduleScript(machine, c);
  if (options.maxCycles !== undefined) scheduleTimeout(kernel, options.maxCycles);
  // Init is started outside a system call: its personality's deferred code must be there first.
  await kernel.getPersonality(sessionPersonality(options))?.prepare?.();
  const pipes = makeStdio(options);
  if (pipes.spec.stdin !== undefined) kernel.hostInputs.push(pipes.spec.stdin);
  startInit(
    kernel,
    root === null ? options : { ...options, init: options.init ?? root },
    pipes.spec,
  );
  return {
    machine,
    kernel,
    console: io,
    run: async (): Promise<GuestResult> => {
      let exit: KernelExit;
      try {
        limit?.start();
        exit = await kernel.run();
      } finally {
        io.flush();
        if (recorder !== undefined && options.chromeTrace !== undefined) {
          Deno.writeTextFileSync(options.chromeTrace, recorder.toJSON());
        }
      }
      return {
        status: exit.status,
        reason: exit.reason,
        detail: exit.detail,
        cycles: kernel.haltCycles,
        instret: machine.cpu.instret,
        output: io instanceof BufferConsole ? io.text : "",
        stdout: new TextDecoder().decode(pipes.stdout.bytes()),
        stdoutBytes: pipes.stdout.bytes(),
        stderr: new TextDecoder().decode(pipes.stderr.bytes()),
        stats: kernel.stats(),
        log: kernel.logLines.slice(),
      };
    },
  };
}

/** Runs `f`, turning a disk option or image error into a {@link BootError} (same message). */
function asBootError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DiskOptionError || e instanceof DiskImageError) {
      throw new BootError(e.message, { cause: e });
    }
    throw e;
  }
}

/** {@link asBootError} for an async step. */
async function asBootErrorAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof DiskOptionError || e instanceof DiskImageError) {
      throw new BootError(e.message, { cause: e });
    }
    throw e;
  }
}

/** Boots for the CLI (terminal console by default) and runs to the end. */
export async function bootKernel(options: BootOptions = {}): Promise<GuestResult> {
  const sys = await boot(options, "terminal");
  const server = options.monitor === undefined
    ? null
    : serveMonitor(new Monitor(sys.kernel), monitorSocketPath(options.monitor));
  try {
    return await sys.run();
  } finally {
    server?.close();
    sys.machine.close();
  }
}

/** The socket path of a `unix:PATH` monitor address; a BootError for anything else. */
export function monitorSocketPath(spec: string): string {
  if (!spec.startsWith("unix:") || spec.length <= 5) {
    throw new BootError(`bad monitor address '${spec}' (use unix:PATH)`);
  }
  return spec.slice(5);
}

/** Boots with a buffer console (deterministic) and runs to the end; for tests and scripts. */
export async function runGuest(options: BootOptions = {}): Promise<GuestResult> {
  const sys = await boot(options, { kind: "buffer" });
  try {
    return await sys.run();
  } finally {
    sys.machine.close();
  }
}
