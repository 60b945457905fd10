/**
 * The command-line entry of the benchmark scripts: runs their `main` and
 * turns a thrown error (a wrong flag, a bad value, a missing program) into
 * one line on stderr and exit status 1, instead of a stack trace; with
 * `--help` (or `-h`) it prints the script's usage instead of running it.
 *
 * @module
 */

/**
 * Runs `main`; on an error prints `name: message` and exits with status 1.
 * Given a `usage`, `--help` or `-h` prints it (and runs nothing), and an
 * error line ends with a pointer to it.
 *
 * @param name the script's name, as the line starts with it
 * @param main the script's work
 * @param usage the script's usage lines, for `--help`
 * @returns when `main` has finished
 * @example
 * ```ts
 * import { runMain } from "./run_main.ts";
 * await runMain("compare", async () => {
 *   console.log("work");
 * });
 * ```
 */
export async function runMain(
  name: string,
  main: () => Promise<void>,
  usage?: string,
): Promise<void> {
  if (usage !== undefined && Deno.args.some((a) => a === "--help" || a === "-h")) {
    console.log(`usage: ${usage}`);
    return;
  }
  try {
    await main();
  } catch (e) {
    const hint = usage !== undefined ? ` (--help for usage)` : "";
    console.error(`${name}: ${e instanceof Error ? e.message : String(e)}${hint}`);
    Deno.exit(1);
  }
}
