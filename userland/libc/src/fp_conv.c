/* Conversions between floating point and 64-bit integers, which rv32 has no
 * instructions for (the compiler calls these, and no compiler runtime is
 * linked). Integer to float goes through __fp_make, so it rounds once in the
 * current mode; float to integer truncates and saturates like fcvt does. */
#ifdef __riscv_flen
#include <stdint.h>

#include "fp_internal.h"

double __floatdidf(int64_t v);
double __floatundidf(uint64_t v);
float __floatdisf(int64_t v);
float __floatundisf(uint64_t v);
int64_t __fixdfdi(double x);
uint64_t __fixunsdfdi(double x);
int64_t __fixsfdi(float x);
uint64_t __fixunssfdi(float x);

static uint64_t make(uint64_t mag, int neg, int is_float) {
  int range = 0;
  return __fp_make(mag, 0, 0, neg, is_float, &range);
}
double __floatdidf(int64_t v) {
  return __bits_double(make(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0, 0));
}
double __floatundidf(uint64_t v) { return __bits_double(make(v, 0, 0)); }
float __floatdisf(int64_t v) {
  return __bits_float((uint32_t)make(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0, 1));
}
float __floatundisf(uint64_t v) { return __bits_float((uint32_t)make(v, 0, 1)); }

/* |x| truncated, saturated at 2^64 - 1; *neg gets the sign, NaN counts as +big. */
static uint64_t trunc_mag(double x, int *neg, int *big) {
  uint64_t u = __double_bits(x);
  int e = (int)((u >> 52) & 0x7ff) - 1075;
  *neg = (int)(u >> 63);
  *big = 0;
  if (((u >> 52) & 0x7ff) == 0x7ff) {
    *big = 1;
    if (u << 12) *neg = 0;
    return ~0ull;
  }
  uint64_t m = (u & ((1ull << 52) - 1)) | (1ull << 52);
  if (e < -52) return 0;
  if (e <= 0) return m >> -e;
  if (e >= 12) {
    *big = 1;
    return ~0ull;
  }
  return m << e;
}
int64_t __fixdfdi(double x) {
  int neg, big;
  uint64_t m = trunc_mag(x, &neg, &big);
  if (neg) return big || m >= (1ull << 63) ? INT64_MIN : -(int64_t)m;
  return big || m > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)m;
}
uint64_t __fixunsdfdi(double x) {
  int neg, big;
  uint64_t m = trunc_mag(x, &neg, &big);
  return neg ? 0 : m;
}
int64_t __fixsfdi(float x) { return __fixdfdi(x); }
uint64_t __fixunssfdi(float x) { return __fixunsdfdi(x); }
#endif
