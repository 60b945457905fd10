/* test_libc_fp: self-checks of the float parts of the libc that need no
 * reference run (the rv32imafdc build; run under qemu-riscv32 by
 * tests/userland/libc_fp_test.ts): scanf's float conversions, fenv.h over
 * fcsr, the special values C99 Annex F fixes for libm, the float variants,
 * and the 64-bit integer conversions. Prints "test_libc_fp: ok N". */
#include <errno.h>
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks, failures;

static void check(int ok, const char *what, int line) {
  checks++;
  if (!ok) {
    failures++;
    fprintf(stderr, "FAIL line %d: %s\n", line, what);
  }
}
#define CHECK(e) check((e), #e, __LINE__)

static int same(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static void test_scanf(void) {
  double d = 0, e = 0;
  float f = 0;
  int n = 0;
  CHECK(sscanf("3.25 -1e3", "%lf %lg", &d, &e) == 2 && d == 3.25 && e == -1000);
  CHECK(sscanf("0.1", "%f", &f) == 1 && f == 0.1f);
  CHECK(sscanf("0x1.8p1 inf -nan", "%la %le %lf", &d, &e, &d) == 3 && isinf(e) && isnan(d));
  CHECK(sscanf("12345.678", "%4lf%lf", &d, &e) == 2 && d == 1234 && e == 5.678);
  CHECK(sscanf("1e+x", "%lf%n", &d, &n) == 1 && d == 1 && n == 3);
  CHECK(sscanf(".", "%lf", &d) == 0 && sscanf("-", "%lf", &d) == 0);
  CHECK(sscanf("infinity!", "%lf%n", &d, &n) == 1 && isinf(d) && n == 8);
  CHECK(sscanf("  2.5e-3,7", "%lf,%d", &d, &n) == 2 && d == 2.5e-3 && n == 7);
  CHECK(atof("  -0.5xyz") == -0.5 && strtod("1e400", 0) == HUGE_VAL && errno == ERANGE);
  char *end;
  CHECK(strtof("1e-50", &end) == 0 && errno == ERANGE && *end == 0);
}

static void test_fenv(void) {
  CHECK(fegetround() == FE_TONEAREST);
  CHECK(feclearexcept(FE_ALL_EXCEPT) == 0 && fetestexcept(FE_ALL_EXCEPT) == 0);
  volatile double one = 1.0, three = 3.0, zero = 0.0;
  volatile double q = one / three;
  CHECK(fetestexcept(FE_INEXACT) == FE_INEXACT && !fetestexcept(FE_DIVBYZERO));
  q = one / zero;
  CHECK(fetestexcept(FE_DIVBYZERO) && isinf(q));
  q = zero / zero;
  CHECK(fetestexcept(FE_INVALID) && isnan(q));
  CHECK(feclearexcept(FE_ALL_EXCEPT) == 0 && feraiseexcept(FE_OVERFLOW | FE_UNDERFLOW) == 0 &&
        fetestexcept(FE_ALL_EXCEPT) == (FE_OVERFLOW | FE_UNDERFLOW));
  fexcept_t saved;
  CHECK(fegetexceptflag(&saved, FE_ALL_EXCEPT) == 0 && feclearexcept(FE_ALL_EXCEPT) == 0 &&
        fesetexceptflag(&saved, FE_OVERFLOW) == 0 && fetestexcept(FE_ALL_EXCEPT) == FE_OVERFLOW);
  CHECK(fesetround(FE_UPWARD) == 0 && fegetround() == FE_UPWARD);
  CHECK(one / three > 0.3333333333333333 && rint(2.1) == 3.0 && nearbyint(-2.5) == -2.0);
  char buf[32];
  snprintf(buf, sizeof buf, "%.2f %.0f", 1.001, -1.5);
  CHECK(strcmp(buf, "1.01 -1") == 0);
  CHECK(strtod("0.1", 0) == 0x1.999999999999ap-4 && strtod("-0.1", 0) == -0x1.9999999999999p-4);
  CHECK(fesetround(FE_DOWNWARD) == 0 && strtod("0.1", 0) == 0x1.9999999999999p-4);
  CHECK(fesetround(FE_TOWARDZERO) == 0 && rint(-2.7) == -2.0 && lrint(2.7) == 2);
  CHECK(fesetround(99) != 0 && fegetround() == FE_TOWARDZERO);
  fenv_t env;
  CHECK(feholdexcept(&env) == 0 && fegetround() == FE_TOWARDZERO);
  CHECK(fesetenv(FE_DFL_ENV) == 0 && fegetround() == FE_TONEAREST && !fetestexcept(FE_ALL_EXCEPT));
  q = one / three;
  CHECK(feupdateenv(&env) == 0 && fegetround() == FE_TOWARDZERO && fetestexcept(FE_INEXACT));
  fesetround(FE_TONEAREST);
  feclearexcept(FE_ALL_EXCEPT);
}

static void test_special_values(void) {
  CHECK(same(pow(-0.0, -1), -INFINITY) && same(pow(-0.0, 3), -0.0) && same(pow(-0.0, 2), 0.0));
  CHECK(pow(-1, INFINITY) == 1 && pow(1, NAN) == 1 && pow(NAN, 0) == 1 && isnan(pow(-2, 0.5)));
  CHECK(pow(0.5, -INFINITY) == INFINITY && pow(2, -INFINITY) == 0 && same(pow(-INFINITY, -3), -0.0));
  CHECK(pow(2, 10) == 1024 && pow(-2, 3) == -8 && pow(10, -2) == 0.01);
  CHECK(same(atan2(0.0, -0.0), M_PI) && same(atan2(-0.0, 0.0), -0.0) && atan2(1, 0) == M_PI_2);
  CHECK(atan2(INFINITY, -INFINITY) == 3 * M_PI_4 && same(atan2(-1, INFINITY), -0.0));
  CHECK(log(0) == -INFINITY && isnan(log(-1)) && log(1) == 0 && log(INFINITY) == INFINITY);
  CHECK(exp(-INFINITY) == 0 && exp(INFINITY) == INFINITY && exp(0) == 1 && exp(1000) == INFINITY);
  CHECK(same(sin(-0.0), -0.0) && isnan(sin(INFINITY)) && cos(0) == 1 && same(tan(-0.0), -0.0));
  CHECK(isnan(asin(2)) && same(asin(-0.0), -0.0) && acos(1) == 0 && acos(-1) == M_PI);
  CHECK(same(floor(-0.5), -1.0) && same(ceil(-0.5), -0.0) && same(round(-0.5), -1.0) &&
        same(trunc(-0.7), -0.0) && round(2.5) == 3 && floor(1e300) == 1e300);
  CHECK(lround(-2.5) == -3 && llround(1e15 + 0.5) == 1000000000000001LL);
  int ex;
  CHECK(frexp(8.0, &ex) == 0.5 && ex == 4 && frexp(0x1p-1074, &ex) == 0.5 && ex == -1073);
  CHECK(ldexp(1, -1074) == 0x1p-1074 && ldexp(1, 1024) == INFINITY && ldexp(3, -1075) == 0x1p-1073);
  double ip;
  CHECK(modf(-3.75, &ip) == -0.75 && ip == -3 && same(modf(INFINITY, &ip), 0.0) && ip == INFINITY);
  CHECK(fmod(7.5, 2) == 1.5 && same(fmod(-7.5, 2), -1.5) && isnan(fmod(1, 0)) && fmod(1, INFINITY) == 1);
  CHECK(fmod(0x1p1000, 3) == 1 && fmod(0x1p-1074 * 7, 0x1p-1073) == 0x1p-1074);
  CHECK(hypot(3, 4) == 5 && hypot(INFINITY, NAN) == INFINITY && hypot(1e300, 1e300) > 1e300);
  CHECK(sqrt(2) * sqrt(2) != 2 && sqrt(4) == 2 && isnan(sqrt(-1)) && same(sqrt(-0.0), -0.0));
  CHECK(sinh(0) == 0 && cosh(0) == 1 && tanh(INFINITY) == 1 && same(tanh(-0.0), -0.0));
  CHECK(log10(1000) == 3 && log2(1024) == 10 && fabs(-0.0) == 0 && copysign(2, -0.0) == -2);
  CHECK(fmin(NAN, 1) == 1 && fmax(1, NAN) == 1 && fma(1 + 0x1p-30, 1 - 0x1p-30, -1) == -0x1p-60);
}

static void test_float_variants(void) {
  CHECK(sqrtf(2.0f) == 1.41421354f && fabsf(-1.5f) == 1.5f && floorf(-1.5f) == -2);
  CHECK(ceilf(1.2f) == 2 && truncf(-1.7f) == -1 && roundf(0.5f) == 1 && lroundf(-1.5f) == -2);
  CHECK(fmodf(7, 3) == 1 && expf(0) == 1 && logf(1) == 0 && powf(2, 3) == 8);
  CHECK(fabsf(sinf(3.14159265f)) < 1e-6f && cosf(0) == 1 && atan2f(1, 1) == (float)M_PI_4);
  int ex;
  CHECK(frexpf(3.0f, &ex) == 0.75f && ex == 2 && ldexpf(1, 3) == 8 && hypotf(3, 4) == 5);
  volatile long long big = 0x7fffffffffffffffLL;
  volatile double d = (double)big;
  CHECK(d == 0x1p63 && (long long)-0x1p63 == INT64_MIN && (unsigned long long)0x1p63 == 1ull << 63);
  volatile unsigned long long u = 0xffffffffffffffffull;
  CHECK((float)u == 0x1p64f && (double)(long long)-3 == -3.0 && (long long)-2.9 == -2);
  volatile double huge = 1e30;
  volatile double minus_one = -1.0;
  CHECK((long long)huge == INT64_MAX && (unsigned long long)minus_one == 0);
  CHECK((float)(long long)16777217 == 16777216.0f); /* ties to even */
}

int main(void) {
  test_scanf();
  test_fenv();
  test_special_values();
  test_float_variants();
  if (failures) {
    printf("test_libc_fp: %d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("test_libc_fp: ok %d\n", checks);
  return 0;
}
