/** The Unix personality as a loadable module: busy while used, unloadable and reloadable after. */
import assert from "node:assert/strict";
import { boot } from "../../../../system/boot.ts";
import { assertFinished, guarded } from "../../../guest_guard.ts";

Deno.test("unix personality module: refused while init uses it, unload and reload afterwards", async () => {
  const sys = await boot(guarded({ cmd: "true", maxCycles: 100_000_000 }), { kind: "buffer" });
  try {
    await assert.rejects(() => sys.kernel.modules.unload("unix"), /in use/);
    const r = assertFinished(await sys.run(), "true");
    assert.equal(r.status, 0);
    assert.equal(sys.kernel.modules.get("unix")?.refs, 0);
    await sys.kernel.modules.unload("unix");
    assert.equal(sys.kernel.getPersonality("unix"), null);
    const url = new URL("../../../../plugins/personalities/unix/mod.ts", import.meta.url).href;
    const info = await sys.kernel.modules.load(url);
    assert.equal(info.kind, "personality");
    assert.equal(sys.kernel.getPersonality("unix")?.name, "unix");
  } finally {
    sys.machine.close();
  }
});
