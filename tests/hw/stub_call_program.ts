/**
 * The stub-call loop two translator tests run (`jit_switch_test.ts`,
 * `translator_chain_test.ts`): a U-mode loop at `VA` calls a stub on the
 * next page (`auipc; jalr`), the stub sets a7, makes an `ecall`, adds one
 * to a0 and returns; the loop adds the answer into x7, stores it on the
 * data page at `VA + 0x2000` and counts to `LOOPS`, then spins at `END`.
 */

import { asm } from "./cpu_test_asm.ts";

/** Registers the tests read: a0, a7 and ra. */
export const A0 = 10, A7 = 17, RA = 1;
/** Calls the loop makes. */
export const LOOPS = 1500;
/** Virtual base of the loop's page (the stub page follows, then the data page). */
export const VA = 0x0040_0000;
/** Leaf PTE flags of every page: V R W X U A D. */
export const PTE = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x40 | 0x80;
/** Where the loop ends (a jump to itself). */
export const END = VA + 36;

/** The loop. */
export const PROGRAM: number[] = [
  asm.addi(5, 0, 0), // 0
  asm.addi(6, 0, LOOPS), // 4
  asm.lui(8, (VA + 0x2000) >>> 12), // 8: data
  asm.auipc(RA, 1), // 12: loop
  asm.jalr(RA, RA, -12), // 16: call VA + 0x1000
  asm.r("add", 7, 7, A0), // 20
  asm.sw(7, 8, 0), // 24
  asm.addi(5, 5, 1), // 28
  asm.bne(5, 6, -20), // 32: to 12
  asm.jal(0, 0), // 36: the end
];

/** The stub: a7 = i + 1, ecall, a0 += 1, return. */
export const STUB_CODE: number[] = [
  asm.addi(A7, 5, 1),
  asm.ecall(),
  asm.addi(A0, A0, 1),
  asm.jalr(0, RA, 0),
];
