#include "_test.h"
/* Loads with sign/zero extension, stores of every width, offsets. */
TEST_BEGIN
  la s0, data
  li TESTNUM, 2
  lb x14, 0(s0)
  li x7, -1
  bne x14, x7, fail
  li TESTNUM, 3
  lbu x14, 0(s0)
  li x7, 0xff
  bne x14, x7, fail
  li TESTNUM, 4
  lh x14, 2(s0)
  li x7, 0xffff8001
  bne x14, x7, fail
  li TESTNUM, 5
  lhu x14, 2(s0)
  li x7, 0x8001
  bne x14, x7, fail
  li TESTNUM, 6
  lw x14, 4(s0)
  li x7, 0x12345678
  bne x14, x7, fail
  li TESTNUM, 7
  lb x14, 7(s0)
  li x7, 0x12
  bne x14, x7, fail
  li TESTNUM, 8
  la s1, data + 8
  lw x14, -4(s1)
  li x7, 0x12345678
  bne x14, x7, fail
  /* stores */
  li TESTNUM, 9
  la s2, scratch
  li x11, 0xaabbccdd
  sw x11, 0(s2)
  li x11, 0x11
  sb x11, 1(s2)
  lw x14, 0(s2)
  li x7, 0xaabb11dd
  bne x14, x7, fail
  li TESTNUM, 10
  li x11, 0x12345678
  sh x11, 2(s2)
  lw x14, 0(s2)
  li x7, 0x567811dd
  bne x14, x7, fail
  li TESTNUM, 11
  sb x11, 3(s2)
  lbu x14, 3(s2)
  li x7, 0x78
  bne x14, x7, fail
  /* load into x0 has no effect */
  li TESTNUM, 12
  lw x0, 0(s2)
  bnez x0, fail
  /* self-modifying code: store a new instruction, fence.i, run it */
  li TESTNUM, 13
  la s3, patch
  li x11, 0x02a00713 /* addi x14, x0, 42 */
  sw x11, 0(s3)
  fence.i
  li x14, 0
patch:
  addi x14, x0, 1
  li x7, 42
  bne x14, x7, fail
  TEST_PASS
TEST_END
  .data
  .align 4
data: .byte 0xff, 0x00, 0x01, 0x80, 0x78, 0x56, 0x34, 0x12
scratch: .word 0, 0
