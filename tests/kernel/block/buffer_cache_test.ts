import assert from "node:assert/strict";
import { K, type KStatus } from "../../../kernel/errors.ts";
import { CharDeviceRegistry } from "../../../kernel/io/char_device.ts";
import type { WaitQueue } from "../../../kernel/ipc/wait_queue.ts";
import { BlockLayer } from "../../../kernel/block/block_layer.ts";
import { WRITEBACK_NS } from "../../../kernel/block/buffer_cache.ts";
import { buildMbr } from "../../../kernel/block/mbr.ts";
import {
  BlockClass,
  type BlockDevice,
  type BlockDriver,
  type BlockRequest,
} from "../../../kernel/block/types.ts";

/** A block layer over one held-request disk, with a fake thread and call epoch. */
function setup(options: { sectors?: number; cacheBytes?: number; mbr?: boolean } = {}) {
  const sectors = options.sectors ?? 8192;
  const image = new Uint8Array(sectors * 512);
  if (options.mbr) image.set(buildMbr([{ type: 0x83, start: 2048, sectors: 4096 }]));
  for (let s = 1; s < sectors; s++) image[s * 512] = s & 0xff; // each sector's first byte
  const inFlight: BlockRequest[] = [];
  const order: string[] = [];
  const failing = new Set<number>();
  const driver: BlockDriver = {
    model: "T",
    serial: "1",
    sectors,
    readOnly: false,
    submit(req) {
      inFlight.push(req);
      order.push(req.op === "flush" ? "flush" : `${req.op[0]}${req.sector}+${req.count}`);
    },
  };
  /** Completes the request in flight as a disk would. */
  const step = () => {
    const req = inFlight.shift()!;
    if (failing.has(req.sector)) return req.complete(K.IO);
    const at = req.sector * 512, n = req.count * 512;
    if (req.op === "read") req.data.set(image.subarray(at, at + n));
    if (req.op === "write") image.set(req.data, at);
    req.complete(K.OK);
  };
  const drain = () => {
    while (inFlight.length > 0) step();
  };
  const parked = new Set<number>();
  const env = {
    tid: 7,
    epoch: 1,
    waitedOn: null as WaitQueue | null,
    timers: [] as (() => void)[],
  };
  const layer = new BlockLayer({
    devices: new CharDeviceRegistry(),
    nowNs: () => 0,
    waitForIo: (q) => {
      env.waitedOn = q;
      return K.RESTART;
    },
    log: () => {},
    currentTid: () => env.tid,
    callEpoch: () => env.epoch,
    threadParked: (tid) => parked.has(tid),
    startTimer: (ns, cb) => {
      assert.equal(ns, WRITEBACK_NS);
      env.timers.push(cb);
      return env.timers.length;
    },
  }, { cacheBytes: options.cacheBytes });
  assert.equal(layer.registerDisk(0, driver, null), K.OK);
  drain(); // the partition table
  order.length = 0;
  return { layer, image, inFlight, order, failing, step, drain, env, parked };
}

function open(layer: BlockLayer, name: string, write = true): BlockDevice {
  const part = layer.byName(name);
  assert.ok(part !== null, name);
  const dev = layer.open(part, write);
  assert.ok(typeof dev !== "number");
  return dev;
}

Deno.test("gather: a miss starts the read and waits; after it the block is there and pinned", () => {
  const t = setup();
  const dev = open(t.layer, "hda");
  assert.equal(dev.gather([3], 1024), K.RESTART);
  assert.equal(t.env.waitedOn?.name, "blk:hda");
  assert.equal(dev.peek(3, 1024), null, "not yet");
  t.drain();
  assert.deepEqual(t.order, ["r6+2"]);
  assert.equal(dev.gather([3], 1024), K.OK);
  assert.equal(dev.peek(3, 1024)![0], 6);
  assert.equal(dev.peek(3, 1024)![512], 7);
  assert.equal(t.layer.cache.stats.misses, 1);
});

Deno.test("gather past the end is K.INVAL; a failed read is K.IO and is retried afresh", () => {
  const t = setup({ sectors: 64 });
  const dev = open(t.layer, "hda");
  assert.equal(dev.gather([32], 1024), K.INVAL);
  t.failing.add(4);
  assert.equal(dev.gather([2], 1024), K.RESTART);
  t.drain();
  assert.equal(dev.gather([2], 1024), K.IO);
  t.failing.clear();
  assert.equal(dev.gather([2], 1024), K.RESTART, "read again");
  t.drain();
  assert.equal(dev.gather([2], 1024), K.OK);
});

Deno.test("partitions: hda1 block numbers start at its first sector", () => {
  const t = setup({ mbr: true });
  const dev = open(t.layer, "hda1");
  assert.equal(dev.sizeBytes, 4096 * 512);
  assert.equal(dev.gather([1], 4096), K.RESTART);
  t.drain();
  assert.deepEqual(t.order, ["r2056+8"]);
  assert.equal(dev.peek(1, 4096)![0], 2056 & 0xff);
});

Deno.test("sync writes data blocks, then metadata blocks, then flushes", () => {
  const t = setup();
  const dev = open(t.layer, "hda");
  dev.fresh(10, 1024)[0] = 0xaa;
  dev.markDirty(10, 1024, BlockClass.META);
  dev.fresh(20, 1024)[0] = 0xbb;
  dev.markDirty(20, 1024); // data
  dev.fresh(30, 1024)[0] = 0xcc;
  dev.markDirty(30, 1024, BlockClass.DATA);
  assert.equal(t.layer.cache.dirtyBytes, 3072);
  assert.equal(dev.sync(), K.RESTART);
  assert.equal(dev.sync(), K.RESTART, "again while it runs: nothing new is started");
  t.drain();
  assert.equal(dev.sync(), K.RESTART);
  t.drain();
  assert.equal(dev.sync(), K.RESTART);
  t.drain();
  assert.equal(dev.sync(), K.OK);
  assert.deepEqual(t.order, ["w40+2", "w60+2", "w20+2", "flush"]);
  assert.equal(t.image[20 * 512], 0xaa);
  assert.equal(t.layer.cache.dirtyBytes, 0);
  assert.equal(dev.sync(), K.OK, "nothing left: no second flush");
  assert.equal(t.order.length, 4);
});

Deno.test("a failed write makes the next sync answer K.IO once", () => {
  const t = setup();
  const dev = open(t.layer, "hda");
  dev.fresh(5, 512);
  dev.markDirty(5, 512);
  t.failing.add(5);
  let r: KStatus;
  while ((r = dev.sync()) === K.RESTART) t.drain();
  assert.equal(r, K.IO);
  assert.equal(dev.sync(), K.OK, "reported once (nothing new to write)");
  t.failing.clear();
  dev.fresh(5, 512);
  dev.markDirty(5, 512);
  while ((r = dev.sync()) === K.RESTART) t.drain();
  assert.equal(r, K.OK);
});

Deno.test("fresh blocks are not read; a block changed during its write stays dirty", () => {
  const t = setup();
  const dev = open(t.layer, "hda");
  const b = dev.fresh(2, 1024);
  b[0] = 1;
  dev.markDirty(2, 1024);
  assert.equal(dev.sync(), K.RESTART);
  b[0] = 2;
  dev.markDirty(2, 1024);
  t.drain();
  while (dev.sync() === K.RESTART) t.drain();
  assert.equal(t.image[4 * 512], 2);
  assert.equal(t.order.filter((o) => o.startsWith("r")).length, 0, "no reads");
});

Deno.test("LRU: the least recently used clean block goes first; pinned ones stay", () => {
  const t = setup({ cacheBytes: 4 * 1024 });
  const dev = open(t.layer, "hda");
  const load = (b: number) => {
    t.env.epoch++;
    if (dev.gather([b], 1024) === K.RESTART) t.drain();
    assert.equal(dev.gather([b], 1024), K.OK);
  };
  t.env.tid = 8;
  load(100); // pinned by thread 8, which then waits (parked) for something else
  t.parked.add(8);
  t.env.tid = 7;
  for (const b of [200, 300, 400]) load(b);
  load(200); // 200 becomes the most recent: 100 (pinned), 300, 400, 200
  load(500);
  assert.equal(t.layer.cache.bytes, 4 * 1024);
  t.env.epoch++;
  assert.equal(dev.gather([100], 1024), K.OK, "the pinned block stayed");
  assert.equal(dev.gather([200, 400, 500], 1024), K.OK);
  assert.equal(dev.gather([300], 1024), K.RESTART, "300 was the least recently used");
  assert.equal(t.layer.cache.stats.evictions, 1);
  t.drain();
  t.parked.delete(8); // thread 8's call ended: its pin is released at the next eviction
  t.env.epoch++;
  assert.equal(dev.gather([300], 1024), K.OK);
  load(600);
  t.env.epoch++;
  assert.equal(dev.gather([100], 1024), K.RESTART, "100 could go once unpinned");
  t.drain();
});

Deno.test("read-ahead: two sequential misses read the following blocks", () => {
  const t = setup();
  const dev = open(t.layer, "hda");
  for (const b of [0, 1]) {
    t.env.epoch++;
    assert.equal(dev.gather([b], 1024), K.RESTART);
    t.drain();
  }
  assert.equal(t.layer.cache.stats.readaheads, 8);
  t.env.epoch++;
  assert.equal(dev.gather([2, 3, 4, 9], 1024), K.OK, "already read ahead");
});

Deno.test("periodic write-back writes dirty blocks without a flush", () => {
  const t = setup();
  const dev = open(t.layer, "hda");
  dev.fresh(1, 512)[0] = 9;
  dev.markDirty(1, 512);
  assert.equal(t.env.timers.length, 1);
  t.env.timers[0]();
  t.drain();
  assert.deepEqual(t.order, ["w1+1"]);
  assert.equal(t.image[512], 9);
  assert.equal(t.layer.cache.dirtyBytes, 0);
});

Deno.test("a block read at another size replaces the overlapping buffers (written first if dirty)", () => {
  const t = setup();
  const dev = open(t.layer, "hda");
  dev.fresh(9, 512)[0] = 0x5a; // sector 9
  dev.markDirty(9, 512);
  t.env.epoch++; // a later call
  assert.equal(dev.gather([1], 4096), K.RESTART, "sector 9 is inside block 1 of 4 KiB");
  t.drain();
  assert.equal(dev.gather([1], 4096), K.RESTART);
  t.drain();
  assert.equal(dev.gather([1], 4096), K.OK);
  assert.equal(dev.peek(1, 4096)![512], 0x5a, "the written sector is read back");
  assert.deepEqual(t.order, ["w9+1", "r8+8"]);
});

Deno.test("open: read-only media refuse writers; a second writer is busy; syncAll covers every disk", () => {
  const t = setup({ mbr: true });
  const part = t.layer.byName("hda1")!;
  const w = t.layer.open(part, true);
  assert.ok(typeof w !== "number");
  assert.equal(t.layer.open(part, true), K.BUSY);
  w.close();
  const again = t.layer.open(part, true);
  assert.ok(typeof again !== "number");
  again.fresh(0, 1024);
  again.markDirty(0, 1024);
  let r = t.layer.syncAll();
  while (r !== K.OK) {
    t.drain();
    r = t.layer.syncAll();
  }
  assert.deepEqual(t.order, ["w2048+2", "flush"]);
});
