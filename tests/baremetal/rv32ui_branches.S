#include "_test.h"
/* Branches and jumps: every condition taken and not taken, link registers. */
#define TEST_BR_TAKEN(n, inst, a, b) \
  li TESTNUM, n; li x11, a; li x12, b; inst x11, x12, 1f; j fail; 1:
#define TEST_BR_NOT(n, inst, a, b) \
  li TESTNUM, n; li x11, a; li x12, b; inst x11, x12, fail
TEST_BEGIN
  TEST_BR_TAKEN(2, beq, 5, 5)
  TEST_BR_NOT(3, beq, 5, 6)
  TEST_BR_TAKEN(4, bne, 5, 6)
  TEST_BR_NOT(5, bne, -1, -1)
  TEST_BR_TAKEN(6, blt, -1, 0)
  TEST_BR_NOT(7, blt, 0, -1)
  TEST_BR_NOT(8, blt, 3, 3)
  TEST_BR_TAKEN(9, bge, 0, -1)
  TEST_BR_TAKEN(10, bge, 3, 3)
  TEST_BR_NOT(11, bge, -1, 0)
  TEST_BR_TAKEN(12, bltu, 0, -1)
  TEST_BR_NOT(13, bltu, -1, 0)
  TEST_BR_TAKEN(14, bgeu, -1, 0)
  TEST_BR_NOT(15, bgeu, 0, -1)
  TEST_BR_TAKEN(16, bgeu, 7, 7)
  /* backward branch loop */
  li TESTNUM, 17
  li x11, 0
  li x12, 10
2: addi x11, x11, 1
  blt x11, x12, 2b
  li x7, 10
  bne x11, x7, fail
  /* jal links pc+4 */
  li TESTNUM, 18
  jal x1, 3f
4: j fail
3: la x7, 4b
  bne x1, x7, fail
  /* jalr with offset, clears bit 0, rd == rs1 */
  li TESTNUM, 19
  la x5, 5f
  addi x5, x5, -3
  jalr x5, 4(x5)
  j fail
  j fail
5: la x7, 5b
  addi x7, x7, -8
  bne x5, x7, fail
  TEST_PASS
TEST_END
