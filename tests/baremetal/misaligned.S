#include "_test.h"
/* Misaligned accesses raise address-misaligned exceptions (no emulation):
   tval = the address; misaligned jump/branch targets raise cause 0 on the
   jump itself, with tval = target, and leave rd unchanged. */
#define EXPECT(cause, resume) li s4, cause; la s5, resume
TEST_BEGIN
  la t0, mhandler
  csrw mtvec, t0
  la s0, data
  li TESTNUM, 2
  EXPECT(4, 1f)
  addi s6, s0, 1
  lw x14, 1(s0)
  j fail
1:
  li TESTNUM, 3
  EXPECT(4, 1f)
  addi s6, s0, 3
  lh x14, 3(s0)
  j fail
1:
  li TESTNUM, 4
  EXPECT(4, 1f)
  addi s6, s0, 1
  lhu x14, 1(s0)
  j fail
1:
  li TESTNUM, 5
  EXPECT(6, 1f)
  addi s6, s0, 2
  sw x0, 2(s0)
  j fail
1:
  li TESTNUM, 6
  EXPECT(6, 1f)
  addi s6, s0, 5
  sh x0, 5(s0)
  j fail
1:
  /* stores did not happen */
  li TESTNUM, 7
  lw x14, 0(s0)
  li x7, 0x04030201
  bne x14, x7, fail
  lw x14, 4(s0)
  li x7, 0x08070605
  bne x14, x7, fail
  /* byte accesses at any address are fine; halfword at 2 is fine */
  li TESTNUM, 8
  lbu x14, 3(s0)
  li x7, 4
  bne x14, x7, fail
  lhu x14, 2(s0)
  li x7, 0x0403
  bne x14, x7, fail
  /* jalr to a 2-aligned target: cause 0, tval = target, rd unchanged */
  li TESTNUM, 9
  EXPECT(0, 1f)
  la x6, 2f
  addi s6, x6, 2
  li x9, 77
  la s7, 3f
3: jalr x9, 2(x6)
  j fail
2: j fail
1:
  li x7, 77
  bne x9, x7, fail
  mv x14, s8 /* mepc at trap entry */
  bne x14, s7, fail
  /* taken branch to pc + 6 */
  li TESTNUM, 10
  EXPECT(0, 1f)
  la s7, 3f
  addi s6, s7, 6
3: .word 0x00000363 /* beq x0, x0, .+6 */
  j fail
  j fail
1:
  mv x14, s8 /* mepc at trap entry */
  bne x14, s7, fail
  /* not-taken branch with a misaligned target is fine */
  li TESTNUM, 11
  .word 0x00001363 /* bne x0, x0, .+6 (never taken) */
  j 1f
1:
  /* jal to pc + 6 */
  li TESTNUM, 12
  EXPECT(0, 1f)
  la s7, 3f
  addi s6, s7, 6
3: .word 0x0060006f /* jal x0, .+6 */
  j fail
  j fail
1:
  TEST_PASS
  .align 2
mhandler:
  csrr s8, mepc
  csrr t0, mcause
  bne t0, s4, fail
  csrr t0, mtval
  bne t0, s6, fail
  csrw mepc, s5
  mret
TEST_END
  .data
  .align 4
data: .byte 1, 2, 3, 4, 5, 6, 7, 8
