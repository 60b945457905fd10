/**
 * CPU throughput: simulated instructions per host second on CPU-bound guest
 * loops (`tests/baremetal/bench_loops.S`: arithmetic, memory, branchy), and
 * the host cost of a null-syscall round trip through HOST_TRAP and sret().
 * Each loop runs under both CPU engines (interpreter, translator).
 *
 * `deno bench -A bench/cpu_bench.ts` runs the Deno.bench cases and prints a
 * MIPS figure per loop (instret / elapsed host time over a longer run, and
 * instret / the process's CPU time, which a loaded host inflates less) and
 * the null-syscall round-trip time; `deno run -A bench/cpu_bench.ts` prints
 * only the figures.
 *
 * @module
 */

import process from "node:process";
import { Bus } from "../hw/bus.ts";
import { SimClock } from "../hw/clock.ts";
import { Cpu, PRIV, StopReason } from "../hw/cpu.ts";
import { parseElf32, PT_LOAD } from "../lib/elf.ts";
import { runBareElf } from "../system/bare_runner.ts";
import { Ram } from "../hw/ram.ts";

const ELF = Deno.readFileSync(new URL("../tests/baremetal/bin/bench_loops.elf", import.meta.url));
const KINDS = ["arith", "memory", "branchy"] as const;

/** The bench ELF with its iteration count and loop kind patched. */
function program(kind: number, iterations: number): Uint8Array {
  const image = parseElf32(ELF);
  const bytes = ELF.slice();
  const dv = new DataView(bytes.buffer);
  const fileOffset = (addr: number) => {
    for (const p of image.programHeaders) {
      if (p.type === PT_LOAD && addr >= p.vaddr && addr < p.vaddr + p.filesz) {
        return p.offset + addr - p.vaddr;
      }
    }
    throw new Error(`0x${addr.toString(16)} is not in a loaded segment`);
  };
  dv.setUint32(fileOffset(image.symbols.get("bench_iterations")!), iterations, true);
  dv.setUint32(fileOffset(image.symbols.get("bench_kind")!), kind, true);
  return bytes;
}

type Engine = "interp" | "jit";

function runLoop(
  kind: number,
  iterations: number,
  engine: Engine = "interp",
): { instructions: number; ms: number; cpuMs: number } {
  const ram = new Ram(0x8000_0000, 4 << 20);
  const bus = new Bus(ram);
  const clock = new SimClock();
  const cpu = new Cpu(bus, clock, { engine });
  const image = parseElf32(program(kind, iterations));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = runBareElf({ cpu, bus, clock }, image, { maxInstructions: 2e9 });
  const c = process.cpuUsage(c0);
  const ms = performance.now() - t0;
  if (r.status !== "pass") throw new Error(`bench loop ${kind} did not pass: ${r.status}`);
  return { instructions: r.instructions, ms, cpuMs: (c.user + c.system) / 1000 };
}

/** A U-mode loop of `ecall`s with the host kernel as supervisor. */
function nullSyscallMachine(): Cpu {
  const ram = new Ram(0x8000_0000, 1 << 20);
  const cpu = new Cpu(new Bus(ram), new SimClock());
  ram.i32[0] = 0x00000073; // ecall
  ram.i32[1] = 0xffdff06f | 0; // j -4
  ram.notifyWrite(0, 8);
  cpu.hostSupervisor = true;
  cpu.writeCsr(0x302, 1 << 8); // delegate U ecall
  cpu.priv = PRIV.U;
  cpu.pc = 0x8000_0000;
  return cpu;
}

function nullSyscalls(cpu: Cpu, count: number): void {
  for (let i = 0; i < count; i++) {
    if (cpu.run(1000) !== StopReason.HOST_TRAP) throw new Error("expected a host trap");
    cpu.x[10] = 0;
    cpu.writeCsr(0x141, cpu.readCsr(0x141) + 4);
    cpu.sret();
  }
}

for (const engine of ["interp", "jit"] as const) {
  for (let kind = 0; kind < KINDS.length; kind++) {
    Deno.bench(`cpu ${KINDS[kind]} loop (100k iterations, ${engine})`, () => {
      runLoop(kind, 100_000, engine);
    });
  }
}

const syscallCpu = nullSyscallMachine();
Deno.bench("null syscall round trip x1000 (ecall -> HOST_TRAP -> sret)", () => {
  nullSyscalls(syscallCpu, 1000);
});

// The printed figures (also under `deno bench`): longer runs after a warm-up.
{
  for (const engine of ["interp", "jit"] as const) {
    for (let kind = 0; kind < KINDS.length; kind++) {
      runLoop(kind, 200_000, engine);
      const { instructions, ms, cpuMs } = runLoop(kind, 5_000_000, engine);
      console.log(
        `cpu_bench ${KINDS[kind].padEnd(8)} ${engine.padEnd(6)} ` +
          `${(instructions / ms / 1000).toFixed(1)} MIPS ` +
          `(${instructions} instructions in ${ms.toFixed(0)} ms; ` +
          `${(instructions / cpuMs / 1000).toFixed(1)} MIPS by process CPU time)`,
      );
    }
  }
  const cpu = nullSyscallMachine();
  nullSyscalls(cpu, 100_000);
  const n = 1_000_000;
  const t0 = performance.now();
  nullSyscalls(cpu, n);
  const ns = ((performance.now() - t0) * 1e6) / n;
  console.log(`cpu_bench null syscall round trip ${ns.toFixed(0)} ns`);
}
