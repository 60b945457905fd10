/* Shared helpers for the self-checking test programs (header only: each
 * test_*.c builds into its own binary). Output goes straight to the fd with
 * dprintf so nothing is left in a stdio buffer across fork. */
#ifndef STRATA_TEST_CHECK_H
#define STRATA_TEST_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(cond, what)                                                     \
  do {                                                                        \
    if (!(cond)) check_fail(__FILE__, __LINE__, what);                        \
  } while (0)

/* An expected failure: call returned -1 with this errno. */
#define CHECK_ERR(call, err, what)                                            \
  do {                                                                        \
    errno = 0;                                                                \
    long r_ = (long)(call);                                                   \
    if (r_ != -1 || errno != (err)) check_fail_err(__FILE__, __LINE__, what, r_, err); \
  } while (0)

static void check_fail(const char *file, int line, const char *what) __attribute__((noreturn, unused));
static void check_fail(const char *file, int line, const char *what) {
  dprintf(2, "FAIL %s:%d: %s (errno %d)\n", file, line, what, errno);
  _exit(1);
}

static void check_fail_err(const char *file, int line, const char *what, long r, int want)
    __attribute__((noreturn, unused));
static void check_fail_err(const char *file, int line, const char *what, long r, int want) {
  dprintf(2, "FAIL %s:%d: %s: got %ld errno %d, want -1 errno %d\n", file, line, what, r, errno,
          want);
  _exit(1);
}

/* waitpid that retries on EINTR and fails the test on any other error. */
static int wait_for(pid_t pid) __attribute__((unused));
static int wait_for(pid_t pid) {
  int st;
  for (;;) {
    pid_t r = waitpid(pid, &st, 0);
    if (r == pid) return st;
    if (r < 0 && errno == EINTR) continue;
    check_fail(__FILE__, __LINE__, "waitpid");
  }
}

#endif
