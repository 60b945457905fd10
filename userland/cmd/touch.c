/* touch [-c] [-a|-m] [-d @SECONDS[.FRACTION]] FILE...: set access and
 * modification times to now (or to SECONDS since the epoch), creating missing
 * files unless -c; -a / -m change only the access / modification time.
 * FILE "-" means standard output. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: touch [OPTION]... FILE...\n"
    "Update the access and modification times of each FILE to the current time.\n"
    "\n"
    "A FILE argument that does not exist is created empty, unless -c is supplied.\n"
    "\n"
    "  -a                     change only the access time\n"
    "  -c, --no-create        do not create any files\n"
    "  -d, --date=@SECONDS    use SECONDS since the epoch instead of current time\n"
    "  -m                     change only the modification time\n"
    "      --help        display this help and exit\n";


/* Parses "@SECONDS[.FRACTION]" into t; -1 if it is not of that form. */
static int parse_date(const char *s, struct timespec *t) {
  if (*s++ != '@') return -1;
  char *end;
  errno = 0;
  long long sec = strtoll(s, &end, 10);
  if (end == s || errno) return -1;
  long nsec = 0;
  if (*end == '.' || *end == ',') {
    long scale = 100000000;
    for (end++; *end >= '0' && *end <= '9'; end++, scale /= 10) nsec += (*end - '0') * scale;
    /* A negative time with a fraction lies before the whole second. */
    if (nsec && s[0] == '-') {
      sec--;
      nsec = 1000000000 - nsec;
    }
  }
  if (*end) return -1;
  t->tv_sec = (time_t)sec;
  t->tv_nsec = nsec;
  return 0;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  int opt, status = 0, no_create = 0, only_a = 0, only_m = 0;
  struct timespec when = {0, UTIME_NOW};
  while ((opt = getopt(argc, argv, "camd:")) != -1) {
    if (opt == 'c') {
      no_create = 1;
    } else if (opt == 'a') {
      only_a = 1;
    } else if (opt == 'm') {
      only_m = 1;
    } else if (opt == 'd') {
      if (parse_date(optarg, &when) < 0) {
        fprintf(stderr, "touch: invalid date format '%s'\n", optarg);
        return 1;
      }
    } else {
      fprintf(stderr, "usage: touch [-c] [-a|-m] [-d @SECONDS] FILE...\n");
      return 1;
    }
  }
  if (optind == argc) {
    fprintf(stderr, "touch: missing file operand\n");
    return 1;
  }
  /* -a and -m together are the same as neither. */
  struct timespec times[2] = {when, when};
  if (only_a && !only_m) times[1].tv_nsec = UTIME_OMIT;
  if (only_m && !only_a) times[0].tv_nsec = UTIME_OMIT;
  for (int i = optind; i < argc; i++) {
    const char *path = argv[i];
    int r;
    if (strcmp(path, "-") == 0) {
      r = futimens(STDOUT_FILENO, times);
    } else {
      r = utimensat(AT_FDCWD, path, times, 0);
      if (r < 0 && errno == ENOENT) {
        if (no_create) continue;
        int fd = open(path, O_WRONLY | O_CREAT | O_NOCTTY | O_NONBLOCK, 0666);
        if (fd < 0) {
          fprintf(stderr, "touch: cannot touch '%s': %s\n", path, strerror(errno));
          status = 1;
          continue;
        }
        r = futimens(fd, times);
        close(fd);
      }
    }
    if (r < 0) {
      fprintf(stderr, "touch: setting times of '%s': %s\n", path, strerror(errno));
      status = 1;
    }
  }
  return status;
}
