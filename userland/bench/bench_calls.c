/* bench_calls N: N evaluations of a doubly recursive function (about 1,800
 * calls and returns each, through a function pointer at every other level);
 * prints "ok N CHECKSUM". */
#include <stdint.h>
#include <stdio.h>

#include "bench_common.h"

static uint32_t odd_level(uint32_t d, uint32_t salt);

__attribute__((noinline)) static uint32_t even_level(uint32_t d, uint32_t salt) {
  if (d < 2) return d + salt;
  return odd_level(d - 1, salt) + odd_level(d - 2, salt ^ d);
}

static uint32_t (*volatile next_level)(uint32_t, uint32_t) = even_level;

__attribute__((noinline)) static uint32_t odd_level(uint32_t d, uint32_t salt) {
  if (d < 2) return d ^ salt;
  return next_level(d - 1, salt + 1) + next_level(d - 2, salt);
}

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  uint32_t sum = 0;
  for (long i = 0; i < n; i++) sum += even_level(15, (uint32_t)i);
  printf("ok %ld %08x\n", n, (unsigned)sum);
  return 0;
}
