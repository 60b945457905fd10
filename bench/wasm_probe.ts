/**
 * A measurement for the translator's choice of target: the same synthetic
 * translation unit as a JavaScript page function (the shape
 * `hw/translator_emit.ts` writes: registers in locals, `| 0` arithmetic, a
 * labelled loop with a `switch` over block heads, the inline data-TLB check
 * of every load and store) and as a WebAssembly function (the same blocks in
 * a `loop` with a `br_table`, registers in locals, RAM, TLB and register file
 * in one `WebAssembly.Memory`, written with the translator's encoder). Both run the same blocks on the same
 * memory and must leave the same registers (a checksum is printed).
 *
 * Scenarios (one fresh process per sample, the two targets alternating):
 * - `steady`: 2,000 blocks per call, 4 M blocks in all (steady speed);
 * - `entries`: 3 blocks per call (the cost of entering and leaving);
 * - `opening`: 2,000 per call, the blocks the dispatch can reach doubling
 *   from 8 to all of them over the run (code paths running for the first
 *   time in a compiled function, as a page function meets them);
 * - `calls`: a host call per block (a system call's way out and back).
 *
 * ```sh
 * deno run -A bench/wasm_probe.ts [--rounds 5] [--scenarios steady,entries,opening,calls]
 * deno run -A bench/wasm_probe.ts --child js|wasm SCENARIO   # one sample, one line of JSON
 * ```
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { runMain } from "./run_main.ts";
import { I32, VOID, W, WasmCode, wasmModule } from "../hw/wasm_encoder.ts";

/** One sample: a fresh process running one scenario on one target. */
export interface WasmProbeSample {
  /** `js` or `wasm`. */
  target: string;
  /** The scenario's name. */
  scenario: string;
  /** Size of the unit: characters of source (js) or bytes of module (wasm). */
  size: number;
  /** Wall time to build the function (source to callable), ms. */
  buildMs: number;
  /** Wall time from the build's start to the first tenth of the blocks run, ms. */
  firstMs: number;
  /** Wall time of the whole run, build included, ms. */
  totalMs: number;
  /** Host ns per block over the run's last half. */
  steadyNs: number;
  /** Process CPU time (all threads: V8's compiler threads too) over the run, ms. */
  cpuMs: number;
  /** Sum of the registers at the end (the same for both targets). */
  checksum: number;
}

interface Scenario {
  readonly per: number;
  readonly total: number;
  readonly opening: boolean;
  readonly calls: boolean;
}

const SCENARIOS: Readonly<Record<string, Scenario>> = {
  steady: { per: 2000, total: 4_000_000, opening: false, calls: false },
  entries: { per: 3, total: 2_000_000, opening: false, calls: false },
  opening: { per: 2000, total: 4_000_000, opening: true, calls: false },
  calls: { per: 2000, total: 2_000_000, opening: false, calls: true },
};

const BLOCKS = 256;
const MASK = BLOCKS - 1;
// The memory: RAM (1 MiB), then TLB tags, TLB deltas, registers.
const RAM = 1 << 20;
const TAGS = RAM, DELTAS = RAM + 4096, REGS = RAM + 8192;
const PAGES = 17;

interface Op {
  readonly kind: string;
  readonly d: number;
  readonly a: number;
  readonly b: number;
  readonly imm: number;
}

/** The unit: BLOCKS blocks of 4 to 11 operations each, from a fixed seed. */
function makeBlocks(): Op[][] {
  let seed = 12345;
  const rnd = (m: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % m;
  };
  const kinds = ["addi", "add", "xor", "sub", "slli", "srli", "and", "or", "lw", "sw"];
  const blocks: Op[][] = [];
  for (let b = 0; b < BLOCKS; b++) {
    const ops: Op[] = [];
    const len = 4 + rnd(8);
    for (let j = 0; j < len; j++) {
      const kind = kinds[rnd(kinds.length)];
      ops.push({ kind, d: 1 + rnd(15), a: 1 + rnd(15), b: 1 + rnd(15), imm: rnd(4096) - 2048 });
    }
    blocks.push(ops);
  }
  return blocks;
}

/** The two registers whose xor picks block `b`'s successor. */
function nextRegs(b: number): [number, number] {
  return [1 + (b % 15), 1 + ((b * 7) % 15)];
}

/** The JavaScript page function's body: `(r, i32, tags, deltas, host, room, lim, open)`. */
function jsSource(blocks: Op[][], calls: boolean): string {
  const L: string[] = [];
  L.push(`let ${Array.from({ length: 15 }, (_, j) => `x${j + 1} = r[${j + 1}]`).join(", ")};`);
  L.push(`let va = 0, vpn = 0, ti = 0, off = 0, dc = 0, n = 0, bi = r[0] & ${MASK};`);
  L.push("loop: for (;;) { switch (bi) {");
  blocks.forEach((ops, b) => {
    L.push(`case ${b}:`);
    L.push(`if (dc + ${ops.length + 2} >= room || n >= lim) { r[0] = ${b}; break loop; }`);
    L.push(`dc += ${ops.length + 2}; n++;`);
    for (const o of ops) L.push(jsOp(o, b));
    if (calls) L.push(`x10 = host(x10) | 0;`);
    const [p, q] = nextRegs(b);
    L.push(`bi = (x${p} ^ x${q}) & open; continue loop;`);
  });
  L.push("} }");
  L.push(Array.from({ length: 15 }, (_, j) => `r[${j + 1}] = x${j + 1};`).join(" "));
  L.push("return n;");
  return L.join("\n");
}

function jsOp(o: Op, b: number): string {
  const d = `x${o.d}`, a = `x${o.a}`, bb = `x${o.b}`;
  switch (o.kind) {
    case "addi":
      return `${d} = (${a} + ${o.imm}) | 0;`;
    case "add":
      return `${d} = (${a} + ${bb}) | 0;`;
    case "sub":
      return `${d} = (${a} - ${bb}) | 0;`;
    case "xor":
      return `${d} = ${a} ^ ${bb};`;
    case "and":
      return `${d} = ${a} & ${bb};`;
    case "or":
      return `${d} = ${a} | ${bb};`;
    case "slli":
      return `${d} = ${a} << ${o.imm & 31};`;
    case "srli":
      return `${d} = (${a} >>> ${o.imm & 31}) | 0;`;
  }
  // lw / sw at 0x10000 + (a & 0xfffc), through the TLB as the translator's code does.
  return `va = 65536 + (${a} & 65532); vpn = va >>> 12; ti = vpn & 1023; ` +
    `if (tags[ti] !== (vpn << 9)) { r[0] = ${b}; break loop; } off = (va + deltas[ti]) | 0; ` +
    (o.kind === "lw" ? `${d} = i32[off >> 2];` : `i32[off >> 2] = ${bb};`);
}

// ---- WebAssembly, written with the translator's encoder (hw/wasm_encoder.ts).

const BIN: Readonly<Record<string, number>> = {
  add: W.i32Add,
  sub: W.i32Sub,
  xor: W.i32Xor,
  and: W.i32And,
  or: W.i32Or,
};

/**
 * The module: imports `env.host` (i32 -> i32) and `env.mem` (PAGES pages);
 * exports `f(room, lim, open) -> n`. Locals: params 0 - 2, x1..x15 at
 * 3..17, then va, vpn, ti, off, dc, n, bi.
 */
function wasmModuleOf(blocks: Op[][], calls: boolean): Uint8Array<ArrayBuffer> {
  const X = (j: number) => 2 + j;
  const VA = 18, VPN = 19, TI = 20, OFF = 21, DC = 22, N = 23, BI = 24;
  const c = new WasmCode();
  const get = (l: number) => c.op(W.localGet).u32(l);
  const set = (l: number) => c.op(W.localSet).u32(l);
  const k = (v: number) => c.op(W.i32Const).s32(v);
  const load = (o: number) => c.op(W.i32Load).mem(2, 0, o);
  const store = (o: number) => c.op(W.i32Store).mem(2, 0, o);
  const leave = (b: number, depth: number) => {
    // if (cond) { r[0] = b; br exit }
    c.op(W.if).op(VOID);
    k(0), k(b), store(REGS), c.op(W.br).u32(depth + 1).op(W.end);
  };
  for (let j = 1; j <= 15; j++) k(0), load(REGS + 4 * j), set(X(j));
  k(0), load(REGS), k(MASK), c.op(W.i32And), set(BI);
  c.op(W.block).op(VOID).op(W.loop).op(VOID);
  for (let b = 0; b < BLOCKS; b++) c.op(W.block).op(VOID);
  get(BI), c.op(W.brTable).u32(BLOCKS);
  for (let b = 0; b < BLOCKS; b++) c.u32(b);
  c.u32(BLOCKS - 1);
  blocks.forEach((ops, b) => {
    c.op(W.end); // the code of case b follows its block's end
    const toLoop = BLOCKS - 1 - b, toExit = toLoop + 1;
    get(DC), k(ops.length + 2), c.op(W.i32Add), get(0), c.op(W.i32GeS);
    get(N), get(1), c.op(W.i32GeS).op(W.i32Or);
    leave(b, toExit);
    get(DC), k(ops.length + 2), c.op(W.i32Add), set(DC);
    get(N), k(1), c.op(W.i32Add), set(N);
    for (const o of ops) {
      const d = X(o.d), a = X(o.a), bb = X(o.b);
      if (BIN[o.kind] !== undefined) get(a), get(bb), c.op(BIN[o.kind]), set(d);
      else if (o.kind === "addi") get(a), k(o.imm), c.op(W.i32Add), set(d);
      else if (o.kind === "slli") get(a), k(o.imm & 31), c.op(W.i32Shl), set(d);
      else if (o.kind === "srli") get(a), k(o.imm & 31), c.op(W.i32ShrU), set(d);
      else {
        k(65536), get(a), k(65532), c.op(W.i32And).op(W.i32Add), set(VA);
        get(VA), k(12), c.op(W.i32ShrU), set(VPN);
        get(VPN), k(1023), c.op(W.i32And), set(TI);
        get(TI), k(2), c.op(W.i32Shl), load(TAGS), get(VPN), k(9), c.op(W.i32Shl).op(W.i32Ne);
        leave(b, toExit);
        get(VA), get(TI), k(2), c.op(W.i32Shl), load(DELTAS), c.op(W.i32Add), set(OFF);
        if (o.kind === "lw") get(OFF), load(0), set(d);
        else get(OFF), get(bb), store(0);
      }
    }
    if (calls) get(X(10)), c.op(W.call).u32(0), set(X(10));
    const [p, q] = nextRegs(b);
    get(X(p)), get(X(q)), c.op(W.i32Xor), get(2), c.op(W.i32And), set(BI);
    c.op(W.br).u32(toLoop);
  });
  c.op(W.end).op(W.end);
  for (let j = 1; j <= 15; j++) k(0), get(X(j)), store(REGS + 4 * j);
  get(N), c.op(W.end);
  return wasmModule(
    [
      { kind: "func", name: "host", type: { params: [I32], results: [I32] } },
      { kind: "memory", name: "mem", pages: PAGES },
    ],
    [{
      type: { params: [I32, I32, I32], results: [I32] },
      locals: new Array<number>(22).fill(I32),
      code: c,
      export: "f",
    }],
  );
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs one sample in this process. */
function runSample(target: string, scenarioName: string): WasmProbeSample {
  const sc = SCENARIOS[scenarioName];
  const mem = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES });
  const i32 = new Int32Array(mem.buffer);
  const tags = new Int32Array(mem.buffer, TAGS, 1024);
  const deltas = new Int32Array(mem.buffer, DELTAS, 1024);
  const regs = new Int32Array(mem.buffer, REGS, 32);
  for (let vpn = 16; vpn < 32; vpn++) {
    tags[vpn & 1023] = vpn << 9;
    deltas[vpn & 1023] = 0x30000;
  }
  for (let j = 1; j < 32; j++) regs[j] = Math.imul(j, 0x9e3779b1);
  const host = (a: number) => (a ^ regs[5]) + 1;
  const blocks = makeBlocks();
  const cpu0 = cpuMs();
  const t0 = performance.now();
  let f: (room: number, lim: number, open: number) => number;
  let size: number;
  if (target === "js") {
    const src = jsSource(blocks, sc.calls);
    size = src.length;
    const g = new Function("r", "i32", "tags", "deltas", "host", "room", "lim", "open", src) as (
      ...a: unknown[]
    ) => number;
    f = (room, lim, open) => g(regs, i32, tags, deltas, host, room, lim, open);
  } else {
    const bytes = wasmModuleOf(blocks, sc.calls);
    size = bytes.length;
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem, host } });
    f = inst.exports.f as (room: number, lim: number, open: number) => number;
  }
  const t1 = performance.now();
  let done = 0, firstMs = 0, halfAt = 0, halfDone = 0;
  let open = sc.opening ? 7 : MASK;
  const step = sc.total / 6;
  while (done < sc.total) {
    done += f(1 << 30, sc.per, open);
    if (sc.opening && done >= step * Math.log2((open + 1) / 8) && open < MASK) {
      open = open * 2 + 1;
    }
    if (firstMs === 0 && done >= sc.total / 10) firstMs = performance.now() - t0;
    if (halfAt === 0 && done >= sc.total / 2) (halfAt = performance.now(), halfDone = done);
  }
  const t2 = performance.now();
  let checksum = 0;
  for (let j = 1; j < 32; j++) checksum = (checksum + regs[j]) | 0;
  return {
    target,
    scenario: scenarioName,
    size,
    buildMs: t1 - t0,
    firstMs,
    totalMs: t2 - t0,
    steadyNs: ((t2 - halfAt) * 1e6) / (done - halfDone),
    cpuMs: cpuMs() - cpu0,
    checksum,
  };
}

async function child(target: string, scenario: string): Promise<WasmProbeSample> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, "--child", target, scenario],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success) throw new Error(`child ${target} ${scenario} failed: ${text}`);
  return JSON.parse(text) as WasmProbeSample;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

const USAGE = "wasm_probe.ts [--rounds N] [--scenarios steady,entries,opening,calls] | " +
  "--child js|wasm SCENARIO";

await runMain("wasm_probe", async () => {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      child: { type: "string" },
      rounds: { type: "string", default: "5" },
      scenarios: { type: "string", default: Object.keys(SCENARIOS).join(",") },
      help: { type: "boolean" },
    },
    allowPositionals: true,
  });
  if (values.help) return console.log(USAGE);
  if (values.child !== undefined) {
    const scenario = positionals[0];
    if (!["js", "wasm"].includes(values.child) || SCENARIOS[scenario] === undefined) {
      throw new Error(`usage: ${USAGE}`);
    }
    return console.log(JSON.stringify(runSample(values.child, scenario)));
  }
  const rounds = Number(values.rounds);
  const names = values.scenarios.split(",");
  if (!Number.isInteger(rounds) || rounds < 1 || names.some((s) => SCENARIOS[s] === undefined)) {
    throw new Error(`usage: ${USAGE}`);
  }
  console.log("scenario  target  size  build ms  first 10% ms  total ms  steady ns/block  cpu ms");
  for (const scenario of names) {
    const got: Record<string, WasmProbeSample[]> = { js: [], wasm: [] };
    for (let r = 0; r < rounds; r++) {
      for (const t of ["js", "wasm"]) got[t].push(await child(t, scenario));
    }
    if (got.js[0].checksum !== got.wasm[0].checksum) {
      throw new Error(`${scenario}: the targets left different registers`);
    }
    for (const t of ["js", "wasm"]) {
      const m = (k: keyof WasmProbeSample) => median(got[t].map((s) => s[k] as number));
      console.log(
        [scenario, t, m("size"), m("buildMs").toFixed(1), m("firstMs").toFixed(1)]
          .concat([m("totalMs").toFixed(1), m("steadyNs").toFixed(2), m("cpuMs").toFixed(0)])
          .join("  "),
      );
    }
  }
});
