/** The Win32 personality's executive is imported at the first PE exec, not at boot. */
import assert from "node:assert/strict";
import { boot, runGuest } from "../../../../system/boot.ts";
import { assertFinished, guarded } from "../../../guest_guard.ts";
import { moduleGraph } from "../../../module_graph.ts";
import { NATIVE_CALL_NAMES } from "../../../../plugins/personalities/win32/native_numbers.ts";

Deno.test("win32 module: the boot imports mod.ts only; the executive is not in its module graph", () => {
  const win32 = moduleGraph("plugins/personalities/win32/mod.ts").filter((f) =>
    f.includes("/win32/")
  );
  assert.deepEqual(win32.map((f) => f.slice(f.lastIndexOf("/") + 1)), ["mod.ts"]);
});

Deno.test("win32 module: loaded and listed at boot, its tables filled by the first .exe", async () => {
  const sys = await boot(
    guarded({ cmd: "true; hostname.exe; hostname.exe", maxCycles: 400_000_000 }),
    { kind: "buffer" },
  );
  try {
    assert.equal(sys.kernel.modules.get("win32")?.kind, "personality");
    const pers = sys.kernel.getPersonality("win32");
    assert.ok(pers !== null);
    assert.equal(pers.syscalls.length, 0);
    const r = assertFinished(await sys.run(), "hostname.exe twice");
    assert.equal(r.status, 0, r.output);
    assert.equal(r.output.replaceAll("\r", ""), "strata\nstrata\n");
    assert.equal(pers.syscalls.length, NATIVE_CALL_NAMES.length);
    assert.deepEqual(pers.syscallNames, NATIVE_CALL_NAMES);
    assert.equal(sys.kernel.getPersonality("win32"), pers);
  } finally {
    sys.machine.close();
  }
});

Deno.test("win32 module: a pipeline of two .exe programs as its first Win32 programs", async () => {
  const r = await runGuest(guarded({ cmd: "hostname.exe | upper.exe", maxCycles: 400_000_000 }));
  assert.equal(r.status, 0, r.output + r.log.join("\n"));
  assert.equal(r.output.replaceAll("\r", ""), "STRATA\n");
});

Deno.test("win32 module: a Win32 session's first process finds the executive loaded", async () => {
  const r = await runGuest(
    guarded({ personality: "win32", cmd: "exit /b 7", maxCycles: 400_000_000 }),
  );
  assert.equal(r.status, 7, r.output + r.log.join("\n"));
});
