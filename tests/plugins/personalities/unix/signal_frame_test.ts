import assert from "node:assert/strict";
import {
  decodeSignalFrame,
  encodeSignalFrame,
  placeSignalFrame,
  SIGFRAME,
  TRAMPOLINE_ECALL,
  TRAMPOLINE_LI_A7,
} from "../../../../plugins/personalities/unix/signal_frame.ts";

Deno.test("rt_sigframe offsets match the riscv ucontext layout", () => {
  // Offsets checked against clang --target=riscv32 on the uapi structs.
  assert.equal(SIGFRAME.UC, 128);
  assert.equal(SIGFRAME.UC_SIGMASK, 148);
  assert.equal(SIGFRAME.MCONTEXT, 288);
  assert.equal(SIGFRAME.FPREGS, 416);
  assert.equal(SIGFRAME.TRAMPOLINE, 944);
  assert.equal(SIGFRAME.SIZE % 16, 0);
});

Deno.test("trampoline is li a7,139; ecall", () => {
  assert.equal(TRAMPOLINE_LI_A7, 0x08b00893);
  assert.equal(TRAMPOLINE_ECALL, 0x73);
});

Deno.test("placement is 16-aligned below sp", () => {
  const p = placeSignalFrame(0x7fff_fe9c);
  assert.equal(p.frame % 16, 0);
  assert.ok(p.frame + SIGFRAME.SIZE <= 0x7fff_fe9c);
  assert.ok(0x7fff_fe9c - p.frame < SIGFRAME.SIZE + 16);
  assert.equal(p.trampoline, p.frame + 944);
  assert.equal(p.ucontextAddr, p.frame + 128);
});

Deno.test("frame encodes registers, pc, mask and round-trips", () => {
  const regs = new Int32Array(32).map((_, i) => i * 0x01010101);
  const bytes = encodeSignalFrame({
    regs,
    pc: 0x10234,
    info: { signo: 10, errno: 0, code: 0, pid: 5, uid: 0, status: 0, addr: 0 },
    savedMaskLo: 0x4000,
    savedMaskHi: 1,
  });
  const v = new DataView(bytes.buffer);
  assert.equal(v.getInt32(0, true), 10);
  assert.equal(v.getUint32(288, true), 0x10234);
  assert.equal(v.getInt32(288 + 4 * 2, true), regs[2]); // sp
  assert.equal(v.getInt32(288 + 4 * 31, true), regs[31]);
  assert.equal(v.getUint32(944, true), 0x08b00893);
  const out = new Int32Array(32).fill(-1);
  const ctx = decodeSignalFrame(bytes, out);
  assert.equal(ctx.pc, 0x10234);
  assert.equal(ctx.maskLo, 0x4000);
  assert.equal(ctx.maskHi, 1);
  assert.equal(out[0], 0);
  for (let i = 1; i < 32; i++) assert.equal(out[i], regs[i]);
});
