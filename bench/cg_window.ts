/**
 * A window of simulated time for callgrind: boots a guest command and has
 * two clock events, at simulated cycles `FROM` and `TO`, start and stop
 * callgrind's instrumentation (its client requests, made by a small C
 * library built with clang on first use and called through `Deno.dlopen`),
 * so that callgrind counts the host instructions of that window only, not
 * boot (whose count varies by 10 % from run to run on a loaded host).
 *
 * ```sh
 * valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/w.cg \
 *   deno run -A --v8-flags=--predictable bench/cg_window.ts \
 *   "/bin/bench_getpid 200000" jit 6000000 18000000
 * ```
 *
 * prints the guest's status and cycles; callgrind's "Collected" line is the
 * window's count. Starting the instrumentation costs a fixed amount (V8
 * tiering up again the code that runs first), so take two windows with the
 * same `FROM` and different `TO` and divide their difference by the
 * operations between the two ends (the simulated cycles per operation are
 * fixed). Outside valgrind the requests do nothing. For WebAssembly page
 * functions (`jit`, `jit-wasm`) add `--no-liftoff` to the V8 flags: under
 * `--predictable` a page function that goes on through system calls may
 * keep its baseline (Liftoff) code through the whole window, since
 * WebAssembly has no on-stack replacement.
 *
 * @module
 */

import { runMain } from "./run_main.ts";
import { runWithMarks } from "./cycle_marks.ts";
import { parseEngineSpec } from "./engine_spec.ts";

const USAGE =
  'cg_window.ts "CMD" interp|jit|jit:THRESHOLD FROM_CYCLE TO_CYCLE (under valgrind --tool=callgrind ' +
  "--instr-atstart=no)";

const SOURCE = `#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void cg_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS_AT("window"); }
`;

/** Builds the client-request library (needs clang and valgrind's headers); returns its path. */
async function buildLibrary(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "cg_window" });
  await Deno.writeTextFile(`${dir}/cgctl.c`, SOURCE);
  const out = `${dir}/libcgctl.so`;
  const cc = new Deno.Command("clang", {
    args: ["-O2", "-shared", "-fPIC", "-o", out, `${dir}/cgctl.c`],
  });
  const r = await cc.output();
  if (!r.success) throw new Error(`clang failed: ${new TextDecoder().decode(r.stderr)}`);
  return out;
}

/** Parses a non-negative cycle count. */
function cycles(text: string | undefined, what: string): number {
  const v = Number(text);
  if (text === undefined || !Number.isSafeInteger(v) || v < 0) {
    throw new Error(`bad ${what} '${text}'`);
  }
  return v;
}

await runMain("cg_window", async () => {
  const [cmd, spec, fromText, toText] = Deno.args;
  if (cmd === undefined || spec === undefined) throw new Error("bad arguments");
  const engine = parseEngineSpec(spec);
  const from = cycles(fromText, "FROM_CYCLE");
  const to = cycles(toText, "TO_CYCLE");
  if (to <= from) throw new Error("TO_CYCLE must be after FROM_CYCLE");
  const path = await buildLibrary();
  const lib = Deno.dlopen(path, {
    cg_start: { parameters: [], result: "void" },
    cg_stop: { parameters: [], result: "void" },
  });
  try {
    const r = await runWithMarks(cmd, engine, [from, to], (i) => {
      if (i === 0) lib.symbols.cg_start();
      else lib.symbols.cg_stop();
    });
    console.log(`status ${r.status} cycles ${r.cycles}`);
    if (r.reached < 2) console.log("warning: the program ended before TO_CYCLE");
  } finally {
    lib.close();
    await Deno.remove(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  }
}, USAGE);
