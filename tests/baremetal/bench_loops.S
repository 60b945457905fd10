#include "_test.h"
/* CPU-bound loops for bench/cpu_bench.ts. `bench_iterations` (patched by the
   bench, small by default so the test suite stays fast) sets the trip count;
   `bench_kind` picks the loop: 0 arithmetic, 1 memory, 2 branchy. */
TEST_BEGIN
  la t0, bench_iterations
  lw s0, 0(t0)
  la t0, bench_kind
  lw t1, 0(t0)
  li a0, 0
  li a1, 1
  beqz t1, arith
  li t2, 1
  beq t1, t2, memory
  j branchy

arith:
  add a0, a0, a1
  xor a1, a1, a0
  slli a2, a0, 3
  sub a0, a0, a2
  addi a1, a1, 7
  srai a2, a2, 1
  or a0, a0, a2
  addi s0, s0, -1
  bnez s0, arith
  j done

memory:
  la s1, buffer
  li s2, 0
1:
  andi t3, s2, 1020
  add t4, s1, t3
  lw t5, 0(t4)
  add t5, t5, s2
  sw t5, 0(t4)
  lbu t6, 1(t4)
  add a0, a0, t6
  addi s2, s2, 4
  addi s0, s0, -1
  bnez s0, 1b
  j done

branchy:
  li s2, 0
1:
  andi t3, s2, 3
  beqz t3, 2f
  andi t4, s2, 5
  bltu t4, t3, 3f
  addi a0, a0, 1
  j 4f
2: addi a0, a0, 3
  j 4f
3: addi a0, a0, -1
4: addi s2, s2, 1
  addi s0, s0, -1
  bnez s0, 1b

done:
  TEST_PASS
  TEST_FAIL_CODE

  .data
  .align 4
  .globl bench_iterations
bench_iterations: .word 1000
  .globl bench_kind
bench_kind: .word 0
  .bss
  .align 12
buffer: .space 1024

  .section .tohost, "aw", @progbits
  .align 6
  .globl tohost
tohost: .word 0; .word 0
  .align 6
  .globl fromhost
fromhost: .word 0; .word 0
