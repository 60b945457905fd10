/* env [-i] [-u NAME]... [NAME=VALUE]... [COMMAND [ARG...]]: print the environment
 * or run COMMAND in a modified one. Exit 127 if COMMAND is not found, 126 if it
 * cannot be run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
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
