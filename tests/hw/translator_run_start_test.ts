/**
 * `runStart` (`hw/translator_scan.ts`): the page is translated again for a
 * pc the interpreter resumed at with an entry at the start of the
 * untranslated straight-line run that holds it, so that a fault of any
 * later instruction of the run resumes inside translated code.
 */

import assert from "node:assert/strict";
import { OP } from "../../hw/decode.ts";
import { runStart } from "../../hw/translator_scan.ts";

const C = 0x80; // the decoded word's compressed flag

/** Decoded slots with `insts` (page offset, op, compressed) and a halfword coverage map. */
function page(insts: [number, number, boolean][], coveredFrom = 4096): [Int32Array, Uint8Array] {
  const ops = new Int32Array(4096);
  for (const [off, op, compressed] of insts) ops[off] = op | (compressed ? C : 0) | (1 << 24);
  const covered = new Uint8Array(2048);
  for (let h = coveredFrom >> 1; h < 2048; h++) covered[h] = 1;
  return [ops, covered];
}

Deno.test("runStart walks back over compressed and full instructions to a block end", () => {
  const [ops, covered] = page([
    [0x100, OP.JALR, false], // a return: the run after it starts at 0x104
    [0x104, OP.ADDI, false],
    [0x108, OP.SW, true],
    [0x10a, OP.SW, true],
    [0x10c, OP.LW, false],
    [0x110, OP.SW, true],
  ]);
  assert.equal(runStart(ops, covered, 0x110), 0x104);
  assert.equal(runStart(ops, covered, 0x10a), 0x104);
  assert.equal(runStart(ops, covered, 0x104), 0x104);
});

Deno.test("runStart stops at a slot never decoded, at translated code and at the page start", () => {
  const [ops, covered] = page([
    [0x0, OP.ADDI, true],
    [0x2, OP.SW, true],
    [0x20, OP.ADDI, false],
    [0x24, OP.SW, false],
  ], 0x24);
  // 0x1c was never decoded: the run starts at 0x20.
  assert.equal(runStart(ops, covered, 0x20), 0x20);
  // 0x24 onwards is translated: an untranslated pc after it starts its own run.
  assert.equal(runStart(ops, covered, 0x28), 0x28);
  assert.equal(runStart(ops, covered, 0x2), 0x0);
});

Deno.test("runStart does not take the second half of a full instruction for a compressed one", () => {
  // A full instruction at 0x40 ends at 0x44; its second halfword was never decoded.
  const [ops, covered] = page([[0x40, OP.ADDI, false], [0x44, OP.SW, true]]);
  assert.equal(runStart(ops, covered, 0x44), 0x40);
  // A slot decoded as a full instruction at 0x42 (overlapping 0x44) is not a predecessor.
  const [ops2, covered2] = page([[0x42, OP.ADDI, false], [0x44, OP.SW, true]]);
  assert.equal(runStart(ops2, covered2, 0x44), 0x44);
});
