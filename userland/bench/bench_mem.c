/* bench_mem N: N passes over a 16 KiB table of words: a strided
 * read-modify-write, a copy into a second table and a byte-wise scan;
 * prints "ok N CHECKSUM". */
#include <stdint.h>
#include <stdio.h>

#include "bench_common.h"

#define WORDS 4096

static uint32_t src[WORDS], dst[WORDS];

int main(int argc, char **argv) {
  long n = bench_n(argc, argv);
  for (int i = 0; i < WORDS; i++) src[i] = (uint32_t)i * 2654435761u;
  uint32_t sum = 0;
  for (long r = 0; r < n; r++) {
    for (int i = 0; i < WORDS; i += 4) src[(i * 7 + (int)r) & (WORDS - 1)] += (uint32_t)i;
    for (int i = 0; i < WORDS; i++) dst[i] = src[i] ^ (uint32_t)r;
    const uint8_t *bytes = (const uint8_t *)dst;
    for (int i = 0; i < WORDS * 4; i += 16) sum += bytes[i] + bytes[i + 5];
  }
  printf("ok %ld %08x\n", n, (unsigned)(sum ^ dst[WORDS / 3]));
  return 0;
}
