/**
 * Limits for every test that runs a guest, so that a hung guest fails its
 * test quickly with a clear message instead of stalling the suite.
 *
 * On Strata a run has two limits: a cycle limit sized to what the program
 * needs (deterministic: simulated time), and {@link HOST_LIMIT_MS} of host
 * time as a backstop for hangs that burn host time but few cycles. Neither
 * changes a run that finishes: the simulation does not read the host clock.
 * Under qemu-riscv32 (a host process) the limit is host time only:
 * {@link runHostCommand} kills the process and throws.
 *
 * A broken kernel can make every run hang; so that the suite still ends
 * quickly, once {@link HANG_BUDGET} runs of a test module have hung, the
 * later guarded runs fail at once without running.
 *
 * @module
 */

import { type BootOptions, type GuestResult, runGuest } from "../system/boot.ts";

/** Host time one Strata guest run may take in the tests (runs take well under 2 s). */
export const HOST_LIMIT_MS = 20_000;

/** Host time one qemu-riscv32 run may take (runs take well under 1 s). */
export const QEMU_LIMIT_MS = 10_000;

/** Hung runs after which the module's later guarded runs fail without running. */
export const HANG_BUDGET = 3;

let hangs = 0;

/** Throws {@link GuestHungError} once {@link HANG_BUDGET} runs have hung. */
function checkHangBudget(): void {
  if (hangs >= HANG_BUDGET) {
    throw new GuestHungError(
      `not run: ${hangs} earlier guest runs hung (see the first failures); failing fast`,
    );
  }
}

/** Raised when a guest run hit its cycle or host-time limit. */
export class GuestHungError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "GuestHungError";
  }
}

/**
 * Boot options with a cycle limit (required: size it to the program) and the
 * host limit; throws instead once too many runs have hung.
 */
export function guarded(options: BootOptions & { maxCycles: number }): BootOptions {
  checkHangBudget();
  return { maxHostMs: HOST_LIMIT_MS, ...options };
}

/** Throws {@link GuestHungError} if `r` was stopped by a limit; returns `r` otherwise. */
export function assertFinished(r: GuestResult, what: string): GuestResult {
  if (r.reason === "timeout") {
    hangs++;
    const tail = r.output.slice(-300);
    throw new GuestHungError(
      `guest hung: ${what}: ${r.detail}; console ends with ${JSON.stringify(tail)}`,
    );
  }
  return r;
}

/** {@link runGuest} with {@link guarded} limits; a run that hits one throws. */
export async function runGuarded(
  options: BootOptions & { maxCycles: number },
): Promise<GuestResult> {
  const r = await runGuest(guarded(options));
  return assertFinished(
    r,
    options.cmd ?? [options.init ?? "/bin/init", ...(options.initArgs ?? [])].join(" "),
  );
}

/** What a host process produced. */
export interface HostRun {
  /** Exit code. */
  code: number;
  /** Signal that ended it, or null. */
  signal: Deno.Signal | null;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Options of {@link runHostCommand}. */
export interface HostRunOptions {
  /** Standard input (always a pipe, closed after this text). */
  stdin?: string;
  /** Environment (replaces the host's when given, unless `inheritEnv`). */
  env?: Record<string, string>;
  /** Add `env` to the host's environment instead of replacing it. */
  inheritEnv?: boolean;
  /** Working directory. */
  cwd?: string;
  /** Host-time limit (default {@link QEMU_LIMIT_MS}). */
  timeoutMs?: number;
}

/**
 * Runs a host command (qemu-riscv32 with a guest program) with a host-time
 * limit: past it the process is killed and {@link GuestHungError} thrown.
 */
export async function runHostCommand(
  cmd: string,
  args: string[],
  opts: HostRunOptions = {},
): Promise<HostRun> {
  checkHangBudget();
  const child = new Deno.Command(cmd, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    cwd: opts.cwd,
    env: opts.env,
    clearEnv: opts.env !== undefined && !opts.inheritEnv,
  }).spawn();
  const limit = opts.timeoutMs ?? QEMU_LIMIT_MS;
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    try {
      child.kill("SIGKILL");
    } catch (e) {
      // It exited between the timer firing and the kill: not a hang after all.
      if (!(e instanceof TypeError)) throw e;
      killed = false;
    }
  }, limit);
  try {
    // A program that exits without reading all of its input is not an error here.
    const writing = (async () => {
      const writer = child.stdin.getWriter();
      if (opts.stdin) await writer.write(new TextEncoder().encode(opts.stdin));
      await writer.close();
    })().catch(() => {});
    const out = await child.output();
    await writing;
    if (killed) {
      hangs++;
      throw new GuestHungError(
        `guest hung: ${cmd} ${args.join(" ")} did not exit within ${limit} ms; ` +
          `killed by ${out.signal}`,
      );
    }
    const dec = new TextDecoder();
    return {
      code: out.code,
      signal: out.signal,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}
