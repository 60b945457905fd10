/**
 * Regenerates the generated regions of `hw/cpu.ts` (op constants and the
 * interpreter's simple-instruction cases) from the operation table in
 * `hw/cpu_ops.ts`: `deno task gen:cpu`.
 *
 * @module
 */

import { renderCpuSource } from "../hw/cpu_ops.ts";

const path = new URL("../hw/cpu.ts", import.meta.url);
const before = Deno.readTextFileSync(path);
const after = renderCpuSource(before);
if (after !== before) {
  Deno.writeTextFileSync(path, after);
  console.log("hw/cpu.ts regenerated");
} else {
  console.log("hw/cpu.ts is current");
}
