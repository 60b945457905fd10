/**
 * The code of a page function's WebAssembly body, from the syntax tree of
 * its JavaScript source (`hw/wasm_compile.ts` parses it and assembles the
 * module). One pass over the tree: the type of every expression is known
 * before its code is written ({@link Codegen.typeOf}), so conversions go
 * right after each operand.
 *
 * Values: every JavaScript value of the subset is an int32 (`i32`), an
 * unsigned 32-bit number (`u32`, what `>>>` gives), a double (`f64`) or a
 * boolean (`bool`), held in a Wasm i32 or f64. Each operation is written
 * only where its Wasm meaning equals its JavaScript meaning on those types;
 * anything else raises {@link WasmCompileError}. Sums of two int32s are the
 * one assumption: the source either wraps them (`| 0`, a shift, an index)
 * or adds counts and table indices that stay below 2^30.
 *
 * Control flow: `loop: for (;;)` is a Wasm `block` around a `loop`; a
 * `switch` is one block per case (its code after the block's end) entered
 * through a `br_table` or a chain of compares; `if` is `if`.
 *
 * @module
 */

import type { ESTree } from "npm:meriyah@6.1.4";
import { F64, I32, VOID, W, WasmCode, type WasmFuncType } from "./wasm_encoder.ts";
import { TLB_MASK } from "./mmu.ts";

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

type Ty = "i32" | "u32" | "f64" | "bool" | "void";
type LocalTy = "i32" | "u32" | "f64";
type Expr = ESTree.Expression;
type Stmt = ESTree.Statement;

interface Local {
  readonly index: number;
  readonly ty: LocalTy;
}

interface Control {
  readonly label: string | null;
  /** `break` (unlabelled, a switch) or `break label` lands here. */
  readonly breaks: boolean;
  /** `continue label` lands here. */
  readonly continues: boolean;
}

const PLAIN: Control = { label: null, breaks: false, continues: false };

/** The memory, element size and load/store opcodes of each typed-array name. */
interface View {
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

const VIEWS: Readonly<Record<string, View>> = {
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

const COMPARE_S: Readonly<Record<string, number>> = {
  "<": W.i32LtS,
  "<=": W.i32LeS,
  ">": W.i32GtS,
  ">=": W.i32GeS,
};
const COMPARE_U: Readonly<Record<string, number>> = {
  "<": W.i32LtU,
  "<=": W.i32LeU,
  ">": W.i32GtU,
  ">=": W.i32GeU,
};
const COMPARE_F: Readonly<Record<string, number>> = {
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
function intLiteral(e: Expr): number | null {
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
function nonNegLiteral(e: Expr): number | null {
  const v = intLiteral(e);
  return v !== null && v >= 0 && v <= 0x7fffffff ? v : null;
}

function literalType(v: number): Ty {
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

/** The code of one function body. */
export class Codegen {
  /** The code written so far. */
  readonly code: WasmCode = new WasmCode();
  /** Value types of the locals after the parameters. */
  readonly locals: number[] = [];
  readonly #params: number;
  readonly #scopes: Map<string, Local>[] = [new Map()];
  readonly #controls: Control[] = [];
  readonly #unsigned: Set<string>;
  readonly #layout: HartLayout;
  readonly #callees: ReadonlyMap<string, Callee>;

  /**
   * A body whose int32 parameters are `params`, over memories laid out as
   * `layout`, that may call `callees` by name.
   */
  constructor(
    params: readonly string[],
    layout: HartLayout,
    callees: ReadonlyMap<string, Callee>,
    unsigned: Set<string>,
  ) {
    this.#params = params.length;
    this.#layout = layout;
    this.#callees = callees;
    this.#unsigned = unsigned;
    params.forEach((p, i) => this.#scopes[0].set(p, { index: i, ty: "i32" }));
  }

  #newLocal(ty: LocalTy): number {
    this.locals.push(ty === "f64" ? F64 : I32);
    return this.#params + this.locals.length - 1;
  }

  #lookup(name: string): Local {
    for (let i = this.#scopes.length - 1; i >= 0; i--) {
      const l = this.#scopes[i].get(name);
      if (l !== undefined) return l;
    }
    return fail(`unknown name ${name}`);
  }

  #callee(name: string): Callee {
    return this.#callees.get(name) ?? fail(`call of ${name}`);
  }

  // ---- types

  /** The type of `e`'s value, without writing code. */
  typeOf(e: Expr): Ty {
    switch (e.type) {
      case "Literal":
        if (typeof e.value === "boolean") return "bool";
        return typeof e.value === "number" ? literalType(e.value) : fail("a non-number literal");
      case "Identifier":
        return this.#lookup(e.name).ty;
      case "UnaryExpression": {
        const lit = intLiteral(e);
        if (lit !== null) return literalType(lit);
        if (e.operator === "!") return "bool";
        if (e.operator === "~") return "i32";
        if (e.operator === "-") return this.typeOf(e.argument) === "f64" ? "f64" : "i32";
        return fail(`unary ${e.operator}`);
      }
      case "BinaryExpression":
        switch (e.operator) {
          case "|":
          case "&":
          case "^":
          case "<<":
          case ">>":
            return "i32";
          case ">>>":
            return "u32";
          case "+":
          case "-":
            return this.typeOf(e.left as Expr) === "f64" || this.typeOf(e.right) === "f64"
              ? "f64"
              : "i32";
        }
        return "bool";
      case "LogicalExpression":
        return "bool";
      case "ConditionalExpression":
        return this.#unify(e);
      case "AssignmentExpression":
        return e.left.type === "Identifier" ? this.#lookup(e.left.name).ty : "void";
      case "SequenceExpression":
        return this.typeOf(e.expressions[e.expressions.length - 1]);
      case "MemberExpression":
        if (e.object.type === "Identifier" && e.object.name === "HX") return "i32";
        return this.#view(e).ty;
      case "CallExpression":
        return this.#callType(e);
    }
    return fail(`expression ${e.type}`);
  }

  #unify(e: ESTree.ConditionalExpression): Ty {
    const at = this.typeOf(e.consequent), bt = this.typeOf(e.alternate);
    if (at === "void" || bt === "void") return fail("?: without a value");
    if (at === "f64" || bt === "f64") return "f64";
    if (at === bt) return at;
    if (at === "i32" && bt === "u32" && nonNegLiteral(e.consequent) !== null) return "u32";
    if (bt === "i32" && at === "u32" && nonNegLiteral(e.alternate) !== null) return "u32";
    return fail(`?: of ${at} and ${bt}`);
  }

  #callType(e: ESTree.CallExpression): Ty {
    const callee = e.callee;
    if (callee.type === "MemberExpression") {
      const name = memberName(callee);
      if (name === "Math.imul") return "i32";
      if (name === "Math.max" || name === "Math.min") return "f64";
      return fail(`call of ${name}`);
    }
    if (callee.type !== "Identifier") return fail("call of an expression");
    return this.#callee(callee.name).type.results.length === 0 ? "void" : "i32";
  }

  // ---- conversions of the value on the stack

  #toI32(ty: Ty): void {
    // ToInt32 of an integral double below 2^63 in magnitude.
    if (ty === "f64") this.code.op(W.prefixFc).u32(W.i64TruncSatF64S).op(W.i32WrapI64);
    else if (ty === "void") fail("a value was expected");
  }

  #toF64(ty: Ty): void {
    if (ty === "i32") this.code.op(W.f64ConvertI32S);
    else if (ty === "u32" || ty === "bool") this.code.op(W.f64ConvertI32U);
    else if (ty === "void") fail("a value was expected");
  }

  /** Fails unless a value of type `ty` (expression `value`) keeps its JavaScript value in a `to` local. */
  #check(ty: Ty, to: LocalTy, value: Expr): void {
    if (to === "f64" || ty === to) return;
    if ((ty === "i32" || ty === "u32") && nonNegLiteral(value) !== null) return;
    fail(`a ${ty} value assigned to a ${to} local`);
  }

  // ---- expressions

  /** Writes the code of `e`'s value; returns its type. */
  expr(e: Expr): Ty {
    const c = this.code;
    switch (e.type) {
      case "Literal": {
        const v = e.value;
        if (typeof v === "boolean") return c.op(W.i32Const).s32(v ? 1 : 0), "bool";
        if (typeof v !== "number") return fail("a non-number literal");
        const ty = literalType(v);
        if (ty === "f64") c.op(W.f64Const).f64(v);
        else c.op(W.i32Const).s32(v | 0);
        return ty;
      }
      case "Identifier": {
        const l = this.#lookup(e.name);
        c.op(W.localGet).u32(l.index);
        return l.ty;
      }
      case "UnaryExpression":
        return this.#unary(e);
      case "BinaryExpression":
        return this.#binary(e);
      case "LogicalExpression":
        this.cond(e);
        return "bool";
      case "ConditionalExpression": {
        const ty = this.#unify(e);
        this.cond(e.test);
        c.op(W.if).op(ty === "f64" ? F64 : I32);
        this.#inControl(() => this.#as(e.consequent, ty));
        c.op(W.else);
        this.#inControl(() => this.#as(e.alternate, ty));
        c.op(W.end);
        return ty;
      }
      case "AssignmentExpression":
        return this.#assign(e, true);
      case "SequenceExpression": {
        const n = e.expressions.length;
        for (let i = 0; i < n - 1; i++) this.effect(e.expressions[i]);
        return this.expr(e.expressions[n - 1]);
      }
      case "MemberExpression":
        return this.#load(e);
      case "CallExpression":
        return this.#call(e);
    }
    return fail(`expression ${e.type}`);
  }

  /** Writes `e`'s value converted to `ty` (f64, or an int type it already has). */
  #as(e: Expr, ty: Ty): void {
    const t = this.expr(e);
    if (ty === "f64") this.#toF64(t);
  }

  /** Writes the truthiness of `e` (an i32, 0 or not). */
  cond(e: Expr): void {
    if (e.type === "LogicalExpression" && (e.operator === "&&" || e.operator === "||")) {
      this.cond(e.left);
      this.code.op(W.if).op(I32);
      if (e.operator === "&&") {
        this.#inControl(() => this.cond(e.right));
        this.code.op(W.else).op(W.i32Const).s32(0);
      } else {
        this.code.op(W.i32Const).s32(1).op(W.else);
        this.#inControl(() => this.cond(e.right));
      }
      this.code.op(W.end);
      return;
    }
    const ty = this.expr(e);
    if (ty === "f64" || ty === "void") fail(`a ${ty} as a condition`);
  }

  #unary(e: ESTree.UnaryExpression): Ty {
    const c = this.code;
    const lit = intLiteral(e);
    if (lit !== null) {
      const ty = literalType(lit);
      if (ty === "f64") c.op(W.f64Const).f64(lit);
      else c.op(W.i32Const).s32(lit | 0);
      return ty;
    }
    switch (e.operator) {
      case "!":
        this.cond(e.argument);
        c.op(W.i32Eqz);
        return "bool";
      case "~":
        this.#toI32(this.expr(e.argument));
        c.op(W.i32Const).s32(-1).op(W.i32Xor);
        return "i32";
      case "-": {
        const ty = this.typeOf(e.argument);
        if (ty === "f64") {
          this.expr(e.argument);
          c.op(0x9a); // f64.neg
          return "f64";
        }
        if (ty !== "i32") fail(`- of a ${ty}`);
        c.op(W.i32Const).s32(0);
        this.expr(e.argument);
        c.op(W.i32Sub);
        return "i32";
      }
    }
    return fail(`unary ${e.operator}`);
  }

  #binary(e: ESTree.BinaryExpression): Ty {
    const c = this.code;
    const op = e.operator;
    const left = e.left as Expr;
    const right = e.right;
    switch (op) {
      case "|":
      case "&":
      case "^":
        this.#toI32(this.expr(left));
        if (op === "|" && nonNegLiteral(right) === 0) return "i32"; // x | 0: ToInt32
        this.#toI32(this.expr(right));
        c.op(op === "|" ? W.i32Or : op === "&" ? W.i32And : W.i32Xor);
        return "i32";
      case "<<":
      case ">>":
      case ">>>":
        this.#toI32(this.expr(left));
        if (op === ">>>" && nonNegLiteral(right) === 0) return "u32"; // x >>> 0: ToUint32
        this.#toI32(this.expr(right));
        c.op(op === "<<" ? W.i32Shl : op === ">>" ? W.i32ShrS : W.i32ShrU);
        return op === ">>>" ? "u32" : "i32";
      case "+":
      case "-": {
        const lt = this.typeOf(left), rt = this.typeOf(right);
        if (lt === "f64" || rt === "f64") {
          this.#toF64(this.expr(left));
          this.#toF64(this.expr(right));
          c.op(op === "+" ? W.f64Add : W.f64Sub);
          return "f64";
        }
        if (lt !== "i32" || rt !== "i32") fail(`${lt} ${op} ${rt}`);
        this.expr(left);
        this.expr(right);
        c.op(op === "+" ? W.i32Add : W.i32Sub);
        return "i32";
      }
      case "===":
      case "!==":
      case "==":
      case "!=":
      case "<":
      case "<=":
      case ">":
      case ">=":
        this.#compare(op, left, right);
        return "bool";
    }
    return fail(`binary ${op}`);
  }

  #compare(op: string, left: Expr, right: Expr): void {
    const c = this.code;
    const lt = this.typeOf(left), rt = this.typeOf(right);
    if (lt === "void" || rt === "void") fail("a value was expected");
    const eq = op === "===" || op === "==";
    const ne = op === "!==" || op === "!=";
    if (lt === "f64" || rt === "f64") {
      this.#toF64(this.expr(left));
      this.#toF64(this.expr(right));
      c.op(eq ? W.f64Eq : ne ? W.f64Ne : COMPARE_F[op]);
      return;
    }
    // Both int: signed, unless an unsigned value meets another unsigned
    // value or a non-negative literal.
    let unsigned = false;
    if (lt === "u32" || rt === "u32") {
      const other = lt === "u32" ? (rt === "u32" ? null : right) : left;
      if (other !== null && nonNegLiteral(other) === null) fail(`u32 ${op} a signed value`);
      unsigned = true;
    } else if ((lt === "bool" || rt === "bool") && (!(eq || ne) || lt !== rt)) {
      fail(`${lt} ${op} ${rt}`);
    }
    this.expr(left);
    this.expr(right);
    c.op(eq ? W.i32Eq : ne ? W.i32Ne : (unsigned ? COMPARE_U : COMPARE_S)[op]);
  }

  /** The view a member expression reads or writes. */
  #view(m: ESTree.MemberExpression): View {
    if (m.object.type !== "Identifier" || !m.computed) fail("a member that is not an element");
    const name = (m.object as ESTree.Identifier).name;
    const v = VIEWS[name] ?? fail(`unknown view ${name}`);
    if (v.base(this.#layout) < 0 && name !== "r") fail(`no ${name} in this hart's memory`);
    return v;
  }

  /** Writes the byte address of an element; returns its view and the constant offset. */
  #address(m: ESTree.MemberExpression): [View, number] {
    const v = this.#view(m);
    const c = this.code;
    let base = v.base(this.#layout);
    if (base < 0) {
      // The register file: at rb, the first parameter.
      c.op(W.localGet).u32(0);
      base = 0;
    }
    const dyn = v.mem === 2;
    const idx = m.property as Expr;
    const lit = nonNegLiteral(idx);
    if (lit !== null) {
      if (!dyn) c.op(W.i32Const).s32(0);
      return [v, base + lit * (1 << v.shift)];
    }
    // x >> s indexing elements of 2^s bytes: the address is x & -2^s.
    if (
      v.shift > 0 && idx.type === "BinaryExpression" && idx.operator === ">>" &&
      nonNegLiteral(idx.right) === v.shift
    ) {
      this.#toI32(this.expr(idx.left as Expr));
      c.op(W.i32Const).s32(-(1 << v.shift)).op(W.i32And);
      if (dyn) c.op(W.i32Add);
      return [v, base];
    }
    const ty = this.expr(idx);
    if (ty !== "i32" && ty !== "u32") fail(`a ${ty} index`);
    if (v.shift > 0) c.op(W.i32Const).s32(v.shift).op(W.i32Shl);
    if (dyn) c.op(W.i32Add);
    return [v, base];
  }

  #load(m: ESTree.MemberExpression): Ty {
    if (m.object.type === "Identifier" && m.object.name === "HX" && m.computed) {
      const ty = this.expr(m.property as Expr);
      if (ty !== "i32" && ty !== "u32") fail("HX of a non-integer");
      this.code.op(W.call).u32(this.#callee("HX").index);
      return "i32";
    }
    const [v, offset] = this.#address(m);
    this.code.op(v.load).mem(v.shift, v.mem, offset);
    return v.ty;
  }

  #store(m: ESTree.MemberExpression, value: Expr): void {
    const [v, offset] = this.#address(m);
    const ty = this.expr(value);
    if (v.ty === "f64") this.#toF64(ty);
    else this.#toI32(ty);
    this.code.op(v.store).mem(v.shift, v.mem, offset);
  }

  #call(e: ESTree.CallExpression): Ty {
    const c = this.code;
    const callee = e.callee;
    const args = e.arguments as Expr[];
    if (callee.type === "MemberExpression") {
      const name = memberName(callee);
      if (args.length !== 2) fail(`${name} with ${args.length} arguments`);
      if (name === "Math.imul") {
        this.#toI32(this.expr(args[0]));
        this.#toI32(this.expr(args[1]));
        c.op(W.i32Mul);
        return "i32";
      }
      this.#toF64(this.expr(args[0]));
      this.#toF64(this.expr(args[1]));
      c.op(name === "Math.max" ? W.f64Max : name === "Math.min" ? W.f64Min : fail(name));
      return "f64";
    }
    if (callee.type !== "Identifier") return fail("call of an expression");
    const f = this.#callee(callee.name);
    let given = args;
    if (callee.name === "fpExec") {
      // fpExec(inst, r): the registers are the hart memory's; the import passes them.
      if (args.length !== 2 || args[1].type !== "Identifier" || args[1].name !== "r") {
        fail("fpExec without r");
      }
      given = args.slice(0, 1);
    }
    if (given.length !== f.type.params.length) fail(`${callee.name}: ${args.length} arguments`);
    for (const a of given) this.#toI32(this.expr(a));
    c.op(W.call).u32(f.index);
    return f.type.results.length === 0 ? "void" : "i32";
  }

  #assign(e: ESTree.AssignmentExpression, keep: boolean): Ty {
    const left = e.left;
    let value: Expr = e.right;
    if (e.operator !== "=") {
      const operator = e.operator.slice(0, -1);
      value = {
        type: "BinaryExpression",
        operator,
        left,
        right: e.right,
      } as ESTree.BinaryExpression;
    }
    if (left.type === "MemberExpression") {
      if (keep) fail("the value of an element assignment");
      this.#store(left, value);
      return "void";
    }
    if (left.type !== "Identifier") return fail("assignment to a pattern");
    if (
      left.name === "r" && !keep && value.type === "CallExpression" &&
      value.callee.type === "Identifier" && value.callee.name === "regsOf"
    ) {
      // r = regsOf(): rb = the offset of the file now bound (or of the copy).
      this.code.op(W.call).u32(this.#callee("regsBase").index).op(W.localSet).u32(0);
      return "void";
    }
    const l = this.#lookup(left.name);
    const ty = this.typeOf(value);
    this.#check(ty, l.ty, value);
    this.#as(value, l.ty);
    this.code.op(keep ? W.localTee : W.localSet).u32(l.index);
    return l.ty;
  }

  /** Writes `e` for its effects only. */
  effect(e: Expr): void {
    switch (e.type) {
      case "AssignmentExpression":
        this.#assign(e, false);
        return;
      case "UpdateExpression": {
        if (e.argument.type !== "Identifier") fail("++ of an element");
        const l = this.#lookup((e.argument as ESTree.Identifier).name);
        if (l.ty !== "i32") fail(`++ of a ${l.ty}`);
        this.code.op(W.localGet).u32(l.index).op(W.i32Const).s32(1);
        this.code.op(e.operator === "++" ? W.i32Add : W.i32Sub).op(W.localSet).u32(l.index);
        return;
      }
      case "SequenceExpression":
        for (const x of e.expressions) this.effect(x);
        return;
    }
    if (this.expr(e) !== "void") this.code.op(W.drop);
  }

  // ---- statements

  #inControl<R>(fn: () => R, control: Control = PLAIN): R {
    this.#controls.push(control);
    try {
      return fn();
    } finally {
      this.#controls.pop();
    }
  }

  #depth(label: string | null, kind: "breaks" | "continues"): number {
    for (let i = this.#controls.length - 1; i >= 0; i--) {
      const c = this.#controls[i];
      if (c[kind] && (label === null || c.label === label)) return this.#controls.length - 1 - i;
    }
    return fail(`${kind === "breaks" ? "break" : "continue"} ${label ?? ""} outside its statement`);
  }

  /** Writes the code of `s`. */
  stmt(s: Stmt): void {
    const c = this.code;
    switch (s.type) {
      case "EmptyStatement":
        return;
      case "ExpressionStatement":
        return this.effect(s.expression);
      case "VariableDeclaration":
        return this.#declare(s);
      case "BlockStatement":
        this.#scopes.push(new Map());
        for (const x of s.body) this.stmt(x as Stmt);
        this.#scopes.pop();
        return;
      case "IfStatement":
        return this.#if(s);
      case "LabeledStatement":
        return this.#labelled(s);
      case "SwitchStatement":
        return this.#switch(s);
      case "BreakStatement":
        c.op(W.br).u32(this.#depth(s.label?.name ?? null, "breaks"));
        return;
      case "ContinueStatement":
        c.op(W.br).u32(this.#depth(s.label?.name ?? null, "continues"));
        return;
      case "ReturnStatement":
        if (s.argument === null || s.argument === undefined) fail("return without a value");
        if (isCountReturn(s.argument!)) return this.#chainReturn();
        this.#toI32(this.expr(s.argument!));
        c.op(W.return);
        return;
    }
    fail(`statement ${s.type}`);
  }

  /**
   * The function's end, `return n - n0`, as WebAssembly page functions end:
   * they return the count itself (`n`; the caller subtracts what it passed),
   * and first go on straight into the page function of the page the pc has
   * reached, with a tail call through the function table, when the inner
   * loop would enter that page next: the function ran something, nothing
   * asks to leave (`io[4]`, `io[11]`), the pc is on another page than the
   * one the function stands on, even, in the fetch TLB, and its RAM page
   * has a page function. That fetch-TLB hit, and the function's own hits,
   * carry on in `io[12]`; `io[5]` and `io[6]` name the new page, as the
   * inner loop's entry sets them.
   */
  #chainReturn(): void {
    const c = this.code;
    const l = this.#layout;
    const get = (name: string) => c.op(W.localGet).u32(this.#lookup(name).index);
    const n = this.#lookup("n").index;
    const t = this.#newLocal("i32"), v = this.#newLocal("i32"), ti = this.#newLocal("i32");
    const rp = this.#newLocal("i32"), slot = this.#newLocal("i32");
    const stand = this.#scopes.some((m) => m.has("cva")) ? "cva" : "vb";
    // if (n !== n0 && io[4] === 0 && io[11] === 0)
    c.op(W.localGet).u32(n);
    get("n0");
    c.op(W.i32Ne);
    c.op(W.i32Const).s32(0).op(W.f64Load).mem(3, 1, l.io + 4 * 8);
    c.op(W.f64Const).f64(0).op(W.f64Eq).op(W.i32And);
    c.op(W.i32Const).s32(0).op(W.f64Load).mem(3, 1, l.io + 11 * 8);
    c.op(W.f64Const).f64(0).op(W.f64Eq).op(W.i32And);
    c.op(W.if).op(VOID);
    // t = vb + pc; on another page than the one it stands on, and even?
    get("vb");
    get("pc");
    c.op(W.i32Add).op(W.localTee).u32(t).op(W.i32Const).s32(-4096).op(W.i32And);
    get(stand);
    c.op(W.i32Ne);
    c.op(W.localGet).u32(t).op(W.i32Const).s32(1).op(W.i32And).op(W.i32Eqz).op(W.i32And);
    c.op(W.if).op(VOID);
    // The fetch TLB: tags[ti] === (vpn << 9 | asid), ti = fb + ((vpn ^ ah) & TLB_MASK).
    c.op(W.localGet).u32(t).op(W.i32Const).s32(12).op(W.i32ShrU).op(W.localTee).u32(v);
    get("ah");
    c.op(W.i32Xor).op(W.i32Const).s32(TLB_MASK).op(W.i32And);
    get("fb");
    c.op(W.i32Add).op(W.localTee).u32(ti).op(W.i32Const).s32(2).op(W.i32Shl);
    c.op(W.i32Load).mem(2, 1, l.tags);
    c.op(W.localGet).u32(v).op(W.i32Const).s32(9).op(W.i32Shl);
    get("asid");
    c.op(W.i32Or).op(W.i32Eq).op(W.if).op(VOID);
    // Its RAM page and that page's slot.
    c.op(W.localGet).u32(ti).op(W.i32Const).s32(2).op(W.i32Shl).op(W.i32Load).mem(2, 1, l.deltas);
    c.op(W.localGet).u32(t).op(W.i32Add).op(W.i32Const).s32(12).op(W.i32ShrU);
    c.op(W.localTee).u32(rp).op(W.i32Const).s32(2).op(W.i32Shl).op(W.i32Load).mem(2, 1, l.slots);
    c.op(W.localTee).u32(slot).op(W.if).op(VOID);
    // io[12] += hits + 1; io[5] = the new page's base; io[6] = its RAM page.
    c.op(W.i32Const).s32(0);
    c.op(W.i32Const).s32(0).op(W.f64Load).mem(3, 1, l.io + 12 * 8);
    get("hits");
    c.op(W.i32Const).s32(1).op(W.i32Add).op(W.f64ConvertI32S).op(W.f64Add);
    c.op(W.f64Store).mem(3, 1, l.io + 12 * 8);
    c.op(W.i32Const).s32(0).op(W.localGet).u32(t).op(W.i32Const).s32(-4096).op(W.i32And);
    c.op(W.f64ConvertI32S).op(W.f64Store).mem(3, 1, l.io + 5 * 8);
    c.op(W.i32Const).s32(0).op(W.localGet).u32(rp).op(W.f64ConvertI32U);
    c.op(W.f64Store).mem(3, 1, l.io + 6 * 8);
    // page(rb, t & 4095, n, lim, t & -4096, ldBase, stBase, asid, ah, fb)
    get("rb");
    c.op(W.localGet).u32(t).op(W.i32Const).s32(4095).op(W.i32And);
    c.op(W.localGet).u32(n);
    get("lim");
    c.op(W.localGet).u32(t).op(W.i32Const).s32(-4096).op(W.i32And);
    for (const p of ["ldBase", "stBase", "asid", "ah", "fb"]) get(p);
    c.op(W.localGet).u32(slot).op(W.returnCallIndirect).u32(0).u32(0);
    c.op(W.end).op(W.end).op(W.end).op(W.end);
    c.op(W.localGet).u32(n).op(W.return);
  }

  /**
   * `if`: its test as branches (`&&` and `||` short-circuit to the blocks
   * around the statements instead of making a value), then the statements.
   */
  #if(s: ESTree.IfStatement): void {
    const c = this.code;
    const alt = s.alternate ?? null;
    c.op(W.block).op(VOID); // the end
    this.#inControl(() => {
      if (alt === null) {
        this.#jumpUnless(s.test, 0);
        this.stmt(s.consequent);
        return;
      }
      c.op(W.block).op(VOID); // the else part
      this.#inControl(() => {
        this.#jumpUnless(s.test, 0);
        this.stmt(s.consequent);
        c.op(W.br).u32(1);
      });
      c.op(W.end);
      this.stmt(alt);
    });
    c.op(W.end);
  }

  /** Branches to the block at `depth` when `e` is false. */
  #jumpUnless(e: Expr, depth: number): void {
    const c = this.code;
    if (e.type === "LogicalExpression" && e.operator === "&&") {
      this.#jumpUnless(e.left, depth);
      this.#jumpUnless(e.right, depth);
    } else if (e.type === "LogicalExpression" && e.operator === "||") {
      c.op(W.block).op(VOID);
      this.#inControl(() => {
        this.#jumpIf(e.left, 0);
        this.#jumpUnless(e.right, depth + 1);
      });
      c.op(W.end);
    } else if (e.type === "UnaryExpression" && e.operator === "!") {
      this.#jumpIf(e.argument, depth);
    } else {
      this.cond(e);
      c.op(W.i32Eqz).op(W.brIf).u32(depth);
    }
  }

  /** Branches to the block at `depth` when `e` is true. */
  #jumpIf(e: Expr, depth: number): void {
    const c = this.code;
    if (e.type === "LogicalExpression" && e.operator === "||") {
      this.#jumpIf(e.left, depth);
      this.#jumpIf(e.right, depth);
    } else if (e.type === "LogicalExpression" && e.operator === "&&") {
      c.op(W.block).op(VOID);
      this.#inControl(() => {
        this.#jumpUnless(e.left, 0);
        this.#jumpIf(e.right, depth + 1);
      });
      c.op(W.end);
    } else if (e.type === "UnaryExpression" && e.operator === "!") {
      this.#jumpUnless(e.argument, depth);
    } else {
      this.cond(e);
      c.op(W.brIf).u32(depth);
    }
  }

  #declare(s: ESTree.VariableDeclaration): void {
    for (const d of s.declarations) {
      const init = d.init as Expr | null;
      if (d.id.type !== "Identifier" || init === null) {
        fail("a declaration without a name or value");
      }
      const name = (d.id as ESTree.Identifier).name;
      const ty = this.typeOf(init!);
      const lty: LocalTy = this.#unsigned.has(name) ? "u32" : ty === "f64" ? "f64" : "i32";
      this.#check(ty, lty, init!);
      this.#as(init!, lty);
      const index = this.#newLocal(lty);
      this.#scopes[this.#scopes.length - 1].set(name, { index, ty: lty });
      this.code.op(W.localSet).u32(index);
    }
  }

  #labelled(s: ESTree.LabeledStatement): void {
    const f = s.body;
    if (f.type !== "ForStatement" || f.init || f.test || f.update) fail("a label not on for (;;)");
    const label = s.label.name;
    const c = this.code;
    c.op(W.block).op(VOID);
    this.#inControl(() => {
      c.op(W.loop).op(VOID);
      this.#inControl(() => {
        this.stmt((f as ESTree.ForStatement).body);
        c.op(W.br).u32(0);
      }, { label, breaks: false, continues: true });
      c.op(W.end);
    }, { label, breaks: true, continues: false });
    c.op(W.end);
  }

  /**
   * A switch over int32 cases: one block per case, the first innermost,
   * its code after its end; a `br_table` (dense values) or a chain of
   * compares enters case i at depth i; `break` leaves the outer block.
   */
  #switch(s: ESTree.SwitchStatement): void {
    const c = this.code;
    const values = s.cases.map((k) =>
      k.test === null || k.test === undefined ? null : intLiteral(k.test) ?? fail("a case value")
    );
    const n = values.length;
    if (this.typeOf(s.discriminant) !== "i32") fail("switch on a non-int32");
    this.expr(s.discriminant);
    const tmp = this.#newLocal("i32");
    c.op(W.localSet).u32(tmp);
    const def = values.indexOf(null);
    const miss = def >= 0 ? def : n;
    c.op(W.block).op(VOID);
    this.#controls.push({ label: null, breaks: true, continues: false });
    for (let i = 0; i < n; i++) {
      c.op(W.block).op(VOID);
      this.#controls.push(PLAIN);
    }
    const ints = values.filter((v): v is number => v !== null);
    const lo = Math.min(...ints), hi = Math.max(...ints);
    c.op(W.localGet).u32(tmp);
    if (ints.length > 0 && lo >= 0 && hi - lo < 2 * ints.length + 16) {
      const table = new Array<number>(hi - lo + 1).fill(miss);
      for (let i = n - 1; i >= 0; i--) if (values[i] !== null) table[values[i]! - lo] = i;
      if (lo !== 0) c.op(W.i32Const).s32(lo).op(W.i32Sub);
      c.op(W.brTable).u32(table.length);
      for (const t of table) c.u32(t);
      c.u32(miss);
    } else {
      c.op(W.drop);
      values.forEach((v, i) => {
        if (v !== null) {
          c.op(W.localGet).u32(tmp).op(W.i32Const).s32(v).op(W.i32Eq).op(W.brIf).u32(i);
        }
      });
      c.op(W.br).u32(miss);
    }
    for (let i = 0; i < n; i++) {
      c.op(W.end);
      this.#controls.pop();
      for (const x of s.cases[i].consequent) this.stmt(x as Stmt);
    }
    c.op(W.end);
    this.#controls.pop();
  }
}

/** Whether `e` is `n - n0`, the count a page function returns at its end. */
function isCountReturn(e: Expr): boolean {
  return e.type === "BinaryExpression" && e.operator === "-" && e.left.type === "Identifier" &&
    e.left.name === "n" && e.right.type === "Identifier" && e.right.name === "n0";
}

/** `Math.imul` and the like: the name of a non-computed member of an identifier. */
function memberName(m: ESTree.MemberExpression): string {
  return m.object.type === "Identifier" && !m.computed && m.property.type === "Identifier"
    ? `${m.object.name}.${m.property.name}`
    : "a member";
}
