/* sleep SECONDS: pause for a (possibly fractional, e.g. 0.25) number of seconds. */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "help.h"

static const char usage_text[] =
    "Usage: sleep NUMBER\n"
    "Pause for NUMBER seconds.  NUMBER may be a fraction (0.25).\n"
    "\n"
    "      --help     display this help and exit\n";


/* Parses "N", "N.F" into a timespec; -1 on anything else. */
static int parse_seconds(const char *s, struct timespec *ts) {
  long long sec = 0;
  long nsec = 0, scale = 100000000;
  const char *p = s;
  if (!*p) return -1;
  for (; *p >= '0' && *p <= '9'; p++) {
    sec = sec * 10 + (*p - '0');
    if (sec > 100000000LL) return -1;
  }
  if (*p == '.') {
    for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10) nsec += (*p - '0') * scale;
  }
  if (*p || p == s) return -1;
  ts->tv_sec = sec;
  ts->tv_nsec = nsec;
  return 0;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  struct timespec req;
  if (argc != 2 || parse_seconds(argv[1], &req) < 0) {
    fprintf(stderr, "usage: sleep SECONDS\n");
    return 1;
  }
  while (nanosleep(&req, &req) < 0) {
    if (errno != EINTR) {
      perror("sleep");
      return 1;
    }
  }
  return 0;
}
