/* Library-private floating-point helpers: a fixed-size unsigned big integer
 * (exact decimal <-> binary conversion in printf and strtod), the rounding
 * mode from fcsr, and the bit views of double and float. Only built when the
 * target has an FPU (__riscv_flen); the rv32ima libc has no floating point. */
#ifndef _LIBC_FP_INTERNAL_H
#define _LIBC_FP_INTERNAL_H

#include <stdint.h>

/* Enough for the widest operand either conversion builds: 800 decimal digits
 * (2658 bits) times 5^350, or 5^1130 shifted by 64 bits. */
#define BIG_WORDS 192

struct big {
  int n;                 /* words in use; w[n-1] != 0 unless n == 0 */
  uint32_t w[BIG_WORDS]; /* little-endian 32-bit words */
};

void __big_set(struct big *b, uint64_t v);
void __big_mul_small(struct big *b, uint32_t m);
void __big_add_small(struct big *b, uint32_t a);
void __big_mul_pow5(struct big *b, int e);
void __big_shl(struct big *b, int bits);
int __big_bitlen(const struct big *b);
int __big_cmp(const struct big *a, const struct big *b);
void __big_sub(struct big *a, const struct big *b); /* a -= b, a >= b */
uint32_t __big_divmod_small(struct big *b, uint32_t d); /* b /= d, returns b % d */
/* q = floor(num / den) when it is below 2^64; num becomes the remainder. */
uint64_t __big_div64(struct big *num, const struct big *den);

/* fcsr.frm: 0 nearest-even, 1 toward zero, 2 down, 3 up (fenv.h FE_* values). */
static inline int __fp_round_mode(void) {
  unsigned r;
  __asm__ volatile("frrm %0" : "=r"(r));
  return (int)(r & 7);
}

static inline uint64_t __double_bits(double x) {
  union { double d; uint64_t u; } v = {x};
  return v.u;
}
static inline double __bits_double(uint64_t u) {
  union { uint64_t u; double d; } v = {u};
  return v.d;
}
static inline uint32_t __float_bits(float x) {
  union { float f; uint32_t u; } v = {x};
  return v.u;
}
static inline float __bits_float(uint32_t u) {
  union { uint32_t u; float f; } v = {u};
  return v.f;
}

/* Formats one floating-point conversion (e f g a, upper case too) of x into
 * buf (cap bytes, NUL-terminated when cap > 0), sign included but no width
 * padding. Returns the full length; *prefix gets the length of the sign and
 * any 0x (where zero padding goes) or -1 for inf/nan (no zero padding). */
int __fp_format(char *buf, int cap, char conv, int flags, int prec, double x, int *prefix);

/* Rounds q * 2^e2 (plus a nonzero tail below q when sticky) to a double
 * (mant_bits 53) or float (24) in the current rounding mode and returns the
 * bits; sets *range on overflow or on an inexact tiny result. */
uint64_t __fp_make(uint64_t q, int sticky, int e2, int neg, int is_float, int *range);

#endif
