/**
 * The integer-only path stays tested: the guest test programs are built a
 * second time for `rv32ima`/`ilp32` (no F, D or C: soft-float calls instead
 * of FP instructions, 4-byte instructions only) and each runs on Strata from
 * both builds; the outputs must be identical.
 */
import assert from "node:assert/strict";
import { copyFileSync, cpSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  buildGuestProgram,
  hasGuestToolchain,
  listProgramSpecs,
  USERLAND_BIN_DIR,
} from "../../userland/mod.ts";
import { runGuarded } from "../guest_guard.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
// The Win32 test programs (.exe) are PE images, the same in both builds: not run here.
const SCRIPT = 'for p in /bin/test_*; do case $p in *.exe) continue;; esac; echo "== $p"; ' +
  'mkdir -p /tmp/t; $p /tmp/t; echo "status $?"; rm -rf /tmp/t; done';

Deno.test({
  name: "rv32ima build: every test program gives the same output as the default rv32gc build",
  ignore: !hasGuestToolchain(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "strata_rv32ima_" });
    try {
      for (const f of readdirSync(USERLAND_BIN_DIR)) {
        // The PE images are not rebuilt per instruction set, but both runs have them (/bin/*.exe).
        if (f === "win32") cpSync(join(USERLAND_BIN_DIR, f), join(dir, f), { recursive: true });
        else copyFileSync(join(USERLAND_BIN_DIR, f), join(dir, f));
      }
      const tests = listProgramSpecs().filter((s) => s.name.startsWith("test_"));
      for (const s of tests) {
        await buildGuestProgram(s.sources.map((f) => join(ROOT, f)), join(dir, s.name), "rv32ima");
      }
      const gc = await runGuarded({ cmd: SCRIPT, maxCycles: 20_000_000_000 });
      const integer = await runGuarded({ cmd: SCRIPT, binDir: dir, maxCycles: 20_000_000_000 });
      assert.equal(gc.status, 0, gc.output);
      assert.ok(
        tests.length > 10 && gc.output.includes("== /bin/test_libc\r\n"),
        "the programs ran",
      );
      assert.equal(integer.output, gc.output);
      assert.notEqual(integer.cycles, gc.cycles, "two different builds ran");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
