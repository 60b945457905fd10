/**
 * Regenerates the generated regions of the interpreter's files
 * (`hw/cpu_fast.ts`, `hw/cpu_exec.ts`: op constants and the simple
 * instructions' cases) from the operation table in `hw/cpu_ops.ts`:
 * `deno task gen:cpu`.
 *
 * @module
 */

import { GENERATED_FILES, renderGenerated } from "../hw/cpu_ops.ts";

for (const file of Object.keys(GENERATED_FILES)) {
  const path = new URL(`../${file}`, import.meta.url);
  const before = Deno.readTextFileSync(path);
  const after = renderGenerated(file, before);
  if (after !== before) {
    Deno.writeTextFileSync(path, after);
    console.log(`${file} regenerated`);
  } else {
    console.log(`${file} is current`);
  }
}
