/* FP state across fork and preemption: built for rv32imafdc/ilp32d by
   tests/interop/rv32gc_test.ts and run under qemu-riscv32 and Strata. Both
   processes compute with doubles and singles while the scheduler preempts
   them; `keep` lives in an FP register across fork(). */
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#include <stdint.h>

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

int main(void) {
  volatile double keep = 3.25;
  double a = 0.1, b = 0.2;
  printf("sum %llx\n", (unsigned long long)bits(a + b));
  printf("div %llx\n", (unsigned long long)bits(a / b));
  printf("f %x\n", fbits((float)a * 3.0f));
  printf("cvt %d %u\n", (int)(-7.9), (unsigned)(3.99e9));
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
