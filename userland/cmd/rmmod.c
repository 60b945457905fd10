/* rmmod [-f] NAME...: unload modules, as root. -f forces the unload of a
 * module in use (its requests then fail with EIO). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/module.h>

#include "help.h"

static const char usage_text[] =
    "Usage: rmmod [-f] NAME...\n"
    "Unload the named modules.\n"
    "\n"
    "  -f, --force    unload even a module in use (its pending requests fail with EIO)\n"
    "      --help     display this help and exit\n";

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  unsigned flags = O_NONBLOCK;
  int i = 1, status = 0;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force")) flags |= O_TRUNC;
    else {
      fprintf(stderr, "rmmod: unrecognized option '%s'\n", argv[i]);
      return 1;
    }
  }
  if (i >= argc) {
    fprintf(stderr, "Usage: rmmod [-f] NAME...\n");
    return 1;
  }
  for (; i < argc; i++) {
    if (delete_module(argv[i], flags) == 0) continue;
    status = 1;
    if (errno == ENOENT) fprintf(stderr, "rmmod: ERROR: Module %s is not currently loaded\n", argv[i]);
    else if (errno == EBUSY) fprintf(stderr, "rmmod: ERROR: Module %s is in use\n", argv[i]);
    else fprintf(stderr, "rmmod: ERROR: could not remove module %s: %s\n", argv[i], strerror(errno));
  }
  return status;
}
