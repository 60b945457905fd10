#include "_test.h"
/* CSRs, privilege transitions, exceptions with cause and tval, delegation,
   counter enables, TSR/TW, vectored interrupts. The M-mode handler checks
   mcause against s4 (and mtval against s6 when s7 != 0), then resumes at s5
   in M-mode. The S-mode handler checks scause against s4, then ecalls up. */
#define EXPECT(cause, resume) li s4, cause; la s5, resume; li s7, 0
#define EXPECT_TVAL(cause, resume, tval) li s4, cause; la s5, resume; li s6, tval; li s7, 1
#define MPP_MASK 0x1800
TEST_BEGIN
  la t0, mhandler
  csrw mtvec, t0
  la t0, shandler
  csrw stvec, t0
  li TESTNUM, 2
  csrr x14, misa
  li x7, 0x4014112d
  bne x14, x7, fail
  csrr x14, mhartid
  bnez x14, fail
  /* mscratch read/write/set/clear */
  li TESTNUM, 3
  li x11, 0x12345678
  csrw mscratch, x11
  csrrs x14, mscratch, 0x0f
  bne x14, x11, fail
  csrrci x14, mscratch, 0x08
  li x7, 0x1234567f
  bne x14, x7, fail
  csrr x14, mscratch
  li x7, 0x12345677
  bne x14, x7, fail
  /* unknown CSR -> illegal instruction, tval = instruction bits */
  li TESTNUM, 4
  EXPECT_TVAL(2, 1f, 0x7c0027f3)
  .word 0x7c0027f3 /* csrr a5, 0x7c0 */
  j fail
1:
  /* write to a read-only CSR -> illegal */
  li TESTNUM, 5
  EXPECT(2, 1f)
  csrw mvendorid, x0
  j fail
1:
  /* but reading it is fine */
  csrr x14, mvendorid
  /* ebreak -> 3, tval = pc */
  li TESTNUM, 6
  EXPECT_TVAL(3, 1f, 0)
  la s6, 2f
2: ebreak
  j fail
1:
  /* ecall from M -> 11 */
  li TESTNUM, 7
  EXPECT(11, 1f)
  ecall
  j fail
1:
  /* mret to U, ecall from U -> 8 with MPP = U */
  li TESTNUM, 8
  li t0, MPP_MASK
  csrc mstatus, t0
  la t0, 2f
  csrw mepc, t0
  EXPECT(8, 1f)
  mret
2: ecall
  j fail
1:
  /* U reading an M CSR -> illegal; and sret/mret/wfi in U are illegal */
  li TESTNUM, 9
  li t0, MPP_MASK
  csrc mstatus, t0
  la t0, 2f
  csrw mepc, t0
  EXPECT(2, 1f)
  mret
2: csrr x14, mstatus
  j fail
1:
  li TESTNUM, 10
  li t0, MPP_MASK
  csrc mstatus, t0
  la t0, 2f
  csrw mepc, t0
  EXPECT_TVAL(2, 1f, 0x10500073)
  mret
2: wfi
  j fail
1:
  /* U reading cycle without mcounteren -> illegal; with it -> fine */
  li TESTNUM, 11
  csrw mcounteren, x0
  li t0, MPP_MASK
  csrc mstatus, t0
  la t0, 2f
  csrw mepc, t0
  EXPECT(2, 1f)
  mret
2: csrr x14, cycle
  j fail
1:
  li TESTNUM, 12
  li t0, 7
  csrw mcounteren, t0
  csrw scounteren, t0
  li t0, MPP_MASK
  csrc mstatus, t0
  la t0, 2f
  csrw mepc, t0
  EXPECT(8, 1f)
  mret
2: csrr x14, cycle
  csrr x14, instret
  csrr x14, time
  ecall
  j fail
1:
  /* delegation: U ecall goes to S (scause 8, SPP = 0), S ecall goes to M */
  li TESTNUM, 13
  li t0, 1 << 8
  csrw medeleg, t0
  li t0, MPP_MASK
  csrc mstatus, t0
  la t0, 2f
  csrw mepc, t0
  EXPECT(8, 1f)
  mret
2: ecall
  j fail
1:
  csrr x14, scause
  li x7, 8
  bne x14, x7, fail
  csrr x14, sepc
  la x7, 2b
  bne x14, x7, fail
  /* medeleg cannot delegate ecall from M (bit 11 is read-only zero) */
  li TESTNUM, 14
  li t0, -1
  csrw medeleg, t0
  csrr x14, medeleg
  li x7, 0xb3ff
  bne x14, x7, fail
  csrw medeleg, x0
  /* mret to S; S reads sstatus (fine), mstatus (illegal, to M) */
  li TESTNUM, 15
  li t0, MPP_MASK
  csrc mstatus, t0
  li t0, 0x800
  csrs mstatus, t0
  la t0, 2f
  csrw mepc, t0
  EXPECT(2, 1f)
  mret
2: csrr x14, sstatus
  csrr x14, mstatus
  j fail
1:
  /* mstatus.MPP after trap from S was S (s8 = mstatus at handler entry) */
  srli x14, s8, 11
  andi x14, x14, 3
  li x7, 1
  bne x14, x7, fail
  /* TSR: sret in S is illegal; TVM: satp and sfence.vma in S are illegal */
  li TESTNUM, 16
  li t0, (1 << 22) | (1 << 20)
  csrs mstatus, t0
  li t0, MPP_MASK
  csrc mstatus, t0
  li t0, 0x800
  csrs mstatus, t0
  la t0, 2f
  csrw mepc, t0
  EXPECT(2, 1f)
  mret
2: sret
  j fail
1:
  li TESTNUM, 17
  li t0, 0x800
  csrs mstatus, t0
  la t0, 2f
  csrw mepc, t0
  EXPECT(2, 1f)
  mret
2: csrr x14, satp
  j fail
1:
  li t0, (1 << 22) | (1 << 20)
  csrc mstatus, t0
  /* sret from S (TSR clear) returns to SPP = U */
  li TESTNUM, 18
  li t0, MPP_MASK
  csrc mstatus, t0
  li t0, 0x800
  csrs mstatus, t0
  la t0, 2f
  csrw mepc, t0
  mret
2: li t0, 0x100
  csrc sstatus, t0
  la t0, 3f
  csrw sepc, t0
  sret
3: EXPECT(2, 1f)
  csrr x14, sstatus /* in U now: illegal */
  j fail
1:
  /* vectored mtvec: software interrupt 1 (SSIP) lands at base + 4 */
  li TESTNUM, 19
  la t0, vectors
  ori t0, t0, 1
  csrw mtvec, t0
  li t0, 2
  csrs mie, t0
  csrs mip, t0
  csrsi mstatus, 8
  nop
  j fail
ssi_taken:
  csrr x14, mcause
  li x7, 0x80000001
  bne x14, x7, fail
  li t0, 2
  csrc mip, t0
  csrr x14, mstatus
  andi x14, x14, 8
  bnez x14, fail /* MIE cleared on entry */
  la t0, mhandler
  csrw mtvec, t0
  /* mip: MTIP is read-only for software */
  li TESTNUM, 20
  li t0, 0x80
  csrs mip, t0
  csrr x14, mip
  andi x14, x14, 0x80
  bnez x14, fail
  /* mepc ignores bit 0 (C is implemented: IALIGN = 16) */
  li TESTNUM, 21
  li t0, 0x80000007
  csrw mepc, t0
  csrr x14, mepc
  li x7, 0x80000006
  bne x14, x7, fail
  TEST_PASS

  .align 2
mhandler:
  csrr s8, mstatus
  csrr t0, mcause
  bne t0, s4, fail
  beqz s7, 1f
  csrr t0, mtval
  bne t0, s6, fail
1: li t0, MPP_MASK
  csrs mstatus, t0
  csrw mepc, s5
  mret

  .align 2
shandler:
  csrr t0, scause
  bne t0, s4, fail
  csrr t0, sstatus
  andi t0, t0, 0x100
  bnez t0, fail /* SPP = U */
  li s4, 9
  ecall

  .align 6
vectors:
  j fail
  j ssi_taken
  j fail
  j fail
TEST_END
