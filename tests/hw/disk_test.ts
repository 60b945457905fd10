import assert from "node:assert/strict";
import { join } from "node:path";
import { Bus } from "../../hw/bus.ts";
import { SimClock } from "../../hw/clock.ts";
import { Ram } from "../../hw/ram.ts";
import { Plic } from "../../hw/plic.ts";
import { IRQ, MEMORY_MAP } from "../../hw/memory_map.ts";
import { attachStorage, StorageConfigError } from "../../hw/storage.ts";
import { TAPE_ID, TAPE_REG } from "../../hw/tape_controller.ts";
import {
  DMA_CONFIG,
  DMA_CONTROL,
  DMA_ERROR,
  DMA_ID,
  DMA_PERIPHERAL,
  DMA_REG,
  DMA_STATUS,
  DmaController,
} from "../../hw/dma.ts";
import { DiskDrive, DiskGeometryError } from "../../hw/disk_drive.ts";
import {
  type DiskImage,
  DiskImageError,
  FileDiskImage,
  MemoryDiskImage,
  SECTOR_SIZE,
} from "../../hw/disk_image.ts";
import {
  ATA_CMD,
  ATA_CONTROL,
  ATA_DEVICE,
  ATA_ERROR,
  ATA_REG,
  ATA_STATUS,
  DiskController,
} from "../../hw/disk_controller.ts";

const RAM = 0x8000_0000;
const GEOM = { cylinders: 1000, heads: 4, sectorsPerTrack: 32 };
const SECTORS = 1000 * 4 * 32;

function setup(image: DiskImage = new MemoryDiskImage(SECTORS * SECTOR_SIZE)) {
  const ram = new Ram(RAM, 1 << 20);
  const bus = new Bus(ram);
  const clock = new SimClock(100_000_000);
  const dma = new DmaController(bus, clock, { bandwidth: 100_000_000 });
  const drive = new DiskDrive(clock, image.sectors, image.sectors === SECTORS ? GEOM : undefined);
  const disk = new DiskController("disk0", clock, drive, image, { serial: "SN-TEST-1" });
  disk.connectDma(DMA_PERIPHERAL.DISK0, dma.attach(DMA_PERIPHERAL.DISK0, disk));
  const irq: boolean[] = [];
  disk.setIrq({ set: (l) => irq.push(l) });
  const r8 = (off: number) => disk.read(off, 1);
  const w8 = (off: number, v: number) => disk.write(off, 1, v);
  const run = () => {
    while (clock.advanceToNextEvent()) { /* drain */ }
  };
  const task = (lba: number, count: number) => {
    w8(ATA_REG.COUNT, count & 0xff);
    w8(ATA_REG.LBA_LOW, lba & 0xff);
    w8(ATA_REG.LBA_MID, (lba >>> 8) & 0xff);
    w8(ATA_REG.LBA_HIGH, (lba >>> 16) & 0xff);
    w8(ATA_REG.DEVICE, ATA_DEVICE.LBA | ((lba >>> 24) & 0x0f));
  };
  /** Waits until BSY clears (running the clock), returns alt status. */
  const waitReady = () => {
    while (r8(ATA_REG.ALT_STATUS) & ATA_STATUS.BSY) {
      if (!clock.advanceToNextEvent()) throw new Error("stuck busy");
    }
    return r8(ATA_REG.ALT_STATUS);
  };
  const pioRead = (lba: number, count: number) => {
    task(lba, count);
    w8(ATA_REG.COMMAND, ATA_CMD.READ_SECTORS);
    const out = new Uint8Array(count * SECTOR_SIZE);
    for (let s = 0; s < count; s++) {
      const st = waitReady();
      assert.equal(st & (ATA_STATUS.DRQ | ATA_STATUS.ERR), ATA_STATUS.DRQ);
      assert.equal(irq.at(-1), true, "interrupt per DRQ block");
      r8(ATA_REG.STATUS); // acknowledge
      for (let i = 0; i < SECTOR_SIZE; i += 2) {
        const v = disk.read(ATA_REG.DATA, 2);
        out[s * SECTOR_SIZE + i] = v & 0xff;
        out[s * SECTOR_SIZE + i + 1] = v >>> 8;
      }
    }
    assert.equal(waitReady() & (ATA_STATUS.DRQ | ATA_STATUS.BSY), 0);
    return out;
  };
  const pioWrite = (lba: number, data: Uint8Array) => {
    const count = data.length / SECTOR_SIZE;
    task(lba, count);
    w8(ATA_REG.COMMAND, ATA_CMD.WRITE_SECTORS);
    for (let s = 0; s < count; s++) {
      const st = waitReady();
      assert.equal(st & (ATA_STATUS.DRQ | ATA_STATUS.ERR), ATA_STATUS.DRQ);
      r8(ATA_REG.STATUS);
      for (let i = 0; i < SECTOR_SIZE; i += 2) {
        const o = s * SECTOR_SIZE + i;
        disk.write(ATA_REG.DATA, 2, data[o] | (data[o + 1] << 8));
      }
    }
    const st = waitReady();
    assert.equal(st & (ATA_STATUS.DRQ | ATA_STATUS.ERR), 0);
    assert.equal(irq.at(-1), true, "completion interrupt");
    r8(ATA_REG.STATUS);
  };
  const dmaReg = (ch: number, r: number) => DMA_REG.CHANNEL_BASE + ch * DMA_REG.CHANNEL_STRIDE + r;
  const dmaXfer = (write: boolean, lba: number, count: number, maddr: number) => {
    dma.write(dmaReg(0, DMA_REG.MADDR), 4, maddr);
    dma.write(dmaReg(0, DMA_REG.COUNT), 4, count * SECTOR_SIZE);
    dma.write(dmaReg(0, DMA_REG.PERIPH), 4, disk.read(ATA_REG.DMA_ID, 4));
    dma.write(dmaReg(0, DMA_REG.CONFIG), 4, DMA_CONFIG.BLOCK | (write ? DMA_CONFIG.TO_DEVICE : 0));
    dma.write(dmaReg(0, DMA_REG.CONTROL), 4, DMA_CONTROL.START | DMA_CONTROL.IE);
    task(lba, count);
    w8(ATA_REG.COMMAND, write ? ATA_CMD.WRITE_DMA : ATA_CMD.READ_DMA);
    run();
    return dma.read(dmaReg(0, DMA_REG.STATUS), 4);
  };
  return {
    ram,
    clock,
    dma,
    drive,
    disk,
    irq,
    r8,
    w8,
    run,
    task,
    waitReady,
    pioRead,
    pioWrite,
    dmaXfer,
    dmaReg,
  };
}

function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

Deno.test("disk: power-on status and IDENTIFY DEVICE", () => {
  const s = setup();
  assert.equal(s.r8(ATA_REG.STATUS), ATA_STATUS.DRDY | ATA_STATUS.DSC);
  s.w8(ATA_REG.DEVICE, ATA_DEVICE.LBA);
  s.w8(ATA_REG.COMMAND, ATA_CMD.IDENTIFY_DEVICE);
  assert.equal(s.r8(ATA_REG.ALT_STATUS) & ATA_STATUS.BSY, ATA_STATUS.BSY);
  const st = s.waitReady();
  assert.equal(st, ATA_STATUS.DRDY | ATA_STATUS.DSC | ATA_STATUS.DRQ);
  assert.equal(s.irq.at(-1), true);
  const w = new Uint16Array(256);
  for (let i = 0; i < 256; i++) w[i] = s.disk.read(ATA_REG.DATA, 2);
  assert.equal(s.r8(ATA_REG.ALT_STATUS), ATA_STATUS.DRDY | ATA_STATUS.DSC);
  const str = (first: number, words: number) => {
    let out = "";
    for (let i = first; i < first + words; i++) out += String.fromCharCode(w[i] >> 8, w[i] & 0xff);
    return out.trimEnd();
  };
  assert.equal(str(27, 20), "STRATA SIMULATED DISK");
  assert.equal(str(10, 10), "SN-TEST-1");
  assert.equal(w[1], 1000);
  assert.equal(w[3], 4);
  assert.equal(w[6], 32);
  assert.equal(w[60] | (w[61] << 16), SECTORS);
  assert.equal(w[49] & 0x0300, 0x0300, "LBA and DMA supported");
  assert.equal(w[255] & 0xff, 0xa5);
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += (w[i] & 0xff) + (w[i] >> 8);
  assert.equal(sum & 0xff, 0, "integrity checksum");
});

Deno.test("disk: PIO write then read back, 16- and 32-bit data port", () => {
  const s = setup();
  const data = pattern(3 * SECTOR_SIZE, 7);
  s.pioWrite(100, data);
  assert.deepEqual(s.pioRead(100, 3), data);
  // 32-bit accesses move two words at a time.
  s.task(101, 1);
  s.w8(ATA_REG.COMMAND, ATA_CMD.READ_SECTORS);
  s.waitReady();
  const words: number[] = [];
  for (let i = 0; i < 128; i++) words.push(s.disk.read(ATA_REG.DATA, 4));
  const dv = new DataView(data.buffer, SECTOR_SIZE, SECTOR_SIZE);
  for (let i = 0; i < 128; i++) assert.equal(words[i], dv.getUint32(i * 4, true));
  assert.equal(s.drive.stats.sectorsWritten, 3);
  assert.equal(s.drive.stats.sectorsRead, 4);
});

Deno.test("disk: sector count 0 means 256 sectors", () => {
  const s = setup();
  s.task(0, 0);
  s.w8(ATA_REG.COMMAND, ATA_CMD.READ_SECTORS);
  let sectors = 0;
  for (;;) {
    const st = s.waitReady();
    if ((st & ATA_STATUS.DRQ) === 0) break;
    for (let i = 0; i < 256; i++) s.disk.read(ATA_REG.DATA, 2);
    sectors++;
  }
  assert.equal(sectors, 256);
});

Deno.test("disk: DMA write and read through a DMA channel", () => {
  const s = setup();
  const data = pattern(8 * SECTOR_SIZE, 99);
  s.ram.load(0x1000, data);
  let st = s.dmaXfer(true, 5000, 8, RAM + 0x1000);
  assert.equal(st, DMA_STATUS.DONE);
  assert.equal(s.r8(ATA_REG.ALT_STATUS), ATA_STATUS.DRDY | ATA_STATUS.DSC);
  assert.equal(s.irq.at(-1), true);
  s.r8(ATA_REG.STATUS);
  assert.equal(s.irq.at(-1), false, "reading STATUS clears INTRQ");
  st = s.dmaXfer(false, 5000, 8, RAM + 0x8000);
  assert.equal(st, DMA_STATUS.DONE);
  assert.deepEqual(s.ram.u8.subarray(0x8000, 0x8000 + data.length), data);
  assert.deepEqual(s.pioRead(5003, 1), data.subarray(3 * 512, 4 * 512));
});

Deno.test("disk: DMA into a bus hole fails the channel, not the host", () => {
  const s = setup();
  const st = s.dmaXfer(false, 0, 2, 0x4000_0000);
  assert.equal(st & DMA_STATUS.ERROR, DMA_STATUS.ERROR);
  assert.equal(st >>> 8, DMA_ERROR.MEMORY_FAULT);
  // The disk still waits with DRQ; SRST recovers it.
  s.w8(ATA_REG.DEVICE_CONTROL, ATA_CONTROL.SRST);
  s.w8(ATA_REG.DEVICE_CONTROL, 0);
  assert.equal(s.waitReady(), ATA_STATUS.DRDY | ATA_STATUS.DSC);
  assert.equal(s.r8(ATA_REG.ERROR), 0x01, "diagnostic code after reset");
  assert.equal(s.r8(ATA_REG.COUNT), 1);
});

Deno.test("disk: SRST during DMA makes the channel report a peripheral error", () => {
  const s = setup();
  s.dma.write(s.dmaReg(1, DMA_REG.MADDR), 4, RAM);
  s.dma.write(s.dmaReg(1, DMA_REG.COUNT), 4, 4 * SECTOR_SIZE);
  s.dma.write(s.dmaReg(1, DMA_REG.PERIPH), 4, DMA_PERIPHERAL.DISK0);
  s.dma.write(s.dmaReg(1, DMA_REG.CONTROL), 4, DMA_CONTROL.START);
  s.task(0, 4);
  s.w8(ATA_REG.COMMAND, ATA_CMD.READ_DMA);
  s.clock.advanceToNextEvent(); // first sector arrives
  s.w8(ATA_REG.DEVICE_CONTROL, ATA_CONTROL.SRST);
  s.run();
  assert.equal(s.dma.read(s.dmaReg(1, DMA_REG.STATUS), 4) >>> 8, DMA_ERROR.PERIPHERAL_ERROR);
});

Deno.test("disk: errors: ABRT for unknown command, IDNF past the end, ABRT on read-only", () => {
  const s = setup();
  s.w8(ATA_REG.COMMAND, 0x55);
  let st = s.waitReady();
  assert.equal(st & ATA_STATUS.ERR, ATA_STATUS.ERR);
  assert.equal(s.r8(ATA_REG.ERROR), ATA_ERROR.ABRT);
  assert.equal(s.irq.at(-1), true);
  s.r8(ATA_REG.STATUS);
  s.task(SECTORS - 1, 2);
  s.w8(ATA_REG.COMMAND, ATA_CMD.READ_SECTORS);
  st = s.waitReady();
  assert.equal(st & (ATA_STATUS.ERR | ATA_STATUS.DRQ), ATA_STATUS.ERR);
  assert.equal(s.r8(ATA_REG.ERROR), ATA_ERROR.IDNF);
  // A good command clears ERR.
  s.pioRead(SECTORS - 1, 1);
  assert.equal(s.r8(ATA_REG.ALT_STATUS) & ATA_STATUS.ERR, 0);

  const ro = setup(new MemoryDiskImage(new Uint8Array(64 * 512), true));
  ro.task(0, 1);
  ro.w8(ATA_REG.COMMAND, ATA_CMD.WRITE_SECTORS);
  st = ro.waitReady();
  assert.equal(st & (ATA_STATUS.ERR | ATA_STATUS.DRQ), ATA_STATUS.ERR);
  assert.equal(ro.r8(ATA_REG.ERROR), ATA_ERROR.ABRT);
  ro.task(0, 1);
  ro.w8(ATA_REG.COMMAND, ATA_CMD.WRITE_DMA);
  assert.equal(ro.waitReady() & ATA_STATUS.ERR, ATA_STATUS.ERR);
  assert.equal(ro.drive.stats.errors, 2);
});

Deno.test("disk: nIEN masks the interrupt line; device 1 is absent", () => {
  const s = setup();
  s.w8(ATA_REG.DEVICE_CONTROL, ATA_CONTROL.NIEN);
  s.task(0, 1);
  s.w8(ATA_REG.COMMAND, ATA_CMD.READ_SECTORS);
  s.waitReady();
  assert.ok(!s.irq.includes(true));
  assert.equal(s.disk.interruptPending, false);
  // Clearing nIEN exposes the still-pending INTRQ.
  s.w8(ATA_REG.DEVICE_CONTROL, 0);
  assert.equal(s.irq.at(-1), true);
  for (let i = 0; i < 256; i++) s.disk.read(ATA_REG.DATA, 2);
  s.r8(ATA_REG.STATUS);
  s.w8(ATA_REG.DEVICE, ATA_DEVICE.DEV);
  assert.equal(s.r8(ATA_REG.STATUS), 0);
  s.w8(ATA_REG.COMMAND, ATA_CMD.IDENTIFY_DEVICE);
  assert.equal(s.clock.pendingCount, 0, "no device answers");
});

Deno.test("disk: CHS addressing maps to the same sectors as LBA", () => {
  const s = setup();
  const data = pattern(512, 3);
  // LBA of C=2, H=1, S=5: (2*4+1)*32 + 4 = 292.
  s.pioWrite(292, data);
  s.w8(ATA_REG.COUNT, 1);
  s.w8(ATA_REG.LBA_LOW, 5);
  s.w8(ATA_REG.LBA_MID, 2);
  s.w8(ATA_REG.LBA_HIGH, 0);
  s.w8(ATA_REG.DEVICE, 1);
  s.w8(ATA_REG.COMMAND, ATA_CMD.READ_SECTORS);
  assert.equal(s.waitReady() & ATA_STATUS.DRQ, ATA_STATUS.DRQ);
  const got = new Uint8Array(512);
  for (let i = 0; i < 512; i++) got[i] = s.disk.read(ATA_REG.DATA, 1);
  assert.deepEqual(got, data);
  s.w8(ATA_REG.LBA_LOW, 0); // sector 0 does not exist in CHS
  s.w8(ATA_REG.COMMAND, ATA_CMD.READ_SECTORS);
  assert.equal(s.waitReady() & ATA_STATUS.ERR, ATA_STATUS.ERR);
  assert.equal(s.r8(ATA_REG.ERROR), ATA_ERROR.IDNF);
});

Deno.test("disk: seek model: longer seeks cost more, sequential beats random", () => {
  const clock = new SimClock(100_000_000);
  const d = new DiskDrive(clock, SECTORS, GEOM);
  assert.equal(d.seekCycles(0), 0);
  let prev = 0;
  for (const dist of [1, 2, 10, 100, 500, 999]) {
    const c = d.seekCycles(dist);
    assert.ok(c > prev, `seek(${dist})=${c} > ${prev}`);
    prev = c;
  }
  assert.equal(d.seekCycles(1), 80_000); // 0.8 ms track to track
  assert.equal(d.seekCycles(999), 1_600_000); // 16 ms full stroke
  assert.throws(
    () => new DiskDrive(clock, SECTORS, { cylinders: 10, heads: 4, sectorsPerTrack: 32 }),
    DiskGeometryError,
  );

  const timeFor = (lbas: number[]) => {
    const s = setup();
    const start = s.clock.now;
    for (const lba of lbas) s.pioRead(lba, 1);
    return { cycles: s.clock.now - start, stats: s.drive.stats };
  };
  const seq = timeFor(Array.from({ length: 64 }, (_, i) => 10_000 + i));
  const rnd = timeFor(Array.from({ length: 64 }, (_, i) => (i * 48_271 * 7919) % SECTORS));
  assert.ok(rnd.cycles > 5 * seq.cycles, `random ${rnd.cycles} vs sequential ${seq.cycles}`);
  assert.ok(rnd.stats.seeks > 50);
  assert.ok(rnd.stats.seekDistance > seq.stats.seekDistance);
  assert.equal(seq.stats.commands, 64);
  assert.ok(seq.stats.busyCycles > 0 && seq.stats.busyCycles <= seq.cycles);
});

Deno.test("disk: rotational latency depends on the platter angle", () => {
  const clock = new SimClock(100_000_000);
  const d = new DiskDrive(clock, SECTORS, GEOM);
  const a = d.access(0, false, 0); // head at angle 0 over sector 0
  assert.equal(a, d.sectorCycles);
  const b = d.access(0, false, 1); // just missed it: nearly a whole revolution
  assert.equal(b, d.rotationCycles - 1 + d.sectorCycles);
});

Deno.test("disk: determinism: same commands, same cycle counts", () => {
  const once = () => {
    const s = setup();
    const marks: number[] = [];
    s.pioWrite(77, pattern(1024, 5));
    marks.push(s.clock.now);
    s.dmaXfer(false, 3000, 4, RAM);
    marks.push(s.clock.now);
    s.pioRead(120_000, 2);
    marks.push(s.clock.now);
    s.w8(ATA_REG.COMMAND, ATA_CMD.FLUSH_CACHE);
    s.waitReady();
    marks.push(s.clock.now);
    return marks;
  };
  assert.deepEqual(once(), once());
});

Deno.test("disk: file image: sparse creation, write-back on FLUSH CACHE, read-only", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = join(dir, "d.img");
    assert.throws(() => FileDiskImage.open(path), DiskImageError);
    const img = FileDiskImage.open(path, { sizeBytes: 4 << 20 });
    assert.equal(img.sectors, 8192);
    assert.equal(Deno.statSync(path).size, 4 << 20);
    const s = setup(img);
    const data = pattern(2 * SECTOR_SIZE, 11);
    s.pioWrite(4000, data);
    assert.equal(img.dirtySectors, 2);
    const onDisk = () => Deno.readFileSync(path).subarray(4000 * 512, 4002 * 512);
    assert.ok(onDisk().every((b) => b === 0), "not on the file before FLUSH CACHE");
    assert.deepEqual(s.pioRead(4000, 2), data, "reads see cached writes");
    s.w8(ATA_REG.COMMAND, ATA_CMD.FLUSH_CACHE);
    assert.equal(s.waitReady() & ATA_STATUS.ERR, 0);
    assert.equal(s.irq.at(-1), true);
    assert.deepEqual(onDisk(), data);
    s.pioWrite(10, data);
    s.disk.close(); // clean shutdown flushes
    assert.deepEqual(Deno.readFileSync(path).subarray(10 * 512, 12 * 512), data);

    const ro = FileDiskImage.open(path, { readOnly: true });
    assert.throws(() => ro.writeSector(0, data, 0), DiskImageError);
    const r = setup(ro);
    assert.deepEqual(r.pioRead(4000, 2), data);
    r.task(0, 1);
    r.w8(ATA_REG.COMMAND, ATA_CMD.WRITE_SECTORS);
    assert.equal(r.waitReady() & ATA_STATUS.ERR, ATA_STATUS.ERR);
    assert.equal(r.r8(ATA_REG.ERROR), ATA_ERROR.ABRT);
    ro.close();
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("disk: read-ahead and write buffer keep long transfers streaming", () => {
  const s = setup();
  const sc = s.drive.sectorCycles;
  let t0 = s.clock.now;
  assert.equal(s.dmaXfer(false, 64_000, 128, RAM), DMA_STATUS.DONE);
  const read = s.clock.now - t0;
  // 128 sectors cross four tracks: no lost revolution, at most one initial seek and latency.
  const bound = 128 * sc + s.drive.rotationCycles + s.drive.seekCycles(1000) + 4 * 80_000 +
    s.drive.commandCycles + 2 * 512;
  assert.ok(read <= bound, `read ${read} <= ${bound}`);
  t0 = s.clock.now;
  assert.equal(s.dmaXfer(true, 64_000, 128, RAM), DMA_STATUS.DONE);
  const write = s.clock.now - t0;
  assert.ok(write <= bound + 128 * 512, `write ${write}`);
  // Sequential single-sector PIO commands are served from the read-ahead buffer.
  const before = s.drive.stats.cacheHits;
  s.pioRead(200, 1);
  s.clock.advanceTo(s.clock.now + 10 * sc);
  s.pioRead(201, 1);
  assert.equal(s.drive.stats.cacheHits, before + 1);
});

Deno.test("storage: attachStorage maps DMA, disks and tape and wires PLIC sources", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const ram = new Ram(RAM, 1 << 20);
    const bus = new Bus(ram);
    const clock = new SimClock(100_000_000);
    const plic = new Plic({ setInterruptPending: () => {} });
    const path = join(dir, "d1.img");
    const st = attachStorage(bus, plic, clock, {
      disks: [{ sizeBytes: 1 << 20 }, { path, sizeBytes: 2 << 20 }],
    });
    assert.equal(st.disks.length, 2);
    assert.equal(bus.read(MEMORY_MAP.DMA_BASE + DMA_REG.ID, 4), DMA_ID);
    assert.equal(bus.read(MEMORY_MAP.TAPE_BASE + TAPE_REG.ID, 4), TAPE_ID);
    const d1 = MEMORY_MAP.DISK_BASE + MEMORY_MAP.DISK_STRIDE;
    assert.equal(bus.read(d1 + ATA_REG.CAPACITY, 4), 4096);
    assert.equal(bus.read(d1 + ATA_REG.DMA_ID, 4), DMA_PERIPHERAL.DISK0 + 1);
    // PIO write of one sector through the bus, then the interrupt on source DISK_BASE_IRQ + 1.
    bus.write(d1 + ATA_REG.COUNT, 1, 1);
    bus.write(d1 + ATA_REG.LBA_LOW, 1, 9);
    bus.write(d1 + ATA_REG.DEVICE, 1, ATA_DEVICE.LBA);
    bus.write(d1 + ATA_REG.COMMAND, 1, ATA_CMD.WRITE_SECTORS);
    while (!(bus.read(d1 + ATA_REG.ALT_STATUS, 1) & ATA_STATUS.DRQ)) clock.advanceToNextEvent();
    for (let i = 0; i < 256; i++) bus.write(d1 + ATA_REG.DATA, 2, 0xbeef);
    while (clock.advanceToNextEvent()) { /* drain */ }
    assert.equal(plic.pending & (1 << (IRQ.DISK_BASE_IRQ + 1)), 1 << (IRQ.DISK_BASE_IRQ + 1));
    st.close(); // clean shutdown writes the cache to the file
    const bytes = Deno.readFileSync(path);
    assert.equal(bytes[9 * 512], 0xef);
    assert.equal(bytes[9 * 512 + 1], 0xbe);
    assert.throws(
      () =>
        attachStorage(new Bus(new Ram(RAM, 4096)), plic, clock, { disks: [{}, {}, {}, {}, {}] }),
      StorageConfigError,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("storage: random guest register traffic never throws on the host", () => {
  const ram = new Ram(RAM, 1 << 20);
  const bus = new Bus(ram);
  const clock = new SimClock(100_000_000);
  const plic = new Plic({ setInterruptPending: () => {} });
  const st = attachStorage(bus, plic, clock, {
    disks: [{ sizeBytes: 1 << 20 }, { sizeBytes: 1 << 20, readOnly: true }],
    tape: { drive: { capacityBytes: 4 << 20 } },
  });
  let x = 0x1234_5678;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const bases = [
    MEMORY_MAP.DMA_BASE,
    MEMORY_MAP.DISK_BASE,
    MEMORY_MAP.DISK_BASE + MEMORY_MAP.DISK_STRIDE,
    MEMORY_MAP.TAPE_BASE,
  ];
  const widths = [1, 2, 4] as const;
  for (let i = 0; i < 30_000; i++) {
    const r = next();
    const base = bases[r & 3];
    const width = widths[(r >>> 2) % 3];
    // Mostly real registers, sometimes anywhere in the window.
    const off = (r >>> 4) & 1
      ? ((r >>> 5) % 0x60) & ~(width - 1)
      : (base === MEMORY_MAP.DMA_BASE ? 0x100 + ((r >>> 5) % 0x100) : (r >>> 5) % 0x1000) &
        ~(width - 1);
    const v = next();
    // Point DMA addresses at RAM, holes or devices alike.
    const value = (r >>> 20) % 4 === 0 ? RAM + (v % (2 << 20)) : v;
    if ((r >>> 24) & 1) bus.write(base + off, width, value >>> 0);
    else bus.read(base + off, width);
    if ((r >>> 25) % 16 === 0) {
      // Real commands, and the resets a driver uses to recover.
      const disk = bases[1 + ((r >>> 29) & 1)];
      const cmds = [0xec, 0x20, 0x30, 0xc8, 0xca, 0xe7, 0x55];
      bus.write(disk + ATA_REG.DEVICE, 1, (v & 0x0f) | ATA_DEVICE.LBA);
      bus.write(disk + ATA_REG.COMMAND, 1, cmds[v % cmds.length]);
      bus.write(MEMORY_MAP.TAPE_BASE + TAPE_REG.COMMAND, 4, (v >>> 8) % 12);
    } else if ((r >>> 25) % 64 === 1) {
      for (const b of bases.slice(1, 3)) {
        bus.write(b + ATA_REG.DEVICE_CONTROL, 1, ATA_CONTROL.SRST);
        bus.write(b + ATA_REG.DEVICE_CONTROL, 1, 0);
      }
      bus.write(MEMORY_MAP.TAPE_BASE + TAPE_REG.COMMAND, 4, 0xff);
    }
    if ((i & 63) === 0) clock.advanceTo(clock.now + (next() % 2_000_000));
  }
  while (clock.now < 10_000_000_000 && clock.advanceToNextEvent()) { /* drain */ }
  // The traffic did exercise the devices.
  assert.ok(st.disks[0].stats.commands > 30, `disk commands ${st.disks[0].stats.commands}`);
  let transfers = 0;
  for (let c = 0; c < 4; c++) transfers += st.dma.stats(c).transfers;
  assert.ok(transfers > 10, `dma transfers ${transfers}`);
  assert.ok(st.tape!.drive.stats.busyCycles > 0);
  st.close();
});

Deno.test({
  name: "disk: reads an ext2 image made by mkfs.ext2 on the host",
  ignore: (() => {
    try {
      return !new Deno.Command("mkfs.ext2", { args: ["-V"], stdout: "null", stderr: "null" })
        .outputSync().success;
    } catch {
      return true;
    }
  })(),
  fn() {
    const dir = Deno.makeTempDirSync();
    try {
      const path = join(dir, "fs.img");
      const out = new Deno.Command("mkfs.ext2", {
        args: ["-q", "-F", "-b", "1024", "-L", "STRATA", path, "2048"],
        stdout: "null",
        stderr: "piped",
      }).outputSync();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      const s = setup(FileDiskImage.open(path, { readOnly: true }));
      assert.equal(s.disk.read(ATA_REG.CAPACITY, 4), 4096);
      // The superblock is at byte 1024: sectors 2 and 3.
      const sb = s.pioRead(2, 2);
      const dv = new DataView(sb.buffer);
      assert.equal(dv.getUint16(56, true), 0xef53, "ext2 magic");
      assert.equal(dv.getUint32(4, true), 2048, "blocks count");
      assert.equal(new TextDecoder().decode(sb.subarray(120, 126)), "STRATA");
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
