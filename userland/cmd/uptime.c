/* uptime [-p | -s]: the time (UTC, from CLOCK_REALTIME), how long the system
 * has been up (/proc/uptime), the number of users (always 0: there is no utmp)
 * and the load averages (/proc/loadavg, or 0.00 when there is none), in
 * procps-ng's layout:
 *   " 12:34:56 up 2 days,  3:04,  0 user,  load average: 0.00, 0.00, 0.00"
 * -p prints the uptime alone as "up 2 days, 3 hours, 4 minutes"; -s prints
 * when the system came up, "YYYY-MM-DD HH:MM:SS". */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "help.h"

static const char usage_text[] =
    "Usage:\n"
    " uptime [options]\n"
    "\n"
    "Options:\n"
    " -p, --pretty   show uptime in pretty format\n"
    " -s, --since    system up since\n"
    "\n"
    "     --help     display this help and exit\n";


static void usage(void) {
  fprintf(stderr, "usage: uptime [-p | -s]\n");
}

/* Parses "123.45" into hundredths; stops at the first other character. */
static long hundredths(const char **p) {
  const char *s = *p;
  long whole = 0, frac = 0;
  while (*s == ' ') s++;
  while (*s >= '0' && *s <= '9') whole = whole * 10 + (*s++ - '0');
  if (*s == '.') {
    s++;
    for (int i = 0; i < 2; i++) {
      frac *= 10;
      if (*s >= '0' && *s <= '9') frac += *s++ - '0';
    }
    while (*s >= '0' && *s <= '9') s++;
  }
  *p = s;
  return whole * 100 + frac;
}

/* Reads the first line of a /proc file into buf; -1 (errno set) on failure. */
static int read_line(const char *path, char *buf, int size) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  if (!fgets(buf, size, f)) buf[0] = '\0';
  fclose(f);
  return 0;
}

/* "N unit" with an s for N != 1, preceded by ", " unless it is the first part. */
static void part(int *first, long n, const char *unit) {
  printf("%s%ld %s%s", *first ? "" : ", ", n, unit, n != 1 ? "s" : "");
  *first = 0;
}

static void pretty(long secs) {
  /* procps' arithmetic, which counts weeks modulo 52 regardless of years. */
  long min = secs / 60 % 60, hours = secs / 3600 % 24, alldays = secs / 86400;
  long decades = alldays / 3650, years = alldays / 365 % 10;
  long weeks = alldays / 7 % 52, days = alldays % 7;
  int first = 1;
  printf("up ");
  if (decades) part(&first, decades, "decade");
  if (years) part(&first, years, "year");
  if (weeks) part(&first, weeks, "week");
  if (days) part(&first, days, "day");
  if (hours) part(&first, hours, "hour");
  if (min || secs < 60) part(&first, min, "minute");
  putchar('\n');
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int mode = 0, c;
  opterr = 0;
  while ((c = getopt(argc, argv, "ps")) != -1) {
    if (c == '?') {
      fprintf(stderr, "uptime: invalid option -- '%c'\n", optopt);
      usage();
      return 1;
    }
    mode = c;
  }
  if (optind < argc) {
    fprintf(stderr, "uptime: extra operand '%s'\n", argv[optind]);
    usage();
    return 1;
  }
  char line[128];
  if (read_line("/proc/uptime", line, sizeof line) < 0) {
    fprintf(stderr, "uptime: /proc/uptime: %s\n", strerror(errno));
    return 1;
  }
  const char *p = line;
  long up = hundredths(&p) / 100;
  struct timespec now;
  if (clock_gettime(CLOCK_REALTIME, &now) < 0) {
    fprintf(stderr, "uptime: clock_gettime: %s\n", strerror(errno));
    return 1;
  }
  if (mode == 'p') {
    pretty(up);
    return 0;
  }
  struct tm tm;
  if (mode == 's') {
    time_t boot = now.tv_sec - up;
    gmtime_r(&boot, &tm);
    printf("%04d-%02d-%02d %02d:%02d:%02d\n", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
           tm.tm_hour, tm.tm_min, tm.tm_sec);
    return 0;
  }
  long load[3] = {0, 0, 0};
  if (read_line("/proc/loadavg", line, sizeof line) == 0) {
    p = line;
    for (int i = 0; i < 3; i++) load[i] = hundredths(&p);
  }
  gmtime_r(&now.tv_sec, &tm);
  printf(" %02d:%02d:%02d up ", tm.tm_hour, tm.tm_min, tm.tm_sec);
  long days = up / 86400, hours = up / 3600 % 24, min = up / 60 % 60;
  if (days) printf("%ld day%s, ", days, days > 1 ? "s" : "");
  if (hours) printf("%2ld:%02ld, ", hours, min);
  else printf("%ld min, ", min);
  /* procps says "user" unless there are more than one. */
  printf("%2d user,  load average: %ld.%02ld, %ld.%02ld, %ld.%02ld\n", 0, load[0] / 100,
         load[0] % 100, load[1] / 100, load[1] % 100, load[2] / 100, load[2] % 100);
  return 0;
}
