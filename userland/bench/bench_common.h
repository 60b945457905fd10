/* Shared helpers for the benchmark programs: N from argv[1], failure exit. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* N from argv[1] (default 1000); exits 2 on a malformed or non-positive value. */
static inline long bench_n(int argc, char **argv) {
  if (argc < 2) return 1000;
  char *end;
  long n = strtol(argv[1], &end, 10);
  if (*end || end == argv[1] || n <= 0) {
    fprintf(stderr, "%s: N must be a positive integer, got '%s'\n", argv[0], argv[1]);
    exit(2);
  }
  return n;
}

/* Reports a failed call with errno's message and exits 1. */
static inline void bench_fail(const char *what) {
  fprintf(stderr, "bench: %s failed: %s\n", what, strerror(errno));
  exit(1);
}

#endif
