/**
 * A small WebAssembly binary writer: enough for the translator's modules
 * (`hw/wasm_compile.ts`). `WasmCode` collects a function body's bytes
 * (opcodes, LEB128 immediates, memory arguments); `wasmModule` wraps
 * functions, imports and exports into a module's bytes.
 *
 * Map: {@link WasmCode} (one function's code), {@link wasmModule} (the
 * module: type, import, function, export and code sections), and the
 * opcode table {@link W}.
 *
 * @module
 */

/** Value types. */
export const I32 = 0x7f;
/** 64-bit integer value type. */
export const I64 = 0x7e;
/** 64-bit float value type. */
export const F64 = 0x7c;
/** The empty block type. */
export const VOID = 0x40;

/** The opcodes the translator writes. */
export const W = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  brTable: 0x0e,
  return: 0x0f,
  call: 0x10,
  /** `return_call_indirect` (tail calls): type index, then table index. */
  returnCallIndirect: 0x13,
  drop: 0x1a,
  select: 0x1b,
  localGet: 0x20,
  globalGet: 0x23,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f64Load: 0x2b,
  i32Load8S: 0x2c,
  i32Load8U: 0x2d,
  i32Load16S: 0x2e,
  i32Load16U: 0x2f,
  i32Store: 0x36,
  f64Store: 0x39,
  i32Store8: 0x3a,
  i32Store16: 0x3b,
  i32Const: 0x41,
  i64Const: 0x42,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GtU: 0x4b,
  i32LeS: 0x4c,
  i32LeU: 0x4d,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  f64Eq: 0x61,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Gt: 0x64,
  f64Le: 0x65,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32DivS: 0x6d,
  i32DivU: 0x6e,
  i32RemS: 0x6f,
  i32RemU: 0x70,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  i64Mul: 0x7e,
  i64ShrS: 0x87,
  i64ShrU: 0x88,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Min: 0xa4,
  f64Max: 0xa5,
  i32WrapI64: 0xa7,
  i64ExtendI32S: 0xac,
  i64ExtendI32U: 0xad,
  f64ConvertI32S: 0xb7,
  f64ConvertI32U: 0xb8,
  /** Prefix of the saturating truncations (`0xfc`, then the sub-opcode). */
  prefixFc: 0xfc,
  /** `i64.trunc_sat_f64_s` after {@link W.prefixFc}. */
  i64TruncSatF64S: 0x06,
} as const;

/**
 * A growable byte buffer for one function's code (or a section), with the
 * encodings of immediates.
 *
 * @example
 * ```ts
 * import { W, WasmCode } from "./wasm_encoder.ts";
 * const c = new WasmCode();
 * c.op(W.i32Const).s32(-1).op(W.end);
 * ```
 */
export class WasmCode {
  #buf = new Uint8Array(256);
  #len = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.#len;
  }

  /** Appends one byte. */
  op(b: number): this {
    if (this.#len === this.#buf.length) this.#grow(1);
    this.#buf[this.#len++] = b;
    return this;
  }

  /** Appends an unsigned LEB128 number (up to 2^32 - 1). */
  u32(v: number): this {
    v >>>= 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.op(b);
    } while (v !== 0);
    return this;
  }

  /** Appends a signed LEB128 number (an int32). */
  s32(v: number): this {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return this.op(b);
      this.op(b | 0x80);
    }
  }

  /** Appends a float64 immediate. */
  f64(v: number): this {
    const bytes = new Uint8Array(new Float64Array([v]).buffer);
    for (const b of bytes) this.op(b);
    return this;
  }

  /**
   * Appends a memory argument: natural alignment `align` (log2), memory
   * `mem` (0 is written the short way) and offset `offset`.
   */
  mem(align: number, mem: number, offset: number): this {
    if (mem === 0) return this.u32(align).u32(offset);
    return this.u32(align | 0x40).u32(mem).u32(offset);
  }

  /** Appends a name (length, then its bytes; ASCII). */
  name(s: string): this {
    this.u32(s.length);
    for (let i = 0; i < s.length; i++) this.op(s.charCodeAt(i));
    return this;
  }

  /** Appends the bytes of another buffer. */
  append(other: WasmCode | Uint8Array): this {
    const bytes = other instanceof WasmCode ? other.bytes() : other;
    if (this.#len + bytes.length > this.#buf.length) this.#grow(bytes.length);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
    return this;
  }

  /** The bytes written (a view: copy before writing more). */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  #grow(need: number): void {
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + need));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }
}

/** A function type: parameter and result value types. */
export interface WasmFuncType {
  /** Parameter types. */
  readonly params: readonly number[];
  /** Result types (none or one). */
  readonly results: readonly number[];
}

/** An imported function, memory, function table or immutable int32 global (module "env"). */
export type WasmImport =
  | { readonly kind: "func"; readonly name: string; readonly type: WasmFuncType }
  | { readonly kind: "memory"; readonly name: string; readonly pages: number }
  | { readonly kind: "table"; readonly name: string; readonly min: number }
  | { readonly kind: "global"; readonly name: string };

/** A function defined by the module: its type, extra locals and code (ending in `end`). */
export interface WasmFunc {
  /** Its type. */
  readonly type: WasmFuncType;
  /** Value types of the locals after the parameters. */
  readonly locals: readonly number[];
  /** The code, `end` included. */
  readonly code: WasmCode;
  /** Exported under this name, if any. */
  readonly export?: string;
}

function section(out: WasmCode, id: number, body: WasmCode): void {
  out.op(id).u32(body.length).append(body);
}

/**
 * The bytes of a module with `imports` (functions first in the function
 * index space, in order, then `funcs`), memories (imported, fixed size,
 * not shared, in order), function tables (imported, of `funcref`, at
 * least `min` long, in order) and immutable int32 globals (imported, in
 * order). `firstTypes` get type indices 0, 1, ... (for
 * the type immediates of `call_indirect`).
 *
 * @param imports the imports, module "env"
 * @param funcs the functions the module defines
 * @param firstTypes function types at the first type indices
 * @returns the module's bytes
 */
export function wasmModule(
  imports: readonly WasmImport[],
  funcs: readonly WasmFunc[],
  firstTypes: readonly WasmFuncType[] = [],
): Uint8Array<ArrayBuffer> {
  const types: string[] = [];
  const typeIndex = (t: WasmFuncType) => {
    const key = `${t.params.join(",")}:${t.results.join(",")}`;
    let i = types.indexOf(key);
    if (i < 0) i = types.push(key) - 1;
    return i;
  };
  for (const t of firstTypes) typeIndex(t);
  const importIdx = imports.map((im) => (im.kind === "func" ? typeIndex(im.type) : -1));
  const funcIdx = funcs.map((f) => typeIndex(f.type));
  const out = new WasmCode();
  out.append(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  const typeSec = new WasmCode().u32(types.length);
  for (const key of types) {
    const [p, r] = key.split(":").map((s) => (s === "" ? [] : s.split(",").map(Number)));
    typeSec.op(0x60).u32(p.length);
    for (const v of p) typeSec.op(v);
    typeSec.u32(r.length);
    for (const v of r) typeSec.op(v);
  }
  section(out, 1, typeSec);
  const impSec = new WasmCode().u32(imports.length);
  imports.forEach((im, i) => {
    impSec.name("env").name(im.name);
    if (im.kind === "func") impSec.op(0x00).u32(importIdx[i]);
    else if (im.kind === "memory") impSec.op(0x02).op(0x01).u32(im.pages).u32(im.pages);
    else if (im.kind === "global") impSec.op(0x03).op(I32).op(0x00);
    else impSec.op(0x01).op(0x70).op(0x00).u32(im.min);
  });
  section(out, 2, impSec);
  const fnSec = new WasmCode().u32(funcs.length);
  for (const i of funcIdx) fnSec.u32(i);
  section(out, 3, fnSec);
  const nImportedFns = imports.filter((im) => im.kind === "func").length;
  const exported = funcs.map((f, i) => [f.export, i] as const).filter(([n]) => n !== undefined);
  const expSec = new WasmCode().u32(exported.length);
  for (const [name, i] of exported) expSec.name(name!).op(0x00).u32(nImportedFns + i);
  section(out, 7, expSec);
  const codeSec = new WasmCode().u32(funcs.length);
  for (const f of funcs) {
    const body = new WasmCode();
    // Locals as runs of one type.
    const runs: [number, number][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    body.u32(runs.length);
    for (const [n, t] of runs) body.u32(n).op(t);
    body.append(f.code);
    codeSec.u32(body.length).append(body);
  }
  section(out, 10, codeSec);
  return new Uint8Array(out.bytes());
}
