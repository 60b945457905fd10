#include "_test.h"
/* Sv32 paging set up from M-mode and exercised from S and U: permissions,
   SUM, MXR, hardware A/D update, misaligned superpage, SFENCE.VMA, MPRV.
   Every trap goes to M; the handler checks mcause == s4 and mtval == s6,
   then resumes at s5 in S-mode. */
#define V 1
#define R 2
#define W 4
#define X 8
#define U 16
#define A 64
#define D 128
#define EXPECT(cause, resume, tval) li s4, cause; la s5, resume; li s6, tval
/* PTE for the physical address in reg (clobbers t1) */
#define MKPTE(dst, reg, flags) srli t1, reg, 12; slli t1, t1, 10; ori dst, t1, flags
#define VA0 0x00400000

TEST_BEGIN
  la t0, mhandler
  csrw mtvec, t0
  /* root[0x200] = 4 MiB identity superpage over the program (S only) */
  la s0, root
  li t0, 0x80000000
  MKPTE(t2, t0, V|R|W|X|A|D)
  li t3, 0x200 * 4
  add t3, s0, t3
  sw t2, 0(t3)
  /* root[1] -> l0 table (VA 0x00400000..) */
  la s1, l0
  MKPTE(t2, s1, V)
  sw t2, 4(s0)
  /* root[2] = misaligned superpage (ppn[0] != 0) */
  la t0, page_a
  MKPTE(t2, t0, V|R|W|A|D)
  sw t2, 8(s0)
  /* l0[0] = page_a U RW; l0[1] = page_a U R; l0[2] = page_a U X only;
     l0[3] invalid; l0[4] = page_b U RW with A = D = 0; l0[5] = W without R (reserved);
     l0[6] = ucode U RX */
  la t0, page_a
  MKPTE(t2, t0, V|R|W|U|A|D)
  sw t2, 0(s1)
  MKPTE(t2, t0, V|R|U|A|D)
  sw t2, 4(s1)
  MKPTE(t2, t0, V|X|U|A|D)
  sw t2, 8(s1)
  sw x0, 12(s1)
  la t0, page_b
  MKPTE(t2, t0, V|R|W|U)
  sw t2, 16(s1)
  MKPTE(t2, t0, V|W|U|A|D)
  sw t2, 20(s1)
  la t0, ucode
  MKPTE(t2, t0, V|R|X|U|A|D)
  sw t2, 24(s1)
  /* data */
  la t0, page_a
  li t2, 0x11223344
  sw t2, 0(t0)
  la t0, page_b
  li t2, 0x55667788
  sw t2, 0(t0)
  /* satp: mode 1, asid 5, root ppn */
  srli t0, s0, 12
  li t2, (1 << 31) | (5 << 22)
  or t0, t0, t2
  csrw satp, t0
  sfence.vma
  /* enter S at s_start */
  li t0, 0x1800
  csrc mstatus, t0
  li t0, 0x800
  csrs mstatus, t0
  la t0, s_start
  csrw mepc, t0
  mret

s_start:
  /* 2: S load from a U page without SUM -> load page fault */
  li TESTNUM, 2
  EXPECT(13, 1f, VA0)
  li x11, VA0
  lw x14, 0(x11)
  j fail
1:
  /* 3: with SUM it works */
  li TESTNUM, 3
  li t0, 1 << 18
  csrs sstatus, t0
  li x11, VA0
  lw x14, 0(x11)
  li x7, 0x11223344
  bne x14, x7, fail
  /* 4: store to read-only page -> store page fault */
  li TESTNUM, 4
  EXPECT(15, 1f, VA0 + 0x1008)
  li x11, VA0 + 0x1008
  sw x14, 0(x11)
  j fail
1:
  /* 5: load from execute-only page faults; with MXR it works */
  li TESTNUM, 5
  li t0, 1 << 18
  csrs sstatus, t0
  EXPECT(13, 1f, VA0 + 0x2000)
  li x11, VA0 + 0x2000
  lw x14, 0(x11)
  j fail
1:
  li t0, (1 << 19) | (1 << 18)
  csrs sstatus, t0
  li x11, VA0 + 0x2000
  lw x14, 0(x11)
  li x7, 0x11223344
  bne x14, x7, fail
  li t0, 1 << 19
  csrc sstatus, t0
  /* 6: invalid PTE -> load page fault */
  li TESTNUM, 6
  EXPECT(13, 1f, VA0 + 0x3004)
  li x11, VA0 + 0x3004
  lw x14, 0(x11)
  j fail
1:
  /* 7: W without R is reserved -> page fault even for a store */
  li TESTNUM, 7
  li t0, 1 << 18
  csrs sstatus, t0
  EXPECT(15, 1f, VA0 + 0x5000)
  li x11, VA0 + 0x5000
  sw x0, 0(x11)
  j fail
1:
  /* 8: misaligned superpage -> page fault */
  li TESTNUM, 8
  EXPECT(13, 1f, 0x00800010)
  li x11, 0x00800010
  lw x14, 0(x11)
  j fail
1:
  /* 9: S fetch from a U page -> instruction page fault, even with SUM */
  li TESTNUM, 9
  li t0, 1 << 18
  csrs sstatus, t0
  EXPECT(12, 1f, VA0 + 0x6000)
  li x11, VA0 + 0x6000
  jr x11
  j fail
1:
  /* 10: load then store to the A=D=0 page: hardware sets A, then D */
  li TESTNUM, 10
  li t0, 1 << 18
  csrs sstatus, t0
  li x11, VA0 + 0x4000
  lw x14, 0(x11)
  li x7, 0x55667788
  bne x14, x7, fail
  la t0, l0
  lw x14, 16(t0)
  andi x15, x14, A
  beqz x15, fail
  andi x15, x14, D
  bnez x15, fail
  sw x7, 4(x11)
  lw x14, 16(t0)
  andi x15, x14, D
  beqz x15, fail
  /* 11: remap l0[0] to page_b, sfence.vma by address, see the new data */
  li TESTNUM, 11
  li x11, VA0
  lw x14, 0(x11)
  li x7, 0x11223344
  bne x14, x7, fail
  la t0, page_b
  MKPTE(t2, t0, V|R|W|U|A|D)
  la t0, l0
  sw t2, 0(t0)
  sfence.vma x11, x0
  lw x14, 0(x11)
  li x7, 0x55667788
  bne x14, x7, fail
  /* 12: U code on a U page reads a U page, then faults on an S page */
  li TESTNUM, 12
  li t0, 0x100
  csrc sstatus, t0
  li t0, VA0 + 0x6000
  csrw sepc, t0
  EXPECT(13, 1f, 0x80000000)
  sret
1:
  /* back in S: the U code left the value in x14 */
  li x7, 0x55667788
  bne x14, x7, fail
  /* 13: MPRV from M: ecall from S (cause 9) brings us to M at m_mprv */
  li TESTNUM, 13
  ecall
  j fail

  .align 2
m_mprv:
  li t0, 0x1800
  csrc mstatus, t0
  li t0, 0x800 | (1 << 17) | (1 << 18)
  csrs mstatus, t0
  li x11, VA0 + 0x4000
  lw x14, 0(x11)
  li x7, 0x55667788
  bne x14, x7, fail
  li t0, 1 << 17
  csrc mstatus, t0
  /* 14: satp reads back MODE and ASID */
  li TESTNUM, 14
  csrr x14, satp
  srli x14, x14, 22
  li x7, 0x205
  bne x14, x7, fail
  TEST_PASS

  .align 2
mhandler:
  csrr t0, mcause
  li t2, 9
  bne t0, t2, 2f
  /* ecall from S: used by test 13 to get back to M */
  li t2, 13
  bne TESTNUM, t2, fail
  la t0, m_mprv
  csrw mepc, t0
  li t0, 0x1800
  csrs mstatus, t0
  mret
2: bne t0, s4, fail
  csrr t0, mtval
  bne t0, s6, fail
  li t0, 0x1800
  csrc mstatus, t0
  li t0, 0x800
  csrs mstatus, t0
  csrw mepc, s5
  mret

  .align 12
ucode:
  li x11, VA0
  lw x14, 0(x11)
  li x11, 0x80000000
  lw x15, 0(x11)
1: j 1b

TEST_END
  .bss
  .align 12
root: .space 4096
l0: .space 4096
page_a: .space 4096
page_b: .space 4096
