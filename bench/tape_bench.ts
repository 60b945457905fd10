/**
 * Tape backup benchmark: boots the machine, backs up `/bin` with the guest's
 * `tar` to `/dev/st0` (records of 10,240 bytes), raw and with the drive's
 * LZ4 compression, with the st driver moving data by DMA and by programmed
 * I/O.
 *
 * `deno run -A bench/tape_bench.ts` prints, per case: the simulated time of
 * the backup and its throughput (archive bytes per simulated second), the
 * compression ratio, the host time, and the driver's register accesses (with
 * PIO the CPU also moves every byte through the data port, one 32-bit access
 * per 4 bytes). Simulated figures are deterministic. `deno bench` runs the
 * raw DMA backup for host time.
 *
 * @module
 */

import { boot, DEFAULT_BOOT_CONFIG, ST_MODULE } from "../system/boot.ts";
import { makeStModule } from "../plugins/drivers/st/mod.ts";
import type { StDriver } from "../plugins/drivers/st/driver.ts";

/** One measured backup. */
export interface TapeBackupFigures {
  /** Case name. */
  name: string;
  /** Archive bytes written to tape. */
  bytes: number;
  /** Bytes stored on tape (after compression). */
  stored: number;
  /** Simulated seconds of the backup (the run minus an idle boot). */
  simSeconds: number;
  /** Host milliseconds of the whole run. */
  hostMs: number;
  /** Driver register accesses. */
  registerAccesses: number;
  /** Tape interrupts. */
  interrupts: number;
}

async function run(
  cmd: string,
  pio: boolean,
): Promise<
  {
    cycles: number;
    hostMs: number;
    driver: StDriver | null;
    stats: { bytesWritten: number; bytesStored: number } | null;
  }
> {
  let driver: StDriver | null = null;
  const modules = DEFAULT_BOOT_CONFIG.modules.filter((m) => m !== ST_MODULE);
  modules.push(makeStModule({ pio, onStart: (d) => driver = d }));
  const t0 = performance.now();
  const sys = await boot({ cmd, bootConfig: { modules }, maxCycles: 2e11 }, { kind: "buffer" });
  try {
    const r = await sys.run();
    if (r.status !== 0) throw new Error(`${cmd}: status ${r.status}: ${r.output}`);
    const stats = sys.machine.storage.tape?.drive.stats ?? null;
    return { cycles: r.cycles, hostMs: performance.now() - t0, driver, stats };
  } finally {
    sys.machine.close();
  }
}

/** Backs up /bin to tape and measures it. */
export async function measureTapeBackup(lz4: boolean, pio: boolean): Promise<TapeBackupFigures> {
  const idle = await run(lz4 ? "mt -f /dev/nst0 compression 1" : "true", pio);
  const cmd = (lz4 ? "mt -f /dev/nst0 compression 1 && " : "") + "tar cf /dev/st0 /bin";
  const r = await run(cmd, pio);
  const d = r.driver as StDriver | null;
  return {
    name: `${lz4 ? "LZ4" : "raw"}, ${pio ? "PIO" : "DMA"}`,
    bytes: r.stats?.bytesWritten ?? 0,
    stored: r.stats?.bytesStored ?? 0,
    simSeconds: (r.cycles - idle.cycles) / 100_000_000,
    hostMs: r.hostMs,
    registerAccesses: d?.stats.registerAccesses ?? 0,
    interrupts: d?.stats.interrupts ?? 0,
  };
}

/** The report's lines. */
export function formatFigures(rows: TapeBackupFigures[]): string {
  const lines = [
    "| case | archive bytes | stored bytes | ratio | simulated s | MB/s simulated | host ms | register accesses | interrupts |",
    "| ---- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const f of rows) {
    const ratio = f.stored > 0 ? (f.bytes / f.stored).toFixed(2) : "-";
    const mbs = (f.bytes / f.simSeconds / 1e6).toFixed(2);
    lines.push(
      `| ${f.name} | ${f.bytes} | ${f.stored} | ${ratio} | ${f.simSeconds.toFixed(3)} | ${mbs} | ` +
        `${f.hostMs.toFixed(0)} | ${f.registerAccesses} | ${f.interrupts} |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const rows: TapeBackupFigures[] = [];
  for (const lz4 of [false, true]) {
    for (const pio of [false, true]) rows.push(await measureTapeBackup(lz4, pio));
  }
  console.log(formatFigures(rows));
} else {
  Deno.bench({ name: "tape: tar /bin to /dev/st0 (raw, DMA)", n: 1, warmup: 0 }, async () => {
    await measureTapeBackup(false, false);
  });
}
