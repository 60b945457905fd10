/* Time: 64-bit time_t, clock_gettime64 and clock_nanosleep_time64 underneath. */
#ifndef _TIME_H
#define _TIME_H

#include <sys/types.h>

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define TIMER_ABSTIME 1
#define CLOCKS_PER_SEC 1000000L

struct timespec {
  time_t tv_sec;
  long tv_nsec;
};

/* Broken-down time. Strata has no time zones: everything is UTC. */
struct tm {
  int tm_sec;   /* 0-60 */
  int tm_min;   /* 0-59 */
  int tm_hour;  /* 0-23 */
  int tm_mday;  /* 1-31 */
  int tm_mon;   /* 0-11 */
  int tm_year;  /* years since 1900 */
  int tm_wday;  /* 0-6, Sunday = 0 */
  int tm_yday;  /* 0-365 */
  int tm_isdst; /* always 0 */
  long tm_gmtoff;
  const char *tm_zone;
};

int clock_gettime(clockid_t clk, struct timespec *ts);
int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem);
int nanosleep(const struct timespec *req, struct timespec *rem);
time_t time(time_t *t);
/* Processor time used, from CLOCK_PROCESS_CPUTIME_ID, in CLOCKS_PER_SEC units. */
clock_t clock(void);
struct tm *gmtime_r(const time_t *t, struct tm *out);
struct tm *gmtime(const time_t *t);
struct tm *localtime_r(const time_t *t, struct tm *out);
struct tm *localtime(const time_t *t);
time_t timegm(struct tm *tm);
size_t strftime(char *s, size_t max, const char *fmt, const struct tm *tm);

#endif
