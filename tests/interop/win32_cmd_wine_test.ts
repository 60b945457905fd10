/**
 * cmd.exe under Wine: the sources of `userland/win32/cmd/cmd/` and the
 * utilities find, sort and more, built with `x86_64-w64-mingw32-gcc`, run
 * the case table of `tests/plugins/personalities/win32/cmd_cases.ts` in one
 * Wine start (the runner `guest/cmd_cases.c` starts `cmd.exe /c LINE` for
 * each case; the utilities are found through PATH, given to Wine as
 * WINEPATH). The normalized output must be the table's expected output,
 * which `cmd_test.ts` also holds Strata's run to. Wine's own cmd is not the
 * reference: the table follows Windows' documented behaviour. Skipped, with
 * the reason in the test name, without MinGW-w64 or Wine.
 */

import { HAVE_WINE, MINGW, runWineOnceMore, SKIP, WINE_ENV } from "./win32_wine_env.ts";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runHostCommand } from "../guest_guard.ts";
import {
  CMD_EXPECTED,
  CMD_SPEC,
  normalizeCmdOutput,
} from "../plugins/personalities/win32/cmd_cases.ts";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A host path as Wine's Z: drive shows it. */
function winePath(p: string): string {
  return "Z:" + p.replaceAll("/", "\\");
}

async function mingw(out: string, sources: string[]): Promise<void> {
  const r = await runHostCommand(MINGW, ["-O2", "-Wall", "-Werror", "-o", out, ...sources], {
    timeoutMs: 120_000,
  });
  assert.equal(r.code, 0, `mingw build of ${out}: ${r.stderr}`);
}

Deno.test({
  name: `win32 interop: cmd.exe runs the case table under Wine as Windows documents${SKIP}`,
  ignore: !HAVE_WINE,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "strata_cmdwine_" });
    try {
      const bin = join(dir, "bin");
      await Deno.mkdir(bin);
      const cmdDir = join(REPO, "userland/win32/cmd/cmd");
      const cmdSources = [...Deno.readDirSync(cmdDir)].filter((e) => e.name.endsWith(".c"))
        .map((e) => join(cmdDir, e.name)).sort();
      const runner = join(dir, "cmd_cases.exe");
      await Promise.all([
        mingw(join(bin, "cmd.exe"), cmdSources),
        ...["find", "sort", "more"].map((tool) =>
          mingw(join(bin, `${tool}.exe`), [join(REPO, `userland/win32/cmd/${tool}.c`)])
        ),
        mingw(runner, [join(REPO, "tests/plugins/personalities/win32/guest/cmd_cases.c")]),
      ]);
      await Deno.writeTextFile(join(dir, "cases.txt"), CMD_SPEC);
      // This test runs Wine only; Strata's own run of the cases is cmd_test.ts.
      const runCases = (work: string) =>
        runHostCommand(
          "wine",
          [runner, winePath(join(bin, "cmd.exe")), winePath(join(dir, "cases.txt"))],
          {
            cwd: work,
            env: { ...WINE_ENV, WINEPATH: winePath(bin) },
            inheritEnv: true,
            timeoutMs: 300_000,
          },
        );
      const r = await runWineOnceMore(dir, runCases, (r) => r.stdout);
      assert.equal(r.code, 0, `the runner under Wine: ${r.stderr}`);
      assert.equal(normalizeCmdOutput(r.stdout), CMD_EXPECTED);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
