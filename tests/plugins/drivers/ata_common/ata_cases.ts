/**
 * The behaviour every ATA driver must show, registered as tests for one
 * driver kind: probe by IDENTIFY, reads and writes (with requests longer
 * than one command), FLUSH CACHE, device errors as K.IO, and reset with
 * bounded retries after a hang.
 *
 * @module
 */

import assert from "node:assert/strict";
import { MemoryDiskImage } from "../../../../hw/disk_image.ts";
import { K } from "../../../../kernel/api.ts";
import { type AtaKind, FlakyImage, makeRig } from "./ata_rig.ts";

/** Deterministic bytes (xorshift) for `n` bytes from `seed`. */
export function pattern(n: number, seed: number): Uint8Array {
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

/** Registers the shared cases for `kind`. */
export function defineAtaCases(kind: AtaKind): void {
  Deno.test(`ata_${kind}: probe reads model, serial and capacity from IDENTIFY`, () => {
    const rig = makeRig(kind, { images: [new MemoryDiskImage(3 << 20)] });
    const d = rig.disks[0];
    assert.equal(d.model, "STRATA SIMULATED DISK");
    assert.equal(d.serial, "RIG-0");
    assert.equal(d.sectors, 6144);
    assert.equal(d.identity?.flushCache, true);
    assert.equal(d.identity?.pioCycleNs, 120);
    assert.match(rig.log.join("\n"), /hda: STRATA SIMULATED DISK, 6144 sectors \(3\.0 MiB\)/);
  });

  Deno.test(`ata_${kind}: writes then reads back, across commands of 256 sectors`, () => {
    const image = new MemoryDiskImage(4 << 20);
    const rig = makeRig(kind, { images: [image] });
    const a = pattern(600 * 512, 1); // three commands: 256 + 256 + 88
    const b = pattern(3 * 512, 2);
    const w1 = rig.request("write", 100, 600, a);
    const w2 = rig.request("write", 5000, 3, b);
    assert.deepEqual(rig.run([w1.req, w2.req]), [K.OK, K.OK]);
    assert.deepEqual(image.bytes.subarray(100 * 512, 700 * 512), a);
    assert.deepEqual(image.bytes.subarray(5000 * 512, 5003 * 512), b);
    const r1 = rig.request("read", 100, 600);
    const r2 = rig.request("read", 5001, 1);
    assert.deepEqual(rig.run([r1.req, r2.req]), [K.OK, K.OK]);
    assert.deepEqual(r1.req.data, a);
    assert.deepEqual(r2.req.data, b.subarray(512, 1024));
    const s = rig.disks[0].stats;
    assert.equal(s.sectorsWritten, 603);
    assert.equal(s.sectorsRead, 601);
    assert.equal(s.commands, 8);
    assert.equal(s.requests, 4);
  });

  Deno.test(`ata_${kind}: flush issues FLUSH CACHE`, () => {
    const image = new FlakyImage(1 << 20);
    const rig = makeRig(kind, { images: [image] });
    const f = rig.request("flush", 0, 0, new Uint8Array(0));
    assert.deepEqual(rig.run([f.req]), [K.OK]);
    assert.equal(image.flushes, 1);
    assert.equal(rig.disks[0].stats.flushes, 1);
  });

  Deno.test(`ata_${kind}: UNC and IDNF fail that request with K.IO, the next one works`, () => {
    const image = new FlakyImage(1 << 20);
    image.bad.add(70);
    const rig = makeRig(kind, { images: [image] });
    const d = rig.disks[0];
    const bad = rig.request("read", 64, 8);
    const good = rig.request("read", 0, 8);
    assert.deepEqual(rig.run([bad.req, good.req]), [K.IO, K.OK]);
    assert.match(rig.log.join("\n"), /read at 64 failed: UNC/);
    // A capacity larger than the device's: the device answers IDNF.
    d.sectors += 100;
    const past = rig.request("read", d.sectors - 10, 4);
    const again = rig.request("read", 0, 8);
    assert.deepEqual(rig.run([past.req, again.req]), [K.IO, K.OK]);
    assert.match(rig.log.join("\n"), /IDNF/);
    // Beyond even that: refused without a command.
    const commands = d.stats.commands;
    const beyond = rig.request("read", d.sectors, 1);
    assert.deepEqual(rig.run([beyond.req]), [K.IO]);
    assert.equal(d.stats.commands, commands);
    assert.equal(d.stats.timeouts, 0);
  });

  Deno.test(`ata_${kind}: writing a read-only image fails with K.IO (ABRT)`, () => {
    const rig = makeRig(kind, { images: [new MemoryDiskImage(1 << 20, true)] });
    const w = rig.request("write", 0, 2, pattern(1024, 3));
    const r = rig.request("read", 0, 2);
    assert.deepEqual(rig.run([w.req, r.req]), [K.IO, K.OK]);
    assert.match(rig.log.join("\n"), /ABRT/);
  });

  Deno.test(`ata_${kind}: a hung command is reset and retried`, () => {
    const image = new MemoryDiskImage(1 << 20);
    const rig = makeRig(kind, { images: [image] });
    const data = pattern(8 * 512, 4);
    rig.controllers[0].injectHang(2);
    const w = rig.request("write", 40, 8, data);
    const t0 = rig.clock.now;
    assert.deepEqual(rig.run([w.req]), [K.OK]);
    assert.deepEqual(image.bytes.subarray(40 * 512, 48 * 512), data);
    const s = rig.disks[0].stats;
    assert.equal(s.timeouts, 2);
    assert.equal(s.resets, 3, "one at probe, two for the hangs");
    // Each timeout waited its full 1 s + 8 x 30 ms of simulated time.
    assert.ok(rig.clock.now - t0 >= 2 * 1.24 * rig.clock.frequency);
    assert.match(rig.log.join("\n"), /write at 40 timed out, reset and retry 2/);
  });

  Deno.test(`ata_${kind}: a controller that keeps hanging fails the request after 3 retries`, () => {
    const rig = makeRig(kind);
    rig.controllers[0].injectHang(4);
    const r = rig.request("read", 0, 1);
    const f = rig.request("flush", 0, 0, new Uint8Array(0));
    assert.deepEqual(rig.run([r.req, f.req]), [K.IO, K.OK]);
    const s = rig.disks[0].stats;
    assert.equal(s.timeouts, 4);
    assert.equal(s.flushes, 1);
    assert.match(rig.log.join("\n"), /read at 0 timed out, giving up/);
  });
}
