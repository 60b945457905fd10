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
  // A top-level kernel file missing from the layer table is reported, not skipped.
  assert.match(checkImport("kernel/new_file.ts", "kernel/proc/process.ts") ?? "", /no layer/);
  assert.match(checkImport("kernel/kernel.ts", "kernel/new_file.ts") ?? "", /no layer/);
});

Deno.test("plugins import only the kernel API", () => {
  assert.equal(checkImport("plugins/drivers/uart16550/mod.ts", "kernel/api.ts"), null);
  assert.equal(checkImport("plugins/drivers/uart16550/mod.ts", "hw/memory_map.ts"), null);
  assert.equal(
    checkImport("plugins/personalities/unix/mod.ts", "plugins/personalities/unix/abi.ts"),
    null,
  );
  assert.notEqual(checkImport("plugins/drivers/uart16550/mod.ts", "kernel/proc/process.ts"), null);
  assert.notEqual(checkImport("plugins/drivers/x.ts", "plugins/schedulers/round_robin.ts"), null);
  assert.equal(checkImport("plugins/mod.ts", "plugins/schedulers/mod.ts"), null);
});

Deno.test("lib is under everything, and plugins see only register files of hw", () => {
  assert.equal(checkImport("lib/elf.ts", "lib/byte_copy.ts"), null);
  assert.notEqual(checkImport("lib/elf.ts", "hw/ram.ts"), null);
  assert.equal(checkImport("hw/simh_tap.ts", "lib/lz4.ts"), null);
  assert.equal(checkImport("kernel/exec/elf_loader.ts", "lib/elf.ts"), null);
  assert.notEqual(checkImport("kernel/kernel.ts", "system/boot.ts"), null);
  assert.equal(checkImport("plugins/drivers/uart16550/driver.ts", "hw/uart_regs.ts"), null);
  assert.notEqual(checkImport("plugins/drivers/uart16550/driver.ts", "hw/uart.ts"), null);
  assert.notEqual(checkImport("plugins/drivers/uart16550/driver.ts", "hw/machine.ts"), null);
});
