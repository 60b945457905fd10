/**
 * Storage benchmarks.
 *
 * `deno bench -A bench/storage_bench.ts` measures host time per sector moved
 * by programmed I/O and by DMA, and LZ4 speed on text and random data.
 * `deno run -A bench/storage_bench.ts` prints the simulated-time figures
 * (disk sequential/random throughput, tape streaming throughput, compression
 * ratios), which are deterministic: the same on every run and host.
 *
 * @module
 */

import { Bus } from "../hw/bus.ts";
import { SimClock } from "../hw/clock.ts";
import { Ram } from "../hw/ram.ts";
import { DMA_CONFIG, DMA_CONTROL, DMA_PERIPHERAL, DMA_REG, DmaController } from "../hw/dma.ts";
import { DiskDrive } from "../hw/disk_drive.ts";
import { type DiskImage, FileDiskImage, MemoryDiskImage, SECTOR_SIZE } from "../hw/disk_image.ts";
import { ATA_CMD, ATA_DEVICE, ATA_REG, ATA_STATUS, DiskController } from "../hw/disk_controller.ts";
import { MemoryTapeBacking, TapeDrive } from "../hw/tape_drive.ts";
import {
  TAPE_CMD,
  TAPE_CONTROL,
  TAPE_REG,
  TAPE_STATUS,
  TapeController,
} from "../hw/tape_controller.ts";
import { lz4CompressBlock } from "../lib/lz4.ts";

const RAM = 0x8000_0000;
const FREQ = 100_000_000;

const tempFiles: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const f of tempFiles) Deno.removeSync(f);
});

/**
 * A disk rig with DMA at 100 MB/s. `big`: a 2 GiB sparse image file with
 * 1024 cylinders x 16 heads x 255 sectors (for simulated throughput);
 * otherwise a 32 MiB memory disk (host-time benchmarks measure no file I/O).
 */
function diskRig(big = false) {
  const ram = new Ram(RAM, 4 << 20);
  const bus = new Bus(ram);
  const clock = new SimClock(FREQ);
  const dma = new DmaController(bus, clock, { bandwidth: 100_000_000 });
  const geometry = { cylinders: 1024, heads: 16, sectorsPerTrack: 255 };
  let image: DiskImage;
  if (big) {
    const path = Deno.makeTempFileSync({ suffix: ".img" });
    tempFiles.push(path);
    Deno.removeSync(path);
    image = FileDiskImage.open(path, { sizeBytes: 1024 * 16 * 255 * SECTOR_SIZE });
  } else {
    image = new MemoryDiskImage(32 << 20);
  }
  const drive = new DiskDrive(clock, image.sectors, big ? geometry : undefined);
  const disk = new DiskController("disk0", clock, drive, image);
  disk.connectDma(DMA_PERIPHERAL.DISK0, dma.attach(DMA_PERIPHERAL.DISK0, disk));
  const task = (lba: number, count: number) => {
    disk.write(ATA_REG.COUNT, 1, count & 0xff);
    disk.write(ATA_REG.LBA_LOW, 1, lba & 0xff);
    disk.write(ATA_REG.LBA_MID, 1, (lba >>> 8) & 0xff);
    disk.write(ATA_REG.LBA_HIGH, 1, (lba >>> 16) & 0xff);
    disk.write(ATA_REG.DEVICE, 1, ATA_DEVICE.LBA | ((lba >>> 24) & 0xf));
  };
  const ch = (r: number) => DMA_REG.CHANNEL_BASE + r;
  const dmaRead = (lba: number, count: number) => {
    dma.write(ch(DMA_REG.MADDR), 4, RAM);
    dma.write(ch(DMA_REG.COUNT), 4, count * SECTOR_SIZE);
    dma.write(ch(DMA_REG.PERIPH), 4, DMA_PERIPHERAL.DISK0);
    dma.write(ch(DMA_REG.CONFIG), 4, DMA_CONFIG.BLOCK);
    dma.write(ch(DMA_REG.CONTROL), 4, DMA_CONTROL.START);
    task(lba, count);
    disk.write(ATA_REG.COMMAND, 1, ATA_CMD.READ_DMA);
    while (clock.advanceToNextEvent()) { /* run to completion */ }
  };
  const pioRead = (lba: number, count: number) => {
    task(lba, count);
    disk.write(ATA_REG.COMMAND, 1, ATA_CMD.READ_SECTORS);
    let sum = 0;
    for (let s = 0; s < count; s++) {
      while ((disk.read(ATA_REG.ALT_STATUS, 1) & ATA_STATUS.DRQ) === 0) clock.advanceToNextEvent();
      for (let i = 0; i < 256; i++) sum += disk.read(ATA_REG.DATA, 2);
    }
    return sum;
  };
  return { clock, drive, dmaRead, pioRead };
}

function tapeRig(capacityBytes = 1 << 30) {
  const ram = new Ram(RAM, 4 << 20);
  const bus = new Bus(ram);
  const clock = new SimClock(FREQ);
  const dma = new DmaController(bus, clock, { bandwidth: 100_000_000 });
  const drive = new TapeDrive(clock, new MemoryTapeBacking(), { capacityBytes });
  const tape = new TapeController(clock, drive);
  tape.connectDma(DMA_PERIPHERAL.TAPE, dma.attach(DMA_PERIPHERAL.TAPE, tape));
  const ch = (r: number) => DMA_REG.CHANNEL_BASE + r;
  /** Writes `data` as one record by DMA; false at end of medium. */
  const write = (data: Uint8Array): boolean => {
    ram.load(0, data);
    dma.write(ch(DMA_REG.MADDR), 4, RAM);
    dma.write(ch(DMA_REG.COUNT), 4, data.length);
    dma.write(ch(DMA_REG.PERIPH), 4, DMA_PERIPHERAL.TAPE);
    dma.write(ch(DMA_REG.CONFIG), 4, DMA_CONFIG.BLOCK | DMA_CONFIG.TO_DEVICE);
    dma.write(ch(DMA_REG.CONTROL), 4, DMA_CONTROL.START);
    tape.write(TAPE_REG.LENGTH, 4, data.length);
    tape.write(TAPE_REG.COMMAND, 4, TAPE_CMD.WRITE);
    while (clock.advanceToNextEvent()) { /* run to completion */ }
    if (tape.read(TAPE_REG.STATUS, 4) & TAPE_STATUS.ERROR) {
      // Free the channel still waiting for the device.
      dma.write(ch(DMA_REG.CONTROL), 4, DMA_CONTROL.ABORT);
      return false;
    }
    return true;
  };
  return { clock, drive, tape, write };
}

/** Text-like data: words from a small vocabulary, deterministic. */
export function sampleText(n: number): Uint8Array {
  const words = [
    "the",
    "kernel",
    "schedules",
    "a",
    "process",
    "on",
    "disk",
    "tape",
    "with",
    "interrupts",
    "and",
    "DMA",
    "simulated",
    "time",
    "records",
    "buffer",
    "cache",
    "of",
  ];
  const out = new Uint8Array(n);
  let x = 7, i = 0;
  while (i < n) {
    x = (x * 1103515245 + 12345) >>> 0;
    const w = words[(x >>> 16) % words.length] + ((x & 0xf) === 0 ? ".\n" : " ");
    for (let k = 0; k < w.length && i < n; k++) out[i++] = w.charCodeAt(k);
  }
  return out;
}

/** Uniformly random bytes, deterministic. */
export function sampleRandom(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Simulated-time figures of the storage models. */
export interface StorageFigures {
  /** Sequential DMA reads, MB/s of simulated time. */
  diskSequentialMBps: number;
  /** Random 4 KiB DMA reads, MB/s. */
  diskRandomMBps: number;
  /** Random 4 KiB DMA reads per simulated second. */
  diskRandomIops: number;
  /** Tape streaming write of 64 KiB records, MB/s, uncompressed. */
  tapeStreamMBps: number;
  /** Same with compression on text: host MB/s accepted per simulated second. */
  tapeTextCompressedMBps: number;
  /** Compression ratio on text records (uncompressed/stored). */
  tapeTextRatio: number;
  /** Compression ratio on random records. */
  tapeRandomRatio: number;
}

/** Runs the simulated-time measurements (deterministic). */
export function measureStorage(): StorageFigures {
  const seq = diskRig(true);
  let t = seq.clock.now;
  const seqSectors = 8192; // 4 MiB
  for (let lba = 0; lba < seqSectors; lba += 256) seq.dmaRead(lba, 256);
  const seqSec = (seq.clock.now - t) / FREQ;

  const rnd = diskRig(true);
  t = rnd.clock.now;
  let x = 99;
  const ops = 200;
  for (let i = 0; i < ops; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    rnd.dmaRead(((x >>> 8) % (rnd.drive.sectors / 8)) * 8, 8);
  }
  const rndSec = (rnd.clock.now - t) / FREQ;

  const stream = (data: Uint8Array, compress: boolean, records: number) => {
    const r = tapeRig();
    r.tape.write(TAPE_REG.CONTROL, 4, TAPE_CONTROL.DMA | (compress ? TAPE_CONTROL.COMPRESS : 0));
    const t0 = r.clock.now;
    for (let i = 0; i < records; i++) r.write(data);
    // A filemark waits until the buffer is on tape: measure to there.
    r.tape.write(TAPE_REG.COMMAND, 4, TAPE_CMD.WRITE_FILEMARK);
    while (r.clock.advanceToNextEvent()) { /* drain */ }
    const sec = (r.clock.now - t0) / FREQ;
    return { mbps: (records * data.length) / sec / 1e6, ratio: r.drive.ratioPercent / 100 };
  };
  const text = sampleText(65536);
  const random = sampleRandom(65536);
  const raw = stream(random, false, 64);
  const txt = stream(text, true, 64);
  const rn = stream(random, true, 16);
  return {
    diskSequentialMBps: (seqSectors * SECTOR_SIZE) / seqSec / 1e6,
    diskRandomMBps: (ops * 4096) / rndSec / 1e6,
    diskRandomIops: ops / rndSec,
    tapeStreamMBps: raw.mbps,
    tapeTextCompressedMBps: txt.mbps,
    tapeTextRatio: txt.ratio,
    tapeRandomRatio: rn.ratio,
  };
}

// ---- host-time benchmarks -------------------------------------------------

const pioRig = diskRig();
let pioLba = 0;
Deno.bench("disk: PIO read, 8 sectors per command (host time)", { group: "disk" }, () => {
  pioRig.pioRead(pioLba, 8);
  pioLba = (pioLba + 8) % 60_000;
});

const dmaRig = diskRig();
let dmaLba = 0;
Deno.bench("disk: DMA read, 8 sectors per command (host time)", { group: "disk" }, () => {
  dmaRig.dmaRead(dmaLba, 8);
  dmaLba = (dmaLba + 8) % 60_000;
});

const text64k = sampleText(65536);
const random64k = sampleRandom(65536);
Deno.bench("lz4: compress 64 KiB of text", { group: "lz4" }, () => {
  lz4CompressBlock(text64k);
});
Deno.bench("lz4: compress 64 KiB of random bytes", { group: "lz4" }, () => {
  lz4CompressBlock(random64k);
});

const tapeBenchRig = tapeRig(1 << 40);
Deno.bench("tape: DMA write of a 64 KiB compressed text record (host time)", () => {
  tapeBenchRig.tape.write(TAPE_REG.CONTROL, 4, TAPE_CONTROL.DMA | TAPE_CONTROL.COMPRESS);
  tapeBenchRig.write(text64k);
  if (tapeBenchRig.drive.position > 16 << 20) {
    // Rewind now and then: the next write truncates the tape, bounding host memory.
    tapeBenchRig.tape.write(TAPE_REG.COMMAND, 4, TAPE_CMD.REWIND);
    while (tapeBenchRig.clock.advanceToNextEvent()) { /* drain */ }
  }
});

if (import.meta.main) {
  const f = measureStorage();
  const hostLz4 = (data: Uint8Array) => {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < 200) {
      lz4CompressBlock(data);
      n++;
    }
    return (n * data.length) / ((performance.now() - t0) / 1000) / 1e6;
  };
  const hostSector = (fn: (lba: number, n: number) => unknown) => {
    const t0 = performance.now();
    let sectors = 0;
    while (performance.now() - t0 < 200) {
      fn(sectors % 60_000, 8);
      sectors += 8;
    }
    return ((performance.now() - t0) * 1000) / sectors;
  };
  console.log("simulated time (deterministic):");
  console.log(`  disk sequential DMA read     ${f.diskSequentialMBps.toFixed(2)} MB/s`);
  console.log(
    `  disk random 4 KiB DMA read   ${f.diskRandomMBps.toFixed(3)} MB/s, ${
      f.diskRandomIops.toFixed(1)
    } IOPS`,
  );
  console.log(`  tape streaming write (raw)   ${f.tapeStreamMBps.toFixed(3)} MB/s`);
  console.log(`  tape streaming write (text, LZ4) ${f.tapeTextCompressedMBps.toFixed(3)} MB/s`);
  console.log(
    `  LZ4 ratio: text ${f.tapeTextRatio.toFixed(2)}, random ${f.tapeRandomRatio.toFixed(2)}`,
  );
  console.log("host time:");
  console.log(`  PIO: ${hostSector(diskRig().pioRead).toFixed(2)} us per sector`);
  console.log(`  DMA: ${hostSector(diskRig().dmaRead).toFixed(2)} us per sector`);
  console.log(
    `  LZ4 compress: text ${hostLz4(text64k).toFixed(1)} MB/s, random ${
      hostLz4(random64k).toFixed(1)
    } MB/s`,
  );
}
