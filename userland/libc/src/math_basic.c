/* libm, exact part: functions whose result is exactly representable or is one
 * correctly rounded instruction (sqrt, fma, fmin/fmax), done on the bits. */
#ifdef __riscv_flen
#include <fenv.h>
#include <math.h>
#include <stdint.h>

#include "fp_internal.h"

double sqrt(double x) {
  double r;
  __asm__("fsqrt.d %0, %1" : "=f"(r) : "f"(x));
  return r;
}
float sqrtf(float x) {
  float r;
  __asm__("fsqrt.s %0, %1" : "=f"(r) : "f"(x));
  return r;
}
double fma(double x, double y, double z) {
  double r;
  __asm__("fmadd.d %0, %1, %2, %3" : "=f"(r) : "f"(x), "f"(y), "f"(z));
  return r;
}
float fmaf(float x, float y, float z) {
  float r;
  __asm__("fmadd.s %0, %1, %2, %3" : "=f"(r) : "f"(x), "f"(y), "f"(z));
  return r;
}
/* fmin.d/fmax.d already follow C's rule: a NaN operand loses to a number. */
double fmin(double x, double y) {
  double r;
  __asm__("fmin.d %0, %1, %2" : "=f"(r) : "f"(x), "f"(y));
  return r;
}
double fmax(double x, double y) {
  double r;
  __asm__("fmax.d %0, %1, %2" : "=f"(r) : "f"(x), "f"(y));
  return r;
}
float fminf(float x, float y) { return (float)fmin(x, y); }
float fmaxf(float x, float y) { return (float)fmax(x, y); }

double fabs(double x) { return __bits_double(__double_bits(x) & ~(1ull << 63)); }
float fabsf(float x) { return __bits_float(__float_bits(x) & 0x7fffffffu); }
double copysign(double x, double y) {
  return __bits_double((__double_bits(x) & ~(1ull << 63)) | (__double_bits(y) & (1ull << 63)));
}
float copysignf(float x, float y) {
  return __bits_float((__float_bits(x) & 0x7fffffffu) | (__float_bits(y) & 0x80000000u));
}

/* Rounds to an integer: mode 0 toward zero, 1 down (floor), 2 up (ceil), 3 half away. */
static double to_int(double x, int mode) {
  uint64_t u = __double_bits(x);
  int e = (int)((u >> 52) & 0x7ff) - 1023;
  if (e >= 52) return e == 1024 ? x + x : x; /* already integral (or inf/nan: nan quieted) */
  int neg = (int)(u >> 63);
  if (e < 0) { /* |x| < 1 */
    if (!(u << 1)) return x;
    int one = mode == 3 ? e == -1 : mode == 1 ? neg : mode == 2 ? !neg : 0;
    return __bits_double(((uint64_t)neg << 63) | (one ? 0x3ff0000000000000ull : 0));
  }
  uint64_t frac_mask = (1ull << (52 - e)) - 1;
  if (!(u & frac_mask)) return x;
  int away = mode == 3 ? (u & (1ull << (51 - e))) != 0 : mode == 1 ? neg : mode == 2 ? !neg : 0;
  u &= ~frac_mask;
  if (away) u += frac_mask + 1; /* carries into the exponent when needed */
  return __bits_double(u);
}
double trunc(double x) { return to_int(x, 0); }
double floor(double x) { return to_int(x, 1); }
double ceil(double x) { return to_int(x, 2); }
double round(double x) { return to_int(x, 3); }
float truncf(float x) { return (float)trunc(x); }
float floorf(float x) { return (float)floor(x); }
float ceilf(float x) { return (float)ceil(x); }
float roundf(float x) { return (float)round(x); }
long lround(double x) { return (long)round(x); }
long lroundf(float x) { return (long)round(x); }
long long llround(double x) { return (long long)round(x); }

/* rint: the current rounding mode, by adding and removing 2^52. */
double rint(double x) {
  double big = 4503599627370496.0;
  if (!(fabs(x) < big)) return isnan(x) ? x + x : x;
  /* Rounded as a signed value, so the directed modes go the right way. */
  volatile double t = x >= 0 ? x + big : x - big;
  double r = x >= 0 ? t - big : t + big;
  return copysign(r, x); /* keeps -0.0 for -0.4 and friends */
}
double nearbyint(double x) {
  fenv_t env;
  feholdexcept(&env);
  double r = rint(x);
  fesetenv(&env); /* no inexact from nearbyint */
  return r;
}
long lrint(double x) { return (long)rint(x); }

double frexp(double x, int *e) {
  uint64_t u = __double_bits(x);
  int ex = (int)((u >> 52) & 0x7ff);
  *e = 0;
  if (ex == 0x7ff || !(u << 1)) return x;
  if (!ex) { /* subnormal: normalise first */
    x *= 0x1p64;
    u = __double_bits(x);
    ex = (int)((u >> 52) & 0x7ff) - 64;
  }
  *e = ex - 1022;
  return __bits_double((u & ~(0x7ffull << 52)) | (1022ull << 52));
}
float frexpf(float x, int *e) { return (float)frexp(x, e); }

/* 2^n for -1074 <= n <= 1023, built from its bits. */
static double pow2(int n) {
  return n >= -1022 ? __bits_double((uint64_t)(n + 1023) << 52) : __bits_double(1ull << (n + 1074));
}

/* x * 2^e with one rounding: x = m 2^k exactly (m in [1/2, 1)); an exact
 * first scaling keeps the product's only rounding in the last multiply, also
 * when the result is subnormal, overflows or underflows to zero. */
double ldexp(double x, int e) {
  if (!isfinite(x) || x == 0) return x + x;
  int k;
  double m = frexp(x, &k);
  long n = (long)k + (e > 5000 ? 5000 : e < -5000 ? -5000 : e);
  if (n > 1023) return m * 0x1p1023 * pow2(n - 1023 > 1023 ? 1023 : (int)(n - 1023));
  if (n >= -1021) return m * pow2((int)n);
  double v = m * 0x1p-1000; /* exact: at least 2^-1001 */
  return v * pow2(n + 1000 < -1074 ? -1074 : (int)(n + 1000));
}
double scalbn(double x, int e) { return ldexp(x, e); }
float ldexpf(float x, int e) { return (float)ldexp(x, e); }

double modf(double x, double *ip) {
  double t = trunc(x);
  *ip = t;
  if (isinf(x)) return copysign(0.0, x);
  return copysign(x - t, x); /* exact; keeps the sign of zero */
}
float modff(float x, float *ip) {
  double t;
  float r = (float)modf(x, &t);
  *ip = (float)t;
  return r;
}

/* fmod: exact, by long division of the significands (shift and subtract). */
double fmod(double x, double y) {
  uint64_t ux = __double_bits(x), uy = __double_bits(y);
  int ex = (int)((ux >> 52) & 0x7ff), ey = (int)((uy >> 52) & 0x7ff);
  if (ex == 0x7ff || !(uy << 1) || isnan(y)) return (x * y) / (x * y);
  if ((ux << 1) < (uy << 1)) return x;
  if ((ux << 1) == (uy << 1)) return copysign(0.0, x);
  uint64_t mx = ux & ((1ull << 52) - 1), my = uy & ((1ull << 52) - 1);
  if (ex) mx |= 1ull << 52;
  else {
    ex = 1;
    while (!(mx >> 52)) { mx <<= 1; ex--; }
  }
  if (ey) my |= 1ull << 52;
  else {
    ey = 1;
    while (!(my >> 52)) { my <<= 1; ey--; }
  }
  for (; ex > ey; ex--) {
    if (mx >= my) mx -= my;
    mx <<= 1;
  }
  if (mx >= my) mx -= my;
  if (!mx) return copysign(0.0, x);
  /* The remainder mx * 2^(ey-1075) is exact and representable: rebuild it. */
  while (!(mx >> 52)) {
    mx <<= 1;
    ey--;
  }
  double r = ldexp(__bits_double((1023ull << 52) | (mx & ((1ull << 52) - 1))), ey - 1023);
  return copysign(r, x);
}
float fmodf(float x, float y) { return (float)fmod(x, y); }

/* hypot: scaled so that neither square overflows or underflows, a fused
 * multiply-add and a square root, then one correction from the exact residual. */
double hypot(double x, double y) {
  x = fabs(x);
  y = fabs(y);
  if (isinf(x) || isinf(y)) return INFINITY;
  if (isnan(x) || isnan(y)) return x + y;
  if (x < y) {
    double t = x;
    x = y;
    y = t;
  }
  if (y == 0) return x;
  int e;
  frexp(x, &e);
  double sx = ldexp(x, -e), sy = ldexp(y, -e); /* exact unless sy becomes subnormal */
  double h = sqrt(fma(sx, sx, sy * sy));
  /* One Newton step on the exact residual sx^2 + sy^2 - h^2 (products split by fma). */
  double hh = h * h, hh_lo = fma(h, h, -hh);
  double xx = sx * sx, xx_lo = fma(sx, sx, -xx);
  double yy = sy * sy, yy_lo = fma(sy, sy, -yy);
  double r = ((xx - hh) + yy) + ((xx_lo - hh_lo) + yy_lo);
  return ldexp(h + r / (2.0 * h), e);
}
float hypotf(float x, float y) { return (float)sqrt((double)x * x + (double)y * y); }
#endif
