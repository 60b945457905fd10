/**
 * One cold run, measured from inside a fresh process: `bench/cold_compare.ts`
 * starts this script once per sample. It loads the simulator (module loading
 * is not timed), runs one workload, and prints on stderr one line
 * `COLD {json}` with the wall and CPU time of the run itself (the machine's
 * creation included) and of the whole process so far.
 *
 * ```sh
 * deno run -A bench/cold_probe.ts ENGINE[:THRESHOLD] bare FILE.elf
 * deno run -A bench/cold_probe.ts ENGINE[:THRESHOLD] cmd 'COMMAND' [SHARE_DIR]
 * ```
 *
 * `bare` runs a bare-metal ELF as `--bare` does; `cmd` boots the default
 * machine and runs the shell command as `--cmd` does (host stdio attached as
 * pipes, `SHARE_DIR` shown at `/mnt/host`). ENGINE is `interp` or `jit`,
 * THRESHOLD the translator's hot threshold (default: the CPU's).
 *
 * @module
 */

import process from "node:process";
import { createMachine } from "../hw/machine.ts";
import { parseElf32 } from "../lib/elf.ts";
import { runBareElf } from "../system/bare_runner.ts";
import { boot } from "../system/boot.ts";
import { stdioOptions } from "../system/cli.ts";
import { attachHostStdio } from "../system/host_stdio.ts";
import { parseEngineSpec } from "./engine_spec.ts";

/** What the probe reports. */
export interface ProbeResult {
  /** Wall time of the run, ms. */
  runMs: number;
  /** Process CPU time (user + system) of the run, ms. */
  runCpuMs: number;
  /** Wall time since the process's time origin, at the end, ms. */
  procMs: number;
  /** Process CPU time since the process started, at the end, ms. */
  procCpuMs: number;
  /** Guest instructions retired (user and kernel-mode guest code). */
  instret: number;
  /** Pages the translator compiled (jit), or -1. */
  translations: number;
  /** Exit status of the run (0 for a passing bare program). */
  status: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function probe(args: string[]): Promise<ProbeResult> {
  const [engineSpec, mode, what, share] = args;
  const { engine, hotThreshold, jitBackend } = parseEngineSpec(engineSpec);
  if (mode === "bare") {
    const image = parseElf32(Deno.readFileSync(what));
    const t0 = performance.now(), c0 = cpuMs();
    const machine = createMachine({ cpu: { engine, hotThreshold, jitBackend } });
    const r = runBareElf(machine, image, { maxInstructions: 1e9 });
    const t1 = performance.now(), c1 = cpuMs();
    const translations = machine.cpu.translator?.translations ?? -1;
    machine.close();
    return {
      runMs: t1 - t0,
      runCpuMs: c1 - c0,
      procMs: performance.now(),
      procCpuMs: cpuMs(),
      instret: r.instructions,
      translations,
      status: r.status === "pass" ? 0 : 1,
    };
  }
  if (mode !== "cmd") throw new Error(`mode must be bare or cmd, got ${mode}`);
  const t0 = performance.now(), c0 = cpuMs();
  const stdio = attachHostStdio(false);
  // What bootKernel does for `--cmd` (without a monitor).
  const sys = await boot({
    ...stdioOptions(stdio),
    cmd: what,
    share: share === undefined ? undefined : [{ hostDir: share }],
    cpu: engine,
    hotThreshold,
    jitBackend,
  }, "terminal");
  const result = await sys.run();
  sys.machine.close();
  stdio.close();
  const t1 = performance.now(), c1 = cpuMs();
  return {
    runMs: t1 - t0,
    runCpuMs: c1 - c0,
    procMs: performance.now(),
    procCpuMs: cpuMs(),
    instret: sys.machine.cpu.instret,
    translations: sys.machine.cpu.translator?.translations ?? -1,
    status: result.status,
  };
}

if (import.meta.main) {
  const r = await probe(Deno.args);
  console.error(`COLD ${JSON.stringify(r)}`);
  Deno.exit(0);
}
