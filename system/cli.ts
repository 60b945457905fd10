/**
 * The command line: `deno run -A mod.ts [options]`. Parses the options
 * ({@link parseCommandLine}), boots the kernel on the host terminal or runs a
 * bare-metal ELF, and turns every user mistake into one line on stderr with
 * exit status 2 ({@link main}).
 *
 * @module
 */

import { BareMetalError, drainUart, runBareElf } from "./bare_runner.ts";
import { ElfFormatError, parseElf32 } from "../lib/elf.ts";
import { createMachine, MachineConfigError } from "../hw/machine.ts";
import { MEMORY_MAP } from "../hw/memory_map.ts";
import { TerminalConsole } from "./terminal_console.ts";
import { BootError, bootKernel, type BootOptions } from "./boot.ts";
import { attachHostStdio, type HostStdio, noConsoleInput } from "./host_stdio.ts";
import { KernelError } from "../kernel/errors.ts";
import { HostFsError } from "../kernel/fs/hostfs.ts";
import { StorageConfigError } from "../hw/storage.ts";
import { TapeIoError } from "../hw/tape_drive.ts";
import { TraceRecorder } from "../kernel/proc/trace.ts";
import { dirname } from "node:path";

export {
  type CommandLine,
  parseCommandLine,
  parseMem,
  parsePersonality,
  parseSeed,
  parseSize,
  parseTapeOption,
  USAGE,
  UsageError,
  VERSION,
} from "./cli_args.ts";
import {
  type CommandLine,
  parseCommandLine,
  TRY_HELP,
  USAGE,
  UsageError,
  VERSION,
} from "./cli_args.ts";

/**
 * True for a kernel log line that is a warning or an error (printed to
 * stderr unless `--quiet`): OOM kills, host exceptions caught in the
 * kernel, hooks and timer callbacks that threw.
 */
export function isKernelWarning(line: string): boolean {
  return /\] (Out of memory|kernel error|.* threw\b)/.test(line);
}

/** Checks that a tape file exists or can be created (its directory exists). */
export function checkTapePath(tape: { path: string; readOnly: boolean }): void {
  let info: Deno.FileInfo | null = null;
  try {
    info = Deno.statSync(tape.path);
  } catch {
    info = null;
  }
  if (info !== null) {
    if (!info.isFile) throw new UsageError(`--tape ${tape.path}: not a regular file`);
    return;
  }
  if (tape.readOnly) throw new UsageError(`--tape ${tape.path}: no such file (and ,ro given)`);
  try {
    if (Deno.statSync(dirname(tape.path)).isDirectory) return;
  } catch {
    // reported below
  }
  throw new UsageError(`--tape ${tape.path}: cannot create: no such directory`);
}

/** A host error's message without Deno's `(os error N): syscall 'path'` tail. */
export function hostErrorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/ \(os error \d+\).*$/s, "");
}

/** Parses the `--bare` file, saying in the file's name what it is when it cannot run. */
function parseBareElf(path: string, bytes: Uint8Array) {
  const magic = bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 &&
    bytes[2] === 0x4c && bytes[3] === 0x46;
  if (!magic) throw new UsageError(`${path}: not an ELF file`);
  if (bytes.length > 4 && bytes[4] === 2) {
    throw new UsageError(`${path}: a 64-bit ELF file; only 32-bit RISC-V (RV32) programs run`);
  }
  try {
    return parseElf32(bytes);
  } catch (e) {
    if (e instanceof ElfFormatError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
}

/** Instructions a `--bare` run may take without `--max-instructions` (about a minute of host time). */
export const BARE_DEFAULT_LIMIT = 10_000_000_000;

/** Runs a bare-metal ELF on a fresh machine with the UART on the terminal; returns the exit status. */
export async function runBareCommand(line: CommandLine): Promise<number> {
  const path = line.bare!;
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${hostErrorText(e)}`);
  }
  const image = parseBareElf(path, bytes);
  const machine = createMachine({
    ramSize: line.ramSize,
    console: new TerminalConsole(),
    uartInit: line.uartReset ? "reset" : "firmware",
    cpu: { engine: line.cpu, jitBackend: line.jitBackend },
  });
  const recorder = line.traceFile === undefined
    ? undefined
    : new TraceRecorder(machine.clock.frequency);
  if (line.traceFile !== undefined) traceSink(line); // checks that the file can be written
  try {
    const result = runBareElf(machine, image, {
      maxInstructions: line.maxInstructions ?? BARE_DEFAULT_LIMIT,
      onOutput: (_fd, data) => Deno.stdout.writeSync(data),
      trace: recorder,
    });
    drainUart(machine); // the tail of the output is still in the UART
    machine.console.flush?.();
    switch (result.status) {
      case "pass":
        return 0;
      case "fail":
        console.error(`strata: ${path}: test failed with code ${result.code}`);
        return result.code === 0 ? 1 : Math.min(result.code, 255);
      case "limit": {
        const why = line.maxInstructions === undefined
          ? `the default limit of --bare; set another with --max-instructions N`
          : "--max-instructions";
        console.error(
          `strata: ${path}: stopped after ${result.instructions} instructions (${why})`,
        );
        return 124;
      }
      case "trap-storm":
        console.error(`strata: ${path}: ${result.message}`);
        return 126;
      default:
        console.error(`strata: ${path}: the CPU is waiting for an interrupt that cannot come`);
        return 125;
    }
  } finally {
    machine.close();
    if (recorder !== undefined) Deno.writeTextFileSync(line.traceFile!, recorder.toJSON());
  }
}

/** Where kernel log lines go: stderr with a `strata:` prefix, as `logLevel` says. */
export function kernelLogSink(
  level: CommandLine["logLevel"],
): ((line: string) => void) | undefined {
  if (level === "quiet") return undefined;
  return (line) => {
    if (level === "verbose" || isKernelWarning(line)) console.error(`strata: ${line}`);
  };
}

/** The line printed (on stderr) before an interactive boot to the shell. */
export function interactiveBanner(line: CommandLine): string {
  const mib = (line.ramSize ?? MEMORY_MAP.RAM_SIZE_DEFAULT) / (1024 * 1024);
  const shares = line.shares.map((s) => `, ${s.hostDir} at ${s.guestDir}`).join("");
  const keys = "(or Ctrl-A x; Ctrl-A h lists the host keys).";
  if (line.personality === "win32") {
    return `strata ${VERSION}: RV32GC (IMAFDC), ${mib} MiB, Win32 session${shares}. ` +
      `Try dir, ver, set, tasklist, ls -l /bin; exit ends the session ${keys}`;
  }
  return `strata ${VERSION}: RV32GC (IMAFDC), ${mib} MiB, Unix personality${shares}. ` +
    `Try ls -l /bin, ps, cat /proc/meminfo; ^C interrupts, exit or poweroff stops the machine ${keys}`;
}

/**
 * Boot options for the `--cmd` standard streams (`system/host_stdio.ts`):
 * the host streams that are not terminals, and a console that leaves host
 * stdin to them (and writes to stderr when stdout is a pipe, so stray
 * console output cannot corrupt it).
 */
export function stdioOptions(stdio: HostStdio | null): Pick<BootOptions, "stdio" | "console"> {
  if (stdio === null) return {};
  const input = stdio.consoleReadsStdin ? undefined : noConsoleInput();
  const output = stdio.consoleWritesStdout ? undefined : Deno.stderr;
  const io = new TerminalConsole({ input, output });
  return { stdio: stdio.spec, console: { kind: "custom", io } };
}

/**
 * True when a `--cmd` on the host terminal ended by SIGINT (status 130, as
 * after ^C): the terminal's cursor is still after the echoed `^C`, so a
 * newline goes out first, as bash and dash print one for a job that ^C
 * killed.
 */
export function interruptedOnTerminal(
  line: CommandLine,
  status: number,
  stdio: Pick<HostStdio, "consoleWritesStdout"> | null,
  stdoutIsTerminal: () => boolean = () => Deno.stdout.isTerminal(),
): boolean {
  return line.mode === "cmd" && status === 128 + 2 && stdio !== null &&
    stdio.consoleWritesStdout && stdoutIsTerminal();
}

/** Opens `path` for writing (created or emptied), or says in one line why it cannot be. */
function openForWriting(option: string, path: string): Deno.FsFile {
  try {
    return Deno.openSync(path, { write: true, create: true, truncate: true });
  } catch (e) {
    throw new UsageError(`${option} ${path}: cannot write: ${hostErrorText(e)}`);
  }
}

/**
 * Checks before boot that the trace files can be written; returns the sink
 * of `--trace-syscalls` lines (stderr, or the `-o` file line by line).
 */
export function traceSink(line: CommandLine): ((text: string) => void) | undefined {
  if (line.traceFile !== undefined) openForWriting("--trace", line.traceFile).close();
  if (!line.traceSyscalls) return undefined;
  if (line.traceOutput === undefined) return (text) => console.error(text);
  const file = openForWriting("-o", line.traceOutput);
  const encoder = new TextEncoder();
  return (text) => {
    const bytes = encoder.encode(text + "\n");
    for (let off = 0; off < bytes.length;) off += file.writeSync(bytes.subarray(off));
  };
}

/** The command-line program: parses `args`, runs, and returns the exit status. */
export async function main(args: string[]): Promise<number> {
  let line: CommandLine;
  try {
    line = parseCommandLine(args);
  } catch (e) {
    console.error(`strata: ${(e as Error).message}\n${TRY_HELP}`);
    return 2;
  }
  if (line.mode === "help") {
    console.log(USAGE);
    return 0;
  }
  if (line.mode === "version") {
    console.log(`strata ${VERSION}`);
    return 0;
  }
  try {
    if (line.mode === "bare") return await runBareCommand(line);
    if (line.tape !== undefined) checkTapePath(line.tape);
    if (line.mode === "shell" && line.init === undefined && Deno.stdin.isTerminal()) {
      console.error(interactiveBanner(line));
    }
    const stdio = line.mode === "cmd" ? attachHostStdio(line.tty) : null;
    const result = await bootKernel({
      ...stdioOptions(stdio),
      ramSize: line.ramSize,
      quantum: line.quantumMs === undefined ? undefined : `${line.quantumMs}ms`,
      scheduler: line.scheduler,
      modulePaths: line.modulePaths,
      monitor: line.monitor,
      init: line.init,
      personality: line.personality,
      cmd: line.cmd,
      share: line.shares,
      tape: line.tape,
      disks: line.disks.length > 0 ? line.disks : undefined,
      diskSize: line.diskSize,
      ataDriver: line.ataDriver,
      root: line.root,
      blockCacheSize: line.blockCache,
      blockElevator: line.elevator,
      trace: traceSink(line),
      chromeTrace: line.traceFile,
      maxCycles: line.maxCycles,
      seed: line.seed,
      cpu: line.cpu,
      jitBackend: line.jitBackend,
      log: kernelLogSink(line.logLevel),
    });
    stdio?.close();
    if (interruptedOnTerminal(line, result.status, stdio)) {
      Deno.stdout.writeSync(new Uint8Array([10]));
    }
    if (result.reason === "deadlock" || result.reason === "error" || result.reason === "timeout") {
      console.error(`strata: machine stopped (${result.reason}): ${result.detail}`);
    }
    return result.status;
  } catch (e) {
    if (
      e instanceof UsageError || e instanceof ElfFormatError || e instanceof BareMetalError ||
      e instanceof MachineConfigError || e instanceof BootError || e instanceof HostFsError ||
      e instanceof StorageConfigError || e instanceof KernelError || e instanceof TapeIoError
    ) {
      console.error(`strata: ${hostErrorText(e)}\n${TRY_HELP}`);
      return 2;
    }
    // Not a user's or a guest's mistake: a bug of ours. Say so, with the stack.
    console.error(`strata: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return 70;
  }
}
