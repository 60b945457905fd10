/** `bench/cold_compare.ts`: reading cachegrind's summary. */

import assert from "node:assert/strict";
import { median, parseIrefs } from "../../bench/cold_compare.ts";

Deno.test("parseIrefs reads the I refs total of a cachegrind summary", () => {
  const err = [
    "==123== Cachegrind, a high-precision tracing profiler",
    'COLD {"runMs":1}',
    "==123== ",
    "==123== I   refs:      1,554,299,163",
  ].join("\n");
  assert.equal(parseIrefs(err), 1_554_299_163);
  assert.equal(parseIrefs("==1== I refs: 42\n"), 42);
});

Deno.test("parseIrefs answers null without a summary", () => {
  assert.equal(parseIrefs('COLD {"runMs":1}\n'), null);
  assert.equal(parseIrefs(""), null);
});

Deno.test("median of odd and even counts", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});
