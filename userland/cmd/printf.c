/* printf FORMAT [ARG...]: POSIX printf(1). FORMAT may contain the escapes
 * \n \t \\ \a \b \e \f \r \v \" \NNN (octal) \xHH and \c (stop), and the conversions
 * %d %i %u %o %x %X %c %s %b %% with flags - + space # 0, a width and a precision
 * (either may be *). The format is reused while arguments remain; missing
 * arguments count as 0 or "". Numeric arguments may be 'c (character code),
 * 0x.. (hex) or 0.. (octal); a bad one is reported and counts as what was read.
 * %b expands backslash escapes in its argument (\0NNN octal, \c stops all output).
 * There is no floating point: %f %e %g %a are errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "help.h"

static const char usage_text[] =
    "Usage: printf FORMAT [ARGUMENT]...\n"
    "  or:  printf OPTION\n"
    "Print ARGUMENT(s) according to FORMAT.\n"
    "\n"
    "      --help     display this help and exit\n"
    "\n"
    "FORMAT controls the output as in C printf.  Interpreted sequences are:\n"
    "\n"
    "  \\\"      double quote\n"
    "  \\\\      backslash\n"
    "  \\a      alert (BEL)\n"
    "  \\b      backspace\n"
    "  \\c      produce no further output\n"
    "  \\e      escape\n"
    "  \\f      form feed\n"
    "  \\n      new line\n"
    "  \\r      carriage return\n"
    "  \\t      horizontal tab\n"
    "  \\v      vertical tab\n"
    "  \\NNN    byte with octal value NNN (1 to 3 digits)\n"
    "  \\xHH    byte with hexadecimal value HH (1 to 2 digits)\n"
    "  %%      a single %\n"
    "  %b      ARGUMENT as a string with '\\' escapes interpreted\n"
    "\n"
    "and all C format specifications ending with one of diouxXcs (no floating\n"
    "point), with ARGUMENTs converted to proper type first.\n";


static int status;
static int stop; /* \c seen: no more output at all */
static char **args;
static int nargs;

static void put(const char *p, size_t n) { fwrite(p, 1, n, stdout); }

static const char *next_arg(void) {
  if (nargs <= 0) return 0;
  nargs--;
  return *args++;
}

static int is_octal(char c) { return c >= '0' && c <= '7'; }

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* One escape at s (just after the backslash): stores the byte in *out, sets stop
 * for \c, and returns the number of characters used. In %b arguments (in_b) an
 * octal escape is \0 followed by up to three digits; in the format it is up to
 * three digits. Returns 0 for an unknown escape (printed as is). */
static int escape(const char *s, char *out, int in_b) {
  static const char from[] = "ntabfrve\\\"'";
  static const char to[] = "\n\t\a\b\f\r\v\033\\\"'";
  const char *hit = *s ? strchr(from, *s) : 0;
  if (hit) {
    *out = to[hit - from];
    return 1;
  }
  if (*s == 'c') {
    stop = 1;
    return 1;
  }
  if (*s == 'x' && hex_value(s[1]) >= 0) {
    int v = 0, n = 1;
    while (n < 3 && hex_value(s[n]) >= 0) v = v * 16 + hex_value(s[n++]);
    *out = (char)v;
    return n;
  }
  if (is_octal(*s)) {
    int v = 0, n = 0, max = 3;
    if (in_b && *s == '0') {
      n = 1;
      max = 4;
    }
    while (n < max && is_octal(s[n])) v = v * 8 + (s[n++] - '0');
    *out = (char)v;
    return n;
  }
  return 0;
}

/* Expands the escapes of a %b argument into a new buffer; *len gets its length. */
static char *expand_b(const char *s, size_t *len) {
  char *buf = malloc(strlen(s) + 1);
  if (!buf) {
    fprintf(stderr, "printf: out of memory\n");
    exit(1);
  }
  size_t n = 0;
  while (*s && !stop) {
    if (*s == '\\' && s[1]) {
      char c;
      int used = escape(s + 1, &c, 1);
      if (used) {
        if (!stop) buf[n++] = c;
        s += 1 + used;
        continue;
      }
    }
    buf[n++] = *s++;
  }
  *len = n;
  return buf;
}

/* A numeric argument: 'c or "c gives the character code, otherwise C/strtoll
 * syntax (sign, 0x, leading 0). Problems are reported; the value read is kept. */
static long long number(const char *s, int is_unsigned) {
  if (!s) return 0;
  if (*s == '\'' || *s == '"') return (unsigned char)s[1];
  char *end;
  errno = 0;
  long long v = is_unsigned ? (long long)strtoull(s, &end, 0) : strtoll(s, &end, 0);
  if (errno == ERANGE) {
    fprintf(stderr, "printf: '%s': %s\n", s, strerror(ERANGE));
    status = 1;
  } else if (end == s && *s) {
    fprintf(stderr, "printf: '%s': expected a numeric value\n", s);
    status = 1;
  } else if (*end) {
    fprintf(stderr, "printf: '%s': value not completely converted\n", s);
    status = 1;
  }
  return v;
}

/* Prints p[0..n) in a field: at most prec bytes (if prec >= 0), padded to width. */
static void put_field(const char *p, size_t n, int left, int width, int prec) {
  if (prec >= 0 && (size_t)prec < n) n = (size_t)prec;
  int padding = width > (int)n ? width - (int)n : 0;
  for (int i = 0; !left && i < padding; i++) putchar(' ');
  put(p, n);
  for (int i = 0; left && i < padding; i++) putchar(' ');
}

/* One conversion starting at f (the '%'); returns the characters it used, or
 * exits on an invalid or floating-point specification. */
static size_t conversion(const char *f) {
  const char *p = f + 1;
  char spec[32]; /* the directive rebuilt for snprintf: %, flags, *.*, ll, conv */
  size_t k = 0;
  spec[k++] = '%';
  int left = 0;
  while (*p && strchr("-+ #0", *p)) {
    if (*p == '-') left = 1;
    if (k < 8) spec[k++] = *p;
    p++;
  }
  int width = 0, prec = -1;
  if (*p == '*') {
    long long w = number(next_arg(), 0);
    if (w < 0) {
      left = 1;
      spec[k++] = '-';
      w = -w;
    }
    width = w > 100000 ? 100000 : (int)w;
    p++;
  } else {
    while (*p >= '0' && *p <= '9') {
      if (width < 100000) width = width * 10 + (*p - '0');
      p++;
    }
  }
  if (*p == '.') {
    p++;
    if (*p == '*') {
      long long v = number(next_arg(), 0);
      prec = v < 0 ? -1 : v > 100000 ? 100000 : (int)v;
      p++;
    } else {
      prec = 0;
      while (*p >= '0' && *p <= '9') {
        if (prec < 100000) prec = prec * 10 + (*p - '0');
        p++;
      }
    }
  }
  while (*p && strchr("hlLjzt", *p)) p++; /* length modifiers: accepted, ignored */
  char conv = *p;
  size_t used = conv ? (size_t)(p + 1 - f) : (size_t)(p - f);
  if (conv && strchr("fFeEgGaA", conv)) {
    fflush(stdout);
    fprintf(stderr, "printf: %.*s: floating point is not supported\n", (int)used, f);
    exit(1);
  }
  if (!conv || !strchr("diuoxXcsb", conv)) {
    fflush(stdout);
    fprintf(stderr, "printf: %.*s: invalid conversion specification\n", (int)used, f);
    exit(1);
  }
  const char *arg = next_arg();
  if (conv == 's' || conv == 'b' || conv == 'c') {
    const char *s = arg ? arg : "";
    size_t n = strlen(s);
    if (conv == 'c') {
      put_field(s, 1, left, width, -1); /* "" gives a NUL byte, as in GNU */
    } else if (conv == 's') {
      put_field(s, n, left, width, prec);
    } else {
      char *b = expand_b(s, &n);
      put_field(b, n, left, width, prec);
      free(b);
    }
    return used;
  }
  /* Integers: let snprintf do the work, with the value as a long long. */
  long long v = number(arg, conv != 'd' && conv != 'i');
  k += (size_t)snprintf(spec + k, sizeof spec - k, "*.*ll%c", conv);
  int n = snprintf(0, 0, spec, width, prec, v);
  char *buf = malloc((size_t)n + 1);
  if (!buf) {
    fprintf(stderr, "printf: out of memory\n");
    exit(1);
  }
  snprintf(buf, (size_t)n + 1, spec, width, prec, v);
  put(buf, (size_t)n);
  free(buf);
  return used;
}

/* One pass over the format. */
static void run_format(const char *f) {
  while (*f && !stop) {
    if (*f == '\\' && f[1]) {
      char c;
      int used = escape(f + 1, &c, 0);
      if (used) {
        if (!stop) putchar(c);
        f += 1 + used;
        continue;
      }
      putchar(*f++);
    } else if (*f == '%' && f[1] == '%') {
      putchar('%');
      f += 2;
    } else if (*f == '%') {
      f += conversion(f);
    } else {
      putchar(*f++);
    }
  }
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ALONE, usage_text);
  int first = 1;
  if (argc > 1 && strcmp(argv[1], "--") == 0) first = 2;
  if (argc <= first) {
    fprintf(stderr, "printf: missing operand\nusage: printf FORMAT [ARG...]\n");
    return 1;
  }
  const char *format = argv[first];
  args = argv + first + 1;
  nargs = argc - first - 1;
  do {
    int before = nargs;
    run_format(format);
    if (nargs == before) {
      /* The format takes no arguments: print it once. */
      if (nargs > 0)
        fprintf(stderr, "printf: warning: ignoring excess arguments, starting with '%s'\n", *args);
      break;
    }
  } while (nargs > 0 && !stop);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "printf: write error: %s\n", strerror(errno));
    return 1;
  }
  return status;
}
