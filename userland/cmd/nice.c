/* nice [-n N] [COMMAND [ARG]...]: run COMMAND with its niceness adjusted by N
 * (default 10); without COMMAND, print the current niceness. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: nice [OPTION] [COMMAND [ARG]...]\n"
    "Run COMMAND with an adjusted niceness, which affects process scheduling.\n"
    "With no COMMAND, print the current niceness.  Niceness values range from\n"
    "-20 (most favorable to the process) to 19 (least favorable to the process).\n"
    "\n"
    "  -n, --adjustment=N   add integer N to the niceness (default 10)\n"
    "      --help     display this help and exit\n";

static int parse_int(const char *s, int *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == 0 || *end != 0) return -1;
  *out = (int)v;
  return 0;
}

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage_text);
  int adj = 10, i = 1;
  if (i < argc && strcmp(argv[i], "-n") == 0) {
    if (i + 1 >= argc || parse_int(argv[i + 1], &adj) < 0) {
      fprintf(stderr, "nice: invalid adjustment '%s'\n", i + 1 < argc ? argv[i + 1] : "");
      return 125;
    }
    i += 2;
  } else if (i < argc && strncmp(argv[i], "--adjustment=", 13) == 0) {
    if (parse_int(argv[i] + 13, &adj) < 0) {
      fprintf(stderr, "nice: invalid adjustment '%s'\n", argv[i] + 13);
      return 125;
    }
    i++;
  } else if (i < argc && argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9') {
    parse_int(argv[i] + 1, &adj); /* the historical -N form */
    i++;
  }
  if (i >= argc) {
    errno = 0;
    int cur = nice(0);
    if (cur == -1 && errno != 0) {
      perror("nice");
      return 125;
    }
    printf("%d\n", cur);
    return 0;
  }
  errno = 0;
  if (nice(adj) == -1 && errno != 0) {
    /* GNU nice warns and runs the command anyway. */
    fprintf(stderr, "nice: cannot set niceness: %s\n", strerror(errno));
  }
  execvp(argv[i], argv + i);
  fprintf(stderr, "nice: '%s': %s\n", argv[i], strerror(errno));
  return errno == ENOENT ? 127 : 126;
}
