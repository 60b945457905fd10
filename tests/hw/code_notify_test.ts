/**
 * The decoded-code cache and writes the host makes into RAM (the kernel's
 * copies into guest buffers notify them through `Ram.notifyWrite`): a
 * one-byte write inside a page with decoded code drops the instruction it
 * overlaps, under both engines, and a write into a page without decoded
 * code leaves the decoded code of other pages in place.
 */
import assert from "node:assert/strict";
import { BASE, machine } from "./cpu_test_asm.ts";

const ADDI_A0_5 = 0x00500513; // addi a0, x0, 5
const RET = 0x00008067; // jalr x0, 0(ra)

for (const engine of ["interp", "jit"] as const) {
  Deno.test(`${engine}: a notified one-byte write over decoded code is seen`, () => {
    const m = machine([], { engine, hotThreshold: 1 });
    m.ram.i32[0x100 >> 2] = ADDI_A0_5;
    m.ram.i32[0x104 >> 2] = RET;
    m.ram.notifyWrite(0x100, 8);
    const call = () => {
      m.cpu.x[1] = BASE + 0x100; // ret comes back to the addi
      m.cpu.pc = BASE + 0x100;
      m.cpu.run(2);
      return m.cpu.x[10];
    };
    for (let i = 0; i < 4; i++) assert.equal(call(), 5);
    // Byte 2 of the addi holds the low bits of its immediate: 5 -> 9.
    m.ram.u8[0x102] = 0x90;
    // A write into another page (no decoded code there) is told too: nothing changes.
    m.ram.u8[0x3000] = 1;
    m.ram.notifyWrite(0x3000, 1);
    assert.equal(call(), 5, "the write to the code page is not told yet");
    m.ram.notifyWrite(0x102, 1);
    assert.equal(call(), 9);
  });
}
