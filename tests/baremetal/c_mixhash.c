/* Differential check against QEMU: hashes the results of many RV32IM
   operations on pseudo-random and edge-case operands. EXPECTED was computed
   by running this same file under qemu-riscv32 (user mode, see the note at
   the bottom); the bare-metal run must produce the same value. */
#include <stdint.h>

#define EXPECTED 0x294d26bcu /* from qemu-riscv32 */

static uint32_t state = 0x12345678u;
static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

static const uint32_t edges[] = {0, 1, 2, 0x7fffffffu, 0x80000000u, 0xffffffffu, 0xfffffffeu,
                                 31, 32, 0x8000u, 0xffff8000u, 0x55555555u};

__attribute__((noinline)) uint32_t mix(uint32_t h, uint32_t a, uint32_t b) {
  int32_t sa = (int32_t)a, sb = (int32_t)b;
  uint32_t r = 0;
  r += a + b;
  r ^= a - b;
  r += a << (b & 31);
  r ^= a >> (b & 31);
  r += (uint32_t)(sa >> (b & 31));
  r ^= (uint32_t)(sa < sb) + 2 * (a < b);
  r += a * b;
  r ^= (uint32_t)(((int64_t)sa * sb) >> 32);
  r += (uint32_t)(((uint64_t)a * b) >> 32);
  r ^= (uint32_t)(((int64_t)sa * (int64_t)(uint64_t)b) >> 32);
  if (b != 0) {
    r += a / b;
    r ^= a % b;
    if (!(sa == INT32_MIN && sb == -1)) {
      r += (uint32_t)(sa / sb);
      r ^= (uint32_t)(sa % sb);
    }
  }
  r += (uint32_t)(int8_t)a + (uint32_t)(int16_t)b;
  return (h ^ r) * 0x01000193u + (h >> 7);
}

uint32_t run_hash(void) {
  uint32_t h = 0x811c9dc5u;
  for (unsigned i = 0; i < sizeof edges / sizeof edges[0]; i++)
    for (unsigned j = 0; j < sizeof edges / sizeof edges[0]; j++) h = mix(h, edges[i], edges[j]);
  for (int i = 0; i < 3000; i++) {
    uint32_t a = next(), b = next();
    if ((i & 7) == 0) b &= 0xff;
    h = mix(h, a, b);
  }
  return h;
}

#ifndef HOST_LINUX
int main(void) {
  uint32_t h = run_hash();
  return h == EXPECTED ? 0 : 1;
}
#endif
/* To recompute EXPECTED: compile with -DHOST_LINUX plus a small main that
   prints run_hash() for riscv32 Linux, and run it with qemu-riscv32. */
