import assert from "node:assert/strict";
import { join } from "node:path";
import { Bus } from "../../hw/bus.ts";
import { SimClock } from "../../hw/clock.ts";
import { Ram } from "../../hw/ram.ts";
import {
  DMA_CONFIG,
  DMA_CONTROL,
  DMA_PERIPHERAL,
  DMA_REG,
  DMA_STATUS,
  DmaController,
} from "../../hw/dma.ts";
import {
  FileTapeBacking,
  MemoryTapeBacking,
  type TapeBacking,
  TapeDrive,
  type TapeDriveConfig,
} from "../../hw/tape_drive.ts";
import {
  TAPE_CMD,
  TAPE_CONTROL,
  TAPE_ERROR,
  TAPE_ID,
  TAPE_REG,
  TAPE_STATUS,
  TapeController,
} from "../../hw/tape_controller.ts";
import { parseTap, serializeTap, TAP_CLASS, TapeFormatError } from "../../hw/simh_tap.ts";

const RAM = 0x8000_0000;

function setup(backing: TapeBacking = new MemoryTapeBacking(), config: TapeDriveConfig = {}) {
  const ram = new Ram(RAM, 1 << 20);
  const bus = new Bus(ram);
  const clock = new SimClock(100_000_000);
  const dma = new DmaController(bus, clock, { bandwidth: 50_000_000 });
  const drive = new TapeDrive(clock, backing, config);
  const tape = new TapeController(clock, drive);
  tape.connectDma(DMA_PERIPHERAL.TAPE, dma.attach(DMA_PERIPHERAL.TAPE, tape));
  const irq: boolean[] = [];
  tape.setIrq({ set: (l) => irq.push(l) });
  const r = (off: number) => tape.read(off, 4);
  const w = (off: number, v: number) => tape.write(off, 4, v);
  const run = () => {
    while (clock.advanceToNextEvent()) { /* drain */ }
  };
  /** Issues a command and runs to completion; returns STATUS. */
  const cmd = (c: number, count = 0) => {
    w(TAPE_REG.COUNT, count);
    w(TAPE_REG.COMMAND, c);
    assert.equal(r(TAPE_REG.STATUS) & TAPE_STATUS.BUSY, TAPE_STATUS.BUSY);
    run();
    const st = r(TAPE_REG.STATUS);
    assert.equal(st & (TAPE_STATUS.BUSY | TAPE_STATUS.DONE), TAPE_STATUS.DONE);
    w(TAPE_REG.STATUS, TAPE_STATUS.DONE);
    return st;
  };
  const writePio = (data: Uint8Array) => {
    w(TAPE_REG.LENGTH, data.length);
    for (let i = 0; i < data.length; i++) tape.write(TAPE_REG.DATA, 1, data[i]);
    return cmd(TAPE_CMD.WRITE);
  };
  const readPio = (max = 65536) => {
    w(TAPE_REG.LENGTH, max);
    const st = cmd(TAPE_CMD.READ);
    const n = Math.min(r(TAPE_REG.XFER), max);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = tape.read(TAPE_REG.DATA, 4);
      for (let k = 0; k < 4 && i + k < n; k++) out[i + k] = v >>> (8 * k);
    }
    return { st, data: out };
  };
  return { ram, clock, dma, drive, tape, irq, r, w, run, cmd, writePio, readPio };
}

function rec(n: number, tag: number): Uint8Array {
  const d = new Uint8Array(n);
  for (let i = 0; i < n; i++) d[i] = (i * 7 + tag) & 0xff;
  return d;
}

function randomBytes(n: number, seed: number): Uint8Array {
  const d = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    d[i] = x >>> 24;
  }
  return d;
}

Deno.test("tape: power-on status at BOT, online, interrupt on completion", () => {
  const s = setup();
  assert.equal(s.r(TAPE_REG.ID), TAPE_ID);
  assert.equal(s.r(TAPE_REG.STATUS), TAPE_STATUS.ONLINE | TAPE_STATUS.BOT);
  s.w(TAPE_REG.CONTROL, TAPE_CONTROL.IE);
  s.cmd(TAPE_CMD.NOP);
  assert.deepEqual(s.irq.slice(-2), [true, false], "raised, then acknowledged");
});

Deno.test("tape: write records and filemarks by PIO, rewind, read back", () => {
  const s = setup();
  s.writePio(rec(1000, 1));
  s.writePio(rec(333, 2));
  s.cmd(TAPE_CMD.WRITE_FILEMARK);
  s.writePio(rec(80, 3));
  s.cmd(TAPE_CMD.WRITE_FILEMARK);
  assert.equal(s.r(TAPE_REG.FILE), 2);
  assert.equal(s.cmd(TAPE_CMD.REWIND) & TAPE_STATUS.BOT, TAPE_STATUS.BOT);
  let got = s.readPio();
  assert.equal(s.r(TAPE_REG.XFER), 1000);
  assert.deepEqual(got.data, rec(1000, 1));
  assert.equal(s.r(TAPE_REG.BLOCK), 1);
  got = s.readPio();
  assert.deepEqual(got.data, rec(333, 2));
  got = s.readPio();
  assert.equal(got.st & (TAPE_STATUS.FILEMARK | TAPE_STATUS.ERROR), TAPE_STATUS.FILEMARK);
  assert.equal(s.r(TAPE_REG.XFER), 0);
  got = s.readPio();
  assert.deepEqual(got.data, rec(80, 3));
  assert.equal(s.readPio().st & TAPE_STATUS.FILEMARK, TAPE_STATUS.FILEMARK);
  const end = s.readPio();
  assert.equal(end.st & (TAPE_STATUS.EOD | TAPE_STATUS.ERROR), TAPE_STATUS.EOD | TAPE_STATUS.ERROR);
  assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.END_OF_DATA);
});

Deno.test("tape: short buffer: overrun status and truncated data; residual for short records", () => {
  const s = setup();
  s.writePio(rec(100, 9));
  s.writePio(rec(10, 8));
  s.cmd(TAPE_CMD.REWIND);
  const a = s.readPio(40);
  assert.equal(a.st & TAPE_STATUS.OVERRUN, TAPE_STATUS.OVERRUN);
  assert.equal(s.r(TAPE_REG.XFER), 100);
  assert.deepEqual(a.data, rec(100, 9).subarray(0, 40));
  s.readPio(64);
  assert.equal(s.r(TAPE_REG.RESIDUAL), 54);
});

Deno.test("tape: space records and files forward and backward, BOT and filemark stops", () => {
  const s = setup();
  // File 0: records A0..A4; mark; file 1: B0..B2; mark; file 2: C0.
  for (let i = 0; i < 5; i++) s.writePio(rec(50, 10 + i));
  s.cmd(TAPE_CMD.WRITE_FILEMARK);
  for (let i = 0; i < 3; i++) s.writePio(rec(50, 20 + i));
  s.cmd(TAPE_CMD.WRITE_FILEMARK);
  s.writePio(rec(50, 30));
  s.cmd(TAPE_CMD.REWIND);

  let st = s.cmd(TAPE_CMD.SPACE_RECORDS_FORWARD, 3);
  assert.equal(st & TAPE_STATUS.ERROR, 0);
  assert.equal(s.r(TAPE_REG.RESIDUAL), 0);
  assert.deepEqual(s.readPio().data, rec(50, 13));
  // Spacing 10 records stops after the filemark, with 9 left... (A4 spaced, then the mark)
  st = s.cmd(TAPE_CMD.SPACE_RECORDS_FORWARD, 10);
  assert.equal(st & TAPE_STATUS.FILEMARK, TAPE_STATUS.FILEMARK);
  assert.equal(s.r(TAPE_REG.RESIDUAL), 9);
  assert.equal(s.r(TAPE_REG.FILE), 1);
  assert.deepEqual(s.readPio().data, rec(50, 20));
  // Back 2 records: over B0, then the mark stops us on its BOT side.
  st = s.cmd(TAPE_CMD.SPACE_RECORDS_BACKWARD, 2);
  assert.equal(st & TAPE_STATUS.FILEMARK, TAPE_STATUS.FILEMARK);
  assert.equal(s.r(TAPE_REG.RESIDUAL), 1);
  assert.equal(s.r(TAPE_REG.FILE), 0);
  assert.deepEqual(s.readPio().st & TAPE_STATUS.FILEMARK, TAPE_STATUS.FILEMARK);
  // Files: forward 1 from file 1 start reaches file 2.
  st = s.cmd(TAPE_CMD.SPACE_FILES_FORWARD, 1);
  assert.equal(s.r(TAPE_REG.FILE), 2);
  assert.deepEqual(s.readPio().data, rec(50, 30));
  // Forward 1 more file: end of data.
  st = s.cmd(TAPE_CMD.SPACE_FILES_FORWARD, 1);
  assert.equal(st & TAPE_STATUS.EOD, TAPE_STATUS.EOD);
  assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.END_OF_DATA);
  assert.equal(s.r(TAPE_REG.RESIDUAL), 1);
  // Back 2 files: BOT side of the first mark, i.e. after A4.
  st = s.cmd(TAPE_CMD.SPACE_FILES_BACKWARD, 2);
  assert.equal(st & TAPE_STATUS.ERROR, 0);
  assert.equal(s.r(TAPE_REG.FILE), 0);
  assert.equal(s.r(TAPE_REG.BLOCK), 5);
  // Back 10 records: hits BOT after 5.
  st = s.cmd(TAPE_CMD.SPACE_RECORDS_BACKWARD, 10);
  assert.equal(st & (TAPE_STATUS.BOT | TAPE_STATUS.ERROR), TAPE_STATUS.BOT | TAPE_STATUS.ERROR);
  assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.BOT);
  assert.equal(s.r(TAPE_REG.RESIDUAL), 5);
  assert.deepEqual(s.readPio().data, rec(50, 10));
});

Deno.test("tape: writing in the middle erases what follows", () => {
  const s = setup();
  for (let i = 0; i < 4; i++) s.writePio(rec(20, i));
  s.cmd(TAPE_CMD.REWIND);
  s.cmd(TAPE_CMD.SPACE_RECORDS_FORWARD, 1);
  s.writePio(rec(20, 99));
  s.cmd(TAPE_CMD.REWIND);
  s.readPio();
  assert.deepEqual(s.readPio().data, rec(20, 99));
  assert.equal(s.readPio().st & TAPE_STATUS.EOD, TAPE_STATUS.EOD);
});

Deno.test("tape: DMA write and read", () => {
  const s = setup();
  const data = randomBytes(5000, 3);
  s.ram.load(0, data);
  const ch = (r: number) => DMA_REG.CHANNEL_BASE + 2 * DMA_REG.CHANNEL_STRIDE + r;
  const program = (maddr: number, count: number, toDevice: boolean) => {
    s.dma.write(ch(DMA_REG.MADDR), 4, maddr);
    s.dma.write(ch(DMA_REG.COUNT), 4, count);
    s.dma.write(ch(DMA_REG.PERIPH), 4, s.r(TAPE_REG.DMA_ID));
    s.dma.write(ch(DMA_REG.CONFIG), 4, DMA_CONFIG.BLOCK | (toDevice ? DMA_CONFIG.TO_DEVICE : 0));
    s.dma.write(ch(DMA_REG.CONTROL), 4, DMA_CONTROL.START);
  };
  s.w(TAPE_REG.CONTROL, TAPE_CONTROL.DMA | TAPE_CONTROL.IE);
  program(RAM, data.length, true);
  s.w(TAPE_REG.LENGTH, data.length);
  s.cmd(TAPE_CMD.WRITE);
  assert.equal(s.dma.read(ch(DMA_REG.STATUS), 4), DMA_STATUS.DONE);
  assert.equal(s.drive.stats.bytesWritten, 5000);
  s.cmd(TAPE_CMD.REWIND);
  program(RAM + 0x10000, data.length, false);
  s.w(TAPE_REG.LENGTH, 8192);
  s.cmd(TAPE_CMD.READ);
  assert.equal(s.r(TAPE_REG.XFER), 5000);
  assert.deepEqual(s.ram.u8.subarray(0x10000, 0x10000 + 5000), data);
});

Deno.test("tape: early warning, then end of medium refuses the write", () => {
  const s = setup(new MemoryTapeBacking(), {
    capacityBytes: 100_000,
    earlyWarningBytes: 20_000,
    gapBytes: 0,
  });
  const block = randomBytes(9992, 1); // 10000 bytes of tape each with the length words
  let st = 0;
  for (let i = 0; i < 7; i++) st = s.writePio(block);
  assert.equal(st & TAPE_STATUS.EW, 0);
  st = s.writePio(block); // position 80000: inside the warning zone
  assert.equal(st & (TAPE_STATUS.EW | TAPE_STATUS.ERROR), TAPE_STATUS.EW);
  s.writePio(block);
  st = s.writePio(block); // exactly full
  assert.equal(st & TAPE_STATUS.ERROR, 0);
  st = s.writePio(block);
  assert.equal(st & (TAPE_STATUS.EOM | TAPE_STATUS.ERROR), TAPE_STATUS.EOM | TAPE_STATUS.ERROR);
  assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.END_OF_MEDIUM);
  assert.equal(s.r(TAPE_REG.RESIDUAL), 9992);
  assert.equal(s.drive.stats.recordsWritten, 10);
});

Deno.test("tape: compression fits more than the raw capacity; random data stays raw", () => {
  const cap = { capacityBytes: 200_000, earlyWarningBytes: 0, gapBytes: 16 };
  const text = new TextEncoder().encode(
    "Strata tape record: the quick brown fox jumps over the lazy dog 0123456789\n".repeat(100),
  );
  const fill = (compress: boolean, data: Uint8Array) => {
    const s = setup(new MemoryTapeBacking(), cap);
    s.w(TAPE_REG.CONTROL, compress ? TAPE_CONTROL.COMPRESS : 0);
    let bytes = 0;
    for (;;) {
      const st = s.writePio(data);
      if (st & TAPE_STATUS.ERROR) break;
      bytes += data.length;
    }
    return { s, bytes };
  };
  const raw = fill(false, text);
  const packed = fill(true, text);
  assert.ok(raw.bytes <= cap.capacityBytes);
  assert.ok(packed.bytes > 5 * cap.capacityBytes, `compressed stream holds ${packed.bytes}`);
  assert.ok(packed.s.r(TAPE_REG.RATIO) > 500, `ratio ${packed.s.r(TAPE_REG.RATIO)}`);
  assert.equal(raw.s.r(TAPE_REG.RATIO), 100);
  // Read back through decompression.
  packed.s.cmd(TAPE_CMD.REWIND);
  const got = packed.s.readPio();
  assert.equal(got.st & TAPE_STATUS.COMPRESSED, TAPE_STATUS.COMPRESSED);
  assert.deepEqual(got.data, text);

  const rnd = fill(true, randomBytes(4000, 5));
  assert.equal(rnd.s.drive.stats.compressedRecords, 0);
  assert.equal(rnd.s.r(TAPE_REG.RATIO), 100);
  assert.ok(rnd.s.drive.objects.every((o) => o.kind !== "record" || o.cls === TAP_CLASS.GOOD));
});

Deno.test("tape: buffered streaming, start/stop penalties, rewind and load times", () => {
  const s = setup();
  const block = rec(10_000, 1);
  const motion = 10_072 * 50; // record + length words + 64-byte gap at 2 MB/s (50 cycles/byte)
  const penalty = 3_000_000; // 30 ms start/stop
  const overhead = 5_000; // 50 us per command
  const buffer = 512 * 1024 * 50; // buffer time
  let t = s.clock.now;
  s.writePio(block);
  assert.equal(s.clock.now - t, overhead, "the first write goes to the buffer");
  for (let i = 0; i < 60; i++) s.writePio(block);
  assert.equal(s.drive.stats.repositions, 1, "back-to-back writes keep the tape streaming");
  // The buffer is full: the host now waits for the tape.
  assert.equal(s.clock.now, penalty + 61 * motion - buffer + overhead);
  s.cmd(TAPE_CMD.WRITE_FILEMARK); // waits until everything is on tape
  assert.equal(s.clock.now, penalty + 61 * motion + 68 * 50 + overhead);
  s.clock.advanceTo(s.clock.now + 100_000_000); // host idles 1 s: the tape stops
  s.writePio(block);
  assert.equal(s.drive.stats.repositions, 2);

  t = s.clock.now;
  s.cmd(TAPE_CMD.REWIND); // drains the buffer (restart + record), then rewinds at 100 MB/s
  const rewind = s.clock.now - t;
  const distance = 62 * 10_072 + 68;
  assert.equal(rewind, (penalty + motion - overhead) + penalty + distance + overhead);
  t = s.clock.now;
  s.readPio(20_000);
  const first = s.clock.now - t;
  t = s.clock.now;
  s.readPio(20_000);
  const second = s.clock.now - t;
  assert.equal(first, overhead + penalty + motion);
  assert.equal(second, motion, "read-ahead hides the command overhead");
  s.clock.advanceTo(s.clock.now + 100_000_000);
  t = s.clock.now;
  s.readPio(20_000);
  assert.equal(s.clock.now - t, first, "a late read restarts the tape");
  assert.equal(s.drive.stats.repositions, 4);

  t = s.clock.now;
  s.cmd(TAPE_CMD.UNLOAD);
  assert.equal(s.r(TAPE_REG.STATUS) & TAPE_STATUS.ONLINE, 0);
  s.w(TAPE_REG.LENGTH, 100);
  s.cmd(TAPE_CMD.READ);
  assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.NOT_READY);
  s.cmd(TAPE_CMD.LOAD);
  assert.ok(s.clock.now - t > 250_000_000, "unload + load take seconds");
  assert.equal(
    s.r(TAPE_REG.STATUS) & (TAPE_STATUS.ONLINE | TAPE_STATUS.BOT),
    TAPE_STATUS.ONLINE | TAPE_STATUS.BOT,
  );
  assert.deepEqual(s.readPio(20_000).data, block, "unload saved the tape");
});

Deno.test("tape: determinism: same commands, same cycle counts", () => {
  const once = () => {
    const s = setup();
    s.w(TAPE_REG.CONTROL, TAPE_CONTROL.COMPRESS);
    const marks: number[] = [];
    for (let i = 0; i < 5; i++) {
      s.writePio(rec(3000 + i, i));
      marks.push(s.clock.now);
    }
    s.cmd(TAPE_CMD.WRITE_FILEMARK);
    s.cmd(TAPE_CMD.SPACE_RECORDS_BACKWARD, 3);
    marks.push(s.clock.now);
    s.cmd(TAPE_CMD.REWIND);
    s.cmd(TAPE_CMD.SPACE_FILES_FORWARD, 1);
    marks.push(s.clock.now, s.drive.position);
    return marks;
  };
  assert.deepEqual(once(), once());
});

Deno.test("tape: write protect", () => {
  const s = setup(new MemoryTapeBacking(new Uint8Array(0), true));
  assert.equal(s.r(TAPE_REG.STATUS) & TAPE_STATUS.WP, TAPE_STATUS.WP);
  const st = s.writePio(rec(10, 1));
  assert.equal(st & TAPE_STATUS.ERROR, TAPE_STATUS.ERROR);
  assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.WRITE_PROTECTED);
  s.cmd(TAPE_CMD.WRITE_FILEMARK);
  assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.WRITE_PROTECTED);
  s.cmd(0x77);
  assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.BAD_COMMAND);
  s.w(TAPE_REG.LENGTH, 0);
  s.cmd(TAPE_CMD.READ);
  assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.BAD_LENGTH);
});

Deno.test("tape: a corrupt .tap file reads up to the damage, which is one bad record", () => {
  const good = serializeTap([{ kind: "record", cls: 0, data: new Uint8Array([5, 6, 7]) }]);
  const bytes = new Uint8Array(good.length + 7);
  bytes.set(good);
  bytes.set([100, 0, 0, 0, 1, 2, 3], good.length); // a record running past the end
  const s = setup(new MemoryTapeBacking(bytes));
  assert.equal(s.drive.loadError, null);
  assert.ok(s.drive.damage instanceof TapeFormatError);
  assert.equal(s.r(TAPE_REG.STATUS) & TAPE_STATUS.ONLINE, TAPE_STATUS.ONLINE);
  const first = s.readPio();
  assert.deepEqual([...first.data], [5, 6, 7]);
  assert.equal(first.st & TAPE_STATUS.BAD_RECORD, 0);
  const second = s.readPio();
  assert.equal(second.st & TAPE_STATUS.BAD_RECORD, TAPE_STATUS.BAD_RECORD);
  assert.equal(s.r(TAPE_REG.XFER), 7);
});

Deno.test("tape: an unreadable .tap file leaves the drive offline with a FORMAT error", () => {
  const dir = Deno.makeTempDirSync();
  try {
    // A directory cannot be read as a file.
    const s = setup(new FileTapeBacking(dir));
    assert.ok(s.drive.loadError !== null);
    const st = s.r(TAPE_REG.STATUS);
    assert.equal(st & (TAPE_STATUS.ONLINE | TAPE_STATUS.ERROR), TAPE_STATUS.ERROR);
    assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.FORMAT);
    s.w(TAPE_REG.LENGTH, 10);
    s.cmd(TAPE_CMD.READ);
    assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.FORMAT);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("tape: host .tap file: written tape is a valid SIMH image; foreign records are skipped", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = join(dir, "t.tap");
    const s = setup(new FileTapeBacking(path));
    s.w(TAPE_REG.CONTROL, TAPE_CONTROL.COMPRESS);
    const text = new TextEncoder().encode("hello tape ".repeat(200));
    s.writePio(text);
    s.writePio(randomBytes(301, 2));
    s.cmd(TAPE_CMD.WRITE_FILEMARK);
    s.cmd(TAPE_CMD.REWIND); // saves
    s.tape.close();
    const img = parseTap(Deno.readFileSync(path));
    assert.deepEqual(img.objects.map((o) => o.kind === "record" ? o.cls : o.kind), [
      0xe,
      0,
      "mark",
    ]);
    // Add a foreign private record and a class-3 record before the data: Strata skips both.
    const foreign = serializeTap([
      { kind: "record", cls: 0xe, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]) },
      { kind: "record", cls: 0x3, data: new Uint8Array([1]) },
      ...img.objects,
    ]);
    Deno.writeFileSync(path, foreign);
    const r = setup(new FileTapeBacking(path, true));
    assert.deepEqual(r.readPio().data, text);
    assert.equal(r.readPio().data.length, 301);
    assert.equal(r.readPio().st & TAPE_STATUS.FILEMARK, TAPE_STATUS.FILEMARK);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("tape: ABORT stops a DMA command the channel never serves", () => {
  const s = setup();
  s.w(TAPE_REG.CONTROL, TAPE_CONTROL.DMA | TAPE_CONTROL.IE);
  s.w(TAPE_REG.LENGTH, 1000);
  s.w(TAPE_REG.COMMAND, TAPE_CMD.WRITE);
  s.run();
  assert.equal(
    s.r(TAPE_REG.STATUS) & (TAPE_STATUS.BUSY | TAPE_STATUS.DRQ),
    TAPE_STATUS.BUSY | TAPE_STATUS.DRQ,
  );
  s.w(TAPE_REG.COMMAND, TAPE_CMD.ABORT);
  const st = s.r(TAPE_REG.STATUS);
  assert.equal(
    st & (TAPE_STATUS.BUSY | TAPE_STATUS.DRQ | TAPE_STATUS.DONE | TAPE_STATUS.ERROR),
    TAPE_STATUS.DONE | TAPE_STATUS.ERROR,
  );
  assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.ABORTED);
  assert.equal(s.irq.at(-1), true);
  assert.equal(s.drive.stats.recordsWritten, 0);
  // The controller takes commands again.
  s.w(TAPE_REG.STATUS, TAPE_STATUS.DONE);
  assert.equal(s.cmd(TAPE_CMD.NOP) & TAPE_STATUS.ERROR, 0);
});

Deno.test("tape: FLUSH writes the file; a corrupt compressed record is a DATA error; no DMA wired", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = join(dir, "f.tap");
    const s = setup(new FileTapeBacking(path));
    s.writePio(rec(77, 1));
    assert.throws(() => Deno.statSync(path), Deno.errors.NotFound, "still only in the drive");
    s.cmd(TAPE_CMD.FLUSH);
    assert.equal(s.r(TAPE_REG.ERROR), TAPE_ERROR.NONE);
    assert.equal(parseTap(Deno.readFileSync(path)).objects.length, 1);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  // "SLZ4" header claiming 1000 bytes, followed by a block that does not decode to that.
  const payload = new Uint8Array([0x53, 0x4c, 0x5a, 0x34, 0xe8, 0x03, 0, 0, 0x10, 0x41]);
  const bad = setup(
    new MemoryTapeBacking(
      serializeTap([{ kind: "record", cls: TAP_CLASS.PRIVATE, data: payload }]),
    ),
  );
  const got = bad.readPio();
  assert.equal(got.st & TAPE_STATUS.ERROR, TAPE_STATUS.ERROR);
  assert.equal(bad.r(TAPE_REG.ERROR), TAPE_ERROR.DATA_ERROR);

  const clock = new SimClock();
  const lone = new TapeController(clock, new TapeDrive(clock, new MemoryTapeBacking()));
  lone.write(TAPE_REG.CONTROL, 4, TAPE_CONTROL.DMA);
  lone.write(TAPE_REG.LENGTH, 4, 10);
  lone.write(TAPE_REG.COMMAND, 4, TAPE_CMD.READ);
  while (clock.advanceToNextEvent()) { /* drain */ }
  assert.equal(lone.read(TAPE_REG.ERROR, 4), TAPE_ERROR.NO_DMA);
});
