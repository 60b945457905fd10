/**
 * Templates of the translator's code generator (`hw/translator_emit.ts`)
 * for instructions that reach the hart beyond the integer registers: F and
 * D (`emitFp`), and LR, SC and the AMOs (`emitAmo`); with the helpers every
 * template shares: register operands (`src`, `shapeOf`), the data-TLB hit
 * test (`tlbHit`), ALU results and
 * addresses without arithmetic that does nothing (`aluValue`, `plus`), and
 * the exits that leave the page function before or after an instruction
 * (`bail`, `bailAfter`).
 *
 * @module
 */

import { OP } from "./decode.ts";
import { type AluOp, amoValue, expand, type Shape } from "./cpu_ops.ts";
import { TLB_MASK } from "./mmu.ts";
import { AMOS, type Inst } from "./translator_scan.ts";

/** Register operand: the local of a source register (x0 reads as 0). */
export function src(reg: number): string {
  return reg === 0 ? "0" : `x${reg}`;
}

/** The template shape of `inst`. */
export function shapeOf(inst: Inst): Shape {
  const { w, imm, off, len } = inst;
  return {
    rd: `x${(w >> 8) & 63}`,
    rs1: src((w >> 14) & 31),
    rs2: src((w >> 19) & 31),
    imm: String(imm),
    pc: `(vb + ${off})`,
    next: `(vb + ${off + len})`,
  };
}

/**
 * `base + imm` as an int32 expression (`base` a register local or "0"):
 * the literal for x0, the local itself for an offset of 0. Each operation
 * left out is one V8 need not compile nor see run before it optimizes.
 *
 * @param base the register operand (`src`)
 * @param imm the immediate
 * @returns the expression
 */
export function plus(base: string, imm: number): string {
  if (base === "0") return String(imm | 0);
  return imm === 0 ? base : `(${base} + ${imm}) | 0`;
}

// Templates whose value is an int32 already: `| 0` at the end, a 0/1
// choice, Math.imul, or one bitwise operator on two operands.
const INT32_TEMPLATE = /(\| 0|\? 1 : 0)$|^Math\.imul\(|^\$rs1 (\^|\||&|<<|>>) \$(rs2|imm)$/;

/**
 * The int32 value ALU instruction `inst` (template `alu`, shape `s`)
 * writes. The forms with nothing to compute are written as the register or
 * literal they copy: `mv` and `li` (ADDI from x0 or by 0), ADD, OR or XOR
 * with x0, LUI, AUIPC's pc-relative constant. Other templates are wrapped
 * in `| 0` unless their value is an int32 already (an unsigned shift is not).
 *
 * @param alu the instruction's template (`ALU_OPS`)
 * @param s its operands (`shapeOf`)
 * @param inst the instruction
 * @returns the expression
 */
export function aluValue(alu: AluOp, s: Shape, inst: Inst): string {
  const { rs1, rs2, imm } = s;
  switch (alu.name) {
    case "ADDI":
      return plus(rs1, inst.imm);
    case "ORI":
    case "XORI":
      if (rs1 === "0" || imm === "0") return rs1 === "0" ? imm : rs1;
      break;
    case "ADD":
    case "OR":
    case "XOR":
      if (rs1 === "0" || rs2 === "0") return rs1 === "0" ? rs2 : rs1;
      break;
    case "SUB":
      if (rs2 === "0") return rs1;
      break;
    case "LUI":
      return imm;
    case "AUIPC":
      return `(vb + ${inst.off + inst.imm}) | 0`;
  }
  const e = expand(alu.expr, s);
  return INT32_TEMPLATE.test(alu.expr) ? e : `(${e}) | 0`;
}

/**
 * The data-TLB hit test every inline access starts with: the address
 * `va` (an int32 expression), its lookup in the load or store table, a
 * check of the alignment (`alignMask`, 0: none) and the tag that runs
 * `leave` on a miss, and the RAM offset in `off`. The hit is counted by
 * the caller.
 *
 * @param va the virtual address
 * @param store whether the store table is looked up (else the load table)
 * @param alignMask low address bits that must be 0
 * @param leave the code run on a miss or misaligned address
 * @returns the lines of code
 */
export function tlbHit(va: string, store: boolean, alignMask: number, leave: string): string[] {
  const align = alignMask === 0 ? "" : `(va & ${alignMask}) !== 0 || `;
  return [
    `va = ${va}; vpn = va >>> 12;`,
    `ti = ${store ? "stBase" : "ldBase"} + ((vpn ^ ah) & ${TLB_MASK});`,
    `if (${align}tags[ti] !== ((vpn << 9) | asid)) ${leave}`,
    "off = (va + deltas[ti]) | 0;",
  ];
}

/** Code that leaves the function before the instruction at `off` (rest = cycles, count not run). */
export function bail(off: number, restCyc: number, restN: number): string {
  return `{ pc = ${off}; dc -= ${restCyc}; n -= ${restN}; break loop; }`;
}

/** Code that leaves the function after `inst` (a store into a page holding code that dropped a translation). */
export function bailAfter(inst: Inst, restCyc: number, restN: number): string {
  return bail(inst.off + inst.len, restCyc - (inst.w >>> 24), restN - 1);
}

/**
 * An F or D instruction, as the inner loop runs it: FP loads and stores
 * inline (aligned, on a TLB hit, FS not Off), OP-FP and FMA through the
 * FPU (`fpExec`), with the integer register an FP instruction reads stored
 * before it and the one it writes loaded after. Anything else (FS Off, a
 * TLB miss, a misaligned access, an illegal encoding) leaves before the
 * instruction, which the interpreter then runs.
 */
export function emitFp(inst: Inst, restCyc: number, restN: number, out: string[]): void {
  const { w, imm, off } = inst;
  const op = w & 0x7f;
  const leave = bail(off, restCyc, restN);
  if (op === OP.FP || op === OP.FMA || op === OP.FDIV) {
    // OP-FP's integer operands (funct5): 0x1a FCVT from an integer and
    // 0x1e FMV.W.X read rs1; 0x14 compares, 0x18 FCVT to an integer and
    // 0x1c FMV.X.W / FCLASS write rd.
    const f5 = (imm & 0x7f) === 0x53 ? imm >>> 27 : -1;
    const rs1 = (imm >>> 15) & 31, rd = (imm >>> 7) & 31;
    if ((f5 === 0x1a || f5 === 0x1e) && rs1 !== 0) out.push(`r[${rs1}] = x${rs1};`);
    out.push(`if (fpExec(${imm}, r) < 0) ${leave}`);
    if ((f5 === 0x14 || f5 === 0x18 || f5 === 0x1c) && rd !== 0) out.push(`x${rd} = r[${rd}];`);
    return;
  }
  const isLoad = op === OP.FLW || op === OP.FLD;
  const dbl = op === OP.FLD || op === OP.FSD;
  const k = ((w >> 19) & 31) << 1;
  // FS is asked once per call of the page function, and set dirty once:
  // only a system call (after which `fs` and `fd` are cleared) or an exit
  // can change it while the function runs.
  out.push(
    `if (fs === 0) { if (fsOn() === 0) ${leave} fs = 1; }`,
    ...tlbHit(plus(src((w >> 14) & 31), imm), !isLoad, dbl ? 7 : 3, leave),
  );
  if (isLoad) {
    out.push(
      `fw[${k}] = i32[off >> 2]; fw[${k + 1}] = ${dbl ? "i32[(off >> 2) + 1]" : "-1"}; hits++;`,
      "if (fd === 0) { fsDirty(); fd = 1; }",
    );
    return;
  }
  const after = bailAfter(inst, restCyc, restN);
  out.push(`i32[off >> 2] = fw[${k}];${dbl ? ` i32[(off >> 2) + 1] = fw[${k + 1}];` : ""} hits++;`);
  const stored = dbl ? "(codeStore(off) | codeStore((off + 4) | 0))" : "codeStore(off)";
  out.push(`if (codeMark[off >>> 12] !== 0 && ${stored} !== 0) ${after}`);
}

/**
 * LR, SC or an AMO, as `amo` of `hw/cpu_exec.ts` runs it, on an aligned
 * address whose page the TLB holds (for loads for LR, for stores for the
 * others); otherwise the function leaves before it and the interpreter
 * runs it (misaligned, a miss, a device, armed triggers: the TLB is not
 * filled then). The reservation is the hart's (`lrSet`, `scTry`).
 */
export function emitAmo(inst: Inst, restCyc: number, restN: number, out: string[]): void {
  const { w, off } = inst;
  const op = w & 0x7f;
  const s = shapeOf(inst);
  const after = bailAfter(inst, restCyc, restN);
  out.push(
    ...tlbHit(s.rs1, op !== OP.LR, 3, bail(off, restCyc, restN)),
    // Two hits, as interpreted: the data page's, and the fetch page's,
    // which the inner loop looks up again after an instruction it left to
    // the slow path.
    "hits += 2;",
  );
  if (op === OP.LR) {
    out.push(`lrSet(off); ${s.rd} = i32[off >> 2];`);
    return;
  }
  const stored = `if (codeMark[off >>> 12] !== 0 && codeStore(off) !== 0) ${after}`;
  if (op === OP.SC) {
    // rs2 is read before rd is written (they may be the same register).
    out.push(
      `va = ${s.rs2}; k = scTry(off); ${s.rd} = k !== 0 ? 0 : 1;`,
      `if (k !== 0) { i32[off >> 2] = va; ${stored} }`,
    );
    return;
  }
  out.push(
    `k = i32[off >> 2]; va = ${
      amoValue(AMOS.get(op)!, "k", s.rs2)
    }; i32[off >> 2] = va; ${s.rd} = k;`,
    stored,
  );
}
