/* pwd: print the current working directory. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "help.h"

static const char usage_text[] =
    "Usage: pwd\n"
    "Print the full filename of the current working directory.\n"
    "\n"
    "      --help     display this help and exit\n";


int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  char buf[PATH_MAX];
  if (!getcwd(buf, sizeof buf)) {
    fprintf(stderr, "pwd: %s\n", strerror(errno));
    return 1;
  }
  puts(buf);
  return fflush(stdout) ? 1 : 0;
}
