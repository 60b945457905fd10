import assert from "node:assert/strict";
import { K } from "../../../kernel/errors.ts";
import { RequestQueue } from "../../../kernel/block/request_queue.ts";
import type { BlockDriver, BlockRequest } from "../../../kernel/block/types.ts";

/** A driver that holds each request until the test completes it. */
function heldDriver() {
  const inFlight: BlockRequest[] = [];
  const order: string[] = [];
  const driver: BlockDriver = {
    model: "T",
    serial: "1",
    sectors: 4096,
    readOnly: false,
    submit(req) {
      assert.equal(inFlight.length, 0, "one request at a time");
      inFlight.push(req);
      order.push(req.op === "flush" ? "flush" : `${req.op[0]}${req.sector}+${req.count}`);
    },
  };
  const completeNext = (status: number = K.OK) => inFlight.shift()!.complete(status);
  return { driver, inFlight, order, completeNext };
}

const sec = (n: number) => new Uint8Array(512 * n);

Deno.test("C-LOOK: from the head upwards, then back to the lowest sector", () => {
  const d = heldDriver();
  const q = new RequestQueue(d.driver, () => 0, "clook");
  q.submit("read", 500, sec(1), () => {});
  for (const s of [100, 700, 600, 50]) q.submit("read", s, sec(1), () => {});
  while (d.inFlight.length > 0) d.completeNext();
  assert.deepEqual(d.order, ["r500+1", "r600+1", "r700+1", "r50+1", "r100+1"]);
});

Deno.test("FIFO: arrival order", () => {
  const d = heldDriver();
  const q = new RequestQueue(d.driver, () => 0, "fifo");
  q.submit("read", 500, sec(1), () => {});
  for (const s of [100, 700, 600, 50]) q.submit("read", s, sec(1), () => {});
  while (d.inFlight.length > 0) d.completeNext();
  assert.deepEqual(d.order, ["r500+1", "r100+1", "r700+1", "r600+1", "r50+1"]);
});

Deno.test("adjacent requests merge (back and front), and each caller gets its own bytes", () => {
  const d = heldDriver();
  const q = new RequestQueue(d.driver, () => 0);
  q.submit("read", 0, sec(1), () => {});
  const parts = [sec(2), sec(1), sec(1)];
  const done: number[] = [];
  q.submit("read", 10, parts[0], (s) => done.push(s));
  q.submit("read", 12, parts[1], (s) => done.push(s));
  q.submit("read", 9, parts[2], (s) => done.push(s));
  q.submit("write", 13, sec(1), () => {}); // another op: no merge
  d.completeNext();
  const merged = d.inFlight[0];
  assert.equal(merged.sector, 9);
  assert.equal(merged.count, 4);
  for (let i = 0; i < merged.data.length; i++) merged.data[i] = (i >> 9) + 1;
  d.completeNext();
  assert.deepEqual(done, [K.OK, K.OK, K.OK]);
  assert.equal(parts[2][0], 1, "sector 9");
  assert.equal(parts[0][0], 2, "sector 10");
  assert.equal(parts[0][512], 3, "sector 11");
  assert.equal(parts[1][0], 4, "sector 12");
  assert.equal(q.counters.readMerges, 2);
  assert.equal(q.counters.reads, 2);
  assert.equal(q.counters.readSectors, 5);
  assert.deepEqual(d.order, ["r0+1", "r9+4", "w13+1"]);
  d.completeNext();
});

Deno.test("a merged write carries every part's bytes; merging stops at 256 sectors", () => {
  const d = heldDriver();
  const q = new RequestQueue(d.driver, () => 0);
  q.submit("read", 4000, sec(1), () => {});
  q.submit("write", 0, sec(1).fill(7), () => {});
  q.submit("write", 1, sec(1).fill(8), () => {});
  q.submit("write", 2, sec(255), () => {});
  d.completeNext();
  const w = d.inFlight[0];
  assert.equal(w.count, 2);
  assert.equal(w.data[0], 7);
  assert.equal(w.data[512], 8);
  d.completeNext();
  assert.equal(d.inFlight[0].count, 255);
});

Deno.test("a flush is a barrier the elevator does not reorder across", () => {
  const d = heldDriver();
  const q = new RequestQueue(d.driver, () => 0, "clook");
  q.submit("read", 1000, sec(1), () => {});
  q.submit("write", 900, sec(1), () => {});
  q.submit("flush", 0, new Uint8Array(0), () => {});
  q.submit("write", 1500, sec(1), () => {});
  q.submit("write", 901, sec(1), () => {}); // adjacent to 900, but behind the barrier
  while (d.inFlight.length > 0) d.completeNext();
  assert.deepEqual(d.order, ["r1000+1", "w900+1", "flush", "w901+1", "w1500+1"]);
  assert.equal(q.counters.flushes, 1);
  assert.equal(q.counters.writeMerges, 0);
});

Deno.test("a failed request reports K.IO to each part and the queue goes on", () => {
  const d = heldDriver();
  const q = new RequestQueue(d.driver, () => 0);
  const got: number[] = [];
  q.submit("read", 0, sec(1), (s) => got.push(s));
  q.submit("read", 5, sec(1), (s) => got.push(s));
  d.completeNext(K.IO);
  d.completeNext();
  assert.deepEqual(got, [K.IO, K.OK]);
  assert.equal(q.counters.errors, 1);
});

Deno.test("a driver completing synchronously inside submit does not nest dispatches", () => {
  let depth = 0, maxDepth = 0;
  const seen: number[] = [];
  const driver: BlockDriver = {
    model: "T",
    serial: "1",
    sectors: 100,
    readOnly: false,
    submit(req) {
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      seen.push(req.sector);
      req.complete(K.OK);
      depth--;
    },
  };
  const q = new RequestQueue(driver, () => 0);
  let n = 0;
  const chain = (s: number) => {
    if (s < 5) q.submit("read", s * 10, sec(1), () => chain(s + 1));
    n++;
  };
  chain(0);
  assert.deepEqual(seen, [0, 10, 20, 30, 40]);
  assert.equal(maxDepth, 1);
  assert.equal(n, 6);
});
