/**
 * The C extension: every 16-bit encoding expanded as LLVM's disassembler
 * reads it, link addresses and pc steps of 2, 16-bit tval for illegal
 * compressed instructions, self-modifying compressed code, instructions
 * that cross a page boundary (and fault on the second page), misaligned
 * loads and stores in hardware.
 */
import assert from "node:assert/strict";
import { PRIV } from "../../hw/cpu.ts";
import { PTE } from "../../hw/mmu.ts";
import { compressFpMemory, expandCompressed } from "../../hw/rvc.ts";
import { asm, BASE, machine } from "./cpu_test_asm.ts";

function haveLlvm(): boolean {
  try {
    return new Deno.Command("llvm-objdump", { args: ["--version"], stdout: "null" }).outputSync()
      .success &&
      new Deno.Command("clang", { args: ["--version"], stdout: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

/** Disassembles `bytes` placed in .text; returns text by offset. */
function disassemble(dir: string, name: string, bytes: Uint8Array): Map<number, string> {
  Deno.writeFileSync(`${dir}/${name}.bin`, bytes);
  Deno.writeTextFileSync(`${dir}/${name}.S`, `.text\n.incbin "${dir}/${name}.bin"\n`);
  const c = new Deno.Command("clang", {
    args: [
      "--target=riscv32-unknown-elf",
      "-march=rv32imafdc",
      "-c",
      `${dir}/${name}.S`,
      "-o",
      `${dir}/${name}.o`,
    ],
  }).outputSync();
  assert.ok(c.success);
  const out = new Deno.Command("llvm-objdump", {
    args: ["-d", `${dir}/${name}.o`],
    stdout: "piped",
  })
    .outputSync();
  const m = new Map<number, string>();
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    const mm = /^\s*([0-9a-f]+):\s+((?:[0-9a-f]{2} )+)\s*(.*)$/.exec(line);
    if (mm) m.set(parseInt(mm[1], 16), mm[3].replace(/\s+/g, " ").trim());
  }
  return m;
}

Deno.test({
  name: "every 16-bit encoding expands to what LLVM disassembles it as",
  ignore: !haveLlvm(),
  fn() {
    const hs: number[] = [];
    for (let h = 0; h < 65536; h++) if ((h & 3) !== 3) hs.push(h);
    // Each compressed instruction sits at 4 * i (padded with c.nop); its
    // expansion at 4 * i in the other image, so pc-relative targets agree.
    const a = new Uint8Array(hs.length * 4), b = new Uint8Array(hs.length * 4);
    const av = new DataView(a.buffer), bv = new DataView(b.buffer);
    hs.forEach((h, i) => {
      av.setUint16(i * 4, h, true);
      av.setUint16(i * 4 + 2, 0x0001, true);
      bv.setUint32(i * 4, expandCompressed(h) >>> 0, true);
    });
    const dir = Deno.makeTempDirSync({ prefix: "rvc" });
    const da = disassemble(dir, "c", a), db = disassemble(dir, "x", b);
    const bad: string[] = [];
    let hints = 0;
    hs.forEach((h, i) => {
      const x = da.get(i * 4) ?? "", y = db.get(i * 4) ?? "(zeros)";
      if (x === "<unknown>" && (y === "unimp" || y === "(zeros)")) return; // both illegal
      if (x.startsWith("c.")) { // HINTs and RV32 reserved shift amounts: LLVM keeps c. names
        hints++;
        return;
      }
      if (x.startsWith("mv ") && y.startsWith("add ")) return; // c.mv is add rd, x0, rs2
      if (/^lui [a-z0-9]+, 0$/.test(x) && y === "unimp") return; // c.lui nzimm=0: reserved
      if (x !== y) bad.push(`${h.toString(16)}: llvm "${x}" strata "${y}"`);
    });
    assert.deepEqual(bad.slice(0, 20), []);
    assert.ok(hints < 2000, `${hints} hint encodings`);
  },
});

const C_NOP = 0x0001;

function halves(m: ReturnType<typeof machine>, off: number, hs: number[]) {
  hs.forEach((h, i) => m.ram.u8.set([h & 0xff, h >> 8], off + 2 * i));
}

Deno.test("c.jal / c.jalr link pc + 2; pc steps by 2; 32-bit after 16-bit", () => {
  const m = machine();
  // 0: c.li a0, 5; 2: addi a1, x0, 7 (32-bit at a 2-aligned pc); 6: c.jal +4; 10: c.jalr a0
  halves(m, 0, [0x4515]); // c.li a0, 5
  m.ram.u8.set([0x93, 0x05, 0x70, 0x00], 2); // addi a1, x0, 7
  halves(m, 6, [0x2011]); // c.jal +4 -> 10
  halves(m, 10, [0x9502]); // c.jalr a0 -> jumps to a0
  m.cpu.run(3);
  assert.equal(m.cpu.x[10], 5);
  assert.equal(m.cpu.x[11], 7);
  assert.equal(m.cpu.x[1] >>> 0, BASE + 8, "c.jal links pc + 2");
  assert.equal(m.cpu.pc, BASE + 10);
  m.cpu.x[10] = (BASE + 0x40) | 0;
  m.cpu.run(1);
  assert.equal(m.cpu.x[1] >>> 0, BASE + 12, "c.jalr links pc + 2");
  assert.equal(m.cpu.pc, BASE + 0x40);
});

Deno.test("an illegal 16-bit instruction traps with its 16 bits as tval; mepc keeps bit 1", () => {
  const m = machine();
  halves(m, 0, [C_NOP, 0x6001]); // c.nop; c.lui x0, 0 (reserved)
  m.cpu.writeCsr(0x305, BASE + 0x800);
  m.cpu.run(2);
  assert.equal(m.cpu.mcause, 2);
  assert.equal(m.cpu.mtval, 0x6001);
  assert.equal(m.cpu.mepc, BASE + 2);
  m.cpu.writeCsr(0x341, BASE + 7);
  assert.equal(m.cpu.readCsr(0x341), BASE + 6);
});

Deno.test("a store over compressed code is seen (self-modifying code)", () => {
  const m = machine();
  halves(m, 0x100, [0x4515, 0x8082]); // c.li a0, 5; c.ret
  m.cpu.pc = BASE + 0x100;
  m.cpu.x[1] = BASE + 0x100;
  m.cpu.run(2);
  assert.equal(m.cpu.x[10], 5);
  // sh a1, 0x100(x0 + BASE): rewrite the first instruction into c.li a0, 9.
  m.ram.u8.set([0x23, 0x10, 0xb6, 0x10], 0); // sh a1, 0x100(a2)
  m.cpu.x[12] = BASE;
  m.cpu.x[11] = 0x4525; // c.li a0, 9
  m.cpu.pc = BASE;
  m.cpu.run(1);
  m.cpu.pc = BASE + 0x100;
  m.cpu.run(2);
  assert.equal(m.cpu.x[10], 9);
});

Deno.test("a 32-bit instruction across a page boundary runs; its second page can fault", () => {
  const m = machine();
  // addi a0, x0, 123 at 0xffe: low half in page 0, high half in page 1.
  m.ram.u8.set([0x13, 0x05, 0xb0, 0x07], 0xffe);
  m.cpu.pc = BASE + 0xffe;
  m.cpu.run(1);
  assert.equal(m.cpu.x[10], 123);
  assert.equal(m.cpu.pc, BASE + 0x1002);
  assert.equal(m.cpu.instret, 1);
  // Paged: map virtual 0x1000 -> RAM 0x3000 (X) and leave 0x2000 unmapped.
  const { V, R, X, A, D } = PTE;
  const i32 = m.ram.i32;
  const ROOT = 0x10000, L0 = 0x11000;
  i32[(ROOT >> 2) + 0x200] = (((BASE >>> 12) << 10) | V | R | X | A | D) >>> 0;
  i32[ROOT >> 2] = (((BASE + L0) >>> 12) << 10) | V;
  i32[(L0 >> 2) + 1] = (((BASE + 0x3000) >>> 12) << 10) | V | R | X | A | D;
  m.ram.u8.set([0x13, 0x05, 0x80, 0x3e], 0x3ffe); // addi a0, x0, 1000
  m.cpu.writeCsr(0x180, (0x8000_0000 | ((BASE + ROOT) >>> 12)) >>> 0);
  m.cpu.writeCsr(0x305, BASE + 0x800);
  m.cpu.priv = PRIV.S;
  m.cpu.pc = 0x1ffe;
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 12, "fetch page fault");
  assert.equal(m.cpu.mepc, 0x1ffe, "epc = the instruction");
  assert.equal(m.cpu.mtval, 0x2000, "tval = the second page");
  // Map the second page: it now runs.
  i32[(L0 >> 2) + 2] = (((BASE + 0x4000) >>> 12) << 10) | V | R | X | A | D;
  m.ram.u8.set([0x13, 0x05, 0x80, 0x3e], 0x3ffe);
  m.ram.u8.set([0x13, 0x05, 0x80, 0x3e].slice(2), 0x4000);
  m.cpu.mmu.flush();
  m.cpu.priv = PRIV.S;
  m.cpu.pc = 0x1ffe;
  m.cpu.run(1);
  assert.equal(m.cpu.x[10], 1000);
});

Deno.test("misaligned loads and stores of RAM in hardware; AMOs still trap", () => {
  const m = machine([
    asm.lw(5, 10, 1),
    asm.sw(6, 10, 7),
    asm.lh(7, 10, 3),
    asm.amo(0, 8, 9, 10),
  ]);
  m.cpu.writeCsr(0x305, BASE + 0x800);
  m.ram.u8.set([1, 2, 3, 4, 5, 6, 7, 8], 0x400);
  m.cpu.x[10] = BASE + 0x400;
  m.cpu.x[6] = 0x11223344;
  m.cpu.x[9] = BASE + 0x402;
  m.cpu.run(3);
  assert.equal(m.cpu.x[5], 0x05040302);
  assert.deepEqual([...m.ram.u8.subarray(0x407, 0x40b)], [0x44, 0x33, 0x22, 0x11]);
  assert.equal(m.cpu.x[7], 0x0504);
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 6, "misaligned AMO");
  assert.equal(m.cpu.mtval, BASE + 0x402);
});

Deno.test("a misaligned access across a page boundary faults on the second page; stores are all-or-nothing", () => {
  const m = machine([asm.lw(5, 10, 0), asm.sw(6, 10, 0)]);
  const { V, R, W, X, A, D } = PTE;
  const i32 = m.ram.i32;
  const ROOT = 0x10000, L0 = 0x11000;
  i32[(ROOT >> 2) + 0x200] = (((BASE >>> 12) << 10) | V | R | W | X | A | D) >>> 0;
  i32[ROOT >> 2] = (((BASE + L0) >>> 12) << 10) | V;
  i32[(L0 >> 2) + 1] = (((BASE + 0x3000) >>> 12) << 10) | V | R | W | A | D; // 0x1000 only
  m.cpu.writeCsr(0x180, (0x8000_0000 | ((BASE + ROOT) >>> 12)) >>> 0);
  m.cpu.writeCsr(0x305, BASE + 0x800);
  m.ram.u8.set([0x11, 0x22, 0x33], 0x3ffd);
  m.cpu.priv = PRIV.S;
  m.cpu.x[10] = 0x1ffd;
  m.cpu.x[6] = -1;
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 13, "load page fault");
  assert.equal(m.cpu.mtval, 0x2000, "tval = first byte in the unmapped page");
  m.cpu.priv = PRIV.S;
  m.cpu.pc = BASE + 4;
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 15);
  assert.equal(m.cpu.mtval, 0x2000);
  assert.deepEqual([...m.ram.u8.subarray(0x3ffd, 0x4000)], [0x11, 0x22, 0x33], "nothing written");
});

Deno.test("compressed FP loads/stores with FS Off trap with their 16 bits as tval", () => {
  // The re-encoder inverts the expansion for all 16 384 C.F* encodings.
  let n = 0;
  for (let h = 0; h < 65536; h++) {
    if ((h & 3) === 3) continue;
    const e = expandCompressed(h) >>> 0;
    const opc = e & 0x7f;
    if (e === 0 || (opc !== 0x07 && opc !== 0x27)) continue;
    n++;
    const load = opc === 0x07, dbl = ((e >> 12) & 7) === 3;
    const freg = load ? (e >> 7) & 31 : (e >> 20) & 31;
    const off = load ? e >> 20 : ((e >> 25) << 5) | ((e >> 7) & 31);
    assert.equal(compressFpMemory(load, dbl, (e >> 15) & 31, freg, off), h);
  }
  assert.equal(n, 16384);
  const m = machine();
  halves(m, 0, [0x2418]); // c.fld f14, 8(s0)
  m.cpu.writeCsr(0x305, BASE + 0x800);
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 2);
  assert.equal(m.cpu.mtval, 0x2418);
});
