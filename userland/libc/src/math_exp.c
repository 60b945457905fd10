/* libm: exponentials and logarithms.
 *
 * exp: x = k ln2 + r with |r| <= ln2/2 (ln2 in two parts, the first with
 * trailing zeros so k*ln2_hi is exact), e^r - 1 from its Taylor series, then
 * scaled by 2^k. log: x = 2^k m with m in [sqrt(1/2), sqrt(2)), f = m - 1,
 * s = f/(2+f), log(1+f) = 2s + 2s^3/3 + ... carried in double-double. pow
 * multiplies that double-double log by y and calls the exp kernel with the
 * low part, so the result has about exp's error even for huge y*log(x).
 * sinh, cosh and tanh use Taylor series near 0, then e^a and e^-a as
 * double-doubles from the same kernel, and past 22 e^a/2 scaled so it
 * overflows only when the result does. */
#ifdef __riscv_flen
#include <math.h>
#include <stdint.h>

#include "fp_internal.h"

static const double LN2_HI = 0x1.62e42fefa3800p-1; /* 42 significant bits */
static const double LN2_LO = 0x1.ef35793c76730p-45;
static const double INV_LN2 = 0x1.71547652b82fep+0;

/* e^r - 1 - r for |r| <= 0.35: r^2 (1/2 + r/6 + ... + r^12/14!), Taylor
 * (relative error below 2^-60). Kept apart from r so callers add r last. */
static double expm1_tail(double r) {
  static const double c[12] = {1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0,
                               1.0 / 3628800.0,    1.0 / 362880.0,    1.0 / 40320.0,
                               1.0 / 5040.0,       1.0 / 720.0,       1.0 / 120.0,
                               1.0 / 24.0,         1.0 / 6.0,         0.5};
  double p = 1.0 / 87178291200.0; /* 1/14! */
  for (int i = 0; i < 12; i++) p = p * r + c[i];
  return p * r * r;
}

static double expm1_kernel(double r) { return r + expm1_tail(r); }

/* e^(x + lo) for a small correction lo (|lo| <= 2^-40 |x| or so). The
 * reduced argument is kept as r + r_lo, and 1 + r is summed exactly, so the
 * only sizeable error is the final rounding. */
static double exp_dd(double x, double lo) {
  if (isnan(x)) return x + x;
  if (x > 709.8) return x * 0x1p1023 * 0x1p1023; /* overflow (inf), exact rounding mode aside */
  if (x < -745.2) return 0x1p-1022 * 0x1p-1022;  /* underflow to zero */
  double kd = round(x * INV_LN2);
  int k = (int)kd;
  double t = x - kd * LN2_HI; /* exact */
  double w = kd * LN2_LO - lo;
  double r = t - w, bv = r - t, r_lo = (t - (r - bv)) + (-w - bv);
  double q = expm1_tail(r);
  double sum = 1.0 + r, bv2 = sum - 1.0, e = (1.0 - (sum - bv2)) + (r - bv2);
  double y = sum + (e + q + r_lo * (1.0 + r));
  if (k >= -1021 && k <= 1023) return y * __bits_double((uint64_t)(k + 1023) << 52);
  return ldexp(y, k); /* one final rounding into the subnormal range, or k = 1024 */
}

double exp(double x) { return exp_dd(x, 0); }

/* e^x - 1: the kernel near 0; up to |x| = 40 as 2^k (1 + p) - 1 = (2^k - 1) + 2^k p,
 * where both parts are exact, so nothing cancels. */
double expm1(double x) {
  if (isnan(x)) return x + x;
  if (fabs(x) <= 0.34657359027997264) return x == 0 ? x : expm1_kernel(x);
  if (x < -40) return -1.0;
  if (x > 40) return exp(x) - 1.0;
  double kd = round(x * INV_LN2);
  double r = (x - kd * LN2_HI) - kd * LN2_LO;
  double two = __bits_double((uint64_t)((int)kd + 1023) << 52);
  return (two - 1.0) + two * expm1_kernel(r);
}

/* log(x) as hi + lo (relative error about 2^-62) for finite x > 0. */
static double log_dd(double x, double *lo) {
  uint64_t u = __double_bits(x);
  int k = 0;
  if (!(u >> 52)) { /* subnormal */
    x *= 0x1p54;
    u = __double_bits(x);
    k = -54;
  }
  k += (int)(u >> 52) - 1023;
  double m = __bits_double((u & ((1ull << 52) - 1)) | (1023ull << 52));
  if (m > 1.4142135623730951) {
    m *= 0.5;
    k++;
  }
  double f = m - 1.0; /* exact */
  double t = 2.0 + f, t_lo = f - (t - 2.0);
  double s = f / t;
  double s_lo = (fma(-s, t, f) - s * t_lo) / t;
  /* 2 atanh(s) = 2s + (2/3) s^3 + s^5 (2/5 + 2z/7 + ... + 2z^11/27), z = s^2.
   * The s^3 term is carried in double-double; the rest is below 2^-14 of
   * the result, so plain doubles suffice there. */
  double z = s * s, z_lo = fma(s, s, -z);
  double c = s * z, c_lo = fma(s, z, -c) + s * z_lo;
  const double TWO3_HI = 0x1.5555555555555p-1, TWO3_LO = 0x1.5555555555555p-55;
  double t3 = c * TWO3_HI, t3_lo = fma(c, TWO3_HI, -t3) + (c_lo * TWO3_HI + c * TWO3_LO);
  double poly = 2.0 / 27;
  for (int j = 25; j >= 5; j -= 2) poly = poly * z + 2.0 / j;
  double rest = c * z * poly + 2.0 * s_lo / (1.0 - z) + t3_lo; /* d/ds 2atanh(s) = 2/(1-s^2) */
  /* k ln2_hi + 2s + t3 in double-double (two exact two-sums), plus the small parts. */
  double a = k * LN2_HI, b = 2.0 * s;
  double s1 = a + b, bb = s1 - a, e1 = (a - (s1 - bb)) + (b - bb);
  double hi = s1 + t3, bb2 = hi - s1, e2 = (s1 - (hi - bb2)) + (t3 - bb2);
  double l = e1 + e2 + k * LN2_LO + rest;
  double h = hi + l;
  *lo = l - (h - hi);
  return h;
}

/* The special inputs every logarithm shares; returns 1 and sets *r when x is one. */
static int log_special(double x, double *r) {
  if (isnan(x)) *r = x + x;
  else if (x == 0) *r = -1.0 / 0.0; /* -inf, divide-by-zero */
  else if (x < 0) *r = (x - x) / 0.0; /* NaN, invalid */
  else if (isinf(x)) *r = x;
  else return 0;
  return 1;
}

double log(double x) {
  double r, lo;
  if (log_special(x, &r)) return r;
  if (x == 1.0) return 0.0;
  r = log_dd(x, &lo);
  return r + lo;
}

static double scaled_log(double x, double c_hi, double c_lo) {
  double r, lo;
  if (log_special(x, &r)) return r;
  if (x == 1.0) return 0.0;
  r = log_dd(x, &lo);
  double p = r * c_hi;
  double p_lo = fma(r, c_hi, -p) + (lo * c_hi + r * c_lo);
  return p + p_lo;
}

double log10(double x) { return scaled_log(x, 0x1.bcb7b1526e50ep-2, 0x1.95355baaafad3p-57); }
double log2(double x) {
  uint64_t u = __double_bits(x);
  if (x > 0 && !(u << 12) && ((u >> 52) & 0x7ff) && ((u >> 52) & 0x7ff) != 0x7ff)
    return (double)((int)(u >> 52) - 1023); /* powers of two are exact */
  return scaled_log(x, INV_LN2, 0x1.777d0ffda0d24p-56);
}

/* y is an odd integer (for the sign of a negative base). */
static int is_odd_int(double y) {
  return fabs(y) < 0x1p53 && trunc(y) == y && fmod(y, 2.0) != 0;
}

double pow(double x, double y) {
  if (y == 0 || x == 1.0) return 1.0;
  if (isnan(x) || isnan(y)) return x + y;
  int neg = 0;
  if (signbit(x)) {
    if (isfinite(x) && x != 0 && isfinite(y) && trunc(y) != y) {
      return (x - x) / 0.0; /* finite negative base, non-integer power: NaN, invalid */
    }
    neg = is_odd_int(y);
    x = -x;
  }
  double r;
  if (isinf(y)) {
    if (x == 1.0) return 1.0;
    r = (x < 1.0) == (y > 0) ? 0.0 : INFINITY;
  } else if (x == 0) {
    r = y < 0 ? 1.0 / 0.0 : 0.0;
  } else if (isinf(x)) {
    r = y < 0 ? 0.0 : INFINITY;
  } else {
    double lo, l = log_dd(x, &lo);
    double p = y * l;
    double p_lo = fma(y, l, -p) + y * lo;
    if (p > 710) r = 0x1p1023 * 0x1p1023;
    else if (p < -746) r = 0x1p-1022 * 0x1p-1022;
    else r = exp_dd(p, p_lo);
  }
  return neg ? -r : r;
}

/* e^a / 2 for a >= 22, without overflowing before the result does: past 709
 * it is e^(a - 1023 ln2) * 2^1022, where a - 1023 ln2_hi is exact. */
static double half_exp(double a) {
  if (a < 709) return 0.5 * exp(a);
  return exp_dd(a - 1023 * LN2_HI, -1023 * LN2_LO) * 0x1p1022;
}

/* e^a and e^-a as double-doubles for 0.125 <= a < 22 (the exp kernel,
 * keeping the low part of 1 + r + q; 2^k scales exactly). */
static void exp_pair(double a, double *eh, double *el, double *ih, double *il) {
  double kd = round(a * INV_LN2);
  double t = a - kd * LN2_HI, w = kd * LN2_LO;
  double r = t - w, bv = r - t, r_lo = (t - (r - bv)) + (-w - bv);
  double q = expm1_tail(r);
  double sum = 1.0 + r, bv2 = sum - 1.0, e = (1.0 - (sum - bv2)) + (r - bv2);
  double tail = e + q + r_lo * (1.0 + r);
  double y = sum + tail, y_lo = (sum - y) + tail;
  double two = __bits_double((uint64_t)((int)kd + 1023) << 52);
  *eh = y * two;
  *el = y_lo * two;
  double inv = 1.0 / *eh;
  *ih = inv;
  *il = (fma(-inv, *eh, 1.0) - inv * *el) / *eh;
}

/* (e^a + s e^-a) as hi + *lo, s = +1 or -1 (TwoSum of the high parts). */
static double exp_combine(double a, double s, double *lo) {
  double eh, el, ih, il;
  exp_pair(a, &eh, &el, &ih, &il);
  ih *= s;
  il *= s;
  double d = eh + ih, bv = d - eh, err = (eh - (d - bv)) + (ih - bv);
  *lo = err + (el + il);
  return d;
}

double sinh(double x) {
  double a = fabs(x), r;
  if (isnan(x)) return x + x;
  if (a < 0x1p-28) return x;
  else if (a <= 0.35) { /* a + a^3/3! + ... + a^17/17! */
    double z = a * a, p = 1.0 / 355687428096000.0;
    static const double c[7] = {1.0 / 1307674368000.0, 1.0 / 6227020800.0, 1.0 / 39916800.0,
                                1.0 / 362880.0,        1.0 / 5040.0,       1.0 / 120.0,
                                1.0 / 6.0};
    for (int i = 0; i < 7; i++) p = p * z + c[i];
    r = a + a * z * p;
  } else if (a < 22) { /* (e^a - e^-a)/2 in double-double: no cancellation left */
    double lo, h = exp_combine(a, -1.0, &lo);
    r = 0.5 * (h + lo);
  } else {
    r = half_exp(a);
  }
  return copysign(r, x);
}

double cosh(double x) {
  double a = fabs(x);
  if (isnan(x)) return x + x;
  if (a < 0x1p-28) return 1.0;
  if (a <= 0.34657359027997264) {
    double p = expm1_kernel(a);
    return 1.0 + (p * p) / (2.0 * (1.0 + p));
  }
  if (a < 22) {
    double lo, h = exp_combine(a, 1.0, &lo);
    return 0.5 * (h + lo);
  }
  return half_exp(a);
}

double tanh(double x) {
  double a = fabs(x), r;
  if (isnan(x)) return x + x;
  if (a < 0x1p-28) return x;
  if (a >= 22) r = 1.0;
  else if (a <= 0.125) { /* Taylor: a - a^3/3 + 2a^5/15 - ... (Bernoulli numbers), to a^17 */
    static const double c[8] = {6404582.0 / 10854718875.0, -929569.0 / 638512875.0,
                                21844.0 / 6081075.0,       -1382.0 / 155925.0,
                                62.0 / 2835.0,             -17.0 / 315.0,
                                2.0 / 15.0,                -1.0 / 3.0};
    double z = a * a, p = c[0];
    for (int i = 1; i < 8; i++) p = p * z + c[i];
    r = a + a * z * p;
  } else { /* (e^a - e^-a) / (e^a + e^-a), both double-doubles, one corrected division */
    double nl, dl;
    double n = exp_combine(a, -1.0, &nl), d = exp_combine(a, 1.0, &dl);
    double q = n / d;
    r = q + ((fma(-q, d, n) + (nl - q * dl)) / d);
  }
  return copysign(r, x);
}

float expf(float x) { return (float)exp(x); }
float logf(float x) { return (float)log(x); }
float log10f(float x) { return (float)log10(x); }
float powf(float x, float y) { return (float)pow(x, y); }
float sinhf(float x) { return (float)sinh(x); }
float coshf(float x) { return (float)cosh(x); }
float tanhf(float x) { return (float)tanh(x); }
#endif
