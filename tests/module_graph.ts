/**
 * The static module graph of a project module, as `deno info --json` gives
 * it: what Deno reads and evaluates when it loads that module (dynamic
 * imports with a computed specifier are left out, as at run time).
 *
 * @module
 */

import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

/**
 * The specifiers (file URLs) of every module in the static graph of `entry`.
 *
 * @param entry a path relative to the project root, such as `system/boot.ts`
 * @returns the module specifiers
 */
export function moduleGraph(entry: string): string[] {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string }[];
  };
  return graph.modules.map((m) => m.specifier);
}
