/**
 * The one definition of the semantics of the CPU's simple instructions
 * (register and immediate arithmetic, jumps, conditional branches, the
 * TLB-hit paths of integer loads and stores, and the AMOs' new memory
 * values), as small code templates, and
 * the renderers that expand them into the `switch` cases of the interpreter
 * (`hw/cpu_fast.ts`, `hw/cpu_exec.ts`).
 *
 * Map of this file:
 * - {@link ALU_OPS}, {@link JUMP_OPS}, {@link BRANCH_OPS}, {@link LOAD_OPS},
 *   {@link STORE_OPS}, {@link AMO_OPS}: the table;
 * - {@link expand}: template expansion for one code shape (a {@link Shape}
 *   says what `$rd`, `$rs1`, `$rs2`, `$imm`, `$pc` and `$next` become);
 * - {@link renderGenerated}: rewrites the generated regions of the files in
 *   {@link GENERATED_FILES} (between `// <generated:NAME>` and
 *   `// </generated:NAME>` lines) from the table; `tools/gen_cpu.ts` writes
 *   the results and `tests/hw/cpu_ops_gen_test.ts` checks that the
 *   checked-in files are current.
 *
 * Template placeholders: `$rd` the destination register (an lvalue), `$rs1`
 * and `$rs2` the source registers (int32), `$imm` the decoded immediate
 * (int32), `$pc` the instruction's address, `$next` the address of the next
 * instruction (pc + 2 or pc + 4).
 *
 * @module
 */

import { OP } from "./decode.ts";

/** An instruction whose whole effect is `$rd = expr`. */
export interface AluOp {
  /** Name in {@link OP}. */
  readonly name: string;
  /** The result, an int32 expression over the placeholders. */
  readonly expr: string;
}

/** Register and immediate arithmetic (RV32I and M). */
export const ALU_OPS: readonly AluOp[] = [
  { name: "ADDI", expr: "($rs1 + $imm) | 0" },
  { name: "ADD", expr: "($rs1 + $rs2) | 0" },
  { name: "LUI", expr: "$imm" },
  { name: "AUIPC", expr: "($pc + $imm) | 0" },
  { name: "SUB", expr: "($rs1 - $rs2) | 0" },
  { name: "SLTI", expr: "$rs1 < $imm ? 1 : 0" },
  { name: "SLTIU", expr: "($rs1 >>> 0) < ($imm >>> 0) ? 1 : 0" },
  { name: "XORI", expr: "$rs1 ^ $imm" },
  { name: "ORI", expr: "$rs1 | $imm" },
  { name: "ANDI", expr: "$rs1 & $imm" },
  { name: "SLLI", expr: "$rs1 << $imm" },
  { name: "SRLI", expr: "$rs1 >>> $imm" },
  { name: "SRAI", expr: "$rs1 >> $imm" },
  { name: "SLL", expr: "$rs1 << $rs2" },
  { name: "SLT", expr: "$rs1 < $rs2 ? 1 : 0" },
  { name: "SLTU", expr: "($rs1 >>> 0) < ($rs2 >>> 0) ? 1 : 0" },
  { name: "XOR", expr: "$rs1 ^ $rs2" },
  { name: "SRL", expr: "$rs1 >>> $rs2" },
  { name: "SRA", expr: "$rs1 >> $rs2" },
  { name: "OR", expr: "$rs1 | $rs2" },
  { name: "AND", expr: "$rs1 & $rs2" },
  { name: "MUL", expr: "Math.imul($rs1, $rs2)" },
  { name: "MULH", expr: "mulh($rs1, $rs2)" },
  { name: "MULHSU", expr: "mulhsu($rs1, $rs2)" },
  { name: "MULHU", expr: "mulhu($rs1, $rs2)" },
  { name: "DIV", expr: "div($rs1, $rs2)" },
  { name: "DIVU", expr: "divu($rs1, $rs2)" },
  { name: "REM", expr: "rem($rs1, $rs2)" },
  { name: "REMU", expr: "remu($rs1, $rs2)" },
];

/** An unconditional jump: `$rd = $next`, pc = target (computed first). */
export interface JumpOp {
  /** Name in {@link OP}. */
  readonly name: string;
  /** The target address (int32; bit 0 already clear). */
  readonly target: string;
}

/** JAL and JALR. */
export const JUMP_OPS: readonly JumpOp[] = [
  { name: "JAL", target: "($pc + $imm) | 0" },
  { name: "JALR", target: "($rs1 + $imm) & -2" },
];

/** A conditional branch to pc + imm. */
export interface BranchOp {
  /** Name in {@link OP}. */
  readonly name: string;
  /** The condition under which the branch is taken. */
  readonly cond: string;
}

/** BEQ, BNE, BLT, BGE, BLTU, BGEU. */
export const BRANCH_OPS: readonly BranchOp[] = [
  { name: "BEQ", cond: "$rs1 === $rs2" },
  { name: "BNE", cond: "$rs1 !== $rs2" },
  { name: "BLT", cond: "$rs1 < $rs2" },
  { name: "BGE", cond: "$rs1 >= $rs2" },
  { name: "BLTU", cond: "($rs1 >>> 0) < ($rs2 >>> 0)" },
  { name: "BGEU", cond: "($rs1 >>> 0) >= ($rs2 >>> 0)" },
];

/** An integer load or store of RAM through a TLB hit. */
export interface MemOp {
  /** Name in {@link OP}. */
  readonly name: string;
  /** The typed-array view of RAM it uses (`i32`, `u16`, `i16`, `u8`, `i8`). */
  readonly view: string;
  /** log2 of the width in bytes (the index shift into {@link view}). */
  readonly shift: number;
}

/** LW, LBU, LB, LHU, LH (`$rd` = the value read). */
export const LOAD_OPS: readonly MemOp[] = [
  { name: "LW", view: "i32", shift: 2 },
  { name: "LBU", view: "u8", shift: 0 },
  { name: "LB", view: "i8", shift: 0 },
  { name: "LHU", view: "u16", shift: 1 },
  { name: "LH", view: "i16", shift: 1 },
];

/** SW, SB, SH (the value written is `$rs2`). */
export const STORE_OPS: readonly MemOp[] = [
  { name: "SW", view: "i32", shift: 2 },
  { name: "SB", view: "u8", shift: 0 },
  { name: "SH", view: "u16", shift: 1 },
];

/** An AMO: the word in memory becomes `value`, over `$old` (the word read) and `$rs2`. */
export interface AmoOp {
  /** Name in {@link OP}. */
  readonly name: string;
  /** The new word, an int32 expression. */
  readonly value: string;
}

/** AMOSWAP, AMOADD, AMOXOR, AMOAND, AMOOR, AMOMIN, AMOMAX, AMOMINU, AMOMAXU. */
export const AMO_OPS: readonly AmoOp[] = [
  { name: "AMOSWAP", value: "$rs2" },
  { name: "AMOADD", value: "($old + $rs2) | 0" },
  { name: "AMOXOR", value: "$old ^ $rs2" },
  { name: "AMOAND", value: "$old & $rs2" },
  { name: "AMOOR", value: "$old | $rs2" },
  { name: "AMOMIN", value: "$old < $rs2 ? $old : $rs2" },
  { name: "AMOMAX", value: "$old > $rs2 ? $old : $rs2" },
  { name: "AMOMINU", value: "($old >>> 0) < ($rs2 >>> 0) ? $old : $rs2" },
  { name: "AMOMAXU", value: "($old >>> 0) > ($rs2 >>> 0) ? $old : $rs2" },
];

/**
 * The new word of AMO `op` with the word read in `old` and the source
 * register in `src`.
 *
 * @param op the AMO
 * @param old the expression of the word read
 * @param src the expression of rs2
 * @returns an int32 expression
 * @example
 * ```ts
 * amoValue(AMO_OPS[1], "old", "src"); // "(old + src) | 0"
 * ```
 */
export function amoValue(op: AmoOp, old: string, src: string): string {
  return op.value.replace(/\$(old|rs2)\b/g, (_m, k: string) => (k === "old" ? old : src));
}

/** What each placeholder stands for in one code shape. */
export interface Shape {
  /** `$rd`. */
  readonly rd: string;
  /** `$rs1`. */
  readonly rs1: string;
  /** `$rs2`. */
  readonly rs2: string;
  /** `$imm`. */
  readonly imm: string;
  /** `$pc`. */
  readonly pc: string;
  /** `$next`. */
  readonly next: string;
}

/** Expands the placeholders of `template` for `shape`. */
export function expand(template: string, shape: Shape): string {
  return template.replace(/\$(rd|rs1|rs2|imm|pc|next)\b/g, (_m, k: keyof Shape) => shape[k]);
}

/** The interpreter's inner loop: fields decoded from the slot word `w`. */
const FAST: Shape = {
  rd: "r[(w >> 8) & 63]",
  rs1: "r[(w >> 14) & 31]",
  rs2: "r[(w >> 19) & 31]",
  imm: "imm",
  pc: "pc",
  next: "(w & 0x80) === 0 ? pc + 4 : pc + 2",
};

/** The slow path (`exec` in hw/cpu_exec.ts): fields already unpacked into locals. */
const SLOW: Shape = {
  rd: "r[rd]",
  rs1: "r[rs1]",
  rs2: "r[rs2]",
  imm: "imm",
  pc: "pc",
  next: "pc + len",
};

/** Indents each line of `lines` by `depth` spaces. */
function indent(lines: string[], depth: number): string[] {
  const pad = " ".repeat(depth);
  return lines.map((l) => (l === "" ? l : pad + l));
}

/** Byte offset of a TLB hit, as an index into a view of `shift`. */
function viewIndex(offset: string, shift: number): string {
  const operand = /^\w+$/.test(offset) ? offset : `(${offset})`;
  return shift === 0 ? offset : `${operand} >> ${shift}`;
}

/** The access check of a TLB-hit load or store (alignment, then tag). */
function hitTest(shift: number): string {
  const tag = `tags[ti] === ((vpn << 9) | asid)`;
  return shift === 0 ? tag : `(va & ${(1 << shift) - 1}) === 0 && ${tag}`;
}

/** The inner loop's cases for arithmetic, jumps, branches, loads and stores. */
function fastCases(): string[] {
  const out: string[] = [];
  for (const op of ALU_OPS) {
    out.push(`case OP_${op.name}:`, `  ${FAST.rd} = ${expand(op.expr, FAST)};`, "  break;");
  }
  out.push(
    "// Jumps and taken branches set pc and go straight to the next",
    "// instruction (no length arithmetic). Targets are always 2-byte",
    "// aligned (C is on), so there is no misaligned-target check.",
  );
  for (const op of JUMP_OPS) {
    out.push(
      `case OP_${op.name}: {`,
      `  const t = ${expand(op.target, FAST)};`,
      `  ${FAST.rd} = ${FAST.next};`,
      "  pc = t;",
      "  enter = jitOn;",
      "  if (dc >= room || k >= kLim) break fast;",
      "  continue;",
      "}",
    );
  }
  for (const op of BRANCH_OPS) {
    out.push(
      `case OP_${op.name}:`,
      `  if (${expand(op.cond, FAST)}) {`,
      "    pc = (pc + imm) | 0;",
      "    dc += takenCost;",
      "    enter = jitOn;",
      "    if (dc >= room || k >= kLim) break fast;",
      "    continue;",
      "  }",
      "  break;",
    );
  }
  const access = (op: MemOp, base: string, body: string[]) => [
    `case OP_${op.name}: {`,
    `  const va = (${FAST.rs1} + imm) | 0;`,
    "  const vpn = va >>> 12;",
    `  const ti = ${base} + ((vpn ^ ah) & TLB_MASK);`,
    `  if (${hitTest(op.shift)}) {`,
    ...indent(body, 4),
    "    hits++;",
    "    break;",
    "  }",
    "  slow = w;",
    "  slowImm = imm;",
    "  break fast;",
    "}",
  ];
  for (const op of LOAD_OPS) {
    const at = viewIndex("(va + deltas[ti]) | 0", op.shift);
    out.push(...access(op, "ldBase", [`${FAST.rd} = ${op.view}[${at}];`]));
  }
  for (const op of STORE_OPS) {
    out.push(...access(op, "stBase", [
      "const off = (va + deltas[ti]) | 0;",
      `${op.view}[${viewIndex("off", op.shift)}] = ${FAST.rs2};`,
      "if (codeMark[off >>> 12] !== 0) codeWritten(s, off);",
    ]));
  }
  return out;
}

/** `exec`'s cases for arithmetic, jumps and branches (the page-crossing path). */
function slowCases(): string[] {
  const out: string[] = [];
  for (const op of ALU_OPS) {
    out.push(`case OP_${op.name}:`, `  ${SLOW.rd} = ${expand(op.expr, SLOW)};`, "  break;");
  }
  for (const op of JUMP_OPS) {
    out.push(
      `case OP_${op.name}: {`,
      `  const t = ${expand(op.target, SLOW)};`,
      `  ${SLOW.rd} = ${SLOW.next};`,
      "  s.pc = t >>> 0;",
      "  return -1;",
      "}",
    );
  }
  for (const op of BRANCH_OPS) {
    out.push(
      `case OP_${op.name}:`,
      `  return branch(s, ${expand(op.cond, SLOW)}, imm, len);`,
    );
  }
  return out;
}

/** `amo`'s cases (hw/cpu_exec.ts): the new word `nv` from `old` and `src`. */
function amoCases(): string[] {
  return AMO_OPS.flatMap((
    op,
  ) => [`case OP_${op.name}:`, `  nv = ${amoValue(op, "old", "src")};`, "  break;"]);
}

/**
 * `const OP_NAME = n;` for every decoded op that `rest` (the file outside
 * its generated regions) or `cases` (its generated cases) names: literal
 * constants, see hw/cpu_fast.ts.
 */
function opConstants(rest: string, cases: string[]): string[] {
  const text = rest + "\n" + cases.join("\n");
  return Object.entries(OP).filter(([name]) => new RegExp(`\\bOP_${name}\\b`).test(text))
    .map(([name, value]) => `const OP_${name} = ${value};`);
}

/** A generated region: the name in its markers, its indentation and how to make its lines. */
interface Region {
  readonly name: string;
  readonly depth: number;
  readonly lines: () => string[];
}

/** The files with generated regions, and their regions (op-constants comes last: it reads the rest). */
export const GENERATED_FILES: Readonly<Record<string, readonly Region[]>> = {
  "hw/cpu_fast.ts": [{ name: "fast-cases", depth: 8, lines: fastCases }],
  "hw/cpu_exec.ts": [
    { name: "slow-cases", depth: 4, lines: slowCases },
    { name: "amo-cases", depth: 4, lines: amoCases },
  ],
};

/** Raised when a source lacks a generated region's markers. */
export class GeneratedRegionError extends Error {
  /** Creates the error for region `name`. */
  constructor(name: string, options?: ErrorOptions) {
    super(`no complete <generated:${name}> region`, options);
    this.name = "GeneratedRegionError";
  }
}

/** Start and end offsets of the body of region `name` in `text`. */
function regionBounds(text: string, name: string): [number, number] {
  const a = text.indexOf(`// <generated:${name}>`);
  const b = text.indexOf(`// </generated:${name}>`);
  if (a < 0 || b < a) throw new GeneratedRegionError(name);
  return [text.indexOf("\n", a) + 1, text.lastIndexOf("\n", b) + 1];
}

/**
 * Returns `source` (the text of `file`, a key of {@link GENERATED_FILES})
 * with every generated region replaced by its expansion from the table, and
 * its op-constants region naming the ops the file uses.
 */
export function renderGenerated(file: string, source: string): string {
  const regions = GENERATED_FILES[file];
  if (regions === undefined) throw new GeneratedRegionError(file);
  let text = source;
  const cases: string[] = [];
  for (const { name, depth, lines } of regions) {
    const [start, end] = regionBounds(text, name);
    const body = lines();
    cases.push(...body);
    text = text.slice(0, start) + indent(body, depth).join("\n") + "\n" + text.slice(end);
  }
  const [start, end] = regionBounds(text, "op-constants");
  const rest = text.slice(0, start) + text.slice(end);
  return text.slice(0, start) + opConstants(rest, cases).join("\n") + "\n" + text.slice(end);
}
