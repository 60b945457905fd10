/* Unsigned big integers for exact float <-> decimal conversion (printf's
 * %e %f %g, strtod). Fixed size, schoolbook operations on 32-bit words;
 * numbers stay below 6200 bits, so nothing here needs malloc. */
#ifdef __riscv_flen
#include <string.h>

#include "fp_internal.h"

static void trim(struct big *b) {
  while (b->n && !b->w[b->n - 1]) b->n--;
}

void __big_set(struct big *b, uint64_t v) {
  b->w[0] = (uint32_t)v;
  b->w[1] = (uint32_t)(v >> 32);
  b->n = 2;
  trim(b);
}

void __big_mul_small(struct big *b, uint32_t m) {
  uint32_t carry = 0;
  for (int i = 0; i < b->n; i++) {
    uint64_t t = (uint64_t)b->w[i] * m + carry;
    b->w[i] = (uint32_t)t;
    carry = (uint32_t)(t >> 32);
  }
  if (carry) b->w[b->n++] = carry;
}

void __big_add_small(struct big *b, uint32_t a) {
  for (int i = 0; a && i < b->n; i++) {
    uint32_t s = b->w[i] + a;
    a = s < a;
    b->w[i] = s;
  }
  if (a) b->w[b->n++] = a;
}

void __big_mul_pow5(struct big *b, int e) {
  for (; e >= 13; e -= 13) __big_mul_small(b, 1220703125u); /* 5^13 */
  static const uint32_t p5[13] = {1,      5,       25,       125,       625,
                                  3125,   15625,   78125,    390625,    1953125,
                                  9765625, 48828125, 244140625};
  if (e) __big_mul_small(b, p5[e]);
}

void __big_shl(struct big *b, int bits) {
  if (!b->n || bits <= 0) return;
  int words = bits / 32, s = bits % 32;
  if (s) {
    uint32_t carry = 0;
    for (int i = 0; i < b->n; i++) {
      uint32_t w = b->w[i];
      b->w[i] = (w << s) | carry;
      carry = w >> (32 - s);
    }
    if (carry) b->w[b->n++] = carry;
  }
  if (words) {
    memmove(b->w + words, b->w, (size_t)b->n * 4);
    memset(b->w, 0, (size_t)words * 4);
    b->n += words;
  }
}

int __big_bitlen(const struct big *b) {
  if (!b->n) return 0;
  return 32 * (b->n - 1) + 32 - __builtin_clz(b->w[b->n - 1]);
}

int __big_cmp(const struct big *a, const struct big *b) {
  if (a->n != b->n) return a->n < b->n ? -1 : 1;
  for (int i = a->n - 1; i >= 0; i--) {
    if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
  }
  return 0;
}

void __big_sub(struct big *a, const struct big *b) {
  uint32_t borrow = 0;
  for (int i = 0; i < a->n; i++) {
    uint32_t bw = i < b->n ? b->w[i] : 0;
    uint64_t t = (uint64_t)a->w[i] - bw - borrow;
    a->w[i] = (uint32_t)t;
    borrow = (uint32_t)(t >> 63);
  }
  trim(a);
}

uint32_t __big_divmod_small(struct big *b, uint32_t d) {
  uint64_t r = 0;
  for (int i = b->n - 1; i >= 0; i--) {
    uint64_t cur = (r << 32) | b->w[i];
    b->w[i] = (uint32_t)(cur / d);
    r = cur % d;
  }
  trim(b);
  return (uint32_t)r;
}

/* Shift-subtract, one quotient bit per step: den is shifted up 63 bits once
 * and walked down, so each step is one compare and maybe one subtraction. */
uint64_t __big_div64(struct big *num, const struct big *den) {
  static struct big d; /* single-threaded libc: no 800-byte stack frame */
  d = *den;
  __big_shl(&d, 63);
  uint64_t q = 0;
  for (int i = 63; i >= 0; i--) {
    if (__big_cmp(num, &d) >= 0) {
      __big_sub(num, &d);
      q |= 1ull << i;
    }
    /* d >>= 1 */
    for (int k = 0; k < d.n; k++) {
      d.w[k] = (d.w[k] >> 1) | (k + 1 < d.n ? d.w[k + 1] << 31 : 0);
    }
    trim(&d);
  }
  return q;
}
#endif
