/* Macros for the bare-metal assembly tests, in the style of riscv-tests.
   The test number lives in gp (x3); failure reports (gp << 1) | 1 to tohost. */
#define TESTNUM gp

#define TEST_BEGIN                                   \
  .section .text.init, "ax", @progbits;              \
  .globl _start;                                     \
_start:                                              \
  la t0, _unexpected_trap;                           \
  csrw mtvec, t0;                                    \
  li TESTNUM, 0;

#define TEST_PASS                                    \
  fence;                                             \
  li t0, 1;                                          \
  la t1, tohost;                                     \
  sw t0, 0(t1);                                      \
1: j 1b;

#define TEST_FAIL_CODE                               \
fail:                                                \
  fence;                                             \
  slli t0, TESTNUM, 1;                               \
  ori t0, t0, 1;                                     \
  la t1, tohost;                                     \
  sw t0, 0(t1);                                      \
1: j 1b;                                             \
  .align 2;                                          \
_unexpected_trap:                                    \
  li TESTNUM, 1000;                                  \
  j fail;

#define TEST_END                                     \
  TEST_FAIL_CODE                                     \
  .section .tohost, "aw", @progbits;                 \
  .align 6;                                          \
  .globl tohost;                                     \
tohost: .word 0; .word 0;                            \
  .align 6;                                          \
  .globl fromhost;                                   \
fromhost: .word 0; .word 0;

/* rd := a op b, expect result. */
#define TEST_RR(n, inst, result, a, b)               \
  li TESTNUM, n;                                     \
  li x11, a;                                         \
  li x12, b;                                         \
  inst x14, x11, x12;                                \
  li x7, result;                                     \
  bne x14, x7, fail;

#define TEST_IMM(n, inst, result, a, imm)            \
  li TESTNUM, n;                                     \
  li x11, a;                                         \
  inst x14, x11, imm;                                \
  li x7, result;                                     \
  bne x14, x7, fail;

/* Checks register reg equals value. */
#define TEST_EQ(n, reg, value)                       \
  li TESTNUM, n;                                     \
  li x7, value;                                      \
  bne reg, x7, fail;
