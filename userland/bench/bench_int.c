/* bench_int N: N rounds of integer arithmetic (xorshift, multiply, divide,
 * remainder, shifts, rotates) on a few live values; prints "ok N CHECKSUM". */
#include <stdint.h>
#include <stdio.h>

#include "bench_common.h"

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  uint32_t x = 0x9e3779b9u, a = 1, b = 7, c = 0;
  for (long i = 0; i < n; i++) {
    for (int k = 0; k < 16; k++) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      a = a * 2654435761u + (x >> 3);
      b += (x | 1) / ((a >> 24) | 1);
      c ^= (a % 1000003u) + ((b << 7) | (b >> 25));
    }
  }
  printf("ok %ld %08x\n", n, (unsigned)(x ^ a ^ b ^ c));
  return 0;
}
