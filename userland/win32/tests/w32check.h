/* Shared by the Win32 test programs: each result line is printed so the
 * interop test can compare Strata's output with Wine's line by line, and
 * CHECK counts failed expectations (the exit status is their number). */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

/* Prints "what: r=VALUE e=LASTERROR" and checks both against the expectation
 * (expectedError -1: the last error is not defined after the call and is
 * neither printed nor checked). */
#define CHECK(what, value, expected, expectedError)                                          \
  do {                                                                                      \
    long r_ = (long)(value);                                                                \
    unsigned long e_ = (unsigned long)GetLastError();                                        \
    if ((long)(expectedError) >= 0) printf("%s: r=%ld e=%lu\n", what, r_, e_);               \
    else printf("%s: r=%ld\n", what, r_);                                                   \
    if (r_ != (long)(expected) || ((long)(expectedError) >= 0 && e_ != (unsigned long)(expectedError))) { \
      printf("  FAILED (wanted r=%ld e=%ld)\n", (long)(expected), (long)(expectedError));   \
      failures++;                                                                           \
    }                                                                                       \
  } while (0)

/* A boolean expectation without an error code. */
#define EXPECT(what, cond)                  \
  do {                                      \
    int c_ = (cond) ? 1 : 0;                \
    printf("%s: %s\n", what, c_ ? "yes" : "no"); \
    if (!c_) failures++;                    \
  } while (0)
