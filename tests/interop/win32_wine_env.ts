/**
 * What the Wine-compared tests share: the MinGW-w64 compiler's name, whether
 * it and Wine are installed (the tests are skipped, with the reason in their
 * names, when not), and the environment Wine runs in.
 *
 * @module
 */

import { join } from "node:path";
import { hostHas } from "../host_tools.ts";

/** The MinGW-w64 C compiler the Wine builds use. */
export const MINGW = "x86_64-w64-mingw32-gcc";

/** True when both MinGW-w64 and Wine are installed. */
export const HAVE_WINE: boolean = hostHas(MINGW) && hostHas("wine");

/** The suffix of a skipped test's name. */
export const SKIP = HAVE_WINE ? "" : " (skipped: x86_64-w64-mingw32-gcc or wine not installed)";

/**
 * Wine's environment: quiet, and a faulting process ends at once instead of
 * starting Wine's crash debugger (seconds for each faulting child).
 */
export const WINE_ENV = { WINEDEBUG: "-all", WINEDLLOVERRIDES: "winedbg.exe=d" };

/**
 * What a test program prints when Wine itself failed to start a child:
 * Wine on a loaded host now and then loses a child before it starts, and
 * CreateProcess then ends in ERROR_INTERNAL_ERROR (1359).
 */
const WINE_START_FAILURE = "CreateProcessA failed: 1359";

/**
 * Runs a Wine run in an empty folder `work` under `dir`, and once more in
 * that folder emptied again when Wine failed to start a child in it
 * (ERROR_INTERNAL_ERROR, seen in full test runs on a loaded host): that is
 * Wine's failure, not the program's, and the second run is the one the
 * test judges.
 *
 * @param dir the folder `work` goes in
 * @param run runs Wine once with `work` as its folder
 * @param stdout the standard output of a run
 * @returns the run the test judges
 * @example
 * ```ts
 * const r = await runWineOnceMore(dir, (work) => runHostCommand("wine", [exe], { cwd: work }), (r) => r.stdout);
 * ```
 */
export async function runWineOnceMore<T>(
  dir: string,
  run: (work: string) => Promise<T>,
  stdout: (r: T) => string,
): Promise<T> {
  const work = join(dir, "work");
  await Deno.mkdir(work);
  const first = await run(work);
  if (!stdout(first).includes(WINE_START_FAILURE)) return first;
  console.warn(`${dir}: Wine failed to start a child (ERROR_INTERNAL_ERROR); running it again`);
  await Deno.remove(work, { recursive: true });
  await Deno.mkdir(work);
  return run(work);
}
