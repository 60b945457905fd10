import assert from "node:assert/strict";
import { MemoryTapeBacking } from "../../../../hw/tape_drive.ts";
import { parseTap, serializeTap, type TapObject } from "../../../../hw/simh_tap.ts";
import { K } from "../../../../kernel/api.ts";
import {
  GMT,
  MT_OP,
  MTIOCGET,
  MTIOCPOS,
  STIOCGSTATS,
} from "../../../../plugins/drivers/st/mtio.ts";
import { makeBench } from "./st_harness.ts";
import { listTape, TapeToolError } from "../../../../tools/tape.ts";

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

for (const pio of [false, true]) {
  const how = pio ? "PIO" : "DMA";
  Deno.test(`st (${how}): one record per write and read, filemark at close reads as 0`, () => {
    const backing = new MemoryTapeBacking();
    const b = makeBench({ backing, pio });
    assert.equal(b.write(bytes(1000, 1)), 1000);
    assert.equal(b.write(bytes(3000, 2)), 3000);
    b.driver.close(true); // /dev/st0: filemark, rewind
    b.settle();
    b.drive.flush();
    const objs = parseTap(backing.bytes).objects;
    assert.deepEqual(objs.map((o) => o.kind), ["record", "record", "mark"]);
    assert.deepEqual(b.read(65536), bytes(1000, 1));
    // A buffer shorter than the record: ENOMEM, and the record is passed.
    assert.equal(b.read(100), K.NOMEM);
    assert.deepEqual(b.read(65536), new Uint8Array(0));
  });
}

Deno.test("st: reading past a filemark returns 0 once, then the next file", () => {
  const img = serializeTap([
    { kind: "record", cls: 0, data: bytes(10, 1) },
    { kind: "mark" },
    { kind: "record", cls: 0, data: bytes(20, 2) },
    { kind: "mark" },
  ]);
  const b = makeBench({ backing: new MemoryTapeBacking(img) });
  assert.deepEqual(b.read(512), bytes(10, 1));
  assert.deepEqual(b.read(512), new Uint8Array(0));
  assert.deepEqual(b.read(512), bytes(20, 2));
  assert.deepEqual(b.read(512), new Uint8Array(0));
  assert.deepEqual(b.read(512), new Uint8Array(0)); // end of data
});

Deno.test("st: MTIOCTOP spacing, MTIOCGET bits and MTIOCPOS", () => {
  const objs: TapObject[] = [];
  for (let f = 0; f < 3; f++) {
    for (let r = 0; r < 4; r++) objs.push({ kind: "record", cls: 0, data: bytes(64, f * 10 + r) });
    objs.push({ kind: "mark" });
  }
  const b = makeBench({ backing: new MemoryTapeBacking(serializeTap(objs)) });
  let st = b.get(MTIOCGET, 7);
  assert.equal(st.r, 0);
  assert.equal(st.w[0], 0x72);
  assert.equal(st.w[3] & (GMT.BOT | GMT.ONLINE), GMT.BOT | GMT.ONLINE);
  assert.equal(b.mtop(MT_OP.MTFSF, 2), 0);
  st = b.get(MTIOCGET, 7);
  assert.equal(st.w[5], 2); // file
  assert.equal(st.w[6], 0); // block in file
  assert.equal((st.w[3] & GMT.EOF) >>> 0, GMT.EOF);
  assert.deepEqual(b.read(512), bytes(64, 20));
  assert.equal(b.mtop(MT_OP.MTFSR, 2), 0);
  assert.deepEqual(b.get(MTIOCPOS, 1).w[0], 2 * 5 + 3);
  assert.equal(b.mtop(MT_OP.MTBSR, 3), 0);
  assert.deepEqual(b.read(512), bytes(64, 20));
  assert.equal(b.mtop(MT_OP.MTBSF, 1), 0); // on the BOT side of mark 2
  assert.equal(b.get(MTIOCGET, 7).w[5], 1);
  assert.equal(b.mtop(MT_OP.MTFSR, 5), K.IO); // a filemark stops record spacing
  assert.equal(b.mtop(MT_OP.MTREW), 0);
  assert.equal(b.mtop(MT_OP.MTBSR, 1), K.IO); // BOT
  assert.equal(b.mtop(MT_OP.MTEOM), 0);
  assert.equal(b.get(MTIOCGET, 7).w[5], 3);
  // Erase from the middle of file 1 on; MTWEOF 2 then ends the tape with two marks.
  assert.equal(b.mtop(MT_OP.MTREW), 0);
  assert.equal(b.mtop(MT_OP.MTFSF, 1), 0);
  assert.equal(b.mtop(MT_OP.MTFSR, 1), 0);
  assert.equal(b.mtop(MT_OP.MTERASE), 0);
  assert.equal(b.mtop(MT_OP.MTWEOF, 2), 0);
  assert.equal(b.mtop(MT_OP.MTWEOF, 1, false), K.ACCES);
  assert.deepEqual(
    b.drive.objects.map((o) => o.kind).join(","),
    "record,".repeat(4) + "mark,record,mark,mark",
  );
  assert.equal(b.mtop(MT_OP.MTOFFL), 0);
  assert.equal(b.get(MTIOCGET, 7).w[3] & (GMT.ONLINE | GMT.DR_OPEN), GMT.DR_OPEN);
  assert.equal(b.read(512), K.IO);
  assert.equal(b.mtop(MT_OP.MTLOAD), 0);
  assert.equal(b.mtop(999), K.INVAL);
});

Deno.test("st: fixed block mode moves whole blocks, one record each", () => {
  const b = makeBench();
  assert.equal(b.mtop(MT_OP.MTSETBLK, 512), 0);
  assert.equal(b.get(MTIOCGET, 7).w[2], 512);
  assert.equal(b.write(bytes(100, 1)), K.INVAL);
  assert.equal(b.write(bytes(2048, 1)), 2048);
  b.driver.close(true);
  b.settle();
  assert.equal(b.drive.objects.length, 5);
  const got = b.read(4096);
  assert.deepEqual(got, bytes(2048, 1));
  assert.deepEqual(b.read(4096), new Uint8Array(0)); // the filemark
});

Deno.test("st: MTCOMPRESSION stores LZ4 records and STIOCGSTATS reports the ratio", () => {
  const b = makeBench();
  assert.equal(b.mtop(MT_OP.MTCOMPRESSION, 1), 0);
  const text = new TextEncoder().encode("strata tape ".repeat(1000));
  assert.equal(b.write(text), text.length);
  const s = b.get(STIOCGSTATS, 4);
  assert.equal(s.w[1], 1);
  assert.ok(s.w[0] > 500, `ratio ${s.w[0]}`);
  assert.equal(b.mtop(MT_OP.MTREW), 0);
  assert.deepEqual(b.read(65536), text);
  assert.equal(b.mtop(MT_OP.MTCOMPRESSION, 2), K.INVAL);
});

Deno.test("st: end of medium gives ENOSPC with the records before it intact", () => {
  const backing = new MemoryTapeBacking();
  const b = makeBench({ backing, drive: { capacityBytes: 64 * 1024 } });
  let ok = 0;
  let r = 0;
  for (let i = 0; i < 100; i++) {
    r = b.write(bytes(10240, i));
    if (r < 0) break;
    ok++;
  }
  assert.equal(r, K.NOSPC);
  assert.ok(ok >= 5 && ok < 7, `${ok} records`);
  b.drive.flush();
  const recs = parseTap(backing.bytes).objects;
  assert.equal(recs.length, ok);
  recs.forEach((o, i) => assert.deepEqual(o.kind === "record" && o.data, bytes(10240, i)));
});

Deno.test("st: a write-protected tape refuses writes with EROFS", () => {
  const b = makeBench({ backing: new MemoryTapeBacking(new Uint8Array(0), true) });
  assert.equal(b.write(bytes(10, 1)), K.ROFS);
  assert.equal(b.get(MTIOCGET, 7).w[3] & GMT.WR_PROT, GMT.WR_PROT);
});

Deno.test("st: 1,000 corrupted images give EIO at the bad record, never a host error or hang", () => {
  const objs: TapObject[] = [];
  const text = new TextEncoder().encode("backup data ".repeat(300));
  for (let i = 0; i < 6; i++) {
    objs.push({ kind: "record", cls: 0, data: bytes(200 + i * 50, i) });
    if (i % 2 === 0) objs.push({ kind: "mark" });
  }
  const good = serializeTap(objs);
  // A compressed record too (written through the drive).
  const base = makeBench({ backing: new MemoryTapeBacking(good) });
  base.mtop(MT_OP.MTEOM);
  base.mtop(MT_OP.MTCOMPRESSION, 1);
  base.write(text);
  base.drive.flush();
  const image = (base.drive as unknown as { objects: TapObject[] }).objects;
  const clean = serializeTap(image);
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  let eio = 0, damaged = 0, toolErrors = 0;
  for (let t = 0; t < 1000; t++) {
    let img = clean.slice();
    const kind = rand(3);
    if (kind === 0) img = img.slice(0, rand(img.length));
    else {
      for (let k = 0; k <= rand(4); k++) img[rand(img.length)] = rand(256);
      if (kind === 2) img = img.slice(0, img.length - rand(8));
    }
    const b = makeBench({ backing: new MemoryTapeBacking(img) });
    let sawIo = false;
    // Read everything: each file to its mark, until end of data (bounded).
    for (let steps = 0, zeros = 0; steps < 100 && zeros < 3; steps++) {
      const r = b.read(256 * 1024);
      if (typeof r === "number") {
        assert.ok(r === K.IO || r === K.NOMEM, `trial ${t}: read gave ${r}`);
        if (r === K.IO) sawIo = true;
      } else zeros = r.length === 0 ? zeros + 1 : 0;
    }
    if (b.drive.damage !== null) {
      damaged++;
      assert.ok(sawIo, `trial ${t}: damage without EIO`);
    }
    if (sawIo) eio++;
    try {
      listTape(img);
    } catch (e) {
      assert.ok(e instanceof TapeToolError, `trial ${t}: ${e}`);
      toolErrors++;
    }
  }
  assert.ok(damaged > 250 && eio >= damaged, `${damaged} damaged, ${eio} saw EIO`);
  assert.ok(toolErrors >= damaged, `${toolErrors} tool errors for ${damaged} damaged images`);
});
