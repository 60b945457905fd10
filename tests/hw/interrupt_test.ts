/**
 * End-to-end interrupts: a bare-metal M-mode guest (assembled below) enables
 * the PLIC, UART, CLINT timer and software interrupt, sleeps in `wfi`, and
 * logs what its trap handler sees: mcause, the PLIC claim, the received byte
 * and `time`.
 */
import assert from "node:assert/strict";
import { BufferConsole } from "../../hw/console_io.ts";
import { CAUSE_INTERRUPT, CSR, IRQ_CAUSE } from "../../hw/csr.ts";
import { StopReason } from "../../hw/cpu.ts";
import { createMachine } from "../../hw/machine.ts";
import { IRQ, MEMORY_MAP } from "../../hw/memory_map.ts";

// --- a tiny two-pass assembler for the few instructions this test needs ---

type Emit = (pc: number, labels: Map<string, number>) => number;
type Item = string | Emit;

const R = {
  zero: 0,
  t0: 5,
  t1: 6,
  t2: 7,
  s0: 8,
  s1: 9,
  a0: 10,
  a1: 11,
  a2: 12,
  a3: 13,
  a4: 14,
  t3: 28,
  t4: 29,
  t5: 30,
} as const;

const iType = (op: number, f3: number, rd: number, rs1: number, imm: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const sType = (f3: number, rs1: number, rs2: number, imm: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) |
    0x23) >>> 0;
const bType = (f3: number, rs1: number, rs2: number, off: number) =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) |
    (f3 << 12) | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63) >>> 0;
const jType = (rd: number, off: number) =>
  ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) |
    (((off >> 12) & 0xff) << 12) | (rd << 7) | 0x6f) >>> 0;

/** Refuses immediates that do not fit 12 signed bits (the mistake this assembler can make). */
function simm12(v: number): number {
  if (v < -2048 || v > 2047) throw new RangeError(`immediate ${v} does not fit 12 bits`);
  return v;
}

const lui = (rd: number, imm20: number): Emit => () =>
  (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x37) >>> 0;
const addi = (rd: number, rs1: number, imm: number): Emit => () =>
  iType(0x13, 0, rd, rs1, simm12(imm));
const lw = (rd: number, rs1: number, imm: number): Emit => () =>
  iType(0x03, 2, rd, rs1, simm12(imm));
const lbu = (rd: number, rs1: number, imm: number): Emit => () =>
  iType(0x03, 4, rd, rs1, simm12(imm));
const sw = (rs2: number, rs1: number, imm: number): Emit => () => sType(2, rs1, rs2, simm12(imm));
const sb = (rs2: number, rs1: number, imm: number): Emit => () => sType(0, rs1, rs2, simm12(imm));
const csrrw = (rd: number, csr: number, rs1: number): Emit => () => iType(0x73, 1, rd, rs1, csr);
const csrrs = (rd: number, csr: number, rs1: number): Emit => () => iType(0x73, 2, rd, rs1, csr);
const csrrsi = (csr: number, uimm: number): Emit => () => iType(0x73, 6, 0, uimm, csr);
const csrrci = (csr: number, uimm: number): Emit => () => iType(0x73, 7, 0, uimm, csr);
const csrrc = (rd: number, csr: number, rs1: number): Emit => () => iType(0x73, 3, rd, rs1, csr);
const mret: Emit = () => 0x3020_0073;
const sret: Emit = () => 0x1020_0073;
const wfi: Emit = () => 0x1050_0073;
const branch = (f3: number, rs1: number, rs2: number, label: string): Emit => (pc, l) =>
  bType(f3, rs1, rs2, l.get(label)! - pc);
const beq = (a: number, b: number, label: string) => branch(0, a, b, label);
const bne = (a: number, b: number, label: string) => branch(1, a, b, label);
const blt = (a: number, b: number, label: string) => branch(4, a, b, label);
const j = (label: string): Emit => (pc, l) => jType(0, l.get(label)! - pc);

/** `li rd, value` as lui + addi (always two instructions, to keep addresses simple). */
function li(rd: number, value: number): Emit[] {
  const lo = (value << 20) >> 20;
  const hi = ((value - lo) >>> 12) & 0xfffff;
  return [lui(rd, hi), addi(rd, rd, lo)];
}

/** `la rd, label` for a program at a known base: an absolute lui + addi. */
function la(rd: number, label: string): Emit[] {
  const split = (l: Map<string, number>) => {
    const v = l.get(label)!;
    const lo = (v << 20) >> 20;
    return [((v - lo) >>> 12) & 0xfffff, lo] as const;
  };
  return [
    (_pc, l) => lui(rd, split(l)[0])(0, l),
    (_pc, l) => iType(0x13, 0, rd, rd, split(l)[1]),
  ];
}

function assemble(base: number, items: (Item | Emit[])[]): Uint8Array {
  const flat: Item[] = items.flat();
  const labels = new Map<string, number>();
  let pc = base;
  for (const it of flat) {
    if (typeof it === "string") labels.set(it, pc);
    else pc += 4;
  }
  const words: number[] = [];
  pc = base;
  for (const it of flat) {
    if (typeof it === "string") continue;
    words.push(it(pc, labels));
    pc += 4;
  }
  return new Uint8Array(Uint32Array.from(words).buffer);
}

// --- the guest ---

const BASE = MEMORY_MAP.RAM_BASE;
const LOG = BASE + 0x1000; // handler log: 4 words per interrupt
const PLIC = MEMORY_MAP.PLIC_BASE;
const { t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, t3, t4, t5, zero } = R;

const MIE_BITS = (1 << IRQ_CAUSE.MSI) | (1 << IRQ_CAUSE.MTI) | (1 << IRQ_CAUSE.MEI);

const program = assemble(BASE, [
  la(t0, "handler"),
  csrrw(zero, CSR.mtvec, t0),
  li(s0, LOG),
  li(s1, 0),
  // PLIC: UART priority 1, enabled for context 0 (M), threshold 0.
  li(t1, PLIC),
  li(t2, 1),
  sw(t2, t1, 4 * IRQ.UART0),
  li(t3, PLIC + 0x2000),
  li(t2, 1 << IRQ.UART0),
  sw(t2, t3, 0),
  // UART: 8N1, receive interrupt on.
  li(t4, MEMORY_MAP.UART0_BASE),
  li(t2, 3),
  sb(t2, t4, 3),
  li(t2, 1),
  sb(t2, t4, 1),
  // CLINT: mtimecmp = 2000 (cycle 20000), high word first.
  li(t5, MEMORY_MAP.CLINT_BASE), // msip
  li(a4, MEMORY_MAP.CLINT_BASE + 0x4000), // mtimecmp
  sw(zero, a4, 4),
  li(t2, 2000),
  sw(t2, a4, 0),
  // Enable MSI, MTI, MEI, then global MIE; then raise our own software interrupt.
  li(t2, MIE_BITS),
  csrrw(zero, CSR.mie, t2),
  csrrsi(CSR.mstatus, 8),
  li(t2, 1),
  sw(t2, t5, 0),
  "loop",
  wfi,
  li(t0, 3),
  blt(s1, t0, "loop"),
  csrrci(CSR.mstatus, 8),
  "done",
  wfi, // nothing left to wait for: run() returns WFI
  j("done"),

  "handler",
  csrrs(a0, CSR.mcause, zero),
  csrrs(a3, CSR.time, zero),
  sw(a0, s0, 0),
  sw(a3, s0, 12),
  li(a1, 0),
  li(a2, 0),
  li(t0, (CAUSE_INTERRUPT | IRQ_CAUSE.MEI) | 0),
  bne(a0, t0, "not_mei"),
  li(t1, PLIC + 0x20_0000),
  lw(a1, t1, 4), // claim
  lbu(a2, t4, 0), // read RBR: the UART lowers its line
  sw(a1, t1, 4), // complete
  j("logged"),
  "not_mei",
  li(t0, (CAUSE_INTERRUPT | IRQ_CAUSE.MTI) | 0),
  bne(a0, t0, "not_mti"),
  li(t2, -1),
  sw(t2, a4, 4), // push mtimecmp out of reach
  j("logged"),
  "not_mti",
  li(t0, (CAUSE_INTERRUPT | IRQ_CAUSE.MSI) | 0),
  bne(a0, t0, "logged"),
  sw(zero, t5, 0), // clear msip
  "logged",
  sw(a1, s0, 4),
  sw(a2, s0, 8),
  addi(s0, s0, 16),
  addi(s1, s1, 1),
  mret,
]);

function runGuest() {
  const console = new BufferConsole("A");
  const m = createMachine({ ramSize: 1 << 20, console, rtcEpochNs: 0n });
  m.ram.load(0, program);
  let reason = -1;
  for (let i = 0; i < 100 && reason !== StopReason.WFI; i++) reason = m.cpu.run(10_000);
  const words = new Uint32Array(m.ram.u8.slice(0x1000, 0x1000 + 4 * 16).buffer);
  const log = [];
  for (let i = 0; i < 4; i++) {
    log.push({
      mcause: words[4 * i],
      claim: words[4 * i + 1],
      byte: words[4 * i + 2],
      time: words[4 * i + 3],
    });
  }
  return { m, reason, log };
}

Deno.test("interrupts: guest takes MSI, UART (via PLIC claim/complete) and timer interrupts", () => {
  const { m, reason, log } = runGuest();
  assert.equal(reason, StopReason.WFI);
  assert.deepEqual(
    log.map((e) => [e.mcause, e.claim, e.byte]),
    [
      [(CAUSE_INTERRUPT | IRQ_CAUSE.MSI) >>> 0, 0, 0],
      [(CAUSE_INTERRUPT | IRQ_CAUSE.MEI) >>> 0, IRQ.UART0, 0x41],
      [(CAUSE_INTERRUPT | IRQ_CAUSE.MTI) >>> 0, 0, 0],
      [0, 0, 0], // no fourth interrupt
    ],
  );
  // The receiver took the byte at cycle 0, under the reset LCR (5 data bits:
  // 7 bits on the line, 6077 cycles at 115200 baud); the guest set 8N1 before
  // it landed, so it reads 'A' intact, just after mtime 607.
  assert.ok(log[1].time >= 607 && log[1].time < 620, `UART at mtime ${log[1].time}`);
  // The timer handler runs at mtime 2000, or within a few instructions of it.
  assert.ok(log[2].time >= 2000 && log[2].time < 2010, `timer at mtime ${log[2].time}`);
  assert.equal(m.plic.counts[IRQ.UART0], 1);
  assert.equal(m.plic.claimed, 0);
  assert.equal(m.plic.pending, 0);
  assert.equal(m.clint.mtip, false);
  assert.equal(m.clint.msip, false);
});

Deno.test("interrupts: the same guest gives the same cycle-exact trace", () => {
  const a = runGuest();
  const b = runGuest();
  assert.deepEqual(a.log, b.log);
  assert.equal(a.m.clock.now, b.m.clock.now);
  assert.equal(a.m.cpu.instret, b.m.cpu.instret);
});

// A second guest: M-mode delegates supervisor external interrupts, drops to
// S-mode, and its S handler claims the UART from PLIC context 1 (SEIP).
const supervisorProgram = assemble(BASE, [
  la(t0, "mtrap"),
  csrrw(zero, CSR.mtvec, t0),
  la(t0, "strap"),
  csrrw(zero, CSR.stvec, t0),
  li(s0, LOG),
  li(s1, 0),
  li(t2, 1 << IRQ_CAUSE.SEI),
  csrrw(zero, CSR.mideleg, t2),
  li(t1, PLIC),
  li(t2, 1),
  sw(t2, t1, 4 * IRQ.UART0),
  li(t3, PLIC + 0x2080), // context 1 enables
  li(t2, 1 << IRQ.UART0),
  sw(t2, t3, 0),
  li(t4, MEMORY_MAP.UART0_BASE),
  li(t2, 3),
  sb(t2, t4, 3),
  li(t2, 1),
  sb(t2, t4, 1),
  li(t2, 1 << IRQ_CAUSE.SEI),
  csrrw(zero, CSR.sie, t2),
  csrrsi(CSR.sstatus, 2), // SIE
  li(t2, 0x1800),
  csrrc(zero, CSR.mstatus, t2),
  li(t2, 0x0800), // MPP = S
  csrrs(zero, CSR.mstatus, t2),
  la(t0, "s_main"),
  csrrw(zero, CSR.mepc, t0),
  mret,
  "s_main",
  wfi,
  beq(s1, zero, "s_main"),
  "s_done",
  wfi,
  j("s_done"),
  "strap",
  csrrs(a0, CSR.scause, zero),
  li(t1, PLIC + 0x20_1000), // context 1 threshold; claim at +4
  lw(a1, t1, 4),
  lbu(a2, t4, 0),
  sw(a1, t1, 4),
  sw(a0, s0, 0),
  sw(a1, s0, 4),
  sw(a2, s0, 8),
  addi(s0, s0, 16),
  addi(s1, s1, 1),
  sret,
  "mtrap", // not expected: record mcause with a marker and stop
  csrrs(a0, CSR.mcause, zero),
  li(t2, 0x0bad),
  sw(t2, s0, 4),
  sw(a0, s0, 0),
  "m_dead",
  wfi,
  j("m_dead"),
]);

Deno.test("interrupts: S-mode guest claims the UART from PLIC context 1 via SEIP", () => {
  const m = createMachine({ ramSize: 1 << 20, console: new BufferConsole("s"), rtcEpochNs: 0n });
  m.ram.load(0, supervisorProgram);
  let reason = -1;
  for (let i = 0; i < 100 && reason !== StopReason.WFI; i++) reason = m.cpu.run(10_000);
  assert.equal(reason, StopReason.WFI);
  const w = new Uint32Array(m.ram.u8.slice(0x1000, 0x1000 + 32).buffer);
  assert.deepEqual([...w.subarray(0, 3)], [
    (CAUSE_INTERRUPT | IRQ_CAUSE.SEI) >>> 0,
    IRQ.UART0,
    0x73,
  ]);
  assert.equal(w[4], 0); // exactly one interrupt
  assert.equal(m.cpu.priv, 1);
  assert.equal(m.plic.counts[IRQ.UART0], 1);
  assert.equal(m.plic.claimed, 0);
});
