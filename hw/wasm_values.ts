/**
 * The value model of the WebAssembly back end (`hw/wasm_compile.ts`): what
 * the code generator (`hw/wasm_expr.ts`, `hw/wasm_codegen.ts`) knows about
 * a page function's JavaScript values and names before it writes code.
 *
 * - Values: every JavaScript value of the subset is an int32 (`i32`), an
 *   unsigned 32-bit number (`u32`, what `>>>` gives), a double (`f64`) or a
 *   boolean (`bool`), held in a Wasm i32 or f64 ({@link Ty}).
 * - Names: the typed arrays of the source and where each lies
 *   ({@link VIEWS}, {@link HartLayout}); the functions it may call
 *   ({@link Callee}); the locals that hold unsigned values
 *   ({@link unsignedNames}).
 * - {@link WasmCompileError}: a source outside the subset.
 *
 * @module
 */

import type { ESTree } from "npm:meriyah@6.1.4";
import { W, type WasmFuncType } from "./wasm_encoder.ts";

/** Raised when a page function's source is outside what the back end compiles. */
export class WasmCompileError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WasmCompileError";
  }
}

/**
 * Byte offsets in the hart's memory (memory 1) and the sizes of the three
 * memories, in 64 KiB pages (RAM, the hart's, the register files').
 */
export interface HartLayout {
  /** The 13 doubles of `io` (the hart's `jitIo`). */
  readonly io: number;
  /**
   * The table slot of each RAM page's WebAssembly page function (an int32
   * per RAM page, 0: none), for chaining (see {@link Codegen}).
   */
  readonly slots: number;
  /**
   * Per RAM page, two int32: the table slot of the linked translation that
   * holds blocks of it (0: none) and the page's relative base there.
   */
  readonly held: number;
  /** The TLB tags. */
  readonly tags: number;
  /** The TLB deltas. */
  readonly deltas: number;
  /** The code marks, a byte per RAM page. */
  readonly codeMark: number;
  /** The FP registers as 64 words (`fw`). */
  readonly fw: number;
  /** Pages of RAM's memory. */
  readonly ramPages: number;
  /** Pages of the hart's memory. */
  readonly hartPages: number;
  /** Pages of the register memory (memory 2; `r` is the file at the parameter `rb`). */
  readonly regPages: number;
}

/** A function the code may call: its index and type. */
export interface Callee {
  /** Index in the module's function space. */
  readonly index: number;
  /** Its type. */
  readonly type: WasmFuncType;
}

/** @internal */
export type Ty = "i32" | "u32" | "f64" | "bool" | "void";
/** @internal */
export type LocalTy = "i32" | "u32" | "f64";
/** @internal */
export type Expr = ESTree.Expression;
/** @internal */
export type Stmt = ESTree.Statement;

/** A local: its index and the JavaScript type of its value. */
export interface Local {
  readonly index: number;
  readonly ty: LocalTy;
}

/** An enclosing block: where `break` and `continue` land. */
export interface Control {
  readonly label: string | null;
  /** `break` (unlabelled, a switch) or `break label` lands here. */
  readonly breaks: boolean;
  /** `continue label` lands here. */
  readonly continues: boolean;
}

/** A block that is neither. */
export const PLAIN: Control = { label: null, breaks: false, continues: false };

/** The memory, element size and load/store opcodes of each typed-array name. */
export interface View {
  readonly mem: number;
  /** The offset of element 0 (-1: at the local `rb`). */
  readonly base: (l: HartLayout) => number;
  readonly shift: number;
  readonly load: number;
  readonly store: number;
  readonly ty: "i32" | "f64";
}

const view = (
  mem: number,
  base: (l: HartLayout) => number,
  shift: number,
  load: number,
  store: number,
  ty: "i32" | "f64" = "i32",
): View => ({ mem, base, shift, load, store, ty });

/** The typed-array names of the source. */
export const VIEWS: Readonly<Record<string, View>> = {
  i32: view(0, () => 0, 2, W.i32Load, W.i32Store),
  u8: view(0, () => 0, 0, W.i32Load8U, W.i32Store8),
  i8: view(0, () => 0, 0, W.i32Load8S, W.i32Store8),
  u16: view(0, () => 0, 1, W.i32Load16U, W.i32Store16),
  i16: view(0, () => 0, 1, W.i32Load16S, W.i32Store16),
  r: view(2, () => -1, 2, W.i32Load, W.i32Store),
  io: view(1, (l) => l.io, 3, W.f64Load, W.f64Store, "f64"),
  tags: view(1, (l) => l.tags, 2, W.i32Load, W.i32Store),
  deltas: view(1, (l) => l.deltas, 2, W.i32Load, W.i32Store),
  codeMark: view(1, (l) => l.codeMark, 0, W.i32Load8U, W.i32Store8),
  fw: view(1, (l) => l.fw, 2, W.i32Load, W.i32Store),
};

/** Compare opcodes by operator. */
export const COMPARE_S: Readonly<Record<string, number>> = {
  "<": W.i32LtS,
  "<=": W.i32LeS,
  ">": W.i32GtS,
  ">=": W.i32GeS,
};
/** Compare opcodes by operator. */
export const COMPARE_U: Readonly<Record<string, number>> = {
  "<": W.i32LtU,
  "<=": W.i32LeU,
  ">": W.i32GtU,
  ">=": W.i32GeU,
};
/** Compare opcodes by operator. */
export const COMPARE_F: Readonly<Record<string, number>> = {
  "<": W.f64Lt,
  "<=": W.f64Le,
  ">": W.f64Gt,
  ">=": W.f64Ge,
};

/** Raises {@link WasmCompileError}. */
export function fail(what: string): never {
  throw new WasmCompileError(what);
}

/** An integer literal's value (a `-` before one included), else null. */
export function intLiteral(e: Expr): number | null {
  if (e.type === "UnaryExpression" && e.operator === "-") {
    const v = intLiteral(e.argument);
    return v === null ? null : -v;
  }
  if (e.type === "Literal" && typeof e.value === "number" && Number.isInteger(e.value)) {
    return e.value;
  }
  return null;
}

/** A non-negative int32 literal's value, else null. */
export function nonNegLiteral(e: Expr): number | null {
  const v = intLiteral(e);
  return v !== null && v >= 0 && v <= 0x7fffffff ? v : null;
}

/** The type of a number literal. */
export function literalType(v: number): Ty {
  if (!Number.isInteger(v)) return "f64";
  if (v >= -0x80000000 && v <= 0x7fffffff) return "i32";
  return v >= 0 && v <= 0xffffffff ? "u32" : "f64";
}

/** Names assigned the result of `>>>` anywhere in `stmts`: their locals hold unsigned values. */
export function unsignedNames(stmts: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  const ex = (e: Expr | null | undefined): void => {
    if (e === null || e === undefined) return;
    switch (e.type) {
      case "AssignmentExpression":
        if (
          e.left.type === "Identifier" && e.right.type === "BinaryExpression" &&
          e.right.operator === ">>>"
        ) out.add(e.left.name);
        ex(e.right);
        return;
      case "SequenceExpression":
        return e.expressions.forEach(ex);
      case "BinaryExpression":
      case "LogicalExpression":
        ex(e.left as Expr);
        return ex(e.right);
      case "ConditionalExpression":
        ex(e.test);
        ex(e.consequent);
        return ex(e.alternate);
      case "UnaryExpression":
        return ex(e.argument);
      case "CallExpression":
        return (e.arguments as Expr[]).forEach(ex);
      case "MemberExpression":
        return ex(e.property as Expr);
    }
  };
  const st = (s: Stmt | null | undefined): void => {
    if (s === null || s === undefined) return;
    switch (s.type) {
      case "ExpressionStatement":
        return ex(s.expression);
      case "VariableDeclaration":
        for (const d of s.declarations) {
          const init = d.init as Expr | null;
          if (
            d.id.type === "Identifier" && init?.type === "BinaryExpression" &&
            init.operator === ">>>"
          ) {
            out.add(d.id.name);
          }
          ex(init);
        }
        return;
      case "BlockStatement":
        return s.body.forEach((x) => st(x as Stmt));
      case "IfStatement":
        ex(s.test);
        st(s.consequent);
        return st(s.alternate);
      case "LabeledStatement":
        return st(s.body);
      case "ForStatement":
        return st(s.body);
      case "SwitchStatement":
        for (const c of s.cases) c.consequent.forEach(st);
        return;
      case "ReturnStatement":
        return ex(s.argument);
    }
  };
  stmts.forEach(st);
  return out;
}

/** Whether `e` is `n - n0`, the count a page function returns at its end. */
export function isCountReturn(e: Expr): boolean {
  return e.type === "BinaryExpression" && e.operator === "-" && e.left.type === "Identifier" &&
    e.left.name === "n" && e.right.type === "Identifier" && e.right.name === "n0";
}

/** `Math.imul` and the like: the name of a non-computed member of an identifier. */
export function memberName(m: ESTree.MemberExpression): string {
  return m.object.type === "Identifier" && !m.computed && m.property.type === "Identifier"
    ? `${m.object.name}.${m.property.name}`
    : "a member";
}
