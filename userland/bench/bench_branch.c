/* bench_branch N: N passes over 1024 pseudo-random bytes, classifying each
 * through data-dependent branches (hard to predict); prints "ok N CHECKSUM". */
#include <stdint.h>
#include <stdio.h>

#include "bench_common.h"

#define LEN 1024

static uint8_t data[LEN];

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  uint32_t s = 12345;
  for (int i = 0; i < LEN; i++) {
    s = s * 1103515245u + 12345u;
    data[i] = (uint8_t)(s >> 16);
  }
  uint32_t lo = 0, mid = 0, hi = 0, odd = 0, runs = 0;
  for (long r = 0; r < n; r++) {
    uint8_t prev = (uint8_t)r;
    for (int i = 0; i < LEN; i++) {
      uint8_t v = data[i];
      if (v < 64) lo++;
      else if (v < 192) mid += v;
      else hi ^= v;
      if (v & 1) odd++;
      if (v > prev) runs++;
      prev = v;
    }
  }
  printf("ok %ld %08x\n", n, (unsigned)(lo * 31u + mid * 17u + hi * 7u + odd * 3u + runs));
  return 0;
}
