/**
 * The command-line entry of the benchmark scripts: runs their `main` and
 * turns a thrown error (a wrong flag, a bad value, a missing program) into
 * one line on stderr and exit status 1, instead of a stack trace.
 *
 * @module
 */

/**
 * Runs `main`; on an error prints `name: message` and exits with status 1.
 *
 * @param name the script's name, as the line starts with it
 * @param main the script's work
 * @returns when `main` has finished
 * @example
 * ```ts
 * import { runMain } from "./run_main.ts";
 * await runMain("compare", async () => {
 *   console.log("work");
 * });
 * ```
 */
export async function runMain(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (e) {
    console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    Deno.exit(1);
  }
}
