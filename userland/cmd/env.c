/* env [-i] [-u NAME]... [NAME=VALUE]... [COMMAND [ARG...]]: print the environment
 * or run COMMAND in a modified one. Exit 127 if COMMAND is not found, 126 if it
 * cannot be run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]\n"
    "Set each NAME to VALUE in the environment and run COMMAND.\n"
    "\n"
    "  -i, --ignore-environment  start with an empty environment\n"
    "  -u, --unset=NAME     remove variable from the environment\n"
    "      --help     display this help and exit\n"
    "\n"
    "A mere - implies -i.  If no COMMAND, print the resulting environment.\n";


int main(int argc, char **argv) {
  help_option(argc, argv, HELP_FIRST_ONLY, usage_text);
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "-") == 0) {
      clearenv();
    } else if (strcmp(argv[i], "-u") == 0 && i + 1 < argc) {
      unsetenv(argv[++i]);
    } else if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else {
      fprintf(stderr, "usage: env [-i] [-u NAME] [NAME=VALUE]... [COMMAND [ARG...]]\n");
      return 125;
    }
  }
  for (; i < argc && strchr(argv[i], '='); i++) {
    if (putenv(argv[i]) < 0) {
      fprintf(stderr, "env: %s: %s\n", argv[i], strerror(errno));
      return 125;
    }
  }
  if (i == argc) {
    for (char **e = environ; e && *e; e++) puts(*e);
    return fflush(stdout) ? 1 : 0;
  }
  execvp(argv[i], argv + i);
  int e = errno;
  fprintf(stderr, "env: '%s': %s\n", argv[i], strerror(e));
  return e == ENOENT ? 127 : 126;
}
