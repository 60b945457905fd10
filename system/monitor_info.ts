/**
 * The `info` commands of the monitor: each turns one part of the machine or
 * kernel into text, in QEMU's layout where QEMU has the command.
 *
 * - `registers`: pc and x0..x31 with ABI names, privilege CSRs;
 * - `tlb`: the current address space's Sv32 mappings (merged runs);
 * - `mtree`: the bus map;
 * - `irq`, `pic`: interrupt counts, the PLIC's state;
 * - `modules`, `processes`, `sched`: the kernel's modules, processes, policy.
 *
 * @module
 */

import { CSR } from "../hw/csr.ts";
import { MEMORY_MAP } from "../hw/memory_map.ts";
import { PLIC_REG } from "../hw/plic.ts";
import type { Kernel } from "../kernel/kernel.ts";
import { STATE_LETTERS, TaskState } from "../kernel/proc/process.ts";

const ABI = [
  "zero",
  "ra",
  "sp",
  "gp",
  "tp",
  "t0",
  "t1",
  "t2",
  "s0",
  "s1",
  "a0",
  "a1",
  "a2",
  "a3",
  "a4",
  "a5",
  "a6",
  "a7",
  "s2",
  "s3",
  "s4",
  "s5",
  "s6",
  "s7",
  "s8",
  "s9",
  "s10",
  "s11",
  "t3",
  "t4",
  "t5",
  "t6",
];

const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, "0");

/** `info registers`: pc, the integer registers, and the supervisor CSRs. */
export function infoRegisters(k: Kernel): string {
  const cpu = k.machine.cpu;
  const lines = [` pc       ${hex8(cpu.pc)}`];
  for (let i = 0; i < 32; i += 4) {
    let row = "";
    for (let j = i; j < i + 4; j++) row += ` x${j}/${ABI[j]}`.padEnd(10) + hex8(cpu.x[j]);
    lines.push(row);
  }
  const csrs: [string, number][] = [
    ["sstatus", CSR.sstatus],
    ["satp", CSR.satp],
    ["sepc", CSR.sepc],
    ["scause", CSR.scause],
    ["stval", CSR.stval],
    ["sie", CSR.sie],
    ["sip", CSR.sip],
  ];
  for (const [name, n] of csrs) lines.push(` ${name.padEnd(8)} ${hex8(cpu.readCsr(n))}`);
  return lines.join("\n");
}

/** `info tlb`: the Sv32 mappings of the current `satp`, contiguous runs merged. */
export function infoTlb(k: Kernel): string {
  const satp = k.machine.cpu.readCsr(CSR.satp);
  if ((satp >>> 31) === 0) return "paging is off (satp.MODE = Bare)";
  const ram = k.machine.ram;
  const u32 = (pa: number) => {
    const off = pa - MEMORY_MAP.RAM_BASE;
    return off >= 0 && off + 4 <= ram.size ? ram.i32[off >>> 2] >>> 0 : 0;
  };
  const rows: [number, number, number, string][] = [];
  const add = (va: number, pa: number, size: number, pte: number) => {
    const attr = "rwxugad".split("").map((c, i) => (pte >>> (i + 1)) & 1 ? c : "-").join("");
    const last = rows[rows.length - 1];
    if (last && last[0] + last[2] === va && last[1] + last[2] === pa && last[3] === attr) {
      last[2] += size;
    } else rows.push([va, pa, size, attr]);
  };
  const root = (satp & 0x3fffff) * 4096;
  for (let i = 0; i < 1024; i++) {
    const pte = u32(root + i * 4);
    if ((pte & 1) === 0) continue;
    if ((pte & 0xe) !== 0) {
      add(i << 22 >>> 0, (pte >>> 10) * 4096, 1 << 22, pte);
      continue;
    }
    const table = (pte >>> 10) * 4096;
    for (let j = 0; j < 1024; j++) {
      const leaf = u32(table + j * 4);
      if ((leaf & 1) !== 0) add(((i << 22) | (j << 12)) >>> 0, (leaf >>> 10) * 4096, 4096, leaf);
    }
  }
  const head = "vaddr    paddr    size     attr\n-------- -------- -------- -------";
  return [head, ...rows.map(([v, p, s, a]) => `${hex8(v)} ${hex8(p)} ${hex8(s)} ${a}`)].join("\n");
}

/** `info mtree`: the bus map. */
export function infoMtree(k: Kernel): string {
  const lines = ["address-space: memory"];
  for (const m of k.machine.bus.mappings) {
    const end = m.base + m.size - 1;
    lines.push(`  ${hex8(m.base)}-${hex8(end)} (prio 0, i/o): ${m.device.name}`);
  }
  const r = k.machine.ram;
  const end = MEMORY_MAP.RAM_BASE + r.size - 1;
  lines.push(`  ${hex8(MEMORY_MAP.RAM_BASE)}-${hex8(end)} (prio 0, ram): ram`);
  return lines.join("\n");
}

/** `info pic`: the PLIC's pending, enabled and claimed sources and thresholds. */
export function infoPic(k: Kernel): string {
  const bus = k.machine.bus, base = MEMORY_MAP.PLIC_BASE;
  const bits = (v: number) => {
    const out: number[] = [];
    for (let i = 1; i < 32; i++) if ((v >>> i) & 1) out.push(i);
    return out.length ? out.join(" ") : "-";
  };
  const lines = [`pending: ${bits(bus.read(base + PLIC_REG.PENDING, 4))}`];
  for (const [ctx, name] of [[0, "M"], [1, "S"]] as const) {
    const en = bus.read(base + PLIC_REG.ENABLE + ctx * 0x80, 4);
    const th = bus.read(base + PLIC_REG.THRESHOLD + ctx * PLIC_REG.CONTEXT_STRIDE, 4);
    lines.push(`context ${ctx} (${name}): enabled ${bits(en)}, threshold ${th}`);
  }
  const prios: string[] = [];
  for (let i = 1; i < 32; i++) {
    const p = bus.read(base + PLIC_REG.PRIORITY + 4 * i, 4);
    if (p !== 0) prios.push(`${i}:${p}`);
  }
  lines.push(`priorities: ${prios.length ? prios.join(" ") : "-"}`);
  lines.push(`claimed: ${bits(k.machine.plic.claimed)}`);
  return lines.join("\n");
}

/** `info modules`: name, version, kind, references, restarts, source. */
export function infoModules(k: Kernel): string {
  const rows = k.modules.list().map((m) =>
    `${m.name.padEnd(14)} ${m.version.padEnd(8)} ${m.kind.padEnd(12)} refs ${m.refs} ` +
    `restarts ${m.restarts}`
  );
  return ["name           version  kind         use", ...rows].join("\n");
}

/** `info processes`: pid, ppid, state, personality, threads, command. */
export function infoProcesses(k: Kernel): string {
  const rows = k.processes().map((p) => {
    const st = p.state === TaskState.ZOMBIE ? "Z" : STATE_LETTERS[p.mainThread?.state ?? 0] ?? "?";
    const pers = (p.personality as { name?: string } | null)?.name ?? "-";
    return `${String(p.pid).padStart(5)} ${String(p.ppid).padStart(5)} ${st} ` +
      `${pers.padEnd(8)} ${String(p.liveThreads).padStart(3)} ${p.comm}`;
  });
  return ["  PID  PPID S PERS     THR COMMAND", ...rows].join("\n");
}

/** `info sched`: the policy, the running thread, the ready count and the quantum. */
export function infoSched(k: Kernel): string {
  const pol = k.scheduler;
  const cur = k.table.current;
  return [
    `policy: ${pol.name}`,
    `running: ${cur === null ? "-" : `${cur.process.pid}/${cur.tid} (${cur.process.comm})`}`,
    `ready: ${pol.readyCount}`,
    `quantum: ${k.config.quantumCycles} cycles`,
    `context switches: ${k.loop.stats.contextSwitches}`,
  ].join("\n");
}

/** `info block`: each disk, its driver and queue, and its partitions. */
export function infoBlock(k: Kernel): string {
  const lines: string[] = [];
  for (const d of k.blockLayer.disks) {
    if (d === null) continue;
    const mib = Math.floor(d.driver.sectors / 2048);
    const state = d.held ? "held (driver being replaced)" : d.readOnly ? "read-only" : "read-write";
    lines.push(
      `${d.name}: ${d.driver.model}, ${d.driver.sectors} sectors (${mib} MiB), ` +
        `driver ${d.owner ?? "kernel"}, elevator ${d.queue.elevator}, ` +
        `${d.queue.depth} queued, ${state}`,
    );
    for (const p of d.partitions.slice(1)) {
      lines.push(`    ${d.name}${p.index}: start ${p.start}, ${p.sectors} sectors`);
    }
  }
  return lines.length > 0 ? lines.join("\n") : "no disks";
}
