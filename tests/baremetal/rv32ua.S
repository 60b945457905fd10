#include "_test.h"
/* A extension: every AMO, LR/SC success and failure, misaligned AMO. */
#define TEST_AMO(n, inst, init, src, old, after) \
  li TESTNUM, n; la s0, word; li x11, init; sw x11, 0(s0); li x12, src; \
  inst x14, x12, (s0); li x7, old; bne x14, x7, fail; \
  lw x14, 0(s0); li x7, after; bne x14, x7, fail;
TEST_BEGIN
  la t0, trap
  csrw mtvec, t0
  TEST_AMO(2, amoswap.w, 0x11, 0x22, 0x11, 0x22)
  TEST_AMO(3, amoadd.w, 0x7fffffff, 1, 0x7fffffff, 0x80000000)
  TEST_AMO(4, amoxor.w, 0xff00ff00, 0x0ff00ff0, 0xff00ff00, 0xf0f0f0f0)
  TEST_AMO(5, amoand.w, 0xff00ff00, 0x0ff00ff0, 0xff00ff00, 0x0f000f00)
  TEST_AMO(6, amoor.w, 0xff00ff00, 0x0ff00ff0, 0xff00ff00, 0xfff0fff0)
  TEST_AMO(7, amomin.w, -5, 3, -5, -5)
  TEST_AMO(8, amomax.w, -5, 3, -5, 3)
  TEST_AMO(9, amominu.w, -5, 3, -5, 3)
  TEST_AMO(10, amomaxu.w, -5, 3, -5, -5)
  TEST_AMO(11, amoadd.w.aqrl, 1, 2, 1, 3)
  /* LR/SC success */
  li TESTNUM, 12
  la s0, word
  li x11, 100
  sw x11, 0(s0)
  lr.w x14, (s0)
  addi x14, x14, 1
  sc.w x15, x14, (s0)
  bnez x15, fail
  lw x14, 0(s0)
  li x7, 101
  bne x14, x7, fail
  /* SC without reservation fails and does not write */
  li TESTNUM, 13
  li x11, 7
  sc.w x15, x11, (s0)
  beqz x15, fail
  lw x14, 0(s0)
  li x7, 101
  bne x14, x7, fail
  /* SC to a different address than the LR fails */
  li TESTNUM, 14
  la s1, word2
  lr.w x14, (s0)
  sc.w x15, x11, (s1)
  beqz x15, fail
  /* the failed SC cleared the reservation */
  sc.w x15, x11, (s0)
  beqz x15, fail
  /* counter loop with lr/sc */
  li TESTNUM, 15
  sw x0, 0(s0)
  li x12, 50
1: lr.w x14, (s0)
  addi x14, x14, 1
  sc.w x15, x14, (s0)
  bnez x15, 1b
  addi x12, x12, -1
  bnez x12, 1b
  lw x14, 0(s0)
  li x7, 50
  bne x14, x7, fail
  /* misaligned AMO: store/AMO address misaligned (6) */
  li TESTNUM, 16
  li s4, 6
  addi x11, s0, 2
  amoadd.w x14, x12, (x11)
  j fail
  /* misaligned LR: load address misaligned (4) */
cont16:
  li TESTNUM, 17
  li s4, 4
  addi x11, s0, 1
  lr.w x14, (x11)
  j fail
cont17:
  TEST_PASS
  .align 2
trap:
  csrr t0, mcause
  bne t0, s4, fail
  csrr t0, mtval
  bne t0, x11, fail
  li t0, 16
  beq TESTNUM, t0, 1f
  la t0, cont17
  csrw mepc, t0
  mret
1: la t0, cont16
  csrw mepc, t0
  mret
TEST_END
  .data
  .align 4
word: .word 0
word2: .word 0
