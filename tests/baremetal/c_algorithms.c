/* A C program at -O2 on the bare machine: sorting, a sieve, CRC-32, 64-bit
   arithmetic and division through libgcc-free helpers, and output through
   the HTIF write syscall. Returns 0 on success, else the failing check. */
#include <stdint.h>
#include <stddef.h>

extern volatile uint64_t tohost, fromhost;

void *memset(void *d, int c, size_t n) {
  unsigned char *p = d;
  while (n--) *p++ = (unsigned char)c;
  return d;
}

void *memcpy(void *d, const void *s, size_t n) {
  unsigned char *p = d;
  const unsigned char *q = s;
  while (n--) *p++ = *q++;
  return d;
}

static volatile uint64_t magic_mem[8] __attribute__((aligned(64)));

static long htif_write(int fd, const void *buf, size_t len) {
  magic_mem[0] = 64;
  magic_mem[1] = (uint32_t)fd;
  magic_mem[2] = (uintptr_t)buf;
  magic_mem[3] = len;
  __asm__ volatile("fence" ::: "memory");
  tohost = (uintptr_t)magic_mem;
  while (fromhost == 0) {
  }
  fromhost = 0;
  __asm__ volatile("fence" ::: "memory");
  return (long)magic_mem[0];
}

static size_t str_len(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

static uint32_t crc32(const uint8_t *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1));
  }
  return ~c;
}

static void insertion_sort(int32_t *a, int n) {
  for (int i = 1; i < n; i++) {
    int32_t v = a[i];
    int j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static int32_t data[200];
static uint8_t sieve[2000];

int main(void) {
  const char *msg = "hello from bare metal\n";
  if (htif_write(1, msg, str_len(msg)) != (long)str_len(msg)) return 2;

  uint32_t x = 12345;
  for (int i = 0; i < 200; i++) {
    x = x * 1103515245u + 12345u;
    data[i] = (int32_t)(x >> 8) - (1 << 22);
  }
  insertion_sort(data, 200);
  for (int i = 1; i < 200; i++)
    if (data[i - 1] > data[i]) return 3;

  int primes = 0;
  for (int i = 2; i < 2000; i++) {
    if (sieve[i]) continue;
    primes++;
    for (int j = i * 2; j < 2000; j += i) sieve[j] = 1;
  }
  if (primes != 303) return 4;

  if (crc32((const uint8_t *)"123456789", 9) != 0xcbf43926u) return 5;

  volatile int32_t a = -7, b = 2;
  if (a / b != -3 || a % b != -1) return 6;
  volatile uint32_t ua = 0xfffffff0u, ub = 16;
  if (ua / ub != 0x0fffffffu) return 7;
  volatile uint64_t big = 0x123456789ull;
  if ((uint64_t)(uint32_t)big * 16 != 0x234567890ull) return 8;
  return 0;
}
