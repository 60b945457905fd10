/** The test-suite guard itself: a hung host process is killed and reported, and hangs fail fast. */
import assert from "node:assert/strict";
import { GuestHungError, HANG_BUDGET, runGuarded, runHostCommand } from "./guest_guard.ts";

Deno.test("guard: a host process past its limit is killed; after the hang budget runs fail at once", async () => {
  const ok = await runHostCommand("sh", ["-c", "read x; echo got $x"], { stdin: "in\n" });
  assert.equal(ok.stdout, "got in\n");
  for (let i = 0; i < HANG_BUDGET; i++) {
    await assert.rejects(
      () => runHostCommand("sleep", ["30"], { timeoutMs: 50 }),
      (e: unknown) =>
        e instanceof GuestHungError &&
        /did not exit within 50 ms; killed by SIGKILL/.test(e.message),
    );
  }
  // The budget is spent: the next guarded runs fail without running.
  await assert.rejects(
    () => runHostCommand("true", []),
    new RegExp(`not run: ${HANG_BUDGET} earlier guest runs hung`),
  );
  await assert.rejects(() => runGuarded({ cmd: "true", maxCycles: 1e8 }), GuestHungError);
});
