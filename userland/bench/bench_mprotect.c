/* bench_mprotect N: toggle one page between PROT_READ and PROT_READ|PROT_WRITE
 * N times (a page-table change and TLB flush each), writing while writable. */
#include <stdio.h>
#include <sys/mman.h>

#include "bench_common.h"

#define PAGE 4096

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  volatile unsigned char *p =
      mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) bench_fail("mmap");
  for (long i = 0; i < n; i++) {
    if (mprotect((void *)p, PAGE, PROT_READ) < 0) bench_fail("mprotect(PROT_READ)");
    if (mprotect((void *)p, PAGE, PROT_READ | PROT_WRITE) < 0) bench_fail("mprotect(PROT_READ|PROT_WRITE)");
    p[0] = (unsigned char)i;
  }
  if (p[0] != (unsigned char)(n - 1)) {
    fprintf(stderr, "bench_mprotect: page lost a write\n");
    return 1;
  }
  printf("ok %ld\n", n);
  return 0;
}
