/* date [-u] [-d @SECONDS] [+FORMAT]: print the time (from CLOCK_REALTIME, the
 * RTC on Strata) or the given one, formatted with strftime. Strata has no time
 * zones: the time is always UTC and -u is accepted for compatibility. The
 * default format is the C locale's "%a %b %e %H:%M:%S %Z %Y". */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "help.h"

static const char usage_text[] =
    "Usage: date [OPTION]... [+FORMAT]\n"
    "Display the current time in the given FORMAT.\n"
    "\n"
    "  -d, --date=@SECONDS        display the time SECONDS after the epoch\n"
    "  -u, --utc, --universal     print Coordinated Universal Time (UTC)\n"
    "      --help        display this help and exit\n"
    "\n"
    "FORMAT is that of strftime (%a %b %d %H %M %S %Y %Z %s ...); the default\n"
    "is '%a %b %e %H:%M:%S %Z %Y'. Times are always UTC.\n";


/* Parses GNU date's "@SECONDS" (optionally signed); -1 on anything else. */
static int parse_epoch(const char *s, time_t *out) {
  if (s[0] != '@') return -1;
  char *end;
  errno = 0;
  long long v = strtoll(s + 1, &end, 10);
  if (end == s + 1 || *end || errno) return -1;
  *out = v;
  return 0;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  const char *given = 0;
  int c;
  while ((c = getopt(argc, argv, "ud:")) != -1) {
    switch (c) {
      case 'u': break;
      case 'd': given = optarg; break;
      default:
        fprintf(stderr, "usage: date [-u] [-d @SECONDS] [+FORMAT]\n");
        return 1;
    }
  }
  const char *fmt = "%a %b %e %H:%M:%S %Z %Y";
  if (optind < argc) {
    if (argv[optind][0] != '+') {
      fprintf(stderr, "date: setting the time is not supported: '%s'\n", argv[optind]);
      return 1;
    }
    fmt = argv[optind] + 1;
    if (optind + 1 < argc) {
      fprintf(stderr, "date: extra operand '%s'\n", argv[optind + 1]);
      return 1;
    }
  }
  time_t t;
  if (given) {
    if (parse_epoch(given, &t) < 0) {
      fprintf(stderr, "date: invalid date '%s' (only @SECONDS is understood)\n", given);
      return 1;
    }
  } else {
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) < 0) {
      perror("date: clock_gettime");
      return 1;
    }
    t = now.tv_sec;
  }
  struct tm tm;
  if (!gmtime_r(&t, &tm)) {
    fprintf(stderr, "date: time %lld is out of range\n", (long long)t);
    return 1;
  }
  char buf[1024];
  size_t n = strftime(buf, sizeof buf, fmt, &tm);
  if (n == 0 && fmt[0] != 0) {
    fprintf(stderr, "date: the formatted date is too long\n");
    return 1;
  }
  printf("%s\n", buf);
  return fflush(stdout) ? 1 : 0;
}
