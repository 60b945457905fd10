/* libm: trigonometric functions.
 *
 * sin, cos, tan reduce x to r = x - n pi/2 with |r| <= pi/4 by Payne-Hanek
 * for every |x| > pi/4: the 53-bit significand times a 192-bit window of the
 * binary digits of 2/pi (computed exactly, table below) gives n mod 4 and
 * 128 bits of the fraction, so even the doubles closest to a multiple of pi/2
 * keep full precision. r is carried as a double-double into Taylor kernels.
 * atan uses atan(c) + atan((x-c)/(1+cx)) for c in {1/2, 1, 3/2, inf} and a
 * Taylor series on |t| < 0.44; atan2 builds on it. asin and acos use the
 * Taylor series of asin up to 1/2 and 2 asin(sqrt((1-x)/2)) beyond. */
#ifdef __riscv_flen
#include <math.h>
#include <stdint.h>

#include "fp_internal.h"

/* Bits 1..1408 after the binary point of 2/pi, 32 per word, most significant first. */
static const uint32_t TWO_OVER_PI[44] = {
    0xa2f9836e, 0x4e441529, 0xfc2757d1, 0xf534ddc0, 0xdb629599, 0x3c439041, 0xfe5163ab,
    0xdebbc561, 0xb7246e3a, 0x424dd2e0, 0x06492eea, 0x09d1921c, 0xfe1deb1c, 0xb129a73e,
    0xe88235f5, 0x2ebb4484, 0xe99c7026, 0xb45f7e41, 0x3991d639, 0x835339f4, 0x9c845f8b,
    0xbdf9283b, 0x1ff897ff, 0xde05980f, 0xef2f118b, 0x5a0a6d1f, 0x6d367ecf, 0x27cb09b7,
    0x4f463f66, 0x9e5fea2d, 0x7527bac7, 0xebe5f17b, 0x3d0739f7, 0x8a5292ea, 0x6bfb5fb1,
    0x1f8d5d08, 0x56033046, 0xfc7b6bab, 0xf0cfbc20, 0x9af4361d, 0xa9e39161, 0x5ee61b08,
    0x6599855f, 0x14a06840};

static const double PIO2_HI = 0x1.921fb54442d18p+0, PIO2_LO = 0x1.1a62633145c07p-54;
static const double PI_HI = 0x1.921fb54442d18p+1, PI_LO = 0x1.1a62633145c07p-53;
static const double PIO4_HI = 0x1.921fb54442d18p-1, PIO4_LO = 0x1.1a62633145c07p-55;

/* Bit `pos` (from the bottom) of the 256-bit little-endian number p. */
static uint32_t bits32(const uint32_t p[8], int pos) {
  int w = pos / 32, s = pos % 32;
  uint32_t lo = w < 8 ? p[w] : 0, hi = w + 1 < 8 ? p[w + 1] : 0;
  return s ? (lo >> s) | (hi << (32 - s)) : lo;
}

/* x = n pi/2 + (*hi + *lo), |hi| <= pi/4 (about); returns n mod 4. |x| > pi/4, finite. */
static int reduce(double x, double *hi, double *lo) {
  uint64_t u = __double_bits(x);
  int e = (int)((u >> 52) & 0x7ff) - 1075; /* x = m 2^e */
  uint64_t m = (u & ((1ull << 52) - 1)) | (1ull << 52);
  int i0 = e - 1 > 1 ? e - 1 : 1; /* first bit of 2/pi that matters mod 4 */
  uint32_t w[6];
  for (int k = 0; k < 6; k++) { /* 192 bits starting at bit i0 */
    int b = i0 - 1 + 32 * k, wi = b / 32, s = b % 32;
    uint32_t a = TWO_OVER_PI[wi], c = wi + 1 < 44 ? TWO_OVER_PI[wi + 1] : 0;
    w[5 - k] = s ? (a << s) | (c >> (32 - s)) : a;
  }
  uint32_t p[8] = {0};
  uint32_t mw[2] = {(uint32_t)m, (uint32_t)(m >> 32)};
  for (int i = 0; i < 2; i++) {
    uint32_t carry = 0;
    for (int j = 0; j < 6; j++) {
      uint64_t t = (uint64_t)mw[i] * w[j] + p[i + j] + carry;
      p[i + j] = (uint32_t)t;
      carry = (uint32_t)(t >> 32);
    }
    p[i + 6] += carry;
  }
  int point = i0 + 191 - e; /* bits below the binary point */
  int n = (int)(bits32(p, point) & 3);
  uint64_t fh = ((uint64_t)bits32(p, point - 32) << 32) | bits32(p, point - 64);
  uint64_t fl = ((uint64_t)bits32(p, point - 96) << 32) | bits32(p, point - 128);
  int neg = (int)(fh >> 63); /* fraction >= 1/2: take the next multiple */
  if (neg) {
    n = (n + 1) & 3;
    fl = ~fl + 1;
    fh = ~fh + (fl == 0);
  }
  int lz = fh ? __builtin_clzll(fh) : 64 + (fl ? __builtin_clzll(fl) : 64);
  if (lz >= 128) {
    *hi = *lo = 0;
    return n;
  }
  if (lz) { /* normalise the 128-bit fraction */
    if (lz >= 64) {
      fh = fl << (lz - 64);
      fl = 0;
    } else {
      fh = (fh << lz) | (fl >> (64 - lz));
      fl <<= lz;
    }
  }
  double a = (double)(fh >> 11), b = (double)(((fh & 2047) << 42) | (fl >> 22));
  a = ldexp(a, -53 - lz);
  b = ldexp(b, -106 - lz);
  double h = a * PIO2_HI;
  double l = fma(a, PIO2_HI, -h) + (a * PIO2_LO + b * PIO2_HI);
  double s = h + l;
  l = l - (s - h);
  if (neg) {
    s = -s;
    l = -l;
  }
  if ((u >> 63)) {
    s = -s;
    l = -l;
    n = (4 - n) & 3;
  }
  *hi = s;
  *lo = l;
  return n;
}

/* sin(x + y), |x| <= pi/4, |y| tiny: Taylor to x^25; *lo gets what the
 * returned double leaves out (for tan's quotient). */
static double sin_kl(double x, double y, double *lo) {
  double z = x * x;
  double s = 1.0 / 15511210043330985984000000.0; /* 1/25! */
  static const double c[11] = {
      -1.0 / 25852016738884976640000.0, 1.0 / 51090942171709440000.0,
      -1.0 / 121645100408832000.0,      1.0 / 355687428096000.0,
      -1.0 / 1307674368000.0,           1.0 / 6227020800.0,
      -1.0 / 39916800.0,                1.0 / 362880.0,
      -1.0 / 5040.0,                    1.0 / 120.0,
      -1.0 / 6.0};
  for (int i = 0; i < 11; i++) s = s * z + c[i];
  /* s = -1/3! + z/5! - ... + z^11/25! */
  double t = x * z * s + y * (1.0 - 0.5 * z), h = x + t;
  *lo = (x - h) + t; /* exact: |x| > |t| */
  return h;
}

static double sin_k(double x, double y) {
  double lo;
  return sin_kl(x, y, &lo);
}

/* cos(x + y), |x| <= pi/4, |y| tiny: 1 - x^2/2 + x^4 C(x^2), C to x^24; *lo
 * as in sin_kl. */
static double cos_kl(double x, double y, double *lo) {
  double z = x * x;
  double c = 1.0 / 620448401733239439360000.0; /* 1/24! */
  static const double k[10] = {
      -1.0 / 1124000727777607680000.0, 1.0 / 2432902008176640000.0,
      -1.0 / 6402373705728000.0,       1.0 / 20922789888000.0,
      -1.0 / 87178291200.0,            1.0 / 479001600.0,
      -1.0 / 3628800.0,                1.0 / 40320.0,
      -1.0 / 720.0,                    1.0 / 24.0};
  for (int i = 0; i < 10; i++) c = c * z + k[i];
  double hz = 0.5 * z, w = 1.0 - hz;
  double t = ((1.0 - w) - hz) + (z * z * c - x * y), h = w + t;
  *lo = (w - h) + t; /* exact: |w| > |t| */
  return h;
}

static double cos_k(double x, double y) {
  double lo;
  return cos_kl(x, y, &lo);
}

/* n and the reduced argument for sin/cos/tan; 0 for |x| <= pi/4. */
static int reduce_any(double x, double *hi, double *lo) {
  if (fabs(x) <= 0.7853981633974483) {
    *hi = x;
    *lo = 0;
    return 0;
  }
  return reduce(x, hi, lo);
}

double sin(double x) {
  if (!isfinite(x)) return x - x;
  if (fabs(x) < 0x1p-26) return x;
  double h, l;
  switch (reduce_any(x, &h, &l)) {
    case 0: return sin_k(h, l);
    case 1: return cos_k(h, l);
    case 2: return -sin_k(h, l);
    default: return -cos_k(h, l);
  }
}

double cos(double x) {
  if (!isfinite(x)) return x - x;
  double h, l;
  switch (reduce_any(x, &h, &l)) {
    case 0: return cos_k(h, l);
    case 1: return -sin_k(h, l);
    case 2: return -cos_k(h, l);
    default: return sin_k(h, l);
  }
}

double tan(double x) {
  if (!isfinite(x)) return x - x;
  if (fabs(x) < 0x1p-27) return x;
  double h, l;
  int n = reduce_any(x, &h, &l);
  double sl, cl, s = sin_kl(h, l, &sl), c = cos_kl(h, l, &cl);
  double num = s, num_lo = sl, den = c, den_lo = cl;
  if (n & 1) { /* tan = -cos/sin in the odd quadrants */
    num = -c;
    num_lo = -cl;
    den = s;
    den_lo = sl;
  }
  /* (num + num_lo) / (den + den_lo): the quotient plus one correction step. */
  double q = num / den;
  double r = fma(-q, den, num) + (num_lo - q * den_lo);
  return q + r / den;
}

/* atan(t) for |t| < 0.44: t + t z P(z), Taylor to t^47. */
static double atan_series(double t) {
  double z = t * t, p = -1.0 / 47;
  for (int j = 45; j >= 3; j -= 2) p = p * z + ((j & 2) ? -1.0 : 1.0) / j;
  return t + t * z * p;
}

/* atan(a) for a >= 0 (not NaN) as hi + *lo. */
static double atan_hl(double a, double *lo) {
  static const double HI[4] = {0x1.dac670561bb4fp-2, 0x1.921fb54442d18p-1, 0x1.f730bd281f69bp-1,
                               0x1.921fb54442d18p+0};
  static const double LO[4] = {0x1.a2b7f222f65e2p-56, 0x1.1a62633145c07p-55, 0x1.007887af0cbbdp-56,
                               0x1.1a62633145c07p-54};
  int id;
  *lo = 0;
  if (a < 0x1p-28) return a;
  if (a < 0.4375) return atan_series(a);
  if (a < 0.6875) {
    id = 0;
    a = (2.0 * a - 1.0) / (2.0 + a);
  } else if (a < 1.1875) {
    id = 1;
    a = (a - 1.0) / (a + 1.0);
  } else if (a < 2.4375) {
    id = 2;
    a = (a - 1.5) / (1.0 + 1.5 * a);
  } else {
    id = 3;
    a = a > 0x1p60 ? 0 : -1.0 / a;
  }
  double s = LO[id] + atan_series(a);
  double h = HI[id] + s;
  *lo = (HI[id] - h) + s; /* exact: |HI| > |s| */
  return h;
}

double atan(double x) {
  if (isnan(x)) return x + x;
  double lo, h = atan_hl(fabs(x), &lo);
  return copysign(h + lo, x);
}

double atan2(double y, double x) {
  if (isnan(x) || isnan(y)) return x + y;
  double r;
  if (y == 0) {
    r = signbit(x) ? PI_HI + PI_LO : 0.0;
  } else if (x == 0) {
    r = PIO2_HI + PIO2_LO;
  } else if (isinf(y)) {
    r = isinf(x) ? (x > 0 ? PIO4_HI + PIO4_LO : 3 * PIO4_HI + 3 * PIO4_LO) : PIO2_HI + PIO2_LO;
  } else if (isinf(x)) {
    r = x > 0 ? 0.0 : PI_HI + PI_LO;
  } else {
    double lo, a = atan_hl(fabs(y / x), &lo);
    if (x > 0) r = a + lo;
    else { /* pi - atan, in double-double */
      double d = PI_HI - a, err = (PI_HI - d) - a;
      r = d + (err + (PI_LO - lo));
    }
  }
  return copysign(r, y);
}

/* asin(z) for |z| <= 1/2 as hi + *lo: z + z^3 P(z^2), the Taylor series
 * sum a_n z^(2n+1) with a_n = a_(n-1) (2n-1)^2 / (2n (2n+1)), to n = 27. */
static double asin_small(double z, double *lo) {
  static double a[28];
  if (a[0] == 0) {
    a[0] = 1;
    for (int n = 1; n < 28; n++) a[n] = a[n - 1] * (2.0 * n - 1) * (2.0 * n - 1) / (2.0 * n * (2 * n + 1));
  }
  double w = z * z, p = a[27];
  for (int n = 26; n >= 1; n--) p = p * w + a[n];
  double t = z * w * p, h = z + t;
  *lo = (z - h) + t; /* exact: |z| > |t| */
  return h;
}

/* asin(sqrt(v)) * 2 as hi + *lo, for v = (1 - |x|)/2 in [0, 1/4] (exact):
 * the square root's rounding error is carried as its derivative term. */
static double twice_asin_sqrt(double v, double *lo) {
  double s = sqrt(v);
  double s_lo = fma(-s, s, v) / (2.0 * s); /* sqrt(v) = s + s_lo to about 2^-106 */
  double l, h = asin_small(s, &l);
  l += s_lo / sqrt(1.0 - v); /* d/ds asin(s) = 1/sqrt(1 - s^2) */
  *lo = 2.0 * l;
  return 2.0 * h;
}

double asin(double x) {
  double a = fabs(x), lo, r;
  if (!(a <= 1.0)) return (x - x) / (x - x); /* NaN: invalid, or NaN in */
  if (a < 0x1p-26) return x;
  if (a <= 0.5) {
    r = asin_small(a, &lo);
    r += lo;
  } else { /* pi/2 - 2 asin(sqrt((1-a)/2)) */
    double h = a == 1.0 ? 0 : twice_asin_sqrt(0.5 * (1.0 - a), &lo);
    if (a == 1.0) lo = 0;
    r = PIO2_HI - h;
    double err = (PIO2_HI - r) - h;
    r += err + (PIO2_LO - lo);
  }
  return copysign(r, x);
}

double acos(double x) {
  double a = fabs(x), lo, h;
  if (!(a <= 1.0)) return (x - x) / (x - x);
  if (a <= 0.5) { /* pi/2 - asin(x) */
    h = a < 0x1p-57 ? x : asin_small(x, &lo);
    if (a < 0x1p-57) lo = 0;
    double r = PIO2_HI - h, err = (PIO2_HI - r) - h;
    return r + (err + (PIO2_LO - lo));
  }
  if (a == 1.0) return x > 0 ? 0.0 : PI_HI + PI_LO;
  h = twice_asin_sqrt(0.5 * (1.0 - a), &lo);
  if (x > 0) return h + lo; /* 2 asin(sqrt((1-x)/2)) */
  double r = PI_HI - h, err = (PI_HI - r) - h; /* pi - 2 asin(sqrt((1+x)/2)) */
  return r + (err + (PI_LO - lo));
}

float sinf(float x) { return (float)sin(x); }
float cosf(float x) { return (float)cos(x); }
float tanf(float x) { return (float)tan(x); }
float asinf(float x) { return (float)asin(x); }
float acosf(float x) { return (float)acos(x); }
float atanf(float x) { return (float)atan(x); }
float atan2f(float y, float x) { return (float)atan2(y, x); }
#endif
