/**
 * `entryMap` (`hw/cpu_enter.ts`): the byte map of entries the inner loop
 * tests before it calls `enterPage`. A page with a function of its own and
 * blocks held by a linked translation gets the two maps merged (made once,
 * made again after either changes), not a map of every offset, which sent
 * each interpreted instruction of such a page into `enterPage`.
 */

import assert from "node:assert/strict";
import { entryMap } from "../../hw/cpu_enter.ts";
import { KIND_FN, KIND_VIA, type Translator } from "../../hw/translator.ts";

/** The fields entryMap reads, for RAM page 5 in record 1. */
function tables(kind: number, own: number[], via: number[]) {
  const map = (offs: number[]) => {
    const m = new Uint8Array(4096);
    for (const o of offs) m[o] = 1;
    return m;
  };
  const kinds = new Uint8Array(8);
  kinds[5] = kind;
  const slot = new Int32Array(8);
  slot[5] = 1;
  return {
    kind: kinds,
    slot,
    entries: [null, map(own)],
    viaEntries: [null, map(via)],
    bothEntries: [null, null] as (Uint8Array | null)[],
  };
}

function entriesOf(m: Uint8Array): number[] {
  const out: number[] = [];
  m.forEach((v, i) => v !== 0 && out.push(i));
  return out;
}

Deno.test("entryMap: one map per kind, and the union of both for a page with both", () => {
  const own = [0x10, 0x40], via = [0x20, 0x40, 0x100];
  const fn = tables(KIND_FN, own, via) as unknown as Translator;
  assert.deepEqual(entriesOf(entryMap(fn, 5)), own);
  const linked = tables(KIND_VIA, own, via) as unknown as Translator;
  assert.deepEqual(entriesOf(entryMap(linked, 5)), via);
  const t = tables(KIND_FN | KIND_VIA, own, via);
  const both = entryMap(t as unknown as Translator, 5);
  assert.deepEqual(entriesOf(both), [0x10, 0x20, 0x40, 0x100]);
  assert.equal(entryMap(t as unknown as Translator, 5), both, "made once");
  // Either map changes: the translator drops the merged one, which is made again.
  t.viaEntries[1]![0x200] = 1;
  t.bothEntries[1] = null;
  assert.deepEqual(entriesOf(entryMap(t as unknown as Translator, 5)), [
    0x10,
    0x20,
    0x40,
    0x100,
    0x200,
  ]);
  assert.deepEqual(entriesOf(entryMap(tables(0, own, via) as unknown as Translator, 5)), []);
  assert.deepEqual(entriesOf(entryMap(null, 5)), []);
});
