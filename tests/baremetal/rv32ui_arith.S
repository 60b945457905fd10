#include "_test.h"
TEST_BEGIN
  TEST_RR(2, add, 0x00000000, 0x00000000, 0x00000000)
  TEST_RR(3, add, 0xffff8000, 0x00000000, 0xffff8000)
  TEST_RR(4, add, 0x80000000, 0x7fffffff, 0x00000001)
  TEST_RR(5, sub, 0xfffffffe, 0xffffffff, 0x00000001)
  TEST_RR(6, sub, 0x7fffffff, 0x80000000, 0x00000001)
  TEST_RR(7, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR(8, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR(9, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR(10, sll, 0x80000000, 0x00000001, 31)
  TEST_RR(11, sll, 0x00000002, 0x00000001, 33)
  TEST_RR(12, srl, 0x00000001, 0x80000000, 31)
  TEST_RR(13, sra, 0xffffffff, 0x80000000, 31)
  TEST_RR(14, sra, 0xc0000000, 0x80000000, 0xffffffe1)
  TEST_RR(15, slt, 1, 0x80000000, 0x7fffffff)
  TEST_RR(16, sltu, 0, 0x80000000, 0x7fffffff)
  TEST_RR(17, sltu, 1, 0, 1)
  TEST_IMM(18, addi, 0x7ffff800 + 0x7ff, 0x7ffff800, 0x7ff)
  TEST_IMM(19, addi, 0xfffff800, 0, -2048)
  TEST_IMM(20, andi, 0xff00ff00, 0xff00ff00, -0xf1)
  TEST_IMM(21, ori, 0x00ff07ff, 0x00ff00ff, 0x70f)
  TEST_IMM(22, xori, 0xff00f00f, 0x00ff0f00, -0xf1)
  TEST_IMM(23, slti, 1, 0xffffffff, 0)
  TEST_IMM(24, sltiu, 0, 0xffffffff, -1)
  TEST_IMM(25, sltiu, 1, 5, -1)
  TEST_IMM(26, slli, 0x80000000, 1, 31)
  TEST_IMM(27, srli, 0x00010000, 0x80000000, 15)
  TEST_IMM(28, srai, 0xffff0000, 0x80000000, 15)
  /* lui / auipc */
  li TESTNUM, 29
  lui x14, 0x80000
  li x7, 0x80000000
  bne x14, x7, fail
  li TESTNUM, 30
1: auipc x14, 0
  la x7, 1b
  bne x14, x7, fail
  /* x0 is hardwired */
  li TESTNUM, 31
  li x0, 5
  addi x14, x0, 0
  bnez x14, fail
  TEST_PASS
TEST_END
