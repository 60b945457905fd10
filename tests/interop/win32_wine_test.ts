/**
 * Win32 interop: every `userland/win32/tests/test_w32_*.c` program is
 * compiled twice — with `x86_64-w64-mingw32-gcc` and run under Wine
 * (`WINEDEBUG=-all`, and without Wine's crash debugger, which would add
 * seconds to every child a test lets fault), and with the project's toolchain (the committed
 * `userland/bin/win32/NAME.exe`) and run on Strata from `/bin` — and the two
 * runs must print the same lines (after `\r` is stripped) and exit with the
 * same code. Each program checks its own expectations (Windows' documented
 * results and error codes), so the Wine run also shows the expectations
 * hold on a second implementation (a run in which Wine failed to start a
 * child is run once more: {@link runWineOnceMore}). Skipped, with the
 * reason in the test name, when MinGW-w64 or Wine is not installed.
 *
 * The programs of {@link ON_CONSOLE} run under Wine on a pseudo-terminal
 * (util-linux `script`), with standard output still to a file: Wine then
 * gives them a console, as Strata's run has one (the machine's terminal on
 * standard input and error), so their console checks run on both sides.
 * Without `script` they run as the others, without a console under Wine.
 */

import { HAVE_WINE, MINGW, runWineOnceMore, SKIP, WINE_ENV } from "./win32_wine_env.ts";
import { hostHas } from "../host_tools.ts";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runGuarded, runHostCommand } from "../guest_guard.ts";
import { listWin32Programs } from "../../userland/win32/build.ts";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PROGRAMS = listWin32Programs().filter(([name]) => name.startsWith("test_w32_"));

/** Programs run under Wine with a console (a pseudo-terminal from `script`). */
const ON_CONSOLE = new Set(["test_w32_console.exe"]);
const HAVE_SCRIPT = hostHas("script", "-V");

/** Runs `exe` under Wine in `cwd`: its stdout, from a file when it runs on a pseudo-terminal. */
async function wineRun(exe: string, cwd: string): Promise<{ out: string; code: number }> {
  const opts = { cwd, env: WINE_ENV, inheritEnv: true, timeoutMs: 180_000 };
  if (!HAVE_SCRIPT || !ON_CONSOLE.has(exe.slice(exe.lastIndexOf("/") + 1))) {
    const r = await runHostCommand("wine", [exe], opts);
    return { out: r.stdout, code: r.code };
  }
  const out = join(cwd, "..", "stdout.txt");
  const r = await runHostCommand("script", ["-qec", `wine '${exe}' > '${out}'`, "/dev/null"], opts);
  return { out: await Deno.readTextFile(out), code: r.code };
}

/** Compiles `src` with MinGW-w64 and runs it under Wine in an empty folder. */
async function runOnWine(name: string, src: string): Promise<{ out: string; code: number }> {
  const dir = await Deno.makeTempDir({ prefix: "strata_w32wine_" });
  try {
    const exe = join(dir, name);
    // The test DLL goes next to the exe (the first folder Windows searches); both build at once.
    const [cc, dll] = await Promise.all([
      runHostCommand(MINGW, ["-O2", "-Wall", "-Werror", "-o", exe, join(REPO, src)], {
        timeoutMs: 120_000,
      }),
      runHostCommand(MINGW, [
        "-O2",
        "-Wall",
        "-Werror",
        "-shared",
        "-o",
        join(dir, "w32testdll.dll"),
        join(REPO, "userland/win32/testdll/w32testdll.c"),
        join(REPO, "userland/win32/testdll/w32testdll.def"),
      ], { timeoutMs: 120_000 }),
    ]);
    assert.equal(cc.code, 0, `mingw build of ${src}: ${cc.stderr}`);
    assert.equal(dll.code, 0, `mingw build of w32testdll.dll: ${dll.stderr}`);
    const r = await runWineOnceMore(dir, (work) => wineRun(exe, work), (r) => r.out);
    return { out: r.out.replaceAll("\r", ""), code: r.code };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs /bin/NAME on Strata in an empty folder with stdout redirected to a file. */
async function runOnStrata(name: string): Promise<{ out: string; code: number }> {
  const r = await runGuarded({
    cmd:
      `mkdir -p /tmp/w32 && cd /tmp/w32 && ${name} > /tmp/w32.out; s=$?; cat /tmp/w32.out; exit $s`,
    maxCycles: 4e9,
    maxHostMs: 240_000,
  });
  return { out: r.output.replaceAll("\r", ""), code: r.status };
}

for (const [name, src] of PROGRAMS) {
  Deno.test({
    name: `win32 interop: ${name} prints the same and exits the same on Strata and Wine${SKIP}`,
    ignore: !HAVE_WINE,
    sanitizeResources: false,
    async fn() {
      // The two runs are independent: Wine in its own processes while Strata runs here.
      const [wine, strata] = await Promise.all([runOnWine(name, src), runOnStrata(name)]);
      assert.match(wine.out, /failures: 0\n/, `${name} under Wine:\n${wine.out}`);
      assert.equal(wine.code, 0, `${name} exit code under Wine`);
      assert.equal(strata.out, wine.out, `${name}: Strata's output (actual) vs Wine's (expected)`);
      assert.equal(strata.code, wine.code, `${name}: exit code`);
    },
  });
}

Deno.test("win32 interop: the test programs are found", () => {
  assert.ok(PROGRAMS.length >= 3, PROGRAMS.map(([n]) => n).join(", "));
});
