/**
 * Which host tools the tests can use: a test that needs one is ignored,
 * with the reason in its name, when the tool is not installed.
 *
 * @module
 */

/** True when `tool arg` runs and succeeds on the host. */
export function hostHas(tool: string, arg = "--version"): boolean {
  try {
    return new Deno.Command(tool, { args: [arg], stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

/** True when clang (the guest C compiler) is installed. */
export const HAVE_CLANG = hostHas("clang");
