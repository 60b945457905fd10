/**
 * Differential test of the translator: the same programs run on a hart with
 * the "interp" engine and on harts with the "jit" engine (translating every
 * page early), one with page functions compiled to WebAssembly and one with
 * JavaScript page functions, and the architectural state must agree at every
 * trap, after every `run` slice, and at the end (registers, pc, privilege,
 * trap CSRs, instret, cycle count, TLB hit count, RAM).
 *
 * Programs: every bare-metal program of `tests/baremetal/bin`, and random
 * instruction sequences (arithmetic, M, loads and stores of every width,
 * misaligned ones, forward branches, jumps and calls, CSR reads, stores into
 * the code page, and clock events that overwrite code as DMA would).
 */

import assert from "node:assert/strict";
import { createMachine, type Machine } from "../../hw/machine.ts";
import { parseElf32 } from "../../lib/elf.ts";
import { runBareElf } from "../../system/bare_runner.ts";
import { Bus } from "../../hw/bus.ts";
import { SimClock } from "../../hw/clock.ts";
import { Cpu } from "../../hw/cpu.ts";
import { Ram } from "../../hw/ram.ts";

const BIN = new URL("../baremetal/bin/", import.meta.url);
const TRAP_CSRS = [0x300, 0x341, 0x342, 0x343, 0x141, 0x142, 0x143, 0x180];

/** The architectural state of `cpu` as a comparable string. */
function snapshot(cpu: Cpu, clock: SimClock): string {
  const csrs = TRAP_CSRS.map((c) => cpu.readCsr(c));
  return JSON.stringify({
    pc: cpu.pc,
    priv: cpu.priv,
    x: [...cpu.x],
    f: [...cpu.fpu.words],
    csrs,
    instret: cpu.instret,
    now: clock.now,
    hits: cpu.mmu.hits,
  });
}

/** Records the state at every trap. */
function watch(cpu: Cpu, clock: SimClock): string[] {
  const log: string[] = [];
  cpu.trapObserver = (cause) => log.push(`${cause} ${snapshot(cpu, clock)}`);
  return log;
}

/** The engines compared: the interpreter first, then the translator's two back ends. */
const ENGINES = [
  { engine: "interp" },
  { engine: "jit", jitBackend: "wasm" },
  { engine: "jit", jitBackend: "js" },
] as const;
type EngineConfig = (typeof ENGINES)[number];

function bareMachine(name: string, e: EngineConfig): Machine {
  const misaligned = name === "misaligned.elf" ? "trap" as const : "hardware" as const;
  return createMachine({
    ramSize: 4 << 20,
    rtcEpochNs: 0n,
    cpu: { misaligned, ...e, hotThreshold: 8 },
  });
}

/** Checks the WebAssembly hart compiled its translations (V8 refused none, none declined). */
function checkWasm(cpu: Cpu, e: EngineConfig, what: string): void {
  const t = cpu.translator;
  if (t === null || !("jitBackend" in e) || e.jitBackend !== "wasm") return;
  assert.equal(t.wasm!.failed, 0, `${what}: modules V8 refused`);
  assert.equal(t.wasm!.units, t.translations, `${what}: translations left as JavaScript`);
}

for (const e of [...Deno.readDirSync(BIN)].sort((a, b) => a.name.localeCompare(b.name))) {
  if (!e.name.endsWith(".elf")) continue;
  Deno.test(`translator agrees with the interpreter on ${e.name}`, () => {
    const image = parseElf32(Deno.readFileSync(new URL(e.name, BIN)));
    const runs = ENGINES.map((engine) => {
      const m = bareMachine(e.name, engine);
      const traps = watch(m.cpu, m.clock);
      const result = runBareElf(m, image, { maxInstructions: 3_000_000 });
      return { m, traps, result, end: snapshot(m.cpu, m.clock) };
    });
    const [a, ...translated] = runs;
    translated.forEach((b, i) => {
      assert.equal(b.result.status, a.result.status);
      assert.equal(b.result.instructions, a.result.instructions);
      assert.deepEqual(b.traps, a.traps);
      assert.equal(b.end, a.end);
      assert.deepEqual(b.m.bus.ram.u8, a.m.bus.ram.u8);
      if (e.name !== "misaligned.elf") assert.ok(b.m.cpu.translator!.translations > 0);
      checkWasm(b.m.cpu, ENGINES[i + 1], e.name);
    });
  });
}

/** A small deterministic PRNG (xorshift32). */
function rng(seed: number): (n: number) => number {
  let s = seed | 0 || 1;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

const enc = {
  r: (f7: number, rs2: number, rs1: number, f3: number, rd: number, op = 0x33) =>
    (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op,
  i: (imm: number, rs1: number, f3: number, rd: number, op: number) =>
    ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op,
  s: (imm: number, rs2: number, rs1: number, f3: number) =>
    (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) |
    0x23,
  b: (imm: number, rs2: number, rs1: number, f3: number) =>
    (((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) |
    (f3 << 12) | (((imm >> 1) & 15) << 8) | (((imm >> 11) & 1) << 7) | 0x63,
  j: (imm: number, rd: number) =>
    (((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f,
};

const CODE = 0x8000_0000;
const DATA = 0x8001_0000;
const SCRATCH = 0x800; // a code-page offset the program writes to but never runs

/** A random loop body of `count` instructions (x31 = data, x30 = counter, x29 = code page). */
function randomBody(next: (n: number) => number, count: number): number[] {
  const out: number[] = [];
  const reg = () => 1 + next(28);
  for (let k = 0; k < count; k++) {
    const kind = next(20);
    const left = count - k;
    if (kind < 6) {
      const f3 = next(8);
      const f7 = f3 === 0 || f3 === 5 ? (next(2) << 5) : 0;
      out.push(enc.r(f7, next(29), next(29), f3, reg()));
    } else if (kind < 8) {
      out.push(enc.r(1, next(29), next(29), next(8), reg())); // M
    } else if (kind < 11) {
      const f3 = [0, 2, 3, 4, 6, 7, 1, 5][next(8)];
      const imm = f3 === 1 ? next(32) : f3 === 5 ? next(32) | (next(2) << 10) : next(4096) - 2048;
      out.push(enc.i(imm, next(29), f3, reg(), 0x13));
    } else if (kind < 14) {
      const f3 = [0, 1, 2, 4, 5][next(5)];
      out.push(enc.i(next(256) - 64, 31, f3, reg(), 0x03));
    } else if (kind < 16) {
      out.push(enc.s(next(256) - 64, next(29), 31, next(3)));
    } else if (kind === 16 && left > 2) {
      out.push(
        enc.b(
          4 * (1 + next(Math.min(left - 1, 8))),
          next(29),
          next(29),
          [0, 1, 4, 5, 6, 7][next(6)],
        ),
      );
    } else if (kind === 17 && left > 2) {
      out.push(enc.j(4 * (1 + next(Math.min(left - 1, 6))), next(2) === 0 ? 0 : 1));
    } else if (kind === 18) {
      out.push(enc.i(0xb02, 0, 2, reg(), 0x73)); // csrrs rd, minstret, x0
    } else {
      out.push(enc.s(SCRATCH + 4 * next(16), next(29), 29, 2)); // sw into the code page
    }
  }
  return out;
}

/** Loads a random program: setup, a loop of `body` run `trips` times, then ecall, then `j .`. */
function loadRandom(cpu: Cpu, ram: Ram, body: number[], trips: number): void {
  const lui = (rd: number, v: number) => (v & 0xfffff000) | (rd << 7) | 0x37;
  const prog = [
    lui(31, DATA),
    lui(29, CODE),
    enc.i(trips, 0, 0, 30, 0x13),
    ...body,
    enc.i(-1, 30, 0, 30, 0x13),
    enc.b(-4 * (body.length + 1), 0, 30, 1),
    0x00000073, // ecall
    enc.j(0, 0),
  ];
  const handler = 0x1000; // mtvec: skip the ecall
  prog.forEach((w, i) => (ram.i32[i] = w));
  ram.i32[handler >> 2] = enc.i(0x341, 0, 2, 5, 0x73); // csrr t0, mepc
  ram.i32[(handler >> 2) + 1] = enc.i(4, 5, 0, 5, 0x13);
  ram.i32[(handler >> 2) + 2] = enc.i(0x341, 5, 1, 0, 0x73); // csrw mepc, t0
  ram.i32[(handler >> 2) + 3] = 0x30200073; // mret
  for (let i = 0; i < 1024; i++) ram.i32[(DATA - CODE) / 4 + i] = Math.imul(i, 0x9e3779b1);
  ram.notifyWrite(0, 0x20000);
  cpu.writeCsr(0x305, CODE + handler);
}

/** Seeds of the random programs (more with `STRATA_JIT_SEEDS=n deno test -A` on this file). */
const SEEDS = Number(Deno.env.get("STRATA_JIT_SEEDS") ?? 10);

Deno.test(`translator agrees with the interpreter on ${SEEDS} random instruction loops`, () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const next = rng(seed * 7919);
    const body = randomBody(next, 10 + next(60));
    const trips = 20 + next(200);
    const slices: number[] = [];
    for (let i = 0; i < 200; i++) slices.push(1 + next(next(2) === 0 ? 50 : 5000));
    const events = [next(20000), next(50000), next(90000)];
    const runs = ENGINES.map((engine, e) => {
      const ram = new Ram(CODE, 1 << 20);
      const clock = new SimClock();
      const cpu = new Cpu(new Bus(ram), clock, { ...engine, hotThreshold: 1 + (seed % 50) });
      if (e === 1 && seed % 2 === 0) {
        // A register file outside the register memory: WebAssembly page
        // functions work on a copy of it (hw/page_fn_wasm.ts).
        const file = new Int32Array(33);
        cpu.bindRegisters(file, file.subarray(0, 32));
      }
      loadRandom(cpu, ram, body, trips);
      // Clock events that rewrite an instruction of the loop, as DMA would.
      for (const t of events) {
        clock.scheduleAt(t, () => {
          const at = 3 + (t % body.length);
          ram.i32[at] = enc.i(t & 0x7ff, 0, 0, 1 + (t % 28), 0x13);
          ram.notifyWrite(at * 4, 4);
        });
      }
      const traps = watch(cpu, clock);
      const states: string[] = [];
      for (const s of slices) {
        cpu.run(s);
        states.push(snapshot(cpu, clock));
      }
      return { cpu, ram, traps, states };
    });
    const [a, ...translated] = runs;
    translated.forEach((b, i) => {
      const what = `seed ${seed}, ${JSON.stringify(ENGINES[i + 1])}`;
      assert.deepEqual(b.traps, a.traps, `${what}: traps`);
      assert.deepEqual(b.states, a.states, `${what}: states after each slice`);
      assert.deepEqual(b.ram.u8, a.ram.u8, `${what}: RAM`);
      assert.ok(b.cpu.translator!.translations > 0, `${what}: nothing translated`);
      checkWasm(b.cpu, ENGINES[i + 1], what);
    });
  }
});
