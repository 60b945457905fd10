/* Start-up for bare-metal C tests: stack, bss, main(), verdict to tohost
   (main returning 0 passes, n fails with code n). */
  .section .text.init, "ax", @progbits
  .globl _start
_start:
  la t0, _trap
  csrw mtvec, t0
#ifdef __riscv_flen
  li t0, 1 << 13 /* mstatus.FS = Initial: the FPU is usable */
  csrs mstatus, t0
#endif
  la sp, _stack_top
  la t0, __bss_start
  la t1, _end
1: bgeu t0, t1, 2f
  sw x0, 0(t0)
  addi t0, t0, 4
  j 1b
2: call main
  li t0, 1
  beqz a0, 3f
  slli t0, a0, 1
  ori t0, t0, 1
3: la t1, tohost
  sw t0, 0(t1)
4: j 4b

  .align 2
_trap: /* any trap fails with code 1000 + mcause */
  csrr t0, mcause
  addi t0, t0, 1000
  slli t0, t0, 1
  ori t0, t0, 1
  la t1, tohost
  sw t0, 0(t1)
5: j 5b

  .bss
  .align 4
  .space 16384
_stack_top:

  .section .tohost, "aw", @progbits
  .align 6
  .globl tohost
tohost: .word 0; .word 0
  .align 6
  .globl fromhost
fromhost: .word 0; .word 0
