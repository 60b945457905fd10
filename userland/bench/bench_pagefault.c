/* bench_pagefault N: map N fresh anonymous pages and touch each once, so every
 * touch is a demand-zero page fault; then check the contents and unmap. */
#include <stdio.h>
#include <sys/mman.h>

#include "bench_common.h"

#define PAGE 4096

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  unsigned char *p = mmap(0, (size_t)n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                          -1, 0);
  if (p == MAP_FAILED) bench_fail("mmap");
  for (long i = 0; i < n; i++) p[i * PAGE] = (unsigned char)(i + 1);
  for (long i = 0; i < n; i++) {
    if (p[i * PAGE] != (unsigned char)(i + 1) || p[i * PAGE + 1] != 0) {
      fprintf(stderr, "bench_pagefault: page %ld has wrong contents\n", i);
      return 1;
    }
  }
  if (munmap(p, (size_t)n * PAGE) < 0) bench_fail("munmap");
  printf("ok %ld\n", n);
  return 0;
}
