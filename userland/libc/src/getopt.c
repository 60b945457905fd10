/* POSIX getopt: short options, clustering, "--", leading ':' for quiet mode. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;
static int next_char; /* position inside a cluster like -abc */

int getopt(int argc, char *const argv[], const char *opts) {
  optarg = 0;
  if (optind == 0) {
    optind = 1; /* reset request */
    next_char = 0;
  }
  if (next_char == 0) {
    if (optind >= argc || !argv[optind] || argv[optind][0] != '-' || argv[optind][1] == 0)
      return -1;
    if (strcmp(argv[optind], "--") == 0) {
      optind++;
      return -1;
    }
    next_char = 1;
  }
  const char *arg = argv[optind];
  int c = (unsigned char)arg[next_char++];
  const char *spec = c == ':' ? 0 : strchr(opts, c);
  int quiet = opts[0] == ':';
  if (arg[next_char] == 0) {
    optind++;
    next_char = 0;
  }
  if (!spec) {
    optopt = c;
    if (opterr && !quiet) fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], c);
    return '?';
  }
  if (spec[1] == ':') {
    if (next_char != 0) {
      optarg = (char *)arg + next_char;
      optind++;
      next_char = 0;
    } else if (optind < argc) {
      optarg = argv[optind++];
    } else {
      optopt = c;
      if (quiet) return ':';
      if (opterr) fprintf(stderr, "%s: option requires an argument -- '%c'\n", argv[0], c);
      return '?';
    }
  }
  return c;
}
