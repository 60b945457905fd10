/* printf's floating-point conversions %e %f %g %a (and E F G A).
 *
 * The double is converted to its exact decimal expansion with big-integer
 * arithmetic (m * 2^e is m << e, or m * 5^-e with -e digits after the point),
 * at most 767 significant digits. That digit string is then rounded once, at
 * the place the conversion asks for, in the current rounding mode (ties to
 * even by default), as glibc does. %a works on the bits directly. */
#ifdef __riscv_flen
#include <stddef.h>
#include <stdint.h>

#include "fp_internal.h"
#include "internal.h"

#define MAX_DIGITS 800

struct dec {
  int n;   /* significant digits in d (no trailing zeros); 0 for zero */
  int dp;  /* value = 0.d[0]d[1]... * 10^dp */
  int neg; /* sign (for directed rounding) */
  char d[MAX_DIGITS + 16];
};

struct sb {
  char *buf;
  int cap, len;
};

static void put(struct sb *o, char c) {
  if (o->len < o->cap - 1) o->buf[o->len] = c;
  o->len++;
}

static void puts_(struct sb *o, const char *s) {
  while (*s) put(o, *s++);
}

/* Exact decimal expansion of |x|, x finite and nonzero. */
static void to_decimal(double x, struct dec *r) {
  static struct big b;
  uint64_t bits = __double_bits(x);
  int ex = (int)(bits >> 52) & 0x7ff;
  uint64_t m = bits & ((1ull << 52) - 1);
  int e = ex ? ex - 1075 : -1074;
  if (ex) m |= 1ull << 52;
  __big_set(&b, m);
  int frac_digits = 0;
  if (e >= 0) __big_shl(&b, e);
  else {
    __big_mul_pow5(&b, -e);
    frac_digits = -e;
  }
  char *end = r->d + sizeof r->d, *p = end;
  while (b.n) {
    uint32_t chunk = __big_divmod_small(&b, 1000000000u);
    for (int i = 0; i < 9 && (b.n || chunk); i++) {
      *--p = (char)('0' + chunk % 10);
      chunk /= 10;
    }
  }
  int len = (int)(end - p);
  for (int i = 0; i < len; i++) r->d[i] = p[i];
  r->n = len;
  r->dp = len - frac_digits;
  while (r->n && r->d[r->n - 1] == '0') r->n--;
}

/* Whether dropping what lies below a kept last digit `last` (its parity
 * matters for ties) rounds up: first is the first dropped digit, rest says
 * whether anything nonzero follows it. */
static int rounds_up(int mode, int neg, int last_odd, int first, int rest) {
  int nonzero = first || rest;
  switch (mode) {
    case 1: return 0;                 /* toward zero */
    case 2: return neg && nonzero;    /* down */
    case 3: return !neg && nonzero;   /* up */
    case 4: return first >= 5;        /* nearest, ties away */
    default: return first > 5 || (first == 5 && (rest || last_odd));
  }
}

/* Keeps the first pos digits (pos may be <= 0: then the value is below the
 * kept place) and rounds once. */
static void round_dec(struct dec *r, int pos, int mode) {
  if (pos >= r->n) return;
  int up;
  if (pos < 0) up = rounds_up(mode, r->neg, 0, 0, 1);
  else {
    int last_odd = pos > 0 && ((r->d[pos - 1] - '0') & 1);
    up = rounds_up(mode, r->neg, last_odd, r->d[pos] - '0', pos + 1 < r->n);
  }
  if (pos <= 0) {
    if (up) {
      r->d[0] = '1';
      r->n = 1;
      r->dp = r->dp - pos + 1;
    } else {
      r->n = 0;
    }
    return;
  }
  r->n = pos;
  if (up) {
    int i = pos - 1;
    while (i >= 0 && r->d[i] == '9') r->d[i--] = '0';
    if (i < 0) {
      r->d[0] = '1';
      r->n = 1;
      r->dp++;
    } else {
      r->d[i]++;
    }
  }
  while (r->n && r->d[r->n - 1] == '0') r->n--;
}

static char digit(const struct dec *r, int i) { return i >= 0 && i < r->n ? r->d[i] : '0'; }

static void put_fixed(struct sb *o, const struct dec *r, int prec, int alt) {
  if (r->n == 0 || r->dp <= 0) put(o, '0');
  else
    for (int i = 0; i < r->dp; i++) put(o, digit(r, i));
  if (prec > 0 || alt) put(o, '.');
  for (int i = 0; i < prec; i++) put(o, digit(r, r->dp + i));
}

static void put_exp10(struct sb *o, int e, char letter) {
  put(o, letter);
  put(o, e < 0 ? '-' : '+');
  if (e < 0) e = -e;
  char t[8];
  int k = 0;
  do {
    t[k++] = (char)('0' + e % 10);
    e /= 10;
  } while (e);
  if (k < 2) t[k++] = '0';
  while (k) put(o, t[--k]);
}

static void put_sci(struct sb *o, const struct dec *r, int prec, int alt, int upper) {
  put(o, digit(r, 0));
  if (prec > 0 || alt) put(o, '.');
  for (int i = 1; i <= prec; i++) put(o, digit(r, i));
  put_exp10(o, r->n ? r->dp - 1 : 0, upper ? 'E' : 'e');
}

static void put_g(struct sb *o, struct dec *r, int prec, int alt, int upper, int mode) {
  int p = prec < 0 ? 6 : prec == 0 ? 1 : prec;
  if (r->n) round_dec(r, p, mode);
  int x = r->n ? r->dp - 1 : 0;
  if (p > x && x >= -4) {
    int fp = p - 1 - x;
    if (!alt) {
      int have = r->n - r->dp; /* fraction digits that are not trailing zeros */
      if (have < fp) fp = have < 0 ? 0 : have;
    }
    put_fixed(o, r, fp, alt);
  } else {
    int ep = p - 1;
    if (!alt && r->n - 1 < ep) ep = r->n ? r->n - 1 : 0;
    put_sci(o, r, ep, alt, upper);
  }
}

static void put_hex(struct sb *o, double x, int prec, int alt, int upper, int mode) {
  const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  uint64_t bits = __double_bits(x);
  int ex = (int)(bits >> 52) & 0x7ff;
  uint64_t full = bits & ((1ull << 52) - 1);
  int e2 = 0;
  if (ex) {
    full |= 1ull << 52;
    e2 = ex - 1023;
  } else if (full) {
    e2 = -1022;
  }
  int nd = 13; /* fraction digits held in the low 52 bits of full */
  if (prec >= 0 && prec < 13) {
    int drop = (13 - prec) * 4;
    uint64_t rem = full & ((1ull << drop) - 1), half = 1ull << (drop - 1);
    full >>= drop;
    /* The dropped bits as a "first digit" against a half: 6 above, 5 exactly, 1 below. */
    int first = rem > half ? 6 : rem == half ? 5 : rem ? 1 : 0;
    full += (uint64_t)rounds_up(mode, (int)(bits >> 63), (int)(full & 1), first, 0);
    nd = prec;
  }
  put(o, '0');
  put(o, upper ? 'X' : 'x');
  put(o, hex[full >> (nd * 4)]);
  int shown = nd;
  if (prec < 0)
    while (shown > 0 && !((full >> ((nd - shown) * 4)) & 15)) shown--;
  if (shown > 0 || alt || prec > 0) put(o, '.');
  for (int i = 1; i <= shown; i++) put(o, hex[(full >> ((nd - i) * 4)) & 15]);
  for (int i = nd; i < prec; i++) put(o, '0');
  put(o, upper ? 'P' : 'p');
  put(o, e2 < 0 ? '-' : '+');
  char t[8];
  int k = 0, a = e2 < 0 ? -e2 : e2;
  do {
    t[k++] = (char)('0' + a % 10);
    a /= 10;
  } while (a);
  while (k) put(o, t[--k]);
}

int __fp_format(char *buf, int cap, char conv, int flags, int prec, double x, int *prefix) {
  struct sb o = {buf, cap, 0};
  uint64_t bits = __double_bits(x);
  int neg = (int)(bits >> 63);
  int upper = conv == 'E' || conv == 'F' || conv == 'G' || conv == 'A';
  int alt = (flags & FL_ALT) != 0;
  if (neg) put(&o, '-');
  else if (flags & FL_PLUS) put(&o, '+');
  else if (flags & FL_SPACE) put(&o, ' ');
  *prefix = o.len;
  if (((bits >> 52) & 0x7ff) == 0x7ff) {
    puts_(&o, (bits << 12) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"));
    *prefix = -1;
  } else {
    int mode = __fp_round_mode();
    char lc = (char)(conv | 0x20);
    if (lc == 'a') {
      put_hex(&o, x, prec, alt, upper, mode);
      *prefix += 2;
    } else {
      static struct dec r;
      r.n = 0;
      r.dp = 0;
      r.neg = neg;
      if (bits << 1) to_decimal(x, &r);
      if (prec < 0) prec = 6;
      if (lc == 'f') {
        round_dec(&r, r.dp + prec, mode);
        put_fixed(&o, &r, prec, alt);
      } else if (lc == 'e') {
        round_dec(&r, prec + 1, mode);
        put_sci(&o, &r, prec, alt, upper);
      } else {
        put_g(&o, &r, prec, alt, upper, mode);
      }
    }
  }
  if (cap > 0) buf[o.len < cap ? o.len : cap - 1] = 0;
  return o.len;
}
#endif
