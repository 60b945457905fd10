/**
 * What the Wine-compared tests share: the MinGW-w64 compiler's name, whether
 * it and Wine are installed (the tests are skipped, with the reason in their
 * names, when not), and the environment Wine runs in.
 *
 * @module
 */

import { hostHas } from "../host_tools.ts";

/** The MinGW-w64 C compiler the Wine builds use. */
export const MINGW = "x86_64-w64-mingw32-gcc";

/** True when both MinGW-w64 and Wine are installed. */
export const HAVE_WINE = hostHas(MINGW) && hostHas("wine");

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
 * CreateProcess then ends in ERROR_INTERNAL_ERROR (1359). A Wine run that
 * prints it is run once more; the second run must pass.
 */
export const WINE_START_FAILURE = "CreateProcessA failed: 1359";
