#include "_test.h"
/* Timer interrupts: Sstc (stimecmp) taken in M, then delegated to S, and the
   CLINT's mtimecmp (machine timer), all woken from wfi. */
#define STIMECMP 0x14d
#define STIMECMPH 0x15d
#define MENVCFGH 0x31a
#define CLINT_MTIMECMP 0x02004000
TEST_BEGIN
  la t0, mhandler
  csrw mtvec, t0
  li s2, 0 /* interrupts seen */
  /* stimecmp is illegal-free in M; STCE on */
  li t0, 1 << 31
  csrs MENVCFGH, t0
  /* 2: stimecmp in the past -> STIP pending at once */
  li TESTNUM, 2
  csrw STIMECMPH, x0
  csrw STIMECMP, x0
  csrr x14, mip
  andi x14, x14, 0x20
  beqz x14, fail
  /* software cannot clear STIP while Sstc drives it */
  li t0, 0x20
  csrc mip, t0
  csrr x14, mip
  andi x14, x14, 0x20
  beqz x14, fail
  /* 3: stimecmp = time + 100 -> not pending; wfi wakes with STI in M */
  li TESTNUM, 3
  li t0, -1
  csrw STIMECMPH, t0
  csrr t1, time
  addi t1, t1, 100
  csrw STIMECMP, t1
  csrw STIMECMPH, x0
  csrr x14, mip
  andi x14, x14, 0x20
  bnez x14, fail
  li t0, 0x20
  csrs mie, t0
  li s4, 0x80000005
  csrsi mstatus, 8
1: wfi
  beqz s2, 1b
  csrr t1, time
  csrr t2, STIMECMP
  bltu t1, t2, fail
  /* 4: delegated to S: S handler sees scause = STI */
  li TESTNUM, 4
  li s2, 0
  li t0, 0x20
  csrs mideleg, t0
  la t0, shandler
  csrw stvec, t0
  li t0, 0x1800
  csrc mstatus, t0
  li t0, 0x800
  csrs mstatus, t0
  li t0, 7
  csrw mcounteren, t0
  la t0, s_code
  csrw mepc, t0
  mret
s_code:
  li t0, -1
  csrw STIMECMPH, t0
  csrr t1, time
  addi t1, t1, 50
  csrw STIMECMP, t1
  csrw STIMECMPH, x0
  csrsi sstatus, 2
1: wfi
  beqz s2, 1b
  ecall /* back to M */
s_back:
  /* 5: CLINT mtimecmp -> MTI in M */
  li TESTNUM, 5
  li s2, 0
  li s4, 0x80000007
  li t0, 0x80
  csrs mie, t0
  li t3, CLINT_MTIMECMP
  li t0, -1
  sw t0, 4(t3)
  csrr t1, time
  addi t1, t1, 30
  sw t1, 0(t3)
  sw x0, 4(t3)
  csrsi mstatus, 8
1: wfi
  beqz s2, 1b
  TEST_PASS

  .align 2
mhandler:
  csrr t0, mcause
  li t1, 9
  beq t0, t1, from_s
  bne t0, s4, fail
  addi s2, s2, 1
  /* silence the source */
  li t0, -1
  csrw STIMECMPH, t0
  li t3, CLINT_MTIMECMP
  sw t0, 4(t3)
  mret
from_s:
  la t0, s_back
  csrw mepc, t0
  li t0, 0x1800
  csrs mstatus, t0
  mret

  .align 2
shandler:
  csrr t0, scause
  li t1, 0x80000005
  bne t0, t1, fail
  addi s2, s2, 1
  li t0, -1
  csrw STIMECMPH, t0
  sret
TEST_END
