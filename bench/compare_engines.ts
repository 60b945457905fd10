/**
 * The engines `bench/compare.ts` runs a benchmark program on, each behind one
 * interface: start the program with N, wait for it, return the host time,
 * its standard output and (on Strata) the instructions retired.
 *
 * - `native`: the C source built with the host `cc -O2` (glibc, host ISA);
 * - `qemu`: the committed RISC-V binary under `qemu-riscv32` (user mode);
 * - `interp` / `jit`: the same binary on Strata with the CPU's interpreter
 *   or translator (boot option `cpu`), each run a process of its own that
 *   boots one machine (`bench/strata_run.ts`), as a user's process does.
 *   Their timed samples are windows inside one run ({@link Engine.window}):
 *   no process start-up, boot or exit in them, and no other machine in the
 *   process. `jit` is skipped when the build has no translator.
 *
 * An engine that cannot run here is not created; the reason is returned as a
 * note instead, so the table says what was skipped.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BootError, type BootOptions, runGuest } from "../system/boot.ts";
import { parseEngineSpec } from "./engine_spec.ts";
import { runStrataChild, type StrataRunReport } from "./strata_run.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "userland/bin");
const SRC = join(ROOT, "userland/bench");

/** One finished run of a program. */
export interface EngineRun {
  /** Host wall time of the whole run, nanoseconds. */
  ns: number;
  /** What the program printed on standard output (newlines as `\n`). */
  stdout: string;
  /** Guest instructions retired (Strata only). */
  instret: number | null;
}

/** A way to run the benchmark programs. */
export interface Engine {
  /** Column name: native, qemu, interp, jit. */
  readonly name: string;
  /** Factor applied to the Ns of the CPU programs in timed rounds (1 on Strata). */
  readonly cpuScale: number;
  /** Runs `program` with argument `n`; throws {@link CompareError} when it fails. */
  run(program: string, n: number): Promise<EngineRun>;
  /**
   * Times the work from N = `n1` to `n2` inside one run of `n2` (engines
   * that can mark points inside a run); without it a timed sample is the
   * difference of two runs.
   */
  window?(program: string, n1: number, n2: number): Promise<EngineWindow>;
}

/** A timed window of one run ({@link Engine.window}). */
export interface EngineWindow {
  /** Host wall time per unit of N, nanoseconds. */
  nsPerN: number;
  /** What the run of N2 printed on standard output (newlines as `\n`). */
  stdout: string;
}

/** A benchmark program that did not run to a clean exit. */
export class CompareError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CompareError";
  }
}

/** Result of setting up the engines: those that can run, and notes on the skipped ones. */
export interface EngineSetup {
  /** Engines in column order. */
  engines: Engine[];
  /** One line per engine that is skipped, saying why. */
  notes: string[];
}

function commandWorks(cmd: string, args: string[]): boolean {
  try {
    return new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

async function timedProcess(cmd: string, args: string[]): Promise<EngineRun> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const ns = (performance.now() - t0) * 1e6;
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim();
    throw new CompareError(`${cmd} ${args.join(" ")}: exit ${out.code} ${err}`);
  }
  return { ns, stdout: new TextDecoder().decode(out.stdout), instret: null };
}

/** Builds each program natively into `dir`; returns the note of a failure, or null. */
function buildNative(programs: readonly string[], dir: string): string | null {
  for (const p of programs) {
    const out = new Deno.Command("cc", {
      args: ["-O2", "-o", join(dir, p), join(SRC, `${p}.c`)],
      stdout: "null",
      stderr: "piped",
    }).outputSync();
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr).split("\n")[0];
      return `native skipped: cc failed on ${p}.c (${err})`;
    }
  }
  return null;
}

function nativeEngine(programs: readonly string[], notes: string[]): Engine | null {
  if (!commandWorks("cc", ["--version"])) {
    notes.push("native skipped: no host C compiler (cc)");
    return null;
  }
  const dir = Deno.makeTempDirSync({ prefix: "strata_compare_" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  const failed = buildNative(programs, dir);
  if (failed !== null) {
    notes.push(failed);
    return null;
  }
  return { name: "native", cpuScale: 50, run: (p, n) => timedProcess(join(dir, p), [String(n)]) };
}

function qemuEngine(notes: string[]): Engine | null {
  if (!commandWorks("qemu-riscv32", ["--version"])) {
    notes.push("qemu skipped: qemu-riscv32 is not installed");
    return null;
  }
  return {
    name: "qemu",
    cpuScale: 10,
    run: (p, n) => timedProcess("qemu-riscv32", [join(BIN, p), String(n)]),
  };
}

/** One run in a child process (`bench/strata_run.ts`), its failure as a {@link CompareError}. */
async function strataRun(
  name: string,
  program: string,
  n: number,
  marks: readonly number[] = [],
): Promise<StrataRunReport> {
  try {
    return await runStrataChild(name, `/bin/${program} ${n}`, marks);
  } catch (e) {
    throw new CompareError((e as Error).message, { cause: e });
  }
}

/**
 * A Strata engine: every run is a process of its own with one machine
 * (`bench/strata_run.ts`). `window` times the operations between N1 and
 * N2 inside one run of N2, between two marks in simulated time: the cycle
 * count where a run of N1 ends, and nine tenths of the way from there to
 * where a run of N2 ends (the cycles of both come from untimed runs, and
 * are the same on every engine).
 */
function strataEngine(name: string): Engine {
  const cycles = new Map<string, number>();
  async function cyclesOf(program: string, n: number): Promise<number> {
    const key = `${program} ${n}`;
    let c = cycles.get(key);
    if (c === undefined) {
      c = (await strataRun(name, program, n)).cycles;
      cycles.set(key, c);
    }
    return c;
  }
  return {
    name,
    cpuScale: 1,
    async run(program, n) {
      const r = await strataRun(name, program, n);
      cycles.set(`${program} ${n}`, r.cycles);
      return { ns: r.ns, stdout: r.output.replaceAll("\r\n", "\n"), instret: r.instret };
    },
    async window(program, n1, n2) {
      const c1 = await cyclesOf(program, n1);
      const c2 = await cyclesOf(program, n2);
      const to = Math.round(c1 + (c2 - c1) * 0.9);
      const r = await strataRun(name, program, n2, [c1, to]);
      const ns = r.marks[1] - r.marks[0];
      return {
        nsPerN: ns / ((to - c1) / ((c2 - c1) / (n2 - n1))),
        stdout: r.output.replaceAll("\r\n", "\n"),
      };
    },
  };
}

/** The translator (`jit`, `jit-wasm`, `jit-js`, each with an optional `:THRESHOLD`), or null (with a note) when the build has none. */
async function jitEngine(name: string, notes: string[]): Promise<Engine | null> {
  try {
    parseEngineSpec(name);
  } catch (e) {
    throw new CompareError((e as Error).message, { cause: e });
  }
  if (!(await cpuOptionWorks("jit"))) {
    notes.push(`${name} skipped: this build has no translator (no boot option cpu: "jit")`);
    return null;
  }
  return strataEngine(name);
}

/** True when `runGuest` accepts the boot option `cpu` with this value. */
async function cpuOptionWorks(value: string): Promise<boolean> {
  try {
    const r = await runGuest({ cmd: "true", cpu: value } as BootOptions);
    return r.status === 0;
  } catch (e) {
    if (e instanceof BootError) return false;
    throw e;
  }
}

/** Sets up the engines named in `wanted` (in that order) that can run here. */
export async function setUpEngines(
  wanted: readonly string[],
  programs: readonly string[],
): Promise<EngineSetup> {
  const notes: string[] = [];
  const engines: Engine[] = [];
  for (const name of wanted) {
    let e: Engine | null = null;
    if (name === "native") e = nativeEngine(programs, notes);
    else if (name === "qemu") e = qemuEngine(notes);
    else if (name === "interp") e = strataEngine("interp");
    else if (/^jit(-wasm|-js)?(:|$)/.test(name)) {
      e = await jitEngine(name, notes);
    } else {throw new CompareError(
        `unknown engine "${name}" (native, qemu, interp, jit, jit-wasm, jit-js, jit:THRESHOLD)`,
      );}
    if (e !== null) engines.push(e);
  }
  return { engines, notes };
}
