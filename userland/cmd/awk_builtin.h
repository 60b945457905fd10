/* awk built-in functions (included once by awk.c, after eval() is declared).
 *
 *   format()        printf/sprintf conversions (%c %d %i %o %u %x %X %e %E %f
 *                   %F %g %G %s %%, flags, width and precision, `*`)
 *   substitute()    sub and gsub (& is the match, \& a literal &)
 *   call_builtin()  length substr index split sub gsub match sprintf tolower
 *                   toupper int sqrt exp log sin cos atan2 rand srand system
 *                   close fflush */
#ifndef STRATA_AWK_BUILTIN_H
#define STRATA_AWK_BUILTIN_H

#include <time.h>

#include "awk_io.h"

/* Appends one conversion: spec is "%[flags][width][.prec]" plus conv. */
static void format_one(struct buf *b, char *spec, size_t slen, int conv, struct val *arg) {
  char out[512];
  char *big = NULL;
  int len;
  spec[slen] = 0;
  switch (conv) {
  case 'd':
  case 'i': {
    double d = arg ? val_num(arg) : 0;
    long long x = d >= 9.2e18 ? 9223372036854775807LL : d <= -9.2e18 ? (-9223372036854775807LL - 1) : (long long)d;
    memcpy(spec + slen, "lld", 4);
    len = snprintf(out, sizeof out, spec, x);
    break;
  }
  case 'o':
  case 'u':
  case 'x':
  case 'X': {
    double d = arg ? val_num(arg) : 0;
    unsigned long long x = d < 0 ? (unsigned long long)(long long)d : (unsigned long long)d;
    spec[slen] = 'l';
    spec[slen + 1] = 'l';
    spec[slen + 2] = (char)conv;
    spec[slen + 3] = 0;
    len = snprintf(out, sizeof out, spec, x);
    break;
  }
  case 'c': {
    char ch[2] = {0, 0};
    if (arg && (arg->fl & V_NUM)) ch[0] = (char)(int)arg->n;
    else if (arg) ch[0] = val_str(arg)[0];
    memcpy(spec + slen, "s", 2);
    if (!ch[0] && arg) {
      /* NUL character: width padding only */
      buf_add(b, "", 1);
      return;
    }
    len = snprintf(out, sizeof out, spec, ch);
    break;
  }
  case 's': {
    const char *s = arg ? val_str(arg) : "";
    memcpy(spec + slen, "s", 2);
    len = snprintf(out, sizeof out, spec, s);
    if (len >= (int)sizeof out) {
      big = xmalloc((size_t)len + 1);
      snprintf(big, (size_t)len + 1, spec, s);
    }
    break;
  }
  default: {
    double d = arg ? val_num(arg) : 0;
    spec[slen] = (char)conv;
    spec[slen + 1] = 0;
    len = snprintf(out, sizeof out, spec, d);
    if (len >= (int)sizeof out) {
      big = xmalloc((size_t)len + 1);
      snprintf(big, (size_t)len + 1, spec, d);
    }
  }
  }
  if (len < 0) return;
  if (big) {
    buf_add(b, big, (size_t)len);
    free(big);
  } else buf_add(b, out, (size_t)len < sizeof out ? (size_t)len : sizeof out - 1);
}

/* Formats fmt with args[0..nargs) (missing ones read as "" / 0); *len gets
 * the length (a %c of 0 writes a NUL byte). */
static char *format(const char *fmt, struct val *args, int nargs, size_t *len) {
  struct buf b = {0};
  int ai = 0;
  for (const char *p = fmt; *p;) {
    if (*p != '%') {
      const char *q = strchr(p, '%');
      size_t n = q ? (size_t)(q - p) : strlen(p);
      buf_add(&b, p, n);
      p += n;
      continue;
    }
    if (p[1] == '%') {
      buf_add(&b, "%", 1);
      p += 2;
      continue;
    }
    char spec[64];
    size_t sl = 0;
    spec[sl++] = *p++;
    while (*p && strchr("-+ #0", *p) && sl < 20) spec[sl++] = *p++;
    for (int part = 0; part < 2; part++) {
      if (part == 1) {
        if (*p != '.') break;
        spec[sl++] = *p++;
      }
      if (*p == '*') {
        p++;
        int w = ai < nargs ? (int)val_num(&args[ai]) : 0;
        ai++;
        sl += (size_t)snprintf(spec + sl, sizeof spec - sl - 8, "%d", w);
      } else
        while (isdigit((unsigned char)*p) && sl < 40) spec[sl++] = *p++;
    }
    while (*p == 'h' || *p == 'l' || *p == 'L' || *p == 'q' || *p == 'j' || *p == 'z') p++;
    int conv = (unsigned char)*p;
    if (!conv || !strchr("cdiouxXeEfFgGs", conv)) {
      buf_add(&b, spec, sl);
      continue;
    }
    p++;
    if (ai >= nargs) fatal("not enough arguments passed to printf(\"%s\")", fmt);
    format_one(&b, spec, sl, conv, &args[ai]);
    ai++;
  }
  *len = b.n;
  return buf_take(&b);
}

/* ---- sub and gsub ---- */

static void add_replacement(struct buf *b, const char *repl, const char *m, size_t mlen) {
  for (const char *r = repl; *r; r++) {
    if (*r == '\\' && (r[1] == '&' || r[1] == '\\')) {
      buf_add(b, ++r, 1);
    } else if (*r == '&') buf_add(b, m, mlen);
    else buf_add(b, r, 1);
  }
}

/* Replaces the first (or every) match of re in s; *count gets the number. */
static char *substitute(struct re *re, const char *repl, const char *s, int global, int *count) {
  struct buf b = {0};
  size_t n = strlen(s), pos = 0;
  long cap[2 * RE_NSUB], last_end = -1;
  *count = 0;
  while (pos <= n && re_exec(re, s, n, pos, cap)) {
    size_t st = (size_t)cap[0], en = (size_t)cap[1];
    if (st == en && (long)st == last_end) {
      if (st < n) buf_add(&b, s + st, 1);
      pos = st + 1;
      continue;
    }
    buf_add(&b, s + pos, st - pos);
    add_replacement(&b, repl, s + st, en - st);
    (*count)++;
    last_end = (long)en;
    if (st == en) {
      if (st < n) buf_add(&b, s + st, 1);
      pos = st + 1;
    } else pos = en;
    if (!global) break;
  }
  if (pos < n) buf_add(&b, s + pos, n - pos);
  return buf_take(&b);
}

#endif
