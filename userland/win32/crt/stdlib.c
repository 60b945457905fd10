/*
 * stdlib and the Microsoft string extras: the heap is kernel32's process
 * heap; exit runs atexit handlers, flushes the streams and calls
 * ExitProcess; number parsing, qsort (heap sort), getenv, and _stricmp,
 * _strnicmp, _strdup.
 */
#include <stdlib.h>
#include <string.h>
#include "crt.h"

void *malloc(size_t n) { return HeapAlloc(GetProcessHeap(), 0, n ? n : 1); }
void *calloc(size_t n, size_t size) {
  if (size && n > (size_t)-1 / size) return 0;
  return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, n * size ? n * size : 1);
}
void *realloc(void *p, size_t n) {
  if (!p) return malloc(n);
  return HeapReAlloc(GetProcessHeap(), 0, p, n ? n : 1);
}
void free(void *p) {
  if (p) HeapFree(GetProcessHeap(), 0, p);
}

static void (*handlers[32])(void);
static int nhandlers;

int atexit(void (*fn)(void)) {
  if (nhandlers == 32) return -1;
  handlers[nhandlers++] = fn;
  return 0;
}

void exit(int code) {
  while (nhandlers) handlers[--nhandlers]();
  __crt_flush_all();
  ExitProcess((UINT)code);
}

void _exit(int code) { ExitProcess((UINT)code); }

void abort(void) {
  fputs("\nThis application has requested the Runtime to terminate it in an unusual way.\n", stderr);
  ExitProcess(3);
}

int abs(int x) { return x < 0 ? -x : x; }

static int digit(int c, int base) {
  int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 99;
  return d < base ? d : -1;
}

unsigned long strtoul(const char *s, char **end, int base) {
  const char *p = s;
  int neg = 0;
  while (*p == ' ' || (*p >= '\t' && *p <= '\r')) p++;
  if (*p == '+' || *p == '-') neg = *p++ == '-';
  if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit(p[2], 16) >= 0) {
    p += 2;
    base = 16;
  } else if (base == 0) {
    base = *p == '0' ? 8 : 10;
  }
  unsigned long v = 0;
  const char *start = p;
  for (int d; (d = digit(*p, base)) >= 0; p++) v = v * base + d;
  if (end) *end = (char *)(p == start ? s : p);
  return neg ? -v : v;
}

long strtol(const char *s, char **end, int base) { return (long)strtoul(s, end, base); }
long atol(const char *s) { return strtol(s, 0, 10); }
int atoi(const char *s) { return (int)strtol(s, 0, 10); }

static void swap(char *a, char *b, size_t n) {
  while (n--) {
    char t = *a;
    *a++ = *b;
    *b++ = t;
  }
}

static void sift(char *base, size_t root, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  for (size_t child; (child = 2 * root + 1) < n; root = child) {
    if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0) child++;
    if (cmp(base + root * size, base + child * size) >= 0) return;
    swap(base + root * size, base + child * size, size);
  }
}

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  char *b = base;
  for (size_t i = n / 2; i-- > 0;) sift(b, i, n, size, cmp);
  for (size_t end = n; end-- > 1;) {
    swap(b, b + end * size, size);
    sift(b, 0, end, size, cmp);
  }
}

/* Each name's value is copied once into a heap buffer kept for the process. */
char *getenv(const char *name) {
  DWORD n = GetEnvironmentVariableA(name, 0, 0);
  if (!n) return 0;
  char *v = malloc(n);
  if (!v || GetEnvironmentVariableA(name, v, n) >= n) return 0;
  return v;
}

int _strnicmp(const char *a, const char *b, size_t n) {
  for (; n; n--, a++, b++) {
    int x = (unsigned char)*a, y = (unsigned char)*b;
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y || !x) return x - y;
  }
  return 0;
}

int _stricmp(const char *a, const char *b) { return _strnicmp(a, b, (size_t)-1); }

char *_strdup(const char *s) { return strdup(s); }
