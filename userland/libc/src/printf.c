/* printf family: one formatter writing to a sink (string, stream or fd).
 * Conversions d i u x X o s c p n %, flags - + space # 0, width and precision
 * (also *), length hh h l ll z j t; with an FPU also e E f F g G a A (the
 * digits come from fp_print.c). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#ifdef __riscv_flen
#include "fp_internal.h"
#endif

int __stdio_write(FILE *f, const char *p, size_t n);

struct sink {
  char *buf;  /* string sink: destination (may be NULL when cap is 0) */
  size_t cap; /* string sink: capacity including the NUL */
  size_t len; /* characters produced so far (the return value) */
  FILE *f;    /* stream sink */
  int fd;     /* fd sink (-1 if not used) */
  char tmp[128];
  size_t tlen;
};

/* Stream and fd output is gathered in tmp so that an unbuffered stderr still
 * gets one write per call rather than one per piece. */
static void drain(struct sink *s) {
  if (!s->tlen) return;
  if (s->f) __stdio_write(s->f, s->tmp, s->tlen);
  else write(s->fd, s->tmp, s->tlen);
  s->tlen = 0;
}

static void out(struct sink *s, const char *p, size_t n) {
  if (s->f || s->fd >= 0) {
    s->len += n;
    while (n) {
      size_t k = sizeof s->tmp - s->tlen;
      if (k > n) k = n;
      memcpy(s->tmp + s->tlen, p, k);
      s->tlen += k;
      p += k;
      n -= k;
      if (s->tlen == sizeof s->tmp) drain(s);
    }
    return;
  }
  if (s->len + 1 < s->cap) {
    size_t room = s->cap - 1 - s->len;
    memcpy(s->buf + s->len, p, n < room ? n : room);
  }
  s->len += n;
}

static void pad(struct sink *s, char c, int n) {
  char block[16];
  memset(block, c, sizeof block);
  while (n > 0) {
    int k = n < (int)sizeof block ? n : (int)sizeof block;
    out(s, block, (size_t)k);
    n -= k;
  }
}

#ifdef __riscv_flen
/* One float conversion: the body comes from __fp_format (in a stack buffer, or
 * a heap one for long results such as %.500f), padding is done here. */
static void put_float(struct sink *s, char conv, int flags, int width, int prec, double x) {
  char small[352], *buf = small;
  int pre;
  int len = __fp_format(small, (int)sizeof small, conv, flags, prec, x, &pre);
  if (len >= (int)sizeof small) {
    buf = malloc((size_t)len + 1);
    if (!buf) return;
    __fp_format(buf, len + 1, conv, flags, prec, x, &pre);
  }
  int padn = width > len ? width - len : 0;
  if (flags & FL_LEFT) {
    out(s, buf, (size_t)len);
    pad(s, ' ', padn);
  } else if ((flags & FL_ZERO) && pre >= 0) {
    out(s, buf, (size_t)pre);
    pad(s, '0', padn);
    out(s, buf + pre, (size_t)(len - pre));
  } else {
    pad(s, ' ', padn);
    out(s, buf, (size_t)len);
  }
  if (buf != small) free(buf);
}
#endif

static void format(struct sink *s, const char *fmt, va_list ap) {
  while (*fmt) {
    if (*fmt != '%') {
      const char *start = fmt;
      while (*fmt && *fmt != '%') fmt++;
      out(s, start, (size_t)(fmt - start));
      continue;
    }
    const char *spec_start = fmt++;
    int flags = 0;
    for (;; fmt++) {
      if (*fmt == '-') flags |= FL_LEFT;
      else if (*fmt == '+') flags |= FL_PLUS;
      else if (*fmt == ' ') flags |= FL_SPACE;
      else if (*fmt == '#') flags |= FL_ALT;
      else if (*fmt == '0') flags |= FL_ZERO;
      else break;
    }
    int width = 0, prec = -1;
    if (*fmt == '*') {
      width = va_arg(ap, int);
      if (width < 0) {
        flags |= FL_LEFT;
        width = -width;
      }
      fmt++;
    } else {
      while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    }
    if (*fmt == '.') {
      fmt++;
      prec = 0;
      if (*fmt == '*') {
        prec = va_arg(ap, int);
        if (prec < 0) prec = -1;
        fmt++;
      } else {
        while (*fmt >= '0' && *fmt <= '9') prec = prec * 10 + (*fmt++ - '0');
      }
    }
    int lng = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long */
    for (;; fmt++) {
      if (*fmt == 'h') lng--;
      else if (*fmt == 'l') lng++;
      else if (*fmt == 'z' || *fmt == 't') lng = 1; /* 32-bit size_t/ptrdiff_t */
      else if (*fmt == 'j') lng = 2;
      else break;
    }
    char conv = *fmt;
    if (conv) fmt++;
    char num[32];
    const char *body = num;
    size_t blen = 0;
    const char *prefix = "";
    unsigned long long v = 0;
    int base = 10, upper = 0, is_num = 1, neg = 0;
    switch (conv) {
      case 'd':
      case 'i': {
        long long x;
        if (lng >= 2) x = va_arg(ap, long long);
        else if (lng == 1) x = va_arg(ap, long);
        else x = va_arg(ap, int);
        if (lng == -1) x = (short)x;
        if (lng <= -2) x = (signed char)x;
        neg = x < 0;
        v = neg ? 0 - (unsigned long long)x : (unsigned long long)x;
        if (neg) prefix = "-";
        else if (flags & FL_PLUS) prefix = "+";
        else if (flags & FL_SPACE) prefix = " ";
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o':
        if (lng >= 2) v = va_arg(ap, unsigned long long);
        else if (lng == 1) v = va_arg(ap, unsigned long);
        else v = va_arg(ap, unsigned int);
        if (lng == -1) v = (unsigned short)v;
        if (lng <= -2) v = (unsigned char)v;
        if (conv == 'x' || conv == 'X') {
          base = 16;
          upper = conv == 'X';
          if ((flags & FL_ALT) && v) prefix = upper ? "0X" : "0x";
        } else if (conv == 'o') {
          base = 8;
        }
        break;
      case 'p': {
        void *ptr = va_arg(ap, void *);
        if (!ptr) {
          body = "(nil)";
          blen = 5;
          is_num = 0;
          prec = -1;
        } else {
          v = (uintptr_t)ptr;
          base = 16;
          prefix = "0x";
        }
        break;
      }
      case 'c':
        num[0] = (char)va_arg(ap, int);
        blen = 1;
        is_num = 0;
        prec = -1;
        break;
      case 's':
        body = va_arg(ap, const char *);
        if (!body) body = "(null)";
        blen = prec >= 0 ? strnlen(body, (size_t)prec) : strlen(body);
        is_num = 0;
        prec = -1;
        break;
      case 'n':
        *va_arg(ap, int *) = (int)s->len;
        continue;
#ifdef __riscv_flen
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
      case 'a':
      case 'A':
        put_float(s, conv, flags, width, prec, va_arg(ap, double));
        continue;
#endif
      case '%':
        out(s, "%", 1);
        continue;
      default:
        /* Unknown conversion: print it literally so the mistake is visible. */
        out(s, spec_start, (size_t)(fmt - spec_start));
        continue;
    }
    int zeros = 0;
    if (is_num) {
      char *end = num + sizeof num, *p = end;
      const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
      if (v >> 32) {
        while (v) {
          *--p = digits[v % (unsigned)base];
          v /= (unsigned)base;
        }
      } else {
        unsigned w = (unsigned)v; /* 32-bit division is one instruction */
        while (w) {
          *--p = digits[w % (unsigned)base];
          w /= (unsigned)base;
        }
      }
      if (p == end && prec != 0) *--p = '0';
      if (conv == 'o' && (flags & FL_ALT) && (p == end || *p != '0')) *--p = '0';
      body = p;
      blen = (size_t)(end - p);
      if (prec >= 0 && (size_t)prec > blen) zeros = prec - (int)blen;
      else if (prec < 0 && (flags & FL_ZERO) && !(flags & FL_LEFT)) {
        int used = (int)(strlen(prefix) + blen);
        if (width > used) zeros = width - used;
      }
    }
    int total = (int)(strlen(prefix) + (size_t)zeros + blen);
    if (!(flags & FL_LEFT) && width > total) pad(s, ' ', width - total);
    out(s, prefix, strlen(prefix));
    pad(s, '0', zeros);
    out(s, body, blen);
    if ((flags & FL_LEFT) && width > total) pad(s, ' ', width - total);
  }
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap) {
  struct sink s = {buf, n, 0, 0, -1, {0}, 0};
  format(&s, fmt, ap);
  if (n) buf[s.len < n ? s.len : n - 1] = 0;
  return (int)s.len;
}

int vsprintf(char *buf, const char *fmt, va_list ap) { return vsnprintf(buf, 0x7fffffff, fmt, ap); }

int vfprintf(FILE *f, const char *fmt, va_list ap) {
  struct sink s = {0, 0, 0, f, -1, {0}, 0};
  format(&s, fmt, ap);
  drain(&s);
  return ferror(f) ? -1 : (int)s.len;
}

int vprintf(const char *fmt, va_list ap) { return vfprintf(stdout, fmt, ap); }

int vdprintf(int fd, const char *fmt, va_list ap) {
  struct sink s = {0, 0, 0, 0, fd, {0}, 0};
  format(&s, fmt, ap);
  drain(&s);
  return (int)s.len;
}

int snprintf(char *buf, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vsnprintf(buf, n, fmt, ap);
  va_end(ap);
  return r;
}
int sprintf(char *buf, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vsprintf(buf, fmt, ap);
  va_end(ap);
  return r;
}
int fprintf(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vfprintf(f, fmt, ap);
  va_end(ap);
  return r;
}
int printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vfprintf(stdout, fmt, ap);
  va_end(ap);
  return r;
}
int dprintf(int fd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vdprintf(fd, fmt, ap);
  va_end(ap);
  return r;
}
