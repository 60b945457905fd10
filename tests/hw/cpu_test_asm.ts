/**
 * Small RV32 instruction encoders and a machine builder for the CPU tests.
 *
 * @module
 */

import { Bus } from "../../hw/bus.ts";
import { SimClock } from "../../hw/clock.ts";
import { Cpu, type CpuConfig } from "../../hw/cpu.ts";
import { Ram } from "../../hw/ram.ts";

/** RAM base used by the tests. */
export const BASE = 0x8000_0000;

/** R-type encoder. */
export function rType(f7: number, rs2: number, rs1: number, f3: number, rd: number, op: number) {
  return ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
}
/** I-type encoder. */
export function iType(imm: number, rs1: number, f3: number, rd: number, op: number) {
  return (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
}
/** S-type encoder. */
export function sType(imm: number, rs2: number, rs1: number, f3: number, op: number) {
  return ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    ((imm & 31) << 7) | op) >>> 0;
}
/** B-type encoder (imm is the byte offset). */
export function bType(imm: number, rs2: number, rs1: number, f3: number) {
  return ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) |
    (f3 << 12) | (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63) >>> 0;
}
/** J-type encoder. */
export function jType(imm: number, rd: number) {
  return ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f) >>> 0;
}

/** Assembler-like helpers for the instructions the tests use. */
export const asm = {
  lui: (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x37) >>> 0,
  auipc: (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | 0x17) >>> 0,
  addi: (rd: number, rs1: number, imm: number) => iType(imm, rs1, 0, rd, 0x13),
  slti: (rd: number, rs1: number, imm: number) => iType(imm, rs1, 2, rd, 0x13),
  sltiu: (rd: number, rs1: number, imm: number) => iType(imm, rs1, 3, rd, 0x13),
  xori: (rd: number, rs1: number, imm: number) => iType(imm, rs1, 4, rd, 0x13),
  ori: (rd: number, rs1: number, imm: number) => iType(imm, rs1, 6, rd, 0x13),
  andi: (rd: number, rs1: number, imm: number) => iType(imm, rs1, 7, rd, 0x13),
  slli: (rd: number, rs1: number, sh: number) => iType(sh, rs1, 1, rd, 0x13),
  srli: (rd: number, rs1: number, sh: number) => iType(sh, rs1, 5, rd, 0x13),
  srai: (rd: number, rs1: number, sh: number) => iType(0x400 | sh, rs1, 5, rd, 0x13),
  r: (name: string, rd: number, rs1: number, rs2: number) => {
    const t: Record<string, [number, number]> = {
      add: [0, 0],
      sub: [0x20, 0],
      sll: [0, 1],
      slt: [0, 2],
      sltu: [0, 3],
      xor: [0, 4],
      srl: [0, 5],
      sra: [0x20, 5],
      or: [0, 6],
      and: [0, 7],
      mul: [1, 0],
      mulh: [1, 1],
      mulhsu: [1, 2],
      mulhu: [1, 3],
      div: [1, 4],
      divu: [1, 5],
      rem: [1, 6],
      remu: [1, 7],
    };
    const [f7, f3] = t[name];
    return rType(f7, rs2, rs1, f3, rd, 0x33);
  },
  lb: (rd: number, rs1: number, imm: number) => iType(imm, rs1, 0, rd, 0x03),
  lh: (rd: number, rs1: number, imm: number) => iType(imm, rs1, 1, rd, 0x03),
  lw: (rd: number, rs1: number, imm: number) => iType(imm, rs1, 2, rd, 0x03),
  lbu: (rd: number, rs1: number, imm: number) => iType(imm, rs1, 4, rd, 0x03),
  lhu: (rd: number, rs1: number, imm: number) => iType(imm, rs1, 5, rd, 0x03),
  sb: (rs2: number, rs1: number, imm: number) => sType(imm, rs2, rs1, 0, 0x23),
  sh: (rs2: number, rs1: number, imm: number) => sType(imm, rs2, rs1, 1, 0x23),
  sw: (rs2: number, rs1: number, imm: number) => sType(imm, rs2, rs1, 2, 0x23),
  beq: (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 0),
  bne: (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 1),
  blt: (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 4),
  bge: (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 5),
  bltu: (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 6),
  bgeu: (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 7),
  jal: (rd: number, off: number) => jType(off, rd),
  jalr: (rd: number, rs1: number, imm: number) => iType(imm, rs1, 0, rd, 0x67),
  amo: (f5: number, rd: number, rs1: number, rs2: number) => rType(f5 << 2, rs2, rs1, 2, rd, 0x2f),
  csrrw: (rd: number, csr: number, rs1: number) => iType(csr, rs1, 1, rd, 0x73),
  csrrs: (rd: number, csr: number, rs1: number) => iType(csr, rs1, 2, rd, 0x73),
  csrrc: (rd: number, csr: number, rs1: number) => iType(csr, rs1, 3, rd, 0x73),
  csrrwi: (rd: number, csr: number, zimm: number) => iType(csr, zimm, 5, rd, 0x73),
  csrrsi: (rd: number, csr: number, zimm: number) => iType(csr, zimm, 6, rd, 0x73),
  csrrci: (rd: number, csr: number, zimm: number) => iType(csr, zimm, 7, rd, 0x73),
  ecall: () => 0x00000073,
  ebreak: () => 0x00100073,
  mret: () => 0x30200073,
  sret: () => 0x10200073,
  wfi: () => 0x10500073,
  fence: () => 0x0ff0000f,
  fenceI: () => 0x0000100f,
  sfenceVma: (rs1: number, rs2: number) => rType(0x09, rs2, rs1, 0, 0, 0x73),
  nop: () => 0x00000013,
};

/** A CPU on a bare bus with `program` at {@link BASE}. */
export interface TestMachine {
  /** The hart. */
  cpu: Cpu;
  /** Its RAM (1 MiB). */
  ram: Ram;
  /** The bus. */
  bus: Bus;
  /** The clock. */
  clock: SimClock;
}

/** Builds a machine and loads `program` at {@link BASE}. */
export function machine(program: number[] = [], config: CpuConfig = {}): TestMachine {
  const ram = new Ram(BASE, 1 << 20);
  const bus = new Bus(ram);
  const clock = new SimClock();
  const cpu = new Cpu(bus, clock, config);
  load(ram, 0, program);
  return { cpu, ram, bus, clock };
}

/** Writes instruction words at RAM byte offset `off` (through Ram.load, so caches drop them). */
export function load(ram: Ram, off: number, words: number[]): void {
  const bytes = new Uint8Array(words.length * 4);
  const dv = new DataView(bytes.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  ram.load(off, bytes);
}
