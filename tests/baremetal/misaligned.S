#include "_test.h"
/* Run with misaligned: "trap": misaligned loads and stores raise the
   address-misaligned exceptions with tval = the address. Jump targets only
   need 2-byte alignment (the C extension is implemented). */
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
  /* With C, jumps and branches to 2-byte aligned targets are legal: a
     jalr to x6 + 2 lands in the middle of a 4-byte slot holding c.li. */
  li TESTNUM, 9
  la x6, 2f
  jalr x9, 2(x6)
  j fail
  .align 2
2: .half 0x0001 /* c.nop */
  .half 0x4495 /* c.li x9, 5 */
  li x7, 5
  bne x9, x7, fail
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
