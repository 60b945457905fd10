/* FP state across fork and preemption: built for rv32imafdc/ilp32d by
   tests/interop/rv32gc_test.ts and run under qemu-riscv32 and Strata. Both
   processes compute with doubles and singles while the scheduler preempts
   them; `keep` lives in an FP register across fork(). */
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <stdint.h>
#include <signal.h>

static uint64_t bits(double d) { union { double d; uint64_t u; } v = { d }; return v.u; }
static uint32_t fbits(float f) { union { float f; uint32_t u; } v = { f }; return v.u; }

static double work(double seed, int n) {
  double s = seed;
  float f = (float)seed;
  for (int i = 1; i <= n; i++) {
    s = s * 1.0000001 + 1.0 / i;
    f = f * 0.99f + (float)i / 3.0f;

  }
  return s + f;
}

/* Clobbers ft0 and frm: the signal frame must bring them back. */
static void handler(int sig) {
  (void)sig;
  __asm__ volatile("fcvt.d.w ft0, zero\n csrwi frm, 1" ::: "ft0");
}

/* Holds 6.5 in ft0 across a kill() of itself (one asm block, so nothing
   else touches ft0), then reads ft0 and frm back. */
static void signal_keeps_fp(void) {
  double in = 6.5, out = 0;
  int frm;
  signal(SIGUSR1, handler);
  register long a0 __asm__("a0") = getpid();
  register long a1 __asm__("a1") = SIGUSR1;
  register long a7 __asm__("a7") = 129; /* kill */
  __asm__ volatile("fld ft0, 0(%[in])\n ecall\n fsd ft0, 0(%[out])\n csrr %[frm], frm"
                   : "+r"(a0), [frm] "=r"(frm)
                   : "r"(a1), "r"(a7), [in] "r"(&in), [out] "r"(&out)
                   : "ft0", "memory");
  printf("signal ft0 %llx frm %d\n", (unsigned long long)bits(out), frm);
}

int main(void) {
  volatile double keep = 3.25;
  double a = 0.1, b = 0.2;
  printf("sum %llx\n", (unsigned long long)bits(a + b));
  printf("div %llx\n", (unsigned long long)bits(a / b));
  printf("f %x\n", fbits((float)a * 3.0f));
  printf("cvt %d %u\n", (int)(-7.9), (unsigned)(3.99e9));
  signal_keeps_fp();
  fflush(stdout);
  int pid = fork();
  double r = work(pid == 0 ? 1.5 : 2.5, 300000);
  if (pid == 0) {
    printf("child keep %llx work %llx\n", (unsigned long long)bits(keep), (unsigned long long)bits(r));
    fflush(stdout);
    _exit(0);
  }
  int st;
  waitpid(pid, &st, 0);
  printf("parent keep %llx work %llx\n", (unsigned long long)bits(keep), (unsigned long long)bits(r));
  return 0;
}
