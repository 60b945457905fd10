import assert from "node:assert/strict";
import { fastWindow, FINE_MARKS } from "../../bench/hot_window.ts";

Deno.test("hot_window: the fast-speed figure is the middle of the fastest three of the last six windows", () => {
  // Windows as [CPU ns, wall ns]; the first two are outside the last six.
  const w = [[1, 1], [2, 2], [9, 9], [8, 7.5], [15, 15], [8, 8], [14, 14], [9, 8.5]];
  assert.equal(fastWindow(w), 8);
  // Fewer than three windows: the second fastest, or the only one.
  assert.equal(fastWindow([[5, 5], [4, 4]]), 5);
  assert.equal(fastWindow([[5, 5]]), 5);
});

Deno.test("hot_window: fine marks every 20 M cycles from 100 M to 420 M", () => {
  assert.equal(FINE_MARKS.length, 17);
  assert.equal(FINE_MARKS[0], 100e6);
  assert.equal(FINE_MARKS[16], 420e6);
  assert.equal(FINE_MARKS[1] - FINE_MARKS[0], 20e6);
});
