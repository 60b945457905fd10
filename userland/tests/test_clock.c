/* clock_gettime(CLOCK_MONOTONIC) never goes back and advances across
 * nanosleep by at least the time slept; CLOCK_REALTIME works. */
#include <time.h>

#include "check.h"

static long long ns(const struct timespec *t) {
  return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(void) {
  struct timespec a, b, rt;
  CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "monotonic");
  CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000L, "tv_nsec in range");
  long long prev = ns(&a);
  for (int i = 0; i < 100; i++) {
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0, "monotonic");
    CHECK(ns(&b) >= prev, "monotonic never decreases");
    prev = ns(&b);
  }
  struct timespec sleep_for = {0, 20000000}; /* 20 ms */
  CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "monotonic");
  CHECK(nanosleep(&sleep_for, NULL) == 0, "nanosleep");
  CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0, "monotonic");
  CHECK(ns(&b) - ns(&a) >= 20000000LL, "slept at least 20 ms");
  struct timespec bad = {0, 1000000000L};
  CHECK_ERR(nanosleep(&bad, NULL), EINVAL, "nanosleep with tv_nsec out of range");
  CHECK(clock_gettime(CLOCK_REALTIME, &rt) == 0, "realtime");
  CHECK(rt.tv_sec > 0, "realtime after the epoch");
  CHECK_ERR(clock_gettime(12345, &rt), EINVAL, "unknown clock");
  dprintf(1, "clock: monotonic advances across a 20 ms nanosleep\n");
  return 0;
}
