/* Resource usage and limits, and clock(). getrusage converts the rv32
 * kernel's 32-bit timevals; the limits go through prlimit64. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "internal.h"

int getrusage(int who, struct rusage *usage) {
  long k[18]; /* two {sec, usec} pairs and fourteen longs */
  long r = __sys_ret(__sc2(SYS_getrusage, who, k));
  if (r < 0) return -1;
  usage->ru_utime.tv_sec = k[0];
  usage->ru_utime.tv_usec = k[1];
  usage->ru_stime.tv_sec = k[2];
  usage->ru_stime.tv_usec = k[3];
  memcpy(&usage->ru_maxrss, &k[4], 14 * sizeof(long));
  return 0;
}

int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit) {
  return (int)__sys_ret(__sc4(SYS_prlimit64, pid, resource, new_limit, old_limit));
}

int getrlimit(int resource, struct rlimit *rlim) { return prlimit(0, resource, 0, rlim); }

int setrlimit(int resource, const struct rlimit *rlim) { return prlimit(0, resource, rlim, 0); }

clock_t clock(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0) return (clock_t)-1;
  /* Wraps like glibc's 32-bit clock_t (after about 36 minutes). */
  return (clock_t)(unsigned long)(ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}
