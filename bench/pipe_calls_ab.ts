/**
 * The Unix personality's read and write handlers alone, on a real kernel, in
 * two trees at once: each tree boots a machine (`--cmd true`, not run), gives
 * pid 1 a pipe and two mapped pages, and calls `sysWrite` of one byte then
 * `sysRead` of one byte in a loop, straight from the host (no guest code, no
 * trap, no switch, no blocking). A git revision (extracted with `git archive`)
 * and this working tree alternate, the order swapped every round, so a slow
 * spell of the shared host hits both. Prints host ns per write + read pair
 * (wall time of the loop), minimum, median and maximum over the rounds.
 *
 * `deno run -A bench/pipe_calls_ab.ts [--base main] [--rounds 15] [--n 1000000]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./hot_paths.ts";
import { extract } from "./hot_path_ab.ts";
import { runMain } from "./run_main.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Raised when a handler does not move its one byte. */
export class PipeCallsError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PipeCallsError";
  }
}

/** What a tree's modules offer, as far as this bench needs them. */
interface TreeModules {
  boot: (o: { cmd: string }, c: { kind: "buffer" }) => Promise<{
    kernel: {
      getProcess(pid: number): { threads: { regs: Int32Array }[] } | null;
      mmap(p: unknown, addr: number, len: number, prot: number, fixed: boolean): number;
      fdInstall(p: unknown, file: unknown, cloexec: boolean): number;
    };
    machine: { close(): void };
  }>;
  sysRead: (t: unknown, api: unknown) => number;
  sysWrite: (t: unknown, api: unknown) => number;
  createPipe: () => { reader: unknown; writer: unknown };
}

/** Boots the tree at `root` and returns a loop of `n` one-byte write + read pairs, and a close. */
async function setup(root: string): Promise<{ loop: (n: number) => void; close: () => void }> {
  const m = {
    ...(await import(join(root, "system/boot.ts"))),
    ...(await import(join(root, "plugins/personalities/unix/read_write_calls.ts"))),
    ...(await import(join(root, "kernel/fs/pipefs.ts"))),
  } as TreeModules;
  const sys = await m.boot({ cmd: "true" }, { kind: "buffer" });
  const k = sys.kernel;
  const p = k.getProcess(1);
  if (p === null) throw new PipeCallsError(`${root}: no pid 1 after boot`);
  const t = p.threads[0];
  const addr = k.mmap(p, 0, 8192, 3, false);
  const { reader, writer } = m.createPipe();
  const rfd = k.fdInstall(p, reader, false), wfd = k.fdInstall(p, writer, false);
  const regs = t.regs;
  const loop = (n: number) => {
    for (let i = 0; i < n; i++) {
      regs[10] = wfd;
      regs[11] = addr + 100;
      regs[12] = 1;
      if (m.sysWrite(t, k) !== 1) throw new PipeCallsError(`${root}: write did not move a byte`);
      regs[10] = rfd;
      regs[11] = addr + 200;
      regs[12] = 1;
      if (m.sysRead(t, k) !== 1) throw new PipeCallsError(`${root}: read did not move a byte`);
    }
  };
  return { loop, close: () => sys.machine.close() };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      base: { type: "string", default: "main" },
      rounds: { type: "string", default: "15" },
      n: { type: "string", default: "1000000" },
    },
  });
  const rounds = Math.max(1, Number(values.rounds));
  const n = Math.max(1, Number(values.n));
  const dir = await extract(values.base);
  try {
    const trees = [await setup(dir), await setup(ROOT)];
    const ns: number[][] = [[], []];
    for (const tr of trees) tr.loop(n >> 2); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (const k of r % 2 === 0 ? [0, 1] : [1, 0]) {
        const t0 = performance.now();
        trees[k].loop(n);
        ns[k].push((performance.now() - t0) * 1e6 / n);
      }
    }
    for (const tr of trees) tr.close();
    const show = (xs: number[]) =>
      `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)} to ${Math.max(...xs).toFixed(0)})`;
    console.log(
      `pipe write + read handlers, ${rounds} rounds of ${n}, ns per pair, median (range): ` +
        `${values.base} ${show(ns[0])}, this tree ${show(ns[1])}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  await runMain(
    "pipe_calls_ab",
    main,
    "deno run -A bench/pipe_calls_ab.ts [--base main] [--rounds 15] [--n 1000000]",
  );
}
