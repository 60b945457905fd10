/* scanf family: one engine reading from a string or a stream.
 *
 * Conversions d i u o x X p c s [set] n %, with assignment suppression (*),
 * maximum width and lengths hh h l ll j z t; with an FPU also e f g a (and
 * upper case, l for double) through strtod/strtof. Numbers are collected into
 * a buffer first (at most the width, and syntax-checked as they are read),
 * then converted, so a field never reads more than one character past its
 * end; that one character is pushed back (ungetc on streams). */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct src {
  const char *s; /* string source, or NULL */
  FILE *f;       /* stream source */
  int count;     /* characters consumed (for %n) */
};

static int get(struct src *r) {
  int c;
  if (r->s) c = *r->s ? (unsigned char)*r->s++ : EOF;
  else c = fgetc(r->f);
  if (c != EOF) r->count++;
  return c;
}

static void unget(struct src *r, int c) {
  if (c == EOF) return;
  r->count--;
  if (r->s) r->s--;
  else ungetc(c, r->f);
}

static int skip_space(struct src *r) {
  int c;
  while ((c = get(r)) != EOF && isspace(c)) {
  }
  unget(r, c);
  return c;
}

static int digit_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

/* Reads an integer in `base` (0: C prefixes) into buf; returns the base used, or -1. */
static int scan_int(struct src *r, int width, int base, char *buf, size_t cap) {
  size_t n = 0;
  int digits = 0, c = get(r);
  if (width <= 0 || width > (int)cap - 1) width = (int)cap - 1;
  if ((c == '+' || c == '-') && width > 1) {
    buf[n++] = (char)c;
    c = get(r);
    width--;
  }
  if ((base == 0 || base == 16) && c == '0' && width > 0) {
    buf[n++] = '0';
    digits = 1;
    width--;
    c = get(r);
    if ((c == 'x' || c == 'X') && width > 0) {
      buf[n++] = (char)c;
      width--;
      base = 16;
      c = get(r);
    } else if (base == 0) {
      base = 8;
    }
  }
  if (base == 0) base = 10;
  while (width > 0 && c != EOF && digit_value(c) < base) {
    buf[n++] = (char)c;
    digits++;
    width--;
    c = get(r);
  }
  unget(r, c);
  buf[n] = 0;
  return digits ? base : -1;
}

static void store_int(va_list *ap, int lng, unsigned long long v) {
  switch (lng) {
    case -2: *va_arg(*ap, signed char *) = (signed char)v; break;
    case -1: *va_arg(*ap, short *) = (short)v; break;
    case 0: *va_arg(*ap, int *) = (int)v; break;
    case 1: *va_arg(*ap, long *) = (long)v; break;
    default: *va_arg(*ap, long long *) = (long long)v; break;
  }
}

#ifdef __riscv_flen
/* A text buffer that starts on the stack and moves to the heap when a float
 * field is longer (strtod takes any number of digits, so scanf does too). */
struct text {
  char *p;
  size_t n, cap;
  char small[256];
};

static int text_put(struct text *t, int c) {
  if (t->n + 1 >= t->cap) {
    size_t cap = t->cap * 2;
    char *q = t->p == t->small ? malloc(cap) : realloc(t->p, cap);
    if (!q) return 0;
    if (t->p == t->small) memcpy(q, t->small, t->n);
    t->p = q;
    t->cap = cap;
  }
  t->p[t->n++] = (char)c;
  t->p[t->n] = 0;
  return 1;
}

/* Collects the longest prefix that strtod accepts (decimal, hex, inf, nan). */
static int scan_float(struct src *r, int width, struct text *t) {
  int digits = 0, c = get(r);
  if (width <= 0) width = INT_MAX;
#define TAKE()                        \
  do {                                \
    if (!text_put(t, c)) goto stop;   \
    width--;                          \
    c = get(r);                       \
  } while (0)
  if ((c == '+' || c == '-') && width > 0) TAKE();
  if (width > 0 && (c == 'i' || c == 'I' || c == 'n' || c == 'N')) {
    const char *word = (c | 0x20) == 'i' ? "infinity" : "nan";
    size_t k = 0;
    while (word[k] && width > 0 && (c | 0x20) == word[k]) {
      TAKE();
      k++;
    }
    unget(r, c);
    return k == 3 || k == 8 ? 0 : -1; /* "inf", "infinity", "nan" */
  }
  int hex = 0, point = 0;
  if (c == '0' && width > 0) {
    TAKE();
    digits = 1;
    /* The x only when a digit may follow within the width (glibc reads "0" otherwise). */
    if ((c == 'x' || c == 'X') && width > 1) {
      hex = 1;
      digits = 0; /* "0x" alone is no number (as glibc) */
      TAKE();
    }
  }
  while (width > 0) {
    if (hex ? isxdigit(c) : isdigit(c)) digits = 1;
    else if (c == '.' && !point) point = 1;
    else break;
    TAKE();
  }
  if (digits && width > 0 && (c | 0x20) == (hex ? 'p' : 'e')) {
    TAKE();
    if ((c == '+' || c == '-') && width > 0) TAKE();
    while (width > 0 && isdigit(c)) TAKE();
  }
  if (hex && point) digits = 1; /* glibc reads "0x." (without an exponent) as zero */
#undef TAKE
stop:
  unget(r, c);
  return digits ? 0 : -1;
}
#endif

/* Parses a %[...] set at fmt (after the '['); returns the end of the set. */
static const char *scan_set(const char *fmt, unsigned char set[256]) {
  int invert = *fmt == '^';
  if (invert) fmt++;
  memset(set, 0, 256);
  if (*fmt == ']') set[(unsigned char)*fmt++] = 1;
  for (; *fmt && *fmt != ']'; fmt++) {
    if (fmt[1] == '-' && fmt[2] && fmt[2] != ']') {
      for (int ch = (unsigned char)fmt[0]; ch <= (unsigned char)fmt[2]; ch++) set[ch] = 1;
      fmt += 2;
    } else {
      set[(unsigned char)*fmt] = 1;
    }
  }
  if (invert)
    for (int i = 0; i < 256; i++) set[i] = !set[i];
  return *fmt ? fmt + 1 : fmt;
}

static int scan(struct src *r, const char *fmt, va_list ap0) {
  va_list ap;
  va_copy(ap, ap0);
  int assigned = 0, any_input = 0;
  char buf[80];
  for (; *fmt; fmt++) {
    if (isspace((unsigned char)*fmt)) {
      skip_space(r);
      continue;
    }
    if (*fmt != '%' || fmt[1] == '%') {
      if (*fmt == '%') {
        fmt++;
        skip_space(r);
      }
      int c = get(r);
      if (c == EOF) goto input_failure;
      any_input = 1;
      if (c != (unsigned char)*fmt) {
        unget(r, c);
        goto done;
      }
      continue;
    }
    fmt++;
    int suppress = *fmt == '*';
    if (suppress) fmt++;
    int width = 0;
    while (isdigit((unsigned char)*fmt)) width = width * 10 + (*fmt++ - '0');
    int lng = 0;
    for (;; fmt++) {
      if (*fmt == 'h') lng--;
      else if (*fmt == 'l') lng++;
      else if (*fmt == 'j' || *fmt == 'L' || *fmt == 'q') lng = 2;
      else if (*fmt == 'z' || *fmt == 't') lng = 1;
      else break;
    }
    char conv = *fmt;
    if (!conv) break;
    if (conv == 'n') {
      if (!suppress) store_int(&ap, lng, (unsigned long long)r->count);
      continue;
    }
    if (conv != 'c' && conv != '[' && skip_space(r) == EOF) goto input_failure;
    switch (conv) {
      case 'd':
      case 'i':
      case 'u':
      case 'o':
      case 'x':
      case 'X':
      case 'p': {
        int base = conv == 'd' || conv == 'u' ? 10 : conv == 'i' ? 0 : conv == 'o' ? 8 : 16;
        int used = scan_int(r, width, base, buf, 64);
        if (used < 0) goto match_failure;
        any_input = 1;
        if (suppress) break;
        /* Signed conversions saturate as strtoll does, the others wrap as strtoull. */
        int is_signed = conv == 'd' || conv == 'i';
        unsigned long long v = is_signed ? (unsigned long long)strtoll(buf, 0, used)
                                         : strtoull(buf, 0, used);
        if (conv == 'p') *va_arg(ap, void **) = (void *)(uintptr_t)v;
        else store_int(&ap, lng, v);
        assigned++;
        break;
      }
      case 'c': {
        if (width <= 0) width = 1;
        char *out = suppress ? 0 : va_arg(ap, char *);
        for (int i = 0; i < width; i++) {
          int c = get(r);
          if (c == EOF) {
            if (i == 0) goto input_failure;
            goto done;
          }
          if (out) out[i] = (char)c;
        }
        any_input = 1;
        if (out) assigned++;
        break;
      }
      case 's':
      case '[': {
        unsigned char set[256];
        if (conv == '[') fmt = scan_set(fmt + 1, set) - 1;
        else
          for (int i = 0; i < 256; i++) set[i] = !isspace(i);
        char *out = suppress ? 0 : va_arg(ap, char *);
        int n = 0, c;
        while ((width <= 0 || n < width) && (c = get(r)) != EOF) {
          if (!set[c]) {
            unget(r, c);
            break;
          }
          if (out) out[n] = (char)c;
          n++;
        }
        if (!n) {
          if (c == EOF) goto input_failure;
          goto match_failure;
        }
        any_input = 1;
        if (out) {
          out[n] = 0;
          assigned++;
        }
        break;
      }
#ifdef __riscv_flen
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
      case 'a':
      case 'A': {
        struct text t = {0, 0, sizeof t.small, {0}};
        t.p = t.small;
        int ok = scan_float(r, width, &t) == 0;
        double d = ok && !suppress ? strtod(t.p, 0) : 0;
        float f = ok && !suppress && lng < 1 ? strtof(t.p, 0) : 0;
        if (t.p != t.small) free(t.p);
        if (!ok) goto match_failure;
        any_input = 1;
        if (suppress) break;
        if (lng >= 1) *va_arg(ap, double *) = d;
        else *va_arg(ap, float *) = f;
        assigned++;
        break;
      }
#endif
      default:
        goto done;
    }
  }
  goto done;
input_failure:
  if (!assigned && !any_input) assigned = EOF;
  goto done;
match_failure:
done:
  va_end(ap);
  return assigned;
}

int vsscanf(const char *s, const char *fmt, va_list ap) {
  struct src r = {s, 0, 0};
  return scan(&r, fmt, ap);
}
int vfscanf(FILE *f, const char *fmt, va_list ap) {
  struct src r = {0, f, 0};
  return scan(&r, fmt, ap);
}
int vscanf(const char *fmt, va_list ap) { return vfscanf(stdin, fmt, ap); }

int sscanf(const char *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsscanf(s, fmt, ap);
  va_end(ap);
  return n;
}
int fscanf(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vfscanf(f, fmt, ap);
  va_end(ap);
  return n;
}
int scanf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vfscanf(stdin, fmt, ap);
  va_end(ap);
  return n;
}
