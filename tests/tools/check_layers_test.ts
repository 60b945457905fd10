import assert from "node:assert/strict";
import { checkImport, importsOf } from "./check_layers.ts";

Deno.test("importsOf finds static, re-export, side-effect and dynamic imports", () => {
  const src = `import { a } from "./a.ts";\nexport { b } from "../b.ts";\nimport "./c.ts";\n` +
    `const m = await import("./d.ts");\nimport x from "npm:lz4js";`;
  assert.deepEqual(
    importsOf(src),
    ["./a.ts", "../b.ts", "./d.ts", "./c.ts"].sort((p, q) => src.indexOf(p) - src.indexOf(q)),
  );
});

Deno.test("hw may not import the kernel", () => {
  assert.equal(checkImport("hw/cpu.ts", "hw/bus.ts"), null);
  assert.notEqual(checkImport("hw/cpu.ts", "kernel/api.ts"), null);
});

Deno.test("kernel layers import only downward", () => {
  assert.equal(checkImport("kernel/fs/vfs.ts", "kernel/ipc/wait_queue.ts"), null);
  assert.equal(checkImport("kernel/mm/page_table.ts", "kernel/errors.ts"), null);
  assert.equal(checkImport("kernel/proc/trap.ts", "kernel/fs/types.ts"), null);
  assert.notEqual(checkImport("kernel/proc/trap.ts", "kernel/mm/frames.ts"), null);
  assert.notEqual(checkImport("kernel/io/tty.ts", "kernel/fs/vfs.ts"), null);
  assert.notEqual(checkImport("kernel/mm/x.ts", "plugins/schedulers/round_robin.ts"), null);
});

Deno.test("plugins import only the kernel API", () => {
  assert.equal(checkImport("plugins/drivers/uart16550.ts", "kernel/api.ts"), null);
  assert.equal(checkImport("plugins/drivers/uart16550.ts", "hw/memory_map.ts"), null);
  assert.equal(
    checkImport("plugins/personalities/unix/mod.ts", "plugins/personalities/unix/abi.ts"),
    null,
  );
  assert.notEqual(checkImport("plugins/drivers/uart16550.ts", "kernel/proc/process.ts"), null);
  assert.notEqual(checkImport("plugins/drivers/x.ts", "plugins/schedulers/round_robin.ts"), null);
  assert.equal(checkImport("plugins/mod.ts", "plugins/schedulers/mod.ts"), null);
});
