/**
 * A sample of the power-cut harness (`deno task ext2-sweep` cuts at every
 * write): after a cut at the Nth disk write and e2fsck's repair, the image is
 * clean and every synced, unchanged file reads back exactly.
 */
import assert from "node:assert/strict";
import { haveE2fsprogs } from "./host_tools.ts";
import { powerCutRun, recordWrites } from "./power_cut.ts";

Deno.test({
  name: "ext2 power cuts: 12 cut points spread over the workload's writes",
  ignore: !haveE2fsprogs(),
  fn() {
    const total = recordWrites();
    assert.ok(total > 50, `the workload writes ${total} blocks`);
    for (let k = 0; k <= 11; k++) {
      const cut = Math.round((k * total) / 11);
      const r = powerCutRun(cut);
      assert.ok(r.ok, `cut at write ${cut} of ${total}: ${r.detail}`);
    }
  },
});
