/* fp_check: one line in, one line out, so that the same source built against
 * glibc on the host and against the Strata libc for rv32imafdc (run under
 * qemu-riscv32) can be compared line by line. Fields are tab-separated:
 *   P FMT HEX      printf FMT with the double whose bits are HEX
 *   F FMT HEX      printf FMT with the float whose bits are HEX (promoted)
 *   D TEXT         strtod and strtof of TEXT: bits, characters used, ERANGE
 *   S FMT TEXT     sscanf(TEXT, FMT "%n") with one float (FMT without l) or
 *                  double conversion: count, bits, characters used
 *   I FMT TEXT     sscanf(TEXT, FMT "%n") with one long long conversion
 *                  (%lld %lli %llx %llo %llu, maybe a width): count, value, used
 *   M NAME HEX [HEX]  libm function NAME on doubles: result bits
 *   R MODE         fesetround: 0 nearest, 1 toward zero, 2 down, 3 up (the
 *                  FE_ values differ between the two builds)
 * Uses only standard C, so it needs no changes for either library. */
#include <errno.h>
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double d_of(const char *hex) {
  unsigned long long u = strtoull(hex, 0, 16);
  double d;
  memcpy(&d, &u, sizeof d);
  return d;
}

static unsigned long long bits_of(double d) {
  unsigned long long u;
  memcpy(&u, &d, sizeof u);
  return u;
}

static void do_printf(const char *fmt, const char *hex, int is_float) {
  char buf[2048];
  double x = d_of(hex);
  if (is_float) {
    unsigned u = (unsigned)strtoul(hex, 0, 16);
    float f;
    memcpy(&f, &u, sizeof f);
    x = f;
  }
  int n = snprintf(buf, sizeof buf, fmt, x);
  printf("%d [%s]\n", n, buf);
}

static void do_strtod(const char *text) {
  char *end;
  errno = 0;
  double d = strtod(text, &end);
  int e1 = errno == ERANGE;
  long used = (long)(end - text);
  errno = 0;
  float f = strtof(text, &end);
  int e2 = errno == ERANGE;
  unsigned fu;
  memcpy(&fu, &f, sizeof fu);
  printf("%016llx %ld %d %08x %ld %d\n", bits_of(d), used, e1, fu, (long)(end - text), e2);
}

static void do_sscanf(const char *fmt, const char *text) {
  char f2[32];
  int n = -1;
  snprintf(f2, sizeof f2, "%s%%n", fmt);
  if (strchr(fmt, 'l')) {
    double d = -7;
    int r = sscanf(text, f2, &d, &n);
    printf("%d %016llx %d\n", r, bits_of(d), n);
  } else {
    float f = -7;
    int r = sscanf(text, f2, &f, &n);
    unsigned u;
    memcpy(&u, &f, sizeof u);
    printf("%d %08x %d\n", r, u, n);
  }
}

static void do_sscanf_int(const char *fmt, const char *text) {
  char f2[32];
  int n = -1;
  long long v = -7;
  snprintf(f2, sizeof f2, "%s%%n", fmt);
  int r = sscanf(text, f2, &v, &n);
  printf("%d %lld %d\n", r, v, n);
}

struct fn1 {
  const char *name;
  double (*f)(double);
};
struct fn2 {
  const char *name;
  double (*f)(double, double);
};

static double w_frexp(double x) {
  int e;
  double m = frexp(x, &e);
  return m + e * 4.0; /* both results in one number, exactly (|m| < 1) */
}
static double w_modf(double x) {
  double ip;
  return modf(x, &ip);
}
static double w_modf_int(double x) {
  double ip;
  modf(x, &ip);
  return ip;
}
static double w_lround(double x) {
  if (!(fabs(x) < 2147483647.0)) return 0; /* out of range is unspecified */
  return (double)lround(x);
}
static double w_ldexp(double x, double e) { return ldexp(x, (int)e); }

static const struct fn1 F1[] = {
    {"sqrt", sqrt},   {"floor", floor}, {"ceil", ceil},   {"fabs", fabs},   {"exp", exp},
    {"log", log},     {"log10", log10}, {"sin", sin},     {"cos", cos},     {"tan", tan},
    {"atan", atan},   {"sinh", sinh},   {"cosh", cosh},   {"tanh", tanh},   {"asin", asin},
    {"acos", acos},   {"round", round}, {"trunc", trunc}, {"frexp", w_frexp}, {"modf", w_modf},
    {"modfi", w_modf_int}, {"lround", w_lround},
};
static const struct fn2 F2[] = {
    {"fmod", fmod}, {"pow", pow}, {"atan2", atan2}, {"hypot", hypot}, {"ldexp", w_ldexp},
};

static void do_math(char *name, const char *a, const char *b) {
  for (size_t i = 0; i < sizeof F1 / sizeof F1[0]; i++) {
    if (!strcmp(F1[i].name, name)) {
      printf("%016llx\n", bits_of(F1[i].f(d_of(a))));
      return;
    }
  }
  for (size_t i = 0; i < sizeof F2 / sizeof F2[0]; i++) {
    if (!strcmp(F2[i].name, name) && b) {
      printf("%016llx\n", bits_of(F2[i].f(d_of(a), d_of(b))));
      return;
    }
  }
  printf("unknown %s\n", name);
}

static const int MODES[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};

int main(void) {
  char *line = 0;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, stdin)) > 0) {
    if (line[n - 1] == '\n') line[--n] = 0;
    char *f[4] = {0, 0, 0, 0};
    int k = 0;
    for (char *p = line; k < 4;) {
      f[k++] = p;
      p = strchr(p, '\t');
      if (!p) break;
      *p++ = 0;
    }
    if (!strcmp(f[0], "P") && f[2]) do_printf(f[1], f[2], 0);
    else if (!strcmp(f[0], "F") && f[2]) do_printf(f[1], f[2], 1);
    else if (!strcmp(f[0], "D") && f[1]) do_strtod(f[1]);
    else if (!strcmp(f[0], "S") && f[2]) do_sscanf(f[1], f[2]);
    else if (!strcmp(f[0], "I") && f[2]) do_sscanf_int(f[1], f[2]);
    else if (!strcmp(f[0], "M") && f[2]) do_math(f[1], f[2], f[3]);
    else if (!strcmp(f[0], "R") && f[1]) printf("%d\n", fesetround(MODES[atoi(f[1]) & 3]));
    else printf("bad line\n");
  }
  free(line);
  return 0;
}
