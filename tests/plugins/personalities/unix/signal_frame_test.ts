import assert from "node:assert/strict";
import {
  decodeSignalFrame,
  decodeSignalFrameFp,
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

Deno.test("frame carries the D state as Linux lays it out: f0..f31 at 416, fcsr at 672", () => {
  const fregs = new Float64Array(32).map((_, i) => i + 0.5);
  const bytes = encodeSignalFrame({
    regs: new Int32Array(32),
    pc: 0,
    info: { signo: 10, errno: 0, code: 0, pid: 5, uid: 0, status: 0, addr: 0 },
    savedMaskLo: 0,
    savedMaskHi: 0,
    fp: { regs: fregs, fcsr: 0x3f },
  });
  const v = new DataView(bytes.buffer);
  assert.equal(v.getFloat64(416, true), 0.5);
  assert.equal(v.getFloat64(416 + 8 * 31, true), 31.5);
  assert.equal(v.getUint32(672, true), 0x3f);
  // A handler edits f5 and fcsr in the frame; sigreturn reads them back.
  v.setFloat64(416 + 8 * 5, -1, true);
  v.setUint32(672, 0x20, true);
  const back = new Float64Array(32);
  assert.equal(decodeSignalFrameFp(bytes, back), 0x20);
  assert.equal(back[5], -1);
  assert.equal(back[6], 6.5);
  // A thread without FP state gets zeros.
  const none = encodeSignalFrame({
    regs: new Int32Array(32),
    pc: 0,
    info: { signo: 10, errno: 0, code: 0, pid: 5, uid: 0, status: 0, addr: 0 },
    savedMaskLo: 0,
    savedMaskHi: 0,
  });
  assert.ok(none.subarray(416, 944).every((b) => b === 0));
});
