import assert from "node:assert/strict";
import {
  ALU_OPS,
  BRANCH_OPS,
  expand,
  GENERATED_FILES,
  GeneratedRegionError,
  JUMP_OPS,
  LOAD_OPS,
  renderGenerated,
  STORE_OPS,
} from "../../hw/cpu_ops.ts";
import { OP } from "../../hw/decode.ts";

Deno.test("the generated regions are current (run deno task gen:cpu)", () => {
  for (const file of Object.keys(GENERATED_FILES)) {
    const source = Deno.readTextFileSync(new URL(`../../${file}`, import.meta.url));
    assert.deepStrictEqual(renderGenerated(file, source), source, file);
  }
});

Deno.test("every table entry names a decoded op, once", () => {
  const names = [...ALU_OPS, ...JUMP_OPS, ...BRANCH_OPS, ...LOAD_OPS, ...STORE_OPS].map((o) =>
    o.name
  );
  assert.deepStrictEqual(new Set(names).size, names.length);
  for (const n of names) assert(n in OP, n);
});

Deno.test("the ALU templates compute RV32 results", () => {
  const shape = { rd: "", rs1: "a", rs2: "b", imm: "b", pc: "p", next: "" };
  const run = (name: string, a: number, b: number, p = 0) => {
    const op = ALU_OPS.find((o) => o.name === name)!;
    return new Function("a", "b", "p", `return ${expand(op.expr, shape)};`)(a, b, p);
  };
  assert.deepStrictEqual(run("ADD", 0x7fffffff, 1), -0x80000000);
  assert.deepStrictEqual(run("SLTU", -1, 1), 0);
  assert.deepStrictEqual(run("SLT", -1, 1), 1);
  assert.deepStrictEqual(run("SRA", -8, 1), -4);
  assert.deepStrictEqual(run("SRL", -8, 1), 0x7ffffffc);
  assert.deepStrictEqual(run("AUIPC", 0, 0x1000, 0x7ffff000), -0x80000000);
});

Deno.test("a missing region marker is refused", () => {
  assert.throws(() => renderGenerated("hw/cpu_fast.ts", "no markers"), GeneratedRegionError);
  assert.throws(() => renderGenerated("hw/other.ts", ""), GeneratedRegionError);
});
