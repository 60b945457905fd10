/**
 * The expressions of a page function's WebAssembly body (`ExprCodegen`):
 * the code of each JavaScript expression of the subset with the value it
 * has in JavaScript (`hw/wasm_values.ts` has the value model), and the
 * locals, scopes and enclosing blocks the statements
 * (`hw/wasm_codegen.ts`) share. The type of every expression is known
 * before its code is written ({@link ExprCodegen.typeOf}), so conversions go
 * right after each operand.
 *
 * @module
 */

import type { ESTree } from "npm:meriyah@6.1.4";
import { F64, I32, W, WasmCode } from "./wasm_encoder.ts";
import {
  type Callee,
  COMPARE_F,
  COMPARE_S,
  COMPARE_U,
  type Control,
  type Expr,
  fail,
  type HartLayout,
  intLiteral,
  literalType,
  type Local,
  type LocalTy,
  memberName,
  nonNegLiteral,
  PLAIN,
  type Ty,
  type View,
  VIEWS,
} from "./wasm_values.ts";

/** The code of one function body. */
export class ExprCodegen {
  /** The code written so far. */
  readonly code: WasmCode = new WasmCode();
  /** Value types of the locals after the parameters. */
  readonly locals: number[] = [];
  protected readonly params: number;
  /** The names in scope. */
  protected readonly names: Map<string, Local> = new Map();
  /** What each declaration in an open block hid (restored when the block ends). */
  protected readonly hidden: [string, Local | undefined][] = [];
  protected readonly controls: Control[] = [];
  protected readonly unsigned: Set<string>;
  protected readonly layout: HartLayout;
  protected readonly callees: ReadonlyMap<string, Callee>;

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
    this.params = params.length;
    this.layout = layout;
    this.callees = callees;
    this.unsigned = unsigned;
    params.forEach((p, i) => this.names.set(p, { index: i, ty: "i32" }));
  }

  /**
   * Names `name` a local holding imported global `global` (an int32 set
   * at entry): the source's constants of the instance, such as a unit's
   * RAM pages. Call before the body.
   */
  bindGlobal(name: string, global: number): void {
    const index = this.newLocal("i32");
    this.code.op(W.globalGet).u32(global).op(W.localSet).u32(index);
    this.names.set(name, { index, ty: "i32" });
  }

  protected newLocal(ty: LocalTy): number {
    this.locals.push(ty === "f64" ? F64 : I32);
    return this.params + this.locals.length - 1;
  }

  protected lookup(name: string): Local {
    return this.names.get(name) ?? fail(`unknown name ${name}`);
  }

  protected callee(name: string): Callee {
    return this.callees.get(name) ?? fail(`call of ${name}`);
  }

  // ---- types

  /** The type of `e`'s value, without writing code. */
  typeOf(e: Expr): Ty {
    switch (e.type) {
      case "Literal":
        if (typeof e.value === "boolean") return "bool";
        return typeof e.value === "number" ? literalType(e.value) : fail("a non-number literal");
      case "Identifier":
        return this.lookup(e.name).ty;
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
        return this.unify(e);
      case "AssignmentExpression":
        return e.left.type === "Identifier" ? this.lookup(e.left.name).ty : "void";
      case "SequenceExpression":
        return this.typeOf(e.expressions[e.expressions.length - 1]);
      case "MemberExpression":
        if (e.object.type === "Identifier" && e.object.name === "HX") return "i32";
        return this.view(e).ty;
      case "CallExpression":
        return this.callType(e);
    }
    return fail(`expression ${e.type}`);
  }

  protected unify(e: ESTree.ConditionalExpression): Ty {
    const at = this.typeOf(e.consequent), bt = this.typeOf(e.alternate);
    if (at === "void" || bt === "void") return fail("?: without a value");
    if (at === "f64" || bt === "f64") return "f64";
    if (at === bt) return at;
    if (at === "i32" && bt === "u32" && nonNegLiteral(e.consequent) !== null) return "u32";
    if (bt === "i32" && at === "u32" && nonNegLiteral(e.alternate) !== null) return "u32";
    return fail(`?: of ${at} and ${bt}`);
  }

  protected callType(e: ESTree.CallExpression): Ty {
    const callee = e.callee;
    if (callee.type === "MemberExpression") {
      const name = memberName(callee);
      if (name === "Math.imul") return "i32";
      if (name === "Math.max" || name === "Math.min") return "f64";
      return fail(`call of ${name}`);
    }
    if (callee.type !== "Identifier") return fail("call of an expression");
    return this.callee(callee.name).type.results.length === 0 ? "void" : "i32";
  }

  // ---- conversions of the value on the stack

  protected toI32(ty: Ty): void {
    // ToInt32 of an integral double below 2^63 in magnitude.
    if (ty === "f64") this.code.op(W.prefixFc).u32(W.i64TruncSatF64S).op(W.i32WrapI64);
    else if (ty === "void") fail("a value was expected");
  }

  protected toF64(ty: Ty): void {
    if (ty === "i32") this.code.op(W.f64ConvertI32S);
    else if (ty === "u32" || ty === "bool") this.code.op(W.f64ConvertI32U);
    else if (ty === "void") fail("a value was expected");
  }

  /** Fails unless a value of type `ty` (expression `value`) keeps its JavaScript value in a `to` local. */
  protected check(ty: Ty, to: LocalTy, value: Expr): void {
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
        const l = this.lookup(e.name);
        c.op(W.localGet).u32(l.index);
        return l.ty;
      }
      case "UnaryExpression":
        return this.unary(e);
      case "BinaryExpression":
        return this.binary(e);
      case "LogicalExpression":
        this.cond(e);
        return "bool";
      case "ConditionalExpression": {
        const ty = this.unify(e);
        this.cond(e.test);
        c.op(W.if).op(ty === "f64" ? F64 : I32);
        this.as(e.consequent, ty); // (no branch in an expression: no block to count)
        c.op(W.else);
        this.as(e.alternate, ty);
        c.op(W.end);
        return ty;
      }
      case "AssignmentExpression":
        return this.assign(e, true);
      case "SequenceExpression": {
        const n = e.expressions.length;
        for (let i = 0; i < n - 1; i++) this.effect(e.expressions[i]);
        return this.expr(e.expressions[n - 1]);
      }
      case "MemberExpression":
        return this.load(e);
      case "CallExpression":
        return this.call(e);
    }
    return fail(`expression ${e.type}`);
  }

  /** Writes `e`'s value converted to `ty` (f64, or an int type it already has). */
  protected as(e: Expr, ty: Ty): void {
    const t = this.expr(e);
    if (ty === "f64") this.toF64(t);
  }

  /** Writes the truthiness of `e` (an i32, 0 or not). */
  cond(e: Expr): void {
    if (e.type === "LogicalExpression" && (e.operator === "&&" || e.operator === "||")) {
      this.cond(e.left);
      this.code.op(W.if).op(I32);
      if (e.operator === "&&") {
        this.cond(e.right);
        this.code.op(W.else).op(W.i32Const).s32(0);
      } else {
        this.code.op(W.i32Const).s32(1).op(W.else);
        this.cond(e.right);
      }
      this.code.op(W.end);
      return;
    }
    const ty = this.expr(e);
    if (ty === "f64" || ty === "void") fail(`a ${ty} as a condition`);
  }

  protected unary(e: ESTree.UnaryExpression): Ty {
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
        this.toI32(this.expr(e.argument));
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

  protected binary(e: ESTree.BinaryExpression): Ty {
    const c = this.code;
    const op = e.operator;
    const left = e.left as Expr;
    const right = e.right;
    switch (op) {
      case "|":
      case "&":
      case "^":
        this.toI32(this.expr(left));
        if (op === "|" && nonNegLiteral(right) === 0) return "i32"; // x | 0: ToInt32
        this.toI32(this.expr(right));
        c.op(op === "|" ? W.i32Or : op === "&" ? W.i32And : W.i32Xor);
        return "i32";
      case "<<":
      case ">>":
      case ">>>":
        this.toI32(this.expr(left));
        if (op === ">>>" && nonNegLiteral(right) === 0) return "u32"; // x >>> 0: ToUint32
        this.toI32(this.expr(right));
        c.op(op === "<<" ? W.i32Shl : op === ">>" ? W.i32ShrS : W.i32ShrU);
        return op === ">>>" ? "u32" : "i32";
      case "+":
      case "-": {
        const lt = this.typeOf(left), rt = this.typeOf(right);
        if (lt === "f64" || rt === "f64") {
          this.toF64(this.expr(left));
          this.toF64(this.expr(right));
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
        this.compare(op, left, right);
        return "bool";
    }
    return fail(`binary ${op}`);
  }

  protected compare(op: string, left: Expr, right: Expr): void {
    const c = this.code;
    const lt = this.typeOf(left), rt = this.typeOf(right);
    if (lt === "void" || rt === "void") fail("a value was expected");
    const eq = op === "===" || op === "==";
    const ne = op === "!==" || op === "!=";
    if (lt === "f64" || rt === "f64") {
      this.toF64(this.expr(left));
      this.toF64(this.expr(right));
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
  protected view(m: ESTree.MemberExpression): View {
    if (m.object.type !== "Identifier" || !m.computed) fail("a member that is not an element");
    const name = (m.object as ESTree.Identifier).name;
    const v = VIEWS[name] ?? fail(`unknown view ${name}`);
    if (v.base(this.layout) < 0 && name !== "r") fail(`no ${name} in this hart's memory`);
    return v;
  }

  /** Writes the byte address of an element; returns its view and the constant offset. */
  protected address(m: ESTree.MemberExpression): [View, number] {
    const v = this.view(m);
    const c = this.code;
    let base = v.base(this.layout);
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
      this.toI32(this.expr(idx.left as Expr));
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

  protected load(m: ESTree.MemberExpression): Ty {
    if (m.object.type === "Identifier" && m.object.name === "HX" && m.computed) {
      const ty = this.expr(m.property as Expr);
      if (ty !== "i32" && ty !== "u32") fail("HX of a non-integer");
      this.code.op(W.call).u32(this.callee("HX").index);
      return "i32";
    }
    const [v, offset] = this.address(m);
    this.code.op(v.load).mem(v.shift, v.mem, offset);
    return v.ty;
  }

  protected store(m: ESTree.MemberExpression, value: Expr): void {
    const [v, offset] = this.address(m);
    const ty = this.expr(value);
    if (v.ty === "f64") this.toF64(ty);
    else this.toI32(ty);
    this.code.op(v.store).mem(v.shift, v.mem, offset);
  }

  protected call(e: ESTree.CallExpression): Ty {
    const c = this.code;
    const callee = e.callee;
    const args = e.arguments as Expr[];
    if (callee.type === "MemberExpression") {
      const name = memberName(callee);
      if (args.length !== 2) fail(`${name} with ${args.length} arguments`);
      if (name === "Math.imul") {
        this.toI32(this.expr(args[0]));
        this.toI32(this.expr(args[1]));
        c.op(W.i32Mul);
        return "i32";
      }
      this.toF64(this.expr(args[0]));
      this.toF64(this.expr(args[1]));
      c.op(name === "Math.max" ? W.f64Max : name === "Math.min" ? W.f64Min : fail(name));
      return "f64";
    }
    if (callee.type !== "Identifier") return fail("call of an expression");
    const f = this.callee(callee.name);
    let given = args;
    if (callee.name === "fpExec") {
      // fpExec(inst, r): the registers are the hart memory's; the import passes them.
      if (args.length !== 2 || args[1].type !== "Identifier" || args[1].name !== "r") {
        fail("fpExec without r");
      }
      given = args.slice(0, 1);
    }
    if (given.length !== f.type.params.length) fail(`${callee.name}: ${args.length} arguments`);
    for (const a of given) this.toI32(this.expr(a));
    c.op(W.call).u32(f.index);
    return f.type.results.length === 0 ? "void" : "i32";
  }

  protected assign(e: ESTree.AssignmentExpression, keep: boolean): Ty {
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
      this.store(left, value);
      return "void";
    }
    if (left.type !== "Identifier") return fail("assignment to a pattern");
    if (
      left.name === "r" && !keep && value.type === "CallExpression" &&
      value.callee.type === "Identifier" && value.callee.name === "regsOf"
    ) {
      // r = regsOf(): rb = the offset of the file now bound (or of the copy).
      this.code.op(W.call).u32(this.callee("regsBase").index).op(W.localSet).u32(0);
      return "void";
    }
    const l = this.lookup(left.name);
    const ty = this.typeOf(value);
    this.check(ty, l.ty, value);
    this.as(value, l.ty);
    this.code.op(keep ? W.localTee : W.localSet).u32(l.index);
    return l.ty;
  }

  /** Writes `e` for its effects only. */
  effect(e: Expr): void {
    switch (e.type) {
      case "AssignmentExpression":
        this.assign(e, false);
        return;
      case "UpdateExpression": {
        if (e.argument.type !== "Identifier") fail("++ of an element");
        const l = this.lookup((e.argument as ESTree.Identifier).name);
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

  protected inControl<R>(fn: () => R, control: Control = PLAIN): R {
    this.controls.push(control);
    try {
      return fn();
    } finally {
      this.controls.pop();
    }
  }

  protected depth(label: string | null, kind: "breaks" | "continues"): number {
    for (let i = this.controls.length - 1; i >= 0; i--) {
      const c = this.controls[i];
      if (c[kind] && (label === null || c.label === label)) return this.controls.length - 1 - i;
    }
    return fail(`${kind === "breaks" ? "break" : "continue"} ${label ?? ""} outside its statement`);
  }
}
