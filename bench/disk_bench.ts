/**
 * Disk driver benchmark: the same controller and disk driven by the three
 * ATA drivers (`ata_poll`, `ata_irq`, `ata_dma`), and the block layer's two
 * elevators compared on a queue of random reads.
 *
 * `deno run -A bench/disk_bench.ts` prints the simulated figures, which are
 * deterministic (the same on every run and host): for each driver and
 * workload, the simulated throughput, the kernel CPU time spent per MiB
 * moved (busy-waiting, data-port words, bounce copies, register accesses,
 * interrupt handling at the kernel's interrupt cost), and the share of the
 * elapsed time the CPU was left free. `deno bench -A bench/disk_bench.ts`
 * measures host time for a sequential read under each driver.
 *
 * The machine is the bare driver rig of the tests (no guest): a 100 MHz
 * CPU, a 64 MiB disk at 7200 rpm (16 heads, 63 sectors per track), the DMA
 * controller's default bandwidth.
 *
 * @module
 */

import { MemoryDiskImage } from "../hw/disk_image.ts";
import { K, type KStatus } from "../kernel/api.ts";
import { type ElevatorName, RequestQueue } from "../kernel/block/request_queue.ts";
import { ATA_KINDS, type AtaKind, makeRig } from "../tests/plugins/drivers/ata_common/ata_rig.ts";

const MIB = 1 << 20;
const DISK_BYTES = 64 * MIB;

/** One measured row. */
export interface DiskFigures {
  /** Driver. */
  driver: AtaKind;
  /** Workload name. */
  workload: string;
  /** Bytes moved. */
  bytes: number;
  /** Simulated cycles from the first request to the last completion. */
  elapsedCycles: number;
  /** Kernel CPU cycles spent on the transfers. */
  cpuCycles: number;
  /** Interrupts taken. */
  interrupts: number;
}

/** A workload: requests of `sectors` sectors at the listed start sectors. */
interface Workload {
  name: string;
  op: "read" | "write";
  sectors: number;
  starts: number[];
}

function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Random aligned 4 KiB blocks over the whole disk. */
function randomStarts(n: number, seed: number): number[] {
  const next = xorshift(seed);
  const blocks = DISK_BYTES / 4096;
  return Array.from({ length: n }, () => (next() % blocks) * 8);
}

/** The workloads of the driver table. */
export const WORKLOADS: readonly Workload[] = [
  {
    name: "sequential read, 128 KiB requests",
    op: "read",
    sectors: 256,
    starts: seq(4 * MIB, 256),
  },
  {
    name: "sequential write, 128 KiB requests",
    op: "write",
    sectors: 256,
    starts: seq(4 * MIB, 256),
  },
  { name: "random read, 4 KiB requests", op: "read", sectors: 8, starts: randomStarts(200, 7) },
];

function seq(bytes: number, sectors: number): number[] {
  return Array.from({ length: bytes / (sectors * 512) }, (_, i) => 4096 + i * sectors);
}

/** Runs one workload under one driver, one request at a time. */
export function measureDriver(driver: AtaKind, w: Workload): DiskFigures {
  const rig = makeRig(driver, { images: [new MemoryDiskImage(DISK_BYTES)] });
  const reqs = w.starts.map((s) => rig.request(w.op, s, w.sectors).req);
  const d = rig.disks[0];
  const t0 = rig.clock.now, i0 = d.stats.interrupts;
  rig.cpu.cycles = 0;
  const statuses = rig.run(reqs);
  if (statuses.some((s) => s !== K.OK)) throw new Error(`${driver}: ${w.name} failed`);
  return {
    driver,
    workload: w.name,
    bytes: w.starts.length * w.sectors * 512,
    elapsedCycles: rig.clock.now - t0,
    cpuCycles: rig.cpu.cycles,
    interrupts: d.stats.interrupts - i0,
  };
}

/** One elevator's figures on a deep queue of random reads. */
export interface ElevatorFigures {
  /** Elevator. */
  elevator: ElevatorName;
  /** Requests. */
  requests: number;
  /** Simulated cycles to serve them all. */
  elapsedCycles: number;
  /** Cylinders the arm travelled. */
  seekDistance: number;
}

/** Queues `n` random 4 KiB reads at once behind the block layer's queue, under the DMA driver. */
export function measureElevator(elevator: ElevatorName, n = 200): ElevatorFigures {
  const rig = makeRig("dma", { images: [new MemoryDiskImage(DISK_BYTES)] });
  const q = new RequestQueue(rig.disks[0], () => rig.clock.now, elevator);
  const statuses: KStatus[] = [];
  const t0 = rig.clock.now;
  const seek0 = rig.controllers[0].stats.seekDistance;
  for (const s of randomStarts(n, 11)) {
    q.submit("read", s, new Uint8Array(4096), (st) => statuses.push(st));
  }
  rig.until(() => statuses.length === n);
  if (statuses.some((s) => s !== K.OK)) throw new Error(`${elevator}: reads failed`);
  return {
    elevator,
    requests: n,
    elapsedCycles: rig.clock.now - t0,
    seekDistance: rig.controllers[0].stats.seekDistance - seek0,
  };
}

const FREQUENCY = 100_000_000;

/** The driver table in Markdown. */
export function formatDrivers(rows: DiskFigures[]): string {
  const lines = [
    "| workload | driver | throughput (MiB/s) | CPU per MiB (ms) | CPU free | interrupts per MiB |",
    "|---|---|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const mib = r.bytes / MIB;
    const seconds = r.elapsedCycles / FREQUENCY;
    lines.push(
      `| ${r.workload} | ${r.driver} | ${(mib / seconds).toFixed(2)} | ${
        ((r.cpuCycles / FREQUENCY) * 1000 / mib).toFixed(2)
      } | ${(100 * (1 - r.cpuCycles / r.elapsedCycles)).toFixed(1)} % | ${
        Math.round(r.interrupts / mib)
      } |`,
    );
  }
  return lines.join("\n");
}

/** The elevator table in Markdown. */
export function formatElevators(rows: ElevatorFigures[]): string {
  const lines = [
    "| elevator | requests | time (ms) | requests/s | arm travel (cylinders) |",
    "|---|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const seconds = r.elapsedCycles / FREQUENCY;
    lines.push(
      `| ${r.elevator} | ${r.requests} | ${(seconds * 1000).toFixed(1)} | ${
        Math.round(r.requests / seconds)
      } | ${r.seekDistance} |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const rows: DiskFigures[] = [];
  for (const w of WORKLOADS) for (const k of ATA_KINDS) rows.push(measureDriver(k, w));
  console.log(formatDrivers(rows));
  console.log();
  console.log(formatElevators([measureElevator("fifo"), measureElevator("clook")]));
} else {
  for (const k of ATA_KINDS) {
    Deno.bench({ name: `disk: ${k}, 4 MiB sequential read (host time)`, n: 3, warmup: 1 }, () => {
      measureDriver(k, WORKLOADS[0]);
    });
  }
}
