/* strtod, strtof, atof: correctly rounded in the current rounding mode.
 *
 * Decimal input keeps up to 800 significant digits (more than the 767 a
 * double's halfway cases can need; anything nonzero after that only sets a
 * sticky digit). The digits D and the exponent E give D * 5^E * 2^E; one big
 * division produces 64 quotient bits plus a sticky remainder bit, and
 * __fp_make rounds that once to 53 (or 24) bits, subnormals included. Hex
 * input (0x1.8p3) is exact up to 16 hex digits plus sticky. Also inf,
 * infinity, nan and nan(chars), any case. */
#ifdef __riscv_flen
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "fp_internal.h"

#define MAX_SIG 800

uint64_t __fp_make(uint64_t q, int sticky, int e2, int neg, int is_float, int *range) {
  int mbits = is_float ? 24 : 53, emin = is_float ? -126 : -1022, emax = is_float ? 127 : 1023;
  int mode = __fp_round_mode();
  uint64_t sign = (uint64_t)neg << (is_float ? 31 : 63);
  if (!q) return sign;
  int qb = 64 - __builtin_clzll(q);
  int ex = qb - 1 + e2; /* exponent of the leading bit */
  int bits = ex >= emin ? mbits : mbits - (emin - ex);
  int shift = qb - bits; /* bits of q to drop (negative: q is short, shift left) */
  uint64_t m;
  int up = 0;
  if (shift <= 0) {
    m = q << -shift; /* shift > -64 as bits <= 53 */
  } else {
    uint64_t rem = shift >= 64 ? q : q & ((1ull << shift) - 1);
    uint64_t half = shift > 64 ? 0 : 1ull << (shift - 1);
    m = shift >= 64 ? 0 : q >> shift;
    int nonzero = rem || sticky;
    int above = shift > 64 ? 0 : rem > half || (rem == half && sticky);
    int tie = shift <= 64 && rem == half && !sticky;
    switch (mode) {
      case 1: up = 0; break;
      case 2: up = neg && nonzero; break;
      case 3: up = !neg && nonzero; break;
      case 4: up = above || tie; break;
      default: up = above || (tie && (m & 1)); break;
    }
    if (nonzero && ex < emin) *range = 1; /* tiny and inexact */
    sticky = nonzero;
  }
  m += (uint64_t)up;
  if (ex >= emin && m >> mbits) { /* rounding carried into a new bit */
    m >>= 1;
    ex++;
  }
  if (ex > emax) {
    *range = 1;
    int to_inf = mode == 0 || mode == 4 || (mode == 2 && neg) || (mode == 3 && !neg);
    uint64_t inf = is_float ? 0x7f800000ull : 0x7ff0000000000000ull;
    return sign | (to_inf ? inf : inf - 1);
  }
  if (ex < emin || !(m >> (mbits - 1))) {
    /* Subnormal (m may have rounded up to the smallest normal: same bits). */
    if (!m) *range = 1;
    return sign | m;
  }
  uint64_t frac = m & ((1ull << (mbits - 1)) - 1);
  return sign | ((uint64_t)(ex + (is_float ? 127 : 1023)) << (mbits - 1)) | frac;
}

static int lower_eq(const char *s, const char *word) {
  while (*word)
    if (tolower((unsigned char)*s++) != *word++) return 0;
  return 1;
}

static uint64_t parse_hex(const char *s, const char **end, int neg, int is_float, int *range) {
  uint64_t q = 0;
  int e2 = 0, sticky = 0, any = 0, seen_point = 0;
  for (;; s++) {
    int c = (unsigned char)*s, v;
    if (c == '.' && !seen_point) {
      seen_point = 1;
      continue;
    }
    if (isdigit(c)) v = c - '0';
    else if (isxdigit(c)) v = (c | 0x20) - 'a' + 10;
    else break;
    any = 1;
    if (q >> 60) { /* no room: the digit only adds to the sticky bit */
      sticky |= v != 0;
      if (!seen_point) e2 += 4;
    } else {
      q = q << 4 | (uint64_t)v;
      if (seen_point) e2 -= 4;
    }
  }
  if (!any) return 0;
  if (*s == 'p' || *s == 'P') {
    const char *p = s + 1;
    int eneg = *p == '-';
    if (*p == '+' || *p == '-') p++;
    if (isdigit((unsigned char)*p)) {
      long x = 0;
      while (isdigit((unsigned char)*p)) {
        if (x < 100000) x = x * 10 + (*p - '0');
        p++;
      }
      e2 += eneg ? -(int)x : (int)x;
      s = p;
    }
  }
  *end = s;
  return __fp_make(q, sticky, e2, neg, is_float, range);
}

/* D * 10^E rounded: D is the digit string (n digits, no leading zeros). */
static uint64_t decimal_value(const char *dig, int n, int e10, int neg, int is_float,
                              int *range) {
  static struct big num, den;
  if (n + e10 > 311) return __fp_make(1, 0, 2000, neg, is_float, range);        /* overflow */
  if (n + e10 < -326) return __fp_make(1, 0, -2000, neg, is_float, range);      /* underflow */
  __big_set(&num, 0);
  for (int i = 0; i < n; i += 9) {
    uint32_t chunk = 0, scale = 1;
    for (int k = i; k < n && k < i + 9; k++) {
      chunk = chunk * 10 + (uint32_t)(dig[k] - '0');
      scale *= 10;
    }
    __big_mul_small(&num, scale);
    __big_add_small(&num, chunk);
  }
  __big_set(&den, 1);
  if (e10 >= 0) __big_mul_pow5(&num, e10);
  else __big_mul_pow5(&den, -e10);
  int k = 63 + __big_bitlen(&den) - __big_bitlen(&num); /* quotient in [2^62, 2^64) */
  if (k > 0) __big_shl(&num, k);
  else __big_shl(&den, -k);
  uint64_t q = __big_div64(&num, &den);
  return __fp_make(q, num.n != 0, e10 - k, neg, is_float, range);
}

static uint64_t parse(const char *s, char **endp, int is_float) {
  static char dig[MAX_SIG + 1];
  const char *start = s, *end = s;
  int range = 0;
  uint64_t r = 0;
  while (isspace((unsigned char)*s)) s++;
  int neg = *s == '-';
  if (*s == '+' || *s == '-') s++;
  uint64_t inf = is_float ? 0x7f800000ull : 0x7ff0000000000000ull;
  uint64_t sign = (uint64_t)neg << (is_float ? 31 : 63);
  if (lower_eq(s, "inf")) {
    end = s + (lower_eq(s, "infinity") ? 8 : 3);
    r = sign | inf;
  } else if (lower_eq(s, "nan")) {
    end = s + 3;
    uint64_t quiet = is_float ? 0x400000ull : 0x8000000000000ull, payload = 0;
    if (*end == '(') {
      const char *p = end + 1;
      while (isalnum((unsigned char)*p) || *p == '_') p++;
      if (*p == ')') {
        /* nan(N): a number N becomes the payload, as in glibc */
        char *num_end;
        int saved = errno;
        unsigned long long v = strtoull(end + 1, &num_end, 0);
        errno = saved;
        if (num_end == p) payload = v & (quiet - 1);
        end = p + 1;
      }
    }
    r = sign | inf | quiet | payload;
  } else if (s[0] == '0' && (s[1] | 0x20) == 'x' &&
             (isxdigit((unsigned char)s[2]) || (s[2] == '.' && isxdigit((unsigned char)s[3])))) {
    r = parse_hex(s + 2, &end, neg, is_float, &range);
  } else {
    int n = 0, e10 = 0, any = 0, seen_point = 0, sticky = 0;
    for (;; s++) {
      if (*s == '.' && !seen_point) {
        seen_point = 1;
        continue;
      }
      if (!isdigit((unsigned char)*s)) break;
      any = 1;
      if (n == 0 && *s == '0') {
        if (seen_point) e10--;
        continue;
      }
      if (n < MAX_SIG) {
        dig[n++] = *s;
        if (seen_point) e10--;
      } else {
        sticky |= *s != '0';
        if (!seen_point) e10++;
      }
    }
    if (any) {
      end = s;
      if ((*s | 0x20) == 'e') {
        const char *p = s + 1;
        int eneg = *p == '-';
        if (*p == '+' || *p == '-') p++;
        if (isdigit((unsigned char)*p)) {
          long x = 0;
          while (isdigit((unsigned char)*p)) {
            if (x < 100000) x = x * 10 + (*p - '0');
            p++;
          }
          e10 += eneg ? -(int)x : (int)x;
          end = p;
        }
      }
      if (sticky) { /* one more digit stands for everything dropped */
        dig[n++] = '1';
        e10--;
      }
      r = n ? decimal_value(dig, n, e10, neg, is_float, &range) : sign;
    }
  }
  if (endp) *endp = (char *)(end == start ? start : end);
  if (range) errno = ERANGE;
  return r;
}

double strtod(const char *s, char **end) { return __bits_double(parse(s, end, 0)); }
float strtof(const char *s, char **end) { return __bits_float((uint32_t)parse(s, end, 1)); }
double atof(const char *s) { return strtod(s, 0); }
#endif
