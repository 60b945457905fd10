/**
 * The statements of a page function's WebAssembly body (`Codegen`, over
 * the expressions of `ExprCodegen` in `hw/wasm_expr.ts`; the value model is
 * `hw/wasm_values.ts`), from the syntax tree of its JavaScript source
 * (`hw/wasm_compile.ts` parses it and assembles the module).
 *
 * Control flow: `loop: for (;;)` is a Wasm `block` around a `loop`; a
 * `switch` is one block per case (its code after the block's end) entered
 * through a `br_table` or a chain of compares; an `if` tests with branches
 * (`&&` and `||` short-circuit to the blocks around its statements). The
 * function's end, `return n - n0`, returns the count whole and first
 * chains into the next page's function (`#chainReturn`).
 *
 * @module
 */

import type { ESTree } from "npm:meriyah@6.1.4";
import { VOID, W } from "./wasm_encoder.ts";
import { TLB_MASK } from "./mmu.ts";
import { ExprCodegen } from "./wasm_expr.ts";
import {
  type Expr,
  fail,
  intLiteral,
  isCountReturn,
  type LocalTy,
  PLAIN,
  type Stmt,
} from "./wasm_values.ts";

export { type Callee, type HartLayout, unsignedNames, WasmCompileError } from "./wasm_values.ts";

/** The code of one function body: {@link ExprCodegen} and the statements. */
export class Codegen extends ExprCodegen {
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
        return this.#block(s);
      case "IfStatement":
        return this.#if(s);
      case "LabeledStatement":
        return this.#labelled(s);
      case "SwitchStatement":
        return this.#switch(s);
      case "BreakStatement":
        c.op(W.br).u32(this.depth(s.label?.name ?? null, "breaks"));
        return;
      case "ContinueStatement":
        c.op(W.br).u32(this.depth(s.label?.name ?? null, "continues"));
        return;
      case "ReturnStatement":
        if (s.argument === null || s.argument === undefined) fail("return without a value");
        if (isCountReturn(s.argument!)) return this.#chainReturn();
        this.toI32(this.expr(s.argument!));
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
   * one the function stands on (or on that page, when it is a linked page
   * of the unit, not its own), even, in the fetch TLB, and its RAM page
   * has a page function (its own, else the linked translation that holds
   * its blocks, entered at the page's relative base there). That fetch-TLB hit, and the function's own hits,
   * carry on in `io[12]`; `io[5]` and `io[6]` name the new page, as the
   * inner loop's entry sets them.
   */
  #chainReturn(): void {
    const c = this.code;
    const l = this.layout;
    const get = (name: string) => c.op(W.localGet).u32(this.lookup(name).index);
    const n = this.lookup("n").index;
    const t = this.newLocal("i32"), v = this.newLocal("i32"), ti = this.newLocal("i32");
    const rp = this.newLocal("i32"), slot = this.newLocal("i32"), rel = this.newLocal("i32");
    const other = this.newLocal("i32");
    const stand = this.names.has("cva") ? "cva" : "vb";
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
    c.op(W.i32Ne).op(W.localTee).u32(other);
    if (stand === "cva") {
      // Or on the linked page it stands on, which has a function of its own.
      get("cva");
      get("vb");
      c.op(W.i32Ne).op(W.i32Or);
    }
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
    c.op(W.localTee).u32(slot).op(W.i32Eqz).op(W.if).op(VOID);
    // None of its own: the linked translation that holds its blocks, at its relative base there.
    c.op(W.localGet).u32(rp).op(W.i32Const).s32(3).op(W.i32Shl).op(W.localTee).u32(rel);
    c.op(W.i32Load).mem(2, 1, l.held).op(W.localSet).u32(slot);
    c.op(W.localGet).u32(rel).op(W.i32Load).mem(2, 1, l.held + 4).op(W.localSet).u32(rel);
    c.op(W.end);
    c.op(W.localGet).u32(slot).op(W.if).op(VOID);
    // io[12] += hits (+ 1 for the fetch TLB's hit on another page, as the
    // inner loop counts it); io[5] = the page's base; io[6] = its RAM page.
    c.op(W.i32Const).s32(0);
    c.op(W.i32Const).s32(0).op(W.f64Load).mem(3, 1, l.io + 12 * 8);
    get("hits");
    c.op(W.localGet).u32(other).op(W.i32Add).op(W.f64ConvertI32S).op(W.f64Add);
    c.op(W.f64Store).mem(3, 1, l.io + 12 * 8);
    c.op(W.i32Const).s32(0).op(W.localGet).u32(t).op(W.i32Const).s32(-4096).op(W.i32And);
    c.op(W.f64ConvertI32S).op(W.f64Store).mem(3, 1, l.io + 5 * 8);
    c.op(W.i32Const).s32(0).op(W.localGet).u32(rp).op(W.f64ConvertI32U);
    c.op(W.f64Store).mem(3, 1, l.io + 6 * 8);
    // page(rb, (t & 4095) + rel, n, lim, (t & -4096) - rel, ldBase, stBase, asid, ah, fb)
    get("rb");
    c.op(W.localGet).u32(t).op(W.i32Const).s32(4095).op(W.i32And);
    c.op(W.localGet).u32(rel).op(W.i32Add);
    c.op(W.localGet).u32(n);
    get("lim");
    c.op(W.localGet).u32(t).op(W.i32Const).s32(-4096).op(W.i32And);
    c.op(W.localGet).u32(rel).op(W.i32Sub);
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
    this.inControl(() => {
      if (alt === null) {
        this.#jump(s.test, 0, false);
        this.stmt(s.consequent);
        return;
      }
      c.op(W.block).op(VOID); // the else part
      this.inControl(() => {
        this.#jump(s.test, 0, false);
        this.stmt(s.consequent);
        c.op(W.br).u32(1);
      });
      c.op(W.end);
      this.stmt(alt);
    });
    c.op(W.end);
  }

  /** Branches to the block at `depth` when `e` is `onTrue` (true: truthy; false: falsy). */
  #jump(e: Expr, depth: number, onTrue: boolean): void {
    const c = this.code;
    if (e.type === "LogicalExpression" && e.operator === (onTrue ? "||" : "&&")) {
      // Either side alone decides.
      this.#jump(e.left, depth, onTrue);
      this.#jump(e.right, depth, onTrue);
    } else if (e.type === "LogicalExpression" && e.operator === (onTrue ? "&&" : "||")) {
      // The left side decides only the other way: past the right side.
      c.op(W.block).op(VOID);
      this.inControl(() => {
        this.#jump(e.left, 0, !onTrue);
        this.#jump(e.right, depth + 1, onTrue);
      });
      c.op(W.end);
    } else if (e.type === "UnaryExpression" && e.operator === "!") {
      this.#jump(e.argument, depth, !onTrue);
    } else {
      this.cond(e);
      if (!onTrue) c.op(W.i32Eqz);
      c.op(W.brIf).u32(depth);
    }
  }

  /** A block: its statements, then the names its declarations hid again. */
  #block(s: ESTree.BlockStatement): void {
    const mark = this.hidden.length;
    for (const x of s.body) this.stmt(x as Stmt);
    while (this.hidden.length > mark) {
      const [name, before] = this.hidden.pop()!;
      if (before === undefined) this.names.delete(name);
      else this.names.set(name, before);
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
      const lty: LocalTy = this.unsigned.has(name) ? "u32" : ty === "f64" ? "f64" : "i32";
      this.check(ty, lty, init!);
      this.as(init!, lty);
      const index = this.newLocal(lty);
      this.hidden.push([name, this.names.get(name)]);
      this.names.set(name, { index, ty: lty });
      this.code.op(W.localSet).u32(index);
    }
  }

  #labelled(s: ESTree.LabeledStatement): void {
    const f = s.body;
    if (f.type !== "ForStatement" || f.init || f.test || f.update) fail("a label not on for (;;)");
    const label = s.label.name;
    const c = this.code;
    c.op(W.block).op(VOID);
    this.inControl(() => {
      c.op(W.loop).op(VOID);
      this.inControl(() => {
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
    const tmp = this.newLocal("i32");
    c.op(W.localSet).u32(tmp);
    const def = values.indexOf(null);
    const miss = def >= 0 ? def : n;
    c.op(W.block).op(VOID);
    this.controls.push({ label: null, breaks: true, continues: false });
    for (let i = 0; i < n; i++) {
      c.op(W.block).op(VOID);
      this.controls.push(PLAIN);
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
      this.controls.pop();
      for (const x of s.cases[i].consequent) this.stmt(x as Stmt);
    }
    c.op(W.end);
    this.controls.pop();
  }
}
