/**
 * One function's machine code with the instructions callgrind counted at
 * each address: where a code object V8 compiled spends its host
 * instructions, instruction by instruction (register moves at a loop's
 * back edge, map checks, bounds checks, spills). It reads the code from
 * the jitdump file V8's `--perf-prof` writes (`bench/jitdump.ts`), the
 * counts from a callgrind file written with `--dump-instr=yes`
 * (`bench/callgrind_instr.ts`), and disassembles with `objdump`.
 *
 * ```sh
 * valgrind --tool=callgrind --dump-instr=yes --compress-pos=no --instr-atstart=no \
 *   --callgrind-out-file=/tmp/w.cg deno run -A --v8-flags=--predictable,--perf-prof \
 *   bench/cg_window.ts "/bin/bench_getpid 400000" jit 20000000 32000000
 * deno run -A bench/cg_code.ts jit-PID.dump /tmp/w.cg.1 "JS:*'page "
 * ```
 *
 * (`--perf-prof` writes `jit-PID.dump` in the working directory.) NAME is
 * a part of the code object's name; of the objects whose names contain it
 * and start with `--prefix` (default `JS:*`, TurboFan's code), the one
 * with the most instructions counted is shown: V8 may compile a function
 * several times (an address counts for the last object loaded over it, as
 * in `bench/cg_objects.ts`). Instructions counted
 * fewer than `--min` times (default 1) are left out; `--all` shows every
 * one. The first line gives the object's name, address, size and total;
 * divide the counts by the entry's to read them per call.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { readJitCode } from "./jitdump.ts";
import { readInstrCosts } from "./callgrind_instr.ts";
import { ownedCounts } from "./cg_objects.ts";
import { runMain } from "./run_main.ts";

const USAGE =
  "deno run -A bench/cg_code.ts JITDUMP CALLGRIND_OUT NAME [--prefix 'JS:*'] [--min N] [--all]";

/** objdump's name for the host's instruction set. */
function objdumpArch(): string {
  return Deno.build.arch === "aarch64" ? "aarch64" : "i386:x86-64";
}

/** The disassembly of `code` at `addr`: one [address, text] per instruction. */
async function disassemble(code: Uint8Array, addr: bigint): Promise<[bigint, string][]> {
  const file = await Deno.makeTempFile({ prefix: "cg_code" });
  try {
    await Deno.writeFile(file, code);
    const args = [
      "-D",
      "-b",
      "binary",
      `-m${objdumpArch()}`,
      `--adjust-vma=0x${addr.toString(16)}`,
      file,
    ];
    let r: Deno.CommandOutput;
    try {
      r = await new Deno.Command("objdump", { args, stdout: "piped", stderr: "piped" }).output();
    } catch (e) {
      throw new Error("objdump not found (install binutils)", { cause: e });
    }
    if (!r.success) throw new Error(`objdump failed: ${new TextDecoder().decode(r.stderr).trim()}`);
    const out: [bigint, string][] = [];
    for (const line of new TextDecoder().decode(r.stdout).split("\n")) {
      const m = /^\s*([0-9a-f]+):\t(.*)$/.exec(line);
      if (m !== null) out.push([BigInt(`0x${m[1]}`), m[2].replace(/\s+/g, " ")]);
    }
    return out;
  } finally {
    await Deno.remove(file);
  }
}

await runMain("cg_code", async () => {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      prefix: { type: "string", default: "JS:*" },
      min: { type: "string", default: "1" },
      all: { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  const [dump, cg, name] = positionals;
  if (dump === undefined || cg === undefined || name === undefined) {
    throw new Error("three arguments: JITDUMP CALLGRIND_OUT NAME");
  }
  const min = Number(values.min);
  if (!Number.isSafeInteger(min) || min < 0) throw new Error(`bad --min '${values.min}'`);
  const codes = readJitCode(await Deno.readFile(dump), () => true);
  const matches = (n: string) => n.startsWith(values.prefix) && n.includes(name);
  if (!codes.some((c) => matches(c.name))) {
    throw new Error(`no code object named ${values.prefix}…${name}…`);
  }
  const costs = readInstrCosts(await Deno.readTextFile(cg));
  const floor = values.all ? 0 : min;
  // The object that ran the most (V8 may have compiled the function more
  // than once), an address counted for the last object loaded over it.
  const { counts } = ownedCounts(codes, costs);
  let obj = codes[0], total = -1;
  codes.forEach((o, i) => {
    if (matches(o.name) && counts[i] >= total) [obj, total] = [o, counts[i]];
  });
  console.log(`${obj.name} at 0x${obj.addr.toString(16)}, ${obj.code.length} bytes: ${total} Ir`);
  for (const [a, text] of await disassemble(obj.code, obj.addr)) {
    const c = costs.get(a) ?? 0;
    if (c < floor) continue;
    console.log(`${String(c).padStart(12)}  ${a.toString(16)}  ${text}`);
  }
}, USAGE);
