import assert from "node:assert/strict";
import { DEFAULT_CYCLE_COSTS, PRIV, StopReason } from "../../hw/cpu.ts";
import { asm, BASE, load, machine } from "./cpu_test_asm.ts";

// Independent oracle: BigInt arithmetic on the spec's definitions.
const s32 = (v: bigint) => BigInt.asIntN(32, v);
const u32 = (v: bigint) => BigInt.asUintN(32, v);
const ORACLE: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => Number(s32(BigInt(a) + BigInt(b))),
  sub: (a, b) => Number(s32(BigInt(a) - BigInt(b))),
  sll: (a, b) => Number(s32(BigInt(a) << BigInt(b & 31))),
  slt: (a, b) => (a < b ? 1 : 0),
  sltu: (a, b) => (a >>> 0 < b >>> 0 ? 1 : 0),
  xor: (a, b) => a ^ b,
  srl: (a, b) => Number(s32(u32(BigInt(a)) >> BigInt(b & 31))),
  sra: (a, b) => Number(s32(BigInt(a) >> BigInt(b & 31))),
  or: (a, b) => a | b,
  and: (a, b) => a & b,
  mul: (a, b) => Number(s32(BigInt(a) * BigInt(b))),
  mulh: (a, b) => Number(s32((BigInt(a) * BigInt(b)) >> 32n)),
  mulhsu: (a, b) => Number(s32((BigInt(a) * u32(BigInt(b))) >> 32n)),
  mulhu: (a, b) => Number(s32((u32(BigInt(a)) * u32(BigInt(b))) >> 32n)),
  div: (a, b) => {
    if (b === 0) return -1;
    if (a === -0x8000_0000 && b === -1) return a;
    return Number(s32(BigInt(a) / BigInt(b)));
  },
  divu: (a, b) => (b === 0 ? -1 : Number(s32(u32(BigInt(a)) / u32(BigInt(b))))),
  rem: (a, b) => {
    if (b === 0) return a;
    if (a === -0x8000_0000 && b === -1) return 0;
    return Number(s32(BigInt(a) % BigInt(b)));
  },
  remu: (a, b) => (b === 0 ? a : Number(s32(u32(BigInt(a)) % u32(BigInt(b))))),
};

const EDGES = [0, 1, -1, 2, -2, 31, 32, 0x7fff_ffff, -0x8000_0000, 0x7fff, 0x8000, -0x8000, 7, -7];

function values(): [number, number][] {
  const out: [number, number][] = [];
  for (const a of EDGES) for (const b of EDGES) out.push([a, b]);
  let seed = 99;
  for (let i = 0; i < 60; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
    const a = seed;
    seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
    out.push([a, seed]);
  }
  return out;
}

Deno.test("R-type ALU and M-extension results match a BigInt oracle", () => {
  const m = machine();
  const pairs = values();
  for (const name of Object.keys(ORACLE)) {
    load(m.ram, 0, [asm.r(name, 3, 1, 2)]);
    for (const [a, b] of pairs) {
      m.cpu.pc = BASE;
      m.cpu.x[1] = a;
      m.cpu.x[2] = b;
      assert.equal(m.cpu.run(1), StopReason.BUDGET);
      assert.equal(m.cpu.x[3], ORACLE[name](a, b), `${name}(${a}, ${b})`);
      assert.equal(m.cpu.pc, BASE + 4);
    }
  }
});

Deno.test("I-type ALU with edge immediates", () => {
  const m = machine();
  const cases: [
    string,
    (rd: number, rs: number, imm: number) => number,
    (a: number, i: number) => number,
  ][] = [
    ["addi", asm.addi, (a, i) => (a + i) | 0],
    ["slti", asm.slti, (a, i) => (a < i ? 1 : 0)],
    ["sltiu", asm.sltiu, (a, i) => (a >>> 0 < i >>> 0 ? 1 : 0)],
    ["xori", asm.xori, (a, i) => a ^ i],
    ["ori", asm.ori, (a, i) => a | i],
    ["andi", asm.andi, (a, i) => a & i],
  ];
  for (const [name, enc, ref] of cases) {
    for (const imm of [0, 1, -1, 2047, -2048, 0x555, -0x556]) {
      load(m.ram, 0, [enc(5, 6, imm)]);
      for (const a of EDGES) {
        m.cpu.pc = BASE;
        m.cpu.x[6] = a;
        m.cpu.run(1);
        assert.equal(m.cpu.x[5], ref(a, imm), `${name}(${a}, ${imm})`);
      }
    }
  }
  for (const sh of [0, 1, 15, 31]) {
    load(m.ram, 0, [asm.slli(5, 6, sh), asm.srli(7, 6, sh), asm.srai(8, 6, sh)]);
    m.cpu.pc = BASE;
    m.cpu.x[6] = -0x7fff_0001;
    m.cpu.run(3);
    assert.equal(m.cpu.x[5], (-0x7fff_0001 << sh) | 0);
    assert.equal(m.cpu.x[7], (-0x7fff_0001 >>> sh) | 0);
    assert.equal(m.cpu.x[8], -0x7fff_0001 >> sh);
  }
});

Deno.test("x0 stays zero; LUI and AUIPC", () => {
  const m = machine([asm.addi(0, 0, 5), asm.lui(0, 0x12345), asm.lui(1, 0xfffff), asm.auipc(2, 1)]);
  m.cpu.run(4);
  assert.equal(m.cpu.x[0], 0);
  assert.equal(m.cpu.x[1], -4096);
  assert.equal(m.cpu.x[2] >>> 0, BASE + 12 + 4096);
});

Deno.test("loads sign- and zero-extend; stores write the right bytes", () => {
  const m = machine([
    asm.lb(1, 10, 0),
    asm.lbu(2, 10, 0),
    asm.lh(3, 10, 2),
    asm.lhu(4, 10, 2),
    asm.lw(5, 10, 4),
    asm.sb(11, 10, 9),
    asm.sh(11, 10, 10),
    asm.sw(11, 10, 12),
    asm.lw(6, 10, 8),
  ]);
  const data = 0x1000;
  m.ram.load(data, new Uint8Array([0x80, 0x01, 0xfe, 0xff, 0x78, 0x56, 0x34, 0x12]));
  m.cpu.x[10] = BASE + data;
  m.cpu.x[11] = 0x1234_abcd;
  m.cpu.run(9);
  assert.equal(m.cpu.x[1], -128);
  assert.equal(m.cpu.x[2], 0x80);
  assert.equal(m.cpu.x[3], -2);
  assert.equal(m.cpu.x[4], 0xfffe);
  assert.equal(m.cpu.x[5], 0x1234_5678);
  assert.equal(m.cpu.x[6] >>> 0, 0xabcd_cd00);
  assert.equal(m.ram.i32[(data + 12) >> 2], 0x1234_abcd);
});

Deno.test("branches, JAL and JALR (bit 0 cleared, rd == rs1)", () => {
  const m = machine([
    asm.beq(1, 2, 8), // not taken (1 != 2)
    asm.bne(1, 2, 8), // taken -> +12
    asm.addi(20, 0, 1), // skipped
    asm.blt(3, 1, 8), // -5 < 1 taken -> +20
    asm.addi(20, 0, 2),
    asm.bltu(3, 1, 8), // 0xfffffffb < 1 false
    asm.bgeu(3, 1, 8), // taken -> +32
    asm.addi(20, 0, 3),
    asm.jal(4, 8), // -> +40, x4 = +36
    asm.addi(20, 0, 4),
    asm.jalr(5, 5, 1), // x5 = target|1 -> target, x5 = link
  ]);
  m.cpu.x[1] = 1;
  m.cpu.x[2] = 2;
  m.cpu.x[3] = -5;
  m.cpu.x[5] = BASE + 0x0ff; // target (0xff + 1) & ~1 = 0x100
  m.cpu.run(7);
  assert.equal(m.cpu.x[20], 0);
  assert.equal(m.cpu.x[4] >>> 0, BASE + 36);
  assert.equal(m.cpu.x[5] >>> 0, BASE + 44);
  assert.equal(m.cpu.pc, BASE + 0x100);
});

Deno.test("illegal encodings trap with cause 2 and tval = the instruction", () => {
  for (
    const bits of [
      0x0000_0000,
      0xffff_ffff,
      asm.slli(1, 1, 0) | (1 << 25),
      0x0000_2063, /* branch funct3 2 */
    ]
  ) {
    const m = machine([bits >>> 0]);
    m.cpu.writeCsr(0x305, BASE + 0x800);
    m.cpu.run(1);
    assert.equal(m.cpu.mcause, 2);
    assert.equal(m.cpu.mtval, bits >>> 0);
    assert.equal(m.cpu.mepc, BASE);
    assert.equal(m.cpu.pc, BASE + 0x800);
    assert.equal(m.cpu.instret, 0, "a trapping instruction does not retire");
  }
});

Deno.test("AMOs and LR/SC", () => {
  const m = machine([
    asm.amo(0x00, 3, 10, 11), // amoadd
    asm.amo(0x10, 4, 10, 12), // amomin
    asm.amo(0x1c, 5, 10, 12), // amomaxu
    asm.amo(0x02, 6, 10, 0), // lr
    asm.amo(0x03, 7, 10, 11), // sc ok
    asm.amo(0x03, 8, 10, 11), // sc fails
  ]);
  m.ram.i32[0x1000 >> 2] = 10;
  m.cpu.x[10] = BASE + 0x1000;
  m.cpu.x[11] = 5;
  m.cpu.x[12] = -3;
  m.cpu.run(6);
  assert.equal(m.cpu.x[3], 10); // old
  assert.equal(m.cpu.x[4], 15); // old after add
  assert.equal(m.cpu.x[5], -3); // min(15, -3)
  assert.equal(m.cpu.x[6], -3); // maxu(-3, -3) = -3
  assert.equal(m.cpu.x[7], 0);
  assert.equal(m.cpu.x[8], 1);
  assert.equal(m.ram.i32[0x1000 >> 2], 5);
});

Deno.test("AMOs and LR/SC use the data TLB: one walk per page and access kind, not one per atomic", () => {
  const m = machine([
    asm.amo(0x00, 3, 10, 11), // 0: amoadd
    asm.amo(0x02, 6, 10, 0), // 4: lr
    asm.amo(0x03, 7, 10, 6), // 8: sc of the value LR read
    asm.addi(1, 1, 1),
    asm.bne(1, 2, -16), // to 0
  ]);
  m.cpu.x[10] = BASE + 0x1000;
  m.cpu.x[11] = 1;
  m.cpu.x[2] = 100;
  m.cpu.run(5 * 100);
  assert.equal(m.cpu.x[1], 100);
  assert.equal(m.ram.i32[0x1000 >> 2], 100);
  assert.equal(m.cpu.x[7], 0, "the last SC succeeded");
  // The fetch page, and the data page for loads and for stores.
  assert.ok(m.cpu.mmu.misses <= 3, `${m.cpu.mmu.misses} walks`);
});

Deno.test("a trap clears the LR reservation", () => {
  const m = machine([asm.amo(0x02, 6, 10, 0), asm.ecall()]);
  load(m.ram, 0x400, [asm.amo(0x03, 7, 10, 11)]);
  m.cpu.writeCsr(0x305, BASE + 0x400);
  m.cpu.x[10] = BASE + 0x1000;
  m.cpu.run(3);
  assert.equal(m.cpu.x[7], 1);
});

Deno.test("cycle costs: default table, custom table, taken-branch extra", () => {
  const prog = [asm.addi(1, 0, 3), asm.lw(2, 0, 0), asm.addi(1, 1, -1), asm.bne(1, 0, -4)];
  // lw from address 0 faults; use x0-relative load of RAM? Use a RAM pointer instead.
  prog[1] = asm.lw(2, 10, 0);
  const m = machine(prog);
  m.cpu.x[10] = BASE;
  m.cpu.run(8); // addi, lw, (addi, bne) x3
  const c = DEFAULT_CYCLE_COSTS;
  assert.equal(m.clock.now, c.alu + c.load + 3 * c.alu + 3 * c.branch + 2 * c.branchTaken);
  assert.equal(m.cpu.readCsr(0xc00), m.clock.now);
  assert.equal(m.cpu.instret, 8);
  const m2 = machine(prog, { cycleCosts: { alu: 5, branchTaken: 0 } });
  m2.cpu.x[10] = BASE;
  m2.cpu.run(8);
  assert.equal(m2.clock.now, 5 + c.load + 3 * 5 + 3 * c.branch);
  assert.throws(() => machine([], { cycleCosts: { div: 300 } }), /cycle cost div/);
});

Deno.test("code cache: host writes and guest stores replace decoded instructions", () => {
  const m = machine([asm.addi(1, 0, 1), asm.jal(0, -4)]);
  m.cpu.run(2);
  assert.equal(m.cpu.x[1], 1);
  load(m.ram, 0, [asm.addi(1, 0, 2)]); // Ram.load notifies the CPU
  m.cpu.run(2);
  assert.equal(m.cpu.x[1], 2);
  m.ram.i32[0] = asm.addi(1, 0, 3); // raw write: kernel must call invalidateCode
  m.cpu.invalidateCode(BASE, 4);
  m.cpu.run(2);
  assert.equal(m.cpu.x[1], 3);
  // Guest store into the page it is executing: next pass runs the new code.
  const m2 = machine([asm.sw(11, 10, 12), asm.addi(1, 0, 1), asm.fenceI(), asm.addi(5, 0, 9)]);
  m2.cpu.x[10] = BASE;
  m2.cpu.x[11] = asm.addi(5, 0, 42);
  m2.cpu.run(4);
  assert.equal(m2.cpu.x[5], 42);
});

Deno.test("misaligned load/store causes and tval (misaligned: trap); odd pc", () => {
  const m = machine([asm.lw(1, 10, 1), asm.sh(1, 10, 3), asm.addi(0, 0, 0)], {
    misaligned: "trap",
  });
  m.cpu.writeCsr(0x305, BASE + 0x800);
  load(m.ram, 0x800, [
    asm.csrrs(20, 0x341, 0),
    asm.addi(20, 20, 4),
    asm.csrrw(0, 0x341, 20),
    asm.mret(),
  ]);
  m.cpu.x[10] = BASE + 0x100;
  const causes: number[] = [];
  const tvals: number[] = [];
  for (let i = 0; i < 2; i++) {
    m.cpu.run(1);
    causes.push(m.cpu.mcause);
    tvals.push(m.cpu.mtval);
    m.cpu.run(4);
  }
  // A host-set odd pc is a misaligned fetch.
  m.cpu.pc = BASE + 0x101;
  m.cpu.run(1);
  causes.push(m.cpu.mcause);
  tvals.push(m.cpu.mtval);
  assert.deepEqual(causes, [4, 6, 0]);
  assert.deepEqual(tvals, [BASE + 0x101, BASE + 0x103, BASE + 0x101]);
});

Deno.test("accesses to holes give access faults; host is never hurt", () => {
  const m = machine([asm.lw(1, 10, 0), asm.sw(1, 10, 0), asm.amo(0, 1, 11, 1)]);
  m.cpu.writeCsr(0x305, BASE + 0x800);
  load(m.ram, 0x800, [
    asm.csrrs(20, 0x341, 0),
    asm.addi(20, 20, 4),
    asm.csrrw(0, 0x341, 20),
    asm.mret(),
  ]);
  m.cpu.x[10] = 0x4000_0000;
  m.cpu.x[11] = BASE + (1 << 20); // just past RAM
  const causes: number[] = [];
  for (let i = 0; i < 3; i++) {
    m.cpu.run(1);
    causes.push(m.cpu.mcause);
    m.cpu.run(4);
  }
  assert.deepEqual(causes, [5, 7, 7]);
  // Fetch from a hole.
  m.cpu.pc = 0x4000_0000;
  m.cpu.run(1);
  assert.equal(m.cpu.mcause, 1);
  assert.equal(m.cpu.mtval, 0x4000_0000);
  assert.equal(m.cpu.priv, PRIV.M);
});
