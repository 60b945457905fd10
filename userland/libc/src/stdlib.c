/* Number conversions, environment, sorting and searching, pseudo-random numbers, assert. */
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* Shared parser: sign, base prefix, digits; saturates and sets ERANGE on overflow. */
static unsigned long long parse_ull(const char *s, char **end, int base, int *neg,
                                    unsigned long long limit, int *overflow) {
  const char *p = s;
  *neg = 0;
  *overflow = 0;
  while (isspace((unsigned char)*p)) p++;
  if (*p == '+' || *p == '-') *neg = *p++ == '-';
  if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
      isxdigit((unsigned char)p[2])) {
    p += 2;
    base = 16;
  } else if (base == 0) {
    base = p[0] == '0' ? 8 : 10;
  }
  if (base < 2 || base > 36) {
    if (end) *end = (char *)s;
    errno = EINVAL;
    return 0;
  }
  unsigned long long v = 0;
  const char *digits = p;
  for (;; p++) {
    int c = (unsigned char)*p, d;
    if (isdigit(c)) d = c - '0';
    else if (islower(c)) d = c - 'a' + 10;
    else if (isupper(c)) d = c - 'A' + 10;
    else break;
    if (d >= base) break;
    if (v > (limit - (unsigned)d) / (unsigned)base) *overflow = 1;
    else v = v * (unsigned)base + (unsigned)d;
  }
  if (end) *end = (char *)(p == digits ? s : p);
  return v;
}

long long strtoll(const char *s, char **end, int base) {
  int neg, ovf;
  unsigned long long v = parse_ull(s, end, base, &neg, (unsigned long long)LLONG_MAX + 1, &ovf);
  if (ovf || (!neg && v > (unsigned long long)LLONG_MAX)) {
    errno = ERANGE;
    return neg ? LLONG_MIN : LLONG_MAX;
  }
  return neg ? (long long)(0 - v) : (long long)v;
}

unsigned long long strtoull(const char *s, char **end, int base) {
  int neg, ovf;
  unsigned long long v = parse_ull(s, end, base, &neg, ULLONG_MAX, &ovf);
  if (ovf) {
    errno = ERANGE;
    return ULLONG_MAX;
  }
  return neg ? 0 - v : v;
}

long strtol(const char *s, char **end, int base) {
  int neg, ovf;
  unsigned long long v = parse_ull(s, end, base, &neg, (unsigned long long)LONG_MAX + 1, &ovf);
  if (ovf || (!neg && v > (unsigned long long)LONG_MAX)) {
    errno = ERANGE;
    return neg ? LONG_MIN : LONG_MAX;
  }
  return neg ? (long)(0 - v) : (long)v;
}

unsigned long strtoul(const char *s, char **end, int base) {
  int neg, ovf;
  unsigned long long v = parse_ull(s, end, base, &neg, ULONG_MAX, &ovf);
  if (ovf) {
    errno = ERANGE;
    return ULONG_MAX;
  }
  return neg ? (unsigned long)(0 - v) : (unsigned long)v;
}

int atoi(const char *s) { return (int)strtol(s, 0, 10); }
long atol(const char *s) { return strtol(s, 0, 10); }
long long atoll(const char *s) { return strtoll(s, 0, 10); }
int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }

/* environ starts as the kernel's array on the stack; the first change copies
 * it into the heap so it can grow. Strings we created are not tracked: they
 * leak on overwrite, as in most small libcs. */
static char **owned_env;
static size_t env_cap;

static size_t env_count(void) {
  size_t n = 0;
  if (environ)
    while (environ[n]) n++;
  return n;
}

static int env_own(size_t extra) {
  size_t n = env_count();
  if (environ == owned_env && n + extra + 1 <= env_cap) return 0;
  size_t cap = (n + extra + 1) * 2;
  char **e = malloc(cap * sizeof *e);
  if (!e) return -1;
  for (size_t i = 0; i < n; i++) e[i] = environ[i];
  e[n] = 0;
  if (environ == owned_env) free(owned_env);
  environ = owned_env = e;
  env_cap = cap;
  return 0;
}

static int env_find(const char *name, size_t len) {
  if (!environ) return -1;
  for (int i = 0; environ[i]; i++)
    if (strncmp(environ[i], name, len) == 0 && environ[i][len] == '=') return i;
  return -1;
}

char *getenv(const char *name) {
  size_t len = strlen(name);
  int i = env_find(name, len);
  return i < 0 ? 0 : environ[i] + len + 1;
}

static int env_put(char *entry, size_t namelen, int overwrite) {
  int i = env_find(entry, namelen);
  if (i >= 0) {
    if (overwrite) {
      if (env_own(0) < 0) return -1;
      environ[i] = entry;
    }
    return 0;
  }
  if (env_own(1) < 0) return -1;
  size_t n = env_count();
  environ[n] = entry;
  environ[n + 1] = 0;
  return 0;
}

int setenv(const char *name, const char *value, int overwrite) {
  size_t nl = strlen(name);
  if (nl == 0 || strchr(name, '=')) {
    errno = EINVAL;
    return -1;
  }
  if (!overwrite && env_find(name, nl) >= 0) return 0;
  size_t vl = strlen(value);
  char *entry = malloc(nl + vl + 2);
  if (!entry) return -1;
  memcpy(entry, name, nl);
  entry[nl] = '=';
  memcpy(entry + nl + 1, value, vl + 1);
  return env_put(entry, nl, 1);
}

int putenv(char *str) {
  char *eq = strchr(str, '=');
  if (!eq) return unsetenv(str);
  return env_put(str, (size_t)(eq - str), 1);
}

int unsetenv(const char *name) {
  size_t nl = strlen(name);
  if (nl == 0 || strchr(name, '=')) {
    errno = EINVAL;
    return -1;
  }
  int i;
  while ((i = env_find(name, nl)) >= 0) {
    if (env_own(0) < 0) return -1;
    for (; environ[i]; i++) environ[i] = environ[i + 1];
  }
  return 0;
}

int clearenv(void) {
  if (env_own(0) < 0) return -1;
  environ[0] = 0;
  return 0;
}

/* Shell sort: small, in place, no recursion. */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  char *a = base;
  char tmp[256];
  if (size > sizeof tmp) {
    /* Element-wise swap fallback for large elements: insertion by swapping bytes. */
    for (size_t i = 1; i < n; i++)
      for (size_t j = i; j > 0 && cmp(a + (j - 1) * size, a + j * size) > 0; j--)
        for (size_t k = 0; k < size; k++) {
          char t = a[(j - 1) * size + k];
          a[(j - 1) * size + k] = a[j * size + k];
          a[j * size + k] = t;
        }
    return;
  }
  size_t gap = 1;
  while (gap < n / 3) gap = gap * 3 + 1;
  for (; gap > 0; gap /= 3) {
    for (size_t i = gap; i < n; i++) {
      memcpy(tmp, a + i * size, size);
      size_t j = i;
      while (j >= gap && cmp(a + (j - gap) * size, tmp) > 0) {
        memcpy(a + j * size, a + (j - gap) * size, size);
        j -= gap;
      }
      memcpy(a + j * size, tmp, size);
    }
  }
}

static unsigned long long rand_state = 1;
void srand(unsigned seed) { rand_state = seed; }
int rand(void) {
  /* 64-bit LCG (Knuth's MMIX constants); deterministic across runs. */
  rand_state = rand_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (int)(rand_state >> 33);
}

void __assert_fail(const char *expr, const char *file, int line, const char *func) {
  fprintf(stderr, "%s: %s:%d: %s: Assertion `%s' failed.\n", __progname, file, line, func, expr);
  abort();
}

void *bsearch(const void *key, const void *base, size_t n, size_t size,
              int (*cmp)(const void *, const void *)) {
  const char *lo = base;
  while (n) {
    const char *mid = lo + (n / 2) * size;
    int c = cmp(key, mid);
    if (c == 0) return (void *)mid;
    if (c > 0) {
      lo = mid + size;
      n -= n / 2 + 1;
    } else {
      n /= 2;
    }
  }
  return 0;
}

intmax_t imaxabs(intmax_t x) { return x < 0 ? -x : x; }
imaxdiv_t imaxdiv(intmax_t num, intmax_t den) {
  imaxdiv_t r = {num / den, num % den};
  return r;
}
intmax_t strtoimax(const char *s, char **end, int base) { return strtoll(s, end, base); }
uintmax_t strtoumax(const char *s, char **end, int base) { return strtoull(s, end, base); }
