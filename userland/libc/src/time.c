/* Clocks and sleeping on the 64-bit time syscalls (the only ones rv32 has). */
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

int clock_gettime(clockid_t clk, struct timespec *ts) {
  struct __kernel_timespec k;
  if (__sys_ret(__sc2(SYS_clock_gettime64, clk, &k)) < 0) return -1;
  ts->tv_sec = k.tv_sec;
  ts->tv_nsec = (long)k.tv_nsec;
  return 0;
}

int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem) {
  struct __kernel_timespec k = {req->tv_sec, req->tv_nsec}, kr = {0, 0};
  /* Unlike other calls, clock_nanosleep returns the error number itself. */
  long r = __sc4(SYS_clock_nanosleep_time64, clk, flags, &k, &kr);
  if (r == -EINTR && rem && !(flags & TIMER_ABSTIME)) {
    rem->tv_sec = kr.tv_sec;
    rem->tv_nsec = (long)kr.tv_nsec;
  }
  return (int)-r;
}

int nanosleep(const struct timespec *req, struct timespec *rem) {
  int e = clock_nanosleep(CLOCK_REALTIME, 0, req, rem);
  if (e) {
    errno = e;
    return -1;
  }
  return 0;
}

time_t time(time_t *t) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) < 0) return -1;
  if (t) *t = ts.tv_sec;
  return ts.tv_sec;
}

int gettimeofday(struct timeval *tv, void *tz) {
  (void)tz;
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) < 0) return -1;
  tv->tv_sec = ts.tv_sec;
  tv->tv_usec = ts.tv_nsec / 1000;
  return 0;
}

unsigned sleep(unsigned seconds) {
  struct timespec req = {seconds, 0}, rem = {0, 0};
  if (nanosleep(&req, &rem) < 0) return (unsigned)rem.tv_sec + (rem.tv_nsec > 0);
  return 0;
}

int usleep(unsigned long usec) {
  struct timespec req = {(time_t)(usec / 1000000), (long)(usec % 1000000) * 1000};
  return nanosleep(&req, 0);
}
