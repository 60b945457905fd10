/* struct timeval and gettimeofday (on clock_gettime64; rv32 has no gettimeofday). */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H

#include <sys/types.h>
#include <time.h>

struct timeval {
  time_t tv_sec;
  suseconds_t tv_usec;
};

int gettimeofday(struct timeval *tv, void *tz);

#endif
