/**
 * The command line's words: the help text, the {@link CommandLine} they
 * parse into, and the parsers of each option's value (sizes, seeds, disks,
 * tapes) with one-line {@link UsageError}s for every mistake.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { MAX_RAM_SIZE, MIN_RAM_SIZE } from "../hw/machine.ts";
import { ATA_DRIVERS, type AtaDriverName } from "./disks.ts";

/** Version of the toolkit. */
export const VERSION = "0.1.0";

/** The command-line help text. */
export const USAGE = `Strata ${VERSION}: a simulated RISC-V machine with a layered kernel.

Usage:
  deno run -A mod.ts [options]             boot the default machine to a shell
  deno run -A mod.ts --cmd 'CMD'           boot, run CMD with /bin/sh -c, exit with its status
  deno run -A mod.ts --personality win32   boot a Win32 session to cmd.exe (--cmd: cmd.exe /c)
  deno run -A mod.ts --bare FILE.elf       run a bare-metal ELF in M-mode (tohost protocol)

Options:
  --cmd CMD              run one command and exit with its status
  -t, --tty              with --cmd, give the command the console terminal even when host
                         stdin or stdout is a pipe or file (default: each of them that is not
                         a terminal reaches the command as a pipe, bytes unchanged)
  --personality NAME     the session: unix (default; /bin/init starts /bin/sh) or win32
                         (smss.exe starts cmd.exe; --cmd runs cmd.exe /c CMD); both
                         personalities run programs either way
  --init PATH            the program run as pid 1 (default /bin/init, or /bin/smss.exe)
  --mem SIZE             RAM size from 1M to 1G in whole 4K pages, e.g. 64M, 128M, 1G
                         (default 64M)
  --quantum MS           scheduler quantum in simulated milliseconds (default 10)
  --sched POLICY         scheduler plugin: round_robin (default), priority, mlfq, lottery,
                         stride, edf, rm
  --module-path DIR      also let the guest load modules by name from DIR (insmod, modswap);
                         may be repeated
  --monitor unix:PATH    serve the monitor (info, x, stop/cont, module, sched, trace) on a
                         Unix socket
  --share HOST[:GUEST]   show a host directory read-only in the guest (default GUEST /mnt/host)
  --tape PATH[,ro]       attach a SIMH .tap image as /dev/st0 and /dev/nst0 (a missing file is a
                         blank tape, written at rewind, unload and shutdown; ,ro write-protects
                         it); without --tape the drive holds a blank tape in memory
  --disk PATH[,ro]       attach a raw disk image as /dev/hda (repeat for hdb, hdc, hdd); MBR
                         partitions appear as /dev/hda1..4; ,ro attaches it read-only
  --disk-size SIZE       create a missing --disk image sparse at SIZE (e.g. 64M); without it a
                         missing image is an error
  --driver ata=NAME      ATA driver for the disks: dma (default), irq or poll
  --root DEV             boot with the ext2 file system on DEV (e.g. /dev/hda1) as the root;
                         init is /sbin/init or /bin/init there
  --block-cache SIZE     buffer cache size (default 4M)
  --elevator NAME        disk request order: clook (default) or fifo
  --bare FILE            run a bare-metal ELF; exit 0 on tohost=1, the failure code otherwise
  --max-instructions N   stop a bare-metal run after N instructions (exit 124); --bare only;
                         default 10000000000 (about a minute), with a message saying so
  --uart-reset           --bare: start the UART in the chip's reset state (LCR 0: 5-bit
                         words) instead of as firmware leaves it (8N1, FIFO on, 115200 baud)
  --max-cycles N         stop the machine after N simulated cycles (exit 124)
  --cpu interp|jit       CPU engine: the interpreter (default) or the translator of hot code
                         pages; same results and cycle counts either way
  --jit-backend auto|wasm|js
                         with --cpu jit: compile translated pages to WebAssembly except
                         those with a system call (auto, the default), all of them (wasm),
                         or keep them as JavaScript functions (js)
  --trace-syscalls       print every system call to stderr in strace's format
  -o, --trace-output FILE
                         write the --trace-syscalls lines to FILE instead (implies it)
  --trace FILE           write a Chrome trace-event JSON file (open it in Perfetto)
  --seed N|random        seed of guest randomness (getrandom, AT_RANDOM, /dev/urandom);
                         default a fixed seed, so runs repeat; 'random' takes one from the host
  --quiet                do not print kernel warnings (OOM kills, kernel errors) to stderr
  --verbose              print every kernel log line to stderr
  -h, --help             show this help
  -V, --version          show the version

Host keys on a terminal (as QEMU's): Ctrl-A x stops the machine, Ctrl-A h lists the keys,
Ctrl-A Ctrl-A sends a Ctrl-A.

Exit status: the command's (--cmd), pid 1's, or poweroff's; 2 for a bad command line or a file
that cannot be used; 124 when --max-cycles or --max-instructions stopped the run; 125 on a
deadlock (every process blocked and nothing can wake one; for --bare, a CPU waiting for an
interrupt that cannot come); 126 for a --bare program caught in a trap storm.
`;

export const TRY_HELP = "Try 'deno run -A mod.ts --help'.";

/** Raised for a bad command line; the message says what is wrong. */
export class UsageError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parsed command-line options. */
export interface CommandLine {
  /** What to do. */
  mode: "shell" | "cmd" | "bare" | "help" | "version";
  /** Command for `--cmd`. */
  cmd?: string;
  /** ELF path for `--bare`. */
  bare?: string;
  /** pid 1 program. */
  init?: string;
  /** `--personality`: the session's personality. */
  personality?: "unix" | "win32";
  /** RAM size in bytes. */
  ramSize?: number;
  /** Quantum in simulated milliseconds. */
  quantumMs?: number;
  /** `--sched`: the scheduler plugin's name. */
  scheduler?: string;
  /** `--module-path` directories. */
  modulePaths?: string[];
  /** `--monitor` address. */
  monitor?: string;
  /** Host directories to share. */
  shares: { hostDir: string; guestDir: string }[];
  /** The tape image. */
  tape?: { path: string; readOnly: boolean };
  /** Disk images, hda first. */
  disks: { path: string; readOnly: boolean }[];
  /** Size for missing disk images, bytes. */
  diskSize?: number;
  /** ATA driver. */
  ataDriver?: AtaDriverName;
  /** Root device. */
  root?: string;
  /** Buffer cache bytes. */
  blockCache?: number;
  /** Elevator. */
  elevator?: "clook" | "fifo";
  /** Instruction limit for bare runs. */
  maxInstructions?: number;
  /** Simulated-cycle limit of a kernel run. */
  maxCycles?: number;
  /** Print system calls to stderr (or {@link traceOutput}). */
  traceSyscalls: boolean;
  /** File for the system-call trace (`-o`). */
  traceOutput?: string;
  /** Chrome trace output file. */
  traceFile?: string;
  /** Seed of guest randomness (32 bits). */
  seed?: number;
  /** CPU engine (`--cpu`). */
  cpu?: "interp" | "jit";
  /** The translator's back end (`--jit-backend`). */
  jitBackend?: "auto" | "wasm" | "js";
  /** Which kernel log lines go to stderr: warnings (default), none, or all. */
  logLevel: "warn" | "quiet" | "verbose";
  /** `-t`: the command's standard streams stay on the console terminal. */
  tty: boolean;
  /** `--uart-reset`: a bare run's UART starts in the chip's reset state. */
  uartReset: boolean;
}

/** Parses `--seed`: a 32-bit number, or `random` (from the host's CSPRNG). */
export function parseSeed(text: string): number {
  if (text === "random") return crypto.getRandomValues(new Uint32Array(1))[0];
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) {
    throw new UsageError(`--seed needs an integer from 0 to 4294967295 or 'random', got '${text}'`);
  }
  return n;
}

/** Parses a size such as `64M`, `1G`, `65536`, `512K` or `2T` into bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+)([KMGTP]?)i?B?$/i.exec(text.trim());
  if (m === null) throw new UsageError(`bad size '${text}' (use e.g. 64M or 1G)`);
  const units: Record<string, number> = {
    "": 1,
    K: 1024,
    M: 1024 ** 2,
    G: 1024 ** 3,
    T: 1024 ** 4,
    P: 1024 ** 5,
  };
  return Number(m[1]) * (units[m[2].toUpperCase()] ?? 1);
}

/** Parses `--mem`: a size from 1M to 1G, a whole number of 4 KiB pages. */
export function parseMem(text: string): number {
  let n: number;
  try {
    n = parseSize(text);
  } catch (e) {
    throw new UsageError(`--mem: ${(e as Error).message}`);
  }
  const range = "the RAM size must be from 1M to 1G";
  if (n < MIN_RAM_SIZE) throw new UsageError(`--mem ${text}: too small; ${range}`);
  if (n > MAX_RAM_SIZE) throw new UsageError(`--mem ${text}: too large; ${range}`);
  if (n % 4096 !== 0) {
    throw new UsageError(`--mem ${text}: the RAM size must be a whole number of 4K pages`);
  }
  return n;
}

function parsePositive(name: string, text: string): number {
  const n = Number(text);
  if (Number.isFinite(n) && n < 0) {
    throw new UsageError(`--${name} ${text}: a negative value; it needs a positive number`);
  }
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${name} needs a positive number, got '${text}'`);
  }
  return n;
}

/** Options that take a value (a following `-1` is their value, not an option). */
const VALUE_OPTIONS = new Set([
  "--cmd",
  "--init",
  "--personality",
  "--mem",
  "--quantum",
  "--sched",
  "--module-path",
  "--monitor",
  "--share",
  "--tape",
  "--bare",
  "--max-instructions",
  "--max-cycles",
  "--trace",
  "--seed",
  "--trace-output",
  "-o",
  "--disk",
  "--disk-size",
  "--driver",
  "--root",
  "--block-cache",
  "--elevator",
  "--cpu",
  "--jit-backend",
]);

/** Joins `--opt -1` into `--opt=-1`, so that a negative number reaches the option's own check. */
function joinNegativeValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (VALUE_OPTIONS.has(args[i]) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

/** Rewords a `parseArgs` error as one line in our own words. */
function parseArgsMessage(e: Error & { code?: string }): string {
  const name = /'(-[^' ]*)/.exec(e.message)?.[1] ?? "";
  const positional = /'([^']*)'/.exec(e.message)?.[1] ?? "";
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option '${name}'`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument '${positional}' (options start with --)`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return VALUE_OPTIONS.has(name) ? `${name} needs a value` : `${name} takes no value`;
    default:
      return e.message.split("\n")[0];
  }
}

/** Parses the command line; throws {@link UsageError} on a wrong flag or value. */
export function parseCommandLine(args: string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args),
      strict: true,
      allowPositionals: false,
      options: {
        cmd: { type: "string" },
        init: { type: "string" },
        personality: { type: "string" },
        mem: { type: "string" },
        quantum: { type: "string" },
        sched: { type: "string" },
        "module-path": { type: "string", multiple: true },
        monitor: { type: "string" },
        share: { type: "string", multiple: true },
        tape: { type: "string" },
        disk: { type: "string", multiple: true },
        "disk-size": { type: "string" },
        driver: { type: "string", multiple: true },
        root: { type: "string" },
        "block-cache": { type: "string" },
        elevator: { type: "string" },
        bare: { type: "string" },
        "max-instructions": { type: "string" },
        "max-cycles": { type: "string" },
        "trace-syscalls": { type: "boolean" },
        "trace-output": { type: "string", short: "o" },
        trace: { type: "string" },
        seed: { type: "string" },
        cpu: { type: "string" },
        "jit-backend": { type: "string" },
        quiet: { type: "boolean" },
        verbose: { type: "boolean" },
        tty: { type: "boolean", short: "t" },
        "uart-reset": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    });
  } catch (e) {
    throw new UsageError(parseArgsMessage(e as Error & { code?: string }));
  }
  const v = parsed.values;
  const out: CommandLine = {
    mode: "shell",
    shares: [],
    disks: [],
    traceSyscalls: v["trace-syscalls"] ?? false,
    logLevel: v.verbose ? "verbose" : v.quiet ? "quiet" : "warn",
    tty: v.tty ?? false,
    uartReset: v["uart-reset"] ?? false,
  };
  if (v.quiet && v.verbose) throw new UsageError("--quiet and --verbose exclude each other");
  if (v.seed !== undefined) out.seed = parseSeed(v.seed);
  if (v.cpu !== undefined) {
    if (v.cpu !== "interp" && v.cpu !== "jit") {
      throw new UsageError(`--cpu takes interp or jit, got '${v.cpu}'`);
    }
    out.cpu = v.cpu;
  }
  const backend = v["jit-backend"];
  if (backend !== undefined) {
    if (backend !== "auto" && backend !== "wasm" && backend !== "js") {
      throw new UsageError(`--jit-backend takes auto, wasm or js, got '${backend}'`);
    }
    if (out.cpu !== "jit") throw new UsageError("--jit-backend needs --cpu jit");
    out.jitBackend = backend;
  }
  if (v.help) return { ...out, mode: "help" };
  if (v.version) return { ...out, mode: "version" };
  if (v.bare !== undefined && v.cmd !== undefined) {
    throw new UsageError("--bare and --cmd exclude each other");
  }
  if (v.bare !== undefined) {
    out.mode = "bare";
    out.bare = v.bare;
  } else if (v.cmd !== undefined) {
    out.mode = "cmd";
    out.cmd = v.cmd;
  }
  if (v.init !== undefined) out.init = v.init;
  if (v.personality !== undefined) out.personality = parsePersonality(v.personality);
  if (v.trace !== undefined) out.traceFile = v.trace;
  if (v["trace-output"] !== undefined) {
    out.traceOutput = v["trace-output"];
    out.traceSyscalls = true;
  }
  if (v.mem !== undefined) out.ramSize = parseMem(v.mem);
  if (v.quantum !== undefined) out.quantumMs = parsePositive("quantum", v.quantum);
  if (v.sched !== undefined) out.scheduler = v.sched;
  if (v.monitor !== undefined) {
    if (!v.monitor.startsWith("unix:") || v.monitor.length <= 5) {
      throw new UsageError(`--monitor: bad address '${v.monitor}' (use unix:PATH)`);
    }
    out.monitor = v.monitor;
  }
  const mp = v["module-path"];
  if (mp !== undefined) {
    for (const dir of mp) {
      let ok = false;
      try {
        ok = Deno.statSync(dir).isDirectory;
      } catch {
        ok = false;
      }
      if (!ok) throw new UsageError(`--module-path: '${dir}' is not a directory`);
    }
    out.modulePaths = mp;
  }
  if (v["max-instructions"] !== undefined) {
    if (v.bare === undefined) {
      throw new UsageError(
        "--max-instructions applies to --bare runs only (--max-cycles limits a kernel run)",
      );
    }
    out.maxInstructions = parsePositive("max-instructions", v["max-instructions"]);
  }
  if (v["max-cycles"] !== undefined) {
    out.maxCycles = parsePositive("max-cycles", v["max-cycles"]);
  }
  if (v.tape !== undefined) out.tape = parseTapeOption(v.tape);
  parseDiskOptions(v, out);
  for (const s of v.share ?? []) {
    const i = s.indexOf(":");
    const hostDir = i < 0 ? s : s.slice(0, i);
    const guestDir = i < 0 ? "/mnt/host" : s.slice(i + 1);
    if (hostDir === "") throw new UsageError(`--share needs a host directory, got '${s}'`);
    if (!guestDir.startsWith("/")) {
      throw new UsageError(`--share guest path must be absolute, got '${guestDir}'`);
    }
    out.shares.push({ hostDir, guestDir });
  }
  return out;
}

/** The disk options of the command line, into `out`. */
function parseDiskOptions(
  v: {
    disk?: string[];
    "disk-size"?: string;
    driver?: string[];
    root?: string;
    "block-cache"?: string;
    elevator?: string;
  },
  out: CommandLine,
): void {
  for (const d of v.disk ?? []) {
    const ro = d.endsWith(",ro");
    const path = ro ? d.slice(0, -3) : d;
    if (path === "") throw new UsageError(`--disk needs an image path, got '${d}'`);
    out.disks.push({ path, readOnly: ro });
  }
  if (out.disks.length > 4) {
    throw new UsageError(`at most 4 disks (hda..hdd), got ${out.disks.length}`);
  }
  if (v["disk-size"] !== undefined) {
    const n = parseSize(v["disk-size"]);
    if (n < 32 * 1024 || n % 512 !== 0) {
      throw new UsageError(`--disk-size ${v["disk-size"]}: at least 32K, a multiple of 512`);
    }
    out.diskSize = n;
  }
  for (const d of v.driver ?? []) {
    const m = /^ata=(.*)$/.exec(d);
    if (m === null) throw new UsageError(`--driver takes ata=dma|irq|poll, got '${d}'`);
    if (!(ATA_DRIVERS as readonly string[]).includes(m[1])) {
      throw new UsageError(`--driver ata=${m[1]}: unknown ATA driver (dma, irq or poll)`);
    }
    out.ataDriver = m[1] as AtaDriverName;
  }
  if (v.root !== undefined) {
    if (!/^\/dev\/hd[a-d][1-4]?$/.test(v.root)) {
      throw new UsageError(`--root takes a disk or partition such as /dev/hda1, got '${v.root}'`);
    }
    if (out.disks.length === 0) throw new UsageError("--root needs a --disk");
    out.root = v.root;
  }
  if (v["block-cache"] !== undefined) {
    const n = parseSize(v["block-cache"]);
    if (n < 64 * 1024) throw new UsageError(`--block-cache ${v["block-cache"]}: at least 64K`);
    out.blockCache = n;
  }
  if (v.elevator !== undefined) {
    if (v.elevator !== "clook" && v.elevator !== "fifo") {
      throw new UsageError(`--elevator takes clook or fifo, got '${v.elevator}'`);
    }
    out.elevator = v.elevator;
  }
}

/** Parses `--personality`: `unix` or `win32`. */
export function parsePersonality(text: string): "unix" | "win32" {
  if (text === "unix" || text === "win32") return text;
  throw new UsageError(`--personality takes unix or win32, got '${text}'`);
}

/** Parses `PATH[,ro]`. */
export function parseTapeOption(text: string): { path: string; readOnly: boolean } {
  const ro = text.endsWith(",ro");
  const path = ro ? text.slice(0, -3) : text;
  if (path === "") throw new UsageError(`--tape needs a .tap file path, got '${text}'`);
  return { path, readOnly: ro };
}
