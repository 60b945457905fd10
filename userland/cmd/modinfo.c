/* modinfo NAME...: describe modules (loaded or not) as key: value lines. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/module.h>

#include "help.h"

static const char usage_text[] =
    "Usage: modinfo NAME[@FILE]...\n"
    "Show the file, version, kind, description and dependencies of modules.\n"
    "\n"
    "      --help     display this help and exit\n";

int main(int argc, char **argv) {
  help_option(argc, argv, HELP_ANYWHERE, usage_text);
  if (argc < 2) {
    fprintf(stderr, "Usage: modinfo NAME[@FILE]...\n");
    return 1;
  }
  static char buf[4096];
  int status = 0;
  for (int i = 1; i < argc; i++) {
    int n = strata_module_info(argv[i], buf, sizeof buf);
    if (n < 0) {
      fprintf(stderr, "modinfo: ERROR: Module %s not found.\n", argv[i]);
      status = 1;
      continue;
    }
    fwrite(buf, 1, (size_t)n, stdout);
  }
  return status;
}
