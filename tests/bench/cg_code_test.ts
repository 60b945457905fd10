/**
 * The readers behind `bench/cg_code.ts`: code objects from a jitdump file
 * (a record whose size is wrong is stepped over), and per-instruction
 * counts from callgrind's output (calls' inclusive costs left out,
 * relative positions followed).
 */

import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { JitdumpError, readJitCode } from "../../bench/jitdump.ts";
import { CallgrindError, readInstrCosts } from "../../bench/callgrind_instr.ts";

/** A jitdump record: its 16-byte header (id, size, time) and `body`, `extra` bytes beyond its size. */
function record(id: number, time: bigint, body: Uint8Array, extra = 0): Uint8Array {
  const out = new Uint8Array(16 + body.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, id, true);
  v.setUint32(4, 16 + body.length - extra, true);
  v.setBigUint64(8, time, true);
  out.set(body, 16);
  return out;
}

/** The body of a code load of `code` at `addr` named `name`. */
function codeLoad(name: string, addr: bigint, code: number[]): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const body = new Uint8Array(40 + nameBytes.length + 1 + code.length);
  const v = new DataView(body.buffer);
  v.setUint32(0, 1234, true); // pid
  v.setUint32(4, 1234, true); // tid
  v.setBigUint64(8, addr, true); // vma
  v.setBigUint64(16, addr, true);
  v.setBigUint64(24, BigInt(code.length), true);
  v.setBigUint64(32, 7n, true); // index
  body.set(nameBytes, 40);
  body.set(code, 40 + nameBytes.length + 1);
  return body;
}

function jitdump(records: Uint8Array[]): Uint8Array {
  const header = new Uint8Array(40);
  const v = new DataView(header.buffer);
  v.setUint32(0, 0x4a695444, true);
  v.setUint32(4, 1, true);
  v.setUint32(8, 40, true);
  return new Uint8Array(Buffer.concat([header, ...records]));
}

Deno.test("jitdump: code loads by name, past a record shorter than its contents", () => {
  const t0 = 5_000_000_000n;
  const bytes = jitdump([
    record(0, t0, codeLoad("JS:^loop file:///a.ts:1:1", 0x1000n, [0x90, 0xc3])),
    // A debug-information record 8 bytes longer than its size says.
    record(2, t0 + 10n, new Uint8Array(40).fill(0x41), 8),
    record(0, t0 + 20n, codeLoad("JS:*loop file:///a.ts:1:1", 0x2000n, [0x55, 0x90, 0xc3])),
    record(0, t0 + 30n, codeLoad("Builtin:Call", 0x3000n, [0xc3])),
  ]);
  const found = readJitCode(bytes, (n) => n.includes("loop"));
  assert.deepEqual(found.map((c) => [c.name, c.addr, [...c.code]]), [
    ["JS:^loop file:///a.ts:1:1", 0x1000n, [0x90, 0xc3]],
    ["JS:*loop file:///a.ts:1:1", 0x2000n, [0x55, 0x90, 0xc3]],
  ]);
  assert.deepEqual(readJitCode(bytes, () => true).length, 3);
  assert.throws(
    () => readJitCode(new Uint8Array(64), () => true),
    (e) => e instanceof JitdumpError && e.message.includes("JiTD"),
  );
});

Deno.test("callgrind: instructions by address, calls' inclusive costs left out", () => {
  const text = [
    "version: 1",
    "positions: instr line",
    "events: Ir",
    "fn=(1) f",
    "0x1000 10 5",
    "+2 10 5",
    "calls=1 0x9000 0",
    "+3 11 900", // the call's inclusive cost, at 0x1005
    "* * 5", // the call instruction itself, 0x1005
    "fn=(2) g",
    "0x1002 12 7", // the same address from another context
    "-2 12 1",
  ].join("\n");
  const costs = readInstrCosts(text);
  assert.deepEqual([...costs].sort((a, b) => Number(a[0] - b[0])), [
    [0x1000n, 6],
    [0x1002n, 12],
    [0x1005n, 5],
  ]);
  assert.throws(
    () => readInstrCosts("positions: line\nevents: Ir\n12 5\n"),
    (e) => e instanceof CallgrindError && e.message.includes("--dump-instr=yes"),
  );
});
