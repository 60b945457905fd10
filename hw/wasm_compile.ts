/**
 * The translator's WebAssembly back end: compiles the source of a page
 * function (`hw/translator_emit.ts` writes it; `pageFnText` of
 * `hw/page_fn.ts` gives the whole function) into a WebAssembly module, so
 * that the code generator stays the one definition of what translated code
 * does. The source is a small subset of JavaScript over int32 values (the
 * registers in locals, `| 0` arithmetic, a labelled loop around a `switch`,
 * typed-array reads and writes); anything outside it, or whose int32
 * meaning cannot be shown, raises {@link WasmCompileError} and the
 * translator keeps the JavaScript function.
 *
 * Map:
 * - memories: RAM is memory 0 (the names `i32`, `u8`, `i8`, `u16`,
 *   `i16`), the hart's memory is memory 1 (`io`, `tags`, `deltas`,
 *   `codeMark`, `fw`; {@link HartLayout}), the register memory
 *   (`hw/register_memory.ts`) memory 2 (`r`, the file at the parameter `rb`);
 * - functions: the hart's helpers are imports ({@link WASM_IMPORTS}); the
 *   M extension's high products and divisions (as `hw/alu.ts` defines
 *   them) and `HX`, the primary page's head table, are the module's own;
 * - the body: `hw/wasm_values.ts` (what the code generator knows of
 *   values and names), `hw/wasm_expr.ts` (expressions), `hw/wasm_codegen.ts`
 *   (statements); {@link compilePageFn} parses the source and assembles the
 *   module.
 *
 * @module
 */

import { parseScript } from "npm:meriyah@6.1.4";
import {
  I32,
  VOID,
  W,
  WasmCode,
  type WasmFunc,
  type WasmFuncType,
  type WasmImport,
  wasmModule,
} from "./wasm_encoder.ts";
import { Codegen } from "./wasm_codegen.ts";
import {
  type Callee,
  fail,
  type HartLayout,
  unsignedNames,
  WasmCompileError,
} from "./wasm_values.ts";

export { type HartLayout, WasmCompileError };

/** The imported helpers, in function-index order (see `hw/page_fn_wasm.ts`). */
export const WASM_IMPORTS = [
  "codeStore",
  "ecall",
  "fsOn",
  "fsDirty",
  "fpExec",
  "lrSet",
  "scTry",
  "regsBase",
] as const;

const T = (params: number[], results: number[]): WasmFuncType => ({ params, results });
const IMPORT_TYPES: Readonly<Record<(typeof WASM_IMPORTS)[number], WasmFuncType>> = {
  codeStore: T([I32], [I32]),
  ecall: T([I32, I32, I32, I32], [I32]),
  fsOn: T([], [I32]),
  fsDirty: T([], []),
  fpExec: T([I32], [I32]),
  lrSet: T([I32], []),
  scTry: T([I32], [I32]),
  regsBase: T([], [I32]),
};
const HELPERS = ["HX", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"] as const;
const CALLEES: ReadonlyMap<string, Callee> = new Map<string, Callee>([
  ...WASM_IMPORTS.map((name, index) => [name, { index, type: IMPORT_TYPES[name] }] as const),
  ...HELPERS.map((name, i) =>
    [name, {
      index: WASM_IMPORTS.length + i,
      type: name === "HX" ? T([I32], [I32]) : T([I32, I32], [I32]),
    }] as const
  ),
]);
/** The page function's parameters (all int32), after `r` and `io`, which are memory. */
const PARAMS = ["pc", "n", "lim", "vb", "ldBase", "stBase", "asid", "ah", "fb"];
/** The WebAssembly function's: first `rb`, the byte offset of the register file. */
const WASM_PARAMS = ["rb", ...PARAMS];
const PAGE_TYPE = T(WASM_PARAMS.map(() => I32), [I32]);

// ---- the module's own functions

/** `HX`: the primary page's head table (halfword index -> case, -1: none). */
function hxFunction(heads: readonly number[]): WasmFunc {
  const c = new WasmCode();
  const h = heads.length >> 1;
  // Blocks: the outermost for "none", then one per head, the last innermost.
  c.op(W.block).op(VOID);
  for (let j = 0; j < h; j++) c.op(W.block).op(VOID);
  const table = new Array<number>(2048).fill(h);
  for (let j = 0; j < h; j++) table[heads[2 * j]] = h - 1 - j;
  c.op(W.localGet).u32(0).op(W.brTable).u32(2048);
  for (const t of table) c.u32(t);
  c.u32(h);
  for (let j = h - 1; j >= 0; j--) {
    c.op(W.end).op(W.i32Const).s32(heads[2 * j + 1]).op(W.return);
  }
  c.op(W.end).op(W.i32Const).s32(-1).op(W.end);
  return { type: T([I32], [I32]), locals: [], code: c };
}

/** A function (a, b) -> int32 of the M extension, as `hw/alu.ts` defines it. */
function mFunction(name: string): WasmFunc {
  const c = new WasmCode();
  const a = () => c.op(W.localGet).u32(0);
  const b = () => c.op(W.localGet).u32(1);
  const k = (v: number) => c.op(W.i32Const).s32(v);
  const high = (sa: boolean, sb: boolean, shr: number) => {
    a().op(sa ? W.i64ExtendI32S : W.i64ExtendI32U);
    b().op(sb ? W.i64ExtendI32S : W.i64ExtendI32U);
    c.op(W.i64Mul).op(W.i64Const).s32(32).op(shr).op(W.i32WrapI64);
  };
  switch (name) {
    case "mulh":
      high(true, true, W.i64ShrS);
      break;
    case "mulhsu":
      high(true, false, W.i64ShrS);
      break;
    case "mulhu":
      high(false, false, W.i64ShrU);
      break;
    case "div":
    case "rem": {
      // By zero: -1 (div) or a (rem); -2^31 / -1: -2^31 (div) or 0 (rem).
      b().op(W.i32Eqz).op(W.if).op(VOID);
      if (name === "div") k(-1);
      else a();
      c.op(W.return).op(W.end);
      a(), k(-0x80000000), c.op(W.i32Eq), b(), k(-1), c.op(W.i32Eq), c.op(W.i32And);
      c.op(W.if).op(VOID);
      k(name === "div" ? -0x80000000 : 0);
      c.op(W.return).op(W.end);
      a(), b(), c.op(name === "div" ? W.i32DivS : W.i32RemS);
      break;
    }
    case "divu":
    case "remu":
      b().op(W.i32Eqz).op(W.if).op(VOID);
      if (name === "divu") k(-1);
      else a();
      c.op(W.return).op(W.end);
      a(), b(), c.op(name === "divu" ? W.i32DivU : W.i32RemU);
      break;
  }
  c.op(W.end);
  return { type: T([I32, I32], [I32]), locals: [], code: c };
}

/**
 * The bytes of a module for a page function: imports `env.ram` (RAM's
 * memory), `env.hart` (the hart's, laid out as `layout`), `env.regs` (the
 * register memory) and the helpers of {@link WASM_IMPORTS}; exports
 * `page(rb, pc, n, lim, vb, ldBase, stBase, asid, ah, fb)`, which does what
 * the source's function does with `io` in the hart's memory and `r` the
 * register file at byte `rb` of the register memory.
 *
 * @param text the whole function, `function page(r, io, pc, ...) { ... }`
 * @param heads the primary page's heads: halfword index and case, in pairs
 * @param layout the hart memory's layout
 * @param pages the unit's RAM pages the source names (`P0` to `P{pages - 1}`),
 *   imported as the globals `env.P0`, ...
 * @returns the module's bytes
 * @throws {WasmCompileError} when the source is outside the subset
 */
export function compilePageFn(
  text: string,
  heads: readonly number[],
  layout: HartLayout,
  pages = 0,
): Uint8Array<ArrayBuffer> {
  let ast;
  try {
    ast = parseScript(text);
  } catch (e) {
    throw new WasmCompileError(`unparsable page function: ${(e as Error).message}`, { cause: e });
  }
  const fn = ast.body[0];
  if (ast.body.length !== 1 || fn.type !== "FunctionDeclaration") fail("not one function");
  const names = fn.params.map((p) => (p.type === "Identifier" ? p.name : ""));
  if (
    names.join(",") !== ["r", "io", ...PARAMS].join(",") || fn.body === null ||
    fn.body === undefined
  ) {
    fail("unexpected parameters");
  }
  const body = fn.body!.body as Parameters<typeof unsignedNames>[0];
  const cc = new Codegen(WASM_PARAMS, layout, CALLEES, unsignedNames(body));
  for (let i = 0; i < pages; i++) cc.bindGlobal(`P${i}`, i);
  for (const s of body) cc.stmt(s);
  cc.code.op(W.i32Const).s32(0).op(W.end);
  const imports: WasmImport[] = [
    ...WASM_IMPORTS.map((name) => ({ kind: "func" as const, name, type: IMPORT_TYPES[name] })),
    { kind: "memory", name: "ram", pages: layout.ramPages },
    { kind: "memory", name: "hart", pages: layout.hartPages },
    { kind: "memory", name: "regs", pages: layout.regPages },
    { kind: "table", name: "fns", min: 1 },
    ...Array.from({ length: pages }, (_, i) => ({ kind: "global" as const, name: `P${i}` })),
  ];
  const funcs: WasmFunc[] = [
    hxFunction(heads),
    ...HELPERS.slice(1).map(mFunction),
    { type: PAGE_TYPE, locals: cc.locals, code: cc.code, export: "page" },
  ];
  // The page type first: the chaining tail calls name it as type 0.
  return wasmModule(imports, funcs, [PAGE_TYPE]);
}
